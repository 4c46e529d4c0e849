"""E-mails the workflows send. Each is sent once the transaction that caused it commits, so nobody
is told about a change that was then rolled back."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from .enums import ReviewState


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _member_emails(stakeholder) -> list[str]:
    users = (
        get_user_model()
        .objects.filter(memberships__stakeholder=stakeholder, is_active=True)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def _send_reviewed(*, subject, template, context, stakeholder) -> None:
    body = render_to_string(template, context)
    recipients = _member_emails(stakeholder)
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject, body, None, recipients, fail_silently=False)
        )


def action_reviewed(action) -> None:
    """Tell the organisation's members that their action was published or returned."""
    published = action.review_state == ReviewState.PUBLISHED
    subject = (_("Published: %(title)s") if published else _("Returned for changes: %(title)s")) % {
        "title": action.title
    }
    _send_reviewed(
        subject=subject,
        template="emails/action_reviewed.txt",
        context={
            "action": action,
            "published": published,
            "link": absolute(reverse("workspace:action-detail", args=[action.pk])),
        },
        stakeholder=action.lead_stakeholder,
    )


def assessment_reviewed(submission) -> None:
    """Tell the organisation's members that their country assessment was published or
    returned."""
    published = submission.review_state == ReviewState.PUBLISHED
    cell = {
        "reference": submission.recommendation.reference,
        "country": submission.country.short_name,
    }
    subject = (
        _("Published: your assessment of %(reference)s in %(country)s")
        if published
        else _("Returned for changes: your assessment of %(reference)s in %(country)s")
    ) % cell
    _send_reviewed(
        subject=subject,
        template="emails/assessment_reviewed.txt",
        context={
            "submission": submission,
            "published": published,
            "link": absolute(reverse("workspace:assessment-detail", args=[submission.pk])),
        },
        stakeholder=submission.stakeholder,
    )


def review_digest(waiting, assessments=()) -> int:
    """E-mail every active reviewer the follow-up actions (`waiting`) and country assessments
    waiting for review; returns how many were e-mailed (0 when nothing waits)."""
    waiting, assessments = list(waiting), list(assessments)
    if not waiting and not assessments:
        return 0
    reviewers = [
        user
        for user in get_user_model().objects.filter(is_active=True).exclude(email="")
        if user.has_perm("tracker.review_followupaction")
        or user.has_perm("tracker.review_assessmentsubmission")
    ]
    body = render_to_string(
        "emails/review_digest.txt",
        {
            "actions": waiting,
            "assessments": assessments,
            "link": absolute(reverse("workspace:review-queue")),
        },
    )
    subject = _("%(count)d submissions wait for review") % {
        "count": len(waiting) + len(assessments)
    }
    send_mass_mail([(subject, body, None, [user.email]) for user in reviewers])
    return len(reviewers)


def account_ready(user, set_password_path: str) -> None:
    body = render_to_string(
        "emails/account_ready.txt", {"user": user, "link": absolute(set_password_path)}
    )
    transaction.on_commit(
        lambda: send_mail(_("Your GCM Tracker account"), body, None, [user.email])
    )


def account_request_declined(account_request) -> None:
    body = render_to_string("emails/account_request_declined.txt", {"request": account_request})
    transaction.on_commit(
        lambda: send_mail(
            _("Your request for a GCM Tracker account"), body, None, [account_request.email]
        )
    )
