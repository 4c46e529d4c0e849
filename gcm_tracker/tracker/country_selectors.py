"""Reads of the country dimension for the public pages: the recommendation × country matrix, a
country's scorecard, disagreements between the two voices, and the roll-ups.

The public reads only published values: `Assessment` rows (never AssessmentSubmission). A cell
is (recommendation, country); it is "not applicable" outside the recommendation's scope (never
counted), and "no information" in a voice where it is applicable but nobody assessed it. Every
function runs a fixed number of queries whatever the number of rows.
"""

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import get_language, ngettext, override
from django.utils.translation import gettext as _

from .enums import AssessmentVoice, RecommendationScope, RecommendationStatus, Subregion
from .models import (
    Assessment,
    AssessmentStatusCount,
    Country,
    DisagreementCount,
    Objective,
    ObjectiveScopeCount,
    Recommendation,
    RecommendationObjective,
    SelectedAreaCount,
)
from .scope import (
    ESCAP_MEMBERSHIPS,
    is_applicable,
    recommendations_applicable_to,
    selected_naming,
)
from .selectors import key_among, recommendation_count

OFFICIAL = AssessmentVoice.OFFICIAL.value
CIVIL_SOCIETY = AssessmentVoice.CIVIL_SOCIETY.value
STATUSES = RecommendationStatus.values
RANK = {status: rank for rank, status in enumerate(STATUSES)}
# Substantial progress or Implemented: what the country map shades by.
ADVANCED = (RecommendationStatus.SUBSTANTIAL.value, RecommendationStatus.IMPLEMENTED.value)


def _disagreeing(status: str) -> tuple[str, ...]:
    """The statuses two or more levels from `status`; an explicit "no information" disagrees
    with nothing (it says nothing about progress)."""
    if status == RecommendationStatus.NO_INFORMATION:
        return ()
    return tuple(
        other
        for other in STATUSES
        if other != RecommendationStatus.NO_INFORMATION and abs(RANK[other] - RANK[status]) >= 2
    )


DISAGREEING = {status: _disagreeing(status) for status in STATUSES}


def disagree(official: str, civil_society: str) -> bool:
    return civil_society in DISAGREEING[official]


@dataclass
class Cell:
    """One (recommendation, country) cell in the voices shown."""

    recommendation: Recommendation
    country: Country
    applicable: bool
    official: Assessment | None = None
    civil_society: list[Assessment] = field(default_factory=list)
    voices: tuple[str, ...] = tuple(AssessmentVoice.values)

    @property
    def disagreement(self) -> bool:
        return self.official is not None and any(
            disagree(self.official.status, a.status) for a in self.civil_society
        )

    @property
    def civil_society_statuses(self) -> list[str]:
        """The distinct civil-society statuses, least progress first."""
        return sorted({a.status for a in self.civil_society}, key=RANK.__getitem__)

    @property
    def accessible_name(self) -> str:
        """What a screen reader says for the cell, e.g. "Thailand, paragraph 87: Substantial
        progress, official; Limited progress, civil society (2 organisations)"."""
        phrases = _phrases(get_language())
        where = phrases["where"] % {
            "country": self.country.localized_name,
            "paragraph": self.recommendation.paragraph,
        }
        if not self.applicable:
            return phrases["not_applicable"] % {"where": where}
        labels = phrases["labels"]
        parts = []
        if OFFICIAL in self.voices:
            status = self.official.status if self.official else RecommendationStatus.NO_INFORMATION
            parts.append(phrases["official"] % {"status": labels[status]})
        if CIVIL_SOCIETY in self.voices:
            if self.civil_society:
                count = len(self.civil_society)
                parts.append(
                    ngettext(
                        "%(statuses)s, civil society (%(count)d organisation)",
                        "%(statuses)s, civil society (%(count)d organisations)",
                        count,
                    )
                    % {
                        "statuses": ", ".join(labels[s] for s in self.civil_society_statuses),
                        "count": count,
                    }
                )
            else:
                parts.append(phrases["civil_society"] % {"status": labels["no_information"]})
        name = phrases["name"] % {"where": where, "voices": "; ".join(parts)}
        if self.disagreement and len(parts) == 2:
            name += phrases["disagree"]
        return name


