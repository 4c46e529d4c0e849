"""The list pages anyone can follow (Atom feed, e-mail digest), and what "changed in" each of
them means. One entry per list: its page, its FilterSet (the same one the page uses, so a feed
or a subscription has exactly the page's filters), and its items recorded in a time window:

- recommendations: regional status changes of the recommendations the filters keep;
- actions: follow-up actions published, among those the filters keep;
- matrix: published country assessments (first publications and changes) in the cells the
  filters keep (rows, columns and voices);
- changes: both of the above and published actions, under the review pages' filters
  (tracker.changes.ChangeFilters).

Windows are by *recorded* time (when the change reached the site), not by effective date: a
follower wants what is new since the last e-mail, and a change recorded today with an effective
date last year is new to them. (/changes/ itself places changes on their effective dates.)
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gcm_tracker.tracker import country_selectors, selectors
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.filters import ActionFilter, MatrixFilter, RecommendationFilter
from gcm_tracker.tracker.models import (
    AssessmentChange,
    Country,
    FollowUpAction,
    Recommendation,
    StatusChange,
)
from gcm_tracker.tracker.review_filters import ReviewFilter

# Parameters that page or sort a list: they never change which items it holds.
NOT_FILTERS = {"page", "sort", "show", "since", "until"}


@dataclass(frozen=True)
class Item:
    """One thing that changed, as a feed entry or a line of a digest."""

    when: datetime.datetime
    title: str
    summary: str
    path: str


@dataclass(frozen=True)
class FollowedView:
    key: str
    label: str
    url_name: str
    filterset: type
    items: Callable  # (valid filterset, after, before, limit) -> list[Item]

    def bind(self, data):
        """The filterset for `data` (a QueryDict); call is_valid() before reading it."""
        if self.key == "recommendations":
            queryset = selectors.recommendation_list()
        elif self.key == "actions":
            queryset = selectors.action_list()
        elif self.key == "matrix":
            queryset = country_selectors.with_scope(Recommendation.objects.all())
        else:
            queryset = StatusChange.objects.none()
        return self.filterset(data, queryset=queryset)

    def page_url(self, query: str) -> str:
        return reverse(self.url_name) + (f"?{query}" if query else "")


def normalise(view: FollowedView, data: QueryDict) -> tuple[str, object]:
    """The filters of `data` as a canonical query string (filter fields only, empty values and
    paging dropped, sorted), and the bound filterset; raises ValueError with the form's message
    when a filter is not valid."""
    fields = set(view.bind(QueryDict()).form.fields)
    kept = QueryDict(mutable=True)
    for name in sorted(set(data) & fields - NOT_FILTERS):
        values = sorted(v for v in data.getlist(name) if v.strip())
        if values:
            kept.setlist(name, values)
    filterset = view.bind(kept)
    if not filterset.is_valid():
        errors = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in filterset.form.errors.items()
        )
        raise ValueError(errors)
    return kept.urlencode(), filterset


def _window(field: str, after, before) -> Q:
    q = Q(**{f"{field}__lt": before})
    if after is not None:
        q &= Q(**{f"{field}__gte": after})
    return q


def _status_change_items(changes: QuerySet[StatusChange], limit) -> list[Item]:
    rows = changes.select_related("recommendation").order_by("-changed_at", "-id")[:limit]
    return [
        Item(
            c.changed_at,
            _("%(reference)s: %(old)s → %(new)s")
            % {
                "reference": c.recommendation.reference,
                "old": c.get_old_status_display(),
                "new": c.get_new_status_display(),
            },
            c.reason,
            reverse("dashboards:recommendation-detail", args=[c.recommendation.reference])
            + f"#change-{c.pk}",
        )
        for c in rows
    ]


def _action_items(actions: QuerySet[FollowUpAction], limit) -> list[Item]:
    rows = actions.select_related("lead_stakeholder").order_by("-published_at", "-id")[:limit]
    return [
        Item(
            a.published_at,
            _("%(title)s (%(organisation)s)")
            % {"title": a.title, "organisation": a.lead_stakeholder.name},
            a.description,
            f"{reverse('dashboards:action-list')}#action-{a.pk}",
        )
        for a in rows
    ]


def _assessment_items(changes: QuerySet[AssessmentChange], limit) -> list[Item]:
    rows = changes.select_related(
        "assessment__recommendation", "assessment__country", "assessment__stakeholder"
    ).order_by("-changed_at", "-id")[:limit]
    items = []
    for change in rows:
        cell = change.assessment
        voice = cell.stakeholder.name if cell.stakeholder else str(cell.get_voice_display())
        items.append(
            Item(
                change.changed_at,
                _("%(country)s, %(reference)s: %(status)s (%(voice)s)")
                % {
                    "country": cell.country.localized_name,
                    "reference": cell.recommendation.reference,
                    "status": change.get_status_display(),
                    "voice": voice,
                },
                change.summary,
                reverse("dashboards:country-detail", args=[cell.country.iso3])
                + f"#{cell.recommendation.reference}",
            )
        )
    return items


def _newest(items: list[Item], limit) -> list[Item]:
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit] if limit else items


def recommendation_items(filterset, after, before, limit=None) -> list[Item]:
    changes = StatusChange.objects.filter(
        _window("changed_at", after, before),
        recommendation__in=filterset.qs.order_by().values("pk"),
    )
    return _status_change_items(changes, limit)


def action_items(filterset, after, before, limit=None) -> list[Item]:
    actions = FollowUpAction.objects.filter(
        _window("published_at", after, before),
        review_state=ReviewState.PUBLISHED,
        pk__in=filterset.qs.order_by().values("pk"),
    )
    return _action_items(actions, limit)


def matrix_items(filterset, after, before, limit=None) -> list[Item]:
    changes = AssessmentChange.objects.filter(
        _window("changed_at", after, before),
        assessment__recommendation__in=filterset.qs.order_by().values("pk"),
        assessment__country__in=Country.objects.filter(filterset.column_q()),
        assessment__voice__in=filterset.voices,
    )
    return _assessment_items(changes, limit)


def review_items(filterset, after, before, limit=None) -> list[Item]:
    filters = filterset.change_filters()
    statuses = StatusChange.objects.filter(
        _window("changed_at", after, before), filters.recommendation_q("recommendation__")
    )
    cells = AssessmentChange.objects.filter(
        _window("changed_at", after, before), filters.cell_q("assessment__")
    )
    actions = FollowUpAction.objects.filter(filters.action_q(after, before))
    return _newest(
        _status_change_items(statuses, limit)
        + _assessment_items(cells, limit)
        + _action_items(actions, limit),
        limit,
    )


VIEWS = {
    view.key: view
    for view in [
        FollowedView(
            "recommendations",
            gettext_lazy("Recommendations"),
            "dashboards:recommendation-list",
            RecommendationFilter,
            recommendation_items,
        ),
        FollowedView(
            "actions",
            gettext_lazy("Follow-up actions"),
            "dashboards:action-list",
            ActionFilter,
            action_items,
        ),
        FollowedView(
            "matrix",
            gettext_lazy("Recommendations by country"),
            "dashboards:matrix",
            MatrixFilter,
            matrix_items,
        ),
        FollowedView(
            "changes",
            gettext_lazy("What changed"),
            "dashboards:changes",
            ReviewFilter,
            review_items,
        ),
    ]
}
