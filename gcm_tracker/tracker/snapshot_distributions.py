"""A snapshot's status distribution, counted once and kept on the snapshot.

Counting a distribution "as of" a date reads the whole histories (tracker.changes
.distribution_as_of: about 1.6 s at N = 200,000), too slow for a page. A snapshot names a fixed
date, so its unfiltered distribution is counted when the snapshot is saved (SnapshotAdmin, the
synthetic data) and kept in `Snapshot.distribution`, with the date and the public-data generation
(tracker.cache) it was counted at. The histories are append-only but a correction recorded later
may be back-dated, and a report imported later adds recommendations of a past meeting: every such
write moves the generation on, so a kept distribution is used only while the generation and the
date are those it was counted at, and counted again (and kept) otherwise. The figures are
therefore always exactly those of `distribution_as_of(snapshot.date)`. Filtered comparisons are
counted from the histories each time, as before.

"Now" needs no counting at all: the newest recorded change holds (tracker.changes.AS_OF_ORDER)
and no effective date is in the future, so today's distribution is the current statuses, which
the database keeps summed (ObjectiveStatusCount, AssessmentStatusCount; both exact on every
write path). current_distribution() reads them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from .cache import _stored_generation
from .changes import ChangeFilters, DistributionAsOf, distribution_as_of
from .models import AssessmentStatusCount, Consultation, ObjectiveStatusCount
from .review_models import Snapshot


def as_json(distribution: DistributionAsOf, generation: int) -> dict:
    """`distribution` as kept in Snapshot.distribution (JSON keys are strings)."""
    return {
        "day": distribution.day.isoformat(),
        "generation": generation,
        "by_objective": {str(k): v for k, v in distribution.by_objective.items()},
        "by_country": {str(k): v for k, v in distribution.by_country.items()},
        "by_subregion": distribution.by_subregion,
    }


def from_json(kept: dict) -> DistributionAsOf:
    return DistributionAsOf(
        day=datetime.date.fromisoformat(kept["day"]),
        by_objective={int(k): v for k, v in kept["by_objective"].items()},
        by_country={int(k): v for k, v in kept["by_country"].items()},
        by_subregion=kept["by_subregion"],
    )


def _is_current(snapshot: Snapshot, generation: int) -> bool:
    kept = snapshot.distribution
    return (
        bool(kept) and kept["day"] == snapshot.date.isoformat() and kept["generation"] == generation
    )


def keep_distribution(snapshot: Snapshot) -> DistributionAsOf:
    """Count `snapshot`'s unfiltered distribution and keep it on the snapshot (saved)."""
    generation = _stored_generation()
    distribution = distribution_as_of(snapshot.date)
    snapshot.distribution = as_json(distribution, generation)
    # A queryset update: saving the snapshot's other fields is its editor's business.
    Snapshot.objects.filter(pk=snapshot.pk).update(distribution=snapshot.distribution)
    return distribution


def snapshot_distribution(
    snapshot: Snapshot, filters: ChangeFilters | None = None
) -> DistributionAsOf:
    """The distribution on `snapshot.date`, as distribution_as_of counts it: the kept one when no
    filter narrows it and nothing public changed since it was counted (one query), else counted
    again (and kept, when unfiltered)."""
    if filters is not None and filters != ChangeFilters():
        return distribution_as_of(snapshot.date, filters)
    if _is_current(snapshot, _stored_generation()):
        return from_json(snapshot.distribution)
    return keep_distribution(snapshot)


def current_distribution() -> DistributionAsOf:
    """Today's unfiltered distribution, exactly distribution_as_of(today), read from the roll-ups
    in three small queries instead of counting every recommendation and cell (about 1.2 s at
    N = 200,000). While a consultation is dated after today its recommendations do not exist yet
    by distribution_as_of's reading, which the roll-ups cannot leave out: then it is counted."""
    day = timezone.localdate()
    if Consultation.objects.filter(date__gt=day).exists():
        return distribution_as_of(day)
    by_objective: dict[int, dict[str, int]] = defaultdict(dict)
    for number, status, n in ObjectiveStatusCount.objects.filter(count__gt=0).values_list(
        "objective__number", "status", "count"
    ):
        by_objective[number][status] = n
    by_country: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    by_subregion: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    per_country = AssessmentStatusCount.objects.filter(
        recommendation=None, objective=None, count__gt=0
    ).values_list("country_id", "country__subregion", "voice", "status", "count")
    for country, subregion, voice, status, n in per_country:
        by_country[country][voice][status] = n
        if subregion:
            bucket = by_subregion[subregion][voice]
            bucket[status] = bucket.get(status, 0) + n
    return DistributionAsOf(
        day=day,
        by_objective=dict(by_objective),
        by_country={k: dict(v) for k, v in by_country.items()},
        by_subregion={k: dict(v) for k, v in by_subregion.items()},
    )
