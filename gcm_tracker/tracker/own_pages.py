"""Whole pages kept for one signed-in user in one browser: the work pages (the workspace, the
review queue), the admin's change lists and the public pages they read signed in.

A signed-in page is the user's own: their name in the header, their sign-out form (and the
admin's action forms) carrying the CSRF token of their browser. Drawing it again costs several
times what serving it does, though nothing in it changed since the last view, so each is kept
under its address, language, user, set of permissions and the browser's CSRF cookie, with the
generation of the data it was drawn from (the public data's or the work data's), and served
while that generation stands. A page is kept only when the browser sent its CSRF cookie and the
page used that one (so the tokens in it stay valid for this browser alone), for a plain GET with
no messages waiting (they are shown once, by a page drawn for them), and when it is a 200 HTML
page.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

from gcm_tracker.accounts.permissions import kept_seconds, permissions_key

from .cache import cache_key


def page_key(request, kind: str) -> str | None:
    """The key of the user's page at this address in this browser, or None when it may not be
    kept."""
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if (
        request.method != "GET"
        or not request.user.is_authenticated
        or not secret
        # The middleware did not take the cookie (malformed): the page would carry a new one.
        or request.META.get("CSRF_COOKIE") != secret
        or len(messages.get_messages(request))
    ):
        return None
    browser = hashlib.sha256(secret.encode()).hexdigest()[:16]
    user = request.user
    address = cache_key(kind, request, generation=False)
    return f"{address}:{user.pk}:{permissions_key(user)}:{browser}"


def served(
    request,
    kind: str,
    generation_key: str,
    generation: Callable[[dict], int],
    draw: Callable[[], HttpResponse],
) -> HttpResponse:
    """The page `draw` answers, from the cache while the generation that `generation` reads
    (from the answer of a get_many that asked for `generation_key` too) is the one it was drawn
    under; drawn and kept otherwise."""
    key = page_key(request, kind)
    if key is None:
        return draw()
    found = cache.get_many([generation_key, key])
    current = generation(found)
    kept = found.get(key)
    if kept is not None and kept[0] == current:
        get_token(request)  # the CSRF cookie is sent again, as a drawn page would have it
        return HttpResponse(kept[1], headers=kept[2])
    response = draw()
    if hasattr(response, "render"):
        response.render()
    if (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and request.META.get("CSRF_COOKIE") == request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    ):
        cache.set(key, (current, response.content, dict(response.items())), kept_seconds())
    return response
