"""Progress at a glance (issue 15): per-objective share with progress, headline figures that
link to their lists with correct plurals, the 'longest without an update' sort, empty states,
one label ('Any') for every empty choice, and the menu marking where one is."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gcm_tracker.dashboards.charts import objective_rows
from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.models import Recommendation
from tests.factories import (
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StaffFactory,
    set_status,
)

pytestmark = pytest.mark.django_db


def test_objective_rows_count_limited_progress_or_better_as_progress():
    objective = object()
    counts = {
        Status.NO_INFORMATION: 1,
        Status.NOT_STARTED: 1,
        Status.LIMITED: 1,
        Status.SUBSTANTIAL: 0,
        Status.IMPLEMENTED: 1,
    }
    [row] = objective_rows([(objective, {str(k): v for k, v in counts.items()})])
    empty = objective_rows([(objective, {})])[0]

    assert (row.total, row.with_progress, row.progress_share) == (4, 2, 50.0)
    assert (empty.total, empty.with_progress, empty.progress_share) == (0, 0, 0.0)


def test_dashboard_figures_link_to_their_lists_with_singular_wording(client):
    objective = ObjectiveFactory(number=13)
    recommendation = RecommendationFactory(objectives=[objective])
    RecommendationFactory(objectives=[objective])
    set_status(recommendation, StaffFactory(), new_status=Status.LIMITED)
    PublishedActionFactory(recommendations=[recommendation])

    html = client.get(reverse("dashboards:dashboard")).content.decode()

    progress = "status=limited_progress&amp;status=substantial_progress&amp;status=implemented"
    assert (
        '<a href="/recommendations/"><span class="figure">2</span> recommendations tracked</a>'
        in html
    )
    assert (
        f'<a href="/recommendations/?{progress}"><span class="figure">50%</span> with progress '
        "(1 of 2 at Limited progress or better)</a>" in html
    )
    assert '<span class="figure">1</span> follow-up action published</a>' in html
    assert '<span class="figure">1</span> organisation acting</a>' in html
    assert '<a href="/recommendations/?sort=updated">' in html
    # The objective's row: its bar and percent, linking to its recommendations with progress.
    assert f'href="/recommendations/?objective=13&amp;{progress}"' in html
    assert "50% (1 of 2)" in html
    assert 'href="/recommendations/?objective=13&amp;status=limited_progress">1</a>' in html


def test_sort_by_longest_without_an_update(client, settings):
    old, recent, never = RecommendationFactory.create_batch(3)
    staff = StaffFactory()
    set_status(old, staff)
    set_status(recent, staff)
    Recommendation.objects.filter(pk=old.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=400)
    )
    Recommendation.objects.filter(pk=never.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=200)
    )

    response = client.get(reverse("dashboards:recommendation-list"), {"sort": "updated"})

    assert [r.reference for r in response.context["page"].object_list] == [
        old.reference,
        never.reference,
        recent.reference,
    ]


def test_sort_by_most_recently_updated_puts_the_never_updated_last(client):
    # PostgreSQL sorted the empty dates first in a descending order, SQLite last (migration 0061).
    never, old, recent = RecommendationFactory.create_batch(3)
    staff = StaffFactory()
    set_status(old, staff)
    set_status(recent, staff)
    Recommendation.objects.filter(pk=old.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=400)
    )

    response = client.get(reverse("dashboards:recommendation-list"), {"sort": "-updated"})

    assert [r.reference for r in response.context["page"].object_list] == [
        recent.reference,
        old.reference,
        never.reference,
    ]


def test_empty_action_list_says_why_and_where_to_ask_for_an_account(client):
    html = client.get(reverse("dashboards:action-list")).content.decode()
    filtered = client.get(reverse("dashboards:action-list"), {"progress": "planned"})

    assert "No follow-up action has been published yet." in html
    assert f'href="{reverse("accounts:request")}"' in html
    assert "No published action matches these filters." in filtered.content.decode()


def test_every_empty_choice_of_the_public_filters_reads_any(client, seed):
    for name in ["recommendation-list", "action-list", "matrix", "good-practice-list"]:
        html = client.get(reverse(f"dashboards:{name}")).content.decode()
        assert "---------" not in html, name
    assert '<option value="" selected>Any</option>' in html


def test_menu_marks_the_current_page_and_section(client):
    objective = ObjectiveFactory(number=13)
    listing = client.get(reverse("dashboards:objective-list")).content.decode()
    detail = client.get(reverse("dashboards:objective-detail", args=[objective.number]))

    assert '<a href="/objectives/" aria-current="page">Objectives</a>' in listing
    assert '<a href="/objectives/" aria-current="true">Objectives</a>' in detail.content.decode()
    assert '<a href="/recommendations/">Recommendations</a>' in listing


def test_recommendation_list_has_one_search_box(client):
    html = client.get(reverse("dashboards:recommendation-list")).content.decode()

    other = client.get(reverse("dashboards:objective-list")).content.decode()

    # The list's own search among its filters; the header's (on every other page) left out.
    assert (html.count('name="q"'), 'class="site-search"' in html) == (1, False)
    assert (other.count('name="q"'), 'class="site-search"' in other) == (2, True)
