"""The summary counts, checked against a fresh COUNT and repaired (`manage.py repair_counts`).

Two mechanisms keep them, one per kind (models.py's docstrings say which):
- counts of published actions on recommendations, countries and organisations
  (`published_action_count`, `led_action_count`, `partner_action_count`): added to in the
  transaction that publishes an action (actions.published_action_counts_add);
- the recommendations each organisation acted on (StakeholderRecommendation, with how many of its
  published actions are about each) and those acted on in each country (CountryRecommendation):
  added to in the same transaction, by the same function, as are the lists of each
  organisation's published actions, in all and in each country (StakeholderAction,
  StakeholderActionCountry, checked by services.organisation_actions);
- the actions published per day (PublishedActionDayCount), in all and in each subregion
  (PublishedActionSubregionDayCount): added to by the same function;
- the objective breakdown (ObjectiveStatusCount), the recommendations per scope and status and
  per objective and scope (ScopeStatusCount, ObjectiveScopeCount), the disagreeing
  assessments per voice (DisagreementCount), the regional status changes per day, in all and
  by scope and by objective (RegionalChangeDayCount, RegionalChangeScopeDayCount,
  RegionalChangeObjectiveDayCount), the in-scope assessments per block of recommendations
  (AssessmentBlockCount), the recommendations per block of consultations
  (RecommendationBlockCount), the SELECTED recommendations naming each country, subregion
  and pair of the two (SelectedAreaCount), the published actions of each type, progress and
  objective and each combination of them (PublishedActionCount) and those in each country
  (CountryActionCount), the published actions about each objective per UTC day
  (PublishedActionObjectiveDayCount): database triggers (migrations 0007, 0010, 0035 to 0038,
  0042, 0045, 0048, 0056, 0059, 0064).

Each follow-up action's and civil-society submission's objectives as bits (`objective_mask`,
triggers of migrations 0039 and 0041) are not a count, but they are kept and checked the same
way (COUNTERS rows); nor is the publication date each country and partner link copies from its
action (ActionCountry and ActionPartner.action_published_at, triggers of migrations 0040 and
0049), checked and repaired here too (DateDrift), nor the type, progress and objective bits each
country link copies from its action (ActionCountry.action_type, action_progress,
action_objective_mask, triggers of migration 0053; CopyDrift).

Every write path goes through those, so the counts never drift; this module is the net under
that promise, for what no test foresaw (a hand-written SQL fix, a restore of part of a table).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from ..action_count_models import Facet
from ..action_objectives import fresh_mask, fresh_submission_mask
from ..cache import public_data_changed
from ..changes import regional_direction
from ..country_models import ASSESSMENT_BLOCK
from ..enums import RecommendationScope, ReviewState
from ..models import (
    CONSULTATION_BLOCK,
    ActionCountry,
    ActionPartner,
    ActionRecommendation,
    Assessment,
    AssessmentBlockCount,
    AssessmentSubmission,
    Country,
    CountryActionCount,
    CountryRecommendation,
    DisagreementCount,
    FollowUpAction,
    Objective,
    ObjectiveScopeCount,
    ObjectiveStatusCount,
    PublishedActionCount,
    PublishedActionDayCount,
    PublishedActionObjectiveDayCount,
    PublishedActionSubregionDayCount,
    Recommendation,
    RecommendationBlockCount,
    RecommendationObjective,
    RecommendationScopeArea,
    RegionalChangeDayCount,
    RegionalChangeObjectiveDayCount,
    RegionalChangeScopeDayCount,
    ScopeStatusCount,
    SelectedAreaCount,
    Stakeholder,
    StakeholderRecommendation,
    StatusChange,
)
from ..objective_bits import OBJECTIVE_NUMBERS, about_objective
from . import organisation_actions


@dataclass(frozen=True)
class CountDrift:
    """One summary count that differs from a fresh COUNT."""

    what: str  # e.g. "Stakeholder unicef led_action_count", "ObjectiveStatusCount 13 implemented"
    recorded: int
    fresh: int

    def __str__(self):
        return _("%(what)s: is %(recorded)d, should be %(fresh)d") % {
            "what": self.what,
            "recorded": self.recorded,
            "fresh": self.fresh,
        }


@dataclass(frozen=True)
class DateDrift:
    """One kept date that differs from the row it copies (empty: None)."""

    what: str
    recorded: datetime.datetime | None
    fresh: datetime.datetime | None

    def __str__(self):
        return _("%(what)s: is %(recorded)s, should be %(fresh)s") % {
            "what": self.what,
            "recorded": _when(self.recorded),
            "fresh": _when(self.fresh),
        }


@dataclass(frozen=True)
class CopyDrift:
    """One kept copy of another row's value that differs from it."""

    what: str
    recorded: str | int
    fresh: str | int

    def __str__(self):
        return _("%(what)s: is %(recorded)s, should be %(fresh)s") % {
            "what": self.what,
            "recorded": repr(self.recorded),
            "fresh": repr(self.fresh),
        }


