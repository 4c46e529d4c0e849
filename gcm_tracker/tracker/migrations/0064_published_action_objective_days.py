"""The published actions about each objective per day in UTC
(models.PublishedActionObjectiveDayCount), kept by triggers on the actions, so "what changed"
filtered by an objective sums days instead of counting the objective's actions of the range (a
year of objective 13's: 13 ms at 2,000,000 actions, growing with the data).

What changes the counts: an action inserted or deleted while published, published, or changed
while published in its publication time or its objective bits (which the triggers of migration
0039 rewrite when links or groupings change). The day is the UTC day of the publication time,
which the database computes without knowing the site's time zone. As in migration 0048:
PostgreSQL takes what the rows concerned count after the statement and takes away what they
counted before, in one grouped upsert in key order (statement-level triggers with transition
tables); SQLite (development) does it row by row; on both a count taken away only counts
against a row that exists and never below zero (Django's flush on SQLite empties tables in no
fixed order). The migration fills the table from the rows there.
"""

from django.db import migrations, models

from gcm_tracker.tracker.vendor_sql import (
    sqlite_row_triggers,
    statement_triggers,
    vendor_sql_operation,
)

_COUNT = "tracker_publishedactionobjectivedaycount"
_ACTION = "tracker_followupaction"
_PUBLISHED = "'published'"
# The objectives' numbers (1 to 23, tracker.objective_bits), as a table a trigger can join.
_NUMBERS = " UNION ALL ".join(f"SELECT {number} AS number" for number in range(1, 24))
# A publication time's day in UTC: PostgreSQL's timestamptz in UTC; SQLite keeps UTC text.
_DAY = {
    "postgresql": "CAST(({rows}.published_at AT TIME ZONE 'UTC') AS date)",
    "sqlite": "date({rows}.published_at)",
}


def _shares(vendor: str, rows: str, n: str, source: str | None = None) -> str:
    """Rows (objective, utc_day, n) of what the published ones among `rows` count: each
    objective whose bit they have, on their day. `source` is what to select them FROM besides the
    numbers (none for SQLite's NEW or OLD, which are no table)."""
    source = rows if source is None else source
    also = f", {source}" if source else ""
    day = _DAY[vendor].format(rows=rows)
    return f"""
    SELECT o.number AS objective, {day} AS utc_day, {n} AS n FROM ({_NUMBERS}) o {also}
    WHERE {rows}.review_state = {_PUBLISHED} AND {rows}.published_at IS NOT NULL
        AND ({rows}.objective_mask & (1 << o.number)) <> 0
"""


def _fill(vendor: str) -> str:
    return f"""
INSERT INTO {_COUNT} (objective, utc_day, count)
SELECT objective, utc_day, SUM(n) FROM ({_shares(vendor, _ACTION, "1")}) shares
GROUP BY objective, utc_day
"""


def _add(deltas: str) -> str:
    """PL/pgSQL adding `deltas` (rows of objective, utc_day, n), grouped, in key order; a
    negative one only to a row that exists, and not below zero."""
    return f"""
    INSERT INTO {_COUNT} (objective, utc_day, count)
    SELECT objective, utc_day, n FROM (
        SELECT objective, utc_day, SUM(n) AS n FROM ({deltas}) shares
        GROUP BY objective, utc_day HAVING SUM(n) <> 0
    ) deltas
    WHERE n > 0 OR EXISTS (
        SELECT 1 FROM {_COUNT} k WHERE k.objective = deltas.objective AND k.utc_day = deltas.utc_day
    )
    ORDER BY objective, utc_day
    ON CONFLICT (objective, utc_day) DO UPDATE
    SET count = GREATEST({_COUNT}.count + EXCLUDED.count, 0);
"""


POSTGRESQL_FORWARD, POSTGRESQL_REVERSE = statement_triggers(
    {
        "tracker_pubactobjday_added": (
            "INSERT",
            _ACTION,
            "NEW TABLE AS added",
            _add(_shares("postgresql", "added", "1")),
        ),
        "tracker_pubactobjday_removed": (
            "DELETE",
            _ACTION,
            "OLD TABLE AS removed",
            _add(_shares("postgresql", "removed", "-1")),
        ),
        # Every update of an action fires it (transition tables cannot go with a column list);
        # an update that changes nothing counted nets to nothing.
        "tracker_pubactobjday_changed": (
            "UPDATE",
            _ACTION,
            "OLD TABLE AS before_update NEW TABLE AS after_update",
            _add(
                _shares("postgresql", "after_update", "1")
                + " UNION ALL "
                + _shares("postgresql", "before_update", "-1")
            ),
        ),
    }
)


def _sqlite_add(row: str) -> str:
    return f"""
    INSERT INTO {_COUNT} (objective, utc_day, count) {_shares("sqlite", row, "1", source="")}
    ON CONFLICT (objective, utc_day) DO UPDATE SET count = count + excluded.count;
"""


def _sqlite_take(row: str) -> str:
    """One row's counts taken away: an update, so it creates no row, and not below zero."""
    return f"""
    UPDATE {_COUNT} SET count = MAX(count - 1, 0)
    WHERE {row}.review_state = {_PUBLISHED} AND {row}.published_at IS NOT NULL
        AND utc_day = {_DAY["sqlite"].format(rows=row)}
        AND ({row}.objective_mask & (1 << objective)) <> 0;
"""


SQLITE_FORWARD, SQLITE_REVERSE = sqlite_row_triggers(
    {
        "tracker_pubactobjday_added": (
            f"AFTER INSERT ON {_ACTION} WHEN NEW.review_state = {_PUBLISHED}",
            _sqlite_add("NEW"),
        ),
        "tracker_pubactobjday_removed": (
            f"AFTER DELETE ON {_ACTION} WHEN OLD.review_state = {_PUBLISHED}",
            _sqlite_take("OLD"),
        ),
        "tracker_pubactobjday_changed": (
            f"AFTER UPDATE OF review_state, published_at, objective_mask ON {_ACTION} "
            f"WHEN OLD.review_state = {_PUBLISHED} OR NEW.review_state = {_PUBLISHED}",
            _sqlite_take("OLD") + _sqlite_add("NEW"),
        ),
    }
)

SQL = {
    "postgresql": ([*POSTGRESQL_FORWARD, _fill("postgresql")], POSTGRESQL_REVERSE),
    "sqlite": ([*SQLITE_FORWARD, _fill("sqlite")], SQLITE_REVERSE),
}


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0063_organisation_actions_in_countries"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublishedActionObjectiveDayCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("utc_day", models.DateField(verbose_name="day (UTC)")),
                ("objective", models.PositiveSmallIntegerField(verbose_name="objective")),
                ("count", models.IntegerField(default=0, verbose_name="count")),
            ],
            options={
                "verbose_name": "published actions by objective and day",
                "verbose_name_plural": "published actions per objective and day",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("objective", "utc_day"), name="tracker_pubactionobjday_unique"
                    )
                ],
            },
        ),
        vendor_sql_operation(SQL),
    ]
