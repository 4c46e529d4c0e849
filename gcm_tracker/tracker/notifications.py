"""E-mails the workflows send. Each is sent once the transaction that caused it commits, so nobody
is told about a change that was then rolled back; a failure to send is logged and never turns the
committed step into an error page (a task queue that retries is not there yet)."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from .enums import ReviewState

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _after_commit(what: str, send: Callable[[], object]) -> None:
    """Run `send` once the current transaction commits, logging (not raising) its failure: the
    step it reports is already saved, and the person who took it must not see an error page."""

    def run():
        try:
            send()
        except Exception:
            logger.exception("Could not send the e-mail %s; the change itself is saved.", what)

    transaction.on_commit(run)


def _one_line(text: str) -> str:
    # Titles saved before control characters were refused may still hold line breaks, which a
    # mail header cannot.
    return " ".join(text.split())


def _member_emails(stakeholder) -> list[str]:
    users = (
        get_user_model()
        .objects.filter(memberships__stakeholder=stakeholder, is_active=True)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def action_reviewed(action) -> None:
    """Tell the organisation's members that their action was published or returned."""
    published = action.review_state == ReviewState.PUBLISHED
    subject = (_("Published: %(title)s") if published else _("Returned for changes: %(title)s")) % {
        "title": _one_line(action.title)
    }
    context = {
        "action": action,
        "published": published,
        "link": absolute(reverse("workspace:action-detail", args=[action.pk])),
    }
    body = render_to_string("emails/action_reviewed.txt", context)
    recipients = _member_emails(action.lead_stakeholder)
    if recipients:
        _after_commit(
            f"about action {action.pk}",
            lambda: send_mail(subject, body, None, recipients, fail_silently=False),
        )


def review_digest(waiting) -> int:
    """E-mail every active reviewer the list of actions waiting for review; returns how many
    were e-mailed (0 when nothing waits)."""
    waiting = list(waiting)
    if not waiting:
        return 0
    reviewers = [
        user
        for user in get_user_model().objects.filter(is_active=True).exclude(email="")
        if user.has_perm("tracker.review_followupaction")
    ]
    body = render_to_string(
        "emails/review_digest.txt",
        {"actions": waiting, "link": absolute(reverse("workspace:review-queue"))},
    )
    subject = _("%(count)d follow-up actions wait for review") % {"count": len(waiting)}
    send_mass_mail([(subject, body, None, [user.email]) for user in reviewers])
    return len(reviewers)


def account_ready(user, set_password_path: str) -> None:
    body = render_to_string(
        "emails/account_ready.txt", {"user": user, "link": absolute(set_password_path)}
    )
    _after_commit(
        f"to new user {user.pk}",
        lambda: send_mail(_("Your GCM Tracker account"), body, None, [user.email]),
    )


def account_request_declined(account_request) -> None:
    body = render_to_string("emails/account_request_declined.txt", {"request": account_request})
    _after_commit(
        f"declining account request {account_request.pk}",
        lambda: send_mail(
            _("Your request for a GCM Tracker account"), body, None, [account_request.email]
        ),
    )
