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
"""

from __future__ import annotations

import datetime

from .cache import _stored_generation
from .changes import ChangeFilters, DistributionAsOf, distribution_as_of
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
