"""The language menu and the alternate-language links of every page (base.html)."""

from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import get_language

from .languages import hreflang
from .middleware import QUERY_PARAMETER


def _addresses(request) -> tuple[dict[str, str], str]:
    """The current page with every query parameter kept and `lang` set to each language, and
    with `lang` dropped. The other parameters are encoded once, not once a language: the menu is
    on every page."""
    query = request.GET
    if QUERY_PARAMETER in query:
        query = query.copy()
        query.pop(QUERY_PARAMETER)
    others = query.urlencode()
    path = request.path
    joined = f"{path}?{others}&" if others else f"{path}?"
    by_language = {
        code: f"{joined}{urlencode({QUERY_PARAMETER: code})}" for code, _name in settings.LANGUAGES
    }
    return by_language, f"{path}?{others}" if others else path


def languages(request):
    current = get_language() or settings.LANGUAGE_CODE
    # An address no route matched (a page not found, a host the site does not serve): the menu
    # leads to the home page and the head names no alternates, so that nothing of the address,
    # or of the Host header, is echoed.
    known = getattr(request, "resolver_match", None) is not None
    addresses, default = _addresses(request) if known else ({}, "")
    links = [
        {
            "code": code,
            "tag": hreflang(code),
            "name": name,
            "url": addresses[code] if known else f"/?{QUERY_PARAMETER}={code}",
            # hreflang alternates are absolute, as search engines ask.
            "absolute_url": request.build_absolute_uri(addresses[code]) if known else "",
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    return {
        "language_links": links,
        "language_tag": hreflang(current),
        "default_language_url": request.build_absolute_uri(default) if known else "",
    }
