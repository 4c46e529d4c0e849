"""How many published follow-up actions have each type, each progress and each objective, and
each combination of them, in all and in each country, so the public list filtered by any of
them (tracker.action_pages) counts its pages from one row instead of walking an index of every
published action that matches: at 2,000,000 actions a type's count read 230,000 index entries
(17 ms), a type and a progress 140,000 (60 ms), Thailand and an objective 32,000; each grew
with the data.

Kept by database triggers (migrations 0048 and 0056), as the other summary tables are: on the
actions for PublishedActionCount, on the country links' copies of their actions' kinds and
publication dates for CountryActionCount. An action's type and progress change in the admin,
and its objectives whenever a recommendation's grouping or an action's links change (the
objective bits, migration 0039), so no one service sees every change. `manage.py
repair_counts` (services.counts) checks and repairs both.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Facet(models.TextChoices):
    """Which kinds a count's `value` names: one of them, or two or three joined by "|" in this
    order (type, progress, objective number), e.g. "training|completed|13" for "t+p+o"."""

    TYPE = "type"
    PROGRESS = "progress"
    OBJECTIVE = "objective"
    TYPE_PROGRESS = "t+p"
    TYPE_OBJECTIVE = "t+o"
    PROGRESS_OBJECTIVE = "p+o"
    ALL_THREE = "t+p+o"


# The filters of the list of actions each kind answers to, in the order values join them.
KIND_FILTERS = {"action_type": "t", "progress": "p", "objective": "o"}


def facet_of(chosen: dict[str, str]) -> tuple[str, str]:
    """The (facet, value) counting the actions of `chosen` ({filter of KIND_FILTERS: its value,
    an objective as its number}, one to three of them)."""
    names = [name for name in KIND_FILTERS if name in chosen]
    if len(names) == 1:
        facet = {"action_type": Facet.TYPE, "progress": Facet.PROGRESS}.get(
            names[0], Facet.OBJECTIVE
        )
    else:
        facet = Facet("+".join(KIND_FILTERS[name] for name in names))
    return facet, "|".join(str(chosen[name]) for name in names)


class KindCount(models.Model):
    """How many published actions have the kinds `value` names under `facet` (Facet). A row
    exists once an action has counted in it; its count may fall to 0."""

    Facet = Facet

    facet = models.CharField(max_length=10, choices=Facet)
    value = models.CharField(max_length=30)
    count = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.facet} {self.value}: {self.count}"


class PublishedActionCount(KindCount):
    """The published actions of one type (`facet` "type", `value` an ActionType), one progress
    ("progress", an ActionProgress), about one objective ("objective", its number) or of a
    combination of them, counted once each."""

    class Meta:
        verbose_name = _("published actions of a kind")
        verbose_name_plural = _("published actions of each kind")
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "value"], name="tracker_pubactioncount_unique"
            ),
        ]


class CountryActionCount(KindCount):
    """The published actions taken in `country` of each kind and combination of kinds (as
    PublishedActionCount's), counted from the country's links (their copies of their actions'
    kinds and publication dates)."""

    country = models.ForeignKey("tracker.Country", models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("published actions by kind and country")
        verbose_name_plural = _("published actions of each kind in each country")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "facet", "value"], name="tracker_countryactioncount_unique"
            ),
        ]

    def __str__(self):
        return f"{self.country_id} {super().__str__()}"


def published_action_count(facet: str, value: str, country=None) -> int:
    """How many published actions `facet` has at `value`, in all or in `country` (one query)."""
    if country is None:
        rows = PublishedActionCount.objects.filter(facet=facet, value=value)
    else:
        rows = CountryActionCount.objects.filter(country=country, facet=facet, value=value)
    return next(iter(rows.values_list("count")), (0,))[0]
