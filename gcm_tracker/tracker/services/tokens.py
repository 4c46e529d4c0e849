"""API tokens: made, replaced and revoked by their user (the token page) or an administrator
(`create_api_token`), and checked on every API request."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.crypto import constant_time_compare

from ..models import ApiToken


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: AbstractBaseUser) -> str:
    """Give `user` a new token, replacing any they had, and return its key: the only time the key
    exists outside the request that sends it."""
    ApiToken.objects.filter(user=user).delete()
    key = secrets.token_hex(20)
    ApiToken.objects.create(
        user=user, key_hash=_hash(key), password_fingerprint=user.get_session_auth_hash()
    )
    return key


def api_token_revoke(*, user: AbstractBaseUser) -> None:
    ApiToken.objects.filter(user=user).delete()


def api_token_of(user: AbstractBaseUser) -> ApiToken | None:
    """`user`'s working token, if they have one; a token made before their password last changed
    is deleted and None returned."""
    token = ApiToken.objects.filter(user=user).first()
    if token is None or _valid(token, user):
        return token
    token.delete()
    return None


def api_token_user(key: str) -> AbstractBaseUser | None:
    """The user whose working token `key` is (active or not: the caller says which it refuses),
    or None."""
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None:
        return None
    if not _valid(token, token.user):
        token.delete()
        return None
    return token.user


def _valid(token: ApiToken, user: AbstractBaseUser) -> bool:
    # Changing the password (or DJANGO_SECRET_KEY) changes the session hash.
    return constant_time_compare(token.password_fingerprint, user.get_session_auth_hash())
