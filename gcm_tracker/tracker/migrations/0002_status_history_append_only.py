"""Make status history append-only in the database itself, not only in the code.

PostgreSQL refuses UPDATE and DELETE. SQLite (the embedded development database) refuses UPDATE
only: Django's test database flush empties SQLite tables with DELETE, which a row trigger would
block, whereas on PostgreSQL the flush uses TRUNCATE, which row triggers do not see.
"""

from django.db import migrations

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
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_REVERSE),
    "sqlite": (SQLITE_FORWARD, SQLITE_REVERSE),
}


def _run(schema_editor, direction):
    statements = SQL.get(schema_editor.connection.vendor)
    if statements is None:
        raise NotImplementedError(
            f"No append-only trigger for {schema_editor.connection.vendor}; "
            "GCM Tracker supports PostgreSQL and SQLite."
        )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(statements[direction])


def forward(apps, schema_editor):
    _run(schema_editor, 0)


def reverse(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]

    operations = [migrations.RunPython(forward, reverse)]
