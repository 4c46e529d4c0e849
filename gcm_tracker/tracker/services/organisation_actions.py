"""Each organisation's published actions in each country (models.StakeholderActionCountry):
added to when an action is published, checked and repaired by `manage.py repair_counts`
(services.counts names what it finds). The same SQL on PostgreSQL and SQLite.
"""

from django.db import connection

from ..models import Stakeholder, StakeholderActionCountry

# Each published action once per organisation that took part (its lead, each partner) and per
# country it was taken in: the table's rows as they should be, (stakeholder, country, action,
# publication). `{lead}` and `{partner}` narrow the two kinds of organisation ("AND" and a
# condition, or nothing).
FRESH = """
SELECT o.stakeholder_id, ac.country_id, o.action_id, o.published_at
FROM (
    SELECT a.id AS action_id, a.lead_stakeholder_id AS stakeholder_id, a.published_at
    FROM tracker_followupaction a WHERE a.review_state = 'published' {lead}
    UNION
    SELECT a.id, ap.stakeholder_id, a.published_at
    FROM tracker_actionpartner ap JOIN tracker_followupaction a ON a.id = ap.action_id
    WHERE a.review_state = 'published' {partner}
) o
JOIN tracker_actioncountry ac ON ac.action_id = o.action_id
"""


def insert_sql(lead: str = "", partner: str = "") -> str:
    """The INSERT of FRESH's rows, narrowed by `lead` and `partner` as FRESH is."""
    return (
        "INSERT INTO tracker_stakeholderactioncountry"
        " (stakeholder_id, country_id, action_id, action_published_at)"
        + FRESH.format(lead=lead, partner=partner)
    )


# The (organisation, country) pairs whose rows differ from FRESH's (a row missing, extra or
# with another date), with how many rows each holds and should hold.
_DRIFT = """
WITH fresh AS ({fresh}),
wrong AS (
    SELECT f.stakeholder_id, f.country_id
    FROM fresh f LEFT JOIN tracker_stakeholderactioncountry r
      ON r.stakeholder_id = f.stakeholder_id AND r.country_id = f.country_id
     AND r.action_id = f.action_id AND r.action_published_at = f.published_at
    WHERE r.id IS NULL
    UNION
    SELECT r.stakeholder_id, r.country_id
    FROM tracker_stakeholderactioncountry r LEFT JOIN fresh f
      ON r.stakeholder_id = f.stakeholder_id AND r.country_id = f.country_id
     AND r.action_id = f.action_id AND r.action_published_at = f.published_at
    WHERE f.action_id IS NULL {recorded_only}
)
SELECT w.stakeholder_id, w.country_id, COALESCE(recorded.n, 0), COALESCE(should.n, 0)
FROM wrong w
LEFT JOIN (
    SELECT stakeholder_id, country_id, count(*) AS n
    FROM tracker_stakeholderactioncountry GROUP BY stakeholder_id, country_id
) recorded ON recorded.stakeholder_id = w.stakeholder_id AND recorded.country_id = w.country_id
LEFT JOIN (
    SELECT stakeholder_id, country_id, count(*) AS n FROM fresh GROUP BY stakeholder_id, country_id
) should ON should.stakeholder_id = w.stakeholder_id AND should.country_id = w.country_id
ORDER BY 1, 2
"""


def add(action_id: int) -> None:
    """List the newly published action `action_id` for each of its organisations in each of its
    countries (in the transaction that publishes it)."""
    with connection.cursor() as cursor:
        sql = insert_sql(lead="AND a.id = %s", partner="AND ap.action_id = %s")
        cursor.execute(sql, [action_id, action_id])


def _among(stakeholders: list[int] | None) -> tuple[str, str, str]:
    """FRESH's two conditions and the recorded rows' narrowing to `stakeholders` (None: every
    organisation); each takes the stakeholders as its parameters."""
    if stakeholders is None:
        return "", "", ""
    marks = ", ".join(["%s"] * len(stakeholders)) or "NULL"
    return (
        f"AND a.lead_stakeholder_id IN ({marks})",
        f"AND ap.stakeholder_id IN ({marks})",
        f"AND r.stakeholder_id IN ({marks})",
    )


def drift(stakeholders: list[int] | None = None) -> list[tuple[int, int, int, int]]:
    """(stakeholder id, country id, rows held, rows it should hold) of every pair whose rows are
    wrong, of every organisation or only `stakeholders`: one query."""
    lead, partner, recorded_only = _among(stakeholders)
    sql = _DRIFT.format(fresh=FRESH.format(lead=lead, partner=partner), recorded_only=recorded_only)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(stakeholders or [])] * 3)
        return [tuple(row) for row in cursor.fetchall()]


def repair(wrong: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Write the rows of the organisations of `wrong` (rows of drift()) again; returns what was
    wrong, counted again under the lock. Publishing an action updates its organisations' rows
    (their counts) before it adds to the table: holding those rows (in primary-key order) makes
    publications for them wait, so the rewrite is final."""
    stakeholders = sorted({row[0] for row in wrong})
    locked = Stakeholder.objects.select_for_update().filter(pk__in=stakeholders).order_by("pk")
    list(locked.values_list("pk"))
    rows = drift(stakeholders)
    lead, partner, _ = _among(stakeholders)
    StakeholderActionCountry.objects.filter(stakeholder__in=stakeholders).delete()
    with connection.cursor() as cursor:
        cursor.execute(insert_sql(lead, partner), stakeholders * 2)
    return rows
