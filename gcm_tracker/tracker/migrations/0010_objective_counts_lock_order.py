"""The objective breakdown's triggers (migration 0007) take the summary rows they change in one
order, objective then status, so concurrent status changes of recommendations that share
objectives cannot deadlock (issue 14, item 7).

Before, the rows were locked in whatever order the plan produced them (a hash aggregate's, or a
join's), so two transactions could each hold a row the other waited for, and PostgreSQL aborted
one of them ("deadlock detected"): with twenty concurrent status changes on recommendations
linked to fifteen of the 23 objectives, most of them failed. Now the upserts take their rows
sorted, and the removal, an UPDATE with a join, locks its rows sorted before it updates them.

PostgreSQL only: SQLite lets one writer in at a time, so its row triggers cannot deadlock.
"""

from django.db import migrations

from gcm_tracker.tracker.vendor_sql import run_vendor_sql

ORDERED = """
CREATE OR REPLACE FUNCTION tracker_objstatus_links_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tracker_objectivestatuscount (objective_id, status, count)
    SELECT link.objective_id, rec.status, COUNT(*)
    FROM added_links link JOIN tracker_recommendation rec ON rec.id = link.recommendation_id
    GROUP BY link.objective_id, rec.status
    ORDER BY link.objective_id, rec.status
    ON CONFLICT (objective_id, status)
    DO UPDATE SET count = tracker_objectivestatuscount.count + EXCLUDED.count;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION tracker_objstatus_links_removed() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
    -- An UPDATE locks rows in its join's order: lock them in ours first.
    PERFORM 1 FROM tracker_objectivestatuscount summary
    WHERE (summary.objective_id, summary.status) IN (
        SELECT link.objective_id, rec.status
        FROM removed_links link JOIN tracker_recommendation rec ON rec.id = link.recommendation_id
    )
    ORDER BY summary.objective_id, summary.status
    FOR UPDATE;
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

CREATE OR REPLACE FUNCTION tracker_objstatus_status_changed() RETURNS trigger LANGUAGE plpgsql
AS $$
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
    -- INSERT takes (and on conflict locks) the rows in the order its SELECT gives them.
    INSERT INTO tracker_objectivestatuscount (objective_id, status, count)
    SELECT objective_id, status, SUM(n) FROM deltas GROUP BY objective_id, status
    ORDER BY objective_id, status
    ON CONFLICT (objective_id, status)
    DO UPDATE SET count = tracker_objectivestatuscount.count + EXCLUDED.count;
    RETURN NULL;
END;
$$;
"""

# Migration 0007's functions, as they were.
UNORDERED = """
CREATE OR REPLACE FUNCTION tracker_objstatus_links_added() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE OR REPLACE FUNCTION tracker_objstatus_links_removed() RETURNS trigger LANGUAGE plpgsql
AS $$
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

CREATE OR REPLACE FUNCTION tracker_objstatus_status_changed() RETURNS trigger LANGUAGE plpgsql
AS $$
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
"""

SQL = {"postgresql": ([ORDERED], [UNORDERED]), "sqlite": ([], [])}


def forward(apps, schema_editor):
    run_vendor_sql(schema_editor, SQL, forward=True)


def reverse(apps, schema_editor):
    run_vendor_sql(schema_editor, SQL, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0009_public_generation"),
    ]

    operations = [migrations.RunPython(forward, reverse)]