def _when(moment: datetime.datetime | None) -> str:
    return moment.isoformat() if moment else _("empty")


def _fresh(queryset: QuerySet, outer_field: str) -> Coalesce:
    counted = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _published(link_model) -> QuerySet:
    return link_model.objects.filter(action__review_state=ReviewState.PUBLISHED)


@dataclass(frozen=True)
class _Counter:
    model: type[Model]
    field: str
    key: str  # the natural identifier printed in reports
    fresh: Callable[[], Coalesce]


# Every count kept on a row of its own table (and each action's and submission's objective bits,
# which the triggers keep: a number checked the same way); tables of counts are SUMMARIES below.
COUNTERS = [
    _Counter(
        Recommendation,
        "published_action_count",
        "reference",
        lambda: _fresh(_published(ActionRecommendation), "recommendation"),
    ),
    _Counter(
        Country,
        "published_action_count",
        "iso3",
        lambda: _fresh(_published(ActionCountry), "country"),
    ),
    _Counter(
        Stakeholder,
        "led_action_count",
        "slug",
        lambda: _fresh(
            FollowUpAction.objects.filter(review_state=ReviewState.PUBLISHED), "lead_stakeholder"
        ),
    ),
    _Counter(
        Stakeholder,
        "partner_action_count",
        "slug",
        lambda: _fresh(_published(ActionPartner), "stakeholder"),
    ),
    _Counter(FollowUpAction, "objective_mask", "pk", fresh_mask),
    _Counter(AssessmentSubmission, "objective_mask", "pk", fresh_submission_mask),
]


def _counter_drift(counter: _Counter, rows: QuerySet | None = None) -> list[tuple[int, CountDrift]]:
    """(pk, drift) of the rows of `counter` (or of `rows`) whose count is wrong: one query."""
    rows = counter.model.objects.all() if rows is None else rows
    wrong = (
        rows.annotate(fresh_count=counter.fresh())
        .exclude(**{counter.field: F("fresh_count")})
        .order_by("pk")
        .values_list("pk", counter.key, counter.field, "fresh_count")
    )
    return [
        (pk, CountDrift(f"{counter.model.__name__} {key} {counter.field}", recorded, fresh))
        for pk, key, recorded, fresh in wrong
    ]


@dataclass(frozen=True)
class _Summary:
    """A summary table the database's triggers (or, for PublishedActionDayCount, the publishing
    service) keep: a count per combination of `keys`, which should equal a fresh grouped COUNT
    of `source()` by `fresh_keys` (the same values), or, where no one grouped COUNT gives the
    rows, what `counted()` returns ({key: count})."""

    model: type[Model]
    keys: tuple[str, ...]
    source: Callable[[], QuerySet] | None = None
    fresh_keys: tuple[str, ...] = ()
    counted: Callable[[], dict[tuple, int]] | None = None

    def recorded(self) -> dict[tuple, int]:
        rows = self.model.objects.values_list(*self.keys, "count")
        return {tuple(row[:-1]): row[-1] for row in rows}

    def fresh(self) -> dict[tuple, int]:
        if self.counted:
            return self.counted()
        rows = self.source().order_by().values(*self.fresh_keys).annotate(n=Count("*"))
        return {tuple(row[:-1]): row[-1] for row in rows.values_list(*self.fresh_keys, "n")}


