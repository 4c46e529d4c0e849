"""Issue 13: the work pages (the workspace, the review queue) are cached per user and set of
permissions under the work-data generation, which every write of the tracker's data moves on:
a second view draws nothing, the first view after any change draws the page again, and what
one user sees is never served to another."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gcm_tracker.tracker import roles, services
from gcm_tracker.tracker.cache import public_data_changed
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import FollowUpAction, Membership
from gcm_tracker.tracker.work_generation import GENERATION_KEY, work_data_changed
from tests.factories import FollowUpActionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

WORKSPACE = reverse("workspace:home")
QUEUE = reverse("workspace:review-queue")


def _browsing(client, user):
    """`user` signed in, in a browser that has opened a page (and so holds a CSRF cookie)."""
    client.force_login(user)
    client.get(reverse("accounts:language"))


def _main(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split("<main")[1]


@pytest.fixture
def submitted(organisation_a):
    """An action of organisation A waiting for review."""
    return FollowUpActionFactory(
        title="Waiting action", lead_stakeholder=organisation_a, review_state=ReviewState.SUBMITTED
    )


@pytest.mark.parametrize(("persona", "page"), [("contributor_a", WORKSPACE), ("staff", QUEUE)])
def test_the_second_view_reads_only_the_session_and_the_user(
    client, request, submitted, persona, page, django_assert_num_queries
):
    _browsing(client, request.getfixturevalue(persona))
    first = _main(client.get(page))
    assert "Waiting action" in first

    with django_assert_num_queries(2):
        second = _main(client.get(page))

    assert second == first


def _created(organisation, staff):
    FollowUpActionFactory(title="Changed here", lead_stakeholder=organisation)


def _renamed(organisation, staff):
    action = FollowUpAction.objects.get(title="Waiting action")
    action.title = "Changed here"
    action.save()


def _withdrawn(organisation, staff):
    FollowUpAction.objects.get(title="Waiting action").delete()


def _published(organisation, staff):
    services.follow_up_action_publish(
        action=FollowUpAction.objects.get(title="Waiting action"), reviewer=staff
    )


def _set_based(organisation, staff):
    # Set-based writes send no signals; they announce themselves.
    FollowUpAction.objects.filter(title="Waiting action").update(title="Changed here")
    public_data_changed()


@pytest.mark.parametrize(
    ("change", "shown", "gone"),
    [
        (_created, "Changed here", None),
        (_renamed, "Changed here", "Waiting action"),
        (_withdrawn, "No action recorded yet.", "Waiting action"),
        (_published, "review-published", "review-submitted"),
        (_set_based, "Changed here", "Waiting action"),
    ],
    ids=["created", "renamed", "deleted", "published", "set-based"],
)
def test_a_change_of_the_organisations_actions_shows_on_the_next_view(
    client, contributor_a, organisation_a, staff, submitted, change, shown, gone
):
    _browsing(client, contributor_a)
    before = _main(client.get(WORKSPACE))
    assert shown not in before

    change(organisation_a, staff)

    after = _main(client.get(WORKSPACE))
    assert shown in after
    assert gone is None or gone not in after


def test_the_queue_shows_a_change_of_an_actions_recommendations(client, staff, submitted):
    _browsing(client, staff)
    first = RecommendationFactory(reference="first-ref")
    submitted.recommendations.set([first])
    assert "first-ref" in _main(client.get(QUEUE))

    submitted.recommendations.set([RecommendationFactory(reference="second-ref")])

    queue = _main(client.get(QUEUE))
    assert ("first-ref" in queue, "second-ref" in queue) == (False, True)


def test_a_new_membership_shows_the_organisations_actions(
    client, contributor_a, organisation_b, submitted
):
    FollowUpActionFactory(title="Action of B", lead_stakeholder=organisation_b)
    _browsing(client, contributor_a)
    assert "Action of B" not in _main(client.get(WORKSPACE))

    Membership.objects.create(user=contributor_a, stakeholder=organisation_b)

    assert "Action of B" in _main(client.get(WORKSPACE))


def test_one_users_page_is_never_served_to_another(
    client, contributor_a, contributor_b, organisation_b, submitted
):
    FollowUpActionFactory(title="Action of B", lead_stakeholder=organisation_b)
    _browsing(client, contributor_a)
    as_a = _main(client.get(WORKSPACE))
    _browsing(client, contributor_b)
    as_b = _main(client.get(WORKSPACE))

    assert ("Waiting action" in as_a, "Action of B" in as_a) == (True, False)
    assert ("Waiting action" in as_b, "Action of B" in as_b) == (False, True)


def test_a_reviewer_who_loses_the_permission_is_refused_not_served(client, staff, submitted):
    _browsing(client, staff)
    assert "Waiting action" in _main(client.get(QUEUE))
    staff_role = Group.objects.get(name=roles.STAFF)

    with transaction.atomic():  # the authorization generation moves on when this commits
        staff_role.permissions.remove(
            Permission.objects.get(codename="review_followupaction"),
            Permission.objects.get(codename="review_assessmentsubmission"),
        )
        transaction.on_commit(lambda: None)
    cache.delete("accounts:authorization-generation")  # what the commit's hook does

    assert client.get(QUEUE).status_code == 403


def test_an_answer_to_invalid_filters_is_not_kept(client, contributor_a, submitted):
    _browsing(client, contributor_a)
    invalid = f"{WORKSPACE}?objective=not-a-number"

    assert client.get(invalid).status_code == 400
    assert client.get(invalid).status_code == 400
    assert "Waiting action" in _main(client.get(WORKSPACE))


def test_each_language_has_its_own_page(client, contributor_a, submitted):
    _browsing(client, contributor_a)
    english = _main(client.get(WORKSPACE, HTTP_ACCEPT_LANGUAGE="en"))
    french = _main(client.get(WORKSPACE, HTTP_ACCEPT_LANGUAGE="fr"))

    assert "Your workspace" in english
    assert "Votre espace de travail" in french


def test_a_lost_generation_draws_the_page_again(client, contributor_a, submitted):
    _browsing(client, contributor_a)
    client.get(WORKSPACE)
    cache.delete(GENERATION_KEY)  # an eviction, a restart of the cache

    with CaptureQueriesContext(connection) as drawn:
        client.get(WORKSPACE)
    assert len(drawn) > 2


def _bumps(callbacks) -> int:
    return sum(getattr(hook, "__name__", "") == "_move_on" for hook in callbacks)


def test_a_transaction_moves_the_generation_on_once_more_when_it_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        work_data_changed()
        during = cache.get(GENERATION_KEY)
        work_data_changed()
        work_data_changed()

    assert during is not None
    assert _bumps(callbacks) == 1


def test_a_bump_waiting_in_a_rolled_back_savepoint_does_not_stand_in_for_a_later_write(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                work_data_changed()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        work_data_changed()  # the outer transaction's own write

    assert _bumps(callbacks) == 1


@pytest.mark.django_db(transaction=True)
def test_a_page_drawn_before_the_commit_is_drawn_again_after_it(client, contributor_a):
    _browsing(client, contributor_a)
    organisation = contributor_a.memberships.get().stakeholder
    with transaction.atomic():
        FollowUpActionFactory(title="Committed later", lead_stakeholder=organisation)
        drawn_during = cache.get(GENERATION_KEY)
        client.get(WORKSPACE)  # drawn, and kept, before the commit

    assert cache.get(GENERATION_KEY) != drawn_during
    with CaptureQueriesContext(connection) as drawn:
        assert "Committed later" in _main(client.get(WORKSPACE))
    assert len(drawn) > 2
