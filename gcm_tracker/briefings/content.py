"""What a briefing pack says: every section's numbers and rows, read once, for the renderers
(briefings.render) to lay out as HTML (PDF and the browser's print view) or DOCX.

Reads only published values. Sections that list rows are capped (settings.BRIEFING_PACK_ROWS):
a pack at 200,000 recommendations stays a document of a few dozen pages, and says how many rows
it left out and where the full list is. Sources (assessments' and status changes' references) are
numbered in the order the pack cites them and listed at its end.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gcm_tracker.dashboards.charts import Segment, status_segments
from gcm_tracker.tracker import country_selectors, selectors
from gcm_tracker.tracker.country_selectors import CIVIL_SOCIETY, OFFICIAL, Cell
from gcm_tracker.tracker.enums import RecommendationStatus
from gcm_tracker.tracker.models import Assessment, Recommendation, StatusChange
from gcm_tracker.tracker.notifications import absolute
from gcm_tracker.tracker.scope import assessments_in_scope

from . import periods
from .models import PackKind
from .subjects import Subject


@dataclass(frozen=True)
class Chart:
    caption: str
    segments: list[Segment]

    @property
    def total(self) -> int:
        return sum(s.count for s in self.segments)


@dataclass
class Sources:
    """The references a pack cites, numbered in order of first citation."""

    entries: list[tuple[str, str, datetime.date | None]] = field(default_factory=list)
    _numbers: dict = field(default_factory=dict)

    def cite(self, title: str, url: str, date: datetime.date | None = None) -> int | None:
        """The number of the source (title, url); None when there is neither."""
        if not (title or url):
            return None
        key = (title, url)
        if key not in self._numbers:
            self.entries.append((title, url, date))
            self._numbers[key] = len(self.entries)
        return self._numbers[key]


@dataclass
class RecommendationRow:
    recommendation: Recommendation
    # Country packs: the cell with both voices, each assessment carrying `source_number`.
    # Other packs: per voice, (status label, count) for the statuses present, least progress first.
    cell: Cell | None = None
    official_counts: list[tuple[str, int]] = field(default_factory=list)
    civil_society_counts: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Pack:
    subject: Subject
    start: datetime.date
    end: datetime.date
    made_at: datetime.datetime
    generation: int
    link: str
    charts: list[Chart]
    headline: list[tuple[str, int]]
    recommendations: list[RecommendationRow]
    recommendation_total: int
    disagreements: list[Cell]
    disagreement_total: int
    actions: list
    action_total: int
    sources: Sources
    changes: "periods.PeriodChanges | None" = None
    stale: "periods.Stale | None" = None
    rows_cap: int = 0

    @property
    def recommendations_left_out(self) -> int:
        return self.recommendation_total - len(self.recommendations)

    @property
    def disagreements_left_out(self) -> int:
        return self.disagreement_total - len(self.disagreements)


STATUS_CHOICES = RecommendationStatus.choices

Progress = Callable[[int], None]


def _noop(percent: int) -> None:
    pass


def subject_link(subject: Subject) -> str:
    """The public page of the subject (absolute)."""
    if subject.kind == PackKind.COUNTRY:
        path = reverse("dashboards:country-detail", args=[subject.key])
    elif subject.kind == PackKind.OBJECTIVE:
        path = reverse("dashboards:objective-detail", args=[int(subject.key)])
    elif subject.kind == PackKind.CONSULTATION:
        path = reverse("dashboards:consultation-detail", args=[subject.key])
    else:
        path = reverse("dashboards:matrix") + f"?subregion={subject.key}"
    return absolute(path)


def _in_subject(subject: Subject, recommendations):
    """Published assessments in scope of the subject's recommendations and countries."""
    assessments = Assessment.objects.filter(assessments_in_scope()).filter(
        recommendation__in=recommendations.values("pk")
    )
    countries = subject.countries()
    if countries is not None:
        assessments = assessments.filter(country__in=countries)
    return assessments


def _voice_counts(assessments) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {OFFICIAL: {}, CIVIL_SOCIETY: {}}
    for voice, status, n in (
        assessments.order_by()
        .values("voice", "status")
        .annotate(n=Count("*"))
        .values_list("voice", "status", "n")
    ):
        counts[voice][status] = n
    return counts


def _charts(subject: Subject, recommendations, total: int) -> list[Chart]:
    charts = []
    if subject.kind == PackKind.COUNTRY:
        figures = country_selectors.country_distribution(subject.instance, total)
        official, civil_society = figures.official.counts, figures.civil_society.counts
    else:
        counts = _voice_counts(_in_subject(subject, recommendations))
        official, civil_society = counts[OFFICIAL], counts[CIVIL_SOCIETY]
        charts.append(
            Chart(
                _("Regional status of the recommendations"),
                status_segments(selectors.status_breakdown(recommendations)),
            )
        )
    charts.append(Chart(_("Official assessments"), status_segments(official)))
    charts.append(Chart(_("Civil-society assessments"), status_segments(civil_society)))
    return charts


