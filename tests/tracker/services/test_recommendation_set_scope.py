import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gcm_tracker.tracker.enums import AssessmentVoice, EscapMembership, RecommendationScope
from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.models import Assessment, Recommendation
from gcm_tracker.tracker.scope import (
    applicable_countries,
    assessments_in_scope,
    is_applicable,
    recommendations_applicable_to,
)
from gcm_tracker.tracker.services import recommendation_set_scope
from gcm_tracker.tracker.services.assessment_counts import expected_counts, stored_counts
from tests.factories import CountryFactory, RecommendationFactory, record_official

pytestmark = pytest.mark.django_db

SELECTED, REGIONAL, ESCAP = (
    RecommendationScope.SELECTED,
    RecommendationScope.REGIONAL,
    RecommendationScope.ESCAP,
)


@pytest.fixture
def countries(db):
    """Thailand and Viet Nam (South-East Asia), Nepal (South Asia), Fiji (Pacific) and Qatar
    (not an ESCAP member, no subregion)."""
    return {
        "THA": CountryFactory(iso3="THA", subregion="south_east_asia"),
        "VNM": CountryFactory(iso3="VNM", subregion="south_east_asia"),
        "NPL": CountryFactory(iso3="NPL", subregion="south_south_west_asia"),
        "FJI": CountryFactory(iso3="FJI", subregion="pacific"),
        "QAT": CountryFactory(iso3="QAT", subregion="", membership=EscapMembership.NON_MEMBER),
    }


def _applicable(recommendation):
    return sorted(applicable_countries(recommendation).values_list("iso3", flat=True))


def test_recommendation_set_scope_narrows_to_subregions_and_countries(staff, countries):
    recommendation = RecommendationFactory()

    recommendation_set_scope(
        recommendation=recommendation,
        scope=SELECTED,
        subregions=["south_east_asia"],
        countries=[countries["FJI"], countries["QAT"]],
        changed_by=staff,
    )

    assert recommendation.scope == SELECTED
    assert _applicable(recommendation) == ["FJI", "QAT", "THA", "VNM"]
    history = recommendation.history.first()
    assert (history.scope, history.history_user) == (SELECTED, staff)


@pytest.mark.parametrize(
    ("scope", "subregions", "named", "expected"),
    [
        (ESCAP, [], [], ["FJI", "NPL", "THA", "VNM"]),
        (REGIONAL, [], [], []),
        (SELECTED, ["pacific"], ["NPL"], ["FJI", "NPL"]),
        (SELECTED, [], ["QAT"], ["QAT"]),
    ],
)
def test_scope_readers_agree_on_every_country(staff, countries, scope, subregions, named, expected):
    recommendation = RecommendationFactory()
    recommendation_set_scope(
        recommendation=recommendation,
        scope=scope,
        subregions=subregions,
        countries=[countries[iso3] for iso3 in named],
        changed_by=staff,
    )
    for country in countries.values():
        Assessment.objects.create(
            recommendation=recommendation,
            country=country,
            voice=AssessmentVoice.OFFICIAL,
            status=Status.LIMITED,
            summary="Direct row: only to compare the readers.",
            effective_date="2024-01-01",
        )

    by_python = sorted(c.iso3 for c in countries.values() if is_applicable(recommendation, c))
    by_country_filter = sorted(
        c.iso3
        for c in countries.values()
        if Recommendation.objects.filter(recommendations_applicable_to(c)).exists()
    )
    by_assessment_filter = sorted(
        Assessment.objects.filter(assessments_in_scope()).values_list("country__iso3", flat=True)
    )

    assert _applicable(recommendation) == expected
    assert (by_python, by_country_filter, by_assessment_filter) == (expected, expected, expected)


def test_recommendation_set_scope_rebuilds_roll_ups(staff, countries):
    recommendation = RecommendationFactory()
    objective = recommendation.objectives.get()
    record_official(recommendation, countries["THA"], staff)
    record_official(recommendation, countries["NPL"], staff, status=Status.LIMITED)

    recommendation_set_scope(
        recommendation=recommendation,
        scope=SELECTED,
        subregions=["south_east_asia"],
        changed_by=staff,
    )

    official = AssessmentVoice.OFFICIAL
    assert stored_counts() == expected_counts()
    assert stored_counts() == {
        (recommendation.pk, None, None, official, Status.SUBSTANTIAL): 1,
        (None, countries["THA"].pk, None, official, Status.SUBSTANTIAL): 1,
        (None, countries["THA"].pk, objective.pk, official, Status.SUBSTANTIAL): 1,
    }
    # Nepal's assessment is kept, no longer counted, and counted again once back in scope.
    recommendation_set_scope(recommendation=recommendation, scope=ESCAP, changed_by=staff)
    assert sum(stored_counts().values()) == 6
    assert stored_counts() == expected_counts()


@pytest.mark.parametrize(
    ("scope", "subregions", "errors"),
    [
        (SELECTED, [], {"scope": ["Choose at least one subregion or country it applies to."]}),
        (
            REGIONAL,
            ["pacific"],
            {"scope": ["Subregions and countries are chosen only for a selected scope."]},
        ),
        (
            "world",
            [],
            {"scope": ["Choose which countries the recommendation applies to."]},
        ),
        (SELECTED, ["atlantis"], {"subregions": ["“atlantis” is not a subregion."]}),
    ],
)
def test_recommendation_set_scope_bad_scope_is_refused(staff, scope, subregions, errors):
    recommendation = RecommendationFactory()

    with pytest.raises(ValidationError) as refused:
        recommendation_set_scope(
            recommendation=recommendation, scope=scope, subregions=subregions, changed_by=staff
        )

    assert refused.value.message_dict == errors
    recommendation.refresh_from_db()
    assert (recommendation.scope, recommendation.scope_areas.count()) == (ESCAP, 0)


def test_recommendation_set_scope_is_noop_when_unchanged(staff):
    recommendation = RecommendationFactory()
    recommendation_set_scope(
        recommendation=recommendation, scope=SELECTED, subregions=["pacific"], changed_by=staff
    )
    versions = recommendation.history.count()

    recommendation_set_scope(
        recommendation=recommendation, scope=SELECTED, subregions=["pacific"], changed_by=staff
    )

    assert recommendation.history.count() == versions


def test_recommendation_set_scope_needs_the_permission(contributor_a):
    recommendation = RecommendationFactory()

    with pytest.raises(PermissionDenied):
        recommendation_set_scope(
            recommendation=recommendation, scope=REGIONAL, changed_by=contributor_a
        )

    recommendation.refresh_from_db()
    assert recommendation.scope == ESCAP
