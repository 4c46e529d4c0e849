"""Admin screens for ESCAP staff.

Cheap to render (select_related, autocomplete for foreign keys) and never a way around the status
service: a recommendation's status is read-only here and changes through status_view(), which
calls tracker.services.recommendation_set_status(). Status history is view-only. The country
dimension's screens (assessments, their history, submissions, a recommendation's scope) are in
country_admin.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models as django_models
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import country_admin, models, services
from .admin_lists import LargeListMixin
from .country_admin import CountryCountsAdminMixin, RecommendationScopeAdminMixin, ScopeAreaInline
from .enums import ReviewState
from .forms import handle_status_form
from .importing.admin import ReportImportAdminMixin
from .roles import may_manage_memberships
from .snapshot_distributions import keep_distribution
from .translation_admin import TranslationsAdminMixin


class TrackerAdmin(LargeListMixin, admin.ModelAdmin):
    # Links typed without a scheme are taken as https (Django 6's default, chosen here now).
    formfield_overrides = {
        django_models.URLField: {"assume_scheme": "https"},
    }


@admin.register(models.Objective)
class ObjectiveAdmin(TranslationsAdminMixin, TrackerAdmin):
    list_display = ["number", "short_label", "title", "unofficial_languages"]
    search_fields = ["number", "short_label", "title"]


@admin.register(models.GuidingPrinciple)
class GuidingPrincipleAdmin(TranslationsAdminMixin, TrackerAdmin):
    list_display = ["letter", "name", "unofficial_languages"]
    search_fields = ["name"]


@admin.register(models.Tag)
class TagAdmin(TrackerAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Country)
class CountryAdmin(CountryCountsAdminMixin, TrackerAdmin):
    list_display = ["short_name", "iso3", "subregion", "membership"]
    list_filter = ["membership", "subregion"]
    search_fields = ["short_name", "name", "iso3"]


class MembershipFormSet(BaseInlineFormSet):
    """Refuses rows about the signed-in user unless they are a superuser: the autocomplete
    widget is not a check, and a direct POST reached the database."""

    user = None

    def clean(self):
        super().clean()
        if self.user is None or self.user.is_superuser:
            return
        for form in self.forms:
            if not (form.has_changed() or self._should_delete_form(form)):
                continue
            # The row's user before (initial) and after (cleaned) the change.
            chosen = getattr(form, "cleaned_data", {}).get("user")
            if self.user.pk in {form.initial.get("user"), getattr(chosen, "pk", None)}:
                raise ValidationError(
                    _("You cannot change your own memberships; ask an administrator.")
                )


class MembershipInline(admin.TabularInline):
    """Memberships are user management (roles.MEMBERSHIP_MANAGER): shown to staff, changed only
    by administrators and holders of the user-management permission."""

    model = models.Membership
    autocomplete_fields = ["user"]
    extra = 0
    formset = MembershipFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset

    def has_add_permission(self, request, obj=None):
        return may_manage_memberships(request.user) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return may_manage_memberships(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return may_manage_memberships(request.user) and super().has_delete_permission(request, obj)


@admin.register(models.Stakeholder)
class StakeholderAdmin(TrackerAdmin):
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind", "country__subregion"]
    list_select_related = ["country"]
    search_fields = ["name", "acronym", "slug"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(models.Consultation)
class ConsultationAdmin(TranslationsAdminMixin, ReportImportAdminMixin, TrackerAdmin):
    list_display = ["title", "date", "format"]
    list_filter = ["format", "objectives"]
    search_fields = ["title", "slug"]
    autocomplete_fields = ["objectives", "organisers"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "date"


class ReportParagraphAdmin(TranslationsAdminMixin, TrackerAdmin):
    """Shared by recommendations and good practices: the reference is set once, on creation."""

    list_select_related = ["consultation"]
    search_fields = ["reference", "short_title", "text"]
    # No consultation filter in the sidebar: thousands of links on every page (admin_lists).
    list_filter = ["objectives"]
    autocomplete_fields = ["consultation"]

    def get_readonly_fields(self, request, obj=None):
        # The reference is a citation; once made it never changes, and neither does its source.
        fields = ["reference", *self.readonly_fields]
        return [*fields, "consultation", "paragraph", "sub_item"] if obj else fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.reference = obj.reference_for(obj.consultation, obj.paragraph, obj.sub_item)
        super().save_model(request, obj, form, change)


class RecommendationObjectiveInline(admin.TabularInline):
    model = models.RecommendationObjective
    autocomplete_fields = ["objective"]
    extra = 0
    min_num = 1
    verbose_name = _("objective")
    verbose_name_plural = _("objectives")


class StatusChangeInline(admin.TabularInline):
    """The status history, newest first; nobody may add, edit or delete it here."""

    model = models.StatusChange
    fields = readonly_fields = [
        "changed_at",
        "old_status",
        "new_status",
        "reason",
        "evidence_url",
        "effective_date",
        "changed_by",
    ]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


@admin.register(models.Recommendation)
class RecommendationAdmin(RecommendationScopeAdminMixin, ReportParagraphAdmin):
    list_display = [
        "reference",
        "short_title",
        "paragraph",
        "consultation",
        "status",
        "status_changed_at",
    ]
    list_filter = [
        "status",
        "scope",
        *ReportParagraphAdmin.list_filter,
        "guiding_principles",
        "tags",
    ]
    readonly_fields = ["status", "version", "status_changed_at", "status_effective_on", "scope"]
    filter_horizontal = ["guiding_principles", "tags"]
    inlines = [RecommendationObjectiveInline, ScopeAreaInline, StatusChangeInline]

    def get_urls(self):
        return [
            path(
                "<int:pk>/status/",
                self.admin_site.admin_view(self.status_view),
                name="tracker_recommendation_status",
            ),
            *super().get_urls(),
        ]

    def status_view(self, request, pk):
        """Change a recommendation's status through the status service (tracker.forms)."""
        if not request.user.has_perm("tracker.set_status"):
            raise PermissionDenied
        recommendation = get_object_or_404(
            models.Recommendation.objects.select_related("consultation"), pk=pk
        )
        outcome = handle_status_form(request, recommendation)
        if outcome.saved:
            if outcome.change is None:
                message = _("The status was already that; nothing changed.")
            else:
                message = _("Status set to “%(status)s”.") % {
                    "status": outcome.change.get_new_status_display()
                }
            self.message_user(request, message, messages.SUCCESS)
            return redirect(reverse("admin:tracker_recommendation_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change status of %(reference)s") % {"reference": recommendation.reference},
            "opts": self.opts,
            "original": recommendation,
            "form": outcome.form,
            "conflict": outcome.conflict,
        }
        return TemplateResponse(
            request,
            "admin/tracker/recommendation/status_form.html",
            context,
            status=outcome.http_status,
        )