def _rows(subject: Subject, page: list[Recommendation], sources: Sources):
    rows = [RecommendationRow(r) for r in page]
    if subject.kind == PackKind.COUNTRY:
        cells = country_selectors.scorecard_cells(subject.instance, page)
        for row, cell in zip(rows, cells, strict=True):
            row.cell = cell
            for assessment in [cell.official, *cell.civil_society]:
                if assessment is not None:
                    assessment.source_number = sources.cite(
                        assessment.source_title, assessment.source_url, assessment.source_date
                    )
        return rows
    by_recommendation: dict[int, dict[str, dict[str, int]]] = defaultdict(
        lambda: {OFFICIAL: {}, CIVIL_SOCIETY: {}}
    )
    countries = subject.countries()
    assessments = Assessment.objects.filter(assessments_in_scope()).filter(
        recommendation__in=[r.pk for r in page]
    )
    if countries is not None:
        assessments = assessments.filter(country__in=countries)
    for recommendation_id, voice, status, n in (
        assessments.order_by()
        .values("recommendation_id", "voice", "status")
        .annotate(n=Count("*"))
        .values_list("recommendation_id", "voice", "status", "n")
    ):
        by_recommendation[recommendation_id][voice][status] = n
    for row in rows:
        counts = by_recommendation[row.recommendation.pk]
        row.official_counts = _labelled(counts[OFFICIAL])
        row.civil_society_counts = _labelled(counts[CIVIL_SOCIETY])
    return rows


def _labelled(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(str(label), counts[value]) for value, label in STATUS_CHOICES if counts.get(value)]


def _disagreements(subject: Subject, cap: int) -> tuple[list[Cell], int]:
    officials = country_selectors.disagreement_list()
    if subject.kind == PackKind.COUNTRY:
        officials = officials.filter(country=subject.instance)
    elif subject.kind == PackKind.SUBREGION:
        officials = officials.filter(country__subregion=subject.key)
    elif subject.kind == PackKind.OBJECTIVE:
        officials = officials.filter(
            recommendation__in=Recommendation.objects.filter(objectives=subject.instance).values(
                "pk"
            )
        )
    else:
        officials = officials.filter(recommendation__consultation=subject.instance)
    page = list(officials[:cap])
    total = len(page) if len(page) < cap else officials.values("pk").distinct().count()
    return country_selectors.disagreement_cells(page), total


def _cite_status_changes(recommendations: list[Recommendation], sources: Sources, end) -> None:
    """Cite the evidence of the newest status change (up to the period's end) of each row."""
    changes = StatusChange.objects.filter(
        recommendation__in=[r.pk for r in recommendations], effective_date__lte=end
    ).order_by("recommendation_id", "-changed_at", "-id")
    newest: dict[int, StatusChange] = {}
    for change in changes.only("recommendation_id", "evidence_url", "effective_date"):
        newest.setdefault(change.recommendation_id, change)
    for recommendation in recommendations:
        change = newest.get(recommendation.pk)
        recommendation.evidence_source = (
            sources.cite("", change.evidence_url, change.effective_date) if change else None
        )


def build(
    subject: Subject,
    start: datetime.date,
    end: datetime.date,
    *,
    generation: int,
    progress: Progress = _noop,
) -> Pack:
    """Read everything the pack shows; `progress(percent)` is told as sections are read."""
    cap = settings.BRIEFING_PACK_ROWS
    sources = Sources()
    recommendations = subject.recommendations()
    total = recommendations.count()
    charts = _charts(subject, recommendations, total)
    progress(20)
    page = list(
        country_selectors.with_scope(recommendations)
        .prefetch_related(Prefetch("objectives"))
        .order_by("consultation_id", "paragraph", "sub_item", "pk")[:cap]
    )
    rows = _rows(subject, page, sources)
    _cite_status_changes(page, sources, end)
    progress(40)
    disagreements, disagreement_total = _disagreements(subject, cap)
    progress(50)
    actions = subject.actions()
    action_total = actions.count()
    latest_actions = list(selectors.action_list(actions)[: settings.BRIEFING_PACK_ACTIONS])
    for action in latest_actions:
        cited = (sources.cite(e.title, e.url) for e in action.links("evidence"))
        action.sources = [number for number in cited if number]
    changes = periods.period_changes(subject, start, end, sources)
    quiet = periods.stale(subject)
    progress(70)
    official = charts[-2]
    # Official cells with a status other than "no information" (the first segment).
    assessed = official.total - official.segments[0].count
    headline = [
        (_("Recommendations"), total),
        (_("Officially assessed"), assessed),
        (_("Civil-society assessments"), charts[-1].total),
        (_("Disagreements between the voices"), disagreement_total),
        (_("Published follow-up actions"), action_total),
        (_("Changes in the period"), changes.counts.total),
    ]
    return Pack(
        subject=subject,
        start=start,
        end=end,
        made_at=timezone.now(),
        generation=generation,
        link=subject_link(subject),
        charts=charts,
        headline=headline,
        recommendations=rows,
        recommendation_total=total,
        disagreements=disagreements,
        disagreement_total=disagreement_total,
        actions=latest_actions,
        action_total=action_total,
        sources=sources,
        changes=changes,
        stale=quiet,
        rows_cap=cap,
    )
