"""The regional status changes per effective day and direction by their recommendation's scope
and by each of its objectives (tracker.day_count_models): "what changed" filtered by a country,
a subregion or an objective sums them instead of testing every change of the range.

Kept by triggers, as the changes per day are (migration 0037): the history is append-only, so an
insertion adds (and a deletion, which PostgreSQL refuses and SQLite lets tests do, takes away);
a recommendation's change of scope, and its objectives added, removed or moved, move its
changes between the rows. PostgreSQL: statement-level triggers with transition tables, each a
grouped upsert taking its rows in key order (the objectives' table before the scopes'), so a
set-based write costs one statement and concurrent writes cannot deadlock on these rows. SQLite
(development): row-level triggers. The migration fills both tables from the history there.
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

from gcm_tracker.tracker.vendor_sql import (
    sqlite_row_triggers,
    statement_triggers,
    vendor_sql_operation,
)

# "up" or "down" for a row of the history, as migration 0037 counts the changes per day.
_direction = import_module("gcm_tracker.tracker.migrations.0037_day_counts")._direction

_HISTORY = "tracker_statuschange"
_RECOMMENDATION = "tracker_recommendation"
_GROUPING = "tracker_recommendationobjective"
_BY_OBJECTIVE = "tracker_regionalchangeobjectivedaycount"
_BY_SCOPE = "tracker_regionalchangescopedaycount"


def _add(table: str, key: str, deltas: str) -> str:
    """PostgreSQL: an upsert adding `deltas` (rows of `key`, day, direction, n) to `table`."""
    return f"""
    INSERT INTO {table} ({key}, day, direction, count)
    SELECT {key}, day, direction, SUM(n) FROM ({deltas}) deltas
    GROUP BY day, direction, {key} ORDER BY day, direction, {key}
    ON CONFLICT (day, direction, {key})
    DO UPDATE SET count = {table}.count + EXCLUDED.count;
"""


def _deltas(key: str, rows: str, n: int, where: str = "") -> str:
    """PostgreSQL: a delta row (`key` AS the counted column, day, direction, `n`) for each
    change of the history (alias c) that `rows` (FROM and JOIN clauses) and `where` give."""
    column = key.split(".")[-1]
    return (
        f"SELECT {key} AS {column}, c.effective_date AS day, {_direction('c')} AS direction, "
        f"{n} AS n {rows} {where}"
    )


def _each_change(history: str, n: int) -> str:
    """PostgreSQL: add `n` for each change of `history` under each of its recommendation's
    objectives and under its scope."""
    by_objective = (
        f"FROM {history} c JOIN {_GROUPING} g ON g.recommendation_id = c.recommendation_id"
    )
    by_scope = f"FROM {history} c JOIN {_RECOMMENDATION} r ON r.id = c.recommendation_id"
    return _add(_BY_OBJECTIVE, "objective_id", _deltas("g.objective_id", by_objective, n)) + _add(
        _BY_SCOPE, "scope", _deltas("r.scope", by_scope, n)
    )


def _moved(table: str, key: str, rows: str, changed: str) -> str:
    """PostgreSQL: move the changes of each row an UPDATE changed (`changed`, on before and
    after) from its old `key` to its new one; `rows` joins the history (c) to "{}", the side
    (before or after) whose recommendation_id names the changes' recommendation."""
    where = f"WHERE {changed}"
    return _add(
        table,
        key,
        _deltas(f"before.{key}", rows.format("before"), -1, where)
        + " UNION ALL "
        + _deltas(f"after.{key}", rows.format("after"), 1, where),
    )


_BEFORE_AND_AFTER = "FROM before_update before JOIN after_update after ON after.id = before.id"
_RESCOPED = f"{_BEFORE_AND_AFTER} JOIN {_HISTORY} c ON c.recommendation_id = {{}}.id"
_REGROUPED = (
    f"{_BEFORE_AND_AFTER} JOIN {_HISTORY} c ON c.recommendation_id = {{}}.recommendation_id"
)
_OF_LINKS = f"JOIN {_HISTORY} c ON c.recommendation_id = link.recommendation_id"
_UPDATE = "OLD TABLE AS before_update NEW TABLE AS after_update"

