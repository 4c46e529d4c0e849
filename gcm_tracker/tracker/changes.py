"""What changed between two dates, and how statuses were distributed on a date: the data behind
review meetings (the /changes/ page, its feed and API, snapshots, briefing packs and digests).

Everything here is read from the append-only histories, so any past date works without anything
having been saved on it:
- a recommendation's regional status: `StatusChange` rows;
- a country cell (recommendation × country × voice[, organisation]): `AssessmentChange` rows
  (the first change of a cell, `old_status` empty, is its publication);
- follow-up actions: their `published_at`;
- recommendations: their `created_at` (when a report's import created them) in the changes
  lists; in distributions on a date, their consultation's date (they existed from the meeting
  on, whenever the report was imported).
Without filters, the counts of published actions and of regional status changes are sums of
the counts per day kept beside those histories (day_count_models), which equal counting them;
by a country, a subregion or an objective alone, the regional changes are summed from the counts
per day kept by scope and by objective (for a place, with the changes of the SELECTED
recommendations naming it counted), by a subregion alone the actions from its counts per day,
and by an objective alone the actions from its counts per UTC day (with the parts of days at
the range's ends counted).

Which date counts (and the pages say so):
- status changes of recommendations and cells are placed on their **effective date** (when the
  change happened in the world, as its evidence says), not on when it was recorded: a review
  of 2024 wants what moved in 2024, even if it was typed in 2025;
- actions and recommendations have no effective date: they are placed on when they were
  **published** (actions) or **imported** (recommendations), in the site's time zone.
Both ends of a range are included (a change effective on `since` or on `until` is listed).

Stable interface (other modules build on it; extend, do not break):
- `ChangeFilters` — the list filters (objective, country, subregion, consultation, voice);
- `changes_between(*, since, until=None, filters=None) -> Changes`;
- `distribution_as_of(day, filters=None) -> DistributionAsOf`.
Every query here is set-based, reads a bounded number of statements whatever the data, and
runs the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.db import connections
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from . import scope
from .enums import (
    AssessmentVoice,
    Direction,
    RecommendationScope,
    RecommendationStatus,
    ReviewState,
)
from .models import (
    ActionCountry,
    ActionRecommendation,
    Assessment,
    AssessmentChange,
    Consultation,
    Country,
    FollowUpAction,
    Objective,
    PublishedActionDayCount,
    PublishedActionObjectiveDayCount,
    PublishedActionSubregionDayCount,
    Recommendation,
    RecommendationObjective,
    RecommendationScopeArea,
    RegionalChangeDayCount,
    RegionalChangeObjectiveDayCount,
    RegionalChangeScopeDayCount,
    StatusChange,
)
from .objective_bits import about_objective
from .selectors import key_among

# Statuses in order of progress: a change "moves up" when its new status ranks higher.
STATUS_ORDER: tuple[str, ...] = tuple(RecommendationStatus.values)
STATUS_RANK: dict[str, int] = {status: rank for rank, status in enumerate(STATUS_ORDER)}
NO_INFORMATION = RecommendationStatus.NO_INFORMATION.value


def _rank(field_name: str) -> Case:
    return Case(
        *(When(**{field_name: status}, then=Value(rank)) for status, rank in STATUS_RANK.items()),
        default=Value(-1),
        output_field=IntegerField(),
    )


def regional_direction() -> Case:
    """An expression on StatusChange: "up" when the change moved the recommendation up the scale
    of progress, else "down" (a change always moves: the history refuses a change to the
    status it had). RegionalChangeDayCount counts by it."""
    return Case(
        When(GreaterThan(_rank("new_status"), _rank("old_status")), then=Value(Direction.UP.value)),
        default=Value(Direction.DOWN.value),
    )


@dataclass(frozen=True)
class ChangeFilters:
    """The filters of the public lists, as model instances and choice values (None/"" = any).

    `voice` ("official" or "civil_society") limits country cells to one voice; regional status,
    actions and recommendations have no voice and are not limited by it. `country` and
    `subregion` keep cells and actions there, and recommendations (and their regional status
    changes) that apply there by their current scope.
    """

    objective: Objective | None = None
    country: Country | None = None
    subregion: str = ""
    consultation: Consultation | None = None
    voice: str = ""

    def recommendation_q(self, prefix: str = "") -> Q:
        """A filter on a model whose recommendation is at `prefix` ("" for Recommendation itself,
        "recommendation__" for StatusChange, "assessment__recommendation__" …)."""
        q = Q()
        pk = f"{prefix}pk" if prefix else "pk"
        if self.objective is not None:
            q &= Q(
                Exists(
                    RecommendationObjective.objects.filter(
                        recommendation=OuterRef(pk), objective=self.objective
                    )
                )
            )
        if self.consultation is not None:
            q &= Q(**{f"{prefix}consultation": self.consultation})
        if self.country is not None:
            q &= _prefixed(scope.recommendations_applicable_to(self.country), prefix, pk)
        elif self.subregion:
            q &= _prefixed(_applicable_in_subregion(self.subregion), prefix, pk)
        return q

    @property
    def keep_everything_counted(self) -> bool:
        """Whether these filters keep every regional change and every action (only a voice,
        which limits country cells alone, or none): their counts per day are kept."""
        return (
            self.objective is None
            and self.country is None
            and not self.subregion
            and self.consultation is None
        )

    @property
    def objective_alone(self) -> bool:
        """Whether these filters choose an objective and nothing else but perhaps a voice: its
        regional changes' counts per day are kept."""
        return self.objective is not None and replace(self, voice="") == ChangeFilters(
            objective=self.objective
        )

    @property
    def place_alone(self) -> bool:
        """Whether these filters choose a country or a subregion and nothing else but perhaps a
        voice (with a country, a subregion chooses nothing more: recommendation_q)."""
        return (self.country is not None or bool(self.subregion)) and replace(
            self, voice="", subregion=""
        ) == ChangeFilters(country=self.country)

    def selecting(self) -> QuerySet[Recommendation]:
        """The recommendations of scope SELECTED that name the chosen country or its subregion
        (or the chosen subregion or one of its countries), read from their scope areas."""
        if self.country is not None:
            return scope.selected_naming(self.country)
        areas = RecommendationScopeArea.objects.filter(_naming_subregion(self.subregion))
        return Recommendation.objects.filter(
            scope=RecommendationScope.SELECTED, pk__in=areas.values("recommendation_id")
        )

    @property
    def subregion_alone(self) -> bool:
        """Whether these filters choose a subregion and nothing else but perhaps a voice (which
        limits country cells alone): its actions' counts per day are kept."""
        return bool(self.subregion) and replace(self, voice="") == ChangeFilters(
            subregion=self.subregion
        )

    def _rows_only(self) -> ChangeFilters:
        """These filters without the country side (objective and consultation only)."""
        return ChangeFilters(objective=self.objective, consultation=self.consultation)

    def cell_q(self, prefix: str = "") -> Q:
        """A filter on Assessment (`prefix` "") or on AssessmentChange ("assessment__")."""
        # Applicability is implied by the cell's own country, so only the objective and the
        # consultation are needed from the recommendation side.
        q = self._rows_only().recommendation_q(f"{prefix}recommendation__")
        if self.country is not None:
            q &= Q(**{f"{prefix}country": self.country})
        elif self.subregion:
            q &= Q(**{f"{prefix}country__subregion": self.subregion})
        if self.voice:
            q &= Q(**{f"{prefix}voice": self.voice})
        return q

    def action_q(self, after: datetime.datetime | None, before: datetime.datetime) -> Q:
        """A filter on FollowUpAction: those published from `after` (None: from the first)
        until `before`, and still published, that match the filters. A country's are those
        `country_links` keeps, their rows not read: tested action by action, Thailand's 22,500
        published in three months took 250 ms to count at 2,000,000 actions."""
        links = self.country_links(after, before)
        if links is not None:
            return key_among(links.values("action"))
        q = Q(review_state=ReviewState.PUBLISHED) & _published_within("published_at", after, before)
        q &= self._rows_q("pk", "objective_mask")
        if self.subregion:
            q &= Q(Exists(self.subregion_links(after, before).filter(action=OuterRef("pk"))))
        return q

    def country_links(
        self, after: datetime.datetime | None, before: datetime.datetime
    ) -> QuerySet[ActionCountry] | None:
        """With a country chosen, its links to the actions `action_q` keeps (None without one):
        those whose copies of their actions' publication dates (empty unless published; index
        tracker_actioncountry_newest, in the lists' order) fall in the range."""
        if self.country is None:
            return None
        return self._links(Q(country=self.country), after, before)

    def subregion_links(
        self, after: datetime.datetime | None, before: datetime.datetime
    ) -> QuerySet[ActionCountry]:
        """The links of the subregion's countries to the actions `action_q` keeps (an action in
        two of them has two): its actions are counted as their distinct keys, read from the
        countries' entries of tracker_actioncountry_newest (counting South-East Asia's actions
        of three months by testing each published one took 800 ms at 2,000,000 actions)."""
        return self._links(Q(country__subregion=self.subregion), after, before)

    def _links(self, countries: Q, after, before) -> QuerySet[ActionCountry]:
        links = ActionCountry.objects.filter(countries, action_published_at__isnull=False)
        links = links.filter(_published_within("action_published_at", after, before))
        return links.filter(self._rows_q("action", "action_objective_mask"))

    def _rows_q(self, action: str, mask: str) -> Q:
        """The objective and the consultation, on actions (`action` "pk", `mask`
        "objective_mask") or on country links ("action", "action_objective_mask"). The
        objective is tested on the row's objective bits, its action's recommendations'
        objectives (kept by triggers, migrations 0039 and 0053), not through each of its
        recommendations: counted so, the actions of a year about objective 13 took 620 ms at
        2,000,000 actions."""
        q = Q()
        if self.objective is not None:
            q &= Q(about_objective(self.objective.number, mask))
        if self.consultation is not None:
            recommended = ActionRecommendation.objects.filter(
                action=OuterRef(action), recommendation__consultation=self.consultation
            )
            q &= Q(Exists(recommended))
        return q


