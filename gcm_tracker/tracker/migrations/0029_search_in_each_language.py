"""Full-text search of recommendations in each content language, PostgreSQL only (tracker.search):
one GIN index per translation column, on the expression tracker.search writes, as migration 0004
did for the English source.

French and Russian are stemmed by PostgreSQL's own configurations. Chinese has no spaces between
words and no stemmer: its text is indexed as overlapping pairs of characters, which
tracker_bigrams() makes ("国际移民" → "国际 际移 移民 民"; the last character alone, so that a
one-character search by prefix finds it too). The function is IMMUTABLE, as an index expression
must be: it reads nothing but its argument. Its COST tells the planner what computing it for
every row costs: at the default cost, PostgreSQL walked the report-order index and computed the
pairs of each row for a rare Chinese word (8 s at 200,000 recommendations) instead of reading the
GIN index (20 ms).

SQLite searches with LIKE (tracker.search.words_contained) and needs none of this.
"""

from django.db import migrations

from gcm_tracker.tracker.vendor_sql import run_vendor_sql

# Keep in step with tracker.search (STEMMED, BIGRAMMED, Bigrams).
INDEXES = {
    "tracker_recommendation_search_fr": "to_tsvector('french'::regconfig, COALESCE(text_fr, ''))",
    "tracker_recommendation_search_ru": "to_tsvector('russian'::regconfig, COALESCE(text_ru, ''))",
    "tracker_recommendation_search_zh_hans": (
        "to_tsvector('simple'::regconfig, COALESCE(tracker_bigrams(text_zh_hans), ''))"
    ),
}

BIGRAMS_FUNCTION = """
CREATE FUNCTION tracker_bigrams(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
    SELECT COALESCE(string_agg(substr(value, position, 2), ' ' ORDER BY position), '')
    FROM generate_series(1, char_length(value)) AS position
$$
"""

SQL = {
    "postgresql": (
        [
            BIGRAMS_FUNCTION,
            *(
                f"CREATE INDEX {name} ON tracker_recommendation USING gin ({expression})"
                for name, expression in INDEXES.items()
            ),
        ],
        [
            *(f"DROP INDEX {name}" for name in INDEXES),
            "DROP FUNCTION tracker_bigrams(text)",
        ],
    ),
    "sqlite": ([], []),
}


def forward(apps, schema_editor):
    run_vendor_sql(schema_editor, SQL, forward=True)


def backward(apps, schema_editor):
    run_vendor_sql(schema_editor, SQL, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0028_accountrequest_requested_by"),
    ]

    operations = [migrations.RunPython(forward, backward)]
