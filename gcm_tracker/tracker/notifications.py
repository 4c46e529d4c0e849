"""E-mails the workflows send, through the task queue.

Each message is written here, in the request, and queued once the transaction that caused it
commits, so nobody is told about a change that was then rolled back and the message says what was
true at that moment. The task (tracker.tasks.send_email) sends it, retrying with backoff while the
mail server cannot be reached; a message that cannot be sent at all is logged, and never turns the
committed step into an error page. Every message carries a key naming the event and its
recipient; a message already sent under its key is not sent again, so a task run twice (a worker
that died after sending) mails nobody twice, as long as the cache keeps the key (SENT_SECONDS).
"""

import logging

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gcm_tracker.i18n.mail import (
    LANGUAGE_FIELD,
    by_language,
    language_key,
    queue_in_languages,
)
from gcm_tracker.ops.site_address import absolute_url

from .enums import ReviewState

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    # The request's address when there is one (a developer's port, say), else DJANGO_SITE_URL.
    return absolute_url(path)


# How long the key of a sent message is remembered: longer than the worst retry schedule.
SENT_SECONDS = 7 * 24 * 60 * 60


def deliver(*, key: str, what: str, subject: str, body: str, recipients: list[str]) -> bool:
    """Send one message unless it was sent under `key` before; True if it was sent now.

    Raises OSError (SMTP errors are OSErrors) when the mail server could not take it, for the
    task to retry; any other failure (an address that cannot be put in a header) will not get
    better by retrying, and is logged instead.
    """
    sent_key = f"mail-sent:{key}"
    if cache.get(sent_key):
        return False
    try:
        send_mail(subject, body, None, recipients, fail_silently=False)
    except OSError:
        raise
    except Exception:
        logger.exception("Could not send the e-mail %s; the change itself is saved.", what)
        return False
    cache.set(sent_key, True, SENT_SECONDS)
    return True


def queue_email(
    *, key: str, what: str, subject: str, body: str, recipients: list[str], after_commit=True
) -> None:
    """Queue the message once the current transaction commits (at once outside one, or without
    `after_commit`, for messages that report no write).

    A broker that cannot take it is logged, not raised: the step the message reports is
    already saved, and the person who took it must not see an error page."""
    from .tasks import send_email  # tasks.py imports this module

    def queue():
        try:
            send_email.delay(key=key, what=what, subject=subject, body=body, recipients=recipients)
        except Exception:
            logger.exception("Could not queue the e-mail %s; the change itself is saved.", what)

    if after_commit:
        transaction.on_commit(queue)
    else:
        queue()


def _one_line(text: str) -> str:
    # Titles saved before control characters were refused may still hold line breaks, which a
    # mail header cannot.
    return " ".join(text.split())


def _member_emails(stakeholder) -> dict[str, str | None]:
    """The members' addresses, each with its owner's language (i18n.mail), in one query."""
    users = (
        get_user_model()
        .objects.filter(memberships__stakeholder=stakeholder, is_active=True)
        .exclude(email="")
    )
    return dict(sorted(users.values_list("email", LANGUAGE_FIELD), key=lambda row: row[0]))


def _queue_reviewed(*, key, what, subject, template, context, stakeholder) -> None:
    """`subject` is called in each member's language (i18n.mail)."""
    members = _member_emails(stakeholder)
    if members:
        queue_in_languages(
            key=key,
            what=what,
            subject=subject,
            template=template,
            context=context,
            recipients=list(members),
            chosen=members,
        )


def action_reviewed(action) -> None:
    """Tell the organisation's members that their action was published or returned."""
    published = action.review_state == ReviewState.PUBLISHED

    def subject():
        return (
            _("Published: %(title)s") if published else _("Returned for changes: %(title)s")
        ) % {"title": _one_line(action.title)}

    _queue_reviewed(
        # One review of one action: it is published once, or returned at this moment.
        key=f"action-reviewed:{action.pk}:{action.review_state}:{action.reviewed_at.isoformat()}",
        what=f"about action {action.pk}",
        subject=subject,
        template="emails/action_reviewed.txt",
        context={
            "action": action,
            "published": published,
            # Once published, its public page; else the organisation's own view of it.
            "link": absolute(
                reverse("dashboards:action-detail", args=[action.pk])
                if published
                else reverse("workspace:action-detail", args=[action.pk])
            ),
        },
        stakeholder=action.lead_stakeholder,
    )


def assessment_reviewed(submission) -> None:
    """Tell the organisation's members that their country assessment was published or
    returned."""
    published = submission.review_state == ReviewState.PUBLISHED

    def subject():
        return (
            _("Published: your assessment of %(reference)s in %(country)s")
            if published
            else _("Returned for changes: your assessment of %(reference)s in %(country)s")
        ) % {
            "reference": submission.recommendation.reference,
            "country": submission.country.localized_name,
        }

    reviewed_at = submission.reviewed_at.isoformat()
    _queue_reviewed(
        key=f"assessment-reviewed:{submission.pk}:{submission.review_state}:{reviewed_at}",
        what=f"about country assessment {submission.pk}",
        subject=subject,
        template="emails/assessment_reviewed.txt",
        context={
            "submission": submission,
            "published": published,
            "link": absolute(reverse("workspace:assessment-detail", args=[submission.pk])),
        },
        stakeholder=submission.stakeholder,
    )


def review_digest(waiting, assessments=(), *, day: str) -> int:
    """Queue, for every active reviewer, an e-mail listing the follow-up actions (`waiting`) and
    country assessments waiting for review; returns how many reviewers (0 when nothing waits).
    One message per reviewer and `day` (an ISO date): a second digest on the same day mails
    nobody again."""
    waiting, assessments = list(waiting), list(assessments)
    if not waiting and not assessments:
        return 0
    reviewers = [
        user
        for user in get_user_model().objects.filter(is_active=True).exclude(email="")
        if user.has_perm("tracker.review_followupaction")
        or user.has_perm("tracker.review_assessmentsubmission")
    ]
    context = {
        "actions": waiting,
        "assessments": assessments,
        "link": absolute(reverse("workspace:review-queue")),
    }
    count = len(waiting) + len(assessments)
    # Written once per language among the reviewers (i18n.mail), sent to each on their own.
    for language, addresses in by_language([user.email for user in reviewers]):
        with translation.override(language):
            body = render_to_string("emails/review_digest.txt", context)
            subject = ngettext(
                "%(count)d submission waits for review",
                "%(count)d submissions wait for review",
                count,
            ) % {"count": count}
        for user in reviewers:
            if user.email in addresses:
                queue_email(
                    key=language_key(f"review-digest:{day}:{user.pk}", language),
                    what=f"of the review digest to user {user.pk}",
                    subject=subject,
                    body=body,
                    recipients=[user.email],
                    after_commit=False,
                )
    return len(reviewers)


def account_ready(user, set_password_path: str) -> None:
    queue_in_languages(
        key=f"account-ready:{user.pk}",
        what=f"to new user {user.pk}",
        subject=lambda: _("Your GCM Tracker account"),
        template="emails/account_ready.txt",
        context={"user": user, "link": absolute(set_password_path)},
        recipients=[user.email],
    )


def account_request_declined(account_request) -> None:
    # In the language the request was made in, not the staff member's.
    with translation.override(account_request.language):
        body = render_to_string("emails/account_request_declined.txt", {"request": account_request})
        subject = _("Your request for a GCM Tracker account")
    queue_email(
        key=f"account-request-declined:{account_request.pk}",
        what=f"declining account request {account_request.pk}",
        subject=subject,
        body=body,
        recipients=[account_request.email],
    )
