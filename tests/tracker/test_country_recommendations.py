"""Issue 13: the recommendations acted on in each country (CountryRecommendation) are kept on
publishing, checked and repaired by repair_counts (migration 0055 fills them), and give the list
of recommendations filtered by a country the very recommendations its published actions there
are about, without reading the action links."""

import importlib
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from gcm_tracker.tracker import selectors, services
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.filters import RecommendationFilter
from gcm_tracker.tracker.models import (
    CountryRecommendation,
    Recommendation,
    StakeholderRecommendation,
)
from gcm_tracker.tracker.services.counts import summary_count_drift
from tests.factories import (
    CountryFactory,
    FollowUpActionFactory,
    PublishedActionFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("gcm_tracker.tracker.migrations.0055_country_recommendations")


# What the `acted_on` fixture's published actions make: (country, recommendation, actions).
COUNTED = [("NPL", "r-1", 1), ("NPL", "r-2", 1), ("THA", "r-1", 2), ("THA", "r-2", 1)]


def _rows():
    return sorted(
        CountryRecommendation.objects.values_list(
            "country__iso3", "recommendation__reference", "action_count"
        )
    )


@pytest.fixture
def acted_on(staff):
    """Thailand and Nepal: a submitted action about r-1 and r-2 in both, published through the
    service; an action about r-1 in Thailand published by the factory (which counts it as the
    service does); drafts, submitted and returned actions about r-3 in both, which count
    nowhere; r-4 acted on nowhere."""
    thailand, nepal = CountryFactory(iso3="THA"), CountryFactory(iso3="NPL")
    first, second, third = (RecommendationFactory(reference=f"r-{n}") for n in (1, 2, 3))
    RecommendationFactory(reference="r-4")
    action = FollowUpActionFactory(
        countries=[thailand, nepal],
        recommendations=[first, second],
        review_state=ReviewState.SUBMITTED,
    )
    services.follow_up_action_publish(action=action, reviewer=staff)
    PublishedActionFactory(countries=[thailand], recommendations=[first])
    for state in (ReviewState.DRAFT, ReviewState.SUBMITTED):
        FollowUpActionFactory(
            countries=[thailand, nepal], recommendations=[third], review_state=state
        )
    FollowUpActionFactory(
        countries=[nepal],
        recommendations=[third],
        review_state=ReviewState.RETURNED,
        review_note="Add evidence.",
    )
    return thailand, nepal


def test_publishing_counts_the_action_for_each_country_and_recommendation(acted_on):
    assert _rows() == COUNTED
    assert summary_count_drift() == []


@pytest.mark.parametrize(("iso3", "expected"), [("THA", ["r-1", "r-2"]), ("NPL", ["r-1", "r-2"])])
def test_the_list_by_a_country_is_what_its_published_actions_are_about(acted_on, iso3, expected):
    country = next(c for c in acted_on if c.iso3 == iso3)
    filterset = RecommendationFilter({"country": iso3}, queryset=Recommendation.objects.all())
    assert filterset.is_valid()
    reference = selectors.recommendations_acted_on(selectors.actions_in(country))

    listed = sorted(filterset.qs.values_list("reference", flat=True))

    assert listed == sorted(reference.values_list("reference", flat=True)) == expected
    assert "tracker_actioncountry" not in str(filterset.qs.query)


def _listed(response) -> list[str]:
    return sorted(
        re.findall(r'class="ref" href="/recommendations/(r-\d)/"', response.content.decode())
    )


def test_the_public_list_by_a_country_shows_them(client, acted_on):
    CountryFactory(iso3="FJI")
    url = reverse("dashboards:recommendation-list")

    assert _listed(client.get(url, {"country": "THA"})) == ["r-1", "r-2"]
    assert _listed(client.get(url, {"country": "FJI"})) == []
    assert _listed(client.get(url)) == ["r-1", "r-2", "r-3", "r-4"]


def test_repair_counts_finds_and_repairs_wrong_missing_and_extra_rows(acted_on):
    thailand, nepal = acted_on
    CountryRecommendation.objects.filter(country=thailand, recommendation__reference="r-1").update(
        action_count=7
    )
    CountryRecommendation.objects.filter(country=nepal, recommendation__reference="r-2").delete()
    CountryRecommendation.objects.create(
        country=CountryFactory(iso3="FJI"),
        recommendation=Recommendation.objects.get(reference="r-4"),
        action_count=1,
    )

    with pytest.raises(CommandError, match="3 summary counts are wrong"):
        call_command("repair_counts", check=True, stdout=io.StringIO())
    out = io.StringIO()
    call_command("repair_counts", stdout=out)

    assert sorted(out.getvalue().splitlines()) == [
        "CountryRecommendation FJI r-4: was 1, now 0",
        "CountryRecommendation NPL r-2: was 0, now 1",
        "CountryRecommendation THA r-1: was 7, now 2",
        "Repaired 3 summary counts.",
    ]
    assert _rows() == COUNTED
    assert summary_count_drift() == []


def test_the_migration_fills_the_table(acted_on):
    CountryRecommendation.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(MIGRATION.FILL)

    assert _rows() == COUNTED


def test_a_country_or_an_organisation_alone_is_counted_from_its_kept_rows(client, acted_on):
    def kept(form):
        filterset = RecommendationFilter(form, queryset=Recommendation.objects.all())
        assert filterset.is_valid()
        return filterset.kept_count()

    # The organisation that led the action about r-1 and r-2 (the only one about r-2).
    lead = StakeholderRecommendation.objects.get(recommendation__reference="r-2").stakeholder
    assert kept({"country": "THA"}) == kept({"country": "THA", "sort": "status"}) == 2
    assert kept({"stakeholder": lead.slug}) == 2
    assert kept({"country": "THA", "objective": ""}) == 2
    assert kept({"country": "THA", "q": "water"}) is None
    assert kept({"country": "THA", "stakeholder": lead.slug}) is None
    assert kept({}) is None
    # The page's length is the kept one: a kept row set wrong shows (repair_counts mends it).
    CountryRecommendation.objects.create(
        country=acted_on[0],
        recommendation=Recommendation.objects.get(reference="r-4"),
        action_count=1,
    )
    response = client.get(reverse("dashboards:recommendation-list"), {"country": "THA"})
    assert response.context["page"].paginator.count == 3
