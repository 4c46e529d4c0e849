"""At sign-in, the user's language goes into the session, where the middleware reads it."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import profiles


@receiver(user_logged_in, dispatch_uid="gcm_i18n_remember_language")
def remember_on_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[profiles.SESSION_KEY] = profiles.of(user) or ""
