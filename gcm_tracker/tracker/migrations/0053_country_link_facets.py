"""Each country link of a follow-up action carries copies of its action's type, progress and
objective bits (ActionCountry.action_type, action_progress, action_objective_mask), kept by
triggers, and the country's index of published actions by date includes them: the public list
filtered by a country and a type, a progress or an objective counts and pages the country's
links alone (tracker.action_pages.PublishedActions) instead of reading each of the country's
actions (Thailand's 32,258 at 2,000,000 actions: 336 ms for the list with an objective;
docs/performance.md, "Twentieth round").

The copies follow every write that can change them: a link added or changed (its action read
again), an action's type or progress changed, and its objective bits, which the database itself
recounts when its recommendations or their objectives change (migration 0039).
- PostgreSQL: a row-level BEFORE trigger on the links sets the copies of every link written
  (so no write can leave them wrong); a statement-level trigger on the actions writes the links
  of those updated whose copies differ. That one has no pg_trigger_depth() guard, unlike the
  dates' (tracker.link_dates_sql): the objective bits' recount updates actions from another
  trigger, and its writes to the links fire no trigger that writes actions.
- SQLite (development): row-level triggers.
The columns are filled first, before the triggers exist, with the links' date trigger switched
off meanwhile (the fill changes no date; that trigger would join every link again).

The SQL is written out here, not built by a shared module: a migration's SQL must not change
after it has run (tracker.vendor_sql).
"""

from django.db import migrations, models

from gcm_tracker.tracker.vendor_sql import vendor_sql_operation

_LINK = "tracker_actioncountry"
_ACTION = "tracker_followupaction"

FILL = f"""
UPDATE {_LINK} SET action_type = a.action_type, action_progress = a.progress,
    action_objective_mask = a.objective_mask
FROM {_ACTION} a WHERE a.id = {_LINK}.action_id
"""

POSTGRESQL_FORWARD = [
    f"ALTER TABLE {_LINK} DISABLE TRIGGER tracker_actioncountry_dates_changed",
    FILL,
    f"ALTER TABLE {_LINK} ENABLE TRIGGER tracker_actioncountry_dates_changed",
    f"""
CREATE FUNCTION tracker_actioncountry_facets_copied() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    action record;
BEGIN
    SELECT a.action_type, a.progress, a.objective_mask INTO action
    FROM {_ACTION} a WHERE a.id = NEW.action_id;
    -- A link to no action fails on its foreign key, as it would without this trigger.
    IF FOUND THEN
        NEW.action_type := action.action_type;
        NEW.action_progress := action.progress;
        NEW.action_objective_mask := action.objective_mask;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER tracker_actioncountry_facets_copied BEFORE INSERT OR UPDATE ON {_LINK}
    FOR EACH ROW EXECUTE FUNCTION tracker_actioncountry_facets_copied();
""",
    f"""
CREATE FUNCTION tracker_action_facets_links() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {_LINK} SET action_type = after.action_type, action_progress = after.progress,
        action_objective_mask = after.objective_mask
    FROM after_update after
    WHERE {_LINK}.action_id = after.id
      AND ({_LINK}.action_type, {_LINK}.action_progress, {_LINK}.action_objective_mask)
          IS DISTINCT FROM (after.action_type, after.progress, after.objective_mask);
    RETURN NULL;
END;
$$;
CREATE TRIGGER tracker_action_facets_links AFTER UPDATE ON {_ACTION}
    REFERENCING NEW TABLE AS after_update
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_action_facets_links();
""",
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER tracker_action_facets_links ON {_ACTION}",
    "DROP FUNCTION tracker_action_facets_links()",
    f"DROP TRIGGER tracker_actioncountry_facets_copied ON {_LINK}",
    "DROP FUNCTION tracker_actioncountry_facets_copied()",
]

# SQLite: the link's copies read from its action again after it is added or changed.
_FROM_ACTION = f"""UPDATE {_LINK}
    SET (action_type, action_progress, action_objective_mask) =
        (SELECT action_type, progress, objective_mask FROM {_ACTION} WHERE id = NEW.action_id)
    WHERE id = NEW.id AND EXISTS (SELECT 1 FROM {_ACTION} WHERE id = NEW.action_id);"""

SQLITE_FORWARD = [
    FILL,
    f"""CREATE TRIGGER tracker_actioncountry_facets_added AFTER INSERT ON {_LINK}
BEGIN
    {_FROM_ACTION}
END""",
    f"""CREATE TRIGGER tracker_actioncountry_facets_changed
AFTER UPDATE OF action_id, action_type, action_progress, action_objective_mask ON {_LINK}
BEGIN
    {_FROM_ACTION}
END""",
    f"""CREATE TRIGGER tracker_action_facets_links
AFTER UPDATE OF action_type, progress, objective_mask ON {_ACTION}
BEGIN
    UPDATE {_LINK} SET action_type = NEW.action_type, action_progress = NEW.progress,
        action_objective_mask = NEW.objective_mask
    WHERE action_id = NEW.id;
END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER tracker_action_facets_links",
    "DROP TRIGGER tracker_actioncountry_facets_changed",
    "DROP TRIGGER tracker_actioncountry_facets_added",
]

COLUMNS = {
    "action_type": "varchar(30) DEFAULT '' NOT NULL",
    "action_progress": "varchar(20) DEFAULT '' NOT NULL",
    "action_objective_mask": "bigint DEFAULT 0 NOT NULL",
}
ADD_COLUMNS = [f"ALTER TABLE {_LINK} ADD COLUMN {name} {kind}" for name, kind in COLUMNS.items()]
DROP_COLUMNS = [f"ALTER TABLE {_LINK} DROP COLUMN {name}" for name in COLUMNS]

SQL = {
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_REVERSE),
    "sqlite": (SQLITE_FORWARD, SQLITE_REVERSE),
}


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0052_link_key_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="actioncountry",
            name="tracker_actioncountry_newest",
        ),
        # Added by hand: on SQLite Django adds a column that may not be empty by making the
        # table again, which would drop the triggers on it (migrations 0040) and break those on
        # other tables that name it (as migration 0052 says). This SQL is the same on both.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="actioncountry",
                    name="action_objective_mask",
                    field=models.BigIntegerField(
                        db_default=0, default=0, editable=False, verbose_name="objectives"
                    ),
                ),
                migrations.AddField(
                    model_name="actioncountry",
                    name="action_progress",
                    field=models.CharField(
                        db_default="",
                        default="",
                        editable=False,
                        max_length=20,
                        verbose_name="progress",
                    ),
                ),
                migrations.AddField(
                    model_name="actioncountry",
                    name="action_type",
                    field=models.CharField(
                        db_default="",
                        default="",
                        editable=False,
                        max_length=30,
                        verbose_name="type of action",
                    ),
                ),
            ],
            database_operations=[migrations.RunSQL(ADD_COLUMNS, DROP_COLUMNS)],
        ),
        vendor_sql_operation(SQL),
        migrations.AddIndex(
            model_name="actioncountry",
            index=models.Index(
                condition=models.Q(("action_published_at__isnull", False)),
                fields=["country", "-action_published_at", "-action"],
                include=("action_type", "action_progress", "action_objective_mask"),
                name="tracker_actioncountry_newest",
            ),
        ),
    ]
