"""Recommendations per block of consultations (models.RecommendationBlockCount), kept by triggers
as the assessments' blocks are (migration 0038): a deep page of every recommendation in their
default order starts from the block of consultations that holds its first row.

PostgreSQL: statement-level triggers with transition tables; an update counts its old rows out
and its new rows in, with no join of the two, and writes only blocks whose count changed (none
for a status recorded, say). SQLite (development): row-level triggers. The migration fills the
table from the rows there.
"""

from django.db import migrations, models

from gcm_tracker.tracker.vendor_sql import (
    sqlite_row_triggers,
    statement_triggers,
    vendor_sql_operation,
)

# Consultations per block (models.CONSULTATION_BLOCK when this migration was written).
BLOCK = 100
_RECOMMENDATION = "tracker_recommendation"
_COUNTS = "tracker_recommendationblockcount"

FILL = f"""
INSERT INTO {_COUNTS} (block, count)
SELECT consultation_id / {BLOCK}, COUNT(*) FROM {_RECOMMENDATION} GROUP BY 1
"""


def _add(deltas: str) -> str:
    """An upsert adding `deltas` (rows of consultation_id, n) to their blocks, in block order,
    skipping those that add 0."""
    return f"""
    INSERT INTO {_COUNTS} (block, count)
    SELECT consultation_id / {BLOCK}, SUM(n) FROM ({deltas}) deltas
    GROUP BY 1 HAVING SUM(n) <> 0 ORDER BY 1
    ON CONFLICT (block) DO UPDATE SET count = {_COUNTS}.count + EXCLUDED.count;
"""


POSTGRESQL_FORWARD, POSTGRESQL_REVERSE = statement_triggers(
    {
        "tracker_recommendation_blocks_added": (
            "INSERT",
            _RECOMMENDATION,
            "NEW TABLE AS added",
            _add("SELECT consultation_id, 1 AS n FROM added"),
        ),
        "tracker_recommendation_blocks_removed": (
            "DELETE",
            _RECOMMENDATION,
            "OLD TABLE AS removed",
            _add("SELECT consultation_id, -1 AS n FROM removed"),
        ),
        # Each updated row is once in each table: no join needed (one of a transition table
        # with another, planned as for one row, was quadratic: migration 0040).
        "tracker_recommendation_blocks_changed": (
            "UPDATE",
            _RECOMMENDATION,
            "OLD TABLE AS before_update NEW TABLE AS after_update",
            _add(
                "SELECT consultation_id, -1 AS n FROM before_update "
                "UNION ALL SELECT consultation_id, 1 FROM after_update"
            ),
        ),
    }
)

_ADD_NEW = (
    f"INSERT INTO {_COUNTS} (block, count) VALUES (NEW.consultation_id / {BLOCK}, 1)\n"
    "    ON CONFLICT (block) DO UPDATE SET count = count + 1;"
)
_REMOVE_OLD = (
    f"UPDATE {_COUNTS} SET count = count - 1 WHERE block = OLD.consultation_id / {BLOCK};"
)
SQLITE_FORWARD, SQLITE_REVERSE = sqlite_row_triggers(
    {
        "tracker_recommendation_blocks_added": (f"AFTER INSERT ON {_RECOMMENDATION}", _ADD_NEW),
        "tracker_recommendation_blocks_removed": (
            f"AFTER DELETE ON {_RECOMMENDATION}",
            _REMOVE_OLD,
        ),
        "tracker_recommendation_blocks_changed": (
            f"AFTER UPDATE OF consultation_id ON {_RECOMMENDATION} "
            f"WHEN OLD.consultation_id / {BLOCK} <> NEW.consultation_id / {BLOCK}",
            f"{_REMOVE_OLD}\n    {_ADD_NEW}",
        ),
    }
)

SQL = {
    "postgresql": ([*POSTGRESQL_FORWARD, FILL], POSTGRESQL_REVERSE),
    "sqlite": ([*SQLITE_FORWARD, FILL], SQLITE_REVERSE),
}


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0041_submission_objective_masks"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecommendationBlockCount",
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
                "verbose_name": "recommendation block count",
                "verbose_name_plural": "recommendation block counts",
            },
        ),
        vendor_sql_operation(SQL),
    ]
