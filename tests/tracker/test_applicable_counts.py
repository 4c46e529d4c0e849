"""How many recommendations apply to a country (country_selectors.applicable_counts and the
country map's figures), computed without reading every recommendation, against the definition
(tracker.scope.recommendations_applicable_to) on every kind of scope."""

from collections import Counter

import pytest

from gcm_tracker.tracker import country_selectors
from gcm_tracker.tracker.enums import EscapMembership, RecommendationScope
from gcm_tracker.tracker.models import Recommendation, RecommendationObjective
from gcm_tracker.tracker.scope import recommendations_applicable_to, selected_naming
from gcm_tracker.tracker.services import recommendation_set_scope
from tests.factories import CountryFactory, ObjectiveFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(staff):
    """Thailand and Viet Nam (South-East Asia), Nepal, and Qatar (not a member); recommendations
    of objectives 13 and 4 in every scope, one naming both Thailand and its subregion."""
    countries = {
        "THA": CountryFactory(iso3="THA", subregion="south_east_asia"),
        "VNM": CountryFactory(iso3="VNM", subregion="south_east_asia"),
        "NPL": CountryFactory(iso3="NPL", subregion="south_south_west_asia"),
        "QAT": CountryFactory(iso3="QAT", subregion="", membership=EscapMembership.NON_MEMBER),
    }
    o13, o4 = ObjectiveFactory(number=13), ObjectiveFactory(number=4)
    RecommendationFactory(objectives=[o13])
    RecommendationFactory(objectives=[o13, o4])
    RecommendationFactory(objectives=[])
    scopes = [
        (["south_east_asia"], [countries["THA"]], [o13]),
        ([], [countries["NPL"], countries["QAT"]], [o4]),
        (["south_south_west_asia"], [], [o13, o4]),
        (None, [], [o13]),  # regional
    ]
    for subregions, named, objectives in scopes:
        recommendation_set_scope(
            recommendation=RecommendationFactory(objectives=objectives),
            scope=RecommendationScope.REGIONAL
            if subregions is None
            else RecommendationScope.SELECTED,
            subregions=subregions or [],
            countries=named,
            changed_by=staff,
        )
    return countries


def _defined(country):
    applicable = Recommendation.objects.filter(recommendations_applicable_to(country))
    per_objective = Counter(
        RecommendationObjective.objects.filter(recommendation__in=applicable).values_list(
            "objective_id", flat=True
        )
    )
    return applicable.count(), dict(per_objective)


@pytest.mark.parametrize("iso3", ["THA", "VNM", "NPL", "QAT"])
def test_applicable_counts_match_the_scope_definition(world, iso3):
    country = world[iso3]

    counted = country_selectors.applicable_counts(country)

    assert (counted.total, counted.per_objective) == _defined(country)


def test_applicable_counts_in_numbers(world):
    # ESCAP-wide 3; Thailand also the one naming it and its subregion (counted once).
    assert country_selectors.applicable_counts(world["THA"]).total == 4
    assert country_selectors.applicable_counts(world["NPL"]).total == 5
    assert country_selectors.applicable_counts(world["QAT"]).total == 1


def test_country_map_counts_match_the_scope_definition(world):
    figures = {f.country.iso3: f.applicable for f in country_selectors.country_figures()}

    assert figures == {iso3: _defined(world[iso3])[0] for iso3 in ("THA", "VNM", "NPL")}


@pytest.mark.parametrize(("iso3", "expected"), [("THA", 1), ("VNM", 1), ("NPL", 2), ("QAT", 1)])
def test_selected_naming_is_the_selected_part_of_the_definition(world, iso3, expected):
    # Qatar has no subregion: the areas naming a country (whose subregion is blank) never match it.
    country = world[iso3]
    defined = Recommendation.objects.filter(recommendations_applicable_to(country)).filter(
        scope=RecommendationScope.SELECTED
    )

    named = set(selected_naming(country).values_list("pk", flat=True))

    assert named == set(defined.values_list("pk", flat=True))
    assert len(named) == expected
