"""What has gone quiet: recommendations whose regional status, and country cells, nobody has
updated for longer than the thresholds of settings (GCM_STALE_RECOMMENDATION_MONTHS,
GCM_STALE_CELL_MONTHS; README, Review meetings).

"Updated" means recorded: a recommendation's last status change (or its import, if none) and a
cell's last recorded assessment. Recorded times, not effective dates, because the question is
whether anyone has looked at it lately: a review recorded today of a change effective long ago
is an update. Both reads use an index (tracker_recommendation_last, tracker_assessment_latest).
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from .changes import ChangeFilters
from .models import Assessment, Recommendation


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


def recommendation_last_update(recommendation: Recommendation) -> datetime.datetime:
    """When the recommendation's regional status was last recorded (or it was imported)."""
    return recommendation.status_changed_at or recommendation.created_at


def recommendation_is_stale(
    recommendation: Recommendation, now: datetime.datetime | None = None
) -> bool:
    return recommendation_last_update(recommendation) < recommendation_threshold(now)


def cell_is_stale(assessment: Assessment, now: datetime.datetime | None = None) -> bool:
    return assessment.recorded_at < cell_threshold(now)


def stale_recommendations(
    filters: ChangeFilters | None = None, now: datetime.datetime | None = None
) -> QuerySet[Recommendation]:
    """Recommendations not updated since the threshold, the longest quiet first."""
    filters = filters or ChangeFilters()
    return (
        Recommendation.objects.alias(last=Coalesce("status_changed_at", "created_at"))
        .filter(filters.recommendation_q(), last__lt=recommendation_threshold(now))
        .annotate(last_update=F("last"))
        .select_related("consultation")
        .order_by("last", "id")
    )


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
