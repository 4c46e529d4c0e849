"""The contributor and staff pages run a fixed number of queries however many actions there are."""

import pytest
from django.urls import reverse

from gcm_tracker.tracker.enums import ReviewState
from tests.factories import (
    AssessmentSubmissionFactory,
    CountryFactory,
    FollowUpActionFactory,
    ObjectiveFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db


def _actions(count, organisation, state):
    return [
        FollowUpActionFactory(lead_stakeholder=organisation, review_state=state)
        for _ in range(count)
    ]


# Queries: session and user; then the page's own reads (organisations; a page of actions: their
# count and the actions with their organisation, nothing prefetched, as the table shows no more; a
# page of country assessments: their count and the assessments; for staff the waiting counts);
# the filter form's menu, cached until public data changes (the generation, the objectives: on
# a cold cache; countries are chosen through a search).
# In French too: the tables read only the columns they show, the translations of the
# recommendations' names among them (workspace.views._listed_submissions).
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("count", [1, 3])
def test_workspace_home_query_count_is_constant(
    client, contributor_a, organisation_a, django_assert_num_queries, count, language
):
    _actions(count, organisation_a, ReviewState.DRAFT)
    AssessmentSubmissionFactory.create_batch(count, stakeholder=organisation_a)
    client.force_login(contributor_a)

    with django_assert_num_queries(11):
        response = client.get(reverse("workspace:home"), HTTP_ACCEPT_LANGUAGE=language)

    assert (len(response.context["actions"]), len(response.context["assessments"])) == (
        count,
        count,
    )


@pytest.mark.parametrize("count", [1, 3])
def test_review_queue_query_count_is_constant(
    staff_client, organisation_a, django_assert_num_queries, count
):
    _actions(count, organisation_a, ReviewState.SUBMITTED)

    # As below, but no assessment waits: their empty page reads no rows.
    with django_assert_num_queries(11):
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


# Queries: session and user; the user's and the groups' permissions; a page of waiting actions
# (their count, the actions with their organisation, their recommendations in one prefetch); the
# reviewer's organisations; a page of waiting assessments (their count, the assessments with
# their cell and organisation in one join); the filter menus on a cold cache (generation,
# objectives; countries are chosen through a search).
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("count", [1, 3])
def test_review_queue_with_assessments_query_count_is_constant(
    staff_client, organisation_a, django_assert_num_queries, count, language
):
    _actions(count, organisation_a, ReviewState.SUBMITTED)
    AssessmentSubmissionFactory.create_batch(
        count, stakeholder=organisation_a, review_state=ReviewState.SUBMITTED
    )

    with django_assert_num_queries(12):
        response = staff_client.get(
            reverse("workspace:review-queue"), HTTP_ACCEPT_LANGUAGE=language
        )

    assert len(response.context["assessments"]) == count


# Queries: session and user; permissions (user's, groups'); the chosen country and objective;
# the recommendations (scope subqueries inside); their current official assessments; the
# chosen country, named in its chooser; the objective options.
@pytest.mark.parametrize("count", [1, 3])
def test_official_by_objective_query_count_is_constant(
    staff_client, django_assert_num_queries, count
):
    objective = ObjectiveFactory(number=13)
    RecommendationFactory.create_batch(count, objectives=[objective])
    CountryFactory(iso3="THA")

    with django_assert_num_queries(10):
        response = staff_client.get(
            reverse("workspace:official-by-objective") + "?country=THA&objective=13"
        )

    assert len(response.context["rows"]) == count


# Queries: session and user; the submission with its cell and organisation (the user's
# organisations are a subquery); what the public sees for the cell.
@pytest.mark.parametrize("count", [1, 3])
def test_assessment_detail_query_count_is_constant(
    client, contributor_a, organisation_a, django_assert_num_queries, count
):
    submissions = AssessmentSubmissionFactory.create_batch(count, stakeholder=organisation_a)
    client.force_login(contributor_a)

    with django_assert_num_queries(4):
        response = client.get(reverse("workspace:assessment-detail", args=[submissions[0].pk]))

    assert response.context["submission"] == submissions[0]


# Every filter at once: the organisation's slug is checked (one query), the chosen country is
# named in its chooser (one query); the others are conditions of the lists' count and page
# queries, whatever the number of rows.
@pytest.mark.parametrize("count", [1, 3])
def test_filtered_review_queue_query_count_is_constant(
    staff_client, organisation_a, django_assert_num_queries, count
):
    objective, country = ObjectiveFactory(number=13), CountryFactory(iso3="THA")
    for action in _actions(count, organisation_a, ReviewState.SUBMITTED):
        action.recommendations.set([RecommendationFactory(objectives=[objective])])
        action.countries.set([country])
    for _ in range(count):
        AssessmentSubmissionFactory(
            stakeholder=organisation_a,
            country=country,
            recommendation=RecommendationFactory(objectives=[objective]),
            review_state=ReviewState.SUBMITTED,
        )
    # "on" is in the actions' titles ("Action 1") and the organisation's name.
    query = f"?q=on&objective=13&country=THA&organisation={organisation_a.slug}"

    # The country and the organisation are each read once to check them and once to show them
    # as chosen.
    with django_assert_num_queries(16):
        response = staff_client.get(reverse("workspace:review-queue") + query)

    assert (len(response.context["actions"]), len(response.context["assessments"])) == (
        count,
        count,
    )