@functools.lru_cache(maxsize=32)
def _phrases(language: str) -> dict:
    """The words of cells' names, translated once per language: a matrix page names about 1,500
    cells, and looking each phrase up every time costs more than the rest of the page."""
    with override(language):
        return {
            "where": _("%(country)s, paragraph %(paragraph)s"),
            "not_applicable": _("%(where)s: not applicable"),
            "official": _("%(status)s, official"),
            "civil_society": _("%(status)s, civil society"),
            "name": _("%(where)s: %(voices)s"),
            "disagree": _(" (the voices disagree)"),
            "labels": {value: str(label) for value, label in RecommendationStatus.choices},
        }


def _assessments(recommendation_ids, country_ids, voices) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(
            recommendation_id__in=recommendation_ids, country_id__in=country_ids, voice__in=voices
        )
        .select_related("stakeholder")
        .order_by("stakeholder__name", "pk")
    )


def fill_cells(cells: Iterable[Cell], voices: Iterable[str] = AssessmentVoice.values) -> None:
    """Put the published assessments in `voices` into the applicable `cells` (one query)."""
    by_key = {(c.recommendation.pk, c.country.pk): c for c in cells if c.applicable}
    if not by_key:
        return
    rows = _assessments({r for r, _ in by_key}, {c for _, c in by_key}, tuple(voices))
    for assessment in rows:
        cell = by_key.get((assessment.recommendation_id, assessment.country_id))
        if cell is None:
            continue  # another pairing of a row and a column of the same query
        if assessment.voice == OFFICIAL:
            cell.official = assessment
        else:
            cell.civil_society.append(assessment)


def with_scope(recommendations: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Recommendations with their scope areas, so applicability is decided without a query."""
    return recommendations.select_related("consultation").prefetch_related("scope_areas")


@dataclass
class Matrix:
    countries: list[Country]
    rows: list[tuple[Recommendation, list[Cell]]]
    voices: tuple[str, ...]


def matrix(recommendations: list[Recommendation], columns: Q, voices: tuple[str, ...]) -> Matrix:
    """The matrix of `recommendations` (from with_scope(), one page of them) against the
    countries allowed by `columns` that at least one of them applies to (two queries)."""
    # Each recommendation's prefetched areas read once: .all() per cell costs a queryset each.
    areas = {r.pk: list(r.scope_areas.all()) for r in recommendations}
    named = {area.country_id for rows in areas.values() for area in rows if area.country_id}
    candidates = list(
        Country.objects.filter(columns)
        .filter(Q(membership__in=ESCAP_MEMBERSHIPS) | Q(pk__in=named))
        .order_by("short_name")
    )
    applies = {
        (r.pk, c.pk): is_applicable(r, c, areas[r.pk]) for r in recommendations for c in candidates
    }
    countries = [c for c in candidates if any(applies[r.pk, c.pk] for r in recommendations)]
    rows = [
        (r, [Cell(r, c, applies[r.pk, c.pk], voices=voices) for c in countries])
        for r in recommendations
    ]
    fill_cells((cell for _, cells in rows for cell in cells), voices)
    return Matrix(countries=countries, rows=rows, voices=voices)


def matrix_cells_in_chunks(recommendations: QuerySet[Recommendation], columns: Q, voices, size):
    """Every row of the filtered matrix, `size` recommendations at a time (for downloads): five
    queries per chunk (the recommendations with their scope areas and objectives, then matrix()'s
    two), so memory stays flat however long the matrix is."""
    ids = list(recommendations.values_list("pk", flat=True))
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        page = list(
            with_scope(Recommendation.objects.filter(pk__in=chunk))
            .prefetch_related("objectives")
            .order_by("consultation_id", "paragraph")
        )
        yield matrix(page, columns, voices)


def scorecard_recommendations(country: Country) -> QuerySet[Recommendation]:
    """The recommendations that apply to `country`, in report order (without their scope areas
    or consultation: every one applies, and a scorecard names each by its own columns)."""
    return Recommendation.objects.filter(recommendations_applicable_to(country)).order_by(
        "consultation_id", "paragraph"
    )


def scorecard_cells(country: Country, recommendations: list[Recommendation]) -> list[Cell]:
    """`country`'s cells for one page of its applicable recommendations, both voices (one
    query)."""
    cells = [Cell(r, country, True) for r in recommendations]
    fill_cells(cells)
    return cells


@dataclass(frozen=True)
class Distribution:
    """How many at each status in one voice; for the official voice "no information" includes
    the applicable cells nobody assessed."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def advanced(self) -> int:
        """How many at Substantial progress or Implemented."""
        return sum(self.counts[s] for s in ADVANCED)


