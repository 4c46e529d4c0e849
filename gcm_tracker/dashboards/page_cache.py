"""Whole-page caching of the public HTML pages for visitors who are not signed in.

A public page depends only on its address, the language and the public data, so its rendered body is
cached under the public-data generation (tracker.cache says how it moves on and how it is read): the
first visitor renders it, the next ones get it from the cache until a status changes, an action is
published or staff edit something public, which moves the generation on. Signed-in users (the header
names them) and requests that carry a session or messages are rendered as usual, and an answer is
stored only if it is a 200 that neither sets a cookie nor used a CSRF token, so nothing personal is
ever shared.
"""

import functools

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from gcm_tracker.tracker.cache import TIMEOUT, cache_key

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
            return view(request, *args, **kwargs)
        key = cache_key("page", request)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            # The page rendered a CSRF token, which belongs to this visitor.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            cache.set(key, (response.content, dict(response.items())), TIMEOUT)
        return response

    return cached_view
