"""Template tags for the country dimension's cells."""

import functools
from html import escape

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override

from gcm_tracker.dashboards.matrix import ABBREVIATIONS
from gcm_tracker.tracker.country_selectors import CIVIL_SOCIETY, OFFICIAL, Cell
from gcm_tracker.tracker.enums import RecommendationStatus

register = template.Library()

NO_INFORMATION = RecommendationStatus.NO_INFORMATION.value


@register.filter
def status_abbreviation(status: str) -> str:
    """The short name of a status in a matrix cell (the page's legend spells it out)."""
    return ABBREVIATIONS[status]


# A status's class in a matrix cell: short, as a page holds about a thousand cells (the page's
# CSS colours .matrix .s0 to .s4 as the legend's status-… classes).
STATUS_CLASS = {status: f"s{rank}" for rank, status in enumerate(RecommendationStatus.values)}


@functools.lru_cache(maxsize=32)
def _abbreviations(language: str) -> dict[tuple[str, bool], str]:
    """(status, civil society?) → its marked-up abbreviation, built once per language."""
    with override(language):
        return {
            (status, civil_society): format_html(
                '<i class="{}{}">{}</i>',
                STATUS_CLASS[status],
                " cs" if civil_society else "",
                ABBREVIATIONS[status],
            )
            for status in ABBREVIATIONS
            for civil_society in (False, True)
        }


@register.simple_tag
def matrix_cells(cells, scorecard_prefix: str):
    """A row's cells, drawn in one tag: a page holds about a thousand, and a tag a cell (its
    arguments resolved and its answer escaped by the template each time) cost a fifth of the
    page drawn with every cache emptied."""
    abbreviations = _abbreviations(get_language())
    return mark_safe("".join(_cell(cell, scorecard_prefix, abbreviations) for cell in cells))


def _cell(cell: Cell, scorecard_prefix: str, abbreviations) -> str:
    """One cell of the matrix: abbreviations to see (the legend spells them out; hidden from
    screen readers) and its full name to hear (visually hidden text, so that the link's name is
    its content: an aria-label naming more than the cell shows fails Lighthouse's label-content
    check); built in Python, as a page holds about a thousand of them and a template include
    per cell costs more than the rest of the page. The markup is kept small (short elements and
    classes): the cells are most of a page's bytes."""
    if not cell.applicable:
        return format_html(
            '<td class="na"><span class="visually-hidden">{}</span>'
            '<span aria-hidden="true">–</span></td>',
            cell.accessible_name,
        )
    # Built as plain strings (format_html per part costs more than the page's queries); every
    # value from the database is escaped (the standard library's escape: quotes included, as
    # Django's, without its lazy-string wrapper, which cost a third of the page). The country
    # code shows only on narrow screens, where the cells flow without the column headers.
    iso3 = escape(cell.country.iso3)
    shown = [f"<b>{iso3}</b>"]
    if OFFICIAL in cell.voices:
        status = cell.official.status if cell.official else NO_INFORMATION
        shown.append(abbreviations[status, False])
    if CIVIL_SOCIETY in cell.voices:
        statuses = cell.civil_society_statuses or [NO_INFORMATION]
        shown.extend(abbreviations[status, True] for status in statuses)
        if len(cell.civil_society) > 1:
            shown.append(f'<i class="n">×{len(cell.civil_society)}</i>')
    disagreement = cell.disagreement
    if disagreement:
        shown.append('<i class="f">!</i>')
    return (
        ('<td class="disagree">' if disagreement else "<td>")
        + f'<a href="{scorecard_prefix}{iso3}/#{escape(cell.recommendation.reference)}">'
        f'<span aria-hidden="true">{"".join(shown)}</span>'
        f'<span class="visually-hidden">{escape(cell.accessible_name)}</span></a></td>'
    )


@register.simple_tag
def scorecard_prefix() -> str:
    """The scorecards' address up to the country code (reversed once per page, not per cell)."""
    return reverse("dashboards:country-detail", args=["ISO"]).removesuffix("ISO/")
