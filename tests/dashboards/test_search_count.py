"""Issue 13: the list of recommendations with a search counts its matches up to a limit
(RecommendationFilter.SEARCH_COUNT_LIMIT): past it, it says there are more than that many,
pages that many, and runs no COUNT of every match (a word in a third of 200,000
recommendations took 46 ms to count)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gcm_tracker.tracker.filters import RecommendationFilter
from tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db

URL = reverse("dashboards:recommendation-list")


@pytest.fixture
def matches():
    """Four recommendations about water, two about housing."""
    for n in range(4):
        RecommendationFactory(text=f"Governments should give migrants clean water ({n}).")
    for n in range(2):
        RecommendationFactory(text=f"Governments should house migrants decently ({n}).")


def _get(client, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, query)
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    return response, counts


def test_past_the_limit_the_list_says_more_than_and_pages_that_many(client, matches, monkeypatch):
    monkeypatch.setattr(RecommendationFilter, "SEARCH_COUNT_LIMIT", 3)

    response, counts = _get(client, {"q": "water"})

    page = response.context["page"]
    assert (response.context["more_than"], page.paginator.count, len(page)) == (3, 3, 3)
    content = response.content.decode()
    assert "More than 3 recommendations match the search" in content
    # Not counted in full, so the downloads are offered with what they take at most.
    assert "Download this list:" in content
    assert "A download takes at most 10,000 rows" in content
    # One count, of at most the limit and one more.
    assert len(counts) == 1
    assert "LIMIT 4" in counts[0]


@pytest.mark.parametrize(("query", "expected"), [({"q": "water"}, 4), ({"q": "house"}, 2), ({}, 6)])
def test_up_to_the_limit_every_match_is_counted(client, matches, monkeypatch, query, expected):
    monkeypatch.setattr(RecommendationFilter, "SEARCH_COUNT_LIMIT", 4)

    response, _ = _get(client, query)

    assert response.context["more_than"] is None
    assert response.context["page"].paginator.count == len(response.context["page"]) == expected
    assert f"{expected} recommendations" in response.content.decode()
    assert "A download takes at most" not in response.content.decode()
