"""E-mail digests of followed lists: built by the beat's daily run (follow.tasks), one task per
subscription, each idempotent.

A digest covers what was recorded from the subscription's `last_sent_through` (its
confirmation, at first) to the start of today (daily) or of this Monday (weekly), in the site's
time zone. The task locks the row, reads the items, sends the message only if there are any,
and moves `last_sent_through` to the period's end in the same transaction: a task run again for
the same period finds it covered and sends nothing; a send that fails rolls the move back, and
the retry sends it.
"""

import datetime
import logging

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gcm_tracker.tracker.changes import day_start
from gcm_tracker.tracker.notifications import absolute

from . import mail
from .followed import VIEWS, normalise
from .models import Frequency, Subscription

logger = logging.getLogger(__name__)

# At most this many items in one e-mail; the page lists them all.
DIGEST_ITEMS = 50


def period_end(frequency: str, now: datetime.datetime) -> datetime.datetime | None:
    """The end of the period a digest sent at `now` covers; None when none is due (a weekly
    digest outside Mondays)."""
    today = timezone.localdate(now)
    if frequency == Frequency.WEEKLY and today.weekday() != 0:
        return None
    return day_start(today)


def due(now: datetime.datetime | None = None) -> list[tuple[int, datetime.datetime]]:
    """(subscription id, period end) of every confirmed subscription with a period to cover."""
    now = now or timezone.now()
    pairs = []
    for frequency in Frequency.values:
        end = period_end(frequency, now)
        if end is None:
            continue
        ids = Subscription.objects.filter(
            confirmed_at__isnull=False, frequency=frequency, last_sent_through__lt=end
        ).values_list("pk", flat=True)
        pairs.extend((pk, end) for pk in ids.iterator())
    return pairs


def send_digest(subscription_id: int, through: datetime.datetime) -> bool:
    """Cover the subscription's period up to `through`; True if an e-mail was sent."""
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
        if (
            subscription is None
            or subscription.confirmed_at is None
            or subscription.last_sent_through >= through
        ):
            return False  # unsubscribed, or this period is already covered
        since = subscription.last_sent_through
        subscription.last_sent_through = through
        subscription.save(update_fields=["last_sent_through"])
        # In the language the address subscribed in.
        with translation.override(subscription.language):
            view = VIEWS.get(subscription.view)
            try:
                _query, filterset = normalise(view, QueryDict(subscription.query))
            except (AttributeError, ValueError):
                # The list or a filter value is gone (a deleted organisation): nothing can match.
                logger.warning(
                    "Subscription %s follows a list that no longer exists.", subscription_id
                )
                return False
            items = view.items(filterset, since, through, DIGEST_ITEMS + 1)
            if not items:
                return False
            mail.send(
                subscription,
                subject=ngettext(
                    "GCM Tracker: %(count)d change in “%(list)s”",
                    "GCM Tracker: %(count)d changes in “%(list)s”",
                    min(len(items), DIGEST_ITEMS),
                )
                % {"count": min(len(items), DIGEST_ITEMS), "list": view.label},
                template="emails/follow_digest.txt",
                context={
                    "view": view,
                    "items": [(item, absolute(item.path)) for item in items[:DIGEST_ITEMS]],
                    "more": len(items) > DIGEST_ITEMS,
                    "page_url": absolute(view.page_url(subscription.query)),
                    "since": timezone.localtime(since),
                    "through": timezone.localtime(through),
                    "frequency": _("daily")
                    if subscription.frequency == Frequency.DAILY
                    else _("weekly"),
                },
            )
    return True