POSTGRESQL_FORWARD, POSTGRESQL_REVERSE = statement_triggers(
    {
        # Named to fire after tracker_regionalday_* (triggers fire in name order), as
        # repair_counts locks the tables.
        "tracker_regionalgroupday_added": (
            "INSERT",
            _HISTORY,
            "NEW TABLE AS added",
            _each_change("added", 1),
        ),
        "tracker_regionalgroupday_removed": (
            "DELETE",
            _HISTORY,
            "OLD TABLE AS removed",
            _each_change("removed", -1),
        ),
        # Every update of a recommendation fires it; the join finds no row unless a scope
        # changed.
        "tracker_regionalgroupday_rescoped": (
            "UPDATE",
            _RECOMMENDATION,
            _UPDATE,
            _moved(_BY_SCOPE, "scope", _RESCOPED, "before.scope <> after.scope"),
        ),
        "tracker_regionalgroupday_grouped": (
            "INSERT",
            _GROUPING,
            "NEW TABLE AS link",
            _add(
                _BY_OBJECTIVE,
                "objective_id",
                _deltas("link.objective_id", f"FROM link {_OF_LINKS}", 1),
            ),
        ),
        "tracker_regionalgroupday_ungrouped": (
            "DELETE",
            _GROUPING,
            "OLD TABLE AS link",
            _add(
                _BY_OBJECTIVE,
                "objective_id",
                _deltas("link.objective_id", f"FROM link {_OF_LINKS}", -1),
            ),
        ),
        "tracker_regionalgroupday_regrouped": (
            "UPDATE",
            _GROUPING,
            _UPDATE,
            _moved(
                _BY_OBJECTIVE,
                "objective_id",
                _REGROUPED,
                "before.objective_id <> after.objective_id "
                "OR before.recommendation_id <> after.recommendation_id",
            ),
        ),
    }
)


# SQLite: one row at a time.
def _sqlite_add(table: str, key: str, value: str, recommendation: str) -> str:
    """Add the changes of `recommendation` under `value` of `key`, per day and direction."""
    return f"""INSERT INTO {table} ({key}, day, direction, count)
    SELECT {value}, c.effective_date, {_direction("c")}, COUNT(*) FROM {_HISTORY} c
    WHERE c.recommendation_id = {recommendation} GROUP BY 2, 3
    ON CONFLICT (day, direction, {key}) DO UPDATE SET count = count + excluded.count;"""


def _sqlite_take(table: str, key: str, value: str, recommendation: str) -> str:
    """Take the changes of `recommendation` away from `value` of `key`."""
    return f"""UPDATE {table} SET count = count - (
        SELECT COUNT(*) FROM {_HISTORY} c WHERE c.recommendation_id = {recommendation}
        AND c.effective_date = {table}.day AND {_direction("c")} = {table}.direction)
    WHERE {key} = {value} AND day IN (
        SELECT effective_date FROM {_HISTORY} WHERE recommendation_id = {recommendation});"""


def _sqlite_change(row: str, n: str) -> tuple[str, str]:
    """Add `n` (1 or -1) for the change `row` (NEW or OLD) under each of its recommendation's
    objectives and under its scope."""
    this_day = f"day = {row}.effective_date AND direction = {_direction(row)}"
    if n == "1":
        return (
            f"""INSERT INTO {_BY_OBJECTIVE} (objective_id, day, direction, count)
    SELECT objective_id, {row}.effective_date, {_direction(row)}, 1 FROM {_GROUPING}
    WHERE recommendation_id = {row}.recommendation_id
    ON CONFLICT (day, direction, objective_id) DO UPDATE SET count = count + 1;""",
            f"""INSERT INTO {_BY_SCOPE} (scope, day, direction, count)
    SELECT scope, {row}.effective_date, {_direction(row)}, 1 FROM {_RECOMMENDATION}
    WHERE id = {row}.recommendation_id
    ON CONFLICT (day, direction, scope) DO UPDATE SET count = count + 1;""",
        )
    return (
        f"""UPDATE {_BY_OBJECTIVE} SET count = count - 1 WHERE {this_day} AND objective_id IN (
        SELECT objective_id FROM {_GROUPING} WHERE recommendation_id = {row}.recommendation_id);""",
        f"""UPDATE {_BY_SCOPE} SET count = count - 1 WHERE {this_day} AND scope = (
        SELECT scope FROM {_RECOMMENDATION} WHERE id = {row}.recommendation_id);""",
    )


