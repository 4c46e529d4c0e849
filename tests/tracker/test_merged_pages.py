"""Issue 13: the list of recommendations with several statuses in a date order reads a page's
keys from each status's index and merges them (paging.merged, RecommendationFilter.page_keys):
every page holds the rows the list's own query gives, in its order, on PostgreSQL; SQLite,
which takes no LIMIT in a UNION's parts, reads the list as one query."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from gcm_tracker.tracker import selectors
from gcm_tracker.tracker.enums import RecommendationStatus as S
from gcm_tracker.tracker.filters import RecommendationFilter
from gcm_tracker.tracker.models import Recommendation
from gcm_tracker.tracker.paging import DeferredJoinPaginator
from tests.factories import ConsultationFactory, RecommendationFactory, set_status

pytestmark = pytest.mark.django_db

POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def statuses(staff):
    """Fifteen recommendations of two consultations: every third never updated (five with no
    information), the others implemented (four), with limited progress (four) or not started
    (two), updated on days that interleave the statuses, two of them at the same moment."""
    consultations = [ConsultationFactory(), ConsultationFactory()]
    chosen = [S.IMPLEMENTED, S.LIMITED, S.NOT_STARTED]
    start = timezone.now() - datetime.timedelta(days=30)
    for n in range(15):
        recommendation = RecommendationFactory(consultation=consultations[n % 2])
        if n % 3 == 2:
            continue
        set_status(recommendation, staff, new_status=chosen[(n // 3) % len(chosen)])
        moment = start + datetime.timedelta(days=(n * 7) % 11)
        Recommendation.objects.filter(pk=recommendation.pk).update(status_changed_at=moment)


def _filter(query: str) -> RecommendationFilter:
    filterset = RecommendationFilter(QueryDict(query), queryset=selectors.recommendation_list())
    assert filterset.is_valid()
    return filterset


CHOICES = [
    "status=implemented&status=limited_progress",
    # A status named twice: merged once.
    "status=implemented&status=limited_progress&status=implemented",
    "status=implemented&status=not_started&status=no_information",
    "status=limited_progress&status=no_information",
]


@pytest.mark.parametrize("sort", ["updated", "-updated"])
@pytest.mark.parametrize("chosen", CHOICES)
def test_every_page_holds_the_lists_rows_in_its_order(statuses, chosen, sort):
    filterset = _filter(f"{chosen}&sort={sort}")
    expected = [r.pk for r in filterset.qs]
    keys = filterset.page_keys()
    assert (keys is not None) == POSTGRESQL
    paginator = DeferredJoinPaginator(filterset.qs, 3, keys=keys)

    pages = [[r.pk for r in paginator.page(n)] for n in paginator.page_range]

    assert len(expected) == paginator.count >= 5
    assert pages == [expected[n : n + 3] for n in range(0, len(expected), 3)]


@pytest.mark.parametrize(
    ("query", "merged"),
    [
        ("status=implemented&status=limited_progress&sort=updated", POSTGRESQL),
        # An empty filter chooses nothing.
        ("status=implemented&status=limited_progress&sort=-updated&objective=", POSTGRESQL),
        # One status: its index gives its rows in order (named twice, it is still one).
        ("status=implemented&sort=updated", False),
        ("status=implemented&status=implemented&sort=updated", False),
        ("status=implemented&status=limited_progress&status=implemented&sort=updated", POSTGRESQL),
        # The sorts by status lead with the status's rank, which their indexes give in order.
        ("status=implemented&status=limited_progress&sort=status", False),
        ("status=implemented&status=limited_progress", False),
        # Another filter: read as one query.
        ("status=implemented&status=limited_progress&sort=updated&q=thing", False),
    ],
)
def test_which_lists_merge_their_statuses(query, merged):
    assert (_filter(query).page_keys() is not None) == merged


def test_the_public_list_pages_them(client, statuses):
    url = reverse("dashboards:recommendation-list")
    query = "status=implemented&status=not_started&sort=updated"
    expected = [r.reference for r in _filter(query).qs]

    response = client.get(f"{url}?{query}")

    assert [r.reference for r in response.context["page"]] == expected[:25]
    assert response.context["page"].paginator.count == len(expected) == 6
