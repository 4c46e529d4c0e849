"""How many published follow-up actions have each type, each progress and each objective, so the
public list filtered by one of them (tracker.action_pages) counts its pages from one row instead
of walking an index of every published action that matches: at 2,000,000 actions a type's
count read 230,000 index entries (17 ms), and grew with the data.

Kept by database triggers on the actions (migration 0048), as the other summary tables are: an
action's type and progress change in the admin, and its objectives whenever a recommendation's
grouping or an action's links change (the objective bits, migration 0039), so no one service
sees every change. `manage.py repair_counts` (services.counts) checks and repairs it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedActionCount(models.Model):
    """The published actions of one type (`facet` "type", `value` an ActionType), one progress
    ("progress", an ActionProgress) or about one objective ("objective", its number), counted
    once each. A row exists once an action has counted in it; its count may fall to 0."""

    class Facet(models.TextChoices):
        TYPE = "type"
        PROGRESS = "progress"
        OBJECTIVE = "objective"

    facet = models.CharField(max_length=10, choices=Facet)
    value = models.CharField(max_length=30)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("published actions of a kind")
        verbose_name_plural = _("published actions of each kind")
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "value"], name="tracker_pubactioncount_unique"
            ),
        ]

    def __str__(self):
        return f"{self.facet} {self.value}: {self.count}"


def published_action_count(facet: str, value: str) -> int:
    """How many published actions `facet` has at `value` (one query)."""
    row = PublishedActionCount.objects.filter(facet=facet, value=value).values_list("count")
    return next(iter(row), (0,))[0]
