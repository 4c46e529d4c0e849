"""The monthly reminder of what has gone quiet (the beat runs it on the 1st, follow.tasks):

- to each organisation's members: its published actions still planned or ongoing that nobody
  updated for settings.GCM_STALE_CELL_MONTHS (tracker.staleness.stale_actions), and its
  civil-society assessments that have gone stale (tracker.staleness.stale_cells);
- to staff who record official assessments: the stale official cells.

An audience with nothing stale gets nothing. Idempotent per month: a ReminderSent row for
(audience, month) is created in the transaction that queues the e-mail (after commit), so a
second run of the month finds it and sends nothing; the e-mail's key (notifications.deliver)
covers a task retried after sending.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gcm_tracker.i18n.mail import queue_in_languages
from gcm_tracker.tracker import staleness
from gcm_tracker.tracker.changes import ChangeFilters
from gcm_tracker.tracker.enums import AssessmentVoice
from gcm_tracker.tracker.models import Stakeholder
from gcm_tracker.tracker.notifications import absolute

from .models import ReminderSent

# Items listed in one reminder; the counts are whole.
LISTED = 20


def _claim(audience: str, month: datetime.date) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(audience=audience, month=month)
    except IntegrityError:
        return False
    return True


def _queue(*, audience, month, subject, context, recipients) -> bool:
    if not recipients:
        return False
    with transaction.atomic():
        if not _claim(audience, month):
            return False
        queue_in_languages(
            key=f"stale-reminder:{audience}:{month:%Y-%m}",
            what=f"the stale reminder of {month:%Y-%m} to {audience}",
            subject=subject,
            template="emails/stale_reminder.txt",
            context=context,
            recipients=recipients,
        )
    return True


def send_month(month: datetime.date) -> int:
    """Queue this month's reminders; returns how many were queued now."""
    sent = 0
    actions = staleness.stale_actions()
    cells = staleness.stale_cells(ChangeFilters(voice=AssessmentVoice.CIVIL_SOCIETY))
    action_counts = dict(
        actions.order_by()
        .values("lead_stakeholder")
        .annotate(n=Count("*"))
        .values_list("lead_stakeholder", "n")
    )
    cell_counts = dict(
        cells.order_by()
        .values("stakeholder")
        .annotate(n=Count("*"))
        .values_list("stakeholder", "n")
    )
    organisations = Stakeholder.objects.filter(
        pk__in=set(action_counts) | set(cell_counts)
    ).order_by("pk")
    User = get_user_model()
    for organisation in organisations:
        recipients = sorted(
            set(
                User.objects.filter(memberships__stakeholder=organisation, is_active=True)
                .exclude(email="")
                .values_list("email", flat=True)
            )
        )
        context = {
            "audience": organisation.name,
            "months": settings.GCM_STALE_CELL_MONTHS,
            "action_count": action_counts.get(organisation.pk, 0),
            "actions": list(
                actions.filter(lead_stakeholder=organisation).order_by("updated_at")[:LISTED]
            ),
            "cell_count": cell_counts.get(organisation.pk, 0),
            "cells": list(cells.filter(stakeholder=organisation)[:LISTED]),
            "link": absolute(reverse("workspace:home")),
        }
        sent += _queue(
            audience=f"organisation:{organisation.pk}",
            month=month,
            subject=lambda organisation=organisation: (
                _("GCM Tracker: %(organisation)s's items that have gone quiet")
                % {"organisation": organisation.name}
            ),
            context=context,
            recipients=recipients,
        )
    officials = staleness.stale_cells(ChangeFilters(voice=AssessmentVoice.OFFICIAL))
    official_count = officials.count()
    if official_count:
        recipients = sorted(
            {
                user.email
                for user in User.objects.filter(is_active=True).exclude(email="")
                if user.has_perm("tracker.record_official")
            }
        )
        sent += _queue(
            audience="staff",
            month=month,
            subject=lambda: _("GCM Tracker: official assessments that have gone quiet"),
            context={
                "audience": gettext_lazy("ESCAP staff"),
                "months": settings.GCM_STALE_CELL_MONTHS,
                "cell_count": official_count,
                "cells": list(officials[:LISTED]),
                "action_count": 0,
                "actions": [],
                "link": absolute(reverse("dashboards:stale") + "?voice=official"),
            },
            recipients=recipients,
        )
    return sent
