"""Published actions counted by every combination of kinds, in all and in each country
(action_count_models): the public list filtered by two or three of a type, a progress and an
objective, with or without a country, counts its pages from one row (tracker.action_pages)
instead of walking an index of the matching actions (at 2,000,000 actions: a type and a
progress walked 140,000 entries, Thailand and an objective 32,000; docs/performance.md,
"Twenty-first round").

- PublishedActionCount: 0048's three triggers on the actions are made again under their names,
  now also counting each pair and the three together (facets "t+p", "t+o", "p+o", "t+p+o", the
  values joined by "|"); its rows are counted again.
- CountryActionCount (new): the same seven facets per country, kept by triggers on the country
  links, from their copies of their actions' kinds (migration 0053) and publication dates
  (0040): a link counts while its copy of the date is not empty (its action published). Every
  change of those copies is an INSERT, an UPDATE or a DELETE of links, whoever makes it (the
  copies' own triggers included), so the counts follow the copies.
PostgreSQL: statement-level triggers with transition tables, one grouped upsert in key order
(the shares of the rows after, less those before). SQLite (development): row-level triggers.
On both, a share taken away counts only against a row that exists and never below zero (as
in 0048: Django's flush on SQLite empties the tables one by one, in no fixed order).

The SQL is written out here, not built by a shared module: a migration's SQL must not change
after it has run (tracker.vendor_sql).
"""

import django.db.models.deletion
from django.db import migrations, models

from gcm_tracker.tracker.vendor_sql import (
    sqlite_row_triggers,
    statement_triggers,
    vendor_sql_operation,
)

_COUNT = "tracker_publishedactioncount"
_COUNTRY_COUNT = "tracker_countryactioncount"
_ACTION = "tracker_followupaction"
_LINK = "tracker_actioncountry"
# The objectives' numbers (1 to 23), as a table a trigger can join: SQLite allows no WITH in a
# trigger.
_NUMBERS = " UNION ALL ".join(f"SELECT {number} AS number" for number in range(1, 24))

# What each table's rows hold: its columns for the type, the progress and the objective bits,
# what makes a row count, and the columns its counts are kept by beside (facet, value).
_ACTIONS = {
    "type": "action_type",
    "progress": "progress",
    "mask": "objective_mask",
    "counts": "{rows}.review_state = 'published'",
    "key": [],
    "exists": "true",
}
_LINKS = {
    "type": "action_type",
    "progress": "action_progress",
    "mask": "action_objective_mask",
    "counts": "{rows}.action_published_at IS NOT NULL",
    "key": ["country_id"],
    # SQLite: no row for a country gone (see SQLITE_COUNTRY_GONE).
    "exists": "EXISTS (SELECT 1 FROM tracker_country c WHERE c.id = {rows}.country_id)",
}


def _shares(kinds: dict, rows: str, n: str, source: str | None = None) -> str:
    """Rows (key columns…, facet, value, n) of what the counted ones among `rows` count: their
    type, their progress, the two together, and each objective whose bit they have, alone and
    with the type, the progress or both. `source` is what to select them FROM (none for
    SQLite's NEW or OLD, which are no table)."""
    source = rows if source is None else source
    from_rows = f"FROM {source}" if source else ""
    also = f", {source}" if source else ""
    key = "".join(f"{rows}.{column} AS {column}, " for column in kinds["key"])
    t, p = f"{rows}.{kinds['type']}", f"{rows}.{kinds['progress']}"
    counted = kinds["counts"].format(rows=rows)
    number = "CAST(o.number AS TEXT)"
    about = f"({rows}.{kinds['mask']} & (1 << o.number)) <> 0"
    alone = [("type", t), ("progress", p), ("t+p", f"{t} || '|' || {p}")]
    per_objective = [
        ("objective", number),
        ("t+o", f"{t} || '|' || {number}"),
        ("p+o", f"{p} || '|' || {number}"),
        ("t+p+o", f"{t} || '|' || {p} || '|' || {number}"),
    ]
    selects = [
        f"SELECT {key}'{facet}' AS facet, {value} AS value, {n} AS n {from_rows} WHERE {counted}"
        for facet, value in alone
    ] + [
        f"SELECT {key}'{facet}', {value}, {n} FROM ({_NUMBERS}) o {also} "
        f"WHERE {counted} AND {about}"
        for facet, value in per_objective
    ]
    return "\n    UNION ALL ".join(selects)


def _key_names(kinds: dict) -> str:
    return "".join(f"{column}, " for column in kinds["key"])


