"""Following a list by e-mail, and the record of monthly reminders sent.

A Subscription is one address following one list page with its filters (view + normalised
query, follow.followed). Anyone may subscribe, without an account; nothing is sent but the
confirmation until the address owner confirms (double opt-in: confirmed_at). `last_sent_through`
is the end of the last period a digest covered (sent, or found empty): the next digest covers
what was recorded after it, so a digest task run twice sends nothing the second time.
Unsubscribing deletes the row.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly (on Mondays)")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    email = models.EmailField(_("e-mail address"))
    view = models.CharField(_("list"), max_length=30)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency)
    # The language the address subscribed in: its confirmation and digests are written in it.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Secret: confirmation and unsubscribe links carry it (signed), and nothing else names a row.
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_sent_through = models.DateTimeField(_("digests sent through"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "view", "query"], name="follow_subscription_one_per_list"
            ),
        ]
        indexes = [models.Index(fields=["confirmed_at", "frequency"], name="follow_due")]

    def __str__(self):
        return f"{self.email}: {self.view}?{self.query} ({self.frequency})"


class ReminderSent(models.Model):
    """One monthly reminder of stale items, to one audience (an organisation, or staff), so
    that the month's run never sends it twice."""

    audience = models.CharField(_("audience"), max_length=80)
    month = models.DateField(_("month"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["audience", "month"], name="follow_reminder_once_a_month"
            ),
        ]

    def __str__(self):
        return f"{self.audience} {self.month:%Y-%m}"
