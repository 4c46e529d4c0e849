"""Cached public aggregates, invalidated by a generation number (djangoproject.com's pattern).

Every write that changes a public figure calls public_data_changed() inside its transaction; the
generation moves on only when that transaction commits, so readers never cache a figure computed
from data that was then rolled back. The timeout is a backstop for edits made outside the
services (reference data in the admin).
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "tracker:public-generation"
TIMEOUT = 15 * 60

T = TypeVar("T")


def _bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key expired or was evicted: any new value invalidates
        cache.set(GENERATION_KEY, 1, timeout=None)


def public_data_changed() -> None:
    transaction.on_commit(_bump_generation)


def public_generation() -> int:
    """The current generation: part of the key of anything cached from public data."""
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def cached_public(name: str, compute: Callable[[], T]) -> T:
    return cache.get_or_set(f"tracker:{name}:{public_generation()}", compute, timeout=TIMEOUT)
