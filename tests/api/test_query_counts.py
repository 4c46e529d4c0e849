"""Every API list, detail and write runs a fixed number of queries, however many rows there are
(1 vs 3 of everything)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gcm_tracker.tracker.cache import public_data_changed
from gcm_tracker.tracker.models import ActionEvidence, GuidingPrinciple
from tests.factories import (
    ConsultationFactory,
    CountryFactory,
    FollowUpActionFactory,
    GoodPracticeFactory,
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StakeholderFactory,
    set_status,
)

from .conftest import token_client

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
    outsider_api, staff, django_assert_num_queries, count, path, queries, rows
):
    last = _populate(count, staff)
    url = "/api/v1/" + path.format(**last)
    # Measure the second request: what the first one caches in the public cache (tracker.cache)
    # is warm then, as it is on a running site. Uncached, the count is constant too, only higher.
    # With a token, so that the answer itself is not cached (test_anonymous_answer_is_cached...):
    # reading the token with its user is one more query (for actions, which a token may see more
    # of, the user's permissions are read too, by the first request: accounts.permissions keeps
    # them in the cache).
    outsider_api.get(url)
    token_queries = 1

    with django_assert_num_queries(queries + token_queries):
        response = outsider_api.get(url)

    assert response.status_code == 200
    if rows is not None:
        assert response.json()["count"] == rows * count


@pytest.mark.parametrize(("path", "queries", "rows"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_api_endpoint_query_count_is_the_same_in_another_language(
    outsider_api, staff, django_assert_num_queries, path, queries, rows
):
    """Issue 17: translations are columns of the rows already read, so asking for French reads
    nothing more."""
    last = _populate(3, staff)
    url = "/api/v1/" + path.format(**last) + ("&" if "?" in path else "?") + "lang=fr"
    outsider_api.get(url)

    with django_assert_num_queries(queries + 1):  # and the token with its user
        response = outsider_api.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("path", [e[0] for e in ENDPOINTS])
def test_anonymous_answer_is_cached_until_public_data_changes(
    api, staff, django_assert_num_queries, django_capture_on_commit_callbacks, path
):
    url = "/api/v1/" + path.format(**_populate(1, staff))
    with CaptureQueriesContext(connection) as cold:
        first = api.get(url)

    with django_assert_num_queries(0):
        second = api.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        public_data_changed()
    with CaptureQueriesContext(connection) as after_change:
        third = api.get(url)

    assert (first.status_code, second.json(), third.json()) == (200, first.json(), first.json())
    assert len(after_change.captured_queries) == len(cold.captured_queries)


@pytest.mark.parametrize("count", [1, 3])
def test_status_change_endpoint_query_count_is_constant(
    staff_api, staff, django_assert_num_queries, count
):
    last = _populate(count, staff)
    url = f"/api/v1/recommendations/{last['recommendation']}/status/"
    body = {"status": "implemented", "reason": "Adopted.", "version": 1}

    # The token with its user (their permissions, read by _populate's services, come from the
    # cache: accounts.permissions); the recommendation with its 4 prefetches (the status history
    # included); then the service: SAVEPOINT, row lock, insert the change, update the
    # recommendation, its model-history row, re-read it, RELEASE; then the recommendation with
    # its 3 prefetches for the answer.
    with django_assert_num_queries(17):
        response = staff_api.post(url, body, format="json")

    assert response.status_code == 201


@pytest.fixture
def workflow(contributor_a, organisation_a, staff):
    """Token clients of a contributor of organisation A and of staff, and a factory of A's
    actions that each name `count` recommendations, countries, partners and evidence links."""

    def action(count, **fields):
        published = fields.get("review_state") == "published"
        factory = PublishedActionFactory if published else FollowUpActionFactory
        made = factory(
            lead_stakeholder=organisation_a,
            recommendations=[RecommendationFactory() for _ in range(count)],
            countries=[CountryFactory() for _ in range(count)],
            **fields,
        )
        made.partners.add(*[StakeholderFactory() for _ in range(count)])
        for n in range(count):
            ActionEvidence.objects.create(action=made, url=f"https://example.org/{n}")
        return made

    return token_client(contributor_a), token_client(staff), action


def _links(action) -> dict:
    return {
        "recommendations": list(action.recommendations.values_list("reference", flat=True)),
        "countries": list(action.countries.values_list("iso3", flat=True)),
        "partners": list(action.partners.values_list("slug", flat=True)),
        "evidence_urls": list(action.evidence.values_list("url", flat=True)),
    }


def _new_action_body(links: dict) -> dict:
    return {
        "title": "Training",
        "description": "Trained border officials.",
        "action_type": "training",
        "progress": "completed",
        "start_date": "2021-05-03",
    } | links


# (step, queries). Every step reads the token with its user (1); each user's and their groups'
# permissions (2) are read by their first list and kept in the cache after (accounts.permissions),
# so the later steps that check them (patch, submit, publish, return) read none. A list:
# COUNT(*), rows, 4 prefetches, plus the organisations of a contributor; the first list also reads
# the public-data generation, in the key of its cached objective menu (read through the cache
# afterwards; countries and organisations are chosen through a search on the pages, no menu of
# them is read). A write: the action with its prefetches, SAVEPOINT, lock, the service's reads and
# writes with their history rows, RELEASE, the action re-read for the answer with its 4
# prefetches. Publishing and returning also ask whether the reviewer belongs to the leading
# organisation (four eyes); publishing also adds the action's recommendations to its
# organisations' StakeholderRecommendation rows and to its countries' CountryRecommendation
# rows (one INSERT … SELECT each), counts it on its day, in all (one upsert,
# PublishedActionDayCount) and in each subregion of its countries (one INSERT … SELECT,
# PublishedActionSubregionDayCount), and lists it for its organisations, in all and in its
# countries (one INSERT … SELECT each, StakeholderAction and StakeholderActionCountry).
WORKFLOW_STEPS = [
    ("contributor list", 11),
    ("reviewer list", 9),
    ("create", 28),
    ("patch", 27),
    ("submit", 19),
    ("publish", 29),
    ("return", 19),
]


@pytest.mark.parametrize("count", [1, 3])
def test_action_workflow_query_counts_are_constant(workflow, count, django_assert_num_queries):
    contributor, staff, action = workflow
    for state in ["draft", "submitted", "published", "returned"]:
        for _ in range(count):
            action(count, review_state=state, review_note="Why." if state == "returned" else "")
    draft, submitted, returned = (
        action(count),
        action(count, review_state="submitted"),
        action(count, review_state="submitted"),
    )
    links = _links(draft)
    requests = {
        "contributor list": lambda: contributor.get("/api/v1/actions/"),
        "reviewer list": lambda: staff.get("/api/v1/actions/"),
        "create": lambda: contributor.post(
            "/api/v1/actions/", _new_action_body(links), format="json"
        ),
        # Every field, the same links: nothing is removed, so nothing is re-created.
        "patch": lambda: contributor.patch(
            f"/api/v1/actions/{draft.pk}/",
            _new_action_body(links) | {"version": 0},
            format="json",
        ),
        "submit": lambda: contributor.post(f"/api/v1/actions/{draft.pk}/submit/"),
        "publish": lambda: staff.post(f"/api/v1/actions/{submitted.pk}/publish/"),
        "return": lambda: staff.post(
            f"/api/v1/actions/{returned.pk}/return/", {"reason": "Add a link."}, format="json"
        ),
    }

    for step, queries in WORKFLOW_STEPS:
        with django_assert_num_queries(queries):
            response = requests[step]()

        assert (step, response.status_code < 300) == (step, True)


@pytest.mark.parametrize("count", [1, 3])
def test_withdrawing_writes_one_history_row_per_evidence_link(
    workflow, count, django_assert_num_queries
):
    contributor, _, action = workflow
    draft = action(count)

    # simple-history records each deleted evidence link on its own (it has no bulk delete); all
    # else is constant (each table referring to actions: StakeholderAction's and
    # StakeholderActionCountry's included): 23 queries, and one per link.
    with django_assert_num_queries(23 + count):
        response = contributor.delete(f"/api/v1/actions/{draft.pk}/")

    assert response.status_code == 204
