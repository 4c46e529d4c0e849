"""Issue 13: deep pages read their keys first (tracker.paging) and give the same rows, in the
same order and with the same number of queries, as LIMIT/OFFSET."""

import pytest
from django.core.paginator import Paginator
from django.urls import reverse

from gcm_tracker.tracker import selectors
from gcm_tracker.tracker.paging import APART, DeferredJoinPaginator
from tests.factories import ConsultationFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def test_every_page_holds_the_rows_limit_and_offset_give(django_assert_num_queries):
    for consultation in [ConsultationFactory(), ConsultationFactory()]:
        RecommendationFactory.create_batch(4, consultation=consultation)
    rows = selectors.recommendation_list().order_by("-paragraph", "consultation_id")
    plain, deferred = Paginator(rows, 3), DeferredJoinPaginator(rows, 3, orphans=2)
    expected = [r.pk for r in rows]

    pages = [[r.pk for r in deferred.page(n)] for n in deferred.page_range]

    assert pages == [expected[0:3], expected[3:8]]
    assert [r.pk for r in plain.page(2)] == expected[3:6]
    with django_assert_num_queries(4):  # the rows and three prefetches, as a plain page
        assert [r.objectives.all() is not None for r in deferred.page(2)] == [True] * 5


def test_a_deep_page_reads_its_keys_in_a_subquery(django_assert_num_queries):
    RecommendationFactory.create_batch(3)
    paginator = DeferredJoinPaginator(selectors.recommendation_list().order_by("pk"), 1)

    with django_assert_num_queries(5) as captured:  # the count, the rows, three prefetches
        page = list(paginator.page(3))

    assert [r.pk for r in page] == [max(paginator.object_list.values_list("pk", flat=True))]
    assert "IN (SELECT" in captured.captured_queries[1]["sql"]


def test_the_api_keeps_its_page_number_contract(client):
    RecommendationFactory.create_batch(3)

    body = client.get(reverse("api:recommendation-list") + "?page=2&page_size=2").json()

    assert (body["count"], len(body["results"]), body["next"]) == (3, 1, None)
    assert body["previous"].endswith("page_size=2")


def test_keys_apart_reads_a_page_s_keys_then_its_rows_and_trusts_a_given_count(
    django_assert_num_queries,
):
    RecommendationFactory.create_batch(5)
    rows = selectors.recommendation_list().order_by("-pk")
    expected = list(rows.values_list("pk", flat=True))
    # A count given from elsewhere is believed (the assessment list's roll-up total): no COUNT.
    paginator = DeferredJoinPaginator(rows, 2, count=5, keys=APART)

    with django_assert_num_queries(5) as captured:  # the keys, the rows, three prefetches
        page = list(paginator.page(2))

    assert [r.pk for r in page] == expected[2:4]
    assert paginator.num_pages == 3
    assert "LIMIT 2 OFFSET 2" in captured.captured_queries[0]["sql"]
    assert "COUNT(" not in " ".join(q["sql"] for q in captured.captured_queries)
