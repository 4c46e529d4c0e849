import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.filters import ActionFilter


class ActionWorkflowFilter(ActionFilter):
    """The public action list's filters, and the review state: a reviewer's token lists what
    waits for review with ?review_state=submitted. The public sees published actions only, so
    for them it narrows nothing further."""

    review_state = django_filters.ChoiceFilter(label=_("Review state"), choices=ReviewState.choices)


class KeptFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that leaves the filterset it builds on the view (`view.filterset`),
    so that the view can page from it (ActionViewSet's kept pages, the recommendations' kept
    length: pagination.KeptLengthPagination) without building and checking it again, which would
    run the filters' own queries (the country or organisation named) twice."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset
