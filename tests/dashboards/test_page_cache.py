"""Public pages are cached whole for visitors who are not signed in, and the cache moves on with
the public data: a status change, a published action or an edit of a public row in the admin
shows on the next request; nothing personal is ever served from it."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gcm_tracker.tracker.cache import GENERATION_KEY, public_generation
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import PublicGeneration, Recommendation
from tests.factories import (
    FollowUpActionFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StaffFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

PAGES = [
    ("dashboards:recommendation-list", []),
    ("dashboards:recommendation-detail", ["c-87"]),
    ("dashboards:objective-list", []),
    ("dashboards:country-list", []),
    ("dashboards:stakeholder-list", []),
    ("dashboards:consultation-list", []),
    ("dashboards:action-list", []),
    ("dashboards:good-practice-list", []),
    # Not the data page: it lists the newest open-data files, which change without the public
    # data's generation moving (tests/dashboards/test_open_data.py).
    ("dashboards:matrix", []),
    ("dashboards:disagreement-list", []),
]


@pytest.fixture
def recommendation(db):
    return RecommendationFactory(reference="c-87", text="Ensure alternatives to detention.")


@pytest.mark.parametrize(("name", "args"), PAGES, ids=[p[0] for p in PAGES])
def test_second_anonymous_request_is_served_from_the_cache(
    client, recommendation, django_assert_num_queries, name, args
):
    url = reverse(name, args=args)
    first = client.get(url)

    with django_assert_num_queries(0):
        second = client.get(url)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.content == first.content
    assert second["Content-Type"] == "text/html; charset=utf-8"


def test_each_address_and_query_string_is_its_own_page(client, recommendation):
    RecommendationFactory(reference="c-88", status="implemented")
    url = reverse("dashboards:recommendation-list")

    everything = client.get(url).content.decode()
    implemented = client.get(url, {"status": "implemented"}).content.decode()

    assert ("c-87" in everything, "c-88" in everything) == (True, True)
    assert ("c-87" in implemented, "c-88" in implemented) == (False, True)


def test_status_change_shows_on_the_next_request(
    client, recommendation, django_capture_on_commit_callbacks
):
    url = reverse("dashboards:recommendation-detail", args=["c-87"])
    client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        set_status(recommendation, StaffFactory(), new_status="implemented", reason="Adopted.")
    page = client.get(url).content.decode()

    assert "Adopted." in page


def test_admin_edit_of_a_public_row_shows_on_the_next_request(
    client, recommendation, django_capture_on_commit_callbacks
):
    url = reverse("dashboards:recommendation-detail", args=["c-87"])
    client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        recommendation.text = "Ensure community-based alternatives to detention."
        recommendation.save()
    page = client.get(url).content.decode()

    assert "Ensure community-based alternatives to detention." in page


def test_editing_a_published_action_moves_the_cache_on(client, django_capture_on_commit_callbacks):
    action = PublishedActionFactory()
    before = public_generation()

    with django_capture_on_commit_callbacks(execute=True):
        action.title = "Corrected title"
        action.save()

    assert public_generation() == before + 1


def test_editing_a_draft_action_leaves_public_pages_cached(
    client, django_capture_on_commit_callbacks
):
    draft = FollowUpActionFactory(review_state=ReviewState.DRAFT)
    other = RecommendationFactory()
    before = public_generation()

    with django_capture_on_commit_callbacks(execute=True):
        draft.title = "Changed draft"
        draft.save()
        draft.recommendations.add(other)

    assert public_generation() == before


def test_signed_in_user_gets_their_own_page_and_it_is_not_shared(client, recommendation):
    url = reverse("dashboards:recommendation-list")
    client.get(url)
    staff = StaffFactory(username="sam", first_name="Sam")
    client.force_login(staff)

    signed_in = client.get(url).content.decode()
    client.logout()
    anonymous = client.get(url).content.decode()

    assert ("Sign out" in signed_in, "Sign out" in anonymous) == (True, False)


def test_page_with_messages_waiting_is_rendered_not_cached(client, recommendation):
    url = reverse("dashboards:recommendation-list")
    client.get(url)
    client.cookies["messages"] = "anything"

    with CaptureQueriesContext(connection) as rendered:
        response = client.get(url)

    assert response.status_code == 200
    assert len(rendered.captured_queries) > 0


def test_not_found_is_not_cached(client):
    url = reverse("dashboards:recommendation-detail", args=["c-99"])
    missing = client.get(url)

    RecommendationFactory(reference="c-99")
    found = client.get(url)

    assert (missing.status_code, found.status_code) == (404, 200)


def test_generation_lost_from_the_cache_is_read_back_from_the_database(
    client, recommendation, django_capture_on_commit_callbacks
):
    url = reverse("dashboards:recommendation-detail", args=["c-87"])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        set_status(recommendation, StaffFactory(), new_status="implemented", reason="Adopted.")
    bumped = public_generation()
    client.get(url)

    # Evicted: the number is the database's, not a new one, and the page is the fresh one.
    cache.delete(GENERATION_KEY)
    page = client.get(url).content.decode()

    assert public_generation() == bumped
    assert PublicGeneration.objects.get().number == bumped
    assert "Adopted." in page


def test_generation_moved_on_by_another_process_shows_within_seconds(
    client, recommendation, monkeypatch
):
    # Item 4 and 23 of issue 14: another process (a web worker, a shell, import_report) moves the
    # number in the database; this process's cache still holds the old one and its pages.
    monkeypatch.setattr("gcm_tracker.tracker.cache.GENERATION_SECONDS", 1)
    url = reverse("dashboards:recommendation-detail", args=["c-87"])
    client.get(url)
    Recommendation.objects.filter(pk=recommendation.pk).update(text="Edited elsewhere.")
    PublicGeneration.objects.update(number=F("number") + 1)

    within = client.get(url).content.decode()
    time.sleep(1.2)
    after = client.get(url).content.decode()

    assert ("Edited elsewhere." in within, "Edited elsewhere." in after) == (False, True)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_small_download_is_cached_whole_and_a_large_one_streams(
    client, monkeypatch, django_assert_num_queries, fmt
):
    monkeypatch.setattr("gcm_tracker.dashboards.views.WHOLE_DOWNLOAD_ROWS", 2)
    for n in range(3):
        RecommendationFactory(reference=f"c-{n}", status="implemented" if n else "not_started")
    url = reverse("dashboards:recommendation-export", args=[fmt])

    small = client.get(url, {"status": "implemented"})
    with django_assert_num_queries(0):
        again = client.get(url, {"status": "implemented"})
    large = client.get(url)

    assert (small.streaming, again.streaming, large.streaming) == (False, False, True)
    assert again.content == small.content
    assert again["Content-Disposition"] == small["Content-Disposition"]
    assert [f"c-{n}".encode() in small.content for n in range(3)] == [False, True, True]
