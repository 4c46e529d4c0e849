"""Each country link of a follow-up action carries when the action was published
(ActionCountry.action_published_at: its `published_at` while it is published, else empty), kept
by triggers, with an index by country and that date: a country page's newest published actions
are the first entries of that index instead of a walk down every published action testing each
for the country (docs/performance.md, "Eleventh round").

PostgreSQL: statement-level triggers with transition tables (an action's state or publication
date changed; links added; a link moved to another action). The links' own triggers do nothing
when another trigger's update fires them (`pg_trigger_depth()`), so they cannot fire each other
for ever. SQLite (development): row-level triggers. The migration fills the column.
"""

from django.db import migrations, models

from gcm_tracker.tracker.vendor_sql import (
    drop_statement_triggers,
    statement_trigger,
    vendor_sql_operation,
)

_ACTION = "tracker_followupaction"
_LINK = "tracker_actioncountry"


def _published(action: str) -> str:
    """The date a link of `action` (a row of actions) carries: empty unless it is published."""
    return f"CASE WHEN {action}.review_state = 'published' THEN {action}.published_at END"


def _copy(links: str) -> str:
    """An UPDATE setting the date of each link `links` (a table of link rows) names, where it
    differs from its action's."""
    return f"""
    UPDATE {_LINK} SET action_published_at = {_published("a")}
    FROM {links} concerned JOIN {_ACTION} a ON a.id = concerned.action_id
    WHERE {_LINK}.id = concerned.id
      AND {_LINK}.action_published_at IS DISTINCT FROM {_published("a")};
"""


# Before the triggers exist (the links' own would copy every date a second time).
FILL = f"""
UPDATE {_LINK} SET action_published_at = a.published_at
FROM {_ACTION} a WHERE a.id = {_LINK}.action_id AND a.review_state = 'published'
"""

_ACTION_CHANGED = f"""
    UPDATE {_LINK} SET action_published_at = {_published("after")}
    FROM before_update before JOIN after_update after ON after.id = before.id
    WHERE {_LINK}.action_id = after.id
      AND (before.review_state IS DISTINCT FROM after.review_state
           OR before.published_at IS DISTINCT FROM after.published_at)
      AND {_LINK}.action_published_at IS DISTINCT FROM {_published("after")};
"""


def _only_first(body: str) -> str:
    # Not when fired by another trigger's update of the links (this one's own included).
    return f"IF pg_trigger_depth() = 1 THEN\n{body}\nEND IF;"


POSTGRESQL_TRIGGERS = {
    "tracker_action_published_links": (
        "UPDATE",
        _ACTION,
        "OLD TABLE AS before_update NEW TABLE AS after_update",
        _ACTION_CHANGED,
    ),
    "tracker_actioncountry_dates_added": (
        "INSERT",
        _LINK,
        "NEW TABLE AS added",
        _only_first(_copy("added")),
    ),
    "tracker_actioncountry_dates_changed": (
        "UPDATE",
        _LINK,
        "NEW TABLE AS after_update",
        _only_first(_copy("after_update")),
    ),
}
POSTGRESQL_FORWARD = [
    statement_trigger(name, event, table, transitions, body)
    for name, (event, table, transitions, body) in POSTGRESQL_TRIGGERS.items()
]
POSTGRESQL_REVERSE = [
    drop_statement_triggers(
        {name: table for name, (_event, table, _t, _b) in POSTGRESQL_TRIGGERS.items()}
    )
]

# SQLite: one row at a time (its triggers do not fire each other: recursive_triggers is off).
_LINK_FROM_ACTION = (
    f"UPDATE {_LINK} SET action_published_at = "
    f"(SELECT {_published('a')} FROM {_ACTION} a WHERE a.id = NEW.action_id) WHERE id = NEW.id;"
)
SQLITE_TRIGGERS = {
    "tracker_action_published_links": (
        f"AFTER UPDATE OF review_state, published_at ON {_ACTION}",
        f"UPDATE {_LINK} SET action_published_at = {_published('NEW')} WHERE action_id = NEW.id;",
    ),
    "tracker_actioncountry_dates_added": (f"AFTER INSERT ON {_LINK}", _LINK_FROM_ACTION),
    "tracker_actioncountry_dates_changed": (
        f"AFTER UPDATE OF action_id ON {_LINK}",
        _LINK_FROM_ACTION,
    ),
}
SQLITE_FORWARD = [
    f"CREATE TRIGGER {name} {when}\nBEGIN\n    {body}\nEND"
    for name, (when, body) in SQLITE_TRIGGERS.items()
]
SQLITE_REVERSE = [f"DROP TRIGGER {name}" for name in SQLITE_TRIGGERS]

SQL = {
    "postgresql": ([FILL, *POSTGRESQL_FORWARD], POSTGRESQL_REVERSE),
    "sqlite": ([FILL, *SQLITE_FORWARD], SQLITE_REVERSE),
}


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0039_action_objective_masks"),
    ]

    operations = [
        migrations.AddField(
            model_name="actioncountry",
            name="action_published_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="action published"
            ),
        ),
        vendor_sql_operation(SQL),
        migrations.AddIndex(
            model_name="actioncountry",
            index=models.Index(
                fields=["country", "-action_published_at", "-action"],
                condition=models.Q(action_published_at__isnull=False),
                name="tracker_actioncountry_newest",
            ),
        ),
    ]
