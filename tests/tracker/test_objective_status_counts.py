"""The objective breakdown's summary table (ObjectiveStatusCount), kept by database triggers,
equals a live count of links by objective and status after every kind of write: links added one
by one and in bulk, status changes through the service and in bulk, links removed, a
recommendation deleted."""

import pytest
from django.db.models import Count

from gcm_tracker.tracker.models import (
    ObjectiveStatusCount,
    Recommendation,
    RecommendationObjective,
)
from tests.factories import ObjectiveFactory, RecommendationFactory, StaffFactory, set_status

pytestmark = pytest.mark.django_db


def _summary() -> dict[tuple[int, str], int]:
    return {
        (row.objective.number, row.status): row.count
        for row in ObjectiveStatusCount.objects.select_related("objective")
        if row.count
    }


def _live() -> dict[tuple[int, str], int]:
    rows = RecommendationObjective.objects.values_list(
        "objective__number", "recommendation__status"
    ).annotate(n=Count("*"))
    return {(number, status): n for number, status, n in rows}


def test_summary_follows_every_kind_of_write():
    four, eight, thirteen = (ObjectiveFactory(number=n) for n in (4, 8, 13))
    first = RecommendationFactory(objectives=[four, thirteen])
    second = RecommendationFactory(objectives=[thirteen])
    checkpoints = [_summary() == _live()]

    set_status(first, StaffFactory(), new_status="implemented")
    checkpoints.append(_summary() == _live())
    Recommendation.objects.filter(pk=second.pk).update(status="not_started")
    checkpoints.append(_summary() == _live())
    second.objectives.add(eight, four)
    checkpoints.append(_summary() == _live())
    first.objectives.remove(thirteen)
    checkpoints.append(_summary() == _live())
    third = RecommendationFactory(objectives=[four])
    RecommendationObjective.objects.bulk_create(
        RecommendationObjective(recommendation=third, objective=o) for o in (eight, thirteen)
    )
    checkpoints.append(_summary() == _live())
    second.delete()
    checkpoints.append(_summary() == _live())

    assert checkpoints == [True] * 7
    assert _summary() == {
        (4, "implemented"): 1,
        (4, "no_information"): 1,
        (8, "no_information"): 1,
        (13, "no_information"): 1,
    }


def test_a_write_that_changes_no_status_leaves_the_summary():
    objective = ObjectiveFactory(number=4)
    recommendation = RecommendationFactory(objectives=[objective])

    Recommendation.objects.filter(pk=recommendation.pk).update(text="Edited text.")

    assert _summary() == {(4, "no_information"): 1}
