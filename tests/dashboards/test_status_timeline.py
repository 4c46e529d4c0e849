"""Issue 14, item 5: a backdated status change (effective before an earlier-recorded one). The
current status is the one the newest *recorded* change set; the page's timeline, the API and
the downloads all put that change first and say which date is which."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from gcm_tracker.tracker.enums import RecommendationStatus as Status
from tests.factories import RecommendationFactory, set_status

from .pages import download_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def backdated(staff):
    """Limited progress effective 1 June 2021, then (recorded later) a correction to
    Substantial progress effective 1 March 2021."""
    recommendation = RecommendationFactory()
    first = set_status(recommendation, staff, effective_date=datetime.date(2021, 6, 1))
    correction = set_status(
        recommendation,
        staff,
        new_status=Status.SUBSTANTIAL,
        effective_date=datetime.date(2021, 3, 1),
        reason="Correction: the plan was adopted in March.",
    )
    return recommendation, first, correction


def _shown(value) -> str:
    """A date or time as the page shows it (localised, in the site's time zone)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return formats.localize(value)


def test_hardening_5_backdated_change_tops_the_timeline_beside_the_badge(client, backdated):
    recommendation, first, correction = backdated

    response = client.get(
        reverse("dashboards:recommendation-detail", args=[recommendation.reference])
    )

    html = response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.status == Status.SUBSTANTIAL
    assert [change.pk for change in response.context["timeline"]] == [correction.pk, first.pk]
    top = html[html.index(f'id="change-{correction.pk}"') : html.index(f'id="change-{first.pk}"')]
    assert "Substantial progress" in top
    assert (
        f"Effective {_shown(correction.effective_date)} · recorded {_shown(correction.changed_at)}"
        in top
    )
    assert html.index(f'id="change-{correction.pk}"') < html.index(f'id="change-{first.pk}"')


def test_hardening_5_api_timeline_starts_with_the_change_that_set_the_status(client, backdated):
    recommendation, first, correction = backdated

    body = client.get(reverse("api:recommendation-detail", args=[recommendation.reference])).json()

    assert body["status"] == body["status_changes"][0]["new_status"] == Status.SUBSTANTIAL
    assert [(c["id"], c["effective_date"]) for c in body["status_changes"]] == [
        (correction.pk, "2021-03-01"),
        (first.pk, "2021-06-01"),
    ]
    assert body["status_changed_at"] == body["status_changes"][0]["changed_at"]


def test_hardening_5_download_gives_the_status_of_the_newest_recorded_change(client, backdated):
    recommendation, _, correction = backdated

    response = client.get(
        reverse("dashboards:recommendation-export", args=["csv"]),
        {"consultation": recommendation.consultation.slug},
    )

    header, row = list(csv.reader(io.StringIO(download_body(response).decode())))
    assert (row[header.index("status")], row[header.index("status_changed_at")]) == (
        Status.SUBSTANTIAL,
        correction.changed_at.isoformat(),
    )
