"""The SELECTED recommendations naming each country, each subregion and each pair of the two
(models.SelectedAreaCount), kept by triggers, so the country map counts each country's
applicable recommendations from a few hundred rows instead of reading the areas of every
SELECTED recommendation (docs/performance.md, "Fifteenth round").

What changes the counts: a scope area added, removed or changed while its recommendation is
SELECTED, and a recommendation's scope moving to or from SELECTED. A change of a country's
subregion changes none (the pairs are kept for every subregion; the map joins the country's
current one).

PostgreSQL: statement-level triggers with transition tables. Each adds what the areas of the
recommendations concerned count after the statement and takes away what they counted before,
in two grouped upserts (countries and pairs, then subregions) taking their rows in key order,
so a set-based write costs one run and one statement's writes cannot deadlock with another's
(services.recommendation_set_scope makes its edits of three statements wait for each other).
A statement writes one kind of change to the areas (the application's, and the ORM's, do): one
that both removed and added areas (a writable CTE, an upsert moving an area) would be compared
with a state that never was. SQLite (development): row-level triggers adding one row's share.
The migration fills the table from the rows there. On both, a share taken away counts only
against a row that exists (_taken_from_a_row): removing areas never creates a row.
"""

import django.db.models.deletion
from django.db import migrations, models

from gcm_tracker.tracker.vendor_sql import (
    sqlite_row_triggers,
    statement_triggers,
    vendor_sql_operation,
)

_COUNT = "tracker_selectedareacount"
_AREA = "tracker_recommendationscopearea"
_RECOMMENDATION = "tracker_recommendation"
_SELECTED = "'selected'"

# The two kinds of key, each with its unique index: a country (alone or with a subregion), and a
# subregion alone.
_COUNTRY_KEY = "ON CONFLICT (country_id, subregion) WHERE country_id IS NOT NULL"
_SUBREGION_KEY = "ON CONFLICT (subregion) WHERE country_id IS NULL"


def _shares(areas: str, n: str) -> str:
    """Rows (country_id, subregion, n) of what `areas` (a table of recommendation_id,
    country_id, subregion, every one of a SELECTED recommendation) count: each country named,
    each subregion named and each country named with a subregion by the same recommendation."""
    return f"""
    SELECT country_id, '' AS subregion, {n} AS n FROM {areas} WHERE country_id IS NOT NULL
    UNION ALL SELECT NULL, subregion, {n} FROM {areas} WHERE subregion <> ''
    UNION ALL SELECT c.country_id, s.subregion, {n}
        FROM {areas} c JOIN {areas} s ON s.recommendation_id = c.recommendation_id
        WHERE c.country_id IS NOT NULL AND s.subregion <> ''
"""


def _taken_from_a_row(n: str, country: str, subregion: str) -> str:
    """A condition on a share `n` of the area (`country`, `subregion`; "NULL" for no country):
    a share taken away (n < 0) counts only against a row that exists, so removing areas never
    creates a row. Django's flush on SQLite (after each transactional test) deletes the tables
    one by one in no fixed order: emptied before the areas, this table would otherwise get rows
    of -1 back, naming countries deleted next (a foreign key broken at commit) or subregions (a
    row left for the next test). A share added (the literal "1") needs no condition."""
    if n == "1":
        return ""
    key = "k.country_id IS NULL" if country == "NULL" else f"k.country_id = {country}"
    exists = f"SELECT 1 FROM {_COUNT} k WHERE {key} AND k.subregion = {subregion}"
    return f"AND ({n} > 0 OR EXISTS ({exists}))"


FILL = f"""
WITH selected_areas AS (
    SELECT a.recommendation_id, a.country_id, a.subregion
    FROM {_AREA} a JOIN {_RECOMMENDATION} r ON r.id = a.recommendation_id
    WHERE r.scope = {_SELECTED}
)
INSERT INTO {_COUNT} (country_id, subregion, count)
SELECT country_id, subregion, SUM(n) FROM ({_shares("selected_areas", "1")}) shares
GROUP BY country_id, subregion
"""


