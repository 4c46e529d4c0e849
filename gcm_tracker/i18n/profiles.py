"""A user's language: read from accounts.Profile, kept in the session while they are signed in.

The session holds it from sign-in on (signals.remember_on_sign_in), so that the middleware reads
it without a query; a session from before this existed reads the profile once and keeps it.
"""

from django.conf import settings

from gcm_tracker.accounts.models import Profile

from . import languages

SESSION_KEY = "profile_language"


def of(user) -> str | None:
    """`user`'s chosen language, or None (no choice, or not a user: an e-mail to an address)."""
    if user is None or not getattr(user, "pk", None):
        return None
    language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    return languages.exact(language)


def session_language(request) -> str | None:
    """The signed-in user's language kept in the session; no query for a visitor without a
    session cookie."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    session = request.session
    if SESSION_KEY not in session:
        user = request.user
        if not user.is_authenticated:
            return None
        session[SESSION_KEY] = of(user) or ""
    return languages.exact(session[SESSION_KEY])


def save(user, language: str) -> None:
    """Make `language` (one of our codes, or "" for none) `user`'s choice."""
    Profile.objects.update_or_create(user=user, defaults={"language": language})


def remember(request, language: str) -> None:
    """A signed-in user chose `language` (by ?lang=): keep it in their profile and session."""
    if not request.user.is_authenticated or request.session.get(SESSION_KEY) == language:
        return
    save(request.user, language)
    request.session[SESSION_KEY] = language
