"""The language of each request, in place of Django's LocaleMiddleware.

The order, first that applies:
1. `?lang=xx`, one of the site's codes (en, fr, ru, zh-hans): an address shared in a language opens
   in it. On pages it also sets the language cookie and, for a signed-in user, the profile's
   language (not in the API, where it asks for one answer's language). An unknown code
   (?lang=de) is ignored, not refused: the rest of the order decides, so that a mistyped shared
   link still opens the page. (The API answers 400 for one: api.languages.)
2. The language cookie (settings.LANGUAGE_COOKIE_NAME), set by 1.
3. The signed-in user's profile language (accounts.Profile), kept in the session from sign-in on,
   so that reading it costs no query per request.
4. Accept-Language, so that a first visit is in the browser's language with no redirect.
5. English (settings.LANGUAGE_CODE).

Addresses have no language prefix: every URL, the API and the caches work as before. The caches
key by the language chosen here (tracker.cache.cache_key calls get_language()), and every answer
says `Vary: Accept-Language, Cookie` for caches outside the site.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from . import languages, profiles

QUERY_PARAMETER = "lang"


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        asked = languages.exact(request.GET.get(QUERY_PARAMETER))
        language = (
            asked
            or languages.closest(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
            or profiles.session_language(request)
            or translation.get_language_from_request(request)
        )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if asked and not _is_api(request):
            if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != asked:
                set_language_cookie(response, asked)
            profiles.remember(request, asked)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response


def set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _is_api(request) -> bool:
    """An API request's ?lang= asks for that answer's language only: a client with a token has
    no use for a cookie, and keeping its choice would read a session on every request. By its
    address, as ops.views does: an /api/ address that matched no route (a 404) is the API's too."""
    return request.path_info.startswith("/api/")
