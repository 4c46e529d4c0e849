"""Migration 0021 fills status_effective_on from the history: the effective date of the newest
recorded change, even when an older change took effect later."""

import datetime
import importlib

import pytest
from django.apps import apps

from gcm_tracker.tracker.enums import RecommendationStatus
from gcm_tracker.tracker.models import Recommendation
from tests.factories import RecommendationFactory, set_status

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "gcm_tracker.tracker.migrations.0021_recommendation_status_effective_on"
)


def test_backfill_takes_the_effective_date_of_the_newest_recorded_change(staff):
    corrected = RecommendationFactory()
    set_status(corrected, staff, effective_date=datetime.date(2024, 5, 1))
    corrected.refresh_from_db()
    # A backdated correction, recorded after the first change: it sets the current status.
    set_status(
        corrected,
        staff,
        new_status=RecommendationStatus.NOT_STARTED,
        effective_date=datetime.date(2022, 3, 1),
    )
    once = RecommendationFactory()
    set_status(once, staff, effective_date=datetime.date(2021, 6, 1))
    never = RecommendationFactory()
    Recommendation.objects.update(status_effective_on=None)

    migration.effective_date_of_current_status(apps, None)

    assert dict(Recommendation.objects.values_list("pk", "status_effective_on")) == {
        corrected.pk: datetime.date(2022, 3, 1),
        once.pk: datetime.date(2021, 6, 1),
        never.pk: None,
    }
