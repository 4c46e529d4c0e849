"""PostgreSQL only: each full-text search index of recommendations (migrations 0004 and 0029) also
holds the status, so that a search with a status filter is read from one index.

With a status index and a search index apart, PostgreSQL intersected their bitmaps: every
recommendation with the status and every one matching the words, however few had both. At
N = 200,000, "implemented" (30,000 rows) and "detention" (20,006) have none in common, and
counting them took 5.3 ms; from the index on both, 0.9 ms (docs/performance.md, "Nineteenth
round"). A multicolumn GIN index serves a condition on either column alone as well as one on both
(PostgreSQL's documentation, "Multicolumn Indexes"), so each replaces its search index under the
same name, and searches without a status read it as they read the old one.

A GIN index on a text column needs btree_gin, a trusted extension (PostgreSQL 13+): the database's
owner may create it. Where it cannot be created the search indexes are left as they were, and
filtered searches are only slower. ANALYZE afterwards: the planner's statistics on an index's
expression belong to that index, and without them it misjudges how many rows a search matches
(migration 0027 says what that cost).
"""

import logging

from django.db import DatabaseError, migrations, transaction

# {index: the expression tracker.search writes for it}, as migrations 0004 and 0029 made them.
SEARCH_INDEXES = {
    "tracker_recommendation_search": "to_tsvector('english'::regconfig, COALESCE(text, ''))",
    "tracker_recommendation_search_fr": "to_tsvector('french'::regconfig, COALESCE(text_fr, ''))",
    "tracker_recommendation_search_ru": "to_tsvector('russian'::regconfig, COALESCE(text_ru, ''))",
    "tracker_recommendation_search_zh_hans": (
        "to_tsvector('simple'::regconfig, COALESCE(tracker_bigrams(text_zh_hans), ''))"
    ),
}


def _replace(schema_editor, columns: str) -> None:
    """Make each search index again on `columns` (its expression is `{}` in them)."""
    for index, expression in SEARCH_INDEXES.items():
        schema_editor.execute(f"DROP INDEX {index}")
        schema_editor.execute(
            f"CREATE INDEX {index} ON tracker_recommendation USING gin "
            f"({columns.format(expression)})"
        )
    schema_editor.execute("ANALYZE tracker_recommendation")


def with_status(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    except DatabaseError as error:
        logging.getLogger(__name__).warning("Search indexes without the status: %s", error)
        return
    _replace(schema_editor, "status, {}")


def without_status(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _replace(schema_editor, "{}")


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0049_partner_publication_dates"),
    ]

    operations = [migrations.RunPython(with_status, without_status)]
