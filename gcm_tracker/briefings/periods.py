"""The pack's two sections read through the review selectors (tracker.changes and
tracker.staleness): what changed in the period, and the items that have gone quiet. Both are
capped like the pack's other lists; the counts are always whole."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from gcm_tracker.tracker import staleness
from gcm_tracker.tracker.changes import ChangeCounts, ChangeFilters, changes_between

from .models import PackKind
from .subjects import Subject


def change_filters(subject: Subject) -> ChangeFilters:
    if subject.kind == PackKind.COUNTRY:
        return ChangeFilters(country=subject.instance)
    if subject.kind == PackKind.OBJECTIVE:
        return ChangeFilters(objective=subject.instance)
    if subject.kind == PackKind.CONSULTATION:
        return ChangeFilters(consultation=subject.instance)
    return ChangeFilters(subregion=subject.key)


@dataclass
class PeriodChanges:
    counts: ChangeCounts
    regional: list
    cells: list
    new_assessments: list
    actions: list


@dataclass
class Stale:
    recommendation_months: int
    cell_months: int
    recommendations: list
    recommendation_total: int
    cells: list
    cell_total: int


def _capped(queryset, cap: int) -> tuple[list, int]:
    rows = list(queryset[:cap])
    return rows, len(rows) if len(rows) < cap else queryset.order_by().count()


def period_changes(
    subject: Subject, start: datetime.date, end: datetime.date, sources
) -> PeriodChanges:
    cap = settings.BRIEFING_PACK_ROWS
    changes = changes_between(since=start, until=end, filters=change_filters(subject))
    regional = list(changes.regional[:cap])
    for change in regional:
        change.source_number = sources.cite("", change.evidence_url, change.effective_date)
    cells = list(changes.cells[:cap])
    new = list(changes.new_assessments[:cap])
    for change in cells + new:
        change.source_number = sources.cite(
            change.source_title, change.source_url, change.source_date
        )
    return PeriodChanges(
        counts=changes.counts,
        regional=regional,
        cells=cells,
        new_assessments=new,
        actions=list(changes.actions[:cap]),
    )


def stale(subject: Subject) -> Stale:
    cap = settings.BRIEFING_PACK_ROWS
    filters = change_filters(subject)
    recommendations, recommendation_total = _capped(staleness.stale_recommendations(filters), cap)
    cells, cell_total = _capped(staleness.stale_cells(filters), cap)
    return Stale(
        recommendation_months=settings.GCM_STALE_RECOMMENDATION_MONTHS,
        cell_months=settings.GCM_STALE_CELL_MONTHS,
        recommendations=recommendations,
        recommendation_total=recommendation_total,
        cells=cells,
        cell_total=cell_total,
    )


def _voice(assessment) -> str:
    return (
        assessment.stakeholder.name
        if assessment.stakeholder
        else str(assessment.get_voice_display())
    )


def _cited(text: str, number) -> str:
    return f"{text} [{number}]" if number else text


def docx_changes(document, changes: PeriodChanges, table) -> None:
    counts = changes.counts
    table(
        document,
        [_("Change"), _("Number")],
        [
            [_("Recommendations moved up (regional status)"), counts.regional_up],
            [_("Recommendations moved down (regional status)"), counts.regional_down],
            [_("Country cells moved up"), counts.cells_up],
            [_("Country cells moved down"), counts.cells_down],
            [_("Country assessments newly published"), counts.new_assessments],
            [_("Follow-up actions published"), counts.actions],
        ],
    )
    if changes.regional:
        table(
            document,
            [_("Effective"), _("Recommendation"), _("From"), _("To")],
            [
                [
                    str(c.effective_date),
                    c.recommendation.reference,
                    c.get_old_status_display(),
                    _cited(c.get_new_status_display(), c.source_number),
                ]
                for c in changes.regional
            ],
        )
    moves = changes.cells + changes.new_assessments
    if moves:
        table(
            document,
            [_("Effective"), _("Country"), _("Recommendation"), _("Voice"), _("From"), _("To")],
            [
                [
                    str(c.effective_date),
                    c.assessment.country.short_name,
                    c.assessment.recommendation.reference,
                    _voice(c.assessment),
                    c.get_old_status_display() if c.old_status else _("(first assessment)"),
                    _cited(c.get_status_display(), c.source_number),
                ]
                for c in moves
            ],
        )


def docx_stale(document, quiet: Stale, table) -> None:
    document.add_paragraph(
        _(
            "Recommendations whose regional status nobody updated for %(r)s months, and country "
            "assessments not updated for %(c)s months: %(rn)s and %(cn)s."
        )
        % {
            "r": quiet.recommendation_months,
            "c": quiet.cell_months,
            "rn": quiet.recommendation_total,
            "cn": quiet.cell_total,
        }
    )
    if quiet.recommendations:
        table(
            document,
            [_("Recommendation"), _("Regional status"), _("Last updated")],
            [
                [r.reference, r.get_status_display(), r.last_update.isoformat()]
                for r in quiet.recommendations
            ],
        )
    if quiet.cells:
        table(
            document,
            [_("Country"), _("Recommendation"), _("Voice"), _("Status"), _("Last updated")],
            [
                [
                    a.country.short_name,
                    a.recommendation.reference,
                    _voice(a),
                    a.get_status_display(),
                    str(a.recorded_at.date()),
                ]
                for a in quiet.cells
            ],
        )