def _selected_areas_counted() -> dict[tuple, int]:
    """SelectedAreaCount as it should be, keyed (country_id, subregion): the SELECTED
    recommendations naming each country (no subregion), each subregion (no country) and each
    country with a subregion (three queries)."""
    areas = RecommendationScopeArea.objects.filter(
        recommendation__scope=RecommendationScope.SELECTED
    ).order_by()
    countries = areas.filter(country__isnull=False)
    counted: dict[tuple, int] = {
        (country_id, ""): n
        for country_id, n in countries.values("country_id")
        .annotate(n=Count("*"))
        .values_list("country_id", "n")
    }
    counted.update(
        ((None, subregion), n)
        for subregion, n in areas.exclude(subregion="")
        .values("subregion")
        .annotate(n=Count("*"))
        .values_list("subregion", "n")
    )
    # Each country area with each subregion area of the same recommendation.
    pair = ("country_id", "recommendation__scope_areas__subregion")
    counted.update(
        ((country_id, subregion), n)
        for country_id, subregion, n in countries.filter(
            recommendation__scope_areas__subregion__gt=""
        )
        .values(*pair)
        .annotate(n=Count("*"))
        .values_list(*pair, "n")
    )
    return counted


def _about_each_objective(mask: str) -> dict[str, Count]:
    """{objective number: a count of the rows whose bits `mask` name it}, to annotate with."""
    return {
        str(number): Count("pk", filter=Q(about_objective(number, mask)))
        for number in OBJECTIVE_NUMBERS
    }


def _kinds_counted(rows: QuerySet, key: tuple[str, ...], kinds: tuple[str, str, str]) -> dict:
    """{(key…, facet, value): n} of `rows` by every facet of action_count_models.Facet; `kinds`
    names the fields holding the type, the progress and the objective bits (seven queries)."""
    t, p, mask = kinds
    about = _about_each_objective(mask)
    counted: dict[tuple, int] = {}
    for facet, fields in ((Facet.TYPE, [t]), (Facet.PROGRESS, [p]), (Facet.TYPE_PROGRESS, [t, p])):
        grouped = rows.values(*key, *fields).annotate(n=Count("*"))
        for row in grouped.values_list(*key, *fields, "n"):
            keys, values = row[: len(key)], row[len(key) : -1]
            counted[(*keys, facet, "|".join(values))] = row[-1]
    for facet, fields in (
        (Facet.OBJECTIVE, []),
        (Facet.TYPE_OBJECTIVE, [t]),
        (Facet.PROGRESS_OBJECTIVE, [p]),
        (Facet.ALL_THREE, [t, p]),
    ):
        if key or fields:
            grouped = rows.values(*key, *fields).annotate(**about).values(*key, *fields, *about)
        else:
            grouped = [rows.aggregate(**about)]
        for row in grouped:
            keys = tuple(row[name] for name in key)
            values = [row[name] for name in fields]
            counted.update(
                ((*keys, facet, "|".join([*values, number])), row[number])
                for number in about
                if row[number]
            )
    return counted


def _published_actions_counted() -> dict[tuple, int]:
    """PublishedActionCount as it should be, keyed (facet, value): the published actions of
    each type, each progress, about each objective, and of each combination (seven queries)."""
    published = FollowUpAction.objects.filter(review_state=ReviewState.PUBLISHED).order_by()
    return _kinds_counted(published, (), ("action_type", "progress", "objective_mask"))


def _published_by_objective_counted() -> dict[tuple, int]:
    """PublishedActionObjectiveDayCount as it should be, keyed (objective number, UTC day): the
    published actions about each objective per day of their publication in UTC (one query)."""
    published = FollowUpAction.objects.filter(
        review_state=ReviewState.PUBLISHED, published_at__isnull=False
    )
    about = _about_each_objective("objective_mask")
    rows = (
        published.annotate(utc_day=TruncDate("published_at", tzinfo=datetime.UTC))
        .order_by()
        .values("utc_day")
        .annotate(**about)
    )
    return {
        (int(number), row["utc_day"]): row[number]
        for row in rows
        for number in about
        if row[number]
    }


