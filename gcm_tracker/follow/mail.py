"""The e-mails of following: the confirmation, the digests and the monthly reminders' sending.

Every message to a subscriber carries a one-click unsubscribe (RFC 8058): a signed link in the
body and in List-Unsubscribe, and List-Unsubscribe-Post so that mail clients can unsubscribe
with one POST, without the subscriber signing in or typing anything.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from gcm_tracker.tracker.notifications import absolute

from .models import Subscription

SALT = "follow.unsubscribe"
CONFIRM_SALT = "follow.confirm"


def unsubscribe_url(subscription: Subscription) -> str:
    value = signing.dumps(subscription.token, salt=SALT)
    return absolute(reverse("follow:unsubscribe", args=[value]))


def confirm_url(subscription: Subscription) -> str:
    value = signing.dumps(subscription.token, salt=CONFIRM_SALT)
    return absolute(reverse("follow:confirm", args=[value]))


def token_from(value: str, *, salt: str, max_age=None) -> str | None:
    """The token a signed link carries, or None when the link was altered (or expired)."""
    try:
        return signing.loads(value, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


def send(subscription: Subscription, *, subject: str, template: str, context: dict) -> None:
    """Send one message to the subscriber (raises OSError when the mail server cannot take it,
    for the task to retry)."""
    unsubscribe = unsubscribe_url(subscription)
    body = render_to_string(
        template, {**context, "subscription": subscription, "unsubscribe_url": unsubscribe}
    )
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send(fail_silently=False)
