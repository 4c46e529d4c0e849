"""The objective breakdown as a summary table kept by triggers (models.ObjectiveStatusCount).

PostgreSQL: statement-level triggers with transition tables, so a set-based write (seed_synthetic
inserts hundreds of thousands of links in one statement) costs one grouped upsert, not one per
row. SQLite (development): row-level triggers. Both keep the table exact under inserts and
deletes of links and updates of a recommendation's status; the migration fills it from the rows
already there.
"""

import django.db.models.deletion
from django.db import migrations, models

from gcm_tracker.tracker.vendor_sql import run_vendor_sql


FILL = """
INSERT INTO tracker_objectivestatuscount (objective_id, status, count)
SELECT link.objective_id, rec.status, COUNT(*)
FROM tracker_recommendationobjective link
JOIN tracker_recommendation rec ON rec.id = link.recommendation_id
GROUP BY link.objective_id, rec.status
"""

POSTGRESQL_FORWARD = """
CREATE FUNCTION tracker_objstatus_links_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tracker_objectivestatuscount (objective_id, status, count)
    SELECT link.objective_id, rec.status, COUNT(*)
    FROM added_links link JOIN tracker_recommendation rec ON rec.id = link.recommendation_id
    GROUP BY link.objective_id, rec.status
    ON CONFLICT (objective_id, status)
    DO UPDATE SET count = tracker_objectivestatuscount.count + EXCLUDED.count;
    RETURN NULL;
END;
$$;
CREATE TRIGGER tracker_objstatus_links_added AFTER INSERT ON tracker_recommendationobjective
    REFERENCING NEW TABLE AS added_links
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_objstatus_links_added();

CREATE FUNCTION tracker_objstatus_links_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tracker_objectivestatuscount summary SET count = summary.count - removed.n
    FROM (
        SELECT link.objective_id, rec.status, COUNT(*) AS n
        FROM removed_links link JOIN tracker_recommendation rec ON rec.id = link.recommendation_id
        GROUP BY link.objective_id, rec.status
    ) removed
    WHERE summary.objective_id = removed.objective_id AND summary.status = removed.status;
    RETURN NULL;
END;
$$;
CREATE TRIGGER tracker_objstatus_links_removed AFTER DELETE ON tracker_recommendationobjective
    REFERENCING OLD TABLE AS removed_links
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_objstatus_links_removed();

CREATE FUNCTION tracker_objstatus_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH moved AS (
        SELECT before.id, before.status AS old_status, after.status AS new_status
        FROM old_recommendations before JOIN new_recommendations after ON after.id = before.id
        WHERE before.status <> after.status
    ), deltas AS (
        SELECT link.objective_id, moved.old_status AS status, -1 AS n
        FROM moved JOIN tracker_recommendationobjective link ON link.recommendation_id = moved.id
        UNION ALL
        SELECT link.objective_id, moved.new_status, 1
        FROM moved JOIN tracker_recommendationobjective link ON link.recommendation_id = moved.id
    )
    INSERT INTO tracker_objectivestatuscount (objective_id, status, count)
    SELECT objective_id, status, SUM(n) FROM deltas GROUP BY objective_id, status
    ON CONFLICT (objective_id, status)
    DO UPDATE SET count = tracker_objectivestatuscount.count + EXCLUDED.count;
    RETURN NULL;
END;
$$;
-- Transition tables cannot go with a column list (UPDATE OF status): every update fires it, and
-- the join above finds no moved row unless a status changed.
CREATE TRIGGER tracker_objstatus_status_changed AFTER UPDATE ON tracker_recommendation
    REFERENCING OLD TABLE AS old_recommendations NEW TABLE AS new_recommendations
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_objstatus_status_changed();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER tracker_objstatus_links_added ON tracker_recommendationobjective;
DROP TRIGGER tracker_objstatus_links_removed ON tracker_recommendationobjective;
DROP TRIGGER tracker_objstatus_status_changed ON tracker_recommendation;
DROP FUNCTION tracker_objstatus_links_added();
DROP FUNCTION tracker_objstatus_links_removed();
DROP FUNCTION tracker_objstatus_status_changed();
"""
SQLITE_FORWARD = [
    """
CREATE TRIGGER tracker_objstatus_link_added AFTER INSERT ON tracker_recommendationobjective
BEGIN
    INSERT INTO tracker_objectivestatuscount (objective_id, status, count)
    SELECT NEW.objective_id, status, 1 FROM tracker_recommendation WHERE id = NEW.recommendation_id
    ON CONFLICT (objective_id, status) DO UPDATE SET count = count + 1;
END
""",
    """
CREATE TRIGGER tracker_objstatus_link_removed AFTER DELETE ON tracker_recommendationobjective
BEGIN
    UPDATE tracker_objectivestatuscount SET count = count - 1
    WHERE objective_id = OLD.objective_id
    AND status = (SELECT status FROM tracker_recommendation WHERE id = OLD.recommendation_id);
END
""",
    """
CREATE TRIGGER tracker_objstatus_status_changed AFTER UPDATE OF status ON tracker_recommendation
WHEN OLD.status <> NEW.status
BEGIN
    UPDATE tracker_objectivestatuscount SET count = count - 1
    WHERE status = OLD.status AND objective_id IN (
        SELECT objective_id FROM tracker_recommendationobjective WHERE recommendation_id = NEW.id
    );
    INSERT INTO tracker_objectivestatuscount (objective_id, status, count)
    SELECT objective_id, NEW.status, 1 FROM tracker_recommendationobjective
    WHERE recommendation_id = NEW.id
    ON CONFLICT (objective_id, status) DO UPDATE SET count = count + 1;
END
""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER tracker_objstatus_link_added",
    "DROP TRIGGER tracker_objstatus_link_removed",
    "DROP TRIGGER tracker_objstatus_status_changed",
]

SQL = {
    "postgresql": ([POSTGRESQL_FORWARD, FILL], [POSTGRESQL_REVERSE]),
    "sqlite": ([*SQLITE_FORWARD, FILL], SQLITE_REVERSE),
}


def forward(apps, schema_editor):
    run_vendor_sql(schema_editor, SQL, forward=True)


def reverse(apps, schema_editor):
    run_vendor_sql(schema_editor, SQL, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0006_latest_status_changes_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ObjectiveStatusCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("no_information", "No information"),
                            ("not_started", "Not started"),
                            ("limited_progress", "Limited progress"),
                            ("substantial_progress", "Substantial progress"),
                            ("implemented", "Implemented"),
                        ],
                        max_length=24,
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
                "verbose_name": "objective status count",
                "verbose_name_plural": "objective status counts",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("objective", "status"), name="tracker_objstatuscount_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(forward, reverse),
    ]