def _recount(after: str, before: str) -> str:
    """PL/pgSQL adding the shares of `after` and taking away those of `before` (queries of
    recommendation_id, country_id, subregion: the areas of the SELECTED recommendations
    concerned, as they are after the statement and as they were before it)."""
    deltas = f"""
    WITH after_areas AS ({after}), before_areas AS ({before})
    SELECT country_id, subregion, SUM(n) AS n FROM (
        {_shares("after_areas", "1")} UNION ALL {_shares("before_areas", "-1")}
    ) shares GROUP BY country_id, subregion HAVING SUM(n) <> 0
"""
    return f"""
    INSERT INTO {_COUNT} (country_id, subregion, count)
    SELECT country_id, subregion, n FROM ({deltas}) deltas
    WHERE country_id IS NOT NULL {_taken_from_a_row("n", "deltas.country_id", "deltas.subregion")}
    ORDER BY country_id, subregion
    {_COUNTRY_KEY} DO UPDATE SET count = {_COUNT}.count + EXCLUDED.count;
    INSERT INTO {_COUNT} (country_id, subregion, count)
    SELECT country_id, subregion, n FROM ({deltas}) deltas
    WHERE country_id IS NULL {_taken_from_a_row("n", "NULL", "deltas.subregion")}
    ORDER BY subregion
    {_SUBREGION_KEY} DO UPDATE SET count = {_COUNT}.count + EXCLUDED.count;
"""


def _areas_of_selected(recommendations: str, leave_out: str = "") -> str:
    """The areas, as they are now, of the SELECTED ones among the recommendations whose keys
    `recommendations` selects, without those whose keys `leave_out` selects."""
    without = f"AND a.id NOT IN ({leave_out})" if leave_out else ""
    return f"""
        SELECT a.recommendation_id, a.country_id, a.subregion FROM {_AREA} a
        JOIN {_RECOMMENDATION} r ON r.id = a.recommendation_id
        WHERE r.scope = {_SELECTED} AND a.recommendation_id IN ({recommendations}) {without}
"""


def _rows_of_selected(transition: str) -> str:
    """The rows of the transition table `transition` whose recommendation is SELECTED now."""
    return f"""
        SELECT t.recommendation_id, t.country_id, t.subregion FROM {transition} t
        JOIN {_RECOMMENDATION} r ON r.id = t.recommendation_id WHERE r.scope = {_SELECTED}
"""


# The areas, as they are, of the recommendations a statement on recommendations inserted
# (`added`), deleted (`removed`) or moved into or out of SELECTED (`moved`, then `after` or
# `before` is the side that is SELECTED), where that side is SELECTED. Areas are written after
# their recommendation and deleted before it, but deferred foreign keys allow either order.
def _areas_of(recommendations: str, alias: str, where: str) -> str:
    return f"""
        SELECT a.recommendation_id, a.country_id, a.subregion FROM {_AREA} a
        JOIN {recommendations} ON {alias}.id = a.recommendation_id WHERE {where}
"""


_NONE = f"SELECT recommendation_id, country_id, subregion FROM {_AREA} WHERE false"
_ADDED = _areas_of("added", "added", f"added.scope = {_SELECTED}")
_REMOVED = _areas_of("removed", "removed", f"removed.scope = {_SELECTED}")
_MOVED = _areas_of(
    "after_update after JOIN before_update before ON before.id = after.id",
    "after",
    f"(after.scope = {_SELECTED}) <> (before.scope = {_SELECTED})",
)
_CHANGED_AREAS = (
    "SELECT recommendation_id FROM before_update UNION SELECT recommendation_id FROM after_update"
)

