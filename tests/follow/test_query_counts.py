"""The new public pages run a fixed number of queries however many rows they read (1 vs 3)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import (
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
    publish_civil_society,
    record_official,
    set_status,
)

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2024-01-01", "end": "2026-12-31"}


@pytest.fixture
def populate(staff, thailand, organisation_a, contributor_a):
    """Makes `count` recommendations of objective 3, each with a status, both voices' assessments
    of Thailand and a published action."""

    def populate(count):
        objective = ObjectiveFactory(number=3)
        for _ in range(count):
            recommendation = RecommendationFactory(objectives=[objective])
            set_status(recommendation, staff, evidence_url="https://example.org/e")
            record_official(recommendation, thailand, staff)
            publish_civil_society(recommendation, thailand, contributor_a, staff)
            PublishedActionFactory(
                lead_stakeholder=organisation_a,
                recommendations=[recommendation],
                countries=[thailand],
            )

    return populate


PAGES = {
    # name: (route, arguments, parameters, queries on a cold cache). The filters' countries,
    # themes and organisations are chosen through a search: no menu of them is read.
    "recommendations feed": ("follow:feed", ["recommendations"], {"objective": "3"}, 5),
    "actions feed": ("follow:feed", ["actions"], {"objective": "3"}, 4),
    "matrix feed": ("follow:feed", ["matrix"], {"country": "THA"}, 4),
    "changes feed": ("follow:feed", ["changes"], {"country": "THA"}, 6),
    "sign-up form": ("follow:subscribe", ["matrix"], {"objective": "3"}, 3),
    "pack form": ("briefings:pack-form", [], {"subject": "country:THA", **PERIOD}, 3),
}


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_rows(
    client, populate, django_assert_num_queries, page, count
):
    populate(count)
    name, args, params, queries = PAGES[page]
    cache.clear()  # cold: pages cached whole would run no query
    with django_assert_num_queries(queries):
        response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
