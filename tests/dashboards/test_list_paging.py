"""Issue 13: the stakeholder and consultation lists are paginated and filterable."""

import pytest
from django.urls import reverse

from gcm_tracker.tracker.enums import MeetingFormat, StakeholderKind
from tests.factories import (
    ConsultationFactory,
    CountryFactory,
    ObjectiveFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db


def _slugs(response):
    return [row.slug for row in response.context["page"].object_list]


def test_stakeholder_list_filters_by_search_kind_and_country(client):
    thailand = CountryFactory(iso3="THA")
    StakeholderFactory(slug="migrant-forum", name="Migrant Forum Asia", country=thailand)
    StakeholderFactory(slug="law-school", name="Migrant Law School", kind=StakeholderKind.ACADEMIA)
    StakeholderFactory(slug="other", name="Other", country=thailand)
    url = reverse("dashboards:stakeholder-list")

    assert _slugs(client.get(url + "?q=migrant")) == ["migrant-forum", "law-school"]
    assert _slugs(client.get(url + "?q=migrant&kind=academia")) == ["law-school"]
    assert _slugs(client.get(url + "?country=THA")) == ["migrant-forum", "other"]


def test_stakeholder_list_is_paginated(client):
    for n in range(26):
        StakeholderFactory(slug=f"org-{n:02}", name=f"Org {n:02}")

    first = client.get(reverse("dashboards:stakeholder-list"))
    second = client.get(reverse("dashboards:stakeholder-list") + "?page=2")

    assert (len(_slugs(first)), _slugs(second)) == (25, ["org-25"])
    assert "Page 1 of 2" in first.content.decode()


def test_consultation_list_filters_by_search_objective_and_format(client):
    objective = ObjectiveFactory(number=13)
    ConsultationFactory(slug="bangkok", title="Bangkok meeting").objectives.add(objective)
    ConsultationFactory(slug="online", title="Online meeting", format=MeetingFormat.HYBRID)
    url = reverse("dashboards:consultation-list")

    assert _slugs(client.get(url + "?q=meeting")) == ["bangkok", "online"]
    assert _slugs(client.get(url + "?objective=13")) == ["bangkok"]
    assert _slugs(client.get(url + "?format=hybrid")) == ["online"]


@pytest.mark.parametrize("name", ["stakeholder-list", "consultation-list"])
def test_an_invalid_filter_answers_400_without_rows(client, name):
    StakeholderFactory()
    ConsultationFactory()

    response = client.get(reverse(f"dashboards:{name}") + "?q=" + "x" * 501)

    assert response.status_code == 400
    assert _slugs(response) == []
