"""The assessments' derived flags: `Assessment.in_scope` (the country is in the recommendation's
scope) and `Assessment.disagreed_at` (on an official assessment: when its cell last came to
disagree, two or more levels, with a civil-society assessment of the same cell).

Both are recomputed here, set-based, for the assessments a WHERE clause picks: by cell_write()
for the cell it wrote (one voice's write moves the other's disagreement), by
recommendation_set_scope() for the recommendation, by the country admin for a country whose
subregion or membership changed, and by `manage.py check_assessment_counts [--repair]` a chunk
of recommendations at a time. The SQL runs as it is on PostgreSQL and SQLite; migration 0023
and seed_synthetic fill the flags with the same rules.
"""

from django.db import connection

from ..country_selectors import DISAGREEING
from ..enums import AssessmentVoice, EscapMembership, RecommendationScope

_MEMBERS = f"('{EscapMembership.MEMBER.value}', '{EscapMembership.ASSOCIATE_MEMBER.value}')"

# Whether assessment `a` is in its recommendation's scope (as tracker.scope.assessments_in_scope).
IN_SCOPE = f"""EXISTS (
    SELECT 1 FROM tracker_recommendation r JOIN tracker_country c ON c.id = a.country_id
    WHERE r.id = a.recommendation_id AND (
        (r.scope = '{RecommendationScope.ESCAP.value}' AND c.membership IN {_MEMBERS})
        OR (r.scope = '{RecommendationScope.SELECTED.value}' AND EXISTS (
            SELECT 1 FROM tracker_recommendationscopearea s
            WHERE s.recommendation_id = r.id
              AND (s.country_id = c.id OR (s.subregion <> '' AND s.subregion = c.subregion))
        ))
    )
)"""


def _disagreeing_pair(official: str, civil_society: str) -> str:
    """SQL: the status columns `official` and `civil_society` are two or more levels apart."""
    return (
        "("
        + " OR ".join(
            f"({official} = '{status}' AND {civil_society} IN ({', '.join(map(repr, others))}))"
            for status, others in DISAGREEING.items()
            if others
        )
        + ")"
    )


# The newest disagreeing civil-society assessment of official assessment `a`'s cell (NULL: none).
_NEWEST_DISAGREEING = f"""(
    SELECT MAX(cs.recorded_at) FROM tracker_assessment cs
    WHERE cs.recommendation_id = a.recommendation_id AND cs.country_id = a.country_id
      AND cs.voice = '{AssessmentVoice.CIVIL_SOCIETY.value}'
      AND {_disagreeing_pair("a.status", "cs.status")}
)"""

# What `a.disagreed_at` should be: NULL on civil-society rows and where nothing disagrees, else
# the later of the official's own time and the newest disagreeing civil-society assessment's.
DISAGREED_AT = f"""CASE WHEN a.voice <> '{AssessmentVoice.OFFICIAL.value}' THEN NULL
    WHEN {_NEWEST_DISAGREEING} IS NULL THEN NULL
    WHEN {_NEWEST_DISAGREEING} > a.recorded_at THEN {_NEWEST_DISAGREEING}
    ELSE a.recorded_at END"""

# Stored and expected differ (NULL-safe; SQLite knows IS DISTINCT FROM since 3.39).
_WRONG = f"(a.in_scope <> {IN_SCOPE} OR a.disagreed_at IS DISTINCT FROM ({DISAGREED_AT}))"


def _where(recommendation_ids=None, country_id=None, cell=None) -> tuple[str, list]:
    """The assessments concerned: all, those of `recommendation_ids`, of `country_id`, or of
    one `cell` (recommendation id, country id)."""
    if cell is not None:
        return "a.recommendation_id = %s AND a.country_id = %s", list(cell)
    if recommendation_ids is not None:
        ids = [int(pk) for pk in recommendation_ids] or [0]
        return f"a.recommendation_id IN ({', '.join(['%s'] * len(ids))})", ids
    if country_id is not None:
        return "a.country_id = %s", [country_id]
    return "1 = 1", []


def assessment_flags_wrong(**which) -> int:
    """How many of the chosen assessments (see _where) have a stored flag that differs from
    what the assessments and scopes say (one query)."""
    where, params = _where(**which)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM tracker_assessment a WHERE {where} AND {_WRONG}", params
        )
        return cursor.fetchone()[0]


def assessment_flags_refresh(**which) -> int:
    """Rewrite the flags of the chosen assessments (see _where) that differ; call it inside the
    writing transaction. Returns how many rows were rewritten (one UPDATE).

    Written against the table alias `a`: UPDATE cannot alias its table on every database, so
    the rows are picked by id from a SELECT that can.
    """
    where, params = _where(**which)
    sql = f"""
        UPDATE tracker_assessment SET
            in_scope = (SELECT {IN_SCOPE} FROM tracker_assessment a
                        WHERE a.id = tracker_assessment.id),
            disagreed_at = (SELECT {DISAGREED_AT} FROM tracker_assessment a
                            WHERE a.id = tracker_assessment.id)
        WHERE id IN (SELECT a.id FROM tracker_assessment a WHERE {where} AND {_WRONG})
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
