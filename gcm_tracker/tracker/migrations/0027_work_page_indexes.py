"""Indexes for the workspace's and the review queue's lists at scale (docs/performance.md, "Work
pages at scale").

- The actions about a set of recommendations from the links' index alone (the objective filter).
- Civil-society submissions: the review queue in its order (submitted, then id) and an
  organisation's list in its order (last changed first), read from an index instead of sorted.
- PostgreSQL only: trigram indexes on what the work lists' search reads, upper-cased as Django
  writes `__icontains` (an action's title; a submission's recommendation reference and
  organisation name). They serve searches for a rare word, and ANALYZE keeps statistics on the
  expressions, so the planner knows how many rows a search matches: without them it guessed
  0.5 %, and planned the queue's page as a hash join over every recommendation instead of
  reading the queue in order. pg_trgm is a trusted extension (PostgreSQL 13+): the database's
  owner may create it. Where it cannot be created the indexes are left out and the search still
  works, unindexed.
"""

import logging

from django.db import DatabaseError, migrations, models, transaction

# (index, table, column)
SEARCH_INDEXES = [
    ("tracker_action_title_trgm", "tracker_followupaction", "title"),
    ("tracker_recommendation_reference_trgm", "tracker_recommendation", "reference"),
    ("tracker_stakeholder_name_trgm", "tracker_stakeholder", "name"),
]


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        logging.getLogger(__name__).warning("No trigram indexes for the work lists: %s", error)
        return
    for index, table, column in SEARCH_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )
    # The expressions' statistics exist only after the next ANALYZE, which autovacuum may not run
    # for a long while on a table that changes little; until then the planner guessed that a
    # search matching every one of 2,000,000 action titles matched 200 (the filtered review
    # queue took 4.1 s at N = 200,000; 0.2 s once analysed). A sample of each table: seconds.
    for table in sorted({table for _index, table, _column in SEARCH_INDEXES}):
        schema_editor.execute(f"ANALYZE {table}")


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index, _table, _column in SEARCH_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0026_content_translations'),
    ]

    operations = [
        migrations.RunPython(create_search_indexes, drop_search_indexes),
        migrations.RemoveIndex(
            model_name='assessmentsubmission',
            name='tracker_assesssub_queue',
        ),
        migrations.AddIndex(
            model_name='actionrecommendation',
            index=models.Index(fields=['recommendation', 'action'], name='tracker_actionrec_by_rec'),
        ),
        migrations.AddIndex(
            model_name='assessmentsubmission',
            index=models.Index(fields=['review_state', 'submitted_at', 'id'], name='tracker_assesssub_queue'),
        ),
        migrations.AddIndex(
            model_name='assessmentsubmission',
            index=models.Index(fields=['stakeholder', '-updated_at', '-id'], name='tracker_assesssub_org_recent'),
        ),
    ]
