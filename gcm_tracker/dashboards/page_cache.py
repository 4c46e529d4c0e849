"""Whole-page caching of the public HTML pages for visitors who are not signed in, and of their
content for those who are.

A public page depends only on its address, the language and the public data, so its rendered body is
cached under the public-data generation (tracker.cache says how it moves on and how it is read): the
first visitor renders it, the next ones get it from the cache until a status changes, an action is
published or staff edit something public, which moves the generation on. Signed-in users (the header
names them) and requests that carry a session or messages are rendered as usual, and an answer is
stored only if it is a 200 that neither sets a cookie nor used a CSRF token, so nothing personal is
ever shared. It is stored gzip-compressed when that pays, and sent so to clients that accept gzip
(compressed_pages).

Signed-in users get the same pages with a header of their own (their name, a sign-out form with
their CSRF token) and, on some pages, links their permissions allow (includes/assess_link.html).
So for them the page's own part, its title, the head block and the content block (between the
markers base.html puts around them), is cached under the generation, the language, the address
and the set of the user's permissions, and drawn in a fresh header (signed_in_page.html): a
page's queries and rendering happen once per generation and set of permissions, not once per
request. Public views never read the user in Python (only the templates' `perms` do), and a
content block that holds a CSRF token (a form) is not stored.

On top of that, a signed-in user's whole page is kept for their browser (tracker.own_pages): a
repeat view serves it as it was drawn, header and all. The work pages (the workspace, the review
queue), which are the user's own (drafts, submissions waiting, their organisations), are kept
only that way, under the work-data generation, which every committed write of the tracker's data
moves on (tracker.work_generation): paging through the review queue and back, or returning to
the workspace after reading an action, no longer draws the page again, and the first view after
any change does.
"""

import functools
import re

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from gcm_tracker.accounts.permissions import permissions_key
from gcm_tracker.tracker.cache import GENERATION_KEY as PUBLIC_GENERATION_KEY
from gcm_tracker.tracker.cache import TIMEOUT, cache_key, public_generation_in
from gcm_tracker.tracker.own_pages import served
from gcm_tracker.tracker.work_generation import GENERATION_KEY as WORK_GENERATION_KEY
from gcm_tracker.tracker.work_generation import work_generation

from . import compressed_pages

# Cookies that make a visitor's page their own: a session (signed in, or messages kept in it) and
# messages waiting to be shown.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def anonymous(request) -> bool:
    """A visitor who is not signed in and has nothing of their own waiting (no session, no
    messages), asking to read."""
    return request.method in ("GET", "HEAD") and not any(
        name in request.COOKIES for name in PERSONAL_COOKIES
    )


def public_page(view):
    """Serve `view`'s page from the cache to visitors who are not signed in."""

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if not anonymous(request):
            if request.method in ("GET", "HEAD") and request.user.is_authenticated:
                return _signed_in_page(request, view, args, kwargs)
            return view(request, *args, **kwargs)
        # Named for the entries' form (compressed_pages.stored()'s triple), so that a deployment
        # never reads an entry kept in an earlier form.
        key = cache_key("page-gz", request)
        entry = cache.get(key)
        if entry is not None:
            return compressed_pages.answer(request, entry)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            # The page rendered a CSRF token, which belongs to this visitor.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            entry = compressed_pages.stored(response.content, dict(response.items()))
            cache.set(key, entry, TIMEOUT)
            return compressed_pages.answer(request, entry)
        return response

    return cached_view


_PARTS = re.compile(
    r"<title>(?P<title>.*?)</title>.*<!--page-head-->(?P<head>.*?)<!--/page-head-->"
    r".*<!--page-content-->(?P<content>.*?)<!--/page-content-->",
    re.DOTALL,
)


def _signed_in_page(request, view, args, kwargs):
    """`view`'s page for a signed-in user: the whole page as this browser last had it
    (tracker.own_pages), or its own part from the cache in a fresh header."""
    return served(
        request, "signed-in-page", PUBLIC_GENERATION_KEY, public_generation_in,
        lambda: _drawn_signed_in(request, view, args, kwargs),
    )  # fmt: skip


def _drawn_signed_in(request, view, args, kwargs):
    key = f"{cache_key('signed-in', request)}:{permissions_key(request.user)}"
    parts = cache.get(key)
    if parts is None:
        response = view(request, *args, **kwargs)
        parts = _page_parts(response)
        if parts is None:
            return response
        cache.set(key, parts, TIMEOUT)
        return response
    return _drawn(request, parts)


def work_page(view):
    """Serve a signed-in user's work page (`view` must be login_required's) from the cache
    while the work data, the user and their permissions are as they were when it was drawn
    (tracker.own_pages). A hit skips `view`: its permission checks were made for this user and
    set of permissions."""

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        return served(
            request, "work", WORK_GENERATION_KEY, work_generation,
            lambda: view(request, *args, **kwargs),
        )  # fmt: skip

    return cached_view


def _drawn(request, parts: dict[str, str]):
    """A page of cached parts in a fresh header (the user's own, their messages)."""
    return render(
        request,
        "dashboards/signed_in_page.html",
        {"page": {name: mark_safe(value) for name, value in parts.items()}},
    )


def _page_parts(response) -> dict[str, str] | None:
    """The title (without the site's name), head and content of a 200 HTML page, or None when
    it is not one or its content holds a form's CSRF token."""
    if (
        response.status_code != 200
        or response.streaming
        or not response.get("Content-Type", "").startswith("text/html")
    ):
        return None
    found = _PARTS.search(response.content.decode(response.charset))
    if found is None or "csrfmiddlewaretoken" in found["content"]:
        return None
    title = found["title"].removesuffix(escape(" · " + gettext("GCM Tracker")))
    return {"title": title, "head": found["head"], "content": found["content"]}
