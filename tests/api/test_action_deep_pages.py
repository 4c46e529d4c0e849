"""The API's list of actions without a token pages from what the database keeps, as the public
list does (tracker.action_pages): each page holds what counting and skipping rows gives, in its
order, with the same count; a token's list, which sees more, still counts its own rows."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gcm_tracker.tracker import enums, selectors
from gcm_tracker.tracker.action_count_models import PublishedActionCount
from tests import factories

from .conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions():
    """Seven published actions a day apart, of two types, two in Thailand; a draft."""
    thailand = factories.CountryFactory(iso3="THA")
    start = timezone.now() - datetime.timedelta(days=10)
    for day in range(7):
        factories.PublishedActionFactory(
            published_at=start + datetime.timedelta(days=day),
            action_type=[enums.ActionType.TRAINING, enums.ActionType.ADVOCACY][day % 2],
            countries=[thailand] if day in (2, 5) else None,
        )
    return factories.FollowUpActionFactory()


def _pages(client, query: dict) -> tuple[int, list[int]]:
    first = client.get("/api/v1/actions/", {**query, "page_size": 2}).json()
    keys, page = [], 1
    while True:
        response = client.get("/api/v1/actions/", {**query, "page_size": 2, "page": page})
        if response.status_code == 404:
            return first["count"], keys
        keys += [row["id"] for row in response.json()["results"]]
        page += 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [({}, 7), ({"action_type": "advocacy"}, 3), ({"country": "THA"}, 2)],
)
def test_every_page_without_a_token_is_what_counting_gives(api, actions, query, expected):
    rows = selectors.action_list()
    if query.get("action_type"):
        rows = rows.filter(action_type=query["action_type"])
    if query.get("country"):
        rows = rows.filter(countries__iso3=query["country"])

    assert _pages(api, query) == (expected, [action.pk for action in rows])


def test_the_count_without_a_token_is_the_kept_one(api, actions):
    # A kept count set wrong shows (repair_counts mends it): the list reads it, not a COUNT.
    PublishedActionCount.objects.filter(facet="type", value="advocacy").update(count=40)

    assert api.get("/api/v1/actions/", {"action_type": "advocacy"}).json()["count"] == 40


def test_a_tokens_list_counts_its_own_rows(actions, staff):
    PublishedActionCount.objects.filter(facet="type", value="advocacy").update(count=40)
    reviewer = token_client(staff)
    actions.review_state = enums.ReviewState.SUBMITTED
    actions.submitted_at = timezone.now()
    actions.save()

    listed = reviewer.get("/api/v1/actions/", {"action_type": "training"}).json()
    advocacy = reviewer.get("/api/v1/actions/", {"action_type": "advocacy"}).json()

    # The submitted action (training, the factory's) first, then the four published ones.
    assert (listed["count"], listed["results"][0]["id"]) == (5, actions.pk)
    assert advocacy["count"] == 3


@pytest.mark.parametrize(
    "query", [{"country": "THA"}, {"country": "THA", "action_type": "advocacy"}]
)
def test_without_a_token_the_filters_are_read_once(api, actions, query):
    # The filters' own queries (the country they name) run once: the list pages from the
    # filterset it filtered with, not from one built and checked again.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = api.get("/api/v1/actions/", query)

    statements = [query["sql"] for query in captured.captured_queries]
    assert response.status_code == 200
    assert [s for s in statements if statements.count(s) > 1] == []
