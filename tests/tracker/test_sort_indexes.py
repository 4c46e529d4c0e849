"""Each sort of the list of recommendations is served by an index in its order (migrations 0057,
0061), and with a status chosen too (0062; the sorts by status through the rank the status filter
also tests): on PostgreSQL, told to avoid sorting (whole or incremental) and table scans, the
plan of every sort's first page reads that index and sorts nothing (an order the index does not
match would still need a Sort)."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict

from gcm_tracker.tracker.filters import RecommendationFilter
from gcm_tracker.tracker.models import Recommendation
from tests.factories import RecommendationFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]

INDEXES = {
    "-updated": "tracker_rec_sort_updated",
    "updated": "tracker_rec_sort_quiet",
    "status": "tracker_rec_sort_status",
    "-status": "tracker_rec_sort_progress",
    "-actions": "tracker_rec_sort_actions",
}


def test_every_sort_but_the_default_has_its_index():
    assert set(INDEXES) == set(RecommendationFilter.SORTS) - {"paragraph"}


# With statuses chosen: the sorts by date from their status indexes (one status), those by
# status from their own (any statuses).
WITH_STATUSES = [
    ("-updated", ["implemented"], "tracker_rec_status_updated"),
    ("updated", ["limited_progress"], "tracker_rec_status_quiet"),
    ("status", ["implemented", "no_information"], "tracker_rec_sort_status"),
    ("-status", ["not_started", "limited_progress"], "tracker_rec_sort_progress"),
]


@pytest.mark.parametrize(
    ("sort", "statuses", "index"),
    [(sort, [], index) for sort, index in INDEXES.items()] + WITH_STATUSES,
)
def test_a_sorts_first_page_reads_its_index_and_sorts_nothing(sort, statuses, index):
    RecommendationFactory.create_batch(3)
    filterset = RecommendationFilter(
        QueryDict(urlencode({"sort": sort, "status": statuses}, doseq=True)),
        queryset=Recommendation.objects.all(),
    )
    assert filterset.is_valid()
    first_page = filterset.qs.values("pk")[:25]
    sql, params = first_page.query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        # Nor a sort of what another index gives partly in order (the other direction's index
        # read backwards, then each rank's rows sorted): only the sort's own index is left.
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert index in plan
    assert "Sort" not in plan
    # The chosen statuses' entries are found by the index, not each read and filtered.
    assert ("Index Cond" in plan) == bool(statuses)