def _country_actions_counted() -> dict[tuple, int]:
    """CountryActionCount as it should be, keyed (country_id, facet, value): the published
    actions of each country (by its links) of each kind and combination, read from the actions
    themselves, not the links' copies (seven queries)."""
    links = ActionCountry.objects.filter(action__review_state=ReviewState.PUBLISHED).order_by()
    kinds = ("action__action_type", "action__progress", "action__objective_mask")
    return _kinds_counted(links, ("country_id",), kinds)


def _published_in_subregions_counted() -> dict[tuple, int]:
    """PublishedActionSubregionDayCount as it should be, keyed (day, subregion): the published
    actions of each day with a link to a country of each subregion, each once (one query)."""
    links = ActionCountry.objects.filter(
        action__review_state=ReviewState.PUBLISHED, country__subregion__gt=""
    )
    rows = (
        links.annotate(
            published_on=TruncDate("action__published_at", tzinfo=timezone.get_default_timezone())
        )
        .order_by()
        .values("published_on", "country__subregion")
        .annotate(n=Count("action", distinct=True))
        .values_list("published_on", "country__subregion", "n")
    )
    return {(day, subregion): n for day, subregion, n in rows}


SUMMARIES = [
    _Summary(
        ObjectiveStatusCount,
        ("objective_id", "status"),
        lambda: RecommendationObjective.objects,
        ("objective_id", "recommendation__status"),
    ),
    _Summary(
        ScopeStatusCount, ("scope", "status"), lambda: Recommendation.objects, ("scope", "status")
    ),
    _Summary(
        ObjectiveScopeCount,
        ("objective_id", "scope"),
        lambda: RecommendationObjective.objects,
        ("objective_id", "recommendation__scope"),
    ),
    # After the scope counts: a change of scope writes those first (triggers fire in name
    # order), and repair locks the tables in the same order.
    _Summary(SelectedAreaCount, ("country_id", "subregion"), counted=_selected_areas_counted),
    _Summary(
        DisagreementCount,
        ("voice",),
        lambda: Assessment.objects.filter(disagreed_at__isnull=False),
        ("voice",),
    ),
    _Summary(
        AssessmentBlockCount,
        ("block",),
        lambda: Assessment.objects.filter(in_scope=True).annotate(
            block=F("recommendation_id") / ASSESSMENT_BLOCK
        ),
        ("block",),
    ),
    _Summary(
        RecommendationBlockCount,
        ("block",),
        lambda: Recommendation.objects.annotate(block=F("consultation_id") / CONSULTATION_BLOCK),
        ("block",),
    ),
    _Summary(
        RegionalChangeDayCount,
        ("day", "direction"),
        lambda: StatusChange.objects.annotate(direction=regional_direction()),
        ("effective_date", "direction"),
    ),
    # In the order their triggers write them (the objectives' table, then the scopes').
    _Summary(
        RegionalChangeObjectiveDayCount,
        ("day", "direction", "objective_id"),
        lambda: StatusChange.objects.filter(recommendation__objectives__isnull=False).annotate(
            direction=regional_direction()
        ),
        ("effective_date", "direction", "recommendation__objectives"),
    ),
    _Summary(
        RegionalChangeScopeDayCount,
        ("day", "direction", "scope"),
        lambda: StatusChange.objects.annotate(direction=regional_direction()),
        ("effective_date", "direction", "recommendation__scope"),
    ),
    _Summary(PublishedActionCount, ("facet", "value"), counted=_published_actions_counted),
    _Summary(
        PublishedActionObjectiveDayCount,
        ("objective", "utc_day"),
        counted=_published_by_objective_counted,
    ),
    # After the actions' counts: the links' triggers fire after the actions' (which write the
    # links' copies), and repair locks the tables in the same order.
    _Summary(
        CountryActionCount, ("country_id", "facet", "value"), counted=_country_actions_counted
    ),
    _Summary(
        PublishedActionDayCount,
        ("day",),
        lambda: FollowUpAction.objects.filter(review_state=ReviewState.PUBLISHED).annotate(
            published_on=TruncDate("published_at", tzinfo=timezone.get_default_timezone())
        ),
        ("published_on",),
    ),
    _Summary(
        PublishedActionSubregionDayCount,
        ("day", "subregion"),
        counted=_published_in_subregions_counted,
    ),
]


