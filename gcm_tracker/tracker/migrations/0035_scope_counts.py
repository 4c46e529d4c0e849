"""Recommendations counted by scope and status, and by objective and scope, in summary tables
kept by triggers (models.ScopeStatusCount, models.ObjectiveScopeCount), as the objective
breakdown is (migrations 0007 and 0010).

What they replace, at N = 200,000: counting every recommendation (10 ms) and grouping them by
status (20 ms) for the dashboard, a scorecard and the country map; and reading the links of
every recommendation of another scope than ESCAP (15 ms) for a scorecard's applicable
recommendations per objective.

PostgreSQL: statement-level triggers with transition tables, each a grouped upsert that takes
its rows in key order (a removal adds a negative count), so a set-based write costs one
statement and concurrent writes cannot deadlock on these rows. SQLite (development): row-level
triggers. The migration fills both tables from the rows already there.
"""

import django.db.models.deletion
from django.db import migrations, models

from gcm_tracker.tracker.vendor_sql import (
    drop_statement_triggers,
    statement_trigger,
    vendor_sql_operation,
)

FILL = [
    """
INSERT INTO tracker_scopestatuscount (scope, status, count)
SELECT scope, status, COUNT(*) FROM tracker_recommendation GROUP BY scope, status
""",
    """
INSERT INTO tracker_objectivescopecount (objective_id, scope, count)
SELECT link.objective_id, rec.scope, COUNT(*)
FROM tracker_recommendationobjective link
JOIN tracker_recommendation rec ON rec.id = link.recommendation_id
GROUP BY link.objective_id, rec.scope
""",
]


def _add_scope_status(deltas: str) -> str:
    """An upsert adding `deltas` (rows of scope, status, n) to the scope-status counts."""
    return f"""
    INSERT INTO tracker_scopestatuscount (scope, status, count)
    SELECT scope, status, SUM(n) FROM ({deltas}) deltas
    GROUP BY scope, status ORDER BY scope, status
    ON CONFLICT (scope, status)
    DO UPDATE SET count = tracker_scopestatuscount.count + EXCLUDED.count;
"""


def _add_objective_scope(deltas: str) -> str:
    """An upsert adding `deltas` (rows of objective_id, scope, n) to the objective-scope
    counts."""
    return f"""
    INSERT INTO tracker_objectivescopecount (objective_id, scope, count)
    SELECT objective_id, scope, SUM(n) FROM ({deltas}) deltas
    GROUP BY objective_id, scope ORDER BY objective_id, scope
    ON CONFLICT (objective_id, scope)
    DO UPDATE SET count = tracker_objectivescopecount.count + EXCLUDED.count;
"""


# The recommendations whose scope or status an UPDATE changed, before and after.
_MOVED = """
    FROM before_update before JOIN after_update after ON after.id = before.id
    WHERE before.scope <> after.scope OR before.status <> after.status
"""
# The links of the recommendations whose scope an UPDATE changed.
_RESCOPED_LINKS = """
    FROM before_update before JOIN after_update after ON after.id = before.id
    JOIN tracker_recommendationobjective link ON link.recommendation_id = after.id
    WHERE before.scope <> after.scope
"""
_LINKS_WITH_SCOPE = "JOIN tracker_recommendation rec ON rec.id = link.recommendation_id"

_RECOMMENDATION, _LINK = "tracker_recommendation", "tracker_recommendationobjective"