POSTGRESQL_FORWARD, POSTGRESQL_REVERSE = statement_triggers(
    {
        "tracker_selectedcount_areas_added": (
            "INSERT",
            _AREA,
            "NEW TABLE AS added",
            _recount(
                _areas_of_selected("SELECT recommendation_id FROM added"),
                _areas_of_selected(
                    "SELECT recommendation_id FROM added", leave_out="SELECT id FROM added"
                ),
            ),
        ),
        "tracker_selectedcount_areas_removed": (
            "DELETE",
            _AREA,
            "OLD TABLE AS removed",
            _recount(
                _areas_of_selected("SELECT recommendation_id FROM removed"),
                _areas_of_selected("SELECT recommendation_id FROM removed")
                + " UNION ALL "
                + _rows_of_selected("removed"),
            ),
        ),
        "tracker_selectedcount_areas_changed": (
            "UPDATE",
            _AREA,
            "OLD TABLE AS before_update NEW TABLE AS after_update",
            _recount(
                _areas_of_selected(_CHANGED_AREAS),
                _areas_of_selected(_CHANGED_AREAS, leave_out="SELECT id FROM after_update")
                + " UNION ALL "
                + _rows_of_selected("before_update"),
            ),
        ),
        "tracker_selectedcount_recs_added": (
            "INSERT",
            _RECOMMENDATION,
            "NEW TABLE AS added",
            _recount(_ADDED, _NONE),
        ),
        "tracker_selectedcount_recs_removed": (
            "DELETE",
            _RECOMMENDATION,
            "OLD TABLE AS removed",
            _recount(_NONE, _REMOVED),
        ),
        # Every update of a recommendation fires it (transition tables cannot go with a column
        # list); the join finds no row unless a scope moved into or out of SELECTED.
        "tracker_selectedcount_recs_rescoped": (
            "UPDATE",
            _RECOMMENDATION,
            "OLD TABLE AS before_update NEW TABLE AS after_update",
            _recount(
                f"{_MOVED} AND after.scope = {_SELECTED}",
                f"{_MOVED} AND before.scope = {_SELECTED}",
            ),
        ),
    }
)


# SQLite: one row at a time (no WITH in a trigger). An area's share, added (1) or taken away
# (-1), when its recommendation is SELECTED: its country or subregion, and its pairs with the
# recommendation's other areas as they are, the row itself left out (already gone, or in place
# by then: `also_not` names its new version, which an update may have given another key).
def _sqlite_share(row: str, n: str, also_not: str = "") -> str:
    others = f"<> {row}.id" + (f" AND {{alias}}.id <> {also_not}.id" if also_not else "")
    selected = (
        f"(SELECT scope FROM {_RECOMMENDATION} WHERE id = {row}.recommendation_id) = {_SELECTED}"
    )
    return f"""
    INSERT INTO {_COUNT} (country_id, subregion, count)
    SELECT {row}.country_id, '', {n} WHERE {row}.country_id IS NOT NULL AND {selected}
        {_taken_from_a_row(n, f"{row}.country_id", "''")}
    UNION ALL SELECT {row}.country_id, s.subregion, {n} FROM {_AREA} s
        WHERE {row}.country_id IS NOT NULL AND {selected}
        AND s.recommendation_id = {row}.recommendation_id AND s.id {others.format(alias="s")}
        AND s.subregion <> '' {_taken_from_a_row(n, f"{row}.country_id", "s.subregion")}
    UNION ALL SELECT c.country_id, {row}.subregion, {n} FROM {_AREA} c
        WHERE {row}.subregion <> '' AND {selected}
        AND c.recommendation_id = {row}.recommendation_id AND c.id {others.format(alias="c")}
        AND c.country_id IS NOT NULL {_taken_from_a_row(n, "c.country_id", f"{row}.subregion")}
    {_COUNTRY_KEY} DO UPDATE SET count = count + excluded.count;
    INSERT INTO {_COUNT} (country_id, subregion, count)
    SELECT NULL, {row}.subregion, {n} WHERE {row}.subregion <> '' AND {selected}
        {_taken_from_a_row(n, "NULL", f"{row}.subregion")}
    {_SUBREGION_KEY} DO UPDATE SET count = count + excluded.count;
"""


