"""The summary counts, checked against a fresh COUNT and repaired (`manage.py repair_counts`).

Two mechanisms keep them, one per kind (models.py's docstrings say which):
- counts of published actions on recommendations, countries and organisations
  (`published_action_count`, `led_action_count`, `partner_action_count`): added to in the
  transaction that publishes an action (actions.published_action_counts_add);
- the objective breakdown (ObjectiveStatusCount): database triggers (migrations 0007 and later).

Every write path goes through those, so the counts never drift; this module is the net under
that promise, for what no test foresaw (a hand-written SQL fix, a restore of part of a table).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, IntegerField, Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from ..cache import public_data_changed
from ..enums import ReviewState
from ..models import (
    ActionCountry,
    ActionPartner,
    ActionRecommendation,
    Country,
    FollowUpAction,
    Objective,
    ObjectiveStatusCount,
    Recommendation,
    RecommendationObjective,
    Stakeholder,
)


@dataclass(frozen=True)
class CountDrift:
    """One summary count that differs from a fresh COUNT."""

    what: str  # e.g. "Stakeholder unicef led_action_count", "ObjectiveStatusCount 13 implemented"
    recorded: int
    fresh: int

    def __str__(self):
        return _("%(what)s: is %(recorded)d, should be %(fresh)d") % {
            "what": self.what,
            "recorded": self.recorded,
            "fresh": self.fresh,
        }


def _fresh(queryset: QuerySet, outer_field: str) -> Coalesce:
    counted = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _published(link_model) -> QuerySet:
    return link_model.objects.filter(action__review_state=ReviewState.PUBLISHED)


@dataclass(frozen=True)
class _Counter:
    model: type[Model]
    field: str
    key: str  # the natural identifier printed in reports
    fresh: Callable[[], Coalesce]


# Every counter kept in Python; the objective breakdown is checked separately (it is a table).
COUNTERS = [
    _Counter(
        Recommendation,
        "published_action_count",
        "reference",
        lambda: _fresh(_published(ActionRecommendation), "recommendation"),
    ),
    _Counter(
        Country,
        "published_action_count",
        "iso3",
        lambda: _fresh(_published(ActionCountry), "country"),
    ),
    _Counter(
        Stakeholder,
        "led_action_count",
        "slug",
        lambda: _fresh(
            FollowUpAction.objects.filter(review_state=ReviewState.PUBLISHED), "lead_stakeholder"
        ),
    ),
    _Counter(
        Stakeholder,
        "partner_action_count",
        "slug",
        lambda: _fresh(_published(ActionPartner), "stakeholder"),
    ),
]


def _counter_drift(counter: _Counter, rows: QuerySet | None = None) -> list[tuple[int, CountDrift]]:
    """(pk, drift) of the rows of `counter` (or of `rows`) whose count is wrong: one query."""
    rows = counter.model.objects.all() if rows is None else rows
    wrong = (
        rows.annotate(fresh_count=counter.fresh())
        .exclude(**{counter.field: F("fresh_count")})
        .order_by("pk")
        .values_list("pk", counter.key, counter.field, "fresh_count")
    )
    return [
        (pk, CountDrift(f"{counter.model.__name__} {key} {counter.field}", recorded, fresh))
        for pk, key, recorded, fresh in wrong
    ]


def _objective_counts() -> tuple[dict[tuple[int, str], int], dict[tuple[int, str], int]]:
    """The breakdown as recorded and as counted afresh, keyed by (objective id, status)."""
    recorded = {
        (objective, status): n
        for objective, status, n in ObjectiveStatusCount.objects.values_list(
            "objective_id", "status", "count"
        )
    }
    fresh = {
        (objective, status): n
        for objective, status, n in RecommendationObjective.objects.order_by()
        .values("objective_id", "recommendation__status")
        .annotate(n=Count("*"))
        .values_list("objective_id", "recommendation__status", "n")
    }
    return recorded, fresh


def _objective_drift() -> list[tuple[tuple[int, str], CountDrift]]:
    recorded, fresh = _objective_counts()
    numbers = dict(Objective.objects.values_list("pk", "number"))
    return [
        (
            key,
            CountDrift(
                f"ObjectiveStatusCount objective {numbers.get(key[0], key[0])} {key[1]}",
                recorded.get(key, 0),
                fresh.get(key, 0),
            ),
        )
        for key in sorted(recorded.keys() | fresh.keys())
        if recorded.get(key, 0) != fresh.get(key, 0)
    ]


def summary_count_drift() -> list[CountDrift]:
    """Every summary count that differs from a fresh COUNT (empty when all are right).

    One query per counter and two for the objective breakdown; each counter's query counts
    every row of its table, so it takes seconds at hundreds of thousands of rows."""
    drift = [d for counter in COUNTERS for _, d in _counter_drift(counter)]
    return drift + [d for _, d in _objective_drift()]


@transaction.atomic
def summary_counts_repair() -> list[CountDrift]:
    """Set every wrong summary count to a fresh COUNT; returns what was wrong (as found).

    The rows found wrong are locked (in primary-key order, the order the triggers and
    published_action_counts_add take them too) and counted again before they are written, so
    an action published or a status changed meanwhile is neither lost nor counted twice: its
    transaction either committed before the lock (and the count sees it) or waits for this
    one (and adds to the repaired count). Moves the public-data generation on if anything
    changed.
    """
    repaired = []
    for counter in COUNTERS:
        wrong = [pk for pk, _ in _counter_drift(counter)]
        if not wrong:
            continue
        locked = counter.model.objects.select_for_update().filter(pk__in=wrong).order_by("pk")
        list(locked.values_list("pk"))
        for pk, drift in _counter_drift(counter, counter.model.objects.filter(pk__in=wrong)):
            counter.model.objects.filter(pk=pk).update(**{counter.field: drift.fresh})
            repaired.append(drift)

    if _objective_drift():
        # Lock the breakdown as the triggers do (objective, then status), then count again.
        list(
            ObjectiveStatusCount.objects.select_for_update()
            .order_by("objective_id", "status")
            .values_list("pk")
        )
        for (objective_id, status), drift in _objective_drift():
            ObjectiveStatusCount.objects.update_or_create(
                objective_id=objective_id, status=status, defaults={"count": drift.fresh}
            )
            repaired.append(drift)
    if repaired:
        public_data_changed()
    return repaired
