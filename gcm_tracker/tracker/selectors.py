"""Reads for the public pages, the downloads and the API.

Every function returns querysets or plain data built in a fixed number of queries, whatever the
number of rows (style guide point 2). Counts over related rows are correlated subqueries rather
than Count() over joins, which stay fast as the tables grow. Only PUBLISHED follow-up actions are
counted or listed by the public reads; the few that take other states say so (actions_visible_to,
acted_by_keys, action_list given every action for the workspace).
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .enums import RecommendationStatus, ReviewState
from .models import (
    ActionCountry,
    ActionPartner,
    ActionRecommendation,
    Consultation,
    Country,
    CountryRecommendation,
    FollowUpAction,
    GoodPractice,
    Objective,
    ObjectiveStatusCount,
    Recommendation,
    ScopeStatusCount,
    Stakeholder,
    StakeholderRecommendation,
    StatusChange,
)

# A recommendation whose current status took effect longer ago than this (or, never changed, whose
# consultation was) counts as "not updated" on the dashboard.
STALE_AFTER = datetime.timedelta(days=183)


def _count(queryset: QuerySet, outer_field: str) -> Coalesce:
    """COUNT(*) of `queryset` rows whose `outer_field` is the outer row, as a subquery."""
    counted = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def published_actions() -> QuerySet[FollowUpAction]:
    return FollowUpAction.objects.filter(review_state=ReviewState.PUBLISHED)


def _published_links(model) -> QuerySet:
    return model.objects.filter(action__review_state=ReviewState.PUBLISHED)


def status_breakdown(recommendations: QuerySet[Recommendation]) -> dict[str, int]:
    """How many of `recommendations` are at each status, every status present (one query)."""
    return _every_status(
        recommendations.order_by()
        .values("status")
        .annotate(n=Count("*"))
        .values_list("status", "n")
    )


def recommendation_statuses() -> dict[str, int]:
    """How many recommendations are at each status, every status present: status_breakdown()
    of them all, from the summary table the database keeps (ScopeStatusCount; one query)."""
    return _every_status(
        ScopeStatusCount.objects.order_by()
        .values("status")
        .annotate(n=Sum("count"))
        .values_list("status", "n")
    )


def _every_status(counts) -> dict[str, int]:
    """(status, n) pairs as a dict with every status, 0 where none is."""
    counts = dict(counts)
    return {status: counts.get(status, 0) for status in RecommendationStatus.values}


def recommendation_count(scope: str | None = None, statuses=None) -> int:
    """How many recommendations there are, or of `scope`, or at one of `statuses`, from the
    summary table the database keeps (ScopeStatusCount; one query), not a COUNT of the table."""
    rows = ScopeStatusCount.objects.all()
    if scope is not None:
        rows = rows.filter(scope=scope)
    if statuses is not None:
        rows = rows.filter(status__in=statuses)
    return rows.aggregate(n=Coalesce(Sum("count"), 0))["n"]


def recommendation_list() -> QuerySet[Recommendation]:
    """Recommendations as lists and downloads show them: citation, objectives, action count."""
    return Recommendation.objects.select_related("consultation").prefetch_related(
        Prefetch("objectives", queryset=Objective.objects.order_by("number")),
        Prefetch("guiding_principles"),
        Prefetch("tags"),
    )


# A recommendation's status is the one its newest *recorded* change set (services.status), even
# when an older change was effective later: a backdated correction is recorded after what it
# corrects. So every timeline lists changes newest recorded first, and its top row is always the
# current status; each row shows both dates. (The index tracker_statuschange_rec_at serves it.)
TIMELINE_ORDER = ["-changed_at", "-id"]


def recommendation_detail(reference: str) -> Recommendation:
    """One recommendation with its timeline, newest recorded change first (TIMELINE_ORDER);
    raises Recommendation.DoesNotExist."""
    return (
        recommendation_list()
        .prefetch_related(
            Prefetch("status_changes", queryset=StatusChange.objects.order_by(*TIMELINE_ORDER))
        )
        .get(reference=reference)
    )


def organisations_of(user) -> QuerySet[Stakeholder]:
    """The organisations `user` acts for (their memberships), by name."""
    return Stakeholder.objects.filter(memberships__user=user).order_by("name")


def actions_visible_to(user) -> QuerySet[FollowUpAction]:
    """The actions `user` may read: published ones, every action of their own organisations,
    and, for reviewers, every action sent for review (a draft stays its organisation's own)."""
    visible = Q(review_state=ReviewState.PUBLISHED)
    if user.is_authenticated:
        visible |= Q(lead_stakeholder__in=organisations_of(user))
        if user.has_perm("tracker.review_followupaction"):
            visible |= ~Q(review_state=ReviewState.DRAFT)
    return FollowUpAction.objects.filter(visible)


def action_list(actions: QuerySet[FollowUpAction] | None = None) -> QuerySet[FollowUpAction]:
    """Published follow-up actions (or `actions`: published_actions(), actions_visible_to(), or
    every action, which the workspace's views narrow) with everything a list, card or form shows
    about them, newest first; those not published yet come first. Each action's links come as
    lists, listed_recommendations, listed_countries, listed_partners and listed_evidence (read
    them through FollowUpAction.links()): Django's own prefetch builds a related manager and
    clones a queryset for each action and link, 2.7 of the 7.4 ms that fetching a page of 25
    cards took (docs/performance.md, twenty-fourth round)."""
    return (
        (published_actions() if actions is None else actions)
        .select_related("lead_stakeholder")
        .prefetch_related(
            Prefetch(
                "countries",
                queryset=Country.objects.order_by("short_name"),
                to_attr="listed_countries",
            ),
            Prefetch(
                "partners",
                queryset=Stakeholder.objects.order_by("name"),
                to_attr="listed_partners",
            ),
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.order_by("reference"),
                to_attr="listed_recommendations",
            ),
            Prefetch("evidence", to_attr="listed_evidence"),
        )
        # NULLS FIRST is PostgreSQL's own order for DESC (so its index still serves it); SQLite
        # would put them last without it.
        .order_by(F("published_at").desc(nulls_first=True), "-id")
    )


