"""The contributor and staff pages run a fixed number of queries however many actions there are."""

import pytest
from django.urls import reverse

from gcm_tracker.tracker.enums import ReviewState
from tests.factories import CountryFactory, FollowUpActionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def _actions(count, organisation, state):
    return [
        FollowUpActionFactory(lead_stakeholder=organisation, review_state=state)
        for _ in range(count)
    ]


# Queries: session and user; then the page's own reads (organisations, actions and their
# prefetched recommendations, countries, partners and evidence; for staff the waiting count).
@pytest.mark.parametrize("count", [1, 3])
def test_workspace_home_query_count_is_constant(
    client, contributor_a, organisation_a, django_assert_num_queries, count
):
    _actions(count, organisation_a, ReviewState.DRAFT)
    client.force_login(contributor_a)

    with django_assert_num_queries(10):
        response = client.get(reverse("workspace:home"))

    assert len(response.context["actions"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_review_queue_query_count_is_constant(
    staff_client, organisation_a, django_assert_num_queries, count
):
    _actions(count, organisation_a, ReviewState.SUBMITTED)

    with django_assert_num_queries(9):
        response = staff_client.get(reverse("workspace:review-queue"))

    assert len(response.context["actions"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_action_detail_query_count_is_constant(
    client, contributor_a, organisation_a, django_assert_num_queries, count
):
    action = FollowUpActionFactory(
        lead_stakeholder=organisation_a,
        recommendations=RecommendationFactory.create_batch(count),
        countries=CountryFactory.create_batch(count),
    )
    client.force_login(contributor_a)

    with django_assert_num_queries(7):
        response = client.get(reverse("workspace:action-detail", args=[action.pk]))

    assert response.context["action"] == action
