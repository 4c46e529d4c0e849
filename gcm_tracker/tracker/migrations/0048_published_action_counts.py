"""The published actions of each type, each progress and each objective
(models.PublishedActionCount), kept by triggers on the actions, so the public list filtered by
one of them counts its pages from one row (tracker.action_pages).

What changes the counts: an action inserted or deleted while published, published, or changed
while published in its type, its progress or its objective bits (which the triggers of
migration 0039 rewrite when links or groupings change). PostgreSQL: statement-level triggers
with transition tables, taking what the rows concerned count after the statement and taking
away what they counted before, in one grouped upsert in key order. SQLite (development):
row-level triggers. On both, a count taken away only counts against a row that exists and
never below zero. Why: Django's flush on SQLite empties the tables one by one, in no fixed order
(tests/ops/test_flush_order.py); emptied before the links, the counts get rows back as the
masks are rewritten, which the actions' deletion then takes away, with the shares they had
before the flush too. A count that cannot fall below zero ends at zero whatever the order, as
every share added is later taken away. The migration fills the table from the rows there.
"""

from django.db import migrations, models

from gcm_tracker.tracker.vendor_sql import (
    sqlite_row_triggers,
    statement_triggers,
    vendor_sql_operation,
)

_COUNT = "tracker_publishedactioncount"
_ACTION = "tracker_followupaction"
_PUBLISHED = "'published'"
# The objectives' numbers (1 to 23, tracker.objective_bits), as a table a trigger can join:
# SQLite allows no WITH in a trigger.
_NUMBERS = " UNION ALL ".join(f"SELECT {number} AS number" for number in range(1, 24))


def _shares(rows: str, n: str, source: str | None = None) -> str:
    """Rows (facet, value, n) of what the published ones among `rows` count: its type, its
    progress and each objective whose bit it has. `source` is what to select them FROM (none for
    SQLite's NEW or OLD, which are no table)."""
    source = rows if source is None else source
    from_rows = f"FROM {source}" if source else ""
    also = f", {source}" if source else ""
    published = f"{rows}.review_state = {_PUBLISHED}"
    return f"""
    SELECT 'type' AS facet, {rows}.action_type AS value, {n} AS n {from_rows} WHERE {published}
    UNION ALL SELECT 'progress', {rows}.progress, {n} {from_rows} WHERE {published}
    UNION ALL SELECT 'objective', CAST(o.number AS TEXT), {n} FROM ({_NUMBERS}) o {also}
        WHERE {published} AND ({rows}.objective_mask & (1 << o.number)) <> 0
"""


FILL = f"""
INSERT INTO {_COUNT} (facet, value, count)
SELECT facet, value, SUM(n) FROM ({_shares(_ACTION, "1")}) shares GROUP BY facet, value
"""


def _add(deltas: str) -> str:
    """PL/pgSQL adding `deltas` (rows of facet, value, n), grouped, in key order; a negative one
    only to a row that exists, and not below zero."""
    return f"""
    INSERT INTO {_COUNT} (facet, value, count)
    SELECT facet, value, n FROM (
        SELECT facet, value, SUM(n) AS n FROM ({deltas}) shares
        GROUP BY facet, value HAVING SUM(n) <> 0
    ) deltas
    WHERE n > 0 OR EXISTS (
        SELECT 1 FROM {_COUNT} k WHERE k.facet = deltas.facet AND k.value = deltas.value
    )
    ORDER BY facet, value
    ON CONFLICT (facet, value) DO UPDATE
    SET count = GREATEST({_COUNT}.count + EXCLUDED.count, 0);
"""


POSTGRESQL_FORWARD, POSTGRESQL_REVERSE = statement_triggers(
    {
        "tracker_pubactioncount_added": (
            "INSERT",
            _ACTION,
            "NEW TABLE AS added",
            _add(_shares("added", "1")),
        ),
        "tracker_pubactioncount_removed": (
            "DELETE",
            _ACTION,
            "OLD TABLE AS removed",
            _add(_shares("removed", "-1")),
        ),
        # Every update of an action fires it (transition tables cannot go with a column list);
        # an update that changes nothing counted nets to nothing.
        "tracker_pubactioncount_changed": (
            "UPDATE",
            _ACTION,
            "OLD TABLE AS before_update NEW TABLE AS after_update",
            _add(_shares("after_update", "1") + " UNION ALL " + _shares("before_update", "-1")),
        ),
    }
)


def _sqlite_add(row: str) -> str:
    return f"""
    INSERT INTO {_COUNT} (facet, value, count) {_shares(row, "1", source="")}
    ON CONFLICT (facet, value) DO UPDATE SET count = count + excluded.count;
"""


def _sqlite_take(row: str) -> str:
    """One row's counts taken away: an update, so it creates no row, and not below zero."""
    return f"""
    UPDATE {_COUNT} SET count = MAX(count - 1, 0)
    WHERE {row}.review_state = {_PUBLISHED} AND (
        (facet = 'type' AND value = {row}.action_type)
        OR (facet = 'progress' AND value = {row}.progress)
        OR (facet = 'objective' AND ({row}.objective_mask & (1 << CAST(value AS INTEGER))) <> 0)
    );
"""


SQLITE_FORWARD, SQLITE_REVERSE = sqlite_row_triggers(
    {
        "tracker_pubactioncount_added": (
            f"AFTER INSERT ON {_ACTION} WHEN NEW.review_state = {_PUBLISHED}",
            _sqlite_add("NEW"),
        ),
        "tracker_pubactioncount_removed": (
            f"AFTER DELETE ON {_ACTION} WHEN OLD.review_state = {_PUBLISHED}",
            _sqlite_take("OLD"),
        ),
        "tracker_pubactioncount_changed": (
            f"AFTER UPDATE OF review_state, action_type, progress, objective_mask ON {_ACTION} "
            f"WHEN OLD.review_state = {_PUBLISHED} OR NEW.review_state = {_PUBLISHED}",
            _sqlite_take("OLD") + _sqlite_add("NEW"),
        ),
    }
)

SQL = {
    "postgresql": ([*POSTGRESQL_FORWARD, FILL], POSTGRESQL_REVERSE),
    "sqlite": ([*SQLITE_FORWARD, FILL], SQLITE_REVERSE),
}


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0047_published_objective_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublishedActionCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "facet",
                    models.CharField(
                        choices=[
                            ("type", "Type"),
                            ("progress", "Progress"),
                            ("objective", "Objective"),
                        ],
                        max_length=10,
                    ),
                ),
                ("value", models.CharField(max_length=30)),
                ("count", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "published actions of a kind",
                "verbose_name_plural": "published actions of each kind",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("facet", "value"), name="tracker_pubactioncount_unique"
                    )
                ],
            },
        ),
        vendor_sql_operation(SQL),
    ]