class ActionsByLinks:
    """The actions of a country's `links` (ChangeFilters.country_links), newest first: a
    sequence that pages and its callers slice. A slice reads its keys from the links' index in
    the list's order, then those actions: at 2,000,000 actions, sorting Thailand's 22,500 of
    three months to show the newest ten took 250 ms."""

    def __init__(self, links: QuerySet[ActionCountry]):
        self.links = links

    def count(self) -> int:
        return self.links.count()

    def __getitem__(self, rows: slice) -> list[FollowUpAction]:
        if not isinstance(rows, slice):
            raise TypeError("ActionsByLinks is sliced, not indexed")
        keys = self.links.order_by("-action_published_at", "-action").values("action")[rows]
        actions = FollowUpAction.objects.filter(key_among(keys))
        return list(actions.select_related("lead_stakeholder").order_by("-published_at", "-id"))

    def __iter__(self):
        return iter(self[:])


def _published_within(field: str, after: datetime.datetime | None, before: datetime.datetime) -> Q:
    q = Q(**{f"{field}__lt": before})
    return q if after is None else q & Q(**{f"{field}__gte": after})


def _prefixed(q: Q, prefix: str, pk: str) -> Q:
    """`q`, a filter on Recommendation, applied to the recommendation at `prefix`."""
    if not prefix:
        return q
    return Q(**{f"{pk}__in": Recommendation.objects.filter(q).values("pk")})


