"""The queue's side of following: confirmation e-mails, the daily digest run (one task per
subscription, follow.digests) and the monthly reminders of stale items (follow.reminders).
Each is idempotent: see the modules for how."""

import datetime

from celery import shared_task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gcm_tracker.tracker.notifications import absolute

from . import digests, mail, reminders
from .followed import VIEWS
from .models import Subscription


@shared_task(autoretry_for=(OSError,), max_retries=6, retry_backoff=30, retry_jitter=True)
def send_confirmation(subscription_id: int) -> bool:
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None or subscription.confirmed_at is not None:
        return False
    with translation.override(subscription.language):
        view = VIEWS[subscription.view]
        mail.send(
            subscription,
            subject=_("Confirm that you want to follow “%(list)s”") % {"list": view.label},
            template="emails/follow_confirm.txt",
            context={
                "view": view,
                "frequency": subscription.get_frequency_display(),
                "confirm_url": mail.confirm_url(subscription),
                "page_url": absolute(view.page_url(subscription.query)),
            },
        )
    return True


@shared_task(autoretry_for=(OSError,), max_retries=6, retry_backoff=60, retry_jitter=True)
def send_digest(subscription_id: int, through: str) -> bool:
    return digests.send_digest(subscription_id, datetime.datetime.fromisoformat(through))


@shared_task
def send_digests(now: str | None = None) -> int:
    """The beat's daily run: queue the digest of every subscription with a period to cover."""
    moment = datetime.datetime.fromisoformat(now) if now else timezone.now()
    pairs = digests.due(moment)
    for pk, end in pairs:
        send_digest.delay(pk, end.isoformat())
    return len(pairs)


@shared_task(autoretry_for=(OSError,), max_retries=3, retry_backoff=300)
def send_stale_reminders(month: str | None = None) -> int:
    """The beat's monthly run (on the 1st); returns how many reminders were queued."""
    day = datetime.date.fromisoformat(month) if month else timezone.localdate()
    return reminders.send_month(day.replace(day=1))
