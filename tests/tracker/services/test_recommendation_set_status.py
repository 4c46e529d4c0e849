import datetime
import itertools
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.models import Recommendation, StatusChange
from gcm_tracker.tracker.services import StatusConflict
from tests.factories import RecommendationFactory, StaffFactory
from tests.factories import set_status as _set

pytestmark = pytest.mark.django_db


def _history(recommendation):
    return list(
        StatusChange.objects.filter(recommendation=recommendation)
        .order_by("id")
        .values_list("old_status", "new_status")
    )


def test_recommendation_set_status_records_history_row(staff):
    recommendation = RecommendationFactory()

    change = _set(
        recommendation,
        staff,
        evidence_url="https://example.org/plan.pdf",
        effective_date=datetime.date(2021, 3, 10),
    )

    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.version) == (Status.LIMITED, 1)
    assert recommendation.status_changed_at == change.changed_at
    assert (
        change.old_status,
        change.new_status,
        change.reason,
        change.evidence_url,
        change.effective_date,
        change.changed_by,
    ) == (
        Status.NO_INFORMATION,
        Status.LIMITED,
        "The national action plan now covers it.",
        "https://example.org/plan.pdf",
        datetime.date(2021, 3, 10),
        staff,
    )


def test_recommendation_set_status_updates_the_callers_instance(staff):
    recommendation = RecommendationFactory()

    _set(recommendation, staff)

    assert (recommendation.status, recommendation.version) == (Status.LIMITED, 1)


def test_recommendation_set_status_defaults_effective_date_to_today(staff):
    change = _set(RecommendationFactory(), staff)

    assert change.effective_date == timezone.localdate()


def test_recommendation_set_status_is_noop_when_unchanged(staff):
    recommendation = RecommendationFactory()

    result = _set(recommendation, staff, new_status=Status.NO_INFORMATION)

    recommendation.refresh_from_db()
    assert result is None
    assert (recommendation.status, recommendation.version) == (Status.NO_INFORMATION, 0)
    assert _history(recommendation) == []


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_recommendation_set_status_without_reason_is_refused(staff, reason):
    recommendation = RecommendationFactory()

    with pytest.raises(ValidationError) as refused:
        _set(recommendation, staff, reason=reason)

    assert refused.value.message_dict == {"reason": ["Give the reason for this status change."]}
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.version, _history(recommendation)) == (
        Status.NO_INFORMATION,
        0,
        [],
    )


def test_recommendation_set_status_to_unknown_status_is_refused(staff):
    recommendation = RecommendationFactory()

    with pytest.raises(ValidationError) as refused:
        _set(recommendation, staff, new_status="finished")

    assert refused.value.message_dict == {
        "new_status": [
            "“finished” is not a status. Choose one of: No information, Not started, "
            "Limited progress, Substantial progress, Implemented."
        ]
    }
    assert _history(recommendation) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "evidence_url",
            "javascript:alert(1)",
            "Enter a full web address starting with http:// or https://.",
        ),
        (
            "evidence_url",
            "ftp://example.org/report.pdf",
            "Enter a full web address starting with http:// or https://.",
        ),
        (
            "effective_date",
            timezone.localdate() + datetime.timedelta(days=1),
            "The effective date cannot be in the future.",
        ),
        (
            "effective_date",
            datetime.date(2020, 11, 18),
            "The effective date cannot be before the consultation that made the recommendation.",
        ),
    ],
)
def test_recommendation_set_status_with_bad_details_is_refused(staff, field, value, message):
    recommendation = RecommendationFactory()

    with pytest.raises(ValidationError) as refused:
        _set(recommendation, staff, **{field: value})

    assert refused.value.message_dict == {field: [message]}
    assert _history(recommendation) == []


def test_recommendation_set_status_from_stale_version_is_refused(staff):
    recommendation = RecommendationFactory()
    stale_copy = Recommendation.objects.get(pk=recommendation.pk)
    first = _set(recommendation, staff, new_status=Status.NOT_STARTED)

    with pytest.raises(StatusConflict) as refused:
        _set(stale_copy, staff, new_status=Status.IMPLEMENTED, expected_version=0)

    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.version) == (Status.NOT_STARTED, 1)
    assert _history(recommendation) == [(Status.NO_INFORMATION, Status.NOT_STARTED)]
    assert (refused.value.current.status, refused.value.last_change) == (Status.NOT_STARTED, first)
    assert str(refused.value) == (
        f"Recommendation {recommendation.reference} was changed by someone else while you were "
        "editing it: its status is now “Not started”. Nothing was saved; review the current "
        "status and try again."
    )


def test_recommendation_set_status_by_user_without_permission_is_refused(outsider):
    recommendation = RecommendationFactory()

    with pytest.raises(PermissionDenied):
        _set(recommendation, outsider)

    assert _history(recommendation) == []


def test_recommendation_set_status_chains_history(staff):
    recommendation = RecommendationFactory()

    for status in [Status.NOT_STARTED, Status.LIMITED, Status.SUBSTANTIAL, Status.LIMITED]:
        _set(recommendation, staff, new_status=status)

    assert _history(recommendation) == [
        (Status.NO_INFORMATION, Status.NOT_STARTED),
        (Status.NOT_STARTED, Status.LIMITED),
        (Status.LIMITED, Status.SUBSTANTIAL),
        (Status.SUBSTANTIAL, Status.LIMITED),
    ]
    assert recommendation.version == 4


THREADS = 20
ROUNDS = 5
TARGETS = [Status.NOT_STARTED, Status.LIMITED, Status.SUBSTANTIAL, Status.IMPLEMENTED]


@pytest.mark.django_db(transaction=True)
def test_recommendation_set_status_concurrent_changes_form_an_unbroken_chain():
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locking under concurrency is tested on PostgreSQL, the production database"
        )
    recommendation = RecommendationFactory()
    staff = StaffFactory()
    start = threading.Barrier(THREADS)
    outcomes = []

    def change_status(index):
        # Each thread reads the row and changes it from what it saw, several times over, so some
        # attempts win and others find the row changed under them.
        try:
            start.wait()
            for round_ in range(ROUNDS):
                seen = Recommendation.objects.get(pk=recommendation.pk)
                offset = (index + round_) % len(TARGETS)
                target = next(s for s in TARGETS[offset:] + TARGETS if s != seen.status)
                try:
                    _set(seen, staff, new_status=target, expected_version=seen.version)
                    outcomes.append("changed")
                except StatusConflict:
                    outcomes.append("conflict")
        except Exception as error:  # any other outcome is the failure this test reports
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=change_status, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(set(outcomes)) <= ["changed", "conflict"], outcomes
    assert len(outcomes) == THREADS * ROUNDS
    history = _history(recommendation)
    assert len(history) == outcomes.count("changed") > 1
    assert history[0][0] == Status.NO_INFORMATION
    assert all(older[1] == newer[0] for older, newer in itertools.pairwise(history))
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.version) == (history[-1][1], len(history))
