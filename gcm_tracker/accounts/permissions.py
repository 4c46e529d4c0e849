"""Each user's set of permissions, kept in the cache: every signed-in request reads it (the views'
permission checks, the key of a public page cached for signed-in users), and Django's model
backend reads it from the database every time, with two queries (the user's own, their groups').

CachedPermissionsBackend is that backend with the set kept in the cache per user, with the
authorization generation it was read under. Any change to a user, a group or a permission, or to
who is in which group and which group may do what, moves that generation on once its transaction
commits; a set kept under an older one is read from the database again. The generation and the
user's set come in one round trip to the cache.

A cache shared by every process (Redis, as production has) sees each change as soon as it is
committed, and keeps a set for TIMEOUT. A cache of the process's own (local memory: `make run`,
or several workers without CACHE_URL) never hears of another process's changes, so there a set is
kept for GENERATION_SECONDS only, as the public-data generation is (tracker.cache): a permission
taken away is refused by every process within seconds.
"""

import hashlib
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from gcm_tracker.tracker.cache import GENERATION_SECONDS, TIMEOUT

GENERATION_KEY = "accounts:authorization-generation"


def _user_entry(user) -> str:
    return f"accounts:permissions:{user.pk}"


class CachedPermissionsBackend(ModelBackend):
    """Django's model backend, with each user's set of permissions read through the cache."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_cached_permissions"):  # once a request, as the backend does
            user_obj._cached_permissions = self._read(user_obj)
        return user_obj._cached_permissions

    def _read(self, user) -> set[str]:
        found = cache.get_many([GENERATION_KEY, _user_entry(user)])
        generation = found.get(GENERATION_KEY)
        if generation is None:  # a new cache, or one that lost it: every set is read again
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
            generation = cache.get(GENERATION_KEY)
        kept = found.get(_user_entry(user))
        if kept is not None and kept[0] == generation:
            return set(kept[1])
        permissions = super().get_all_permissions(user)
        cache.set(_user_entry(user), (generation, sorted(permissions)), kept_seconds())
        return permissions


def permissions_key(user) -> str:
    """A short key of `user`'s set of permissions, for the key of what is cached for them (read
    from the cache, not the database)."""
    return hashlib.sha256(",".join(sorted(user.get_all_permissions())).encode()).hexdigest()[:16]


def kept_seconds(backend=None) -> int:
    """How long a set is kept: long in a shared cache, which every process's changes reach;
    briefly in a process's own."""
    backend = backend if backend is not None else caches["default"]
    return GENERATION_SECONDS if isinstance(backend, LocMemCache) else TIMEOUT


def _move_generation_on() -> None:
    # The clock, not an increment: a cache that lost the number cannot hand out an old one again.
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def authorization_changed(sender, update_fields=None, action="", **kwargs) -> None:
    """Receiver of the saves, deletions and link changes that can change what someone may do."""
    # Signing in saves the user's last_login only, which allows nothing new; a link change is
    # announced before it is made too.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    if action.startswith("pre_"):
        return
    transaction.on_commit(_move_generation_on, robust=True)


def connect_signals() -> None:
    user_model = get_user_model()
    for model in (user_model, Group, Permission):
        post_save.connect(authorization_changed, sender=model)
        post_delete.connect(authorization_changed, sender=model)
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(authorization_changed, sender=through)
