"""Deep pages of every recommendation in consultation order (the API's list, the public list)
start from the block of consultations that holds their first row (RecommendationBlockCount, kept
by triggers of migration 0042): every page holds the rows LIMIT/OFFSET gives, in the same order,
whatever the writes; the counts per block equal a fresh count after every kind of write; other
orders and filtered lists count from the start; repair_counts checks and repairs the counts."""

import pytest
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from gcm_tracker.tracker.models import (
    CONSULTATION_BLOCK,
    Recommendation,
    RecommendationBlockCount,
)
from gcm_tracker.tracker.paging import DeferredJoinPaginator
from gcm_tracker.tracker.services import summary_count_drift, summary_counts_repair
from tests.factories import ConsultationFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/recommendations/"


@pytest.fixture
def spread():
    """Recommendations of consultations in three blocks (keys 7, 150, 151 and 320), two or
    three each, created out of order."""
    consultations = {
        pk: ConsultationFactory(pk=pk, slug=f"consultation-{pk}") for pk in (320, 7, 151, 150)
    }
    paragraphs = iter(range(30, 0, -1))  # each its own, so a move never meets its like
    for number, (_pk, consultation) in enumerate(sorted(consultations.items(), reverse=True)):
        for _ in range(2 + number % 2):
            RecommendationFactory(consultation=consultation, paragraph=next(paragraphs))
    return consultations


def _kept() -> dict[int, int]:
    return dict(RecommendationBlockCount.objects.exclude(count=0).values_list("block", "count"))


def _fresh() -> dict[int, int]:
    rows = Recommendation.objects.annotate(block=F("consultation_id") / CONSULTATION_BLOCK)
    return dict(rows.values_list("block").annotate(n=Count("*")).order_by())


def _in_list_order() -> list[str]:
    rows = Recommendation.objects.order_by("consultation_id", "paragraph", "sub_item")
    return list(rows.values_list("reference", flat=True))


def _pages(api, page_size: int) -> list[str]:
    rows, number = [], 1
    while True:
        response = api.get(LIST, {"page": number, "page_size": page_size})
        if response.status_code == 404:
            return rows
        rows += [r["reference"] for r in response.json()["results"]]
        number += 1


def test_the_counts_per_block_follow_every_kind_of_write(spread):
    blocks = {0: 3, 1: 5, 3: 2}
    checkpoints = [_kept() == _fresh() == blocks]

    moved = Recommendation.objects.filter(consultation_id=7).order_by("paragraph")[0]
    moved.consultation = spread[320]
    moved.save()
    checkpoints.append(_kept() == _fresh() == {0: 2, 1: 5, 3: 3})
    # Set-based writes: a whole consultation's recommendations moved, then some deleted; a
    # status recorded moves nothing.
    Recommendation.objects.filter(consultation_id=151).update(consultation=spread[7])
    checkpoints.append(_kept() == _fresh() == {0: 5, 1: 2, 3: 3})
    Recommendation.objects.filter(consultation_id=320).delete()
    Recommendation.objects.update(status="limited_progress")
    checkpoints.append(_kept() == _fresh() == {0: 5, 1: 2})
    Recommendation.objects.bulk_create(
        [RecommendationFactory.build(consultation=spread[320], paragraph=n) for n in (41, 42)]
    )
    checkpoints.append(_kept() == _fresh() == {0: 5, 1: 2, 3: 2})

    assert checkpoints == [True] * 5


@pytest.mark.parametrize("page_size", [1, 2, 3, 4])
def test_every_page_holds_the_rows_offset_gives(api, spread, page_size):
    expected = _in_list_order()
    assert len(expected) == 10

    assert _pages(api, page_size) == expected


def test_a_deep_page_starts_from_its_block(spread, django_assert_num_queries):
    rows = Recommendation.objects.all()  # the model's order: consultation, paragraph, sub-item
    with django_assert_num_queries(2) as captured:
        page = DeferredJoinPaginator(rows, 3, count=10).page(2)
        shown = [r.reference for r in page]

    # Rows 4 to 6: the second block's first three (block 0 holds three).
    assert '"consultation_id" >= 100' in captured.captured_queries[1]["sql"]
    assert "LIMIT 3" in captured.captured_queries[1]["sql"]
    assert "OFFSET" not in captured.captured_queries[1]["sql"]
    assert shown == _in_list_order()[3:6]


@pytest.mark.parametrize(
    "rows",
    [
        lambda: Recommendation.objects.order_by("-consultation_id", "-paragraph"),
        lambda: Recommendation.objects.order_by("reference"),
        # The consultations' own order (newest first), not their keys'.
        lambda: Recommendation.objects.order_by("consultation", "paragraph"),
        lambda: Recommendation.objects.filter(paragraph__gte=5).order_by(
            "consultation_id", "paragraph"
        ),
    ],
    ids=["consultations last first", "by reference", "by consultation date", "filtered"],
)
def test_other_orders_and_filtered_lists_count_from_the_start(spread, rows):
    expected = [r.reference for r in rows()]
    paginator = DeferredJoinPaginator(rows(), 2)
    with CaptureQueriesContext(connection) as captured:
        shown = [r.reference for n in paginator.page_range for r in paginator.page(n)]

    assert shown == expected
    assert len(captured) == 1 + paginator.num_pages  # the count, then each page: no blocks read
    assert not any("recommendationblockcount" in q["sql"] for q in captured.captured_queries)


def test_pages_past_wrong_counts_still_answer_and_repair_counts_mends_them(api, spread):
    RecommendationBlockCount.objects.filter(block=1).update(count=1)
    # Rows 5 and 6 are then looked for from the last block on: a page of the wrong rows.
    wrong = DeferredJoinPaginator(Recommendation.objects.all(), 2, count=10).page(3)
    assert [r.reference for r in wrong] == _in_list_order()[8:10]

    assert [str(d) for d in summary_count_drift()] == [
        "RecommendationBlockCount 1: is 1, should be 5"
    ]
    summary_counts_repair()
    assert _kept() == _fresh()
    assert _pages(api, 2) == _in_list_order()
