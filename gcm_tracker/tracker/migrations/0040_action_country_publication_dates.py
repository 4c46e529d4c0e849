"""Each country link of a follow-up action carries when the action was published
(ActionCountry.action_published_at: its `published_at` while it is published, else empty), kept
by triggers, with an index by country and that date: a country page's newest published actions
are the first entries of that index instead of a walk down every published action testing each
for the country (docs/performance.md, "Eleventh round").

PostgreSQL: statement-level triggers with transition tables (actions updated: their links whose
date differs; links added; a link moved to another action). None does anything when another
trigger's update fires it (`pg_trigger_depth()`): the links' own cannot fire each other for ever,
and the objective bits' recount of actions (migration 0039) costs no lookup of their links.
SQLite (development): row-level triggers. The migration fills the column first.
"""

from django.db import migrations, models

from gcm_tracker.tracker.vendor_sql import (
    sqlite_row_triggers,
    statement_triggers,
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

# The links of the actions updated whose date differs from theirs: one index lookup per action.
# (No join of the old rows with the new: the planner takes a transition table fired by another
# trigger for one row, and such a join of 10,000 actions took 56 s.)
_ACTION_CHANGED = f"""
    UPDATE {_LINK} SET action_published_at = {_published("after")}
    FROM after_update after
    WHERE {_LINK}.action_id = after.id
      AND {_LINK}.action_published_at IS DISTINCT FROM {_published("after")};
"""


def _only_first(body: str) -> str:
    # Not when another trigger's update fires it: the links' own (which would fire each other
    # for ever) and the objective bits' recount of actions (migration 0039), which changes no
    # state or date but would cost a lookup per action.
    return f"IF pg_trigger_depth() = 1 THEN\n{body}\nEND IF;"


POSTGRESQL_TRIGGERS = {
    "tracker_action_published_links": (
        "UPDATE",
        _ACTION,
        "NEW TABLE AS after_update",
        _only_first(_ACTION_CHANGED),
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
POSTGRESQL_FORWARD, POSTGRESQL_REVERSE = statement_triggers(POSTGRESQL_TRIGGERS)

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
SQLITE_FORWARD, SQLITE_REVERSE = sqlite_row_triggers(SQLITE_TRIGGERS)

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