def _naming_subregion(subregion: str) -> Q:
    """A filter on RecommendationScopeArea: the areas naming `subregion` or one of its
    countries."""
    return Q(subregion=subregion) | Q(country__subregion=subregion)


def _applicable_in_subregion(subregion: str) -> Q:
    """A filter on Recommendation: those applying to at least one country of `subregion`."""
    areas = RecommendationScopeArea.objects.filter(recommendation=OuterRef("pk"))
    named = Exists(areas.filter(_naming_subregion(subregion)))
    # Subregions group ESCAP members only, so every recommendation of the default scope applies
    # to some country of each of them.
    return Q(scope=RecommendationScope.ESCAP) | (Q(scope=RecommendationScope.SELECTED) & Q(named))


# Recorded times are compared within these days: at the calendar's edges an instant in the site's
# time zone overflows when converted to UTC, and nothing was recorded outside them.
EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(3000, 1, 1)


def day_start(day: datetime.date) -> datetime.datetime:
    """The first instant of `day` in the site's time zone (days outside EARLIEST_DAY to
    LATEST_DAY are taken as those bounds)."""
    day = min(max(day, EARLIEST_DAY), LATEST_DAY)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _utc_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def _whole_utc_days(
    after: datetime.datetime, before: datetime.datetime
) -> tuple[datetime.date, datetime.date]:
    """The first UTC day that starts at or after `after` and the first that does not end by
    `before`: the UTC days from the one up to the other lie wholly in [after, before)."""
    after, before = after.astimezone(datetime.UTC), before.astimezone(datetime.UTC)
    first = after.date() + datetime.timedelta(days=int(after.time() != datetime.time.min))
    return first, before.date()


