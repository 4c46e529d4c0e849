"""The objective bits that follow-up actions and civil-society submissions carry
(`objective_mask`: bit n when the row is about objective n), as a filter condition and as the
partial indexes of the review queue.

A queue filtered by an objective is read in its order (oldest submission first) and each row's
bits tested; where the objective is rare among the oldest submissions, that walk is long (at
N = 200,000 the synthetic queue's first 25 actions about objective 13 lay among its 5,525
oldest). One small partial index per objective holds only the submitted rows about it, in queue
order, so such a page, or a bounded count read in the queue's order (workspace.paging), reads
its own entries and nothing else. The GCM has 23 objectives (the objectives table
checks the numbers), so there are 23 per queue.
"""

from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThan

from .enums import ReviewState

# The GCM's objectives are numbered 1 to 23; Objective.number's validators and check take the
# range from here.
OBJECTIVE_NUMBERS = range(1, 24)


def bit(number: int) -> int:
    return 1 << number


def about_objective(number: int, field: str = "objective_mask") -> GreaterThan:
    """A filter condition on actions or submissions (or on country links, by their copy of
    their action's bits, `field` "action_objective_mask"): one of the row's recommendations is
    under objective `number`. A test of the row itself, so a list walked in its index's order
    costs no lookup per row. The queue's partial indexes repeat this very condition: PostgreSQL
    uses one only for a query whose condition is written as the index's is."""
    return GreaterThan(F(field).bitand(bit(number)), 0)


def queue_indexes(prefix: str) -> list[models.Index]:
    """For each objective, the submitted rows about it in queue order (submitted_at, id), named
    `<prefix>_o<number>`."""
    return _per_objective(prefix, ReviewState.SUBMITTED, ["submitted_at", "id"])


def published_indexes(prefix: str, include: list[str]) -> list[models.Index]:
    """For each objective, the published rows about it, newest first (the public list's order),
    with the columns `include` names, named `<prefix>_o<number>`: a page and the count of the
    list filtered by an objective (and by what those columns hold) read its entries alone (a
    count of the published rows about it walked all of them)."""
    return _per_objective(prefix, ReviewState.PUBLISHED, ["-published_at", "-id"], include)


def _per_objective(
    prefix: str, state: str, fields: list[str], include: list[str] | None = None
) -> list[models.Index]:
    return [
        models.Index(
            fields=fields,
            condition=Q(review_state=state) & Q(about_objective(number)),
            include=include,
            name=f"{prefix}_o{number}",
        )
        for number in OBJECTIVE_NUMBERS
    ]
