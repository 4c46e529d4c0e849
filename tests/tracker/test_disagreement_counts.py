"""The disagreeing assessments counted per voice (DisagreementCount), kept by database triggers
(migration 0036), equal a live count after every kind of write: cells coming to disagree and
agree again through the services, set-based updates of the flag, assessments deleted; the
dashboard's and the disagreements page's count read it."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from gcm_tracker.tracker.country_selectors import disagreement_count, disagreement_list
from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.models import Assessment, DisagreementCount
from tests.factories import (
    CountryFactory,
    RecommendationFactory,
    publish_civil_society,
    record_official,
)

pytestmark = pytest.mark.django_db


def _kept() -> dict[str, int]:
    return dict(DisagreementCount.objects.exclude(count=0).values_list("voice", "count"))


def _live() -> dict[str, int]:
    rows = Assessment.objects.filter(disagreed_at__isnull=False).values_list("voice")
    return dict(rows.annotate(n=Count("*")))


def test_the_count_follows_every_kind_of_write(staff, contributor_a):
    thailand, nepal = CountryFactory(iso3="THA"), CountryFactory(iso3="NPL")
    first, second = RecommendationFactory(), RecommendationFactory()
    checkpoints = []

    for recommendation in (first, second):
        for country in (thailand, nepal):
            record_official(recommendation, country, staff, status=Status.IMPLEMENTED)
            publish_civil_society(
                recommendation, country, contributor_a, staff, status=Status.NOT_STARTED
            )
    checkpoints.append(_kept() == _live() == {"official": 4})
    # Agreeing again: the official assessment comes down to civil society's.
    record_official(first, thailand, staff, status=Status.NOT_STARTED)
    checkpoints.append(_kept() == _live() == {"official": 3})
    Assessment.objects.filter(country=nepal).update(disagreed_at=None)
    checkpoints.append(_kept() == _live() == {"official": 1})
    Assessment.objects.filter(country=nepal, voice="official").update(disagreed_at=timezone.now())
    checkpoints.append(_kept() == _live() == {"official": 3})
    # Rows written directly (as a fixture or a restore loads them), then deleted: assessments
    # with a history cannot be.
    loaded = Assessment.objects.bulk_create(
        Assessment(
            recommendation=second,
            country=CountryFactory(),
            voice="official",
            status=Status.IMPLEMENTED,
            effective_date=timezone.localdate(),
            disagreed_at=timezone.now(),
        )
        for _ in range(2)
    )
    checkpoints.append(_kept() == _live() == {"official": 5})
    Assessment.objects.filter(pk__in=[a.pk for a in loaded]).delete()
    checkpoints.append(_kept() == _live() == {"official": 3})

    assert checkpoints == [True] * 6


def test_the_pages_read_the_kept_count(client, staff, contributor_a):
    country = CountryFactory(iso3="THA")
    for _ in range(3):
        recommendation = RecommendationFactory()
        record_official(recommendation, country, staff, status=Status.IMPLEMENTED)
        publish_civil_society(
            recommendation, country, contributor_a, staff, status=Status.NOT_STARTED
        )

    assert disagreement_count() == disagreement_list().count() == 3
    page = client.get(reverse("dashboards:disagreement-list")).content.decode()
    assert '<p class="result-count">3 cells</p>' in page
    DisagreementCount.objects.update(count=0)
    assert disagreement_count() == 0


def test_repair_counts_repairs_the_count(staff, contributor_a):
    recommendation, country = RecommendationFactory(), CountryFactory(iso3="THA")
    record_official(recommendation, country, staff, status=Status.IMPLEMENTED)
    publish_civil_society(recommendation, country, contributor_a, staff, status=Status.NOT_STARTED)
    DisagreementCount.objects.update(count=5)
    out = io.StringIO()

    call_command("repair_counts", stdout=out)

    assert out.getvalue().splitlines() == [
        "DisagreementCount official: was 5, now 1",
        "Repaired 1 summary count.",
    ]
    assert _kept() == _live() == {"official": 1}
