"""Token authentication against hashed keys (tracker.models.ApiToken)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from gcm_tracker.tracker.services.tokens import api_token_user


class HashedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, as with DRF's own class, but the key is looked up by its
    hash, and a token made before the user's password last changed no longer opens the API.

    Marks the request as token-authenticated, so that the answer is never stored by a cache
    (gcm_tracker.api.middleware)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            request._request.authenticated_by_token = True
        return result

    def authenticate_credentials(self, key):
        user = api_token_user(key)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (user, None)