@dataclass(frozen=True)
class ChangeCounts:
    """How many items of each kind a `Changes` holds."""

    regional_up: int = 0
    regional_down: int = 0
    cells_up: int = 0
    cells_down: int = 0
    new_assessments: int = 0
    actions: int = 0
    recommendations: int = 0

    @property
    def regional(self) -> int:
        return self.regional_up + self.regional_down

    @property
    def cells(self) -> int:
        return self.cells_up + self.cells_down

    @property
    def total(self) -> int:
        return (
            self.regional + self.cells + self.new_assessments + self.actions + self.recommendations
        )


@dataclass
class Changes:
    """What changed from `since` to `until` (both included) under `filters`.

    The item lists are lazy, newest first, with what their pages and links need already
    joined: querysets (a country's actions: an ActionsByLinks); slice them to paginate.
    `counts` reads all the figures in four queries (five for an ESCAP member or a subregion
    alone, and for an objective alone over a range that holds a whole UTC day).
    """

    since: datetime.date
    until: datetime.date
    filters: ChangeFilters = field(default_factory=ChangeFilters)

    @property
    def _after(self) -> datetime.datetime:
        return day_start(self.since)

    @property
    def _before(self) -> datetime.datetime:
        # Recorded times are compared with the start of the day after `until`.
        return day_start(min(self.until, LATEST_DAY) + datetime.timedelta(days=1))

    @property
    def regional(self) -> QuerySet[StatusChange]:
        """Regional status changes effective in the range (each is up or down)."""
        return (
            self._regional_where(self.filters.recommendation_q("recommendation__"))
            .select_related("recommendation__consultation")
            .order_by("-effective_date", "-changed_at", "-id")
        )

    def _regional_where(self, q: Q) -> QuerySet[StatusChange]:
        """The regional status changes effective in the range that `q` keeps, with `moved`."""
        return StatusChange.objects.filter(
            q, effective_date__gte=self.since, effective_date__lte=self.until
        ).annotate(moved=_rank("new_status") - _rank("old_status"))

    def _cell_history(self) -> QuerySet[AssessmentChange]:
        return (
            AssessmentChange.objects.filter(
                self.filters.cell_q("assessment__"),
                effective_date__gte=self.since,
                effective_date__lte=self.until,
            )
            .select_related(
                "assessment__recommendation__consultation",
                "assessment__country",
                "assessment__stakeholder",
            )
            .order_by("-effective_date", "-changed_at", "-id")
        )

    @property
    def cells(self) -> QuerySet[AssessmentChange]:
        """Status changes of country cells effective in the range (a cell's first assessment is
        in `new_assessments` instead). `moved` is positive for up, negative for down."""
        return (
            self._cell_history()
            .exclude(old_status="")
            .annotate(moved=_rank("status") - _rank("old_status"))
        )

    @property
    def new_assessments(self) -> QuerySet[AssessmentChange]:
        """Cells assessed for the first time (published) with an effective date in the range."""
        return self._cell_history().filter(old_status="")

    @property
    def actions(self) -> QuerySet[FollowUpAction] | ActionsByLinks:
        """Follow-up actions published in the range (still published now); a country's are
        read through its links (ActionsByLinks), which slice and count alike."""
        links = self.filters.country_links(self._after, self._before)
        if links is not None:
            return ActionsByLinks(links)
        return (
            FollowUpAction.objects.filter(self.filters.action_q(self._after, self._before))
            .select_related("lead_stakeholder")
            .order_by("-published_at", "-id")
        )

    @property
    def recommendations(self) -> QuerySet[Recommendation]:
        """Recommendations created (imported from a report) in the range."""
        return (
            Recommendation.objects.filter(
                self.filters.recommendation_q(),
                created_at__gte=self._after,
                created_at__lt=self._before,
            )
            .select_related("consultation")
            .order_by("-created_at", "consultation_id", "paragraph", "sub_item")
        )

    def _regional_counts(self) -> dict[str, int]:
        filters = self.filters
        if filters.keep_everything_counted:
            # Summed from the counts per day (day_count_models): a few hundred rows for a year.
            return self._summed(RegionalChangeDayCount.objects.all())
        if filters.objective_alone:
            return self._summed(
                RegionalChangeObjectiveDayCount.objects.filter(objective=filters.objective)
            )
        if filters.place_alone:
            # The changes of the recommendations of every ESCAP member (summed per day, where
            # the place is one) and those of the few selecting it (counted).
            selecting = Q(recommendation__in=filters.selecting())
            counts = self._counted(self._regional_where(selecting))
            if filters.country is None or filters.country.membership in scope.ESCAP_MEMBERSHIPS:
                escap = RegionalChangeScopeDayCount.objects.filter(scope=RecommendationScope.ESCAP)
                everywhere = self._summed(escap)
                counts = {d: n + everywhere[d] for d, n in counts.items()}
            return counts
        return self._counted(self.regional)

    def _summed(self, day_counts: QuerySet) -> dict[str, int]:
        """{direction: n} of the counts per day `day_counts` over the range."""
        by_direction = dict(
            day_counts.filter(day__gte=self.since, day__lte=self.until)
            .values("direction")
            .annotate(n=Sum("count"))
            .values_list("direction", "n")
        )
        return {d: by_direction.get(d) or 0 for d in (Direction.UP, Direction.DOWN)}

    @staticmethod
    def _counted(regional: QuerySet[StatusChange]) -> dict[str, int]:
        """{direction: n} of the regional changes `regional` (annotated with `moved`)."""
        counts = regional.order_by().aggregate(
            up=Count("pk", filter=Q(moved__gt=0)), down=Count("pk", filter=Q(moved__lt=0))
        )
        return {Direction.UP: counts["up"], Direction.DOWN: counts["down"]}

    def _action_count(self) -> int:
        if self.filters.keep_everything_counted:
            # The days of the range in the site's time zone are those of _after and _before.
            return PublishedActionDayCount.objects.filter(
                day__gte=self.since, day__lte=self.until
            ).aggregate(n=Sum("count", default=0))["n"]
        filters = self.filters
        if filters.subregion_alone:
            # A subregion alone (a voice changes no action): summed from its counts per day.
            return PublishedActionSubregionDayCount.objects.filter(
                subregion=filters.subregion, day__gte=self.since, day__lte=self.until
            ).aggregate(n=Sum("count", default=0))["n"]
        if filters.subregion and filters.country is None:
            links = filters.subregion_links(self._after, self._before)
            return links.values("action").distinct().count()
        if filters.objective_alone:
            return self._objective_action_count()
        return self.actions.count()

    def _objective_action_count(self) -> int:
        """The published actions about the chosen objective in the range: the objective's counts
        of the whole UTC days inside it (kept by triggers, which know no site time zone) summed,
        and the actions of the parts of days at its two ends (about a day together at most: the
        site's zone's offset at one end, the rest of a day at the other) counted from the
        objective's index."""
        after, before = self._after, self._before
        number = self.filters.objective.number
        actions = FollowUpAction.objects.filter(
            Q(about_objective(number)), review_state=ReviewState.PUBLISHED
        ).order_by()
        first, end = _whole_utc_days(after, before)
        if first >= end:
            return actions.filter(published_at__gte=after, published_at__lt=before).count()
        whole = PublishedActionObjectiveDayCount.objects.filter(
            objective=number, utc_day__gte=first, utc_day__lt=end
        ).aggregate(n=Sum("count", default=0))["n"]
        # Two ranges of the index in one query (an OR of them would filter the whole index).
        starting = actions.filter(published_at__gte=after, published_at__lt=_utc_start(first))
        ending = actions.filter(published_at__gte=_utc_start(end), published_at__lt=before)
        return whole + starting.values("pk").union(ending.values("pk"), all=True).count()

    @cached_property
    def counts(self) -> ChangeCounts:
        regional = self._regional_counts()
        cells = (
            self._cell_history()
            .order_by()
            .annotate(moved=_rank("status") - _rank("old_status"))
            .aggregate(
                up=Count("pk", filter=Q(moved__gt=0) & ~Q(old_status="")),
                down=Count("pk", filter=Q(moved__lt=0) & ~Q(old_status="")),
                new=Count("pk", filter=Q(old_status="")),
            )
        )
        return ChangeCounts(
            regional_up=regional[Direction.UP],
            regional_down=regional[Direction.DOWN],
            cells_up=cells["up"],
            cells_down=cells["down"],
            new_assessments=cells["new"],
            actions=self._action_count(),
            recommendations=self.recommendations.order_by().count(),
        )