def _official_distribution(counts: dict[str, int], applicable: int) -> Distribution:
    assessed = sum(n for s, n in counts.items() if s != RecommendationStatus.NO_INFORMATION)
    full = {s: counts.get(s, 0) for s in STATUSES}
    full[RecommendationStatus.NO_INFORMATION] = max(applicable - assessed, 0)
    return Distribution(full)


def _distribution(counts: dict[str, int]) -> Distribution:
    return Distribution({s: counts.get(s, 0) for s in STATUSES})


@dataclass(frozen=True)
class ObjectiveBreakdown:
    objective: Objective
    applicable: int
    official: Distribution
    civil_society: Distribution


@dataclass(frozen=True)
class Applicable:
    """How many recommendations apply to a country, in all and per objective."""

    total: int
    per_objective: dict[int, int]


def escap_wide() -> Applicable:
    """How many recommendations apply to every ESCAP member and associate member (those of
    scope ESCAP), in all and per objective, from the summary tables the database keeps
    (ScopeStatusCount, ObjectiveScopeCount; two queries)."""
    per_objective = dict(
        ObjectiveScopeCount.objects.filter(scope=RecommendationScope.ESCAP, count__gt=0)
        .order_by()
        .values_list("objective_id", "count")
    )
    return Applicable(recommendation_count(RecommendationScope.ESCAP), per_objective)


def applicable_counts(country: Country) -> Applicable:
    """How many recommendations apply to `country`, in all and per objective, without reading
    every recommendation (four queries; two for a country outside ESCAP): for an ESCAP member,
    the ESCAP-wide ones (escap_wide()), plus those of another scope that name it or its
    subregion (a partial index)."""
    # Of another scope, only SELECTED ones apply to a country: those naming it or its subregion.
    named = selected_naming(country)
    total = named.count()
    per_objective = Counter(_per_objective(named))
    if country.membership in ESCAP_MEMBERSHIPS:
        wide = escap_wide()
        total += wide.total
        per_objective.update(wide.per_objective)
    return Applicable(total, {pk: n for pk, n in per_objective.items() if n > 0})


def _per_objective(recommendations: QuerySet[Recommendation]) -> dict[int, int]:
    return dict(
        # The recommendations' keys first, then their links by the (recommendation, objective)
        # index: as a join, PostgreSQL read every link (265,000 at N = 200,000) for the 20,000
        # recommendations of another scope than ESCAP (64 ms; 21 ms so).
        RecommendationObjective.objects.filter(
            key_among(recommendations.order_by().values("pk"), "recommendation_id")
        )
        .order_by()
        .values("objective_id")
        .annotate(n=Count("*"))
        .values_list("objective_id", "n")
    )


