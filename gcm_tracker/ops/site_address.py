"""The site's address for links that leave the site (e-mails): the one the current request came
to, else settings.SITE_URL.

A link built while handling a request (a contributor created in the admin, an action published in
the review queue) uses the scheme, host and port the request came to, as Django's own
password-reset e-mail does: on a developer's machine that is whatever port runserver listens on,
in production the public address (the host is one of DJANGO_ALLOWED_HOSTS, checked before this
middleware runs, and the scheme follows DJANGO_SECURE_PROXY_SSL_HEADER). Outside a request (a
management command, the daily digest in the task queue) DJANGO_SITE_URL says where the site is.
"""

import contextvars

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "site_address_request", default=None
)


def absolute_url(path: str) -> str:
    """`path` (starting with "/") as an absolute address."""
    request = _request.get()
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


class SiteAddressMiddleware:
    """Makes the request's address available to absolute_url() while the request is handled.
    After CommonMiddleware, so that the Host header has been validated."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
