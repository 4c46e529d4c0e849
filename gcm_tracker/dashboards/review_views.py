"""Pages for review meetings: what changed between two dates (/changes/ and its feed), named
snapshots and their comparison, and what has gone quiet (/stale/).

All read the append-only histories through tracker.changes and tracker.staleness; nothing here
writes (GET and HEAD only). A filter or date the form does not accept answers 400 with the form's
message. Query counts do not grow with the data: overviews read the first rows of each section,
and a section's own list is paginated.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from gcm_tracker.tracker import staleness
from gcm_tracker.tracker.changes import (
    STATUS_ORDER,
    ChangeFilters,
    changes_between,
    distribution_as_of,
)
from gcm_tracker.tracker.enums import AssessmentVoice, Subregion
from gcm_tracker.tracker.models import Country, Objective, Snapshot, StatusChange
from gcm_tracker.tracker.review_filters import ChangesFilter, ReviewFilter
from gcm_tracker.tracker.snapshot_distributions import (
    current_distribution,
    snapshot_distribution,
)

from .charts import status_labels, status_segments
from .movement import Movements
from .page_cache import public_page

PAGE_SIZE = 25
# An overview shows this many items of each section, each linking to the section's full list.
SECTION_SIZE = 10

# The sections of /changes/: (name in URLs, attribute of tracker.changes.Changes, heading).
CHANGE_SECTIONS = (
    ("regional", "regional", gettext_lazy("Regional status changes")),
    ("cells", "cells", gettext_lazy("Country status changes")),
    ("assessments", "new_assessments", gettext_lazy("Newly published country assessments")),
    ("actions", "actions", gettext_lazy("Newly published follow-up actions")),
    ("recommendations", "recommendations", gettext_lazy("New recommendations from reports")),
)
STALE_SECTIONS = (
    ("recommendations", gettext_lazy("Recommendations whose regional status has gone quiet")),
    ("cells", gettext_lazy("Country assessments that have gone quiet")),
)


class CountedPaginator(Paginator):
    """A paginator told its count (already read with the page's other figures)."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


def _section_count(counts, name: str) -> int:
    return {
        "regional": counts.regional,
        "cells": counts.cells,
        "assessments": counts.new_assessments,
        "actions": counts.actions,
        "recommendations": counts.recommendations,
    }[name]


def _bad_request(request, template, context, message):
    return render(request, template, {**context, "error": message}, status=400)


@require_safe
@public_page
def changes(request):
    """What changed between `since` and `until`, grouped and counted, with the list filters."""
    filterset = ChangesFilter(request.GET, queryset=StatusChange.objects.none())
    context = {"filter": filterset, "sections": [], "show": None}
    if not filterset.is_valid():
        return render(request, "dashboards/changes.html", context, status=400)
    result = changes_between(
        since=filterset.since_date,
        until=filterset.until_date,
        filters=filterset.change_filters(),
    )
    show = request.GET.get("show", "")
    names = [name for name, _attribute, _heading in CHANGE_SECTIONS]
    if show and show not in names:
        return _bad_request(
            request,
            "dashboards/changes.html",
            context,
            _("“show” must be one of: %(names)s.") % {"names": ", ".join(names)},
        )
    counts = result.counts
    sections = []
    for name, attribute, heading in CHANGE_SECTIONS:
        if show and name != show:
            continue
        count = _section_count(counts, name)
        items = getattr(result, attribute)
        if show:
            page = CountedPaginator(items, PAGE_SIZE, count).get_page(request.GET.get("page"))
            rows = page.object_list
        else:
            page, rows = None, list(items[:SECTION_SIZE]) if count else []
        sections.append({"name": name, "heading": heading, "count": count, "rows": rows})
        context["page"] = page
    context.update(
        {"changes": result, "counts": counts, "sections": sections, "show": show or None}
    )
    return render(request, "dashboards/changes.html", context)


@require_safe
@public_page
def stale(request):
    """Recommendations and cells not updated since the thresholds (settings)."""
    filterset = ReviewFilter(request.GET, queryset=StatusChange.objects.none())
    context = {"filter": filterset, "sections": []}
    if not filterset.is_valid():
        return render(request, "dashboards/stale.html", context, status=400)
    show = request.GET.get("show", "")
    names = [name for name, _heading in STALE_SECTIONS]
    if show and show not in names:
        return _bad_request(
            request,
            "dashboards/stale.html",
            context,
            _("“show” must be one of: %(names)s.") % {"names": ", ".join(names)},
        )
    filters = filterset.change_filters()
    now = timezone.now()
    lists = {
        "recommendations": staleness.stale_recommendations(filters, now),
        "cells": staleness.stale_cells(filters, now),
    }
    # A section's first rows and one more, which tells "more" without counting them all.
    first_rows = {
        "recommendations": lambda count: staleness.first_stale_recommendations(filters, count, now),
        "cells": lambda count: list(lists["cells"][:count]),
    }
    sections = []
    for name, heading in STALE_SECTIONS:
        if show and name != show:
            continue
        items = lists[name]
        if show:
            page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
            rows, count = page.object_list, page.paginator.count
            context["page"] = page
        else:
            rows, count = first_rows[name](SECTION_SIZE + 1), None
        sections.append(
            {
                "name": name,
                "heading": heading,
                "rows": rows[:SECTION_SIZE] if not show else rows,
                "more": not show and len(rows) > SECTION_SIZE,
                "count": count,
            }
        )
    context.update(
        {
            "sections": sections,
            "show": show or None,
            "recommendation_threshold": staleness.recommendation_threshold(now),
            "cell_threshold": staleness.cell_threshold(now),
        }
    )
    return render(request, "dashboards/stale.html", context)


@require_safe
@public_page
def snapshot_list(request):
    page = Paginator(Snapshot.objects.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dashboards/snapshot_list.html", {"page": page})


NOW = "now"


@require_safe
def snapshot_compare_form(request):
    """The comparison form of /snapshots/ (works without JavaScript): redirects to the
    comparison's address; 400 if a moment is missing or not a snapshot's short name."""
    before, after = request.GET.get("before", ""), request.GET.get("after", "")
    slugs = {before, after} - {NOW}
    known = set(Snapshot.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    if not before or not after or slugs - known:
        return render(
            request,
            "dashboards/snapshot_list.html",
            {
                "page": Paginator(Snapshot.objects.all(), PAGE_SIZE).get_page(1),
                "error": _("Choose two snapshots (or a snapshot and now) to compare."),
            },
            status=400,
        )
    return redirect("dashboards:snapshot-compare", before, after)


def _moment(slug: str):
    """(label, date, snapshot or None) for a snapshot's slug or "now"; 404 for no such one."""
    if slug == NOW:
        return _("Now"), timezone.localdate(), None
    snapshot = get_object_or_404(Snapshot, slug=slug)
    return snapshot.name, snapshot.date, snapshot


def _movement_rows(before: dict[str, int], after: dict[str, int]) -> list[dict]:
    """Per status: count then, count now, and the difference."""
    labels = status_labels()
    return [
        {
            "status": status,
            "label": labels[status],
            "before": before.get(status, 0),
            "after": after.get(status, 0),
            "moved": after.get(status, 0) - before.get(status, 0),
        }
        for status in STATUS_ORDER
    ]


def _compared(label, before: dict[str, int], after: dict[str, int], movements) -> dict:
    """One distribution then and later, and its block drawn by the page's `movements` as
    "html"."""
    before_total, after_total = sum(before.values()), sum(after.values())
    item = {
        "label": label,
        "rows": _movement_rows(before, after),
        "bars": [
            (status_segments(before), before_total, movements.moments[0]),
            (status_segments(after), after_total, movements.moments[1]),
        ],
        "before_total": before_total,
        "after_total": after_total,
    }
    item["html"] = movements.html(item)
    return item


def _voices_added(by_voice: dict[str, dict[str, int]], voice: str) -> dict[str, int]:
    if voice:
        return by_voice.get(voice, {})
    total: dict[str, int] = {}
    for counts in by_voice.values():
        for status, n in counts.items():
            total[status] = total.get(status, 0) + n
    return total


def _distribution(snapshot, day, filters: ChangeFilters):
    """A snapshot's kept distribution (counted again only if stale or filtered), or now's
    (unfiltered: read from the roll-ups)."""
    if snapshot is None:
        if filters == ChangeFilters():
            return current_distribution()
        return distribution_as_of(day, filters)
    return snapshot_distribution(snapshot, filters)


@require_safe
@public_page
def snapshot_compare(request, before: str, after: str):
    """How the distributions moved from one snapshot (or now) to another, per objective
    (regional status), per subregion and per country (country cells)."""
    before_label, before_day, before_snapshot = _moment(before)
    after_label, after_day, after_snapshot = _moment(after)
    filterset = ReviewFilter(request.GET, queryset=StatusChange.objects.none())
    context = {
        "filter": filterset,
        "before": {"label": before_label, "day": before_day, "snapshot": before_snapshot},
        "after": {"label": after_label, "day": after_day, "snapshot": after_snapshot},
    }
    if not filterset.is_valid():
        return render(request, "dashboards/snapshot_compare.html", context, status=400)
    filters: ChangeFilters = filterset.change_filters()
    then = _distribution(before_snapshot, before_day, filters)
    later = _distribution(after_snapshot, after_day, filters)
    objectives = Objective.objects.filter(
        number__in=set(then.by_objective) | set(later.by_objective)
    ).order_by("number")
    country_ids = set(then.by_country) | set(later.by_country)
    countries = Country.objects.filter(pk__in=country_ids).order_by("short_name")
    subregion_labels = dict(Subregion.choices)
    movements = Movements(before_label, after_label)
    context.update(
        {
            "objectives": [
                _compared(
                    objective,
                    then.by_objective.get(objective.number, {}),
                    later.by_objective.get(objective.number, {}),
                    movements,
                )
                for objective in objectives
            ],
            "subregions": [
                _compared(
                    subregion_labels[value],
                    _voices_added(then.by_subregion.get(value, {}), filters.voice),
                    _voices_added(later.by_subregion.get(value, {}), filters.voice),
                    movements,
                )
                for value in Subregion.values
                if value in then.by_subregion or value in later.by_subregion
            ],
            "countries": [
                _compared(
                    country,
                    _voices_added(then.by_country.get(country.pk, {}), filters.voice),
                    _voices_added(later.by_country.get(country.pk, {}), filters.voice),
                    movements,
                )
                for country in countries
            ],
            "voice_label": dict(AssessmentVoice.choices).get(filters.voice, _("both voices")),
        }
    )
    return render(request, "dashboards/snapshot_compare.html", context)