def _fill(kinds: dict, table: str, source: str) -> str:
    keys = _key_names(kinds)
    return f"""
INSERT INTO {table} ({keys}facet, value, count)
SELECT {keys}facet, value, SUM(n) FROM ({_shares(kinds, source, "1")}) shares
GROUP BY {keys}facet, value
"""


def _add(kinds: dict, table: str, deltas: str) -> str:
    """PL/pgSQL adding `deltas` (rows of key columns…, facet, value, n), grouped, in key order;
    a negative one only to a row that exists, and not below zero."""
    keys = _key_names(kinds)
    same = " AND ".join(
        f"k.{column} = deltas.{column}" for column in [*kinds["key"], "facet", "value"]
    )
    return f"""
    INSERT INTO {table} ({keys}facet, value, count)
    SELECT {keys}facet, value, n FROM (
        SELECT {keys}facet, value, SUM(n) AS n FROM ({deltas}) shares
        GROUP BY {keys}facet, value HAVING SUM(n) <> 0
    ) deltas
    WHERE n > 0 OR EXISTS (SELECT 1 FROM {table} k WHERE {same})
    ORDER BY {keys}facet, value
    ON CONFLICT ({keys}facet, value) DO UPDATE
    SET count = GREATEST({table}.count + EXCLUDED.count, 0);
"""


def _postgresql_triggers(kinds: dict, table: str, on: str, prefix: str) -> tuple[list, list]:
    return statement_triggers(
        {
            f"{prefix}_added": (
                "INSERT",
                on,
                "NEW TABLE AS added",
                _add(kinds, table, _shares(kinds, "added", "1")),
            ),
            f"{prefix}_removed": (
                "DELETE",
                on,
                "OLD TABLE AS removed",
                _add(kinds, table, _shares(kinds, "removed", "-1")),
            ),
            # Every update fires it (transition tables cannot go with a column list); an update
            # that changes nothing counted nets to nothing.
            f"{prefix}_changed": (
                "UPDATE",
                on,
                "OLD TABLE AS before_update NEW TABLE AS after_update",
                _add(
                    kinds,
                    table,
                    _shares(kinds, "after_update", "1")
                    + "\n    UNION ALL "
                    + _shares(kinds, "before_update", "-1"),
                ),
            ),
        }
    )


def _sqlite_add(kinds: dict, table: str, row: str) -> str:
    keys = _key_names(kinds)
    return f"""
    INSERT INTO {table} ({keys}facet, value, count)
    SELECT * FROM ({_shares(kinds, row, "1", source="")}) WHERE {kinds["exists"].format(rows=row)}
    ON CONFLICT ({keys}facet, value) DO UPDATE SET count = count + excluded.count;
"""


def _sqlite_take(kinds: dict, table: str, row: str) -> str:
    """One row's shares taken away: an update, so it creates no row, and not below zero."""
    keys = [*kinds["key"], "facet", "value"]
    return f"""
    UPDATE {table} SET count = MAX(count - 1, 0)
    WHERE ({", ".join(keys)}) IN (SELECT {", ".join(f"s.{k}" for k in keys)} FROM (
        {_shares(kinds, row, "1", source="")}
    ) s);
"""


def _sqlite_triggers(kinds: dict, table: str, on: str, prefix: str, columns: str, when: str):
    new, old = when.format(rows="NEW"), when.format(rows="OLD")
    return sqlite_row_triggers(
        {
            f"{prefix}_added": (
                f"AFTER INSERT ON {on} WHEN {new}",
                _sqlite_add(kinds, table, "NEW"),
            ),
            f"{prefix}_removed": (
                f"AFTER DELETE ON {on} WHEN {old}",
                _sqlite_take(kinds, table, "OLD"),
            ),
            f"{prefix}_changed": (
                f"AFTER UPDATE OF {columns} ON {on} WHEN {old} OR {new}",
                _sqlite_take(kinds, table, "OLD") + _sqlite_add(kinds, table, "NEW"),
            ),
        }
    )


_ACTION_TRIGGERS = "tracker_pubactioncount"
_LINK_TRIGGERS = "tracker_actioncountry_kindcount"