def changes_between(
    *,
    since: datetime.date,
    until: datetime.date | None = None,
    filters: ChangeFilters | None = None,
) -> Changes:
    """What changed from `since` to `until` (default: today), both included, under `filters`.

    Raises ValueError when `until` is before `since`. No query runs until the result's lists or
    counts are read.
    """
    if until is None:
        until = timezone.localdate()
    if until < since:
        raise ValueError("until is before since")
    return Changes(since=since, until=until, filters=filters or ChangeFilters())


# --- Distributions on a date (snapshots) ------------------------------------------------------


# Among the changes effective by a day, the newest *recorded* one holds, as for the current status
# (services.status: "the newest recorded change sets the status"): a correction recorded later
# with an earlier effective date overrides what was recorded before it. So the distribution on
# today is exactly the current statuses, and the per-row lookup reads the (row, changed_at)
# indexes of the histories.
AS_OF_ORDER = ("-changed_at", "-id")


def regional_status_as_of(day: datetime.date) -> Coalesce:
    """An expression on Recommendation: its regional status on `day` (of its StatusChanges
    effective on or before it, the newest recorded; "no information" if none)."""
    latest = (
        StatusChange.objects.filter(recommendation=OuterRef("pk"), effective_date__lte=day)
        .order_by(*AS_OF_ORDER)
        .values("new_status")[:1]
    )
    return Coalesce(Subquery(latest), Value(RecommendationStatus.NO_INFORMATION.value))


