import io

import pytest
from django.core.management import CommandError, call_command

from gcm_tracker.tracker.enums import AssessmentVoice
from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.management.commands import check_assessment_counts
from gcm_tracker.tracker.models import AssessmentStatusCount
from gcm_tracker.tracker.services.assessment_counts import expected_counts, stored_counts
from tests.factories import CountryFactory, RecommendationFactory, record_official

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommendation(staff):
    recommendation = RecommendationFactory()
    record_official(recommendation, CountryFactory(iso3="THA"), staff)
    return recommendation


def _run(*args):
    out = io.StringIO()
    call_command("check_assessment_counts", *args, stdout=out)
    return out.getvalue()


def test_check_assessment_counts_passes_when_true(recommendation):
    assert _run() == "The roll-ups and flags match the assessments.\n"


def test_check_assessment_counts_reports_and_fails_when_wrong(recommendation):
    AssessmentStatusCount.objects.filter(recommendation=recommendation).update(count=5)
    AssessmentStatusCount.objects.create(
        recommendation=recommendation,
        voice=AssessmentVoice.CIVIL_SOCIETY,
        status=Status.IMPLEMENTED,
        count=2,
    )
    out = io.StringIO()

    with pytest.raises(CommandError) as failed:
        call_command("check_assessment_counts", stdout=out)

    assert str(failed.value) == "2 roll-up rows and 0 assessments differ; run with --repair."
    assert out.getvalue() == (
        f"recommendation {recommendation.pk}, civil_society, implemented: stored 2, "
        "should be 0\n"
        f"recommendation {recommendation.pk}, official, substantial_progress: stored 5, "
        "should be 1\n"
    )


def test_check_assessment_counts_repair_rewrites_them(recommendation):
    right = stored_counts()
    AssessmentStatusCount.objects.all().delete()

    out = _run("--repair")

    assert out == "3 roll-up rows repaired.\n"
    assert stored_counts() == expected_counts() == right
    assert _run() == "The roll-ups and flags match the assessments.\n"


def test_check_assessment_counts_reads_recommendations_a_chunk_at_a_time(
    recommendation, staff, monkeypatch
):
    monkeypatch.setattr(check_assessment_counts, "CHUNK", 1)
    second = RecommendationFactory()
    record_official(second, CountryFactory(iso3="NPL"), staff)
    AssessmentStatusCount.objects.filter(recommendation=second).delete()

    repaired = _run("--repair")

    assert repaired == "1 roll-up rows repaired.\n"
    assert stored_counts() == expected_counts()
