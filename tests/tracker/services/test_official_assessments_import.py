import datetime

import pytest
from django.core.exceptions import PermissionDenied

from gcm_tracker.tracker.enums import RecommendationScope
from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.models import Assessment, AssessmentChange
from gcm_tracker.tracker.services import official_assessments_import, recommendation_set_scope
from gcm_tracker.tracker.services.assessment_counts import expected_counts, stored_counts
from tests.factories import CountryFactory, RecommendationFactory, record_official

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(db):
    """Two recommendations and Thailand; one cell already has an official assessment."""
    first = RecommendationFactory(reference="r-87", paragraph=87)
    second = RecommendationFactory(reference="r-88", paragraph=88)
    CountryFactory(iso3="THA")
    CountryFactory(iso3="NPL", subregion="south_south_west_asia")
    return first, second


def _row(**overrides):
    return {
        "reference": "r-87",
        "iso3": "THA",
        "status": "Substantial progress",
        "effective_date": "2024-03-01",
        "source_title": "Voluntary GCM review 2024",
        "source_url": "https://example.org/review.pdf",
        "summary": "The action plan covers it.",
    } | overrides


def _official():
    return sorted(
        Assessment.objects.values_list("recommendation__reference", "country__iso3", "status")
    )


def test_official_assessments_import_dry_run_writes_nothing(report, staff):
    record_official(report[0], CountryFactory(iso3="THA"), staff, status=Status.LIMITED)

    result = official_assessments_import(
        rows=[
            _row(),
            _row(iso3="npl", status="limited_progress"),
            _row(reference="r-88", status="Implemented"),
        ],
        recorded_by=staff,
        dry_run=True,
    )

    assert (result.ok, result.written, result.errors) == (True, False, {})
    assert [
        (r.number, r.recommendation.reference, r.country.iso3, r.outcome) for r in result.rows
    ] == [
        (1, "r-87", "THA", "changed"),
        (2, "r-87", "NPL", "new"),
        (3, "r-88", "THA", "new"),
    ]
    assert result.counts() == {"new": 2, "changed": 1, "unchanged": 0}
    assert _official() == [("r-87", "THA", Status.LIMITED)]


def test_official_assessments_import_writes_every_row_in_one_go(report, staff):
    result = official_assessments_import(
        rows=[_row(), _row(iso3="NPL", status="Not started")], recorded_by=staff, dry_run=False
    )

    assert (result.ok, result.written) == (True, True)
    assert _official() == [("r-87", "NPL", Status.NOT_STARTED), ("r-87", "THA", Status.SUBSTANTIAL)]
    assert [row.change.changed_by for row in result.rows] == [staff, staff]
    assert result.rows[0].change.effective_date == datetime.date(2024, 3, 1)
    assert stored_counts() == expected_counts()
    # Two assessments, each counted per recommendation, per country and per country and objective.
    assert sum(stored_counts().values()) == 6


def test_official_assessments_import_skips_unchanged_rows(report, staff):
    official_assessments_import(rows=[_row()], recorded_by=staff, dry_run=False)

    result = official_assessments_import(rows=[_row()], recorded_by=staff, dry_run=False)

    assert [(row.outcome, row.change) for row in result.rows] == [("unchanged", None)]
    assert AssessmentChange.objects.count() == 1


def test_official_assessments_import_with_one_bad_row_writes_nothing(report, staff):
    recommendation_set_scope(
        recommendation=report[1], scope=RecommendationScope.REGIONAL, changed_by=staff
    )

    result = official_assessments_import(
        rows=[
            _row(),
            _row(reference="r-99", iso3="XXX", effective_date="1 March"),
            _row(iso3="NPL", status="Half done", source_title="", source_url="ftp://x"),
            _row(),
            _row(reference="r-88"),
        ],
        recorded_by=staff,
        dry_run=False,
    )

    assert (result.ok, result.written) == (False, False)
    assert result.errors == {
        2: {
            "reference": "No recommendation has the reference “r-99”.",
            "iso3": "No country has the ISO code “XXX”.",
            "effective_date": "“1 March” is not a date; write it as YYYY-MM-DD.",
        },
        3: {
            "status": "“Half done” is not a status. Choose one of: No information, Not started, "
            "Limited progress, Substantial progress, Implemented.",
            "source_title": "Name the source: the report, reply, law or policy.",
            "source_url": "Enter a full web address starting with http:// or https://.",
        },
        4: {
            "iso3": "Row 1 already assesses this recommendation there.",
        },
        5: {
            "country": "Recommendation r-88 does not apply to Country THA, so it cannot be "
            "assessed there.",
        },
    }
    assert _official() == []
    assert stored_counts() == {}


def test_official_assessments_import_of_nothing_is_an_error(staff):
    result = official_assessments_import(rows=[], recorded_by=staff, dry_run=False)

    assert result.errors == {0: {"rows": "The report has no rows."}}


def test_official_assessments_import_needs_the_permission(report, contributor_a):
    with pytest.raises(PermissionDenied):
        official_assessments_import(rows=[_row()], recorded_by=contributor_a, dry_run=False)

    assert _official() == []
