"""The public list of follow-up actions, unfiltered or filtered by a country, an organisation or
kinds of action (tracker.action_pages.kept_pages says which choices), paged from what the
database keeps rather than by counting and skipping actions.

At 2,000,000 actions (1,400,000 published) the list drawn with every cache emptied took 57 ms
for its first page, 34 of them counting the published actions; page 40,000 took 800 ms (the
database walked a million entries of an index to skip them), Thailand's first page 400 ms and its
page 500 650 ms (the published actions walked newest first, each tested for the country). Here:
- the length is kept: the actions published per day (PublishedActionDayCount) summed, or the
  country's count of published actions (Country.published_action_count), both added to in the
  transaction that publishes an action, which is never unpublished or deleted;
- a page's keys come from an index in the list's order: for a country, its links' index by
  publication date (ActionCountry.action_published_at, as selectors.newest_actions_in); for
  every action, the published actions' index from the day that holds the page's first row
  (the counts per day say which), so a deep page skips a day's actions at most.
Filtered by a country and any of a type, a progress and an objective, the length is kept
(CountryActionCount, kept by triggers, migration 0056) and a page's keys come from the country's
links' index by publication date, which includes the links' copies of their actions' type,
progress and objective bits (migration 0053): the country's entries are skipped, never its
actions read.
Filtered by one, two or three of a type, a progress and an objective, the length is kept too
(PublishedActionCount, kept by triggers, migrations 0048 and 0056) and a page's keys come from
one choice's partial index of published actions, newest first (migrations 0046, 0047), which
includes the columns the others test (migration 0054). Filtered by an organisation, alone or
with a country, its pages and its length come from the rows kept of its published actions, in
all or in the country (StakeholderAction, StakeholderActionCountry: PublishedActionsBy). Any
other filter goes through the filter's queryset as before (dashboards.views.action_list).
"""

import datetime
import functools
import operator

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from .action_count_models import KIND_FILTERS, facet_of, published_action_count
from .day_count_models import PublishedActionDayCount
from .models import (
    ActionCountry,
    Country,
    FollowUpAction,
    Stakeholder,
    StakeholderAction,
    StakeholderActionCountry,
)
from .objective_bits import about_objective
from .selectors import action_list, key_among, published_actions


class _KeptList:
    """Published actions newest first, with what selectors.action_list() reads for a card: a
    sequence a Paginator slices (a slice is one query and the prefetches). Subclasses say how
    many there are (count) and which keys a slice holds (_keys, a query of one column)."""

    def count(self) -> int:
        raise NotImplementedError

    def _keys(self, offset: int, limit: int) -> QuerySet | list[int]:
        raise NotImplementedError

    def __getitem__(self, rows: slice) -> list[FollowUpAction]:
        offset = rows.start or 0
        keys = self._keys(offset, rows.stop - offset)
        chosen = Q(pk__in=keys) if isinstance(keys, list) else key_among(keys)
        return list(action_list(published_actions().filter(chosen)))


class PublishedActions(_KeptList):
    """Every published action, or those taken in `country` (the length: one query for every
    action, none for a country), or those of them whose country links' copies of their type,
    progress and objective bits meet `condition`, which `counted_as` (facet, value of
    CountryActionCount) counts (the length: one query)."""

    def __init__(
        self,
        country: Country | None = None,
        condition: Q | None = None,
        counted_as: tuple[str, str] | None = None,
    ):
        self.country, self.condition, self.counted_as = country, condition, counted_as

    def _links(self) -> QuerySet:
        links = ActionCountry.objects.filter(
            country=self.country, action_published_at__isnull=False
        )
        return links if self.condition is None else links.filter(self.condition)

    def count(self) -> int:
        if self.counted_as is not None:
            return published_action_count(*self.counted_as, country=self.country)
        if self.country is not None:
            return self.country.published_action_count
        return PublishedActionDayCount.objects.aggregate(n=Sum("count"))["n"] or 0

    def _keys(self, offset: int, limit: int) -> QuerySet:
        if self.country is not None:
            links = self._links().order_by("-action_published_at", "-action")
            return links.values("action")[offset : offset + limit]
        rows, offset = from_its_day(offset)
        return rows.order_by("-published_at", "-id").values("pk")[offset : offset + limit]


