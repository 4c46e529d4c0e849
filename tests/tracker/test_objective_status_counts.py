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


THREADS = 20
CHANGES_PER_THREAD = 10


@pytest.mark.django_db(transaction=True)
def test_hardening_7_twenty_concurrent_status_changes_on_shared_objectives_do_not_deadlock():
    """Issue 14, item 7: twenty threads change the statuses of twenty recommendations, each
    linked to 15 of the 23 objectives (so any two share most of them), all at once. Each status
    change's trigger updates the summary rows of the old and the new status for every objective;
    taken in different orders by two transactions, these rows deadlock and PostgreSQL aborts one
    (before migration 0009, most of the 200 changes failed so). Every change must succeed and
    the summary must equal a live count."""
    import threading

    from django.db import connection

    from gcm_tracker.tracker.enums import RecommendationStatus

    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: nothing can deadlock there")
    objectives = [ObjectiveFactory(number=n) for n in range(1, 24)]
    staff = StaffFactory()
    recommendations = [
        RecommendationFactory(objectives=[objectives[(n * 7 + k * 5) % 23] for k in range(15)])
        for n in range(THREADS)
    ]
    # Every thread walks the statuses other than the initial one, from a different place.
    statuses = RecommendationStatus.values[1:]
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def change_statuses(index: int) -> None:
        recommendation = Recommendation.objects.get(pk=recommendations[index].pk)
        try:
            start.wait(timeout=30)
            for step in range(CHANGES_PER_THREAD):
                new_status = statuses[(index + step) % len(statuses)]
                set_status(recommendation, staff, new_status=new_status)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=change_statuses, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert [repr(error) for error in errors] == []
    assert [thread.is_alive() for thread in threads] == [False] * THREADS
    assert list(Recommendation.objects.order_by("pk").values_list("status", "version")) == [
        (statuses[(n + CHANGES_PER_THREAD - 1) % len(statuses)], CHANGES_PER_THREAD)
        for n in range(THREADS)
    ]
    assert _summary() == _live()