def good_practice_list() -> QuerySet[GoodPractice]:
    return GoodPractice.objects.select_related("consultation").prefetch_related(
        Prefetch("objectives", queryset=Objective.objects.order_by("number")),
        Prefetch("countries", queryset=Country.objects.order_by("short_name")),
        Prefetch("stakeholders", queryset=Stakeholder.objects.order_by("name")),
    )


def actions_in(countries) -> QuerySet[FollowUpAction]:
    """Published actions taken in any of `countries` (a country, a queryset or a list)."""
    if isinstance(countries, Country):
        countries = [countries]
    return published_actions().filter(
        Exists(ActionCountry.objects.filter(action=OuterRef("pk"), country__in=countries))
    )


def acted_by_keys(stakeholder: Stakeholder) -> QuerySet:
    """The keys (one column) of the actions `stakeholder` led or took part in as a partner,
    whatever their state, for key_among: one list of the keys of those it led (from index
    tracker_action_org_recent) and partnered (from tracker_actionpartner_keys), however many
    other actions there are. The list it filters chooses the states: an API token's list sees
    drafts."""
    # Unordered: the model's default order would sort every key in the subquery. One list of
    # keys (a UNION: an action it both led and partnered once) costs half what two arrays
    # tested in turn do (18 against 32 ms for 4,000 actions).
    led = FollowUpAction.objects.filter(lead_stakeholder=stakeholder).order_by().values("pk")
    partnered = ActionPartner.objects.filter(stakeholder=stakeholder).order_by().values("action")
    return led.union(partnered)


def key_among(keys: QuerySet, field: str = "pk") -> Q:
    """The rows whose `field` (their key by default) is among `keys` (one column), read first.
    Asked as `pk IN (SELECT …)` with an ORDER BY … LIMIT, PostgreSQL's planner may walk the whole
    table in the order's index testing each row (7 s over 2,000,000 actions for an organisation
    with no partnership); as `pk = ANY(ARRAY(SELECT …))` it reads the keys, then those rows by
    primary key (or by the index on `field`)."""
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__in": keys})
    from django.contrib.postgres.expressions import ArraySubquery

    # "pk = ANY(ARRAY(SELECT …))", as a condition of its own: a lookup would bracket the ANY.
    return Q(
        Func(
            F(field),
            ArraySubquery(keys),
            arg_joiner=" = ANY(",
            template="%(expressions)s)",
            output_field=BooleanField(),
        )
    )


def newest_actions_in(country: Country, limit: int) -> QuerySet[FollowUpAction]:
    """The `limit` newest published actions taken in `country`, as action_list() shows them.
    Their keys are the first entries of the country links' index by publication date
    (ActionCountry.action_published_at), instead of a walk down every published action testing
    each for the country (4,000 of them for Thailand's 25 at 2,000,000 actions)."""
    keys = (
        ActionCountry.objects.filter(country=country, action_published_at__isnull=False)
        .order_by("-action_published_at", "-action")
        .values("action")[:limit]
    )
    return action_list(published_actions().filter(key_among(keys)))


def recommendations_acted_on(actions: QuerySet[FollowUpAction]) -> QuerySet[Recommendation]:
    """Recommendations that at least one of `actions` is about."""
    return Recommendation.objects.filter(
        Exists(
            ActionRecommendation.objects.filter(
                recommendation=OuterRef("pk"), action__in=actions.values("pk")
            )
        )
    )


def recommendation_keys_acted_in(country: Country) -> QuerySet:
    """The keys (one column) of the recommendations a published action taken in `country` is
    about, read from the rows kept for it (CountryRecommendation), not from its action links."""
    kept = CountryRecommendation.objects.filter(country=country)
    return kept.order_by().values("recommendation")


def recommendations_acted_on_by(stakeholder: Stakeholder) -> QuerySet[Recommendation]:
    """Recommendations that a published action `stakeholder` led or took part in is about,
    read from the rows kept for it (StakeholderRecommendation), not from its action links."""
    return Recommendation.objects.filter(
        pk__in=StakeholderRecommendation.objects.filter(stakeholder=stakeholder).values(
            "recommendation"
        )
    )


