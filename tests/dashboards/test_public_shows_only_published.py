"""Drafts, submitted and returned actions must not leak into anything public."""

import csv
import io
import json

import pytest
from django.urls import reverse

from gcm_tracker.tracker.enums import ReviewState
from tests.factories import (
    CountryFactory,
    FollowUpActionFactory,
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StakeholderFactory,
)

from .pages import download_body, headline_figures

pytestmark = pytest.mark.django_db

HIDDEN_STATES = [ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED]


@pytest.fixture
def world():
    """One published action, and one hidden action per unpublished state, each in its own
    country and by its own organisation, all about the same recommendation."""
    objective = ObjectiveFactory(number=13)
    recommendation = RecommendationFactory(objectives=[objective])
    published = PublishedActionFactory(
        title="Published visible action",
        recommendations=[recommendation],
        countries=[CountryFactory(iso3="THA", short_name="Thailand")],
        lead_stakeholder=StakeholderFactory(slug="visible-org", name="Visible Org"),
    )
    hidden = [
        FollowUpActionFactory(
            title=f"Secret {state} action",
            review_state=state,
            review_note="Needs evidence." if state == ReviewState.RETURNED else "",
            recommendations=[recommendation],
            countries=[CountryFactory(iso3=f"HX{'ABC'[index]}", short_name=f"Hidden land {index}")],
            lead_stakeholder=StakeholderFactory(slug=f"hidden-org-{index}", name="Hidden Org"),
        )
        for index, state in enumerate(HIDDEN_STATES)
    ]
    return {"recommendation": recommendation, "published": published, "hidden": hidden}


def _public_urls(world):
    recommendation = world["recommendation"]
    return [
        reverse("dashboards:dashboard"),
        reverse("dashboards:recommendation-list"),
        reverse("dashboards:recommendation-detail", args=[recommendation.reference]),
        reverse("dashboards:objective-detail", args=[13]),
        reverse("dashboards:country-list"),
        reverse("dashboards:country-detail", args=["HXA"]),
        reverse("dashboards:stakeholder-list"),
        reverse("dashboards:stakeholder-detail", args=["hidden-org-1"]),
        reverse("dashboards:consultation-detail", args=[recommendation.consultation.slug]),
        reverse("dashboards:action-list"),
        reverse("dashboards:feed-actions"),
        reverse("dashboards:feed-objective-actions", args=[13]),
        reverse("dashboards:feed-country-actions", args=["HXC"]),
    ]


def test_no_public_page_or_feed_shows_an_unpublished_action(client, world):
    leaks = {}
    for url in _public_urls(world):
        content = client.get(url).content.decode()
        found = [a.title for a in world["hidden"] if a.title in content]
        if found:
            leaks[url] = found

    assert leaks == {}
    actions_page = client.get(reverse("dashboards:action-list")).content.decode()
    assert "Published visible action" in actions_page


def test_public_counts_count_only_published_actions(client, world):
    dashboard = client.get(reverse("dashboards:dashboard"))
    listing = client.get(reverse("dashboards:recommendation-list")).context
    stakeholders = {
        s.slug: (s.led_action_count, s.partner_action_count)
        for s in client.get(reverse("dashboards:stakeholder-list")).context["page"].object_list
    }
    countries = client.get(reverse("dashboards:country-list")).context["rows"]

    # Headline figures: tracked, with progress, actions, countries, organisations, not updated.
    assert headline_figures(dashboard)[2:5] == ["1", "1", "1"]
    assert [r.published_action_count for r in listing["page"].object_list] == [1]
    assert stakeholders == {
        "visible-org": (1, 0),
        "hidden-org-0": (0, 0),
        "hidden-org-1": (0, 0),
        "hidden-org-2": (0, 0),
    }
    assert {row.country.iso3: row.country.published_action_count for row in countries} == {
        "THA": 1,
        "HXA": 0,
        "HXB": 0,
        "HXC": 0,
    }


def test_hidden_country_shows_no_actions(client, world):
    response = client.get(reverse("dashboards:country-detail", args=["HXB"]))

    assert list(response.context["actions"]) == []


def test_downloads_count_only_published_actions(client, world):
    csv_response = client.get(reverse("dashboards:recommendation-export", args=["csv"]))
    json_response = client.get(reverse("dashboards:recommendation-export", args=["json"]))

    rows = list(csv.DictReader(io.StringIO(download_body(csv_response).decode())))
    data = json.loads(download_body(json_response))
    assert [r["published_actions"] for r in rows] == ["1"]
    assert [r["published_actions"] for r in data["recommendations"]] == [1]


@pytest.mark.parametrize(("has_actions", "expected"), [("true", 1), ("false", 0)])
def test_has_actions_filter_ignores_unpublished_actions(client, world, has_actions, expected):
    RecommendationFactory()  # a second recommendation, without any action

    response = client.get(reverse("dashboards:recommendation-list"), {"has_actions": has_actions})

    references = [r.reference for r in response.context["page"].object_list]
    assert len(references) == 1
    assert (references[0] == world["recommendation"].reference) == bool(expected)


@pytest.mark.parametrize("iso3", ["HXA", "HXB", "HXC"])
def test_country_filter_does_not_reveal_unpublished_actions(client, world, iso3):
    response = client.get(reverse("dashboards:recommendation-list"), {"country": iso3})

    assert list(response.context["page"].object_list) == []
