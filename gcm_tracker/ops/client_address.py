"""The visitor's address, resolved one way for every limit that counts per client.

The API's throttles, the sign-in lockout (django-axes) and the public forms' rate limits all key
on it, so one proxy setting (`DJANGO_NUM_PROXIES`) decides for all of them which header, if any,
is trusted.
"""

from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle


def client_address(request: HttpRequest) -> str:
    """`REMOTE_ADDR`, or behind `NUM_PROXIES` = n > 0 proxies the n-th address from the right of
    `X-Forwarded-For` (the one the nearest trusted proxy saw).

    Delegates to DRF's throttle identification, so the API and the site cannot drift apart. With
    no proxy configured, a forwarded header is ignored: a client could otherwise pick a new
    address for every request and never be counted.
    """
    return BaseThrottle().get_ident(request)
