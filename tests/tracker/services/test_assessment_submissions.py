import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from gcm_tracker.tracker import roles
from gcm_tracker.tracker.enums import AssessmentVoice, RecommendationScope, ReviewState
from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.models import (
    Assessment,
    AssessmentChange,
    AssessmentSubmission,
    Membership,
)
from gcm_tracker.tracker.services import (
    AssessmentConflict,
    AssessmentStateError,
    assessment_submission_publish,
    assessment_submission_return,
    assessment_submission_submit,
    assessment_submission_update,
    assessment_submission_withdraw,
    recommendation_set_scope,
)
from gcm_tracker.tracker.services.assessment_counts import expected_counts, stored_counts
from tests.factories import (
    CountryFactory,
    RecommendationFactory,
    StaffFactory,
    publish_civil_society,
    submit_civil_society,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell(db):
    return RecommendationFactory(), CountryFactory(iso3="THA")


def _public(recommendation):
    return list(
        Assessment.objects.filter(recommendation=recommendation)
        .order_by("stakeholder__slug")
        .values_list("stakeholder__slug", "status", "version")
    )


def test_assessment_submission_create_writes_a_draft_nothing_public(cell, contributor_a):
    recommendation, thailand = cell

    submission = submit_civil_society(recommendation, thailand, contributor_a, submit=False)

    assert (
        submission.review_state,
        submission.stakeholder.slug,
        submission.created_by,
        submission.status,
        submission.version,
        submission.submitted_at,
    ) == (ReviewState.DRAFT, "organisation-a", contributor_a, Status.LIMITED, 1, None)
    assert _public(recommendation) == []


def test_assessment_submission_create_and_submit_in_one_step(cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a)

    assert submission.review_state == ReviewState.SUBMITTED
    assert submission.submitted_at is not None


def test_assessment_submission_create_for_another_organisation_is_refused(
    cell, contributor_a, organisation_b
):
    with pytest.raises(PermissionDenied) as refused:
        submit_civil_society(*cell, contributor_a, stakeholder=organisation_b)

    assert str(refused.value) == "You can only act for organisations you are a member of."
    assert AssessmentSubmission.objects.count() == 0


def test_assessment_submission_create_needs_the_contributor_role(cell, organisation_a, outsider):
    Membership.objects.create(user=outsider, stakeholder=organisation_a)

    with pytest.raises(PermissionDenied) as refused:
        submit_civil_society(*cell, outsider)

    assert str(refused.value) == "You are not allowed to write civil-society assessments."
    assert AssessmentSubmission.objects.count() == 0


def test_assessment_submission_create_outside_scope_is_refused(cell, contributor_a, staff):
    recommendation, thailand = cell
    recommendation_set_scope(
        recommendation=recommendation,
        scope=RecommendationScope.SELECTED,
        subregions=["pacific"],
        changed_by=staff,
    )

    with pytest.raises(ValidationError) as refused:
        submit_civil_society(recommendation, thailand, contributor_a, summary="")

    assert refused.value.message_dict == {
        "summary": ["Summarise what the assessment is based on."],
        "country": [
            f"Recommendation {recommendation.reference} does not apply to Country THA, so it "
            "cannot be assessed there."
        ],
    }
    assert AssessmentSubmission.objects.count() == 0


def test_assessment_submission_source_is_optional_for_civil_society(cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a, source_title="", source_url="")

    assert (submission.source_title, submission.source_url) == ("", "")


def test_assessment_submission_update_changes_content_and_version(cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a, submit=False)

    assessment_submission_update(
        submission=submission,
        author=contributor_a,
        expected_version=1,
        status=Status.NOT_STARTED,
        summary="  Nothing has happened yet. ",
    )

    submission.refresh_from_db()
    assert (submission.status, submission.summary, submission.version) == (
        Status.NOT_STARTED,
        "Nothing has happened yet.",
        2,
    )
    assert submission.review_state == ReviewState.DRAFT


def test_assessment_submission_update_stale_version_is_refused(cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a, submit=False)
    assessment_submission_update(
        submission=submission, author=contributor_a, expected_version=1, summary="First edit."
    )

    with pytest.raises(AssessmentConflict) as conflict:
        assessment_submission_update(
            submission=submission, author=contributor_a, expected_version=1, summary="Second."
        )

    assert conflict.value.current.summary == "First edit."
    submission.refresh_from_db()
    assert (submission.summary, submission.version) == ("First edit.", 2)


def test_assessment_submission_update_of_a_submitted_one_is_refused(cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a)

    with pytest.raises(AssessmentStateError) as refused:
        assessment_submission_update(
            submission=submission, author=contributor_a, expected_version=1, summary="Changed."
        )

    assert (
        str(refused.value) == "This assessment is “Submitted for review”, so it cannot be edited."
    )


def test_assessment_submission_update_by_another_organisation_is_refused(
    cell, contributor_a, contributor_b
):
    submission = submit_civil_society(*cell, contributor_a, submit=False)

    with pytest.raises(PermissionDenied):
        assessment_submission_update(
            submission=submission, author=contributor_b, expected_version=1, summary="Mine now."
        )

    submission.refresh_from_db()
    assert submission.summary == "Our monitoring found the plan applied in two provinces only."


def test_assessment_submission_update_of_unknown_field_is_a_programming_error(cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a, submit=False)

    with pytest.raises(TypeError):
        assessment_submission_update(
            submission=submission, author=contributor_a, expected_version=1, review_state="x"
        )


def test_assessment_submission_submit_sends_a_draft_for_review(cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a, submit=False)

    assessment_submission_submit(submission=submission, author=contributor_a)

    assert (submission.review_state, submission.version) == (ReviewState.SUBMITTED, 2)


def test_assessment_submission_withdraw_deletes_a_draft(cell, contributor_a):
    submission = submit_civil_society(*cell, contributor_a, submit=False)

    assessment_submission_withdraw(submission=submission, author=contributor_a)

    assert AssessmentSubmission.objects.count() == 0


def test_assessment_submission_withdraw_of_a_published_one_is_refused(cell, contributor_a, staff):
    change = publish_civil_society(*cell, contributor_a, staff)
    submission = change.submission

    with pytest.raises(AssessmentStateError) as refused:
        assessment_submission_withdraw(submission=submission, author=contributor_a)

    assert str(refused.value) == "This assessment is “Published”, so it cannot be withdrawn."
    assert _public(cell[0]) == [("organisation-a", Status.LIMITED, 1)]


def test_assessment_submission_publish_writes_the_organisations_assessment(
    cell, contributor_a, staff
):
    recommendation, thailand = cell
    submission = submit_civil_society(recommendation, thailand, contributor_a)

    change = assessment_submission_publish(submission=submission, reviewer=staff)

    assert _public(recommendation) == [("organisation-a", Status.LIMITED, 1)]
    assert (
        change.assessment.voice,
        change.submission,
        change.changed_by,
        change.old_status,
        change.source_title,
    ) == (AssessmentVoice.CIVIL_SOCIETY, submission, staff, "", "Shadow report 2024")
    assert (
        submission.review_state,
        submission.reviewed_by,
        submission.published_at,
        submission.version,
    ) == (ReviewState.PUBLISHED, staff, change.changed_at, 2)


def test_assessment_submission_publish_of_a_later_one_revises_the_cell(cell, contributor_a, staff):
    recommendation, thailand = cell
    publish_civil_society(recommendation, thailand, contributor_a, staff)

    publish_civil_society(recommendation, thailand, contributor_a, staff, status=Status.SUBSTANTIAL)

    assert _public(recommendation) == [("organisation-a", Status.SUBSTANTIAL, 2)]
    assert list(AssessmentChange.objects.order_by("id").values_list("old_status", "status")) == [
        ("", Status.LIMITED),
        (Status.LIMITED, Status.SUBSTANTIAL),
    ]


def test_assessment_submission_publish_keeps_organisations_apart(
    cell, contributor_a, contributor_b, staff
):
    recommendation, thailand = cell
    publish_civil_society(recommendation, thailand, contributor_a, staff)

    publish_civil_society(recommendation, thailand, contributor_b, staff, status=Status.NOT_STARTED)

    assert _public(recommendation) == [
        ("organisation-a", Status.LIMITED, 1),
        ("organisation-b", Status.NOT_STARTED, 1),
    ]
    civil = AssessmentVoice.CIVIL_SOCIETY
    objective = recommendation.objectives.get()
    assert stored_counts() == expected_counts()
    assert stored_counts() == {
        (recommendation.pk, None, None, civil, Status.LIMITED): 1,
        (recommendation.pk, None, None, civil, Status.NOT_STARTED): 1,
        (None, thailand.pk, None, civil, Status.LIMITED): 1,
        (None, thailand.pk, None, civil, Status.NOT_STARTED): 1,
        (None, thailand.pk, objective.pk, civil, Status.LIMITED): 1,
        (None, thailand.pk, objective.pk, civil, Status.NOT_STARTED): 1,
    }


def test_assessment_submission_publish_by_a_member_of_the_organisation_is_refused(
    cell, contributor_a, organisation_a
):
    reviewer = StaffFactory(username="staff-in-a")
    Membership.objects.create(user=reviewer, stakeholder=organisation_a)
    submission = submit_civil_society(*cell, contributor_a)

    with pytest.raises(PermissionDenied) as refused:
        assessment_submission_publish(submission=submission, reviewer=reviewer)

    assert str(refused.value) == (
        "You cannot review an assessment of an organisation you are a member of."
    )
    submission.refresh_from_db()
    assert submission.review_state == ReviewState.SUBMITTED
    assert _public(cell[0]) == []


def test_assessment_submission_publish_by_its_author_is_refused(cell, organisation_a):
    # A staff member who also contributes for A, then leaves it: still not their own reviewer.
    author = StaffFactory(username="staff-author")
    author.groups.add(Group.objects.get(name=roles.CONTRIBUTORS))
    Membership.objects.create(user=author, stakeholder=organisation_a)
    submission = submit_civil_society(*cell, author)
    Membership.objects.filter(user=author).delete()

    with pytest.raises(PermissionDenied):
        assessment_submission_publish(submission=submission, reviewer=author)

    assert _public(cell[0]) == []


def test_assessment_submission_publish_needs_the_permission(cell, contributor_a, contributor_b):
    submission = submit_civil_society(*cell, contributor_a)

    with pytest.raises(PermissionDenied) as refused:
        assessment_submission_publish(submission=submission, reviewer=contributor_b)

    assert str(refused.value) == "You are not allowed to review civil-society assessments."
    assert _public(cell[0]) == []


def test_assessment_submission_publish_of_a_draft_is_refused(cell, contributor_a, staff):
    submission = submit_civil_society(*cell, contributor_a, submit=False)

    with pytest.raises(AssessmentStateError):
        assessment_submission_publish(submission=submission, reviewer=staff)

    assert _public(cell[0]) == []


def test_assessment_submission_publish_after_the_scope_moved_away_is_refused(
    cell, contributor_a, staff
):
    recommendation, thailand = cell
    submission = submit_civil_society(recommendation, thailand, contributor_a)
    recommendation_set_scope(
        recommendation=recommendation, scope=RecommendationScope.REGIONAL, changed_by=staff
    )

    with pytest.raises(ValidationError) as refused:
        assessment_submission_publish(submission=submission, reviewer=staff)

    assert list(refused.value.message_dict) == ["country"]
    assert _public(recommendation) == []


def test_assessment_submission_return_gives_the_reason(cell, contributor_a, staff):
    submission = submit_civil_society(*cell, contributor_a)

    assessment_submission_return(submission=submission, reviewer=staff, reason=" Add a source. ")

    assert (submission.review_state, submission.review_note, submission.reviewed_by) == (
        ReviewState.RETURNED,
        "Add a source.",
        staff,
    )
    assert _public(cell[0]) == []


def test_assessment_submission_return_without_reason_is_refused(cell, contributor_a, staff):
    submission = submit_civil_society(*cell, contributor_a)

    with pytest.raises(ValidationError) as refused:
        assessment_submission_return(submission=submission, reviewer=staff, reason="  ")

    assert refused.value.message_dict == {"reason": ["Tell the organisation why it is returned."]}
    submission.refresh_from_db()
    assert submission.review_state == ReviewState.SUBMITTED


def test_assessment_submission_returned_can_be_edited_and_resubmitted(cell, contributor_a, staff):
    submission = submit_civil_society(*cell, contributor_a)
    assessment_submission_return(submission=submission, reviewer=staff, reason="Add a source.")

    assessment_submission_update(
        submission=submission,
        author=contributor_a,
        expected_version=submission.version,
        source_title="Shadow report 2024, chapter 3",
        effective_date=datetime.date(2024, 5, 1),
    )
    assessment_submission_submit(submission=submission, author=contributor_a)

    assert (submission.review_state, submission.source_title, submission.version) == (
        ReviewState.SUBMITTED,
        "Shadow report 2024, chapter 3",
        4,
    )
