"""Each follow-up action's objectives as bits of one number (FollowUpAction.objective_mask: bit
n set when one of its recommendations is under objective n), kept by triggers, so the work pages
filtered by an objective test a column of the row they already read instead of two index probes
per action (docs/performance.md, "Eleventh round").

The mask follows every write that can change it: an action's recommendations (added, removed,
moved), a recommendation's objectives, an objective's number. PostgreSQL: statement-level
triggers with transition tables, one grouped recount of the actions concerned per statement.
SQLite (development): row-level triggers. The migration fills the column from the rows there.
"""

from django.db import migrations, models

from gcm_tracker.tracker.vendor_sql import (
    sqlite_row_triggers,
    statement_triggers,
    vendor_sql_operation,
)

_ACTION = "tracker_followupaction"
_LINK = "tracker_actionrecommendation"
_GROUPING = "tracker_recommendationobjective"
_OBJECTIVE = "tracker_objective"


def _masks(actions: str) -> str:
    """SQL of (action_id, mask) for each action `actions` (a query of action_id) names: the
    sum of the distinct bits of its recommendations' objectives, which is their OR."""
    return f"""
    SELECT t.action_id, CAST(COALESCE(SUM(DISTINCT CAST(1 AS BIGINT) << o.number), 0) AS BIGINT)
        AS mask
    FROM (SELECT DISTINCT action_id FROM ({actions}) concerned) t
    LEFT JOIN {_LINK} ar ON ar.action_id = t.action_id
    LEFT JOIN {_GROUPING} ro ON ro.recommendation_id = ar.recommendation_id
    LEFT JOIN {_OBJECTIVE} o ON o.id = ro.objective_id
    GROUP BY t.action_id
    """


def _recount(actions: str) -> str:
    """An UPDATE setting the mask of each action `actions` names, where it changed."""
    return f"""
    UPDATE {_ACTION} SET objective_mask = m.mask
    FROM ({_masks(actions)}) m
    WHERE {_ACTION}.id = m.action_id AND {_ACTION}.objective_mask <> m.mask;
"""


FILL = _recount(f"SELECT action_id FROM {_LINK}")

# The actions linked to the recommendations a set of groupings names.
_OF_GROUPINGS = (
    f"SELECT action_id FROM {_LINK} "
    "WHERE recommendation_id IN (SELECT recommendation_id FROM {})"
)
_RENUMBERED = (
    f"SELECT ar.action_id FROM {_LINK} ar JOIN {_GROUPING} ro "
    "ON ro.recommendation_id = ar.recommendation_id "
    "WHERE ro.objective_id IN (SELECT after.id FROM before_update before "
    "JOIN after_update after ON after.id = before.id WHERE after.number <> before.number)"
)

POSTGRESQL_TRIGGERS = {
    "tracker_actionrec_masks_added": (
        "INSERT",
        _LINK,
        "NEW TABLE AS added",
        "SELECT action_id FROM added",
    ),
    "tracker_actionrec_masks_removed": (
        "DELETE",
        _LINK,
        "OLD TABLE AS removed",
        "SELECT action_id FROM removed",
    ),
    "tracker_actionrec_masks_changed": (
        "UPDATE",
        _LINK,
        "OLD TABLE AS before_update NEW TABLE AS after_update",
        "SELECT action_id FROM before_update UNION SELECT action_id FROM after_update",
    ),
    "tracker_recobjective_masks_added": (
        "INSERT",
        _GROUPING,
        "NEW TABLE AS added",
        _OF_GROUPINGS.format("added"),
    ),
    "tracker_recobjective_masks_removed": (
        "DELETE",
        _GROUPING,
        "OLD TABLE AS removed",
        _OF_GROUPINGS.format("removed"),
    ),
    "tracker_recobjective_masks_changed": (
        "UPDATE",
        _GROUPING,
        "OLD TABLE AS before_update NEW TABLE AS after_update",
        f"{_OF_GROUPINGS.format('before_update')} UNION {_OF_GROUPINGS.format('after_update')}",
    ),
    "tracker_objective_masks_renumbered": (
        "UPDATE",
        _OBJECTIVE,
        "OLD TABLE AS before_update NEW TABLE AS after_update",
        _RENUMBERED,
    ),
}
POSTGRESQL_FORWARD, POSTGRESQL_REVERSE = statement_triggers(
    {
        name: (event, table, transitions, _recount(actions))
        for name, (event, table, transitions, actions) in POSTGRESQL_TRIGGERS.items()
    }
)

# SQLite: one row at a time; the UPDATE's subquery names the action row being updated.
_ONE_MASK = f"""(
    SELECT COALESCE(SUM(DISTINCT 1 << o.number), 0)
    FROM {_LINK} ar
    JOIN {_GROUPING} ro ON ro.recommendation_id = ar.recommendation_id
    JOIN {_OBJECTIVE} o ON o.id = ro.objective_id
    WHERE ar.action_id = {_ACTION}.id
)"""


def _sqlite_recount(where: str) -> str:
    return f"UPDATE {_ACTION} SET objective_mask = {_ONE_MASK} WHERE {where};"


def _of_recommendation(row: str) -> str:
    return f"id IN (SELECT action_id FROM {_LINK} WHERE recommendation_id = {row}.recommendation_id)"


SQLITE_TRIGGERS = {
    "tracker_actionrec_masks_added": (
        f"AFTER INSERT ON {_LINK}",
        _sqlite_recount("id = NEW.action_id"),
    ),
    "tracker_actionrec_masks_removed": (
        f"AFTER DELETE ON {_LINK}",
        _sqlite_recount("id = OLD.action_id"),
    ),
    "tracker_actionrec_masks_changed": (
        f"AFTER UPDATE ON {_LINK}",
        _sqlite_recount("id IN (OLD.action_id, NEW.action_id)"),
    ),
    "tracker_recobjective_masks_added": (
        f"AFTER INSERT ON {_GROUPING}",
        _sqlite_recount(_of_recommendation("NEW")),
    ),
    "tracker_recobjective_masks_removed": (
        f"AFTER DELETE ON {_GROUPING}",
        _sqlite_recount(_of_recommendation("OLD")),
    ),
    "tracker_recobjective_masks_changed": (
        f"AFTER UPDATE ON {_GROUPING}",
        _sqlite_recount(f"{_of_recommendation('OLD')} OR {_of_recommendation('NEW')}"),
    ),
    "tracker_objective_masks_renumbered": (
        f"AFTER UPDATE OF number ON {_OBJECTIVE} WHEN OLD.number <> NEW.number",
        _sqlite_recount(
            f"id IN (SELECT ar.action_id FROM {_LINK} ar JOIN {_GROUPING} ro "
            "ON ro.recommendation_id = ar.recommendation_id WHERE ro.objective_id = NEW.id)"
        ),
    ),
}
SQLITE_FORWARD, SQLITE_REVERSE = sqlite_row_triggers(SQLITE_TRIGGERS)

SQL = {
    "postgresql": ([*POSTGRESQL_FORWARD, FILL], POSTGRESQL_REVERSE),
    "sqlite": ([*SQLITE_FORWARD, FILL], SQLITE_REVERSE),
}


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0038_assessment_block_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="followupaction",
            name="objective_mask",
            field=models.BigIntegerField(
                default=0, db_default=0, editable=False, verbose_name="objectives"
            ),
        ),
        vendor_sql_operation(SQL),
    ]