def _sqlite_recommendation_shares(recommendation: str, n: str) -> str:
    """The shares of the areas of the recommendation whose key is `recommendation`, added (1)
    or taken away (-1)."""
    return f"""
    INSERT INTO {_COUNT} (country_id, subregion, count)
    SELECT a.country_id, '', {n} FROM {_AREA} a
        WHERE a.recommendation_id = {recommendation} AND a.country_id IS NOT NULL
        {_taken_from_a_row(n, "a.country_id", "''")}
    UNION ALL SELECT c.country_id, s.subregion, {n} FROM {_AREA} c, {_AREA} s
        WHERE c.recommendation_id = {recommendation} AND s.recommendation_id = {recommendation}
        AND c.country_id IS NOT NULL AND s.subregion <> ''
        {_taken_from_a_row(n, "c.country_id", "s.subregion")}
    {_COUNTRY_KEY} DO UPDATE SET count = count + excluded.count;
    INSERT INTO {_COUNT} (country_id, subregion, count)
    SELECT NULL, a.subregion, {n} FROM {_AREA} a
        WHERE a.recommendation_id = {recommendation} AND a.subregion <> ''
        {_taken_from_a_row(n, "NULL", "a.subregion")}
    {_SUBREGION_KEY} DO UPDATE SET count = count + excluded.count;
"""


SQLITE_FORWARD, SQLITE_REVERSE = sqlite_row_triggers(
    {
        "tracker_selectedcount_area_added": (f"AFTER INSERT ON {_AREA}", _sqlite_share("NEW", "1")),
        "tracker_selectedcount_area_removed": (
            f"AFTER DELETE ON {_AREA}",
            _sqlite_share("OLD", "-1"),
        ),
        "tracker_selectedcount_area_changed": (
            f"AFTER UPDATE ON {_AREA}",
            _sqlite_share("OLD", "-1", also_not="NEW") + _sqlite_share("NEW", "1", also_not="OLD"),
        ),
        "tracker_selectedcount_rec_added": (
            f"AFTER INSERT ON {_RECOMMENDATION} WHEN NEW.scope = {_SELECTED}",
            _sqlite_recommendation_shares("NEW.id", "1"),
        ),
        "tracker_selectedcount_rec_removed": (
            f"AFTER DELETE ON {_RECOMMENDATION} WHEN OLD.scope = {_SELECTED}",
            _sqlite_recommendation_shares("OLD.id", "-1"),
        ),
        "tracker_selectedcount_rec_rescoped": (
            f"AFTER UPDATE OF scope ON {_RECOMMENDATION} "
            f"WHEN (OLD.scope = {_SELECTED}) <> (NEW.scope = {_SELECTED})",
            _sqlite_recommendation_shares(
                "NEW.id", f"CASE WHEN NEW.scope = {_SELECTED} THEN 1 ELSE -1 END"
            ),
        ),
    }
)

SQL = {
    "postgresql": ([*POSTGRESQL_FORWARD, FILL], POSTGRESQL_REVERSE),
    "sqlite": ([*SQLITE_FORWARD, FILL], SQLITE_REVERSE),
}


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0044_org_lists_cover_filters"),
    ]

    operations = [
        migrations.CreateModel(
            name="SelectedAreaCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "subregion",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("east_north_east_asia", "East and North-East Asia"),
                            ("north_central_asia", "North and Central Asia"),
                            ("pacific", "Pacific"),
                            ("south_south_west_asia", "South and South-West Asia"),
                            ("south_east_asia", "South-East Asia"),
                        ],
                        max_length=30,
                    ),
                ),
                ("count", models.IntegerField(default=0)),
                (
                    "country",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="tracker.country",
                    ),
                ),
            ],
            options={
                "verbose_name": "selected area count",
                "verbose_name_plural": "selected area counts",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("country__isnull", False),
                            models.Q(("subregion", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="tracker_selectedcount_names_an_area",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("country__isnull", False)),
                        fields=("country", "subregion"),
                        name="tracker_selectedcount_unique_country",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("country__isnull", True)),
                        fields=("subregion",),
                        name="tracker_selectedcount_unique_subregion",
                    ),
                ],
            },
        ),
        vendor_sql_operation(SQL),
    ]
