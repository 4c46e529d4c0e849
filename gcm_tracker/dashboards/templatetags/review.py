"""Template tags for "what has gone quiet" (tracker.staleness): the "no update since …" notes of
recommendation pages, scorecards and the matrix."""

from django import template

from gcm_tracker.tracker import staleness
from gcm_tracker.tracker.models import Assessment, Recommendation

register = template.Library()


@register.simple_tag
def quiet_since(row):
    """When `row` (a Recommendation, or an Assessment: one cell in one voice) was last updated,
    if that is longer ago than its threshold (settings); else None. Reads no query."""
    if isinstance(row, Recommendation):
        if staleness.recommendation_is_stale(row):
            return staleness.recommendation_last_update(row)
    elif isinstance(row, Assessment) and staleness.cell_is_stale(row):
        return row.recorded_at
    return None


@register.simple_tag
def cell_stale_threshold():
    """Cells last recorded before this have gone quiet."""
    return staleness.cell_threshold()