def stakeholder_status_breakdown(stakeholder: Stakeholder) -> dict[str, int]:
    """How many of the recommendations `stakeholder` acted on are at each status (one query
    over its StakeholderRecommendation rows, however many actions and links it has)."""
    counts = dict(
        StakeholderRecommendation.objects.filter(stakeholder=stakeholder)
        .order_by()
        .values("recommendation__status")
        .annotate(n=Count("*"))
        .values_list("recommendation__status", "n")
    )
    return {status: counts.get(status, 0) for status in RecommendationStatus.values}


def objective_total(objective: Objective) -> int:
    """How many recommendations are under `objective`, from the counts the database keeps per
    objective and status (ObjectiveStatusCount: a row per status at most) instead of testing
    every recommendation for the objective (objective 13's 10,000 of 200,000: 14-20 ms)."""
    kept = ObjectiveStatusCount.objects.filter(objective=objective).aggregate(n=Sum("count"))
    return kept["n"] or 0


def objective_progress_list() -> list[tuple[Objective, dict[str, int]]]:
    """Every objective with the status breakdown of its recommendations (two queries), read from
    the summary table the database keeps (ObjectiveStatusCount)."""
    counts: dict[int, dict[str, int]] = {}
    for objective_id, status, n in ObjectiveStatusCount.objects.values_list(
        "objective_id", "status", "count"
    ):
        counts.setdefault(objective_id, {})[status] = n
    return [
        (
            objective,
            {s: counts.get(objective.pk, {}).get(s, 0) for s in RecommendationStatus.values},
        )
        for objective in Objective.objects.order_by("number")
    ]


def country_list() -> QuerySet[Country]:
    """Countries with their numbers of published actions and of good practices naming them."""
    return Country.objects.annotate(
        action_count=F("published_action_count"),
        good_practice_count=_count(GoodPractice.countries.through.objects.all(), "country"),
    ).order_by("subregion", "short_name")


def stakeholder_list() -> QuerySet[Stakeholder]:
    # led_action_count and partner_action_count are summary columns (services.actions).
    return Stakeholder.objects.select_related("country").order_by("name")


def consultation_list() -> QuerySet[Consultation]:
    return Consultation.objects.annotate(
        recommendation_count=_count(Recommendation.objects.all(), "consultation"),
        good_practice_count=_count(GoodPractice.objects.all(), "consultation"),
    ).order_by("-date", "slug")


@dataclass(frozen=True)
class DashboardSummary:
    recommendations: int
    with_progress: int
    published_actions: int
    active_countries: int
    active_stakeholders: int
    not_updated: int
    statuses: dict[str, int]

    @property
    def progress_share(self) -> float:
        return 100 * self.with_progress / self.recommendations if self.recommendations else 0.0


def dashboard_summary(*, now: datetime.datetime | None = None) -> DashboardSummary:
    """The dashboard's headline figures (a fixed handful of aggregate queries)."""
    now = now or timezone.now()
    statuses = recommendation_statuses()
    stale_before = timezone.localdate(now) - STALE_AFTER
    return DashboardSummary(
        recommendations=sum(statuses.values()),
        with_progress=sum(statuses[s] for s in RecommendationStatus.progress_states),
        # Every published action has one lead organisation, so their summary counts add up to
        # the number of published actions without counting millions of rows.
        published_actions=Stakeholder.objects.aggregate(n=Coalesce(Sum("led_action_count"), 0))[
            "n"
        ],
        active_countries=Country.objects.filter(published_action_count__gt=0).count(),
        active_stakeholders=Stakeholder.objects.filter(
            Q(led_action_count__gt=0) | Q(partner_action_count__gt=0)
        ).count(),
        not_updated=sum(statuses.values()) - _recently_updated(stale_before),
        statuses=statuses,
    )


def _recently_updated(since: datetime.date) -> int:
    """How many recommendations had a status take effect on or after `since`, in one query.

    A status counts from the date it took effect, not from when it was recorded: a change
    recorded today but effective eight months ago leaves the recommendation without an update for
    six months. A recommendation whose status never changed counts from its consultation, when
    it was made. The recent are few and found in indexes (tracker_recommendation_eff_on; the
    consultations' dates, then their recommendations); the others are what is left.
    """
    changed = Recommendation.objects.filter(status_effective_on__gte=since).order_by().values("pk")
    never_changed = (
        Recommendation.objects.filter(
            status_effective_on__isnull=True, consultation__date__gte=since
        )
        .order_by()
        .values("pk")
    )
    return changed.union(never_changed, all=True).count()


def status_change_list() -> QuerySet[StatusChange]:
    """Every status change, newest first, with the recommendation it changed."""
    return StatusChange.objects.select_related("recommendation").order_by("-changed_at", "-id")


def latest_status_changes(limit: int = 5) -> QuerySet[StatusChange]:
    return StatusChange.objects.select_related("recommendation").order_by("-changed_at", "-id")[
        :limit
    ]


def latest_published_actions(limit: int = 5) -> QuerySet[FollowUpAction]:
    return (
        published_actions()
        .select_related("lead_stakeholder")
        .order_by("-published_at", "-id")[:limit]
    )
