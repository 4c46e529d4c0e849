"""Civil-society assessments in review, like follow-up actions:

    draft ──submit──▶ submitted ──publish──▶ published (writes the organisation's Assessment)
      ▲                   │
      └──(edit)── returned ◀──return (with reason)

Contributors act only for organisations they are members of (and need the contributor role's
add/change permission on submissions), only on submissions that are draft or returned. Reviewers
need `tracker.review_assessmentsubmission` and may not review their own organisation's work (four
eyes). Publishing writes through services.assessments.cell_write(), so the public reads only
`Assessment` rows, with their history and roll-ups. Every step bumps the submission's `version`.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notifications
from ..enums import AssessmentVoice, ReviewState
from ..models import (
    AssessmentChange,
    AssessmentSubmission,
    Country,
    Membership,
    Recommendation,
    Stakeholder,
)
from . import steps
from .actions import require_member
from .assessments import (
    CONTENT_FIELDS,
    AssessmentConflict,
    AssessmentStateError,
    assessment_content_clean,
    cell_write,
)

# What assessment_submission_update() may change.
EDITABLE_FIELDS = ("recommendation", "country", *CONTENT_FIELDS)


def _require_contributor(user: AbstractBaseUser, stakeholder: Stakeholder, perm: str) -> None:
    require_member(user, stakeholder)
    if not user.has_perm(f"tracker.{perm}_assessmentsubmission"):
        raise PermissionDenied(_("You are not allowed to write civil-society assessments."))


def _require_reviewer(user: AbstractBaseUser, submission: AssessmentSubmission) -> None:
    if not user.has_perm("tracker.review_assessmentsubmission"):
        raise PermissionDenied(_("You are not allowed to review civil-society assessments."))
    # Four eyes: nobody reviews their own organisation's assessment.
    if (
        submission.created_by_id == user.pk
        or Membership.objects.filter(user=user, stakeholder_id=submission.stakeholder_id).exists()
    ):
        raise PermissionDenied(
            _("You cannot review an assessment of an organisation you are a member of.")
        )


def _locked(submission: AssessmentSubmission) -> AssessmentSubmission:
    return (
        AssessmentSubmission.objects.select_for_update(of=("self",))
        .select_related("recommendation__consultation", "country", "stakeholder")
        .get(pk=submission.pk)
    )


def _require_version(
    submission: AssessmentSubmission, expected_version: int | None, step: str
) -> None:
    """Refuse a step taken on a stale page: `expected_version` is the version the author saw
    (None when the caller has none to give, e.g. an API client that sends no version)."""
    if expected_version is not None and submission.version != expected_version:
        raise AssessmentConflict(
            submission,
            _(
                "This assessment changed after you opened it: it is now “%(state)s”, version "
                "%(version)d, so it was not %(step)s. Review it as it is now and try again."
            )
            % {
                "state": submission.get_review_state_display(),
                "version": submission.version,
                "step": step,
            },
        )


def _require_state(submission: AssessmentSubmission, states, step: str) -> None:
    if submission.review_state not in states:
        raise AssessmentStateError(
            _("This assessment is “%(state)s”, so it cannot be %(step)s.")
            % {"state": submission.get_review_state_display(), "step": step}
        )


@transaction.atomic
def assessment_submission_create(
    *,
    author: AbstractBaseUser,
    stakeholder: Stakeholder,
    recommendation: Recommendation,
    country: Country,
    status: str,
    summary: str,
    source_title: str = "",
    source_url: str = "",
    source_date: datetime.date | None = None,
    effective_date: datetime.date | None = None,
    submit: bool = False,
) -> AssessmentSubmission:
    """Write `stakeholder`'s draft assessment of one cell (and send it for review if `submit`).

    Raises PermissionDenied (not a contributor of `stakeholder`) or ValidationError (keyed by
    argument name; the country must be in the recommendation's scope); nothing is written then.
    """
    _require_contributor(author, stakeholder, "add")
    content = assessment_content_clean(
        recommendation=recommendation,
        country=country,
        status=status,
        summary=summary,
        source_title=source_title,
        source_url=source_url,
        source_date=source_date,
        effective_date=effective_date,
        source_required=False,
    )
    now = timezone.now()
    submission = AssessmentSubmission(
        recommendation=recommendation,
        country=country,
        stakeholder=stakeholder,
        created_by=author,
        version=1,
        **{name: getattr(content, name) for name in CONTENT_FIELDS},
    )
    if submit:
        submission.review_state = ReviewState.SUBMITTED
        submission.submitted_at = now
    submission.save()
    return submission


@transaction.atomic
def assessment_submission_update(
    *, submission: AssessmentSubmission, author: AbstractBaseUser, expected_version: int, **content
) -> AssessmentSubmission:
    """Change a draft or returned submission's content (any of EDITABLE_FIELDS; the others stay).

    Raises PermissionDenied, AssessmentStateError, AssessmentConflict (its `current` is the
    submission as it is now) or ValidationError; nothing is written then. Its organisation and
    review state stay as they are.
    """
    unknown = set(content) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"assessment_submission_update() cannot change {sorted(unknown)}")
    locked = _locked(submission)
    _require_contributor(author, locked.stakeholder, "change")
    _require_state(locked, ReviewState.editable_states, steps.EDITED)
    if locked.version != expected_version:
        raise AssessmentConflict(
            locked,
            _(
                "This assessment was changed while you were editing it. Nothing was saved; "
                "review it as it is now and try again."
            ),
        )
    wanted = {name: content.get(name, getattr(locked, name)) for name in EDITABLE_FIELDS}
    cleaned = assessment_content_clean(**wanted, source_required=False)
    locked.recommendation, locked.country = wanted["recommendation"], wanted["country"]
    for name in CONTENT_FIELDS:
        setattr(locked, name, getattr(cleaned, name))
    locked.version += 1
    locked.save(
        update_fields=["recommendation", "country", *CONTENT_FIELDS, "version", "updated_at"]
    )
    submission.refresh_from_db()
    return submission


@transaction.atomic
def assessment_submission_submit(
    *,
    submission: AssessmentSubmission,
    author: AbstractBaseUser,
    expected_version: int | None = None,
) -> AssessmentSubmission:
    """Send a draft or returned submission to staff for review.

    With `expected_version` (the version the author saw), raises AssessmentConflict (its
    `current` is the submission as it is now) if it has moved on since; nothing is written."""
    locked = _locked(submission)
    _require_contributor(author, locked.stakeholder, "change")
    _require_version(locked, expected_version, steps.SUBMITTED)
    _require_state(locked, ReviewState.editable_states, steps.SUBMITTED)
    locked.review_state = ReviewState.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["review_state", "submitted_at", "version", "updated_at"])
    submission.refresh_from_db()
    return submission


@transaction.atomic
def assessment_submission_withdraw(
    *,
    submission: AssessmentSubmission,
    author: AbstractBaseUser,
    expected_version: int | None = None,
) -> None:
    """Discard a draft or returned submission. It was never public (a published one cannot be
    withdrawn, and the organisation's published Assessment is never deleted).

    `expected_version` as for assessment_submission_submit."""
    locked = _locked(submission)
    _require_contributor(author, locked.stakeholder, "change")
    _require_version(locked, expected_version, steps.WITHDRAWN)
    _require_state(locked, ReviewState.editable_states, steps.WITHDRAWN)
    locked.delete()


@transaction.atomic
def assessment_submission_publish(
    *, submission: AssessmentSubmission, reviewer: AbstractBaseUser
) -> AssessmentChange:
    """Make a submitted assessment public: write it as its organisation's Assessment of the cell
    (a new row, or a new version of the one it published before) with its history row and
    roll-ups, and mark the submission published, in one transaction. The recommendation must
    still apply to the country.

    Its organisation's members are e-mailed once this commits. Raises PermissionDenied (not a
    reviewer, or four eyes), AssessmentStateError or ValidationError; nothing is written then.
    """
    locked = _locked(submission)
    _require_reviewer(reviewer, locked)
    _require_state(locked, [ReviewState.SUBMITTED], steps.PUBLISHED)
    content = assessment_content_clean(
        recommendation=locked.recommendation,
        country=locked.country,
        **{name: getattr(locked, name) for name in CONTENT_FIELDS},
        source_required=False,
    )
    change = cell_write(
        recommendation=locked.recommendation,
        country=locked.country,
        voice=AssessmentVoice.CIVIL_SOCIETY,
        stakeholder=locked.stakeholder,
        content=content,
        changed_by=reviewer,
        expected_version=None,
        check_version=False,
        submission=locked,
    )
    locked.review_state = ReviewState.PUBLISHED
    locked.review_note = ""
    locked.reviewed_by, locked.reviewed_at, locked.published_at = (
        reviewer,
        change.changed_at,
        (change.changed_at),
    )
    locked.version += 1
    locked.save(
        update_fields=[
            "review_state",
            "review_note",
            "reviewed_by",
            "reviewed_at",
            "published_at",
            "version",
            "updated_at",
        ]
    )
    notifications.assessment_reviewed(locked)
    submission.refresh_from_db()
    return change


@transaction.atomic
def assessment_submission_return(
    *, submission: AssessmentSubmission, reviewer: AbstractBaseUser, reason: str
) -> AssessmentSubmission:
    """Send a submitted assessment back to its organisation with the reason (four eyes too),
    which its members are e-mailed once this commits."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell the organisation why it is returned.")})
    locked = _locked(submission)
    _require_reviewer(reviewer, locked)
    _require_state(locked, [ReviewState.SUBMITTED], steps.RETURNED)
    locked.review_state = ReviewState.RETURNED
    locked.review_note = reason
    locked.reviewed_by, locked.reviewed_at = reviewer, timezone.now()
    locked.version += 1
    locked.save(
        update_fields=[
            "review_state",
            "review_note",
            "reviewed_by",
            "reviewed_at",
            "version",
            "updated_at",
        ]
    )
    notifications.assessment_reviewed(locked)
    submission.refresh_from_db()
    return submission