def cell_status_as_of(day: datetime.date) -> Subquery:
    """An expression on Assessment: the cell's status on `day` (of its changes effective on or
    before it, the newest recorded; NULL if not yet assessed)."""
    latest = (
        AssessmentChange.objects.filter(assessment=OuterRef("pk"), effective_date__lte=day)
        .order_by(*AS_OF_ORDER)
        .values("status")[:1]
    )
    return Subquery(latest)


@dataclass
class DistributionAsOf:
    """How statuses were distributed on `day`.

    - `by_objective[objective number][status]`: recommendations (regional status) whose
      consultation met on or before `day` — one serving two objectives counts in both;
    - `by_country[country id][voice][status]`: assessed cells (a cell not yet assessed on `day`
      is not counted: "no information" counts only explicit assessments, as on the scorecards);
    - `by_subregion[subregion][voice][status]`: sums of the countries of each subregion.
    Countries and cells are those the filters keep; cells are counted whatever the
    recommendation's scope was then (scope has no history).
    """

    day: datetime.date
    by_objective: dict[int, dict[str, int]]
    by_country: dict[int, dict[str, dict[str, int]]]
    by_subregion: dict[str, dict[str, dict[str, int]]]


def _count_latest(queryset: QuerySet, partition: list[str], **columns) -> list[dict]:
    """Of `queryset`'s history rows, those that hold for each `partition` (the newest recorded,
    AS_OF_ORDER), counted by `columns` (name → field path): one window function over the
    history up to the day, grouped in the same statement. Set-based on SQLite and PostgreSQL
    alike: the cost is one sort of the rows, not a lookup per recommendation or cell."""
    latest = (
        queryset.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F(name) for name in partition],
                order_by=[F("changed_at").desc(), F("id").desc()],
            ),
            **{f"c_{name}": F(path) for name, path in columns.items()},
        )
        .filter(rank=1)
        .values(*(f"c_{name}" for name in columns))
        .order_by()
    )
    sql, params = latest.query.sql_with_params()
    quote = connections[latest.db].ops.quote_name
    names = ", ".join(quote(f"c_{name}") for name in columns)
    with connections[latest.db].cursor() as cursor:
        # Django cannot aggregate over a window-filtered queryset; the grouping wraps its SQL.
        cursor.execute(
            f"SELECT {names}, COUNT(*) FROM ({sql}) latest GROUP BY {names}",
            params,
        )
        return [dict(zip([*columns, "n"], row, strict=True)) for row in cursor.fetchall()]


