import datetime
import itertools
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from gcm_tracker.tracker.cache import public_generation
from gcm_tracker.tracker.enums import AssessmentVoice, RecommendationScope
from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.models import Assessment, AssessmentChange
from gcm_tracker.tracker.services import AssessmentConflict, recommendation_set_scope
from gcm_tracker.tracker.services.assessment_counts import expected_counts, stored_counts
from tests.factories import CountryFactory, RecommendationFactory, StaffFactory, record_official

pytestmark = pytest.mark.django_db


def _cell(recommendation, country):
    return list(
        Assessment.objects.filter(recommendation=recommendation, country=country).values_list(
            "voice", "status", "version"
        )
    )


def _history(recommendation, country):
    return list(
        AssessmentChange.objects.filter(
            assessment__recommendation=recommendation, assessment__country=country
        )
        .order_by("id")
        .values_list("old_status", "status")
    )


def test_assessment_record_official_records_cell_and_history(staff):
    recommendation, thailand = RecommendationFactory(), CountryFactory(iso3="THA")

    change = record_official(recommendation, thailand, staff, reason="From the 2024 review.")

    assessment = change.assessment
    assert (
        assessment.voice,
        assessment.stakeholder,
        assessment.status,
        assessment.version,
        assessment.summary,
        assessment.source_title,
        assessment.source_url,
        assessment.effective_date,
        assessment.recorded_at,
    ) == (
        AssessmentVoice.OFFICIAL,
        None,
        Status.SUBSTANTIAL,
        1,
        "The national action plan covers it and is funded.",
        "Voluntary GCM review 2024",
        "https://example.org/gcm-review.pdf",
        datetime.date(2024, 3, 1),
        change.changed_at,
    )
    assert (change.old_status, change.status, change.reason, change.changed_by) == (
        "",
        Status.SUBSTANTIAL,
        "From the 2024 review.",
        staff,
    )


def test_assessment_record_official_second_change_appends_history(staff):
    recommendation, thailand = RecommendationFactory(), CountryFactory(iso3="THA")
    record_official(recommendation, thailand, staff)

    record_official(recommendation, thailand, staff, status=Status.IMPLEMENTED, expected_version=1)

    assert _cell(recommendation, thailand) == [(AssessmentVoice.OFFICIAL, Status.IMPLEMENTED, 2)]
    assert _history(recommendation, thailand) == [
        ("", Status.SUBSTANTIAL),
        (Status.SUBSTANTIAL, Status.IMPLEMENTED),
    ]


@pytest.mark.parametrize("expected_version", [None, 0, 2])
def test_assessment_record_official_stale_version_is_refused(staff, expected_version):
    recommendation, thailand = RecommendationFactory(), CountryFactory(iso3="THA")
    first = record_official(recommendation, thailand, staff)

    with pytest.raises(AssessmentConflict) as conflict:
        record_official(
            recommendation,
            thailand,
            staff,
            status=Status.LIMITED,
            expected_version=expected_version,
        )

    assert conflict.value.current == first.assessment
    assert conflict.value.current.status == Status.SUBSTANTIAL
    assert str(conflict.value) == (
        "Someone else changed this assessment while you were editing it: it now says "
        "“Substantial progress”. Nothing was saved; review the current assessment and try again."
    )
    assert _cell(recommendation, thailand) == [(AssessmentVoice.OFFICIAL, Status.SUBSTANTIAL, 1)]
    assert _history(recommendation, thailand) == [("", Status.SUBSTANTIAL)]


def test_assessment_record_official_expecting_a_cell_that_has_none_is_refused(staff):
    recommendation, thailand = RecommendationFactory(), CountryFactory(iso3="THA")

    with pytest.raises(AssessmentConflict) as conflict:
        record_official(recommendation, thailand, staff, expected_version=1)

    assert conflict.value.current is None
    assert _cell(recommendation, thailand) == []


def test_assessment_record_official_is_noop_when_unchanged(staff):
    recommendation, thailand = RecommendationFactory(), CountryFactory(iso3="THA")
    record_official(recommendation, thailand, staff)

    result = record_official(recommendation, thailand, staff, reason="Same again.")

    assert result is None
    assert _cell(recommendation, thailand) == [(AssessmentVoice.OFFICIAL, Status.SUBSTANTIAL, 1)]
    assert _history(recommendation, thailand) == [("", Status.SUBSTANTIAL)]


