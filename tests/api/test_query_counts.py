"""Every API list and detail runs a fixed number of queries, however many rows there are
(1 vs 3 of everything)."""

import pytest

from gcm_tracker.tracker.models import ActionEvidence, GuidingPrinciple
from tests.factories import (
    ConsultationFactory,
    CountryFactory,
    GoodPracticeFactory,
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StakeholderFactory,
    set_status,
)

pytestmark = pytest.mark.django_db


def _populate(count, staff) -> dict[str, object]:
    """`count` of every resource, each row linked to everything it can show; returns the
    lookup values of the last rows."""
    for n in range(count):
        objective = ObjectiveFactory(number=n + 1)
        principle = GuidingPrinciple.objects.create(letter="abcdefghij"[n], name=f"Principle {n}")
        country = CountryFactory()
        organisation = StakeholderFactory(country=country)
        consultation = ConsultationFactory()
        consultation.objectives.add(objective)
        consultation.organisers.add(organisation)
        recommendation = RecommendationFactory(consultation=consultation, objectives=[objective])
        recommendation.guiding_principles.add(principle)
        recommendation.tags.create(slug=f"t{n}", kind="theme", name=f"Theme {n}")
        change = set_status(recommendation, staff)
        practice = GoodPracticeFactory(
            consultation=consultation, objectives=[objective], countries=[country]
        )
        practice.stakeholders.add(organisation)
        action = PublishedActionFactory(
            lead_stakeholder=organisation, recommendations=[recommendation], countries=[country]
        )
        action.partners.add(StakeholderFactory())
        ActionEvidence.objects.create(action=action, url="https://example.org/evidence")
    return {
        "objective": objective.number,
        "principle": principle.letter,
        "country": country.iso3,
        "stakeholder": organisation.slug,
        "consultation": consultation.slug,
        "recommendation": recommendation.reference,
        "change": change.pk,
        "practice": practice.reference,
        "action": action.pk,
    }


# (path, queries, rows the list shows for `count` rows of everything). A list runs COUNT(*) and
# its rows, then one query per prefetched relation; a detail its row and the same prefetches.
# Stakeholders: `count` organisations plus `count` action partners.
ENDPOINTS = [
    ("objectives/", 2, 1),
    ("objectives/{objective}/", 1, None),
    ("guiding-principles/", 2, 1),
    ("guiding-principles/{principle}/", 1, None),
    ("countries/", 2, 1),  # published action and good-practice counts are subqueries
    ("countries/{country}/", 1, None),
    ("stakeholders/", 2, 2),  # country by join, action counts by subquery
    ("stakeholders/{stakeholder}/", 1, None),
    ("consultations/", 4, 1),  # + objectives, organisers
    ("consultations/{consultation}/", 3, None),
    ("recommendations/", 5, 1),  # + objectives, guiding principles, tags
    ("recommendations/?objective={objective}", 6, None),  # + the objective the filter names
    ("recommendations/{recommendation}/", 5, None),  # + objectives, principles, tags, history
    ("status-changes/", 2, 1),  # recommendation by join
    ("status-changes/{change}/", 1, None),
    ("good-practices/", 5, 1),  # + objectives, countries, organisations
    ("good-practices/{practice}/", 4, None),
    ("actions/", 6, 1),  # + countries, partners, recommendations, evidence
    ("actions/{action}/", 5, None),
]


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize(("path", "queries", "rows"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_api_endpoint_query_count_is_constant(
    api, staff, django_assert_num_queries, count, path, queries, rows
):
    last = _populate(count, staff)
    url = "/api/v1/" + path.format(**last)
    # Measure the second request: what the first one caches in the public cache (tracker.cache)
    # is warm then, as it is on a running site. Uncached, the count is constant too, only higher.
    api.get(url)

    with django_assert_num_queries(queries):
        response = api.get(url)

    assert response.status_code == 200
    if rows is not None:
        assert response.json()["count"] == rows * count


@pytest.mark.parametrize("count", [1, 3])
def test_status_change_endpoint_query_count_is_constant(
    staff_api, staff, django_assert_num_queries, count
):
    last = _populate(count, staff)
    url = f"/api/v1/recommendations/{last['recommendation']}/status/"
    body = {"status": "implemented", "reason": "Adopted.", "version": 1}

    # The token with its user; the user's and its groups' permissions; the recommendation with
    # its 4 prefetches (the status history included); then the service: SAVEPOINT, row lock,
    # insert the change, update the recommendation, its model-history row, re-read it, RELEASE;
    # then the recommendation with its 3 prefetches for the answer.
    with django_assert_num_queries(19):
        response = staff_api.post(url, body, format="json")

    assert response.status_code == 201
