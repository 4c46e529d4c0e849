"""Run a migration's hand-written SQL for the database in use: GCM Tracker's triggers exist for
PostgreSQL (production) and SQLite (development) and for nothing else."""


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
