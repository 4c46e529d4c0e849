"""FilterSets of the country dimension's lists (country assessments and civil-society
submissions), with the natural keys people see in URLs, as tracker.filters' lists do."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from .enums import AssessmentVoice, RecommendationStatus, ReviewState, Subregion
from .filters import CONSULTATION_HELP, PublicFilterSet, _menu_filter
from .models import (
    Assessment,
    AssessmentSubmission,
    Consultation,
    Country,
    Objective,
    RecommendationObjective,
    Stakeholder,
)
from .objective_bits import about_objective
from .widgets import QuickSelect


def _of_objective(queryset, name, value):
    # EXISTS, not a join: a recommendation of two objectives must not list its cells twice.
    return queryset.filter(
        Exists(
            RecommendationObjective.objects.filter(
                recommendation=OuterRef("recommendation_id"), objective=value
            )
        )
    )


def _submission_of_objective(queryset, name, value):
    # The submission's own bits (migration 0041): no lookup per submission walked.
    return queryset.filter(about_objective(value.number))


def _objective_filter(method) -> django_filters.ModelChoiceFilter:
    return _menu_filter(
        _("Objective"), Objective.objects.order_by("number"), "number", method=method
    )


class AssessmentFilter(PublicFilterSet):
    """Published country assessments: by recommendation, country, subregion, objective,
    consultation, voice, organisation and status."""

    recommendation = django_filters.CharFilter(
        label=_("Recommendation reference"), field_name="recommendation__reference"
    )
    country = _menu_filter(
        _("Country"), Country.objects.order_by("short_name"), "iso3", field_name="country"
    )
    subregion = django_filters.ChoiceFilter(
        widget=QuickSelect,
        label=_("Subregion"),
        choices=Subregion.choices,
        field_name="country__subregion",
    )
    objective = _objective_filter(_of_objective)
    consultation = django_filters.ModelChoiceFilter(
        widget=forms.TextInput,
        label=_("Consultation"),
        help_text=CONSULTATION_HELP,
        queryset=Consultation.objects.all(),
        to_field_name="slug",
        field_name="recommendation__consultation",
    )
    voice = django_filters.ChoiceFilter(
        widget=QuickSelect, label=_("Voice"), choices=AssessmentVoice.choices
    )
    organisation = django_filters.ModelChoiceFilter(
        widget=forms.TextInput,
        label=_("Organisation"),
        help_text=_(
            "The organisation's code, as in the address of its page: e.g. "
            "international-detention-coalition."
        ),
        queryset=Stakeholder.objects.all(),
        to_field_name="slug",
        field_name="stakeholder",
    )
    status = django_filters.MultipleChoiceFilter(
        # Five values: checkboxes, which need no Ctrl-click and show what is chosen.
        widget=forms.CheckboxSelectMultiple,
        label=_("Status"),
        choices=RecommendationStatus.choices,
        distinct=False,
    )

    class Meta:
        model = Assessment
        fields = []


class AssessmentSubmissionFilter(AssessmentFilter):
    """Civil-society submissions a user may read, also by review state (a reviewer's queue is
    ?review_state=submitted)."""

    voice = None
    objective = _objective_filter(_submission_of_objective)
    review_state = django_filters.ChoiceFilter(
        widget=QuickSelect, label=_("Review state"), choices=ReviewState.choices
    )

    class Meta:
        model = AssessmentSubmission
        fields = []
