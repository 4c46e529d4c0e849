"""What has gone quiet: recommendations whose regional status, and country cells, nobody has
updated for longer than the thresholds of settings (GCM_STALE_RECOMMENDATION_MONTHS,
GCM_STALE_CELL_MONTHS; README, Review meetings).

A recommendation's regional status counts from the date it took effect (or, if it never changed,
from its consultation's date), as the dashboard's "no status update for six months" does
(selectors._recently_updated): a change recorded today but effective long ago does not make it
current. A cell counts from its last *recorded* assessment: an organisation or staff confirming a
cell is the update the reminders ask for. Both reads use an index (tracker_recommendation_eff_on
with the consultations' dates, tracker_assessment_latest). A follow-up action still planned or
ongoing counts from its last edit, against the cells' threshold (the organisations' reminder).
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import selectors
from .changes import ChangeFilters
from .enums import ActionProgress
from .models import Assessment, FollowUpAction, Recommendation


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """`moment` moved back by whole calendar months (31 March − 1 month = 28/29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def recommendation_threshold(now: datetime.datetime | None = None) -> datetime.datetime:
    """Recommendations last updated before this are stale."""
    return months_before(now or timezone.now(), settings.GCM_STALE_RECOMMENDATION_MONTHS)


def cell_threshold(now: datetime.datetime | None = None) -> datetime.datetime:
    """Cells last recorded before this are stale."""
    return months_before(now or timezone.now(), settings.GCM_STALE_CELL_MONTHS)


def recommendation_last_update(recommendation: Recommendation) -> datetime.date:
    """When the recommendation's regional status took effect (or its consultation was held)."""
    return recommendation.status_effective_on or recommendation.consultation.date


def recommendation_is_stale(
    recommendation: Recommendation, now: datetime.datetime | None = None
) -> bool:
    return recommendation_last_update(recommendation) < recommendation_threshold(now).date()


def cell_is_stale(assessment: Assessment, now: datetime.datetime | None = None) -> bool:
    return assessment.recorded_at < cell_threshold(now)


def stale_recommendations(
    filters: ChangeFilters | None = None, now: datetime.datetime | None = None
) -> QuerySet[Recommendation]:
    """Recommendations not updated since the threshold, the longest quiet first."""
    filters = filters or ChangeFilters()
    threshold = recommendation_threshold(now).date()
    return (
        Recommendation.objects.alias(last=Coalesce("status_effective_on", "consultation__date"))
        .filter(
            Q(status_effective_on__lt=threshold)
            | Q(status_effective_on__isnull=True, consultation__date__lt=threshold),
            filters.recommendation_q(),
        )
        .annotate(last_update=F("last"))
        .select_related("consultation")
        .order_by("last", "id")
    )


# The keys of the stalest recommendations from two streams, each read in order from an index and
# stopped after `count`: those whose status changed, by the date it took effect, and those never
# changed, consultation by consultation, oldest first (tracker_consultation_date). Sorting every
# stale recommendation by the joined expression instead took about 300 ms at N = 200,000. The rule
# restates stale_recommendations()' filter and order in SQL; a test holds the two to the same rows
# (tests/dashboards/test_review_pages.py), so change them together.
STALEST_KEYS_SQL = """
SELECT id FROM (
    (SELECT r.id, r.status_effective_on AS last
     FROM tracker_recommendation r
     WHERE r.status_effective_on < %(threshold)s
     ORDER BY r.status_effective_on, r.id
     LIMIT %(count)s)
    UNION ALL
    (SELECT r.id, c.date AS last
     FROM tracker_consultation c
     CROSS JOIN LATERAL (
         SELECT u.id FROM tracker_recommendation u
         WHERE u.consultation_id = c.id AND u.status_effective_on IS NULL
         ORDER BY u.id
         LIMIT %(count)s
     ) r
     WHERE c.date < %(threshold)s
     ORDER BY c.date, r.id
     LIMIT %(count)s)
) stalest
ORDER BY last, id
LIMIT %(count)s
"""


def first_stale_recommendations(
    filters: ChangeFilters | None, count: int, now: datetime.datetime | None = None
) -> list[Recommendation]:
    """The first `count` rows of stale_recommendations(filters, now): the same rows, in the same
    order. Their keys are read first, then those rows. Unfiltered (the page everyone opens
    first), on PostgreSQL by STALEST_KEYS_SQL (about 10 ms at N = 200,000); SQLite, which has no
    LATERAL, sorts them all, as it can afford on a development database. Filtered, from the
    same two streams, each read in order and stopped after `count` (_stalest_filtered_keys)."""
    filters = filters or ChangeFilters()
    queryset = stale_recommendations(filters, now)
    if filters != ChangeFilters():
        keys = _stalest_filtered_keys(filters, count, now)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                STALEST_KEYS_SQL,
                {"threshold": recommendation_threshold(now).date(), "count": count},
            )
            keys = [key for (key,) in cursor.fetchall()]
    else:
        keys = list(queryset.values_list("pk", flat=True)[:count])
    rows = queryset.order_by().in_bulk(keys)
    return [rows[key] for key in keys if key in rows]


def _stalest_filtered_keys(
    filters: ChangeFilters, count: int, now: datetime.datetime | None
) -> list[int]:
    """The keys of the first `count` stale recommendations under `filters`: the first `count` of
    those whose status changed, by the date it took effect, and of those never changed, by their
    consultation's date, merged. Sorting every stale recommendation applicable to Thailand took
    210 ms at N = 200,000; each stream, read in its index's order with the filters tested row by
    row, 2 to 5 ms."""
    threshold = recommendation_threshold(now).date()
    rows = Recommendation.objects.filter(filters.recommendation_q())
    changed = rows.filter(status_effective_on__lt=threshold).order_by("status_effective_on", "id")
    never = rows.filter(status_effective_on__isnull=True, consultation__date__lt=threshold)
    never = never.order_by("consultation__date", "id")
    stalest = sorted(
        [
            *changed.values_list("status_effective_on", "id")[:count],
            *never.values_list("consultation__date", "id")[:count],
        ]
    )
    return [key for _, key in stalest[:count]]


def stale_cells(
    filters: ChangeFilters | None = None, now: datetime.datetime | None = None
) -> QuerySet[Assessment]:
    """Published cells (both voices unless filtered) not recorded since the threshold, the
    longest quiet first."""
    filters = filters or ChangeFilters()
    return (
        Assessment.objects.filter(filters.cell_q(), recorded_at__lt=cell_threshold(now))
        .select_related("recommendation__consultation", "country", "stakeholder")
        .order_by("recorded_at", "id")
    )


def stale_actions(now: datetime.datetime | None = None) -> QuerySet[FollowUpAction]:
    """Published actions still planned or ongoing, not updated since the cells' threshold."""
    return selectors.published_actions().filter(
        progress__in=[ActionProgress.PLANNED, ActionProgress.ONGOING],
        updated_at__lt=cell_threshold(now),
    )
