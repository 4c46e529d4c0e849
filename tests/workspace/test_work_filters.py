"""Issue 13: the workspace and the review queue are filterable (search, state, objective,
country, organisation) and their counts are bounded."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.workspace import paging
from tests.factories import (
    AssessmentSubmissionFactory,
    CountryFactory,
    FollowUpActionFactory,
    ObjectiveFactory,
    RecommendationFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db


def _action(organisation, title, state=ReviewState.DRAFT, objective=None, country=None):
    action = FollowUpActionFactory(lead_stakeholder=organisation, title=title, review_state=state)
    # Without one named, objective 1, which no test filters on: the factories' own objective
    # takes the next number of a cycle through 1 to 23, so it would sometimes be 13.
    objective = objective or ObjectiveFactory(number=1)
    action.recommendations.set([RecommendationFactory(objectives=[objective])])
    if country:
        action.countries.set([country])
    return action


def _titles(response, name="actions"):
    return sorted(action.title for action in response.context[name])


def test_workspace_filters_its_actions_by_each_value(client, contributor_a, organisation_a):
    objective, country = ObjectiveFactory(number=13), CountryFactory(iso3="THA")
    _action(organisation_a, "Training of border guards", objective=objective, country=country)
    _action(organisation_a, "Training of judges", state=ReviewState.SUBMITTED)
    _action(organisation_a, "Legal aid clinic", objective=objective)
    _action(StakeholderFactory(), "Training elsewhere", objective=objective, country=country)
    client.force_login(contributor_a)
    home = reverse("workspace:home")

    assert _titles(client.get(home + "?q=training")) == [
        "Training of border guards",
        "Training of judges",
    ]
    assert _titles(client.get(home + "?state=submitted")) == ["Training of judges"]
    assert _titles(client.get(home + "?objective=13")) == [
        "Legal aid clinic",
        "Training of border guards",
    ]
    assert _titles(client.get(home + "?country=THA&q=border")) == ["Training of border guards"]


def test_review_queue_filters_by_organisation_and_country(staff_client, organisation_a):
    other, country = StakeholderFactory(slug="other"), CountryFactory(iso3="THA")
    _action(organisation_a, "Mine", state=ReviewState.SUBMITTED, country=country)
    _action(other, "Theirs", state=ReviewState.SUBMITTED, country=country)
    _action(other, "Theirs elsewhere", state=ReviewState.SUBMITTED)
    AssessmentSubmissionFactory(
        stakeholder=other, country=country, review_state=ReviewState.SUBMITTED
    )
    AssessmentSubmissionFactory(stakeholder=organisation_a, review_state=ReviewState.SUBMITTED)

    response = staff_client.get(
        reverse("workspace:review-queue") + "?organisation=other&country=THA"
    )

    assert response.status_code == 200
    assert _titles(response) == ["Theirs"]
    assert [s.stakeholder.slug for s in response.context["assessments"]] == ["other"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "?organisation=nobody",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
        (
            "?country=XYZ",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
        ("?organisation=a%00b", "Null characters are not allowed."),
        ("?q=" + "x" * 201, "Ensure this value has at most 200 characters (it has 201)."),
    ],
)
def test_an_invalid_filter_answers_400_with_its_message_and_no_rows(
    staff_client, organisation_a, query, message
):
    _action(organisation_a, "Waiting", state=ReviewState.SUBMITTED)

    response = staff_client.get(reverse("workspace:review-queue") + query)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(response.context["actions"]) == []


# A filtered list counts no further than a page past the one asked for: counting it tests
# its rows one by one (workspace.paging); no list counts past COUNT_LIMIT. The filtered list's
# limit leaves an unfiltered list counted in full.
@pytest.mark.parametrize(
    ("limit", "value", "query", "other", "other_counted"),
    [
        ("COUNT_LIMIT", 2, "", "?q=action", (2, True)),
        ("FILTERED_PAGES_AHEAD", 1, "?q=action", "", (4, False)),
    ],
)
def test_counts_stop_past_the_limit_and_the_pager_says_more(
    client, contributor_a, organisation_a, monkeypatch, limit, value, query, other, other_counted
):
    monkeypatch.setattr(paging, limit, value)
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    for n in range(4):
        _action(organisation_a, f"Action {n}")
    client.force_login(contributor_a)

    response = client.get(reverse("workspace:home") + query)
    other_list = client.get(reverse("workspace:home") + other).context["actions"].paginator

    page = response.context["actions"]
    assert (page.paginator.count, page.paginator.more, page.paginator.num_pages) == (2, True, 2)
    assert "Page 1 of more than 2" in response.content.decode()
    assert (other_list.count, other_list.more) == other_counted


@pytest.mark.parametrize(
    ("asked", "shown", "pager"),
    [
        ("2", 2, "Page 2 of more than 3"),
        ("3", 3, "Page 3 of 4"),
        ("9", 4, "Page 4 of 4"),
        ("x", 1, "Page 1 of more than 2"),
    ],
)
def test_a_filtered_list_counts_to_a_page_past_the_one_asked_for(
    client, contributor_a, organisation_a, monkeypatch, asked, shown, pager
):
    monkeypatch.setattr(paging, "FILTERED_PAGES_AHEAD", 1)
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    for n in range(4):
        _action(organisation_a, f"Action {n}")
    client.force_login(contributor_a)

    response = client.get(reverse("workspace:home"), {"q": "action", "actions_page": asked})

    assert response.context["actions"].number == shown
    assert pager in response.content.decode()


def test_the_queue_filters_on_the_objectives_bit_and_reads_a_page_by_its_keys(
    staff_client, organisation_a
):
    objective = ObjectiveFactory(number=13)
    wanted = _action(organisation_a, "Wanted", ReviewState.SUBMITTED, objective=objective)
    _action(organisation_a, "Other", ReviewState.SUBMITTED, objective=ObjectiveFactory(number=2))

    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(reverse("workspace:review-queue") + "?objective=13")

    assert [action.pk for action in response.context["actions"]] == [wanted.pk]
    actions = [q["sql"] for q in queries if 'ORDER BY "tracker_followupaction"' in q["sql"]]
    # The keys, counted in the list's order to a page ahead (workspace.paging), and the
    # page's rows read by those keys: two queries, each testing the filter once.
    assert len(actions) == 2
    keys, page = actions
    assert keys.startswith('SELECT "tracker_followupaction"."id" AS "pk" FROM')
    assert keys.endswith(f"LIMIT {(1 + paging.FILTERED_PAGES_AHEAD) * paging.PAGE_SIZE + 1}")
    # The objective is a bit of the action's own row (no lookup of its links per action).
    for sql in actions:
        assert f'"tracker_followupaction"."objective_mask" & {1 << 13}' in sql
        assert '"tracker_actionrecommendation"' not in sql
        assert '"tracker_objective"' not in sql
    assert f'"tracker_followupaction"."id" IN ({wanted.pk})' in page
    assert "SELECT" not in page.split(" IN (", 1)[1]  # by key, not by a subquery


def test_the_organisation_filter_is_a_search_that_keeps_short_names_in_addresses(
    staff_client, organisation_a
):
    StakeholderFactory(slug="other", name="Migrant Forum in Asia", acronym="MFA")

    found = staff_client.get(reverse("workspace:choices-organisations"), {"q": "forum"}).json()
    page = staff_client.get(reverse("workspace:review-queue") + "?organisation=other")

    assert found["results"] == [{"id": "other", "label": "Migrant Forum in Asia (MFA)"}]
    # The chosen organisation is shown by its name, ticked, and no one types its short name.
    html = page.content.decode()
    assert 'name="organisation" value="other" checked' in html
    assert "Migrant Forum in Asia" in html
    assert "short name in addresses" not in html
