"""Make status history append-only in the database itself, not only in the code.

PostgreSQL refuses UPDATE and DELETE. SQLite (the embedded development database) refuses UPDATE
only: Django's test database flush empties SQLite tables with DELETE, which a row trigger would
block, whereas on PostgreSQL the flush uses TRUNCATE, which row triggers do not see.
"""

from django.db import migrations

from gcm_tracker.tracker.vendor_sql import run_vendor_sql

POSTGRESQL_FORWARD = """
CREATE FUNCTION tracker_statuschange_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'status history is append-only: % on tracker_statuschange refused', TG_OP;
END;
$$;
CREATE TRIGGER tracker_statuschange_append_only
    BEFORE UPDATE OR DELETE ON tracker_statuschange
    FOR EACH ROW EXECUTE FUNCTION tracker_statuschange_refuse_change();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER tracker_statuschange_append_only ON tracker_statuschange;
DROP FUNCTION tracker_statuschange_refuse_change();
"""
SQLITE_FORWARD = """
CREATE TRIGGER tracker_statuschange_append_only BEFORE UPDATE ON tracker_statuschange
BEGIN
    SELECT RAISE(ABORT, 'status history is append-only: UPDATE on tracker_statuschange refused');
END;
"""
SQLITE_REVERSE = "DROP TRIGGER tracker_statuschange_append_only;"

SQL = {
    "postgresql": ([POSTGRESQL_FORWARD], [POSTGRESQL_REVERSE]),
    "sqlite": ([SQLITE_FORWARD], [SQLITE_REVERSE]),
}


def forward(apps, schema_editor):
    run_vendor_sql(schema_editor, SQL, forward=True)


def reverse(apps, schema_editor):
    run_vendor_sql(schema_editor, SQL, forward=False)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]

    operations = [migrations.RunPython(forward, reverse)]
