import django_filters
from django.utils.translation import gettext_lazy as _

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.filters import ActionFilter


class ActionWorkflowFilter(ActionFilter):
    """The public action list's filters, and the review state: a reviewer's token lists what
    waits for review with ?review_state=submitted. The public sees published actions only, so
    for them it narrows nothing further."""

    review_state = django_filters.ChoiceFilter(label=_("Review state"), choices=ReviewState.choices)
