"""Run a migration's hand-written SQL for the database in use: GCM Tracker's triggers exist for
PostgreSQL (production) and SQLite (development) and for nothing else.

Migrations call these builders when they run, so what a builder writes is part of every migration
that uses it: a change here would quietly make a database migrated before and one migrated after
hold different triggers. Leave the SQL a builder writes as it is; new SQL goes in a new builder, or
written out in a new migration."""

from django.db import migrations


def run_vendor_sql(schema_editor, sql: dict[str, tuple[list[str], list[str]]], forward: bool):
    """Execute `sql[vendor]`'s forward (or reverse) statements, in order."""
    vendor = schema_editor.connection.vendor
    if vendor not in sql:
        raise NotImplementedError(
            f"No SQL for {vendor} in this migration; GCM Tracker supports PostgreSQL and SQLite."
        )
    with schema_editor.connection.cursor() as cursor:
        for statement in sql[vendor][0 if forward else 1]:
            cursor.execute(statement)


def vendor_sql_operation(sql: dict[str, tuple[list[str], list[str]]]) -> migrations.RunPython:
    """A migration operation running `sql[vendor]`'s forward statements, and its reverse ones
    when the migration is reversed."""

    def forward(apps, schema_editor):
        run_vendor_sql(schema_editor, sql, forward=True)

    def reverse(apps, schema_editor):
        run_vendor_sql(schema_editor, sql, forward=False)

    return migrations.RunPython(forward, reverse)


def statement_trigger(name: str, event: str, table: str, transitions: str, body: str) -> str:
    """PostgreSQL: a function `name` that runs `body` (PL/pgSQL statements) once per statement,
    and a trigger `name` calling it AFTER `event` ON `table`, REFERENCING `transitions` (e.g.
    "NEW TABLE AS added"), so a set-based write costs one run of `body`, not one per row."""
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{body}
    RETURN NULL;
END;
$$;
CREATE TRIGGER {name} AFTER {event} ON {table}
    REFERENCING {transitions}
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


def drop_statement_triggers(triggers: dict[str, str]) -> str:
    """PostgreSQL: drop each trigger made by statement_trigger() ({name: table}) and its
    function."""
    return "\n".join(
        f"DROP TRIGGER {name} ON {table};\nDROP FUNCTION {name}();"
        for name, table in triggers.items()
    )


def statement_triggers(triggers: dict[str, tuple[str, str, str, str]]) -> tuple[list, list]:
    """PostgreSQL: the statements making, and those dropping, statement_trigger()s given as
    {name: (event, table, transitions, body)}."""
    forward = [
        statement_trigger(name, event, table, transitions, body)
        for name, (event, table, transitions, body) in triggers.items()
    ]
    reverse = [
        drop_statement_triggers({name: table for name, (_e, table, _t, _b) in triggers.items()})
    ]
    return forward, reverse


def sqlite_row_triggers(triggers: dict[str, tuple[str, str]]) -> tuple[list, list]:
    """SQLite: the statements making, and those dropping, triggers given as {name: (when, body)}
    (when: e.g. "AFTER INSERT ON <table>"; body: the statements between BEGIN and END)."""
    forward = [
        f"CREATE TRIGGER {name} {when}\nBEGIN\n    {body}\nEND"
        for name, (when, body) in triggers.items()
    ]
    return forward, [f"DROP TRIGGER {name}" for name in triggers]
