"""Admin screens for the country dimension, and never a way around its services.

Assessments, their history and civil-society submissions are view-only here: the services write
them (staff record official assessments and review submissions in the staff area; the admin may
publish submitted ones through the same service). A recommendation's scope is read-only on its
form and changes through scope_view(), which calls recommendation_set_scope(). Edits the admin does
allow that move what the roll-ups count (a recommendation's objectives, a country's subregion or
ESCAP membership) rebuild them in the same request, as the services would.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models as django_models
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import models, services
from .admin_lists import LargeListMixin
from .enums import RecommendationScope, Subregion
from .services.assessment_counts import Selection, assessment_counts_rebuild
from .services.assessment_flags import assessment_flags_refresh


class ViewOnlyMixin:
    """Rows written only by services: listed and shown, never added, edited or deleted here."""

    # As admin.TrackerAdmin (which imports this module): links without a scheme are https.
    formfield_overrides = {django_models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssessmentChangeInline(ViewOnlyMixin, admin.TabularInline):
    """A cell's history, newest first."""

    model = models.AssessmentChange
    fk_name = "assessment"
    fields = readonly_fields = [
        "changed_at",
        "old_status",
        "status",
        "effective_date",
        "source_title",
        "source_url",
        "reason",
        "changed_by",
        "submission",
    ]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class AssessmentAdmin(LargeListMixin, ViewOnlyMixin, admin.ModelAdmin):
    list_display = [
        "recommendation",
        "country",
        "voice",
        "stakeholder",
        "status",
        "effective_date",
        "recorded_at",
    ]
    # No consultation filter in the sidebar (thousands of links, admin_lists): search instead;
    # a date filter rather than a date hierarchy, which reads every row's date.
    list_filter = ["voice", "status", "country__subregion", "recorded_at"]
    list_select_related = ["recommendation__consultation", "country", "stakeholder"]
    search_fields = [
        "recommendation__reference",
        "country__iso3",
        "country__short_name",
        "stakeholder__name",
    ]
    inlines = [AssessmentChangeInline]


class AssessmentChangeAdmin(LargeListMixin, ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["assessment", "old_status", "status", "effective_date", "changed_at"]
    list_filter = ["status", "assessment__voice", "changed_at"]
    list_select_related = [
        "assessment__recommendation__consultation",
        "assessment__country",
    ]
    search_fields = ["assessment__recommendation__reference", "assessment__country__iso3"]


class AssessmentSubmissionAdmin(LargeListMixin, ViewOnlyMixin, admin.ModelAdmin):
    list_display = [
        "recommendation",
        "country",
        "stakeholder",
        "status",
        "review_state",
        "submitted_at",
    ]
    list_filter = ["review_state", "status", "country__subregion"]
    list_select_related = ["recommendation__consultation", "country", "stakeholder"]
    search_fields = ["recommendation__reference", "country__iso3", "stakeholder__name"]
    actions = ["publish"]

    @admin.action(
        description=_("Publish the submitted assessments"),
        permissions=["review"],
    )
    def publish(self, request, queryset):
        published = 0
        for submission in queryset:
            try:
                services.assessment_submission_publish(submission=submission, reviewer=request.user)
            except (
                PermissionDenied,
                ValidationError,
                services.AssessmentStateError,
            ) as error:
                message = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{submission}: {message}", messages.ERROR)
            else:
                published += 1
        if published:
            self.message_user(
                request,
                ngettext(
                    "%(count)d assessment published.", "%(count)d assessments published.", published
                )
                % {"count": published},
                messages.SUCCESS,
            )

    def has_review_permission(self, request):
        return request.user.has_perm("tracker.review_assessmentsubmission")


class ScopeAreaInline(ViewOnlyMixin, admin.TabularInline):
    model = models.RecommendationScopeArea
    fields = readonly_fields = ["subregion", "country"]
    extra = 0
    verbose_name_plural = _("applies to (selected scope)")


class ScopeForm(forms.Form):
    """Input for recommendation_set_scope(); the service does the validation that matters."""

    scope = forms.ChoiceField(
        label=_("Applies to"), choices=RecommendationScope.choices, widget=forms.RadioSelect
    )
    subregions = forms.MultipleChoiceField(
        label=_("Subregions"),
        choices=Subregion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for a selected scope: every country of these subregions."),
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"),
        queryset=models.Country.objects.order_by("short_name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for a selected scope: these countries as well."),
    )


class RecommendationScopeAdminMixin:
    """For RecommendationAdmin: scope through the service, roll-ups kept when objectives change."""

    def get_urls(self):
        return [
            path(
                "<int:pk>/scope/",
                self.admin_site.admin_view(self.scope_view),
                name="tracker_recommendation_scope",
            ),
            *super().get_urls(),
        ]

    def scope_view(self, request, pk):
        """Change which countries a recommendation applies to, through the scope service."""
        if not request.user.has_perm("tracker.change_recommendation"):
            raise PermissionDenied
        recommendation = get_object_or_404(models.Recommendation, pk=pk)
        areas = list(recommendation.scope_areas.all())
        form = ScopeForm(
            request.POST or None,
            initial={
                "scope": recommendation.scope,
                "subregions": [a.subregion for a in areas if a.subregion],
                "countries": [a.country_id for a in areas if a.country_id],
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.recommendation_set_scope(
                    recommendation=recommendation, changed_by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                for field, field_messages in error.message_dict.items():
                    form.add_error(field, field_messages)
            else:
                self.message_user(
                    request,
                    _("It now applies to: %(scope)s.")
                    % {"scope": recommendation.get_scope_display()},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:tracker_recommendation_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Where %(reference)s applies") % {"reference": recommendation.reference},
            "opts": self.opts,
            "original": recommendation,
            "form": form,
        }
        return TemplateResponse(request, "admin/tracker/recommendation/scope_form.html", context)

    def save_related(self, request, form, formsets, change):
        # The per-country roll-ups are kept per objective: moving a recommendation to other
        # objectives moves its assessments between them.
        recommendation = form.instance
        before = set(_objective_ids(recommendation))
        super().save_related(request, form, formsets, change)
        after = set(_objective_ids(recommendation))
        if before != after:
            assessment_counts_rebuild(
                Selection.of(recommendation_ids=[], objective_ids=before | after, country_ids=[])
            )


def _objective_ids(recommendation):
    return models.RecommendationObjective.objects.filter(recommendation=recommendation).values_list(
        "objective_id", flat=True
    )


class CountryCountsAdminMixin:
    """For CountryAdmin: a country's subregion and membership decide where it is in scope."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"subregion", "membership"} & set(form.changed_data):
            # Rare (a country changes subregion or joins ESCAP), so rebuild every roll-up, in
            # the admin's transaction, after the scope flags of the country's assessments.
            assessment_flags_refresh(country_id=obj.pk)
            assessment_counts_rebuild()


def register(site) -> None:
    site.register(models.Assessment, AssessmentAdmin)
    site.register(models.AssessmentChange, AssessmentChangeAdmin)
    site.register(models.AssessmentSubmission, AssessmentSubmissionAdmin)
