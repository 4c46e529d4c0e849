"""Cached public aggregates and pages, invalidated by a generation number (djangoproject.com's
pattern).

Every write that changes a public figure calls public_data_changed() inside its transaction; the
generation moves on only when that transaction commits, so readers never cache a figure computed
from data that was then rolled back. Saves and deletions of public rows outside the services (the
admin, loaddata) move it on through model signals (public_row_changed); set-based writes, which
send no signals, call public_data_changed() themselves. The timeout is a last backstop.
"""

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from .enums import ReviewState

GENERATION_KEY = "tracker:public-generation"
TIMEOUT = 15 * 60

T = TypeVar("T")


def _fresh_generation() -> int:
    # Not 1: pages cached under an earlier generation may outlive its key (an eviction, a
    # restart of a persistent cache), and must not be served again.
    return time.time_ns()


def _bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key expired or was evicted: any new value invalidates
        cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)


def public_data_changed() -> None:
    transaction.on_commit(_bump_generation)


def public_generation() -> int:
    """The current generation: part of the key of anything cached from public data."""
    return cache.get_or_set(GENERATION_KEY, _fresh_generation, timeout=None)


def cached_public(name: str, compute: Callable[[], T]) -> T:
    return cache.get_or_set(f"tracker:{name}:{public_generation()}", compute, timeout=TIMEOUT)


# Rows only their owners or staff see: their changes leave public pages as they are.
PRIVATE_MODELS = {"membership", "accountrequest"}


def public_models(app_config) -> list:
    """The app's models whose rows public pages may show, but for link tables (their changes
    arrive as m2m_changed of the models they link) and model history."""
    through = {
        field.remote_field.through
        for model in app_config.get_models()
        for field in model._meta.local_many_to_many
    }
    return [
        model
        for model in app_config.get_models()
        if model not in through
        and model._meta.model_name not in PRIVATE_MODELS
        and not model._meta.model_name.startswith("historical")
    ]


def public_row_changed(sender, instance=None, **kwargs) -> None:
    """post_save, post_delete and m2m_changed receiver for public_models(): a row the public
    pages may show changed. Actions count only once published; their drafts change nothing
    public."""
    if getattr(instance, "review_state", ReviewState.PUBLISHED) != ReviewState.PUBLISHED:
        return
    public_data_changed()


def cache_key(kind: str, request) -> str:
    """The key of a cached answer to `request` (a public page, an API answer), under the current
    generation. The whole absolute address counts, as answers may link with the host they were
    asked for, and so does the language."""
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"tracker:{kind}:{public_generation()}:{get_language()}:{address}"
