"""Issue 3's acceptance points, on the seed data."""

import csv
import io

import pytest
from django.urls import reverse

from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.models import Recommendation
from tests.factories import set_status

from .pages import download_body, headline_figures, status_counts

pytestmark = pytest.mark.django_db

SLUG = "border-governance-2020"


def _paragraphs(response):
    return [r.paragraph for r in response.context["page"].object_list]


def test_recommendation_list_filtered_by_objective_13_lists_paragraphs_87_to_92(client, seed):
    response = client.get(reverse("dashboards:recommendation-list"), {"objective": 13})

    assert response.status_code == 200
    assert _paragraphs(response) == [87, 88, 89, 90, 91, 92]


def test_csv_download_of_objective_13_has_those_six_rows(client, seed):
    response = client.get(
        reverse("dashboards:recommendation-export", args=["csv"]), {"objective": 13}
    )

    rows = list(csv.DictReader(io.StringIO(download_body(response).decode())))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert [(r["reference"], r["objectives"], r["status"]) for r in rows] == [
        (f"{SLUG}-{n}", "13", "no_information") for n in range(87, 93)
    ]


def test_recommendation_list_shows_all_37(client, seed):
    url = reverse("dashboards:recommendation-list")

    first, second = client.get(url), client.get(url, {"page": 2})

    assert first.context["page"].paginator.count == 37
    assert _paragraphs(first) + _paragraphs(second) == [
        *range(26, 34),
        37,
        *range(47, 53),
        *range(63, 76),
        *range(84, 93),
    ]


def test_recommendation_page_shows_text_and_empty_timeline(client, seed):
    recommendation = Recommendation.objects.get(reference=f"{SLUG}-26")

    response = client.get(reverse("dashboards:recommendation-detail", args=[f"{SLUG}-26"]))

    content = response.content.decode()
    assert response.status_code == 200
    assert recommendation.text in content
    assert list(response.context["timeline"]) == []
    assert "The status has not changed since the recommendation was made." in content


def test_status_change_shows_on_recommendation_page_and_moves_dashboard(
    client, seed, staff, django_capture_on_commit_callbacks
):
    recommendation = Recommendation.objects.get(reference=f"{SLUG}-26")
    before = client.get(reverse("dashboards:dashboard"))

    with django_capture_on_commit_callbacks(execute=True):
        change = set_status(
            recommendation,
            staff,
            new_status=Status.SUBSTANTIAL,
            reason="Birth registration drives in three countries.",
        )
    page = client.get(reverse("dashboards:recommendation-detail", args=[f"{SLUG}-26"]))
    after = client.get(reverse("dashboards:dashboard"))

    assert [(c.new_status, c.reason, c.effective_date) for c in page.context["timeline"]] == [
        (Status.SUBSTANTIAL, "Birth registration drives in three countries.", change.effective_date)
    ]
    assert page.context["recommendation"].status == Status.SUBSTANTIAL
    # Headline figures: tracked, with progress, actions, countries, organisations, not updated.
    assert headline_figures(before) == ["37", "0%", "0", "0", "0", "37"]
    assert headline_figures(after) == ["37", "3%", "0", "0", "0", "36"]
    unchanged = {Status.NOT_STARTED: 0, Status.LIMITED: 0, Status.IMPLEMENTED: 0}
    assert status_counts(before) == unchanged | {Status.NO_INFORMATION: 37, Status.SUBSTANTIAL: 0}
    assert status_counts(after) == unchanged | {Status.NO_INFORMATION: 36, Status.SUBSTANTIAL: 1}
