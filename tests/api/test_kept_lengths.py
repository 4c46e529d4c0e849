"""Issue 13: the API's list of recommendations filtered by a country, an organisation or
statuses alone takes its length from the rows the database keeps for it, as the public list
does (RecommendationFilter.kept_count()), not from a COUNT of the recommendations; any other
filter counts them. The length equals the rows the list holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gcm_tracker.tracker.enums import RecommendationStatus
from gcm_tracker.tracker.models import CountryRecommendation, Recommendation
from tests.factories import (
    CountryFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StakeholderFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/recommendations/"
COUNTED = 'SELECT COUNT(*) AS "__count" FROM "tracker_recommendation"'


@pytest.fixture
def listed(staff):
    """Five recommendations: two implemented, one with limited progress, two without
    information; published actions by "org" in Thailand about the first three."""
    thailand = CountryFactory(iso3="THA")
    organisation = StakeholderFactory(slug="org")
    recommendations = RecommendationFactory.create_batch(5)
    for recommendation, status in zip(
        recommendations,
        [RecommendationStatus.IMPLEMENTED] * 2 + [RecommendationStatus.LIMITED],
        strict=False,
    ):
        set_status(recommendation, staff, new_status=status)
    PublishedActionFactory(
        lead_stakeholder=organisation, countries=[thailand], recommendations=recommendations[:3]
    )
    return thailand


def _listed(client, query) -> tuple[int, int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        body = client.get(URL, query).json()
    counted = [q["sql"] for q in queries if q["sql"].startswith(COUNTED)]
    return body["count"], len(body["results"]), counted


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "THA"}, 3),
        ({"stakeholder": "org"}, 3),
        ({"status": "implemented"}, 2),
        ({"status": ["implemented", "no_information"]}, 4),
        ({"status": "implemented", "sort": "-updated"}, 2),
    ],
)
def test_a_country_an_organisation_or_statuses_alone_read_the_kept_length(
    client, listed, query, expected
):
    assert _listed(client, query) == (expected, expected, [])


def test_other_filters_count_the_recommendations(client, listed):
    count, rows, counted = _listed(client, {"country": "THA", "status": "implemented"})

    assert (count, rows, len(counted)) == (2, 2, 1)


def test_the_length_is_the_kept_one(client, listed):
    # A kept row set wrong shows (repair_counts mends it): the length is not counted.
    CountryRecommendation.objects.create(
        country=listed, recommendation=Recommendation.objects.last(), action_count=1
    )

    assert _listed(client, {"country": "THA"})[0] == 4
