"""The language menu and the alternate-language links of every page (base.html)."""

from django.conf import settings
from django.utils.translation import get_language

from .languages import hreflang
from .middleware import QUERY_PARAMETER


def _address(request, language: str | None) -> str:
    """The current page with every query parameter kept and `lang` set to `language` (or
    dropped, for None)."""
    query = request.GET.copy()
    query.pop(QUERY_PARAMETER, None)
    if language is not None:
        query[QUERY_PARAMETER] = language
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def languages(request):
    current = get_language() or settings.LANGUAGE_CODE
    # An address no route matched (a page not found, a host the site does not serve): the menu
    # leads to the home page and the head names no alternates, so that nothing of the address,
    # or of the Host header, is echoed.
    known = getattr(request, "resolver_match", None) is not None
    links = [
        {
            "code": code,
            "tag": hreflang(code),
            "name": name,
            "url": _address(request, code) if known else f"/?{QUERY_PARAMETER}={code}",
            # hreflang alternates are absolute, as search engines ask.
            "absolute_url": request.build_absolute_uri(_address(request, code)) if known else "",
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    return {
        "language_links": links,
        "language_tag": hreflang(current),
        "default_language_url": request.build_absolute_uri(_address(request, None))
        if known
        else "",
    }