def test_assessment_record_official_changed_source_alone_is_a_change(staff):
    recommendation, thailand = RecommendationFactory(), CountryFactory(iso3="THA")
    record_official(recommendation, thailand, staff)

    change = record_official(
        recommendation, thailand, staff, source_title="Reply to ESCAP, 2024", expected_version=1
    )

    assert (change.old_status, change.status, change.source_title) == (
        Status.SUBSTANTIAL,
        Status.SUBSTANTIAL,
        "Reply to ESCAP, 2024",
    )
    assert _cell(recommendation, thailand) == [(AssessmentVoice.OFFICIAL, Status.SUBSTANTIAL, 2)]


@pytest.mark.parametrize("persona", ["outsider", "contributor_a"])
def test_assessment_record_official_needs_the_permission(request, persona):
    recommendation, thailand = RecommendationFactory(), CountryFactory(iso3="THA")

    with pytest.raises(PermissionDenied) as refused:
        record_official(recommendation, thailand, request.getfixturevalue(persona))

    assert str(refused.value) == "You are not allowed to record official country assessments."
    assert _cell(recommendation, thailand) == []


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"summary": "  ", "source_title": ""},
            {
                "summary": ["Summarise what the assessment is based on."],
                "source_title": ["Name the source: the report, reply, law or policy."],
            },
        ),
        (
            {"status": "done"},
            {
                "status": [
                    "“done” is not a status. Choose one of: No information, Not started, "
                    "Limited progress, Substantial progress, Implemented."
                ]
            },
        ),
        (
            {"source_url": "javascript:alert(1)"},
            {"source_url": ["Enter a full web address starting with http:// or https://."]},
        ),
        (
            {"source_title": "x" * 301, "source_url": "https://example.org/" + "x" * 481},
            {
                "source_title": ["Keep it to 300 characters."],
                "source_url": ["Keep it to 500 characters."],
            },
        ),
        (
            {"effective_date": timezone.localdate() + datetime.timedelta(days=1)},
            {"effective_date": ["The effective date cannot be in the future."]},
        ),
        (
            {"effective_date": datetime.date(2020, 11, 18)},
            {
                "effective_date": [
                    "The effective date cannot be before the consultation that made the "
                    "recommendation."
                ]
            },
        ),
        (
            {"source_date": timezone.localdate() + datetime.timedelta(days=1)},
            {"source_date": ["The source date cannot be in the future."]},
        ),
    ],
)
def test_assessment_record_official_bad_content_is_refused(staff, overrides, errors):
    recommendation, thailand = RecommendationFactory(), CountryFactory(iso3="THA")

    with pytest.raises(ValidationError) as refused:
        record_official(recommendation, thailand, staff, **overrides)

    assert refused.value.message_dict == errors
    assert _cell(recommendation, thailand) == []


def test_assessment_record_official_outside_scope_is_refused(staff):
    recommendation = RecommendationFactory(reference="c-89", paragraph=89)
    thailand = CountryFactory(iso3="THA")
    recommendation_set_scope(
        recommendation=recommendation, scope=RecommendationScope.REGIONAL, changed_by=staff
    )

    with pytest.raises(ValidationError) as refused:
        record_official(recommendation, thailand, staff)

    assert refused.value.message_dict == {
        "country": [
            "Recommendation c-89 does not apply to Country THA, so it cannot be assessed there."
        ]
    }
    assert _cell(recommendation, thailand) == []


def test_assessment_record_official_invalidates_public_pages_on_commit(
    staff, django_capture_on_commit_callbacks
):
    recommendation, thailand = RecommendationFactory(), CountryFactory(iso3="THA")
    before = public_generation()

    with django_capture_on_commit_callbacks() as callbacks:
        record_official(recommendation, thailand, staff)
    unchanged_until_commit = public_generation()
    for callback in callbacks:
        callback()

    assert unchanged_until_commit == before
    assert public_generation() > before


