"""Deep pages of the API's assessment list start from the block of recommendations that holds
their first row (AssessmentBlockCount, kept by triggers of migration 0038): every page holds the
rows LIMIT/OFFSET gives, in the same order, whatever the writes; the counts per block equal a
fresh count after every kind of write; repair_counts checks and repairs them."""

import datetime

import pytest
from django.db.models import Count, F

from gcm_tracker.tracker.country_models import ASSESSMENT_BLOCK
from gcm_tracker.tracker.enums import RecommendationScope
from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.models import Assessment, AssessmentBlockCount
from gcm_tracker.tracker.services import (
    recommendation_set_scope,
    summary_count_drift,
    summary_counts_repair,
)
from tests.factories import CountryFactory, RecommendationFactory, record_official

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assessments/"


@pytest.fixture
def spread(staff):
    """Assessments of recommendations in three blocks (keys 7, 1,500, 1,501 and 3,200), in two or
    three countries each."""
    countries = [CountryFactory(iso3=code, subregion="pacific") for code in ("FJI", "WSM", "TON")]
    recommendations = [RecommendationFactory(pk=pk) for pk in (7, 1500, 1501, 3200)]
    for number, recommendation in enumerate(recommendations):
        for country in countries[: 2 + number % 2]:
            record_official(recommendation, country, staff, status=Status.LIMITED)
    return {"countries": countries, "recommendations": recommendations}


def _kept() -> dict[int, int]:
    return dict(AssessmentBlockCount.objects.exclude(count=0).values_list("block", "count"))


def _fresh() -> dict[int, int]:
    rows = Assessment.objects.filter(in_scope=True).annotate(
        block=F("recommendation_id") / ASSESSMENT_BLOCK
    )
    return dict(rows.values_list("block").annotate(n=Count("*")).order_by())


def _pages(api, page_size: int) -> list[tuple]:
    rows, number = [], 1
    while True:
        response = api.get(LIST, {"page": number, "page_size": page_size})
        if response.status_code == 404:
            return rows
        rows += [
            (r["recommendation"], r["country"], r["voice"]) for r in response.json()["results"]
        ]
        number += 1


def _in_list_order() -> list[tuple]:
    rows = Assessment.objects.filter(in_scope=True).order_by(
        "recommendation_id", "country_id", "voice", "stakeholder_id"
    )
    return list(rows.values_list("recommendation__reference", "country__iso3", "voice"))


def test_the_counts_per_block_follow_every_kind_of_write(spread, staff):
    checkpoints = [_kept() == _fresh() == {0: 2, 1: 5, 3: 3}]
    first, _, _, last = spread["recommendations"]
    # Out of scope (the scope service's set-based update of the flag) and back.
    recommendation_set_scope(
        recommendation=last,
        scope=RecommendationScope.SELECTED,
        subregions=["east_north_east_asia"],
        changed_by=staff,
    )
    checkpoints.append(_kept() == _fresh() == {0: 2, 1: 5})
    Assessment.objects.filter(recommendation=last).update(in_scope=True)
    checkpoints.append(_kept() == _fresh() == {0: 2, 1: 5, 3: 3})
    # A status recorded on a cell moves nothing; an assessment written around the services
    # (a restore) and then deleted is counted and uncounted.
    record_official(first, spread["countries"][0], staff, status=Status.IMPLEMENTED)
    restored = Assessment.objects.create(
        recommendation=first,
        country=spread["countries"][2],
        voice="official",
        status="limited_progress",
        effective_date=datetime.date(2024, 1, 1),
    )
    checkpoints.append(_kept() == _fresh() == {0: 3, 1: 5, 3: 3})
    restored.delete()
    checkpoints.append(_kept() == _fresh() == {0: 2, 1: 5, 3: 3})

    assert checkpoints == [True] * 5


@pytest.mark.parametrize("page_size", [1, 2, 3, 4])
def test_every_page_holds_the_rows_offset_gives(api, spread, page_size):
    expected = _in_list_order()
    assert len(expected) == 10

    assert _pages(api, page_size) == expected


def test_a_deep_page_starts_from_its_block(spread, django_assert_num_queries, outsider_api):
    outsider_api.get(LIST, {"page": 2, "page_size": 4})

    # The token with its user, the length, the blocks, the page's keys and their rows.
    with django_assert_num_queries(5) as captured:
        body = outsider_api.get(LIST, {"page": 2, "page_size": 4}).json()

    keys = captured.captured_queries[3]["sql"]
    # Rows 5 to 8: the second block's third to fifth, then the last block's first.
    assert '"recommendation_id" >= 1000' in keys
    assert "LIMIT 4 OFFSET 2" in keys
    assert [(r["recommendation"], r["country"]) for r in body["results"]] == [
        (r, c) for r, c, _ in _in_list_order()[4:8]
    ]


def test_filtered_pages_count_from_the_list_start(api, spread):
    official = _in_list_order()
    body = api.get(LIST, {"voice": "official", "page": 3, "page_size": 3}).json()

    assert body["count"] == 10
    shown = [(r["recommendation"], r["country"], r["voice"]) for r in body["results"]]
    assert shown == official[6:9]


def test_pages_past_wrong_counts_still_answer_and_repair_counts_mends_them(api, spread):
    AssessmentBlockCount.objects.filter(block=1).update(count=1)

    assert [str(d) for d in summary_count_drift()] == ["AssessmentBlockCount 1: is 1, should be 5"]
    summary_counts_repair()
    assert _kept() == _fresh()
    assert _pages(api, 2) == _in_list_order()
