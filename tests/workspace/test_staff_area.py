import pytest
from django.core import mail
from django.urls import reverse

from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.enums import ReviewState
from tests.factories import FollowUpActionFactory, RecommendationFactory, StaffFactory, set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(organisation_a, contributor_a):
    return FollowUpActionFactory(
        title="Awaiting review", lead_stakeholder=organisation_a, review_state=ReviewState.SUBMITTED
    )


def test_review_queue_lists_submitted_actions_only(staff_client, submitted, organisation_a):
    FollowUpActionFactory(title="Still a draft", lead_stakeholder=organisation_a)

    response = staff_client.get(reverse("workspace:review-queue"))

    assert [a.title for a in response.context["actions"]] == ["Awaiting review"]


def test_staff_publish_an_action(
    staff_client, submitted, contributor_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("workspace:review-action", args=[submitted.pk]),
            {"publish": "1", "confirm": "on"},
        )

    submitted.refresh_from_db()
    assert response["Location"] == reverse("workspace:review-queue")
    assert submitted.review_state == ReviewState.PUBLISHED
    assert [m.to for m in mail.outbox] == [[contributor_a.email]]


def test_staff_return_an_action_with_a_reason(staff_client, submitted):
    response = staff_client.post(
        reverse("workspace:review-action", args=[submitted.pk]),
        {"return": "1", "reason": "Which country was this in?"},
    )

    submitted.refresh_from_db()
    assert response.status_code == 302
    assert (submitted.review_state, submitted.review_note) == (
        ReviewState.RETURNED,
        "Which country was this in?",
    )


def test_staff_return_without_reason_changes_nothing(staff_client, submitted):
    response = staff_client.post(
        reverse("workspace:review-action", args=[submitted.pk]), {"return": "1", "reason": ""}
    )

    submitted.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    assert submitted.review_state == ReviewState.SUBMITTED


def test_contributor_cannot_reach_the_review_queue(client, contributor_a, submitted):
    client.force_login(contributor_a)

    response = client.post(
        reverse("workspace:review-action", args=[submitted.pk]), {"publish": "1", "confirm": "on"}
    )

    submitted.refresh_from_db()
    assert response.status_code == 403
    assert submitted.review_state == ReviewState.SUBMITTED


def _status_post(client, recommendation, version, status=Status.IMPLEMENTED):
    return client.post(
        reverse("workspace:recommendation-status", args=[recommendation.reference]),
        {
            "new_status": status,
            "reason": "Law adopted.",
            "effective_date": "2021-06-30",
            "version": version,
        },
    )


def test_staff_status_form_saves_through_the_service(staff_client, staff):
    recommendation = RecommendationFactory()

    response = _status_post(staff_client, recommendation, 0)

    assert response["Location"] == reverse(
        "dashboards:recommendation-detail", args=[recommendation.reference]
    )
    assert list(recommendation.status_changes.values_list("new_status", "changed_by")) == [
        (Status.IMPLEMENTED, staff.pk)
    ]


def test_second_staff_editing_the_same_status_gets_the_conflict_page(staff_client):
    recommendation = RecommendationFactory()
    colleague = StaffFactory(username="colleague", first_name="Ana", last_name="Reyes")
    set_status(recommendation, colleague, new_status=Status.NOT_STARTED, reason="No plan yet.")

    response = _status_post(staff_client, recommendation, 0)

    content = response.content.decode()
    assert response.status_code == 409
    assert "Set to “Not started” by Ana Reyes" in content
    assert "No plan yet." in content
    assert list(recommendation.status_changes.values_list("new_status", flat=True)) == [
        Status.NOT_STARTED
    ]