@admin.register(models.StatusChange)
class StatusChangeAdmin(TrackerAdmin):
    """Read-only: history is written only by the status service and never edited."""

    list_display = ["recommendation", "old_status", "new_status", "effective_date", "changed_at"]
    list_filter = ["new_status", "changed_at"]
    # A recommendation is shown with its consultation's title.
    list_select_related = ["recommendation__consultation"]
    search_fields = ["recommendation__reference", "reason"]
    # No date hierarchy: it reads the distinct dates of every change; the date filter does not.

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.GoodPractice)
class GoodPracticeAdmin(ReportParagraphAdmin):
    list_display = ["reference", "short_title", "paragraph", "consultation"]
    list_filter = [*ReportParagraphAdmin.list_filter, "countries"]
    autocomplete_fields = [
        *ReportParagraphAdmin.autocomplete_fields,
        "objectives",
        "countries",
        "stakeholders",
    ]


class ActionLinkInline(admin.TabularInline):
    """A published action's links are fixed: the public summary counts were made from them."""

    extra = 0

    def _editable(self, obj):
        return obj is None or obj.review_state != ReviewState.PUBLISHED

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class ActionRecommendationInline(ActionLinkInline):
    model = models.ActionRecommendation
    autocomplete_fields = ["recommendation"]
    min_num = 1


class ActionCountryInline(ActionLinkInline):
    model = models.ActionCountry
    autocomplete_fields = ["country"]


class ActionPartnerInline(ActionLinkInline):
    model = models.ActionPartner
    autocomplete_fields = ["stakeholder"]


class ActionEvidenceInline(ActionLinkInline):
    model = models.ActionEvidence
    formfield_overrides = TrackerAdmin.formfield_overrides


