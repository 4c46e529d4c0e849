"""The assessments' derived flags (services.assessment_flags): `in_scope` and, on official rows,
`disagreed_at`, kept true by every write path and checked and repaired by
check_assessment_counts."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from gcm_tracker.tracker.enums import AssessmentVoice, RecommendationScope
from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.models import Assessment
from gcm_tracker.tracker.services import official_assessments_import, recommendation_set_scope
from gcm_tracker.tracker.services.assessment_flags import (
    assessment_flags_refresh,
    assessment_flags_wrong,
)
from tests.factories import (
    CountryFactory,
    RecommendationFactory,
    publish_civil_society,
    record_official,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell(db):
    return RecommendationFactory(reference="r-87", paragraph=87), CountryFactory(
        iso3="THA", subregion="south_east_asia"
    )


def _official(recommendation, country) -> Assessment:
    return Assessment.objects.get(
        recommendation=recommendation, country=country, voice=AssessmentVoice.OFFICIAL
    )


def _civil_society(recommendation, country) -> Assessment:
    return Assessment.objects.get(
        recommendation=recommendation, country=country, voice=AssessmentVoice.CIVIL_SOCIETY
    )


def test_a_far_civil_society_assessment_marks_the_official_one_at_its_time(
    cell, staff, contributor_a
):
    recommendation, country = cell
    record_official(recommendation, country, staff, status=Status.IMPLEMENTED)
    assert _official(*cell).disagreed_at is None

    publish_civil_society(recommendation, country, contributor_a, staff, status=Status.LIMITED)

    civil_society = _civil_society(*cell)
    official = _official(*cell)
    assert official.disagreed_at == civil_society.recorded_at > official.recorded_at
    assert civil_society.disagreed_at is None
    assert assessment_flags_wrong() == 0


def test_one_level_apart_or_no_information_is_no_disagreement(cell, staff, contributor_a):
    recommendation, country = cell
    record_official(recommendation, country, staff, status=Status.SUBSTANTIAL)
    publish_civil_society(recommendation, country, contributor_a, staff, status=Status.LIMITED)
    assert _official(*cell).disagreed_at is None

    record_official(recommendation, country, staff, status=Status.NO_INFORMATION)
    publish_civil_society(recommendation, country, contributor_a, staff, status=Status.IMPLEMENTED)

    assert _official(*cell).disagreed_at is None


def test_the_official_voice_moving_starts_and_ends_a_disagreement(cell, staff, contributor_a):
    recommendation, country = cell
    publish_civil_society(recommendation, country, contributor_a, staff, status=Status.LIMITED)
    record_official(recommendation, country, staff, status=Status.IMPLEMENTED)

    official = _official(*cell)
    # The official assessment is the later of the two: the disagreement dates from it.
    assert official.disagreed_at == official.recorded_at

    record_official(recommendation, country, staff, status=Status.SUBSTANTIAL)

    assert _official(*cell).disagreed_at is None
    assert assessment_flags_wrong() == 0


def test_the_import_keeps_the_disagreement(cell, staff, contributor_a):
    recommendation, country = cell
    publish_civil_society(recommendation, country, contributor_a, staff, status=Status.NOT_STARTED)

    result = official_assessments_import(
        rows=[
            {
                "reference": "r-87",
                "iso3": "THA",
                "status": "Implemented",
                "effective_date": "2024-03-01",
                "source_title": "Voluntary GCM review 2024",
                "source_url": "https://example.org/review.pdf",
                "summary": "The action plan covers it.",
            }
        ],
        recorded_by=staff,
        dry_run=False,
    )

    assert result.ok
    official = _official(*cell)
    assert official.disagreed_at == official.recorded_at
    assert assessment_flags_wrong() == 0


def test_a_scope_change_moves_in_scope_both_ways(cell, staff):
    recommendation, country = cell
    nepal = CountryFactory(iso3="NPL", subregion="south_south_west_asia")
    record_official(recommendation, country, staff)
    record_official(recommendation, nepal, staff)
    assert list(Assessment.objects.order_by("country__iso3").values_list("in_scope")) == [
        (True,),
        (True,),
    ]

    recommendation_set_scope(
        recommendation=recommendation,
        scope=RecommendationScope.SELECTED,
        subregions=["south_east_asia"],
        changed_by=staff,
    )

    assert dict(Assessment.objects.values_list("country__iso3", "in_scope")) == {
        "NPL": False,
        "THA": True,
    }

    recommendation_set_scope(
        recommendation=recommendation, scope=RecommendationScope.REGIONAL, changed_by=staff
    )
    assert dict(Assessment.objects.values_list("country__iso3", "in_scope")) == {
        "NPL": False,
        "THA": False,
    }

    recommendation_set_scope(
        recommendation=recommendation, scope=RecommendationScope.ESCAP, changed_by=staff
    )
    assert dict(Assessment.objects.values_list("country__iso3", "in_scope")) == {
        "NPL": True,
        "THA": True,
    }
    assert assessment_flags_wrong() == 0


def test_refresh_rewrites_only_what_differs(cell, staff, contributor_a):
    recommendation, country = cell
    record_official(recommendation, country, staff, status=Status.NOT_STARTED)
    publish_civil_society(recommendation, country, contributor_a, staff, status=Status.IMPLEMENTED)

    assert assessment_flags_refresh() == 0
    right = _official(*cell).disagreed_at
    Assessment.objects.update(in_scope=False, disagreed_at=None)
    assert assessment_flags_wrong() == 2
    assert assessment_flags_wrong(recommendation_ids=[recommendation.pk + 1]) == 0

    assert assessment_flags_refresh(recommendation_ids=[recommendation.pk]) == 2

    assert _official(*cell).disagreed_at == right
    assert set(Assessment.objects.values_list("in_scope", flat=True)) == {True}


def _check(*args):
    out = io.StringIO()
    call_command("check_assessment_counts", *args, stdout=out)
    return out.getvalue()


def test_check_assessment_counts_finds_and_repairs_wrong_flags(cell, staff, contributor_a):
    recommendation, country = cell
    record_official(recommendation, country, staff, status=Status.NOT_STARTED)
    publish_civil_society(recommendation, country, contributor_a, staff, status=Status.IMPLEMENTED)
    right = _official(*cell).disagreed_at
    Assessment.objects.filter(voice=AssessmentVoice.OFFICIAL).update(
        disagreed_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    Assessment.objects.filter(voice=AssessmentVoice.CIVIL_SOCIETY).update(in_scope=False)
    out = io.StringIO()

    with pytest.raises(CommandError) as failed:
        call_command("check_assessment_counts", stdout=out)

    assert str(failed.value) == "0 roll-up rows and 2 assessments differ; run with --repair."
    assert out.getvalue() == "2 assessments have a wrong scope or disagreement flag.\n"
    assert _check("--repair") == (
        "2 assessments' scope or disagreement flags repaired.\n0 roll-up rows repaired.\n"
    )
    assert _official(*cell).disagreed_at == right
    assert _civil_society(*cell).in_scope is True
    assert _check() == "The roll-ups and flags match the assessments.\n"
