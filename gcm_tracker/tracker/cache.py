"""Cached public aggregates and pages, invalidated by a generation number (djangoproject.com's
pattern). This docstring is the one description of how the generation works.

The public-data generation is a number kept in the database (PublicGeneration, one row). Anything
cached from public data, a page, an API answer, an aggregate, carries it in its key, so moving it
on makes every such entry unreachable at once; the entries then expire (TIMEOUT).

Bumping. Every write that changes public data calls public_data_changed() inside its transaction;
when that transaction commits, an atomic `UPDATE ... SET number = number + 1` moves the number on
(once per call: a loaddata of many rows makes as many bumps), so readers never cache a figure
computed from data that was then rolled back. The bump runs just after the commit rather than inside
the transaction because a row lock held to the end of every writing transaction would queue all
public writes behind one another and could deadlock with the summary rows they lock. Saves and
deletions of public rows outside the services (the admin, loaddata, a shell) move it on through
model signals (public_row_changed); set-based writes, which send no signals, call
public_data_changed() themselves.

Reading. public_generation() reads the number through the cache, where it is kept for
GENERATION_SECONDS only: a bump in this process clears that entry at once, and one made by any
other process (another web worker, a shell, `import_report`, `load_seed`) is seen within
GENERATION_SECONDS, whatever the cache (Redis or `make run`'s per-process local memory). A cache
that loses or cannot reach the entry (an eviction, a Redis outage) only makes it read the database
again; no bump is ever lost with it, so a page is stale for at most GENERATION_SECONDS.

A number is never reused for other data: the row starts from the clock in nanoseconds when it is
first needed (a new database, one loaded with loaddata, which leaves it out), and restoring a
backup (scripts/restore.sh) sets it past the clock again, so pages cached before either cannot be
served again. If the process dies between a commit and its bump, pages stay as they were for at
most TIMEOUT, the last backstop.
"""

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils.translation import get_language

from .enums import ReviewState
from .models import PublicGeneration
from .work_generation import work_data_changed

GENERATION_KEY = "tracker:public-generation"
# How long a process may go on using a generation that another process has moved on.
GENERATION_SECONDS = 5
TIMEOUT = 15 * 60

T = TypeVar("T")


def _clock_number() -> int:
    return time.time_ns()


def _stored_generation() -> int:
    number = (
        PublicGeneration.objects.filter(pk=PublicGeneration.ROW)
        .values_list("number", flat=True)
        .first()
    )
    if number is None:  # a new (or flushed) database: the first reader creates the row
        row, _ = PublicGeneration.objects.get_or_create(
            pk=PublicGeneration.ROW, defaults={"number": _clock_number()}
        )
        number = row.number
    return number


def _bump_generation() -> None:
    bumped = PublicGeneration.objects.filter(pk=PublicGeneration.ROW).update(number=F("number") + 1)
    if not bumped:
        _stored_generation()  # no row yet: a new one starts from the clock, past every other
    cache.delete(GENERATION_KEY)


def public_data_changed() -> None:
    """Move the generation on when the current transaction commits (at once outside one), and
    the work pages' too (public data shows on them as well)."""
    work_data_changed()
    # robust: the data is committed whatever happens; a failed bump is logged, and the pages
    # then expire after TIMEOUT.
    transaction.on_commit(_bump_generation, robust=True)


def public_generation() -> int:
    """The current generation: part of the key of anything cached from public data."""
    number = cache.get(GENERATION_KEY)
    if number is None:
        number = _stored_generation()
        cache.set(GENERATION_KEY, number, timeout=GENERATION_SECONDS)
    return number


def public_generation_in(found: dict) -> int:
    """The current generation, from `found` (the answer of a get_many that asked for
    GENERATION_KEY beside what it reads) when it holds it."""
    number = found.get(GENERATION_KEY)
    return public_generation() if number is None else number


def cached_public(name: str, compute: Callable[[], T]) -> T:
    return cache.get_or_set(f"tracker:{name}:{public_generation()}", compute, timeout=TIMEOUT)


# Rows only their owners or staff see: their changes leave public pages as they are.
PRIVATE_MODELS = {"membership", "accountrequest"}
# Rows that are themselves derived from public data.
DERIVED_MODELS = {"publicgeneration"}


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
        and model._meta.model_name not in PRIVATE_MODELS | DERIVED_MODELS
        and not model._meta.model_name.startswith("historical")
    ]


def public_row_changed(sender, instance=None, **kwargs) -> None:
    """post_save, post_delete and m2m_changed receiver for public_models(): a row the public
    pages may show changed. Actions count only once published; their drafts change nothing
    public."""
    if getattr(instance, "review_state", ReviewState.PUBLISHED) != ReviewState.PUBLISHED:
        return
    public_data_changed()


def cache_key(kind: str, request, *, generation: bool = True) -> str:
    """The key of a cached answer to `request` (a public page, an API answer), under the current
    generation (unless `generation` is false: an entry that keeps its own). The whole absolute
    address counts, as answers may link with the host they were asked for, and so does the
    language."""
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    number = public_generation() if generation else "-"
    return f"tracker:{kind}:{number}:{get_language()}:{address}"