@admin.register(models.FollowUpAction)
class FollowUpActionAdmin(TrackerAdmin):
    list_display = [
        "title",
        "lead_stakeholder",
        "action_type",
        "progress",
        "review_state",
        "start_date",
    ]
    list_filter = [
        "review_state",
        "action_type",
        "progress",
        # No organisation filter in the sidebar (hundreds of links): search by its name. No
        # date hierarchy either (it reads every row's date): a date filter.
        "start_date",
        "countries",
        "recommendations__objectives",
    ]
    list_select_related = ["lead_stakeholder"]
    # Newest first by the primary key's index (the model's start-date order would sort them all).
    ordering = ["-id"]
    search_fields = ["title", "description", "lead_stakeholder__name"]
    autocomplete_fields = ["lead_stakeholder"]
    # Review moves through the review workflow, which records who reviewed and when.
    readonly_fields = [
        "review_state",
        "review_note",
        "created_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "published_at",
        "version",
    ]

    def get_readonly_fields(self, request, obj=None):
        # A published action is counted in its organisation's public figures
        # (Stakeholder.led_action_count): like its links (ActionLinkInline), its organisation
        # stays as it was published.
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.review_state == ReviewState.PUBLISHED:
            return [*fields, "lead_stakeholder"]
        return fields

    def has_change_permission(self, request, obj=None):
        # Four eyes: an action not yet published is its contributors' work under review; staff
        # who changed it could then publish words its authors never wrote. They view it here.
        unpublished = obj is not None and obj.review_state != ReviewState.PUBLISHED
        if unpublished and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # Who created it, so that they cannot also review it (services.actions, four eyes).
        if not change:
            obj.created_by = request.user
        else:
            # A contributor's form opened before this edit is now stale (services.actions).
            obj.version += 1
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # Published actions stay: they are public record and counted in the public figures.
        published = obj is not None and obj.review_state == ReviewState.PUBLISHED
        return not published and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # The bulk delete action would bypass the check above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    inlines = [
        ActionRecommendationInline,
        ActionCountryInline,
        ActionPartnerInline,
        ActionEvidenceInline,
    ]


@admin.register(models.AccountRequest)
class AccountRequestAdmin(TrackerAdmin):
    """Requests from the public form. Staff attach the organisation, then approve or decline."""

    list_display = ["organisation_name", "name", "email", "country", "state", "created_at"]
    list_filter = ["state"]
    list_select_related = ["country"]
    search_fields = ["organisation_name", "name", "email"]
    autocomplete_fields = ["stakeholder", "country"]
    readonly_fields = ["requested_by", "state", "decided_by", "decided_at", "created_at"]
    actions = ["approve", "decline"]

    def get_readonly_fields(self, request, obj=None):
        # The address is the requester's own: the account is made for it and four eyes compare
        # it with the reviewer's. Edited by staff, it could send a stranger's account (and its
        # password link) to an address of their choosing. Staff fix names; a wrong address means
        # a new request.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "email"] if obj is not None else fields

    def _decide(self, request, queryset, service, done_message):
        # Four eyes, before anything is decided: a selection with one of the reviewer's own
        # requests in it is refused whole (403), so no part of it changes.
        for account_request in queryset:
            services.require_account_request_reviewer(account_request, request.user)
        decided = 0
        for account_request in queryset:
            try:
                service(account_request=account_request, reviewer=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{account_request}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                decided += 1
        if decided:
            self.message_user(request, done_message(decided) % {"count": decided}, messages.SUCCESS)

    @admin.action(description=_("Approve: create the contributor accounts"))
    def approve(self, request, queryset):
        self._decide(
            request,
            queryset,
            services.account_request_approve,
            lambda n: ngettext(
                "%(count)d account created; it was e-mailed a link to choose a password.",
                "%(count)d accounts created; each was e-mailed a link to choose a password.",
                n,
            ),
        )

    @admin.action(description=_("Decline the requests"))
    def decline(self, request, queryset):
        self._decide(
            request,
            queryset,
            services.account_request_decline,
            lambda n: ngettext(
                "%(count)d request declined; the requester was told by e-mail.",
                "%(count)d requests declined; each requester was told by e-mail.",
                n,
            ),
        )


country_admin.register(admin.site)


@admin.register(models.Snapshot)
class SnapshotAdmin(TrackerAdmin):
    """Named moments for review meetings: labels on dates, so editing one changes no data."""

    list_display = ["name", "date", "slug", "created_by"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        # Counted once the save (and the generation it moves on) is committed, so the kept
        # distribution carries the generation that follows the save.
        transaction.on_commit(lambda: keep_distribution(obj))
