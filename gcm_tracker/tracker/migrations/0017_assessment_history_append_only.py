"""Make the history of country assessments append-only in the database itself, as migration 0002
does for status history: PostgreSQL refuses UPDATE and DELETE, SQLite refuses UPDATE (the test
database flush empties SQLite tables with DELETE; PostgreSQL's uses TRUNCATE)."""

from django.db import migrations

from gcm_tracker.tracker.vendor_sql import run_vendor_sql

POSTGRESQL_FORWARD = """
CREATE FUNCTION tracker_assessmentchange_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'assessment history is append-only: % on tracker_assessmentchange refused',
        TG_OP;
END;
$$;
CREATE TRIGGER tracker_assessmentchange_append_only
    BEFORE UPDATE OR DELETE ON tracker_assessmentchange
    FOR EACH ROW EXECUTE FUNCTION tracker_assessmentchange_refuse_change();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER tracker_assessmentchange_append_only ON tracker_assessmentchange;
DROP FUNCTION tracker_assessmentchange_refuse_change();
"""
SQLITE_FORWARD = """
CREATE TRIGGER tracker_assessmentchange_append_only BEFORE UPDATE ON tracker_assessmentchange
BEGIN
    SELECT RAISE(
        ABORT, 'assessment history is append-only: UPDATE on tracker_assessmentchange refused'
    );
END;
"""
SQLITE_REVERSE = "DROP TRIGGER tracker_assessmentchange_append_only;"

SQL = {
    "postgresql": ([POSTGRESQL_FORWARD], [POSTGRESQL_REVERSE]),
    "sqlite": ([SQLITE_FORWARD], [SQLITE_REVERSE]),
}


def forward(apps, schema_editor):
    run_vendor_sql(schema_editor, SQL, forward=True)


def reverse(apps, schema_editor):
    run_vendor_sql(schema_editor, SQL, forward=False)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0016_country_assessments")]

    operations = [migrations.RunPython(forward, reverse)]
