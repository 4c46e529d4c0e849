"""Template filters for the country dimension's cells."""

from django import template

from gcm_tracker.dashboards.matrix import ABBREVIATIONS

register = template.Library()


@register.filter
def status_abbreviation(status: str) -> str:
    """The short name of a status in a matrix cell (the page's legend spells it out)."""
    return ABBREVIATIONS[status]
