"""The SQL keeping an action link's copy of when its action was published (its `published_at`
while it is published, else empty) in `action_published_at`: a country's newest published
actions are then the first entries of an index of its links (migration 0040, ActionCountry).
Migration 0049 keeps ActionPartner's the same way; its index went with migration 0066 (an
organisation's newest actions come from StakeholderAction), and `repair_counts` still checks it.

PostgreSQL: statement-level triggers with transition tables (actions updated: their links whose
date differs; links added; a link moved to another action). None does anything when another
trigger's update fires it (`pg_trigger_depth()`): the links' own cannot fire each other for ever,
and the objective bits' recount of actions (migration 0039) costs no lookup of their links.
SQLite (development): row-level triggers (they do not fire each other: recursive_triggers is
off). The column is filled first, before the triggers exist (the links' own would copy every
date a second time).

Migrations 0040 and 0049 build their statements from here when they run: editing this SQL would
change what those migrations make on a new database but not on one migrated already. A change to
these triggers is a new migration that replaces them, with the old text left as it is.
"""

from .vendor_sql import sqlite_row_triggers, statement_triggers

_ACTION = "tracker_followupaction"


def _published(action: str) -> str:
    """The date a link of `action` (a row of actions) carries: empty unless it is published."""
    return f"CASE WHEN {action}.review_state = 'published' THEN {action}.published_at END"


def _copy(link: str, links: str) -> str:
    """An UPDATE setting the date of each link `links` (a table of rows of `link`) names, where
    it differs from its action's."""
    return f"""
    UPDATE {link} SET action_published_at = {_published("a")}
    FROM {links} concerned JOIN {_ACTION} a ON a.id = concerned.action_id
    WHERE {link}.id = concerned.id
      AND {link}.action_published_at IS DISTINCT FROM {_published("a")};
"""


def fill(link: str) -> str:
    """The statement filling `link`'s dates from the actions (before the triggers exist)."""
    return f"""
UPDATE {link} SET action_published_at = a.published_at
FROM {_ACTION} a WHERE a.id = {link}.action_id AND a.review_state = 'published'
"""


def _action_changed(link: str) -> str:
    # The links of the actions updated whose date differs from theirs: one index lookup per
    # action. (No join of the old rows with the new: the planner takes a transition table fired
    # by another trigger for one row, and such a join of 10,000 actions took 56 s.)
    return f"""
    UPDATE {link} SET action_published_at = {_published("after")}
    FROM after_update after
    WHERE {link}.action_id = after.id
      AND {link}.action_published_at IS DISTINCT FROM {_published("after")};
"""


def _only_first(body: str) -> str:
    # Not when another trigger's update fires it: the links' own (which would fire each other
    # for ever) and the objective bits' recount of actions (migration 0039), which changes no
    # state or date but would cost a lookup per action.
    return f"IF pg_trigger_depth() = 1 THEN\n{body}\nEND IF;"


def link_date_sql(link: str, action_trigger: str) -> dict[str, tuple[list[str], list[str]]]:
    """For vendor_sql_operation: filling `link`'s (a table of action links) dates, then the
    triggers keeping them: `action_trigger` on the actions, `{link}_dates_added` and
    `{link}_dates_changed` on the links."""
    added, changed = f"{link}_dates_added", f"{link}_dates_changed"
    postgresql_forward, postgresql_reverse = statement_triggers(
        {
            action_trigger: (
                "UPDATE",
                _ACTION,
                "NEW TABLE AS after_update",
                _only_first(_action_changed(link)),
            ),
            added: ("INSERT", link, "NEW TABLE AS added", _only_first(_copy(link, "added"))),
            changed: (
                "UPDATE",
                link,
                "NEW TABLE AS after_update",
                _only_first(_copy(link, "after_update")),
            ),
        }
    )
    from_action = (
        f"UPDATE {link} SET action_published_at = "
        f"(SELECT {_published('a')} FROM {_ACTION} a WHERE a.id = NEW.action_id) "
        "WHERE id = NEW.id;"
    )
    sqlite_forward, sqlite_reverse = sqlite_row_triggers(
        {
            action_trigger: (
                f"AFTER UPDATE OF review_state, published_at ON {_ACTION}",
                f"UPDATE {link} SET action_published_at = {_published('NEW')} "
                "WHERE action_id = NEW.id;",
            ),
            added: (f"AFTER INSERT ON {link}", from_action),
            changed: (f"AFTER UPDATE OF action_id ON {link}", from_action),
        }
    )
    return {
        "postgresql": ([fill(link), *postgresql_forward], postgresql_reverse),
        "sqlite": ([fill(link), *sqlite_forward], sqlite_reverse),
    }