POSTGRESQL_FORWARD = [
    statement_trigger(
        "tracker_scopecount_recs_added",
        "INSERT",
        _RECOMMENDATION,
        "NEW TABLE AS added",
        _add_scope_status("SELECT scope, status, 1 AS n FROM added"),
    ),
    statement_trigger(
        "tracker_scopecount_recs_removed",
        "DELETE",
        _RECOMMENDATION,
        "OLD TABLE AS removed",
        _add_scope_status("SELECT scope, status, -1 AS n FROM removed"),
    ),
    # Transition tables cannot go with a column list (UPDATE OF scope, status): every update
    # fires it, and the joins find no row unless a scope or status changed.
    statement_trigger(
        "tracker_scopecount_recs_changed",
        "UPDATE",
        _RECOMMENDATION,
        "OLD TABLE AS before_update NEW TABLE AS after_update",
        _add_scope_status(
            f"SELECT before.scope, before.status, -1 AS n {_MOVED} "
            f"UNION ALL SELECT after.scope, after.status, 1 {_MOVED}"
        )
        + _add_objective_scope(
            f"SELECT link.objective_id, before.scope, -1 AS n {_RESCOPED_LINKS} "
            f"UNION ALL SELECT link.objective_id, after.scope, 1 {_RESCOPED_LINKS}"
        ),
    ),
    statement_trigger(
        "tracker_objscope_links_added",
        "INSERT",
        _LINK,
        "NEW TABLE AS added_links",
        _add_objective_scope(
            f"SELECT link.objective_id, rec.scope, 1 AS n FROM added_links link {_LINKS_WITH_SCOPE}"
        ),
    ),
    statement_trigger(
        "tracker_objscope_links_removed",
        "DELETE",
        _LINK,
        "OLD TABLE AS removed_links",
        _add_objective_scope(
            "SELECT link.objective_id, rec.scope, -1 AS n "
            f"FROM removed_links link {_LINKS_WITH_SCOPE}"
        ),
    ),
]
POSTGRESQL_REVERSE = [
    drop_statement_triggers(
        {
            "tracker_scopecount_recs_added": _RECOMMENDATION,
            "tracker_scopecount_recs_removed": _RECOMMENDATION,
            "tracker_scopecount_recs_changed": _RECOMMENDATION,
            "tracker_objscope_links_added": _LINK,
            "tracker_objscope_links_removed": _LINK,
        }
    )
]
SQLITE_FORWARD = [
    """
CREATE TRIGGER tracker_scopecount_rec_added AFTER INSERT ON tracker_recommendation
BEGIN
    INSERT INTO tracker_scopestatuscount (scope, status, count) VALUES (NEW.scope, NEW.status, 1)
    ON CONFLICT (scope, status) DO UPDATE SET count = count + 1;
END
""",
    """
CREATE TRIGGER tracker_scopecount_rec_removed AFTER DELETE ON tracker_recommendation
BEGIN
    UPDATE tracker_scopestatuscount SET count = count - 1
    WHERE scope = OLD.scope AND status = OLD.status;
END
""",
    """
CREATE TRIGGER tracker_scopecount_rec_changed AFTER UPDATE OF scope, status
ON tracker_recommendation
WHEN OLD.scope <> NEW.scope OR OLD.status <> NEW.status
BEGIN
    UPDATE tracker_scopestatuscount SET count = count - 1
    WHERE scope = OLD.scope AND status = OLD.status;
    INSERT INTO tracker_scopestatuscount (scope, status, count) VALUES (NEW.scope, NEW.status, 1)
    ON CONFLICT (scope, status) DO UPDATE SET count = count + 1;
END
""",
    """
CREATE TRIGGER tracker_objscope_rescoped AFTER UPDATE OF scope ON tracker_recommendation
WHEN OLD.scope <> NEW.scope
BEGIN
    UPDATE tracker_objectivescopecount SET count = count - 1
    WHERE scope = OLD.scope AND objective_id IN (
        SELECT objective_id FROM tracker_recommendationobjective WHERE recommendation_id = NEW.id
    );
    INSERT INTO tracker_objectivescopecount (objective_id, scope, count)
    SELECT objective_id, NEW.scope, 1 FROM tracker_recommendationobjective
    WHERE recommendation_id = NEW.id
    ON CONFLICT (objective_id, scope) DO UPDATE SET count = count + 1;
END
""",
    """
CREATE TRIGGER tracker_objscope_link_added AFTER INSERT ON tracker_recommendationobjective
BEGIN
    INSERT INTO tracker_objectivescopecount (objective_id, scope, count)
    SELECT NEW.objective_id, scope, 1 FROM tracker_recommendation WHERE id = NEW.recommendation_id
    ON CONFLICT (objective_id, scope) DO UPDATE SET count = count + 1;
END
""",
    """
CREATE TRIGGER tracker_objscope_link_removed AFTER DELETE ON tracker_recommendationobjective
BEGIN
    UPDATE tracker_objectivescopecount SET count = count - 1
    WHERE objective_id = OLD.objective_id
    AND scope = (SELECT scope FROM tracker_recommendation WHERE id = OLD.recommendation_id);
END
""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER tracker_scopecount_rec_added",
    "DROP TRIGGER tracker_scopecount_rec_removed",
    "DROP TRIGGER tracker_scopecount_rec_changed",
    "DROP TRIGGER tracker_objscope_rescoped",
    "DROP TRIGGER tracker_objscope_link_added",
    "DROP TRIGGER tracker_objscope_link_removed",
]

# The fields' choices when the tables were made (enums.RecommendationScope, RecommendationStatus).
SCOPES = [
    ("escap", "Every ESCAP member and associate member"),
    ("selected", "Selected subregions or countries"),
    ("regional", "Regional only"),
]
STATUSES = [
    ("no_information", "No information"),
    ("not_started", "Not started"),
    ("limited_progress", "Limited progress"),
    ("substantial_progress", "Substantial progress"),
    ("implemented", "Implemented"),
]

SQL = {
    "postgresql": ([*POSTGRESQL_FORWARD, *FILL], POSTGRESQL_REVERSE),
    "sqlite": ([*SQLITE_FORWARD, *FILL], SQLITE_REVERSE),
}


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0034_not_escap_index_with_scope"),
    ]

    operations = [
        migrations.CreateModel(
            name="ScopeStatusCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "scope",
                    models.CharField(
                        choices=SCOPES,
                        max_length=20,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=STATUSES,
                        max_length=24,
                    ),
                ),
                ("count", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "scope status count",
                "verbose_name_plural": "scope status counts",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("scope", "status"), name="tracker_scopestatus_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ObjectiveScopeCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "scope",
                    models.CharField(
                        choices=SCOPES,
                        max_length=20,
                    ),
                ),
                ("count", models.IntegerField(default=0)),
                (
                    "objective",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="tracker.objective",
                    ),
                ),
            ],
            options={
                "verbose_name": "objective scope count",
                "verbose_name_plural": "objective scope counts",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("objective", "scope"), name="tracker_objscopecount_unique"
                    )
                ],
            },
        ),
        vendor_sql_operation(SQL),
    ]