class PublishedActionsBy(_KeptList):
    """The published actions `stakeholder` led or partnered (each once), in all or in
    `country`: the kept rows of its actions (StakeholderAction) or of its actions in the
    country (StakeholderActionCountry), whose index in the list's order gives the count and a
    page's keys without reading an action. At 2,000,000 actions, an organisation's deep page
    (offset 4,000) merged its led actions' and its partner links' 4,000 newest and sorted them;
    with a country, each of its actions was tested for a link to the country (9 ms to count and
    9 ms a page)."""

    def __init__(self, stakeholder: Stakeholder, country: Country | None = None):
        self.stakeholder, self.country = stakeholder, country

    def _rows(self) -> QuerySet:
        if self.country is None:
            return StakeholderAction.objects.filter(stakeholder=self.stakeholder)
        return StakeholderActionCountry.objects.filter(
            stakeholder=self.stakeholder, country=self.country
        )

    def count(self) -> int:
        return self._rows().count()

    def _keys(self, offset: int, limit: int) -> QuerySet:
        rows = self._rows().order_by("-action_published_at", "-action")
        return rows.values("action")[offset : offset + limit]


class PublishedActionsOf(_KeptList):
    """The published actions of one to three kinds: a type, a progress, an objective (`facet`
    and `value` of PublishedActionCount), which `condition` selects as one of their partial
    indexes does (the length: one query)."""

    def __init__(self, facet: str, value: str, condition: Q):
        self.facet, self.value, self.condition = facet, value, condition

    def count(self) -> int:
        return published_action_count(self.facet, self.value)

    def _keys(self, offset: int, limit: int) -> QuerySet:
        rows = published_actions().filter(self.condition).order_by("-published_at", "-id")
        return rows.values("pk")[offset : offset + limit]


# The filters that choose a kind of action.
KINDS = tuple(KIND_FILTERS)


def _kind(name: str, value) -> tuple[str, Q, Q]:
    """For the choice `value` of filter `name` (of KINDS): the value the kept counts count it
    under, and its condition on actions and on the country links' copies of their action's
    type, progress and objective bits."""
    if name == "action_type":
        return value, Q(action_type=value), Q(action_type=value)
    if name == "progress":
        return value, Q(progress=value), Q(action_progress=value)
    number = value.number
    on_links = about_objective(number, "action_objective_mask")
    return str(number), Q(about_objective(number)), Q(on_links)


def kept_pages(filterset) -> _KeptList | None:
    """The kept list for a valid ActionFilter that chose nothing, any of a type, a progress and
    an objective with or without a country, a country alone, or an organisation with or
    without a country; None for any other choice (the filter's own queryset answers those)."""
    chosen = {
        name: value
        for name, value in filterset.form.cleaned_data.items()
        if value not in (None, "", [])
    }
    if set(chosen) in ({"stakeholder"}, {"stakeholder", "country"}):
        return PublishedActionsBy(chosen["stakeholder"], chosen.get("country"))
    kinds = {name: value for name, value in chosen.items() if name in KINDS}
    if set(chosen) - set(kinds) - {"country"}:
        return None
    country = chosen.get("country")
    if not kinds:
        return PublishedActions(country)
    each = {name: _kind(name, value) for name, value in kinds.items()}
    counted_as = facet_of({name: counted for name, (counted, _, _) in each.items()})
    if country is not None:
        on_links = _all(on_links for _, _, on_links in each.values())
        return PublishedActions(country, on_links, counted_as)
    return PublishedActionsOf(*counted_as, _all(on_actions for _, on_actions, _ in each.values()))


def _all(conditions) -> Q:
    return functools.reduce(operator.and_, conditions, Q())


def from_its_day(offset: int) -> tuple[QuerySet[FollowUpAction], int]:
    """The published actions from the end of the day (in the site's time zone, as the counts
    per day) that holds the `offset`-th newest, and that action's offset among them."""
    rows = published_actions()
    if not offset:
        return rows, 0
    before = 0
    days = PublishedActionDayCount.objects.filter(count__gt=0).order_by("-day")
    for day, count in days.values_list("day", "count"):
        if before + count > offset:
            end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
            end = timezone.make_aware(end, timezone.get_default_timezone())
            return rows.filter(published_at__lt=end), offset - before
        before += count
    return rows, offset
