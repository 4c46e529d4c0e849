"""The work-data generation: a number that moves on with every committed write of the tracker's
data, public or not (a draft saved, a submission withdrawn, a membership added): what the work
pages (the workspace, the review queue) and the admin's change lists are kept under for their
signed-in users (tracker.own_pages).

The public-data generation (tracker.cache) moves only when something public changes, which a
contributor's draft or the review queue's contents are not. This one is kept in the cache, as
the authorization generation is (accounts.permissions), because a work page reads it on every
view: the entry it keeps holds the generation it was drawn under, and one round trip brings both.
It moves on to the clock in nanoseconds, not by an increment, so a cache that lost the number
(an eviction, a restart) cannot hand out an old one again, and a page kept under any earlier
number is never served.

Bumping. Saves, deletions and link changes of the tracker's models, and of users, move it on
through model signals (work_row_changed), and every call of public_data_changed() (the
set-based writes of public data) does too. Each write moves it on at once, so that what the
writing transaction reads next (a test's, which never commits) is drawn afresh, and the
transaction moves it on once more when it commits: a page drawn between the two, from data not
yet committed, is then never served. A cache of the process's own (local memory) never hears of
another process's bumps, so there a work page is kept for GENERATION_SECONDS only (kept_seconds).
"""

import time

from django.core.cache import cache
from django.db import connection, transaction

GENERATION_KEY = "tracker:work-generation"
# Link models also written as models of their own (the services and the admin create and delete
# memberships), not only through their field's add() and remove().
WRITTEN_DIRECTLY = {"membership"}


def _move_on() -> None:
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def _pending_in_this_transaction() -> bool:
    """Whether a bump already waits for this transaction's commit. One registered in a
    savepoint that was rolled back is gone (Django drops it); one still waiting is dropped only
    with a savepoint that encloses the caller's write too."""
    return any(func is _move_on for _savepoints, func, _robust in connection.run_on_commit)


def work_data_changed() -> None:
    """Move the generation on now and when the current transaction commits."""
    _move_on()
    if connection.in_atomic_block and not _pending_in_this_transaction():
        # robust: the data is committed whatever happens; a failed bump leaves work pages as
        # they were until their entries expire.
        transaction.on_commit(_move_on, robust=True)
    # Outside a transaction the write is already committed: the bump above came after it.


def work_generation(found: dict) -> int:
    """The current generation, from `found` (the answer of a get_many that asked for
    GENERATION_KEY beside what it reads) or, when the cache has none, a new one."""
    number = found.get(GENERATION_KEY)
    if number is None:  # a new cache, or one that lost it: nothing kept before is served
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        number = cache.get(GENERATION_KEY)
    return number


def work_models(app_config) -> list:
    """The app's models whose rows a work page may show: all but link tables (their changes
    arrive as m2m_changed of the models they link; a receiver of their deletions would also stop
    Django deleting them in bulk), model history and the generation."""
    through = {
        field.remote_field.through
        for model in app_config.get_models()
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.model_name not in WRITTEN_DIRECTLY
    }
    return [
        model
        for model in app_config.get_models()
        if model not in through
        and model._meta.model_name != "publicgeneration"
        and not model._meta.model_name.startswith("historical")
    ]


def work_row_changed(sender, action="", update_fields=None, **kwargs) -> None:
    """post_save, post_delete and m2m_changed receiver for work_models() and the users (whose
    names the admin's lists show)."""
    if action.startswith("pre_"):  # a link change is announced before it is made too
        return
    if update_fields is not None and set(update_fields) <= {"last_login"}:  # a sign-in
        return
    work_data_changed()
