"""The number of assessments whose cell disagrees, per voice, in a summary table kept by triggers
(models.DisagreementCount), as the counts by scope are (migration 0035).

What it replaces, at N = 200,000 (230,000 disagreeing cells): counting the disagreements
index on the dashboard (15 ms) and the disagreements page's count of official ones, which also
visited every row for its voice (27 ms).

PostgreSQL: statement-level triggers with transition tables; a write that starts or ends no
disagreement touches no row of the table, so recording assessments does not queue on it.
SQLite (development): row-level triggers. The migration fills the table from the rows there.
"""

from django.db import migrations, models

from gcm_tracker.tracker.vendor_sql import (
    drop_statement_triggers,
    statement_trigger,
    vendor_sql_operation,
)

FILL = """
INSERT INTO tracker_disagreementcount (voice, count)
SELECT voice, COUNT(*) FROM tracker_assessment WHERE disagreed_at IS NOT NULL GROUP BY voice
"""


def _add(deltas: str) -> str:
    """An upsert adding `deltas` (rows of voice, n) to the counts, skipping those that add 0."""
    return f"""
    INSERT INTO tracker_disagreementcount (voice, count)
    SELECT voice, SUM(n) FROM ({deltas}) deltas
    GROUP BY voice HAVING SUM(n) <> 0 ORDER BY voice
    ON CONFLICT (voice)
    DO UPDATE SET count = tracker_disagreementcount.count + EXCLUDED.count;
"""


_CHANGED = "FROM before_update before JOIN after_update after ON after.id = before.id"

_ASSESSMENT = "tracker_assessment"

POSTGRESQL_FORWARD = [
    statement_trigger(
        "tracker_disagreements_added",
        "INSERT",
        _ASSESSMENT,
        "NEW TABLE AS added",
        _add("SELECT voice, 1 AS n FROM added WHERE disagreed_at IS NOT NULL"),
    ),
    statement_trigger(
        "tracker_disagreements_removed",
        "DELETE",
        _ASSESSMENT,
        "OLD TABLE AS removed",
        _add("SELECT voice, -1 AS n FROM removed WHERE disagreed_at IS NOT NULL"),
    ),
    statement_trigger(
        "tracker_disagreements_changed",
        "UPDATE",
        _ASSESSMENT,
        "OLD TABLE AS before_update NEW TABLE AS after_update",
        _add(
            f"SELECT before.voice, -1 AS n {_CHANGED} WHERE before.disagreed_at IS NOT NULL "
            f"UNION ALL SELECT after.voice, 1 {_CHANGED} WHERE after.disagreed_at IS NOT NULL"
        ),
    ),
]
POSTGRESQL_REVERSE = [
    drop_statement_triggers(
        {
            "tracker_disagreements_added": _ASSESSMENT,
            "tracker_disagreements_removed": _ASSESSMENT,
            "tracker_disagreements_changed": _ASSESSMENT,
        }
    )
]
SQLITE_FORWARD = [
    """
CREATE TRIGGER tracker_disagreement_added AFTER INSERT ON tracker_assessment
WHEN NEW.disagreed_at IS NOT NULL
BEGIN
    INSERT INTO tracker_disagreementcount (voice, count) VALUES (NEW.voice, 1)
    ON CONFLICT (voice) DO UPDATE SET count = count + 1;
END
""",
    """
CREATE TRIGGER tracker_disagreement_removed AFTER DELETE ON tracker_assessment
WHEN OLD.disagreed_at IS NOT NULL
BEGIN
    UPDATE tracker_disagreementcount SET count = count - 1 WHERE voice = OLD.voice;
END
""",
    """
CREATE TRIGGER tracker_disagreement_changed AFTER UPDATE OF disagreed_at, voice
ON tracker_assessment
WHEN (OLD.disagreed_at IS NULL) <> (NEW.disagreed_at IS NULL) OR OLD.voice <> NEW.voice
BEGIN
    UPDATE tracker_disagreementcount SET count = count - 1
    WHERE voice = OLD.voice AND OLD.disagreed_at IS NOT NULL;
    INSERT INTO tracker_disagreementcount (voice, count)
    SELECT NEW.voice, 1 WHERE NEW.disagreed_at IS NOT NULL
    ON CONFLICT (voice) DO UPDATE SET count = count + 1;
END
""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER tracker_disagreement_added",
    "DROP TRIGGER tracker_disagreement_removed",
    "DROP TRIGGER tracker_disagreement_changed",
]

SQL = {
    "postgresql": ([*POSTGRESQL_FORWARD, FILL], POSTGRESQL_REVERSE),
    "sqlite": ([*SQLITE_FORWARD, FILL], SQLITE_REVERSE),
}


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0035_scope_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="DisagreementCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "voice",
                    models.CharField(
                        choices=[("official", "Official"), ("civil_society", "Civil society")],
                        max_length=20,
                        unique=True,
                    ),
                ),
                ("count", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "disagreement count",
                "verbose_name_plural": "disagreement counts",
            },
        ),
        vendor_sql_operation(SQL),
    ]