def distribution_as_of(
    day: datetime.date, filters: ChangeFilters | None = None
) -> DistributionAsOf:
    """Status distributions on `day` (four grouped queries, whatever the number of rows)."""
    filters = filters or ChangeFilters()
    # A recommendation exists from its consultation's date on (its effective date): reports are
    # imported long after the meeting, with status changes effective before the import.
    recommendations = Recommendation.objects.filter(
        filters.recommendation_q(), consultation__date__lte=day
    ).values("pk")
    wanted = None if filters.objective is None else filters.objective.number
    by_objective: dict[int, dict[str, int]] = defaultdict(dict)
    totals = (
        RecommendationObjective.objects.filter(recommendation__in=recommendations)
        .values("objective__number")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # Joined to the objectives before the window: partitioned by (recommendation, objective),
    # so a recommendation's status counts once under each of its objectives.
    changed = _count_latest(
        StatusChange.objects.filter(recommendation__in=recommendations, effective_date__lte=day),
        ["recommendation_id", "recommendation__objectives__number"],
        objective="recommendation__objectives__number",
        status="new_status",
    )
    for row in changed:
        if row["objective"] is not None and wanted in (None, row["objective"]):
            by_objective[row["objective"]][row["status"]] = row["n"]
    # Recommendations with no change effective by then: "no information".
    for row in totals:
        number = row["objective__number"]
        if wanted is not None and number != wanted:
            continue
        counts = by_objective[number]
        without_change = row["n"] - sum(counts.values()) + counts.get(NO_INFORMATION, 0)
        if without_change:
            counts[NO_INFORMATION] = without_change
        elif not counts:
            del by_objective[number]

    by_country: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    by_subregion: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    # A cell's value now is its newest recorded change (services.assessments copies it onto the
    # Assessment row, effective date included). Where that change was effective by `day`, it is
    # also the value on `day`: counted straight from the current rows. Only the cells changed
    # with an effective date after `day` need their history read. Cells outside their
    # recommendation's scope are not applicable and never a figure, as on every other page
    # (the roll-ups count the same cells; the flag is kept by services.assessment_flags).
    current = (
        Assessment.objects.filter(filters.cell_q(), in_scope=True, effective_date__lte=day)
        .values("country_id", "country__subregion", "voice", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cells = [
        {
            "country": row["country_id"],
            "subregion": row["country__subregion"],
            "voice": row["voice"],
            "status": row["status"],
            "n": row["n"],
        }
        for row in current
    ]
    cells += _count_latest(
        AssessmentChange.objects.filter(
            filters.cell_q("assessment__"),
            assessment__in_scope=True,
            assessment__effective_date__gt=day,
            effective_date__lte=day,
        ),
        ["assessment_id"],
        country="assessment__country_id",
        subregion="assessment__country__subregion",
        voice="assessment__voice",
        status="status",
    )
    for row in cells:
        counts = by_country[row["country"]][row["voice"]]
        counts[row["status"]] = counts.get(row["status"], 0) + row["n"]
        if row["subregion"]:
            bucket = by_subregion[row["subregion"]][row["voice"]]
            bucket[row["status"]] = bucket.get(row["status"], 0) + row["n"]
    return DistributionAsOf(
        day=day,
        by_objective=dict(by_objective),
        by_country={k: dict(v) for k, v in by_country.items()},
        by_subregion={k: dict(v) for k, v in by_subregion.items()},
    )


VOICES: tuple[str, ...] = tuple(AssessmentVoice.values)
