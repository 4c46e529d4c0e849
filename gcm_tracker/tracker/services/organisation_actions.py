"""Each organisation's published actions, in all (models.StakeholderAction) and in each country
(models.StakeholderActionCountry): added to when an action is published, checked and repaired
by `manage.py repair_counts` (services.counts names what it finds). The same SQL on PostgreSQL
and SQLite.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Model

from ..models import Stakeholder, StakeholderAction, StakeholderActionCountry

# Each published action once per organisation that took part (its lead, each partner), as rows
# (stakeholder_id, action_id, published_at). `{lead}` and `{partner}` narrow the two kinds of
# organisation ("AND" and a condition on `a`, the action, or `ap`, the partner link; or nothing).
_TAKING_PART = """
    SELECT a.id AS action_id, a.lead_stakeholder_id AS stakeholder_id, a.published_at
    FROM tracker_followupaction a WHERE a.review_state = 'published' {lead}
    UNION
    SELECT a.id, ap.stakeholder_id, a.published_at
    FROM tracker_actionpartner ap JOIN tracker_followupaction a ON a.id = ap.action_id
    WHERE a.review_state = 'published' {partner}
"""


@dataclass(frozen=True)
class KeptList:
    """A table of organisations' published actions, read by `keys` (the organisation, and the
    country for StakeholderActionCountry): `fresh` is the SQL of its rows as they should be,
    (keys…, action_id, published_at), narrowed as _TAKING_PART is."""

    model: type[Model]
    keys: tuple[str, ...]
    fresh: str

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def insert_sql(self, lead: str = "", partner: str = "") -> str:
        """The INSERT of the rows as they should be, narrowed by `lead` and `partner`."""
        columns = ", ".join((*self.keys, "action_id", "action_published_at"))
        return f"INSERT INTO {self.table} ({columns})" + self.fresh.format(
            lead=lead, partner=partner
        )

    def _drift_sql(self, fresh: str, recorded_only: str) -> str:
        """The keys whose rows differ from `fresh`'s (a row missing, extra or with another
        date), with how many rows each holds and should hold."""

        def same(left: str, right: str) -> str:
            return " AND ".join(f"{left}.{key} = {right}.{key}" for key in self.keys)

        def of(alias: str) -> str:
            return ", ".join(f"{alias}.{key}" for key in self.keys)

        keys = ", ".join(self.keys)
        same_row = "r.action_id = f.action_id AND r.action_published_at = f.published_at"
        return f"""
WITH fresh AS ({fresh}),
wrong AS (
    SELECT {of("f")} FROM fresh f LEFT JOIN {self.table} r ON {same("r", "f")} AND {same_row}
    WHERE r.id IS NULL
    UNION
    SELECT {of("r")} FROM {self.table} r LEFT JOIN fresh f ON {same("r", "f")} AND {same_row}
    WHERE f.action_id IS NULL {recorded_only}
)
SELECT {of("w")}, COALESCE(recorded.n, 0), COALESCE(should.n, 0)
FROM wrong w
LEFT JOIN (SELECT {keys}, count(*) AS n FROM {self.table} GROUP BY {keys}) recorded
    ON {same("recorded", "w")}
LEFT JOIN (SELECT {keys}, count(*) AS n FROM fresh GROUP BY {keys}) should
    ON {same("should", "w")}
ORDER BY {", ".join(str(n) for n in range(1, len(self.keys) + 1))}
"""

    def drift(self, stakeholders: list[int] | None = None) -> list[tuple]:
        """(keys…, rows held, rows it should hold) of every organisation's (or country's) list
        that is wrong, of every organisation or only `stakeholders`: one query."""
        lead, partner, recorded_only = _among(stakeholders)
        sql = self._drift_sql(self.fresh.format(lead=lead, partner=partner), recorded_only)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*(stakeholders or [])] * 3)
            return [tuple(row) for row in cursor.fetchall()]

    def repair(self, wrong: list[tuple]) -> list[tuple]:
        """Write the rows of the organisations of `wrong` (rows of drift()) again; returns what
        was wrong, found again under the lock. Publishing an action updates its organisations'
        rows (their counts) before it adds to these tables: holding those rows (in primary-key
        order) makes publications for them wait, so the rewrite is final."""
        stakeholders = sorted({row[0] for row in wrong})
        locked = Stakeholder.objects.select_for_update().filter(pk__in=stakeholders)
        list(locked.order_by("pk").values_list("pk"))
        rows = self.drift(stakeholders)
        lead, partner, _ = _among(stakeholders)
        self.model.objects.filter(stakeholder__in=stakeholders).delete()
        with connection.cursor() as cursor:
            cursor.execute(self.insert_sql(lead, partner), stakeholders * 2)
        return rows


KEPT_LISTS = [
    KeptList(
        StakeholderAction,
        ("stakeholder_id",),
        f"SELECT o.stakeholder_id, o.action_id, o.published_at FROM ({_TAKING_PART}) o",
    ),
    # Once per country the action was taken in.
    KeptList(
        StakeholderActionCountry,
        ("stakeholder_id", "country_id"),
        f"""
SELECT o.stakeholder_id, ac.country_id, o.action_id, o.published_at
FROM ({_TAKING_PART}) o JOIN tracker_actioncountry ac ON ac.action_id = o.action_id
""",
    ),
]


def add(action_id: int) -> None:
    """List the newly published action `action_id` for each of its organisations, in all and in
    each of its countries (in the transaction that publishes it)."""
    with connection.cursor() as cursor:
        for kept in KEPT_LISTS:
            sql = kept.insert_sql(lead="AND a.id = %s", partner="AND ap.action_id = %s")
            cursor.execute(sql, [action_id, action_id])


def _among(stakeholders: list[int] | None) -> tuple[str, str, str]:
    """_TAKING_PART's two conditions and the recorded rows' narrowing to `stakeholders` (None:
    every organisation); each takes the stakeholders as its parameters."""
    if stakeholders is None:
        return "", "", ""
    marks = ", ".join(["%s"] * len(stakeholders)) or "NULL"
    return (
        f"AND a.lead_stakeholder_id IN ({marks})",
        f"AND ap.stakeholder_id IN ({marks})",
        f"AND r.stakeholder_id IN ({marks})",
    )
