"""Counts per day, so that "what changed" over a long range without filters (tracker.changes)
sums a few hundred rows instead of counting a year of history: at 200,000 recommendations a
year holds over a million published actions (48 ms to count) and tens of thousands of status
changes (16 ms).

The published actions are also counted per day in each subregion, so "what changed" filtered
by a subregion sums rows too (counting South-East Asia's actions of three months from its
countries' links took 180 ms at 2,000,000 actions). The regional changes are also counted per
day by their recommendation's scope and by each of its objectives, so "what changed" filtered by
a country, a subregion or an objective sums rows (with, for a place, the few changes of
recommendations selecting it) instead of testing every change of the range (20 ms for three
months at N = 200,000).

The published actions are counted per day by each of their objectives too, so "what changed"
filtered by an objective sums rows as well (a year of objective 13's actions: 13 ms to count
at 2,000,000 actions); those days are UTC days, as the next paragraph says why.

All are kept in the transaction that writes what they count, and never taken back (published
actions are never unpublished, nor their links changed; status changes are append-only), though
the changes by scope and by objective, and the actions by objective, move between rows with
their recommendation's scope and objectives: the regional changes and the actions by objective
by database triggers (migrations 0037, 0059 and 0064), like the other summary tables; the other
published actions' counts by the publishing service, as their day is one in the site's time
zone, which the database does not know (an action's objectives change after it is published,
out of that service's sight, so its counts by objective are the triggers', per UTC day). The
migrations (0037, 0058, 0059, 0064) filled them; `manage.py repair_counts` (services.counts)
checks and repairs them, the net for anything written around the services.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import Direction, RecommendationScope, Subregion


class PublishedActionDayCount(models.Model):
    """How many follow-up actions were published on `day`, a day in the site's time zone
    (DJANGO_TIME_ZONE), as the changes pages count them.

    Added to by services.actions.published_action_counts_add(). The days are the zone's: after
    DJANGO_TIME_ZONE changes, `manage.py repair_counts` moves each action to its day in the new
    zone (`repair_counts --check` lists what is off until then).
    """

    day = models.DateField(_("day"), unique=True)
    count = models.IntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("published actions on a day")
        verbose_name_plural = _("published actions per day")

    def __str__(self):
        return f"{self.day}: {self.count}"


class _DirectionDayCount(models.Model):
    """How many regional status changes were effective on `day` that moved `direction` (up or
    down the scale of progress: changes.regional_direction); subclasses count some of them."""

    day = models.DateField(_("day"))
    direction = models.CharField(_("direction"), max_length=4, choices=Direction)
    count = models.IntegerField(_("count"), default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.day} {self.direction}: {self.count}"


class RegionalChangeDayCount(_DirectionDayCount):
    """Every regional status change, counted per effective day and direction.

    Kept by database triggers on the history (migration 0037), so every write path counts.
    """

    class Meta:
        verbose_name = _("regional status changes on a day")
        verbose_name_plural = _("regional status changes per day")
        constraints = [
            models.UniqueConstraint(fields=["day", "direction"], name="tracker_regionalday_unique")
        ]


class PublishedActionSubregionDayCount(models.Model):
    """How many follow-up actions taken in `subregion` (in one or more of its countries: counted
    once) were published on `day`, a day in the site's time zone, as PublishedActionDayCount.

    Added to by services.actions.published_action_counts_add(); filled by migration 0058.
    """

    day = models.DateField(_("day"))
    subregion = models.CharField(_("subregion"), max_length=30, choices=Subregion)
    count = models.IntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("published actions by subregion and day")
        verbose_name_plural = _("published actions per subregion and day")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "subregion"], name="tracker_pubactionsubregionday_unique"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.subregion}: {self.count}"


class RegionalChangeScopeDayCount(_DirectionDayCount):
    """The regional status changes of recommendations now of `scope`, per effective day and
    direction: a recommendation's changes move with it when its scope changes, as the changes
    pages read applicability from the current scope.

    Kept by database triggers on the history and on the recommendations (migration 0059).
    """

    scope = models.CharField(_("scope"), max_length=20, choices=RecommendationScope)

    class Meta:
        verbose_name = _("regional changes by scope and day")
        verbose_name_plural = _("regional changes per scope and day")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "direction", "scope"], name="tracker_regionalscopeday_unique"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.direction} {self.scope}: {self.count}"


class RegionalChangeObjectiveDayCount(_DirectionDayCount):
    """The regional status changes of recommendations now under `objective`, per effective day
    and direction (a change of a recommendation under two objectives counts under each): they
    move with the recommendation's objectives.

    Kept by database triggers on the history and on the recommendations' objectives (migration
    0059).
    """

    objective = models.ForeignKey(
        "tracker.Objective", models.CASCADE, related_name="+", verbose_name=_("objective")
    )

    class Meta:
        verbose_name = _("regional changes by objective and day")
        verbose_name_plural = _("regional changes per objective and day")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "direction", "objective"], name="tracker_regionalobjday_unique"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.direction} {self.objective_id}: {self.count}"


class PublishedActionObjectiveDayCount(models.Model):
    """How many published follow-up actions about objective number `objective` (by their
    objective bits: FollowUpAction.objective_mask) were published on `utc_day`, a day in UTC,
    not in the site's time zone: an action's objectives change after it is published (with its
    recommendations' grouping), so database triggers keep these, and the database knows no site
    time zone. "What changed" filtered by an objective alone sums the whole UTC days of its range
    and counts the actions of the parts of days at its two ends (tracker.changes).

    Kept by database triggers on the actions (migration 0064), as PublishedActionCount is.
    """

    utc_day = models.DateField(_("day (UTC)"))
    objective = models.PositiveSmallIntegerField(_("objective"))
    count = models.IntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("published actions by objective and day")
        verbose_name_plural = _("published actions per objective and day")
        constraints = [
            # In the order an objective's range of days is read.
            models.UniqueConstraint(
                fields=["objective", "utc_day"], name="tracker_pubactionobjday_unique"
            )
        ]

    def __str__(self):
        return f"{self.utc_day} {self.objective}: {self.count}"
