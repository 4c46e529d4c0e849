"""One date style on pages, e-mails and feeds; ISO 8601 in downloads; the six-month count counts
from the date a status took effect (issue 15)."""

import csv
import datetime
import io
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from gcm_tracker.tracker import notifications, selectors
from gcm_tracker.tracker.enums import RecommendationStatus, ReviewState
from gcm_tracker.tracker.models import StatusChange
from tests.dashboards.pages import download_body
from tests.factories import (
    ConsultationFactory,
    FollowUpActionFactory,
    RecommendationFactory,
    StakeholderFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

# 20:16 in Bangkok, where the site shows its times.
RECORDED = datetime.datetime(2026, 1, 12, 13, 16, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _bangkok(settings):
    settings.TIME_ZONE = "Asia/Bangkok"


@pytest.fixture
def backdated(staff, monkeypatch):
    """A status recorded at RECORDED, effective from 1 June 2021."""
    # The field's default is read through Field._get_default, which Django caches per field.
    field = StatusChange._meta.get_field("changed_at")
    monkeypatch.setattr(field, "_get_default", lambda: RECORDED)
    recommendation = RecommendationFactory(consultation=ConsultationFactory(slug="border-2020"))
    set_status(
        recommendation,
        staff,
        effective_date=datetime.date(2021, 6, 1),
        reason="Pilot screening in two States.",
    )
    recommendation.refresh_from_db()
    return recommendation


def test_consultation_pages_write_dates_in_full(client):
    consultation = ConsultationFactory(slug="border-2020", title="Border governance")

    detail = client.get(reverse("dashboards:consultation-detail", args=[consultation.slug]))
    listing = client.get(reverse("dashboards:consultation-list"))

    for page in (detail, listing):
        assert "19 November 2020" in page.content.decode()
        assert "Nov. 19, 2020" not in page.content.decode()


def test_recommendation_page_labels_the_effective_date_and_the_recorded_time(client, backdated):
    page = client.get(reverse("dashboards:recommendation-detail", args=[backdated.reference]))

    text = page.content.decode()
    assert "Effective 1 June 2021 · recorded 12 January 2026, 20:16 +07" in text
    assert f"{backdated.consultation.title}</a>, 19 November 2020, paragraph" in text


def test_dashboard_labels_the_effective_date_and_the_recorded_time(client, backdated):
    page = client.get(reverse("dashboards:dashboard"))

    assert "effective 1 June 2021, recorded 12 January 2026, 20:16 +07" in page.content.decode()


def test_status_feed_says_when_a_change_took_effect(client, backdated):
    feed = client.get(reverse("dashboards:feed-status-changes")).content.decode()

    assert "Effective 1 June 2021. Pilot screening in two States." in feed
    # The entry's own date is when it was recorded, in the feed's machine format.
    assert "<updated>2026-01-12T13:16:00+00:00</updated>" in feed


def test_review_digest_writes_the_date_each_item_was_submitted(staff):
    action = FollowUpActionFactory(
        title="Legal clinic",
        lead_stakeholder=StakeholderFactory(name="Migrant Forum"),
        review_state=ReviewState.SUBMITTED,
        submitted_at=RECORDED,
    )

    notifications.review_digest([action], day="2026-01-13")

    assert "- Legal clinic (Migrant Forum), submitted 12 January 2026\n" in mail.outbox[0].body


def test_downloads_keep_iso_dates_and_add_the_effective_date_after_the_old_columns(
    client, backdated
):
    url = reverse("dashboards:recommendation-export", args=["csv"])

    rows = list(csv.reader(io.StringIO(download_body(client.get(url)).decode())))
    data = json.loads(
        download_body(client.get(reverse("dashboards:recommendation-export", args=["json"])))
    )

    header, row = rows
    # Appended after the columns earlier downloads had (then the short title, and the language
    # of each text, appended later).
    assert header[-6:] == [
        "published_actions",
        "text",
        "status_effective_on",
        "short_title",
        "text_language",
        "short_title_language",
    ]
    assert dict(zip(header, row, strict=True))["status_changed_at"] == "2026-01-12T13:16:00+00:00"
    assert dict(zip(header, row, strict=True))["status_effective_on"] == "2021-06-01"
    (record,) = data["recommendations"]
    assert (record["status_changed_at"], record["status_effective_on"]) == (
        "2026-01-12T13:16:00+00:00",
        "2021-06-01",
    )


def test_data_dictionary_tells_the_recorded_time_from_the_effective_date(client):
    text = client.get(reverse("dashboards:data-dictionary")).content.decode()

    assert "When the change that set the current status was recorded (ISO 8601, UTC)" in text
    assert "Date from which the current status holds" in text


def test_six_month_count_counts_from_the_effective_date(staff):
    today = timezone.localdate()
    recorded_now_effective_long_ago = RecommendationFactory()
    set_status(
        recorded_now_effective_long_ago, staff, effective_date=today - datetime.timedelta(days=240)
    )
    effective_last_month = RecommendationFactory()
    set_status(effective_last_month, staff, effective_date=today - datetime.timedelta(days=30))
    RecommendationFactory()  # never changed, made at a consultation of 2020
    RecommendationFactory(  # never changed, made two months ago
        consultation=ConsultationFactory(date=today - datetime.timedelta(days=60))
    )

    summary = selectors.dashboard_summary()

    assert (summary.recommendations, summary.not_updated) == (4, 2)


def test_six_month_count_boundary_is_the_effective_date_183_days_ago(staff):
    today = timezone.localdate()
    on_the_day = RecommendationFactory()
    set_status(on_the_day, staff, effective_date=today - selectors.STALE_AFTER)
    the_day_before = RecommendationFactory()
    set_status(
        the_day_before,
        staff,
        effective_date=today - selectors.STALE_AFTER - datetime.timedelta(days=1),
        new_status=RecommendationStatus.NOT_STARTED,
    )

    assert selectors.dashboard_summary().not_updated == 1
