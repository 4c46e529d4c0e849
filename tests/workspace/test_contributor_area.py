import pytest
from django.urls import reverse

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import FollowUpAction
from tests.factories import FollowUpActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def action_a(organisation_a, contributor_a):
    return FollowUpActionFactory(title="A's draft", lead_stakeholder=organisation_a)


@pytest.fixture
def action_b(organisation_b):
    return FollowUpActionFactory(title="B's draft", lead_stakeholder=organisation_b)


def test_contributor_logs_an_action_as_draft(client, contributor_a, organisation_a, form_data):
    client.force_login(contributor_a)

    response = client.post(
        reverse("workspace:action-create"), form_data | {"lead_stakeholder": organisation_a.pk}
    )

    action = FollowUpAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:action-detail", args=[action.pk])
    assert (action.title, action.review_state, action.lead_stakeholder, action.created_by) == (
        "Legal clinic for stateless migrants",
        ReviewState.DRAFT,
        organisation_a,
        contributor_a,
    )
    assert [e.url for e in action.evidence.order_by("id")] == [
        "https://example.org/clinic",
        "https://example.org/news",
    ]


def test_contributor_logs_and_submits_in_one_go(client, contributor_a, organisation_a, form_data):
    client.force_login(contributor_a)

    client.post(
        reverse("workspace:action-create"),
        form_data | {"lead_stakeholder": organisation_a.pk, "submit": "1"},
    )

    assert FollowUpAction.objects.get().review_state == ReviewState.SUBMITTED


def test_posted_fields_a_contributor_may_not_set_change_nothing(
    client, contributor_a, organisation_a, organisation_b, staff, form_data
):
    client.force_login(contributor_a)

    client.post(
        reverse("workspace:action-create"),
        form_data
        | {
            "lead_stakeholder": organisation_a.pk,
            "review_state": "published",
            "published_at": "2021-01-01T00:00",
            "created_by": staff.pk,
            "reviewed_by": staff.pk,
        },
    )

    action = FollowUpAction.objects.get()
    assert (action.review_state, action.published_at, action.created_by, action.reviewed_by) == (
        ReviewState.DRAFT,
        None,
        contributor_a,
        None,
    )


def test_contributor_cannot_log_for_another_organisation(
    client, contributor_a, organisation_b, form_data
):
    client.force_login(contributor_a)

    response = client.post(
        reverse("workspace:action-create"), form_data | {"lead_stakeholder": organisation_b.pk}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "lead_stakeholder": [
            "Select a valid choice. That choice is not one of the available choices."
        ]
    }
    assert FollowUpAction.objects.count() == 0


def test_editing_cannot_move_an_action_to_another_organisation(
    client, contributor_a, action_a, organisation_b, form_data
):
    client.force_login(contributor_a)

    client.post(
        reverse("workspace:action-edit", args=[action_a.pk]),
        form_data | {"lead_stakeholder": organisation_b.pk, "title": "Edited", "version": 0},
    )

    action_a.refresh_from_db()
    assert (action_a.title, action_a.lead_stakeholder_id) == (
        "Edited",
        action_a.lead_stakeholder_id,
    )
    assert action_a.lead_stakeholder.slug == "organisation-a"


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("action-detail", "get"),
        ("action-edit", "get"),
        ("action-edit", "post"),
        ("action-submit", "post"),
        ("action-withdraw", "get"),
        ("action-withdraw", "post"),
    ],
)
def test_another_organisations_action_answers_404_and_stays_unchanged(
    client, contributor_a, action_b, form_data, name, method
):
    client.force_login(contributor_a)

    response = getattr(client, method)(
        reverse(f"workspace:{name}", args=[action_b.pk]), form_data if method == "post" else None
    )

    action_b.refresh_from_db()
    assert response.status_code == 404
    assert (action_b.title, action_b.review_state) == ("B's draft", ReviewState.DRAFT)


def test_workspace_lists_only_the_organisations_own_actions(
    client, contributor_a, action_a, action_b
):
    client.force_login(contributor_a)

    response = client.get(reverse("workspace:home"))

    assert [a.title for a in response.context["actions"]] == ["A's draft"]


def test_returned_action_shows_the_reviewers_reason(client, contributor_a, organisation_a):
    action = FollowUpActionFactory(
        lead_stakeholder=organisation_a,
        review_state=ReviewState.RETURNED,
        review_note="Please add the training report.",
    )
    client.force_login(contributor_a)

    response = client.get(reverse("workspace:action-detail", args=[action.pk]))

    assert "Please add the training report." in response.content.decode()


def test_submitted_action_cannot_be_edited(client, contributor_a, organisation_a, form_data):
    action = FollowUpActionFactory(
        lead_stakeholder=organisation_a, title="Waiting", review_state=ReviewState.SUBMITTED
    )
    client.force_login(contributor_a)

    response = client.post(
        reverse("workspace:action-edit", args=[action.pk]), form_data | {"title": "Changed"}
    )

    action.refresh_from_db()
    assert response.status_code == 302
    assert action.title == "Waiting"


def test_withdraw_deletes_the_draft(client, contributor_a, action_a):
    client.force_login(contributor_a)

    response = client.post(reverse("workspace:action-withdraw", args=[action_a.pk]))

    assert response["Location"] == reverse("workspace:home")
    assert FollowUpAction.objects.filter(pk=action_a.pk).count() == 0