def _summary_drift(summary: _Summary) -> list[tuple[tuple, CountDrift]]:
    """(key, drift) of every row of `summary` that differs from a fresh count (missing rows
    count 0): the recorded rows and a fresh count, one query each, but where the fresh count
    takes several (SelectedAreaCount three, PublishedActionCount and CountryActionCount seven);
    one more when one is wrong."""
    recorded, fresh = summary.recorded(), summary.fresh()
    # A key may hold None (SelectedAreaCount's subregions name no country): it sorts first.
    wrong = sorted(
        (k for k in recorded.keys() | fresh.keys() if recorded.get(k, 0) != fresh.get(k, 0)),
        key=lambda k: [(value is not None, value) for value in k],
    )
    if not wrong:
        return []
    numbers, iso3s = {}, {}
    if "objective_id" in summary.keys:
        numbers = dict(Objective.objects.values_list("pk", "number"))
    if "country_id" in summary.keys:
        iso3s = dict(Country.objects.values_list("pk", "iso3"))

    def name(field: str, value) -> str:
        if value in (None, ""):
            return "-"
        if field == "objective_id":
            return f"objective {numbers.get(value, value)}"
        return str(iso3s.get(value, value) if field == "country_id" else value)

    def named(key: tuple) -> str:
        return " ".join(name(field, value) for field, value in zip(summary.keys, key, strict=True))

    return [
        (
            key,
            CountDrift(
                f"{summary.model.__name__} {named(key)}", recorded.get(key, 0), fresh.get(key, 0)
            ),
        )
        for key in wrong
    ]


@dataclass(frozen=True)
class _ActedOn:
    """A table of the recommendations each owner (an organisation, a country) acted on, with how
    many of its published actions are about each, which the publishing service adds to.
    `fresh` is the SQL of its rows as they should be, (owner id, recommendation id, n), whose
    `{}` placeholders narrow it to some owners by the columns `narrowed` names, in order."""

    model: type[Model]
    owner: type[Model]
    label: str  # the owner's field a report names it by
    fresh: str
    narrowed: tuple[str, ...]

    @property
    def owner_id(self) -> str:
        return f"{self.model.OWNER}_id"


ACTED_ON = [
    # Each published action's recommendations, once for its lead organisation and once per
    # partner (the migration that made the table filled it so).
    _ActedOn(
        StakeholderRecommendation,
        Stakeholder,
        "slug",
        """
SELECT stakeholder_id, recommendation_id, count(*) AS n FROM (
    SELECT a.lead_stakeholder_id AS stakeholder_id, ar.recommendation_id AS recommendation_id
    FROM tracker_followupaction a
    JOIN tracker_actionrecommendation ar ON ar.action_id = a.id
    WHERE a.review_state = 'published' {}
    UNION ALL
    SELECT ap.stakeholder_id, ar.recommendation_id
    FROM tracker_actionpartner ap
    JOIN tracker_followupaction a ON a.id = ap.action_id
    JOIN tracker_actionrecommendation ar ON ar.action_id = a.id
    WHERE a.review_state = 'published' {}
) links
GROUP BY stakeholder_id, recommendation_id
""",
        ("a.lead_stakeholder_id", "ap.stakeholder_id"),
    ),
    # Each published action's recommendations, once per country it was taken in.
    _ActedOn(
        CountryRecommendation,
        Country,
        "iso3",
        """
SELECT ac.country_id, ar.recommendation_id, count(*) AS n
FROM tracker_actioncountry ac
JOIN tracker_followupaction a ON a.id = ac.action_id
JOIN tracker_actionrecommendation ar ON ar.action_id = a.id
WHERE a.review_state = 'published' {}
GROUP BY ac.country_id, ar.recommendation_id
""",
        ("ac.country_id",),
    ),
]
# The rows whose count differs from the fresh one (missing rows count 0), in both directions.
_ACTED_ON_DRIFT = """
WITH fresh AS ({fresh})
SELECT f.{owner}, f.recommendation_id, COALESCE(r.action_count, 0), f.n
FROM fresh f
LEFT JOIN {table} r ON r.{owner} = f.{owner} AND r.recommendation_id = f.recommendation_id
WHERE r.action_count IS NULL OR r.action_count <> f.n
UNION ALL
SELECT r.{owner}, r.recommendation_id, r.action_count, 0
FROM {table} r
LEFT JOIN fresh f ON r.{owner} = f.{owner} AND r.recommendation_id = f.recommendation_id
WHERE f.n IS NULL {recorded_only}
ORDER BY 1, 2
"""