SQLITE_FORWARD, SQLITE_REVERSE = sqlite_row_triggers(
    {
        "tracker_regionalgroupday_added": (
            f"AFTER INSERT ON {_HISTORY}",
            "\n    ".join(_sqlite_change("NEW", "1")),
        ),
        "tracker_regionalgroupday_removed": (
            f"AFTER DELETE ON {_HISTORY}",
            "\n    ".join(_sqlite_change("OLD", "-1")),
        ),
        "tracker_regionalgroupday_rescoped": (
            f"AFTER UPDATE OF scope ON {_RECOMMENDATION} WHEN OLD.scope <> NEW.scope",
            _sqlite_take(_BY_SCOPE, "scope", "OLD.scope", "NEW.id")
            + "\n    "
            + _sqlite_add(_BY_SCOPE, "scope", "NEW.scope", "NEW.id"),
        ),
        "tracker_regionalgroupday_grouped": (
            f"AFTER INSERT ON {_GROUPING}",
            _sqlite_add(_BY_OBJECTIVE, "objective_id", "NEW.objective_id", "NEW.recommendation_id"),
        ),
        "tracker_regionalgroupday_ungrouped": (
            f"AFTER DELETE ON {_GROUPING}",
            _sqlite_take(
                _BY_OBJECTIVE, "objective_id", "OLD.objective_id", "OLD.recommendation_id"
            ),
        ),
        "tracker_regionalgroupday_regrouped": (
            f"AFTER UPDATE OF recommendation_id, objective_id ON {_GROUPING} "
            "WHEN OLD.recommendation_id <> NEW.recommendation_id "
            "OR OLD.objective_id <> NEW.objective_id",
            _sqlite_take(_BY_OBJECTIVE, "objective_id", "OLD.objective_id", "OLD.recommendation_id")
            + "\n    "
            + _sqlite_add(
                _BY_OBJECTIVE, "objective_id", "NEW.objective_id", "NEW.recommendation_id"
            ),
        ),
    }
)

FILL = [
    f"""INSERT INTO {_BY_OBJECTIVE} (objective_id, day, direction, count)
    SELECT g.objective_id, c.effective_date, {_direction("c")}, COUNT(*) FROM {_HISTORY} c
    JOIN {_GROUPING} g ON g.recommendation_id = c.recommendation_id GROUP BY 1, 2, 3""",
    f"""INSERT INTO {_BY_SCOPE} (scope, day, direction, count)
    SELECT r.scope, c.effective_date, {_direction("c")}, COUNT(*) FROM {_HISTORY} c
    JOIN {_RECOMMENDATION} r ON r.id = c.recommendation_id GROUP BY 1, 2, 3""",
]

SQL = {
    "postgresql": ([*POSTGRESQL_FORWARD, *FILL], POSTGRESQL_REVERSE),
    "sqlite": ([*SQLITE_FORWARD, *FILL], SQLITE_REVERSE),
}


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0058_published_action_subregion_days"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegionalChangeScopeDayCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="day")),
                (
                    "direction",
                    models.CharField(
                        choices=[("up", "up"), ("down", "down")],
                        max_length=4,
                        verbose_name="direction",
                    ),
                ),
                (
                    "scope",
                    models.CharField(
                        choices=[
                            ("escap", "Every ESCAP member and associate member"),
                            ("selected", "Selected subregions or countries"),
                            ("regional", "Regional only"),
                        ],
                        max_length=20,
                        verbose_name="scope",
                    ),
                ),
                ("count", models.IntegerField(default=0, verbose_name="count")),
            ],
            options={
                "verbose_name": "regional changes by scope and day",
                "verbose_name_plural": "regional changes per scope and day",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("day", "direction", "scope"), name="tracker_regionalscopeday_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="RegionalChangeObjectiveDayCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="day")),
                (
                    "direction",
                    models.CharField(
                        choices=[("up", "up"), ("down", "down")],
                        max_length=4,
                        verbose_name="direction",
                    ),
                ),
                ("count", models.IntegerField(default=0, verbose_name="count")),
                (
                    "objective",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="tracker.objective",
                        verbose_name="objective",
                    ),
                ),
            ],
            options={
                "verbose_name": "regional changes by objective and day",
                "verbose_name_plural": "regional changes per objective and day",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("day", "direction", "objective"),
                        name="tracker_regionalobjday_unique",
                    )
                ],
            },
        ),
        vendor_sql_operation(SQL),
    ]
