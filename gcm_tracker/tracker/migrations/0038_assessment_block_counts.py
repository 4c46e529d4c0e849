"""In-scope assessments per block of recommendations (models.AssessmentBlockCount), kept by
triggers as the disagreement counts are (migration 0036): the API's deep pages of assessments
start from the block that holds their first row.

PostgreSQL: statement-level triggers with transition tables; a write that moves no assessment
into or out of scope, or to another recommendation (recording a status, say), touches no row.
SQLite (development): row-level triggers. The migration fills the table from the rows there.
"""

from django.db import migrations, models

from gcm_tracker.tracker.vendor_sql import (
    drop_statement_triggers,
    statement_trigger,
    vendor_sql_operation,
)

# Recommendations per block (country_models.ASSESSMENT_BLOCK when this migration was written).
BLOCK = 1000

FILL = f"""
INSERT INTO tracker_assessmentblockcount (block, count)
SELECT recommendation_id / {BLOCK}, COUNT(*) FROM tracker_assessment WHERE in_scope GROUP BY 1
"""


def _add(deltas: str) -> str:
    """An upsert adding `deltas` (rows of recommendation_id, n) to their blocks, in block order,
    skipping those that add 0."""
    return f"""
    INSERT INTO tracker_assessmentblockcount (block, count)
    SELECT recommendation_id / {BLOCK}, SUM(n) FROM ({deltas}) deltas
    GROUP BY 1 HAVING SUM(n) <> 0 ORDER BY 1
    ON CONFLICT (block)
    DO UPDATE SET count = tracker_assessmentblockcount.count + EXCLUDED.count;
"""


_CHANGED = "FROM before_update before JOIN after_update after ON after.id = before.id"
_ASSESSMENT = "tracker_assessment"

POSTGRESQL_FORWARD = [
    statement_trigger(
        "tracker_assessment_blocks_added",
        "INSERT",
        _ASSESSMENT,
        "NEW TABLE AS added",
        _add("SELECT recommendation_id, 1 AS n FROM added WHERE in_scope"),
    ),
    statement_trigger(
        "tracker_assessment_blocks_removed",
        "DELETE",
        _ASSESSMENT,
        "OLD TABLE AS removed",
        _add("SELECT recommendation_id, -1 AS n FROM removed WHERE in_scope"),
    ),
    statement_trigger(
        "tracker_assessment_blocks_changed",
        "UPDATE",
        _ASSESSMENT,
        "OLD TABLE AS before_update NEW TABLE AS after_update",
        _add(
            f"SELECT before.recommendation_id, -1 AS n {_CHANGED} WHERE before.in_scope "
            f"UNION ALL SELECT after.recommendation_id, 1 {_CHANGED} WHERE after.in_scope"
        ),
    ),
]
POSTGRESQL_REVERSE = [
    drop_statement_triggers(
        {
            "tracker_assessment_blocks_added": _ASSESSMENT,
            "tracker_assessment_blocks_removed": _ASSESSMENT,
            "tracker_assessment_blocks_changed": _ASSESSMENT,
        }
    )
]
SQLITE_FORWARD = [
    f"""
CREATE TRIGGER tracker_assessment_blocks_added AFTER INSERT ON tracker_assessment
WHEN NEW.in_scope
BEGIN
    INSERT INTO tracker_assessmentblockcount (block, count)
    VALUES (NEW.recommendation_id / {BLOCK}, 1)
    ON CONFLICT (block) DO UPDATE SET count = count + 1;
END
""",
    f"""
CREATE TRIGGER tracker_assessment_blocks_removed AFTER DELETE ON tracker_assessment
WHEN OLD.in_scope
BEGIN
    UPDATE tracker_assessmentblockcount SET count = count - 1
    WHERE block = OLD.recommendation_id / {BLOCK};
END
""",
    f"""
CREATE TRIGGER tracker_assessment_blocks_changed AFTER UPDATE OF in_scope, recommendation_id
ON tracker_assessment
WHEN OLD.in_scope <> NEW.in_scope OR OLD.recommendation_id <> NEW.recommendation_id
BEGIN
    UPDATE tracker_assessmentblockcount SET count = count - 1
    WHERE block = OLD.recommendation_id / {BLOCK} AND OLD.in_scope;
    INSERT INTO tracker_assessmentblockcount (block, count)
    SELECT NEW.recommendation_id / {BLOCK}, 1 WHERE NEW.in_scope
    ON CONFLICT (block) DO UPDATE SET count = count + 1;
END
""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER tracker_assessment_blocks_added",
    "DROP TRIGGER tracker_assessment_blocks_removed",
    "DROP TRIGGER tracker_assessment_blocks_changed",
]

SQL = {
    "postgresql": ([*POSTGRESQL_FORWARD, FILL], POSTGRESQL_REVERSE),
    "sqlite": ([*SQLITE_FORWARD, FILL], SQLITE_REVERSE),
}


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0037_day_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="AssessmentBlockCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("block", models.IntegerField(unique=True)),
                ("count", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "assessment block count",
                "verbose_name_plural": "assessment block counts",
            },
        ),
        vendor_sql_operation(SQL),
    ]
