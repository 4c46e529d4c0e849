"""Each civil-society submission's objectives as bits of one number
(AssessmentSubmission.objective_mask: bit n set when its recommendation is under objective n),
kept by triggers, so the workspace and the review queue filtered by an objective test a column
of the row they walk instead of looking up the recommendation's objectives for each submission
(docs/performance.md, "Twelfth round").

A submission has one recommendation, so its bits are that recommendation's. The database sets
them on every insert and on every update that writes the recommendation (as every save() of an
instance does, whatever mask the instance held), and follows a recommendation's objectives
(added, removed, moved) and an objective's number. PostgreSQL: a row trigger BEFORE the
submission is written, and statement-level triggers with transition tables on the groupings and
the objectives, one recount per statement. SQLite (development): row-level triggers. The
migration fills the column from the rows there.
"""

from django.db import migrations, models

from gcm_tracker.tracker.vendor_sql import (
    sqlite_row_triggers,
    statement_triggers,
    vendor_sql_operation,
)

_SUBMISSION = "tracker_assessmentsubmission"
_GROUPING = "tracker_recommendationobjective"
_OBJECTIVE = "tracker_objective"


def _bits_of(recommendation: str, one: str) -> str:
    """SQL of the bits of the recommendation whose key is `recommendation`; `one` is the
    engine's 1 as a 64-bit integer."""
    return f"""(
    SELECT COALESCE(SUM(DISTINCT {one} << o.number), 0)
    FROM {_GROUPING} ro JOIN {_OBJECTIVE} o ON o.id = ro.objective_id
    WHERE ro.recommendation_id = {recommendation}
)"""


def _recount(recommendations: str) -> str:
    """An UPDATE setting the mask of every submission of the recommendations `recommendations`
    (a query of recommendation_id) names, where it changed: one grouped count per
    recommendation, not one per submission."""
    return f"""
    UPDATE {_SUBMISSION} SET objective_mask = m.mask
    FROM (
        SELECT r.recommendation_id,
            CAST(COALESCE(SUM(DISTINCT CAST(1 AS BIGINT) << o.number), 0) AS BIGINT) AS mask
        FROM (SELECT DISTINCT recommendation_id FROM ({recommendations}) concerned) r
        LEFT JOIN {_GROUPING} ro ON ro.recommendation_id = r.recommendation_id
        LEFT JOIN {_OBJECTIVE} o ON o.id = ro.objective_id
        GROUP BY r.recommendation_id
    ) m
    WHERE {_SUBMISSION}.recommendation_id = m.recommendation_id
      AND {_SUBMISSION}.objective_mask <> m.mask;
"""


FILL = _recount(f"SELECT recommendation_id FROM {_SUBMISSION}")

# A submission written: its own row, before it is stored (no second write of the row). Only an
# update that writes the recommendation fires it, so the recounts below (which write the mask
# alone) do not; a hand-written change of the mask alone stays for repair_counts to find.
_SET_ON_WRITE = f"""
CREATE FUNCTION tracker_assesssub_mask_set() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.objective_mask := {_bits_of("NEW.recommendation_id", "CAST(1 AS BIGINT)")};
    RETURN NEW;
END;
$$;
CREATE TRIGGER tracker_assesssub_mask_set
    BEFORE INSERT OR UPDATE OF recommendation_id ON {_SUBMISSION}
    FOR EACH ROW EXECUTE FUNCTION tracker_assesssub_mask_set();
"""
_DROP_SET_ON_WRITE = f"""
DROP TRIGGER tracker_assesssub_mask_set ON {_SUBMISSION};
DROP FUNCTION tracker_assesssub_mask_set();
"""

_RENUMBERED = (
    f"SELECT ro.recommendation_id FROM {_GROUPING} ro "
    "WHERE ro.objective_id IN (SELECT after.id FROM before_update before "
    "JOIN after_update after ON after.id = before.id WHERE after.number <> before.number)"
)

POSTGRESQL_TRIGGERS = {
    "tracker_recobjective_submasks_added": (
        "INSERT",
        _GROUPING,
        "NEW TABLE AS added",
        "SELECT recommendation_id FROM added",
    ),
    "tracker_recobjective_submasks_removed": (
        "DELETE",
        _GROUPING,
        "OLD TABLE AS removed",
        "SELECT recommendation_id FROM removed",
    ),
    "tracker_recobjective_submasks_changed": (
        "UPDATE",
        _GROUPING,
        "OLD TABLE AS before_update NEW TABLE AS after_update",
        "SELECT recommendation_id FROM before_update "
        "UNION SELECT recommendation_id FROM after_update",
    ),
    "tracker_objective_submasks_renumbered": (
        "UPDATE",
        _OBJECTIVE,
        "OLD TABLE AS before_update NEW TABLE AS after_update",
        _RENUMBERED,
    ),
}
_RECOUNTS, _DROP_RECOUNTS = statement_triggers(
    {
        name: (event, table, transitions, _recount(recommendations))
        for name, (event, table, transitions, recommendations) in POSTGRESQL_TRIGGERS.items()
    }
)
POSTGRESQL_FORWARD = [_SET_ON_WRITE, *_RECOUNTS]
POSTGRESQL_REVERSE = [*_DROP_RECOUNTS, _DROP_SET_ON_WRITE]

# SQLite: one row at a time (its triggers do not fire each other: recursive_triggers is off, and
# the updates below write the mask alone). The UPDATE's subquery names the row being updated.
_OWN_BITS = _bits_of(f"{_SUBMISSION}.recommendation_id", "1")


def _sqlite_recount(where: str) -> str:
    return f"UPDATE {_SUBMISSION} SET objective_mask = {_OWN_BITS} WHERE {where};"


SQLITE_TRIGGERS = {
    "tracker_assesssub_masks_added": (
        f"AFTER INSERT ON {_SUBMISSION}",
        _sqlite_recount("id = NEW.id"),
    ),
    "tracker_assesssub_masks_moved": (
        f"AFTER UPDATE OF recommendation_id ON {_SUBMISSION}",
        _sqlite_recount("id = NEW.id"),
    ),
    "tracker_recobjective_submasks_added": (
        f"AFTER INSERT ON {_GROUPING}",
        _sqlite_recount("recommendation_id = NEW.recommendation_id"),
    ),
    "tracker_recobjective_submasks_removed": (
        f"AFTER DELETE ON {_GROUPING}",
        _sqlite_recount("recommendation_id = OLD.recommendation_id"),
    ),
    "tracker_recobjective_submasks_changed": (
        f"AFTER UPDATE ON {_GROUPING}",
        _sqlite_recount("recommendation_id IN (OLD.recommendation_id, NEW.recommendation_id)"),
    ),
    "tracker_objective_submasks_renumbered": (
        f"AFTER UPDATE OF number ON {_OBJECTIVE} WHEN OLD.number <> NEW.number",
        _sqlite_recount(
            f"recommendation_id IN (SELECT recommendation_id FROM {_GROUPING} "
            "WHERE objective_id = NEW.id)"
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
        ("tracker", "0040_action_country_publication_dates"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessmentsubmission",
            name="objective_mask",
            field=models.BigIntegerField(
                default=0, db_default=0, editable=False, verbose_name="objectives"
            ),
        ),
        vendor_sql_operation(SQL),
    ]