PG_ACTIONS, PG_ACTIONS_DROP = _postgresql_triggers(_ACTIONS, _COUNT, _ACTION, _ACTION_TRIGGERS)
PG_LINKS, PG_LINKS_DROP = _postgresql_triggers(_LINKS, _COUNTRY_COUNT, _LINK, _LINK_TRIGGERS)
SQLITE_ACTIONS, SQLITE_ACTIONS_DROP = _sqlite_triggers(
    _ACTIONS,
    _COUNT,
    _ACTION,
    _ACTION_TRIGGERS,
    "review_state, action_type, progress, objective_mask",
    _ACTIONS["counts"],
)
SQLITE_LINKS, SQLITE_LINKS_DROP = _sqlite_triggers(
    _LINKS,
    _COUNTRY_COUNT,
    _LINK,
    _LINK_TRIGGERS,
    "country_id, action_published_at, action_type, action_progress, action_objective_mask",
    _LINKS["counts"],
)
# SQLite: a country's counts go with it. Django's flush empties SQLite's tables one by one, in
# no fixed order (tests/ops/test_flush_order.py): the links of a country emptied before them
# still change as their actions' objective bits are rewritten, and would count again under a
# country that is gone. So no count is added for a country gone (_LINKS["exists"]), and a
# country deleted takes its counts.
SQLITE_COUNTRY_GONE = f"""CREATE TRIGGER tracker_countryactioncount_country_gone
AFTER DELETE ON tracker_country
BEGIN
    DELETE FROM {_COUNTRY_COUNT} WHERE country_id = OLD.id;
END"""

# 0048's triggers, dropped before they are made again here: only their names and tables matter
# to a DROP. Reversed, _remake_0048 makes them again from 0048 and counts again.
_OLD_ACTION_TRIGGERS = {
    f"{_ACTION_TRIGGERS}_{event}": _ACTION for event in ("added", "removed", "changed")
}
PG_OLD_DROP = [
    "\n".join(
        f"DROP TRIGGER {name} ON {table};\nDROP FUNCTION {name}();"
        for name, table in _OLD_ACTION_TRIGGERS.items()
    )
]
SQLITE_OLD_DROP = [f"DROP TRIGGER {name}" for name in _OLD_ACTION_TRIGGERS]


def _recount(vendor_actions: list, vendor_links: list) -> list[str]:
    return [
        f"DELETE FROM {_COUNT}",
        _fill(_ACTIONS, _COUNT, _ACTION),
        *vendor_actions,
        _fill(_LINKS, _COUNTRY_COUNT, _LINK),
        *vendor_links,
    ]


SQL = {
    "postgresql": (
        [*PG_OLD_DROP, *_recount(PG_ACTIONS, PG_LINKS)],
        [*PG_LINKS_DROP, *PG_ACTIONS_DROP],
    ),
    "sqlite": (
        [*SQLITE_OLD_DROP, *_recount(SQLITE_ACTIONS, [*SQLITE_LINKS, SQLITE_COUNTRY_GONE])],
        [
            "DROP TRIGGER tracker_countryactioncount_country_gone",
            *SQLITE_LINKS_DROP,
            *SQLITE_ACTIONS_DROP,
        ],
    ),
}


def _remake_0048(apps, schema_editor):
    """Reversed: 0048's triggers made again from its own module, and its counts recounted
    (rows of the combined facets go)."""
    from importlib import import_module

    old = import_module("gcm_tracker.tracker.migrations.0048_published_action_counts")
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_COUNT}")
        for statement in old.SQL[vendor][0]:
            cursor.execute(statement)


FACETS = [
    ("type", "Type"),
    ("progress", "Progress"),
    ("objective", "Objective"),
    ("t+p", "Type Progress"),
    ("t+o", "Type Objective"),
    ("p+o", "Progress Objective"),
    ("t+p+o", "All Three"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0055_country_recommendations"),
    ]

    operations = [
        migrations.AlterField(
            model_name="publishedactioncount",
            name="facet",
            field=models.CharField(
                choices=FACETS,
                max_length=10,
            ),
        ),
        migrations.CreateModel(
            name="CountryActionCount",
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
                        choices=FACETS,
                        max_length=10,
                    ),
                ),
                ("value", models.CharField(max_length=30)),
                ("count", models.IntegerField(default=0)),
                (
                    "country",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="tracker.country",
                    ),
                ),
            ],
            options={
                "verbose_name": "published actions by kind and country",
                "verbose_name_plural": "published actions of each kind in each country",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("country", "facet", "value"),
                        name="tracker_countryactioncount_unique",
                    )
                ],
            },
        ),
        migrations.RunPython(
            lambda apps, schema_editor: None,
            _remake_0048,
        ),
        vendor_sql_operation(SQL),
    ]
