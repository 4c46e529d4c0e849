"""Staff review civil-society assessments in the same queue as actions: publish, or return with
a reason; never their own organisation's (four eyes)."""

import pytest
from django.core import mail
from django.urls import reverse

from gcm_tracker.tracker import services
from gcm_tracker.tracker.enums import AssessmentVoice, RecommendationScope, ReviewState
from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.models import Assessment, Membership
from tests.factories import AssessmentSubmissionFactory, FollowUpActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(organisation_a, contributor_a):
    return AssessmentSubmissionFactory(
        stakeholder=organisation_a, created_by=contributor_a, review_state=ReviewState.SUBMITTED
    )


def _review_url(submission):
    return reverse("workspace:review-assessment", args=[submission.pk])


def test_review_queue_lists_actions_and_submitted_assessments(
    staff_client, submitted, organisation_a, organisation_b
):
    AssessmentSubmissionFactory(stakeholder=organisation_b)  # a draft: not staff's to see
    AssessmentSubmissionFactory(
        stakeholder=organisation_b, review_state=ReviewState.RETURNED, review_note="Source?"
    )
    action = FollowUpActionFactory(
        lead_stakeholder=organisation_a, review_state=ReviewState.SUBMITTED
    )

    response = staff_client.get(reverse("workspace:review-queue"))

    assert [a.pk for a in response.context["actions"]] == [action.pk]
    assert [s.pk for s in response.context["assessments"]] == [submitted.pk]


def test_staff_publish_an_assessment_and_the_organisation_is_told(
    staff_client, submitted, contributor_a, organisation_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(_review_url(submitted), {"publish": "", "confirm": "on"})

    submitted.refresh_from_db()
    assert response["Location"] == reverse("workspace:review-queue")
    assert submitted.review_state == ReviewState.PUBLISHED
    assert list(Assessment.objects.values_list("voice", "stakeholder", "status", "country")) == [
        (AssessmentVoice.CIVIL_SOCIETY, organisation_a.pk, Status.LIMITED, submitted.country_id)
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            [contributor_a.email],
            f"Published: your assessment of {submitted.recommendation.reference} in "
            f"{submitted.country.short_name}",
        )
    ]


def test_staff_return_an_assessment_with_a_reason(
    staff_client, submitted, contributor_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            _review_url(submitted), {"return": "", "reason": "Which law do you mean?"}
        )

    submitted.refresh_from_db()
    assert response["Location"] == reverse("workspace:review-queue")
    assert (submitted.review_state, submitted.review_note) == (
        ReviewState.RETURNED,
        "Which law do you mean?",
    )
    assert Assessment.objects.count() == 0
    assert "Which law do you mean?" in mail.outbox[0].body
    assert mail.outbox[0].to == [contributor_a.email]


def test_return_without_a_reason_changes_nothing(staff_client, submitted):
    response = staff_client.post(_review_url(submitted), {"return": "", "reason": ""})

    submitted.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    assert submitted.review_state == ReviewState.SUBMITTED


def test_reviewer_of_the_same_organisation_cannot_publish_it(
    staff_client, staff, submitted, organisation_a
):
    Membership.objects.create(user=staff, stakeholder=organisation_a)

    page = staff_client.get(_review_url(submitted))
    response = staff_client.post(_review_url(submitted), {"publish": "", "confirm": "on"})

    submitted.refresh_from_db()
    assert page.context["own"] is True
    assert response.status_code == 403
    assert submitted.review_state == ReviewState.SUBMITTED
    assert Assessment.objects.count() == 0


def test_a_draft_cannot_be_reviewed(staff_client, organisation_a):
    draft = AssessmentSubmissionFactory(stakeholder=organisation_a)

    response = staff_client.post(_review_url(draft), {"publish": "", "confirm": "on"})

    draft.refresh_from_db()
    assert response.status_code == 404
    assert draft.review_state == ReviewState.DRAFT


def test_publishing_an_assessment_of_a_country_no_longer_in_scope_says_why(
    staff_client, staff, submitted
):
    services.recommendation_set_scope(
        recommendation=submitted.recommendation,
        scope=RecommendationScope.REGIONAL,
        changed_by=staff,
    )

    response = staff_client.post(_review_url(submitted), {"publish": "", "confirm": "on"})

    submitted.refresh_from_db()
    assert response.status_code == 200
    assert response.context["publish_form"].non_field_errors() == [
        f"Recommendation {submitted.recommendation.reference} does not apply to "
        f"{submitted.country.name}, so it cannot be assessed there."
    ]
    assert submitted.review_state == ReviewState.SUBMITTED
    assert Assessment.objects.count() == 0


def test_review_queue_shows_a_page_of_each_kind(staff_client, organisation_a):
    waiting = AssessmentSubmissionFactory.create_batch(
        26, stakeholder=organisation_a, review_state=ReviewState.SUBMITTED
    )

    first = staff_client.get(reverse("workspace:review-queue"))
    second = staff_client.get(reverse("workspace:review-queue"), {"assessments_page": 2})

    assert [s.pk for s in first.context["assessments"]] == [s.pk for s in waiting[:25]]
    assert [s.pk for s in second.context["assessments"]] == [waiting[25].pk]
    assert first.context["assessments"].next_url == "?assessments_page=2"


def test_review_queue_marks_the_reviewers_own_organisation(
    staff_client, staff, submitted, organisation_a
):
    Membership.objects.create(user=staff, stakeholder=organisation_a)

    response = staff_client.get(reverse("workspace:review-queue"))

    assert response.context["own_organisations"] == {organisation_a.pk}
    assert "your organisation: another reviewer reviews it" in response.content.decode()