def _acted_on_drift(
    table: _ActedOn, owners: list[int] | None = None
) -> list[tuple[int, int, int, int]]:
    """(owner id, recommendation id, recorded, fresh) of every count of `table` that is wrong
    or missing, for every owner or only `owners`: one query."""
    params: list = []
    narrow, recorded_only = [""] * len(table.narrowed), ""
    if owners is not None:
        marks = ", ".join(["%s"] * len(owners)) or "NULL"
        narrow = [f"AND {column} IN ({marks})" for column in table.narrowed]
        recorded_only = f"AND r.{table.owner_id} IN ({marks})"
        params = [*owners] * (len(table.narrowed) + 1)
    sql = _ACTED_ON_DRIFT.format(
        fresh=table.fresh.format(*narrow),
        owner=table.owner_id,
        table=table.model._meta.db_table,
        recorded_only=recorded_only,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def _acted_on_report(table: _ActedOn, rows) -> list[CountDrift]:
    names = dict(
        table.owner.objects.filter(pk__in={r[0] for r in rows}).values_list("pk", table.label)
    )
    references = dict(
        Recommendation.objects.filter(pk__in={r[1] for r in rows}).values_list("pk", "reference")
    )
    kind = table.model.__name__
    return [
        CountDrift(f"{kind} {names.get(o, o)} {references.get(r, r)}", recorded, fresh)
        for o, r, recorded, fresh in rows
    ]


def _acted_on_repair(table: _ActedOn, wrong_pairs) -> list[CountDrift]:
    """Count `table`'s rows of the owners of `wrong_pairs` (rows of _acted_on_drift) again and
    write them. Publishing an action updates its owners' rows (their counts) before it adds to
    these: holding those owners' rows (in primary-key order) makes publications for them wait,
    so the recount is final."""
    owners = sorted({row[0] for row in wrong_pairs})
    list(table.owner.objects.select_for_update().filter(pk__in=owners).order_by("pk").values("pk"))
    rows = _acted_on_drift(table, owners)
    owner = table.model.OWNER
    table.model.objects.bulk_create(
        [
            table.model(
                **{f"{owner}_id": owner_id}, recommendation_id=recommendation, action_count=n
            )
            for owner_id, recommendation, _recorded, n in rows
            if n
        ],
        update_conflicts=True,
        unique_fields=[owner, "recommendation"],
        update_fields=["action_count"],
        batch_size=1000,
    )
    gone: dict[int, list[int]] = {}
    for owner_id, recommendation, _recorded, n in rows:
        if not n:
            gone.setdefault(owner_id, []).append(recommendation)
    for owner_id, recommendations in gone.items():
        table.model.objects.filter(
            **{f"{owner}_id": owner_id}, recommendation_id__in=recommendations
        ).delete()
    return _acted_on_report(table, rows)


def _organisation_actions_report(kept: organisation_actions.KeptList, rows) -> list[CountDrift]:
    """CountDrift of each organisation's (and country's) list of `kept`.drift() rows."""
    slugs = dict(Stakeholder.objects.filter(pk__in={r[0] for r in rows}).values_list("pk", "slug"))
    iso3s = {}
    if "country_id" in kept.keys:
        countries = Country.objects.filter(pk__in={r[1] for r in rows})
        iso3s = dict(countries.values_list("pk", "iso3"))
    drift = []
    for *keys, was, should in rows:
        names = [slugs.get(keys[0], keys[0]), *(iso3s.get(c, c) for c in keys[1:])]
        drift.append(CountDrift(" ".join([kept.model.__name__, *map(str, names)]), was, should))
    return drift


# The links that copy their action's publication date, and what names the other end of each.
DATED_LINKS = {ActionCountry: "country__iso3", ActionPartner: "stakeholder__slug"}


def _link_date_drift(links: QuerySet) -> list[tuple[int, DateDrift]]:
    """(pk, drift) of `links` (of a model of DATED_LINKS) whose copy of their action's
    publication date (action_published_at) differs from the action's: one query."""
    model = links.model
    fresh = Case(
        When(action__review_state=ReviewState.PUBLISHED, then=F("action__published_at")),
        output_field=DateTimeField(),
    )
    wrong = (
        links.annotate(fresh=fresh)
        # Differs, an empty side included (SQL's = and <> are unknown on NULL).
        .filter(
            Q(action_published_at__isnull=True, fresh__isnull=False)
            | Q(action_published_at__isnull=False, fresh__isnull=True)
            | Q(action_published_at__lt=F("fresh"))
            | Q(action_published_at__gt=F("fresh"))
        )
        .order_by("pk")
        .values_list("pk", "action_id", DATED_LINKS[model], "action_published_at", "fresh")
    )
    name = model.__name__
    return [
        (pk, DateDrift(f"{name} {action} {end} action_published_at", was, should))
        for pk, action, end, was, should in wrong
    ]


def _link_dates_repair(wrong: QuerySet) -> list[DateDrift]:
    """Copy the dates of the `wrong` links from their actions again."""
    # The links' actions first, as a publication takes them (its UPDATE of the action row fires
    # the trigger that writes the links), then the dates again.
    locked = FollowUpAction.objects.select_for_update().order_by("pk")
    list(locked.filter(pk__in=wrong.values("action")).values_list("pk"))
    repaired = []
    for pk, drift in _link_date_drift(wrong):
        wrong.model.objects.filter(pk=pk).update(action_published_at=drift.fresh)
        repaired.append(drift)
    return repaired


# Each country link's copies of its action's type, progress and objective bits (migration
# 0053): the link's field, and the action's it copies.
COPIED_KINDS = {
    "action_type": "action_type",
    "action_progress": "progress",
    "action_objective_mask": "objective_mask",
}


def _link_kind_drift(links: QuerySet) -> list[tuple[int, str, CopyDrift]]:
    """(pk, field, drift) for each copy (COPIED_KINDS) of country `links` that differs from its
    action's value: one query."""
    differs = Q()
    for copy, source in COPIED_KINDS.items():
        differs |= ~Q(**{copy: F(f"action__{source}")})
    sources = [f"action__{source}" for source in COPIED_KINDS.values()]
    rows = (
        links.filter(differs)
        .order_by("pk")
        .values_list("pk", "action_id", "country__iso3", *COPIED_KINDS, *sources)
    )
    drift = []
    for pk, action, iso3, *values in rows:
        copies, fresh = values[: len(COPIED_KINDS)], values[len(COPIED_KINDS) :]
        for field, was, should in zip(COPIED_KINDS, copies, fresh, strict=True):
            if was != should:
                drift.append(
                    (pk, field, CopyDrift(f"ActionCountry {action} {iso3} {field}", was, should))
                )
    return drift


def _link_kinds_repair(wrong: QuerySet) -> list[CopyDrift]:
    """Copy the type, progress and objective bits of the `wrong` country links from their
    actions again (their actions locked first, as _link_dates_repair does)."""
    locked = FollowUpAction.objects.select_for_update().order_by("pk")
    list(locked.filter(pk__in=wrong.values("action")).values_list("pk"))
    repaired = []
    for pk, field, drift in _link_kind_drift(wrong):
        ActionCountry.objects.filter(pk=pk).update(**{field: drift.fresh})
        repaired.append(drift)
    return repaired


def summary_count_drift() -> list[CountDrift | DateDrift | CopyDrift]:
    """Every summary count that differs from a fresh COUNT (empty when all are right).

    One query per counter, two for each table the triggers keep (four for SelectedAreaCount,
    eight for PublishedActionCount and CountryActionCount; one more when one is wrong), one
    (three when some are wrong) for the recommendations organisations acted on and one for those
    acted on in each country, one each for each organisation's actions and for those in each
    country (one or two more, for the names, when some are wrong), one for each kind of link's
    publication dates and one for the country links' copies of their actions' kinds; each query
    reads every row of its table, so it takes seconds at hundreds of thousands of rows.
    """
    drift = [d for counter in COUNTERS for _, d in _counter_drift(counter)]
    acted_on = [(table, _acted_on_drift(table)) for table in ACTED_ON]
    return (
        drift
        + [d for summary in SUMMARIES for _, d in _summary_drift(summary)]
        + [d for table, rows in acted_on if rows for d in _acted_on_report(table, rows)]
        + [
            d
            for kept in organisation_actions.KEPT_LISTS
            for d in _organisation_actions_report(kept, kept.drift())
        ]
        + [d for model in DATED_LINKS for _, d in _link_date_drift(model.objects.all())]
        + [d for _, _, d in _link_kind_drift(ActionCountry.objects.all())]
    )


@transaction.atomic
def summary_counts_repair() -> list[CountDrift | DateDrift | CopyDrift]:
    """Set every wrong summary count to a fresh COUNT (and every wrong copied value, the
    objective bits, the links' dates and the country links' copies of their actions' kinds, to
    what its source says); returns what was wrong (as found).

        The rows found wrong are locked (in primary-key order, the order the triggers and
        published_action_counts_add take them too) and counted again before they are written, so
        an action published or a status changed meanwhile is neither lost nor counted twice: its
        transaction either committed before the lock (and the count sees it) or waits for this
        one (and adds to the repaired count). Moves the public-data generation on if anything
        changed.
    """
    repaired = []
    for counter in COUNTERS:
        wrong = [pk for pk, _ in _counter_drift(counter)]
        if not wrong:
            continue
        locked = counter.model.objects.select_for_update().filter(pk__in=wrong).order_by("pk")
        list(locked.values_list("pk"))
        for pk, drift in _counter_drift(counter, counter.model.objects.filter(pk__in=wrong)):
            counter.model.objects.filter(pk=pk).update(**{counter.field: drift.fresh})
            repaired.append(drift)
    # The links' copies before the summaries: triggers count from the copies
    # (CountryActionCount), so a copy mended after its count would count again.
    copies = []
    for model in DATED_LINKS:
        if wrong_links := [pk for pk, _ in _link_date_drift(model.objects.all())]:
            copies += _link_dates_repair(model.objects.filter(pk__in=wrong_links))
    if wrong_links := {pk for pk, _, _ in _link_kind_drift(ActionCountry.objects.all())}:
        copies += _link_kinds_repair(ActionCountry.objects.filter(pk__in=wrong_links))

    for summary in SUMMARIES:
        if not _summary_drift(summary):
            continue
        # Lock the table as its triggers (or the publishing service) take its rows (in key
        # order), then count again.
        list(summary.model.objects.select_for_update().order_by(*summary.keys).values_list("pk"))
        for key, drift in _summary_drift(summary):
            summary.model.objects.update_or_create(
                **dict(zip(summary.keys, key, strict=True)), defaults={"count": drift.fresh}
            )
            repaired.append(drift)
    for table in ACTED_ON:
        if wrong_pairs := _acted_on_drift(table):
            repaired += _acted_on_repair(table, wrong_pairs)
    for kept in organisation_actions.KEPT_LISTS:
        if wrong := kept.drift():
            repaired += _organisation_actions_report(kept, kept.repair(wrong))
    repaired += copies
    if repaired:
        public_data_changed()
    return repaired
