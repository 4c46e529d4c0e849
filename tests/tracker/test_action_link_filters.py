"""The list of actions filtered by two or three of its link filters (a recommendation, a country,
an organisation) chooses the actions linked to all of them, whatever way the filter finds them:
on PostgreSQL one list of the keys the links have in common (ActionFilter.filter_queryset), on
SQLite each filter in turn."""

import datetime
import itertools

import pytest
from django.db import connection

from gcm_tracker.tracker import enums, selectors
from gcm_tracker.tracker.filters import ActionFilter
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked():
    """Published actions for every lead (A, B), partner (none or the other), set of countries
    and recommendation, each at its own moment; a draft of each lead in both countries."""
    thailand, fiji = factories.CountryFactory(iso3="THA"), factories.CountryFactory(iso3="FJI")
    a, b = factories.StakeholderFactory(slug="org-a"), factories.StakeholderFactory(slug="org-b")
    first, second = factories.RecommendationFactory(), factories.RecommendationFactory()
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    actions = []
    combinations = itertools.product(
        [a, b], [False, True], [[thailand], [fiji], [thailand, fiji]], [first, second]
    )
    for i, (lead, partnered, countries, recommendation) in enumerate(combinations):
        partners = [b if lead == a else a] if partnered else []
        action = factories.PublishedActionFactory(
            lead_stakeholder=lead,
            partners=partners,
            countries=countries,
            recommendations=[recommendation],
            published_at=start + datetime.timedelta(hours=i),
            progress=[enums.ActionProgress.ONGOING, enums.ActionProgress.COMPLETED][i % 2],
        )
        actions.append((action, {lead, *partners}, set(countries), recommendation))
    for lead in (a, b):
        factories.FollowUpActionFactory(
            lead_stakeholder=lead, countries=[thailand, fiji], recommendations=[first]
        )
    return {"THA": thailand, "FJI": fiji, "org-a": a, "org-b": b}, first, actions


def _expected(actions, chosen, names) -> list[int]:
    """The keys of the published actions linked to every chosen one, newest first."""
    keys = [
        action.pk
        for action, organisations, countries, recommendation in actions
        if ("country" not in chosen or names[chosen["country"]] in countries)
        and ("stakeholder" not in chosen or names[chosen["stakeholder"]] in organisations)
        and ("recommendation" not in chosen or recommendation.reference == chosen["recommendation"])
        and ("progress" not in chosen or action.progress == chosen["progress"])
    ]
    return list(reversed(keys))


CHOICES = [
    {"country": "THA", "stakeholder": "org-a"},
    {"country": "FJI", "stakeholder": "org-b"},
    {"country": "THA", "recommendation": None},
    {"stakeholder": "org-b", "recommendation": None},
    {"country": "FJI", "stakeholder": "org-a", "recommendation": None},
    {"country": "THA", "stakeholder": "org-b", "progress": enums.ActionProgress.COMPLETED},
]


@pytest.mark.parametrize("choice", CHOICES)
def test_two_or_three_link_filters_choose_the_actions_linked_to_all(linked, choice):
    names, first, actions = linked
    data = {name: value or first.reference for name, value in choice.items()}
    filterset = ActionFilter(data, queryset=selectors.published_actions())

    assert filterset.is_valid(), filterset.errors
    found = list(filterset.qs.order_by("-published_at", "-id").values_list("pk", flat=True))
    assert found == _expected(actions, data, names)
    assert found  # every choice above matches some action: the test tells an empty list apart


@pytest.mark.parametrize("choice", CHOICES)
def test_the_public_list_pages_them_newest_first(client, linked, choice):
    names, first, actions = linked
    data = {name: value or first.reference for name, value in choice.items()}

    response = client.get("/actions/", data)

    assert response.status_code == 200
    assert [action.pk for action in response.context["page"]] == _expected(actions, data, names)


def test_on_postgresql_the_link_filters_are_one_list_of_keys(linked):
    """One key array in common, not one array per filter (PostgreSQL 15 scanned the primary
    key for every pair of their keys: 2.8 s for Thailand and an organisation at 2,000,000)."""
    if connection.vendor != "postgresql":
        pytest.skip("the key arrays are PostgreSQL's (selectors.key_among)")
    _names, first, _actions = linked
    data = {"country": "THA", "stakeholder": "org-a", "recommendation": first.reference}
    filterset = ActionFilter(data, queryset=selectors.published_actions())
    assert filterset.is_valid(), filterset.errors

    sql = str(filterset.qs.query)

    assert sql.count("ANY(ARRAY(") == 1
    assert sql.count("INTERSECT") == 2
