"""Numbers shaped for the server-side SVG charts in templates/includes/.

Charts are drawn in percent of a 100-unit wide viewBox, so they scale to any screen width; every
chart is shown next to a table of the same numbers, and segments carry their label as text, so
colour is never the only carrier of meaning.
"""

from dataclasses import dataclass
from functools import cache

from django.utils.translation import get_language

from gcm_tracker.tracker.enums import RecommendationStatus


@dataclass(frozen=True)
class Segment:
    status: str
    label: str
    count: int
    share: float  # percent of the total
    x: float  # where the segment starts, in percent of the bar


def status_labels() -> dict[str, str]:
    """Each status's label in the active language: translated once per language, not once per
    segment (a snapshot comparison draws about a thousand)."""
    return _status_labels_in(get_language())


@cache
def _status_labels_in(language: str | None) -> dict[str, str]:
    # Called with the active language, so the lazy labels come out in it.
    return {status.value: str(status.label) for status in RecommendationStatus}


def status_segments(counts: dict[str, int]) -> list[Segment]:
    """One segment per status, in order of progress, for a stacked bar of `counts`."""
    total = sum(counts.values())
    labels = status_labels()
    segments, x = [], 0.0
    for status in RecommendationStatus.values:
        count = counts.get(status, 0)
        share = 100 * count / total if total else 0.0
        segments.append(Segment(status, labels[status], count, share, x))
        x += share
    return segments


def bar_width(value: int, largest: int) -> float:
    """`value` as a percent of `largest`, for a row of a horizontal bar chart."""
    return 100 * value / largest if largest else 0.0


@dataclass(frozen=True)
class ObjectiveRow:
    """An objective's line of the progress tables: its status segments, and how many of its
    recommendations show progress (Limited progress or better), as a count and a percent."""

    objective: object
    segments: list[Segment]
    total: int
    with_progress: int
    progress_share: float


def objective_rows(pairs) -> list[ObjectiveRow]:
    """[(objective, {status: count}), …] (selectors.objective_progress_list) as table rows."""
    rows = []
    for objective, counts in pairs:
        total = sum(counts.values())
        with_progress = sum(counts.get(s, 0) for s in RecommendationStatus.progress_states)
        share = 100 * with_progress / total if total else 0.0
        rows.append(ObjectiveRow(objective, status_segments(counts), total, with_progress, share))
    return rows