def test_assessment_record_official_keeps_roll_ups_true(staff):
    recommendation, thailand = RecommendationFactory(), CountryFactory(iso3="THA")
    nepal = CountryFactory(iso3="NPL", subregion="south_south_west_asia")
    objective = recommendation.objectives.get()
    record_official(recommendation, thailand, staff)
    record_official(recommendation, nepal, staff)

    record_official(recommendation, nepal, staff, status=Status.LIMITED, expected_version=1)

    official = AssessmentVoice.OFFICIAL
    assert stored_counts() == expected_counts()
    assert stored_counts() == {
        (recommendation.pk, None, None, official, Status.SUBSTANTIAL): 1,
        (recommendation.pk, None, None, official, Status.LIMITED): 1,
        (None, thailand.pk, None, official, Status.SUBSTANTIAL): 1,
        (None, nepal.pk, None, official, Status.LIMITED): 1,
        (None, thailand.pk, objective.pk, official, Status.SUBSTANTIAL): 1,
        (None, nepal.pk, objective.pk, official, Status.LIMITED): 1,
    }


def test_assessment_change_is_append_only(staff):
    change = record_official(RecommendationFactory(), CountryFactory(iso3="THA"), staff)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AssessmentChange.objects.filter(pk=change.pk).update(status=Status.IMPLEMENTED)

    assert AssessmentChange.objects.get(pk=change.pk).status == Status.SUBSTANTIAL


def test_assessment_change_cannot_be_deleted_on_postgresql(staff):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite blocks updates only (see migration 0010)")
    change = record_official(RecommendationFactory(), CountryFactory(iso3="THA"), staff)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AssessmentChange.objects.filter(pk=change.pk).delete()

    assert AssessmentChange.objects.filter(pk=change.pk).count() == 1


THREADS = 10
ROUNDS = 4
TARGETS = [Status.NOT_STARTED, Status.LIMITED, Status.SUBSTANTIAL, Status.IMPLEMENTED]


@pytest.mark.django_db(transaction=True)
def test_assessment_record_official_concurrent_edits_form_an_unbroken_chain():
    if connection.vendor != "postgresql":
        pytest.skip("row locking under concurrency is tested on PostgreSQL")
    recommendation, thailand = RecommendationFactory(), CountryFactory(iso3="THA")
    staff = StaffFactory()
    start = threading.Barrier(THREADS)
    outcomes = []

    def record(index):
        # Every thread starts from "no assessment" (the first write races on creating the row),
        # then edits from what it saw, so some attempts win and others find the cell changed.
        try:
            start.wait()
            for round_ in range(ROUNDS):
                seen = Assessment.objects.filter(
                    recommendation=recommendation, country=thailand
                ).first()
                status = TARGETS[(index + round_) % len(TARGETS)]
                if seen is not None and seen.status == status:
                    status = TARGETS[(index + round_ + 1) % len(TARGETS)]
                try:
                    record_official(
                        recommendation,
                        thailand,
                        staff,
                        status=status,
                        expected_version=None if seen is None else seen.version,
                    )
                    outcomes.append("changed")
                except AssessmentConflict:
                    outcomes.append("conflict")
        except Exception as error:  # any other outcome is the failure this test reports
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(set(outcomes)) <= ["changed", "conflict"], outcomes
    history = _history(recommendation, thailand)
    assert len(history) == outcomes.count("changed") > 1
    assert history[0][0] == ""
    assert all(older[1] == newer[0] for older, newer in itertools.pairwise(history))
    assessment = Assessment.objects.get(recommendation=recommendation, country=thailand)
    assert (assessment.status, assessment.version) == (history[-1][1], len(history))
    assert stored_counts() == expected_counts()


def test_assessment_record_official_refuses_control_characters_and_writes_nothing(staff):
    # As for actions (issue 14, item 12): a source title goes into feeds, e-mails and CSV cells.
    recommendation, thailand = RecommendationFactory(), CountryFactory(iso3="THA")

    with pytest.raises(ValidationError) as refused:
        record_official(
            recommendation,
            thailand,
            staff,
            source_title="Voluntary review\r\nBcc: someone@example.org",
            summary="Adopted.\x00",
        )

    assert sorted(refused.value.message_dict) == ["source_title", "summary"]
    assert (_cell(recommendation, thailand), _history(recommendation, thailand)) == ([], [])