def country_objective_breakdown(
    country: Country, applicable: Applicable
) -> list[ObjectiveBreakdown]:
    """Per objective, the applicable recommendations (`applicable`, from applicable_counts())
    and the status distribution in each voice (civil society: one per organisation's
    assessment), from the roll-ups (two queries)."""
    per_objective = applicable.per_objective
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for objective_id, voice, status, n in AssessmentStatusCount.objects.filter(
        country=country
    ).values_list("objective_id", "voice", "status", "count"):
        counts[objective_id, voice][status] = n
    return [
        ObjectiveBreakdown(
            objective=objective,
            applicable=per_objective[objective.pk],
            official=_official_distribution(
                counts[objective.pk, OFFICIAL], per_objective[objective.pk]
            ),
            civil_society=_distribution(counts[objective.pk, CIVIL_SOCIETY]),
        )
        # Every objective is read (there are 23), so the query runs whatever applies.
        for objective in Objective.objects.order_by("number")
        if objective.pk in per_objective
    ]


@dataclass(frozen=True)
class RecommendationCountries:
    cells: list[Cell]
    official: Distribution
    civil_society: Distribution


def recommendation_countries(recommendation: Recommendation) -> RecommendationCountries:
    """The countries `recommendation` applies to, each with both voices, and the regional
    distribution per voice from the roll-ups (four queries: its scope areas, unless prefetched,
    the countries, their cells and the roll-ups; for a REGIONAL recommendation the roll-ups
    alone)."""
    if recommendation.scope == RecommendationScope.REGIONAL:
        countries = []
    else:
        areas = list(recommendation.scope_areas.all())
        countries = list(
            Country.objects.filter(
                Q(membership__in=ESCAP_MEMBERSHIPS)
                | Q(pk__in=[a.country_id for a in areas if a.country_id])
            ).order_by("short_name")
        )
        countries = [c for c in countries if is_applicable(recommendation, c, areas)]
    cells = [Cell(recommendation, c, True) for c in countries]
    fill_cells(cells)
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for voice, status, n in AssessmentStatusCount.objects.filter(
        recommendation=recommendation
    ).values_list("voice", "status", "count"):
        counts[voice][status] = n
    return RecommendationCountries(
        cells=cells,
        official=_official_distribution(counts[OFFICIAL], len(countries)),
        civil_society=_distribution(counts[CIVIL_SOCIETY]),
    )


def disagreement_list() -> QuerySet[Assessment]:
    """The disagreeing official assessments, newest first: by the later of the official and the
    newest disagreeing civil-society assessment (`disagreed_at`, which the services keep: one
    range of a partial index, not a join of every cell with its civil-society assessments)."""
    return (
        Assessment.objects.filter(voice=OFFICIAL, disagreed_at__isnull=False)
        .select_related("recommendation", "country")
        .order_by("-disagreed_at", "-pk")
    )


def disagreement_count() -> int:
    """How many official assessments disagree with civil society's (disagreement_list()'s
    length), from the summary table the database keeps (DisagreementCount; one query)."""
    row = DisagreementCount.objects.filter(voice=OFFICIAL).values_list("count").first()
    return row[0] if row else 0


def disagreement_cells(officials: Iterable[Assessment]) -> list[Cell]:
    """The cells of a page of disagreement_list(), with every civil-society assessment of each
    (one query)."""
    cells = [Cell(a.recommendation, a.country, True, official=a) for a in officials]
    # The official assessment is already there: only civil society's are read.
    fill_cells(cells, (CIVIL_SOCIETY,))
    return cells


@dataclass(frozen=True)
class CountryFigures:
    """A country's place on the map and in its table."""

    country: Country
    applicable: int
    official: Distribution
    civil_society: Distribution

    @property
    def advanced_share(self) -> float | None:
        """Percent of applicable recommendations officially at Substantial progress or
        Implemented; None where nothing applies."""
        return 100 * self.official.advanced / self.applicable if self.applicable else None


def _country_totals(by: str, **filters) -> dict:
    """{(`by` value, voice): {status: count}} summed from the roll-ups' per-country totals (one
    query); `by` is "country_id" or "country__subregion"."""
    counts: dict = defaultdict(dict)
    for value, voice, status, n in (
        AssessmentStatusCount.objects.filter(
            country__isnull=False, objective__isnull=True, **filters
        )
        .order_by()
        .values(by, "voice", "status")
        .annotate(n=Sum("count"))
        .values_list(by, "voice", "status", "n")
    ):
        counts[value, voice][status] = n
    return counts


