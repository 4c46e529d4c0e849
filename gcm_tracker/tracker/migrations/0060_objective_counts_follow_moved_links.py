"""The recommendations per objective and status, and per objective and scope (migrations 0007,
0010 and 0035: ObjectiveStatusCount, ObjectiveScopeCount), follow a recommendation's objective
link changed in place: the admin's objectives inline saves a link moved to another objective as
an UPDATE, which their triggers (on INSERT and DELETE only) did not see, so the dashboard's
objective breakdown counted the recommendation under its old objective until `repair_counts`.

PostgreSQL: a statement-level trigger taking the rows in key order, as migration 0010's do.
SQLite (development): a row-level trigger.
"""

from django.db import migrations

from gcm_tracker.tracker.vendor_sql import (
    sqlite_row_triggers,
    statement_triggers,
    vendor_sql_operation,
)

_GROUPING = "tracker_recommendationobjective"
_RECOMMENDATION = "tracker_recommendation"
# (summary table, the recommendation's column it counts by)
_SUMMARIES = (("tracker_objectivestatuscount", "status"), ("tracker_objectivescopecount", "scope"))
_CHANGED = (
    "before.objective_id <> after.objective_id "
    "OR before.recommendation_id <> after.recommendation_id"
)


def _moved(table: str, column: str) -> str:
    """PostgreSQL: take each moved link's recommendation from its old objective's row of
    `table` and add it to its new one's."""
    side = (
        "SELECT {0}.objective_id, rec.{column} AS {column}, {1} AS n "
        "FROM before_update before JOIN after_update after ON after.id = before.id "
        f"JOIN {_RECOMMENDATION} rec ON rec.id = {{0}}.recommendation_id WHERE {_CHANGED}"
    ).replace("{column}", column)
    return f"""
    INSERT INTO {table} (objective_id, {column}, count)
    SELECT objective_id, {column}, SUM(n) FROM (
        {side.format("before", -1)} UNION ALL {side.format("after", 1)}
    ) deltas
    GROUP BY objective_id, {column} ORDER BY objective_id, {column}
    ON CONFLICT (objective_id, {column})
    DO UPDATE SET count = {table}.count + EXCLUDED.count;
"""


def _sqlite_moved(table: str, column: str) -> str:
    return f"""UPDATE {table} SET count = count - 1 WHERE objective_id = OLD.objective_id
    AND {column} = (SELECT {column} FROM {_RECOMMENDATION} WHERE id = OLD.recommendation_id);
    INSERT INTO {table} (objective_id, {column}, count)
    SELECT NEW.objective_id, {column}, 1 FROM {_RECOMMENDATION} WHERE id = NEW.recommendation_id
    ON CONFLICT (objective_id, {column}) DO UPDATE SET count = count + 1;"""


POSTGRESQL_FORWARD, POSTGRESQL_REVERSE = statement_triggers(
    {
        "tracker_objcounts_links_moved": (
            "UPDATE",
            _GROUPING,
            "OLD TABLE AS before_update NEW TABLE AS after_update",
            "".join(_moved(table, column) for table, column in _SUMMARIES),
        )
    }
)
SQLITE_FORWARD, SQLITE_REVERSE = sqlite_row_triggers(
    {
        "tracker_objcounts_links_moved": (
            f"AFTER UPDATE OF recommendation_id, objective_id ON {_GROUPING} "
            "WHEN OLD.recommendation_id <> NEW.recommendation_id "
            "OR OLD.objective_id <> NEW.objective_id",
            "\n    ".join(_sqlite_moved(table, column) for table, column in _SUMMARIES),
        )
    }
)
SQL = {
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_REVERSE),
    "sqlite": (SQLITE_FORWARD, SQLITE_REVERSE),
}


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0059_regional_change_scope_objective_days"),
    ]

    operations = [vendor_sql_operation(SQL)]
