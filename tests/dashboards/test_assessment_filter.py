"""The FilterSet of published country assessments (the API and the matrix downloads use it)."""

import pytest

from gcm_tracker.tracker.enums import AssessmentVoice, RecommendationStatus, Subregion
from gcm_tracker.tracker.filters import AssessmentFilter
from gcm_tracker.tracker.models import Assessment
from tests.factories import (
    AssessmentFactory,
    CivilSocietyAssessmentFactory,
    CountryFactory,
    ObjectiveFactory,
    RecommendationFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db


def _filtered(**data):
    filterset = AssessmentFilter(data, queryset=Assessment.objects.order_by("pk"))
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs)


@pytest.fixture
def cells():
    tha = CountryFactory(iso3="THA", subregion=Subregion.SOUTH_EAST_ASIA)
    npl = CountryFactory(iso3="NPL", subregion=Subregion.SOUTH_SOUTH_WEST_ASIA)
    on_13 = RecommendationFactory(objectives=[ObjectiveFactory(number=13)])
    on_4 = RecommendationFactory(objectives=[ObjectiveFactory(number=4)])
    org = StakeholderFactory(slug="org")
    return {
        "tha_13": AssessmentFactory(recommendation=on_13, country=tha),
        "npl_13": AssessmentFactory(
            recommendation=on_13, country=npl, status=RecommendationStatus.NOT_STARTED
        ),
        "tha_4_cs": CivilSocietyAssessmentFactory(
            recommendation=on_4, country=tha, stakeholder=org
        ),
    }


def test_assessment_filter_by_each_field(cells):
    reference = cells["tha_13"].recommendation.reference

    assert _filtered(country="THA") == [cells["tha_13"], cells["tha_4_cs"]]
    assert _filtered(subregion=Subregion.SOUTH_SOUTH_WEST_ASIA) == [cells["npl_13"]]
    assert _filtered(objective=13) == [cells["tha_13"], cells["npl_13"]]
    assert _filtered(recommendation=reference) == [cells["tha_13"], cells["npl_13"]]
    assert _filtered(voice=AssessmentVoice.CIVIL_SOCIETY) == [cells["tha_4_cs"]]
    assert _filtered(status=[RecommendationStatus.NOT_STARTED]) == [cells["npl_13"]]
    assert _filtered(stakeholder="org") == [cells["tha_4_cs"]]


def test_assessment_filter_rejects_an_unknown_country(cells):
    filterset = AssessmentFilter({"country": "XXX"}, queryset=Assessment.objects.all())

    assert filterset.is_valid() is False
    assert list(filterset.errors) == ["country"]