def country_figures() -> list[CountryFigures]:
    """Every ESCAP member and associate member with its applicable recommendations and the
    status distribution of its published assessments in each voice, from the roll-ups'
    per-country totals and the scope counts (four queries)."""
    countries = list(
        Country.objects.filter(membership__in=ESCAP_MEMBERSHIPS).order_by("short_name")
    )
    everywhere = recommendation_count(RecommendationScope.ESCAP)
    selected = _selected_counts(countries)
    applicable = {c.pk: everywhere + selected.get(c.pk, 0) for c in countries}
    counts = _country_totals("country_id")
    return [
        CountryFigures(
            country=c,
            applicable=applicable[c.pk],
            official=_official_distribution(counts[c.pk, OFFICIAL], applicable[c.pk]),
            civil_society=_distribution(counts[c.pk, CIVIL_SOCIETY]),
        )
        for c in countries
    ]


def country_distribution(country: Country, applicable: int) -> CountryFigures:
    """`country`'s published assessments per voice and status, over its `applicable`
    recommendations, from the roll-ups' per-country totals (one query)."""
    counts = _country_totals("country_id", country=country)
    return CountryFigures(
        country=country,
        applicable=applicable,
        official=_official_distribution(counts[country.pk, OFFICIAL], applicable),
        civil_society=_distribution(counts[country.pk, CIVIL_SOCIETY]),
    )


def _selected_counts(countries: list[Country]) -> dict[int, int]:
    """Country id → how many recommendations of scope SELECTED name it or its subregion, from
    the counts the database keeps (SelectedAreaCount; one query of a few hundred rows).

    Those naming the country, plus those naming its subregion, less those naming both: a
    count, not a read of the areas of every SELECTED recommendation (10,001 at N = 200,000,
    6.6 ms a view and growing with N).
    """
    named: dict[tuple[int | None, str], int] = {
        (country_id, subregion): n
        for country_id, subregion, n in SelectedAreaCount.objects.exclude(count=0).values_list(
            "country_id", "subregion", "count"
        )
    }
    counts = {}
    for c in countries:
        n = named.get((c.pk, ""), 0)
        if c.subregion:  # A country without one is named only by itself.
            n += named.get((None, c.subregion), 0) - named.get((c.pk, c.subregion), 0)
        if n:
            counts[c.pk] = n
    return counts


@dataclass(frozen=True)
class RollUp:
    label: str
    official: Distribution
    civil_society: Distribution


def subregion_rollup() -> list[RollUp]:
    """Published assessments per ESCAP subregion and voice: sums of the roll-ups' per-country
    totals (one query)."""
    counts = _country_totals("country__subregion")
    return [
        RollUp(
            str(label),
            _distribution(counts[value, OFFICIAL]),
            _distribution(counts[value, CIVIL_SOCIETY]),
        )
        for value, label in Subregion.choices
    ]


def objective_rollup() -> list[RollUp]:
    """Published assessments per objective and voice, summed over countries from the roll-ups
    (two queries); objectives with none are left out."""
    counts: dict = defaultdict(dict)
    for objective_id, voice, status, n in (
        # Per country and objective, summed over countries: never over objectives, which would
        # count a recommendation of two objectives twice.
        AssessmentStatusCount.objects.filter(objective__isnull=False)
        .order_by()
        .values("objective_id", "voice", "status")
        .annotate(n=Sum("count"))
        .values_list("objective_id", "voice", "status", "n")
    ):
        counts[objective_id, voice][status] = n
    counted = {key[0] for key, by_status in counts.items() if any(by_status.values())}
    return [
        RollUp(
            str(objective),
            _distribution(counts[objective.pk, OFFICIAL]),
            _distribution(counts[objective.pk, CIVIL_SOCIETY]),
        )
        # Every objective is read (there are 23), so the query runs whatever was counted.
        for objective in Objective.objects.order_by("number")
        if objective.pk in counted
    ]
