"""Limits on the on-request downloads of filtered lists (CSV, XLSX, JSON), which a worker builds
while the client waits.

- Size: a download of more than settings.DOWNLOAD_MAX_ROWS rows is refused (400) with a message
  pointing to the bulk open-data files at /data/, built in the background, and to the API, which
  pages through any number of rows (the matrix, which has no open-data file, to the API alone).
  Below the limit a download is what it always was.
- Concurrency: one client (its address, resolved as for every other limit, see
  gcm_tracker.ops.client_address) builds at most settings.DOWNLOADS_PER_CLIENT downloads at once;
  another answers 429 with Retry-After. The count is kept in the shared cache and given back when
  the download's last byte is sent (or the client goes away); SLOT_SECONDS bounds how long a slot
  of a process that died stays taken. While the cache is unavailable the limit pauses, as the
  other rate limits do.

A download view is decorated with limited_download and calls too_many_rows() once it knows its
row count (the list of recommendations) or too_many_cells() with what bounds it (the matrix).
"""

import contextlib
import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gcm_tracker.ops.client_address import client_address

SLOT_SECONDS = 10 * 60
RETRY_AFTER_SECONDS = 10


def _slot_key(request) -> str:
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return f"downloads:active:{digest}"


def _take_slot(key: str) -> bool:
    cache.add(key, 0, timeout=SLOT_SECONDS)
    try:
        taken = cache.incr(key)
    except ValueError:
        return True  # the cache lost the count (evicted or unavailable): let it through
    if taken > settings.DOWNLOADS_PER_CLIENT:
        _give_back(key)
        return False
    return True


def _give_back(key: str) -> None:
    with contextlib.suppress(ValueError):  # expired or lost meanwhile: nothing to give back
        cache.decr(key)


class _GivesBackSlot:
    """The streamed content of a download, giving its slot back when the response is closed:
    after the last byte, or when the client went away before it (Django closes the response
    either way; a generator's `finally` would not run if it never started)."""

    def __init__(self, content, key: str):
        self._content, self._key, self._open = content, key, True

    def __iter__(self):
        return iter(self._content)

    def close(self):
        if self._open:
            self._open = False
            _give_back(self._key)


def _answer(request, fmt: str, status: int, message: str, links: dict, **extra):
    if fmt == "json":
        return JsonResponse(
            {"detail": message, **extra, **links}, status=status, json_dumps_params={"indent": 1}
        )
    return render(
        request,
        "dashboards/download_refused.html",
        {"message": message, "links": links},
        status=status,
    )


def _bulk_links(request, api_path: str) -> dict:
    return {
        "bulk_files": request.build_absolute_uri(reverse("dashboards:data-dictionary")),
        "api": request.build_absolute_uri(api_path),
    }


def limited_download(view):
    """Decorates a download view `view(request, fmt, ...)`: at most DOWNLOADS_PER_CLIENT of a
    client's downloads are built at once."""

    @functools.wraps(view)
    def wrapped(request, fmt, *args, **kwargs):
        key = _slot_key(request)
        if not _take_slot(key):
            message = _(
                "You are already downloading %(count)d files from this site. Wait until one of "
                "them is done, then try again."
            ) % {"count": settings.DOWNLOADS_PER_CLIENT}
            response = _answer(
                request,
                fmt,
                429,
                message,
                {"bulk_files": request.build_absolute_uri(reverse("dashboards:data-dictionary"))},
            )
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        try:
            response = view(request, fmt, *args, **kwargs)
        except BaseException:
            _give_back(key)
            raise
        if response.streaming:
            response.streaming_content = _GivesBackSlot(response.streaming_content, key)
        else:
            _give_back(key)
        return response

    return wrapped


def _grouped(**numbers: int) -> dict[str, str]:
    """Each number as the page's language writes it, with its thousands grouped."""
    return {name: number_format(n, force_grouping=True) for name, n in numbers.items()}


def too_many_cells(request, *, fmt: str, recommendations: int, countries: int, voices: int):
    """The refusal of a matrix download whose rows may pass DOWNLOAD_MAX_ROWS, or None within it.
    A matrix download has a row per applicable cell and voice (and per organisation for civil
    society), which only reading every cell would count; `recommendations` × `countries` (the
    columns its filters allow) × `voices` bounds the cells' rows without reading them."""
    limit = settings.DOWNLOAD_MAX_ROWS
    bound = recommendations * countries * voices
    if bound <= limit:
        return None
    message = _(
        "This download covers %(recommendations)s recommendations in %(countries)s countries: "
        "up to %(count)s rows, and downloads made on request hold at most %(limit)s. Narrow the "
        "filters (an objective, a country or a subregion), or page through the country "
        "assessments with the API."
    ) % _grouped(recommendations=recommendations, countries=countries, count=bound, limit=limit)
    links = {"api": request.build_absolute_uri(reverse("api:assessment-list"))}
    return _answer(request, fmt, 400, message, links, rows=bound, limit=limit)


def too_many_rows(request, *, fmt: str, count: int, api_path: str):
    """The refusal of a download of `count` rows, past DOWNLOAD_MAX_ROWS, or None within it.
    `api_path` is the API's list of the same rows (with the same query)."""
    limit = settings.DOWNLOAD_MAX_ROWS
    if count <= limit:
        return None
    message = _(
        "This download would hold %(count)s rows; downloads made on request hold at most "
        "%(limit)s. Narrow the filters, take the complete files of every table (updated a few "
        "minutes after each change) from the open-data page, or page through the rows with the "
        "API."
    ) % _grouped(count=count, limit=limit)
    return _answer(
        request, fmt, 400, message, _bulk_links(request, api_path), rows=count, limit=limit
    )
