"""Issue 13: the filtered work pages walk only what they must. The review queue filtered by an
objective reads that objective's partial index (tracker.objective_bits, migration 0043), so the
keys that count it and give its page (workspace.paging) walk only the submitted rows about the
objective, however rare they are among the oldest submissions; an organisation's filtered
workspace walks its indexes alone, which carry the columns the filters test (migration 0044)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.objective_bits import OBJECTIVE_NUMBERS
from tests.factories import (
    AssessmentSubmissionFactory,
    FollowUpActionFactory,
    ObjectiveFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db

SUBMITTED = ReviewState.SUBMITTED


def _index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


def test_each_queue_has_a_partial_index_for_every_objective():
    for table, prefix in [
        ("tracker_followupaction", "tracker_action_queue"),
        ("tracker_assessmentsubmission", "tracker_assesssub_queue"),
    ]:
        names = _index_names(table)
        assert {f"{prefix}_o{n}" for n in OBJECTIVE_NUMBERS} <= names
        assert f"{prefix}_o0" not in names
        assert f"{prefix}_o24" not in names


def _queue_with(objective, other):
    """Two submitted actions and two submitted assessments, one of each about `objective`."""
    rows = {}
    for about in (objective, other):
        recommendation = RecommendationFactory(objectives=[about])
        action = FollowUpActionFactory(title=f"Action {about.number}", review_state=SUBMITTED)
        action.recommendations.set([recommendation])
        submission = AssessmentSubmissionFactory(
            recommendation=recommendation, review_state=SUBMITTED
        )
        rows[about.number] = (action.pk, submission.pk)
    return rows


def _plans(queries) -> dict[str, str]:
    """The plan PostgreSQL chooses for each query on a queue table, by its SQL."""
    plans = {}
    with connection.cursor() as cursor:
        # With a handful of rows a scan of the table is cheapest; forbidding it shows which
        # index the condition lets the planner use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in queries:
            sql = query["sql"]
            if "tracker_followupaction" in sql or "tracker_assessmentsubmission" in sql:
                cursor.execute("EXPLAIN " + sql)
                plans[sql] = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
    return plans


def _walks(plans: dict[str, str]) -> list[str]:
    """The plans of the filtered lists' walks: the keys in the list's order that count it and
    give its page (the page's rows are then read by key)."""
    keys = (
        'SELECT "tracker_followupaction"."id" AS "pk"',
        'SELECT "tracker_assessmentsubmission"."id" AS "pk"',
    )
    return [plan for sql, plan in plans.items() if sql.startswith(keys) and "ORDER BY" in sql]


@pytest.mark.parametrize("number", [1, 13, 23])
def test_the_queue_filtered_by_an_objective_reads_its_partial_indexes(staff_client, number):
    if connection.vendor != "postgresql":
        pytest.skip("the plans are PostgreSQL's (SQLite is the development database)")
    objective = ObjectiveFactory(number=number)
    other = ObjectiveFactory(number=2 if number != 2 else 3)
    rows = _queue_with(objective, other)

    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(
            reverse("workspace:review-queue"), {"objective": number, "q": "a"}
        )

    assert [a.pk for a in response.context["actions"]] == [rows[number][0]]
    assert [s.pk for s in response.context["assessments"]] == [rows[number][1]]
    walks = _walks(_plans(queries.captured_queries))
    # One walk for each queue, from its objective's index.
    assert len(walks) == 2
    for plan in walks:
        assert f"_queue_o{number} " in plan, plan
    assert sum(f"tracker_action_queue_o{number}" in plan for plan in walks) == 1
    assert sum(f"tracker_assesssub_queue_o{number}" in plan for plan in walks) == 1


# Committed rows and a vacuum: an index-only walk needs the visibility map that autovacuum keeps
# on a live table (rows written in the test's own transaction are never all-visible, and the
# planner, seeing the table's statistics from earlier tests, then fetches every row anyway).
@pytest.mark.django_db(transaction=True)
def test_a_filtered_workspace_walks_the_organisations_index_alone(
    client, contributor_a, organisation_a
):
    """The organisation's lists carry the columns the filters test (migration 0044), so the
    keys that count each filtered list and give its page are index-only scans: no action or
    assessment is fetched to be tested."""
    if connection.vendor != "postgresql":
        pytest.skip("the plans are PostgreSQL's (INCLUDE columns are PostgreSQL's)")
    objective = ObjectiveFactory(number=13)
    recommendation = RecommendationFactory(objectives=[objective])
    action = FollowUpActionFactory(lead_stakeholder=organisation_a, title="Wanted")
    action.recommendations.set([recommendation])
    submission = AssessmentSubmissionFactory(
        recommendation=recommendation, stakeholder=organisation_a
    )
    client.force_login(contributor_a)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("workspace:home"), {"objective": 13, "state": "draft", "q": "a"}
        )

    assert [a.pk for a in response.context["actions"]] == [action.pk]
    assert [s.pk for s in response.context["assessments"]] == [submission.pk]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE tracker_followupaction")
        cursor.execute("VACUUM ANALYZE tracker_assessmentsubmission")
    with transaction.atomic():  # SET LOCAL holds inside a transaction only
        walks = _walks(_plans(queries.captured_queries))
    assert len(walks) == 2
    shown = "\n\n".join(walks)
    assert sum("Index Only Scan using tracker_action_org_recent" in p for p in walks) == 1, shown
    assert sum("Index Only Scan using tracker_assesssub_org_recent" in p for p in walks) == 1, shown
