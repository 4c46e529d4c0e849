"""The contributor area (an organisation's own follow-up actions) and the staff area (the review
queue and the status form); country assessments are in assessments.py (civil society, and their
review) and official.py (staff's official ones). Views only parse requests and call
tracker.services; every write is a POST with a CSRF token, and every object is looked up within
what the user may see, so another organisation's action answers 404 rather than revealing that it
exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gcm_tracker.dashboards.page_cache import work_page
from gcm_tracker.tracker import selectors, services
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.forms import handle_status_form
from gcm_tracker.tracker.models import (
    AssessmentSubmission,
    FollowUpAction,
    Recommendation,
)
from gcm_tracker.tracker.translation import columns

from .filtering import WorkFilterForm
from .forms import ActionForm, PublishForm, ReturnForm
from .paging import COUNT_LIMIT, bounded_count, paged
from .steps import add_errors, posted_version, review_round_trip, run_step

review_required = permission_required("tracker.review_followupaction", raise_exception=True)


_organisations = selectors.organisations_of


def _actions():
    """Actions in any state with what their cards and forms read (selectors.action_list())."""
    return selectors.action_list(FollowUpAction.objects.all())


def _listed_actions():
    """Actions as the workspace's and the queue's tables show them: a title, an organisation, a
    state and a date (no links prefetched, no descriptions read)."""
    return FollowUpAction.objects.select_related("lead_stakeholder").only(
        "title", "review_state", "updated_at", "submitted_at", "lead_stakeholder__name"
    )


def _listed_submissions():
    """Assessments as the workspace's and the queue's tables show them: the cell (the
    recommendation's name and reference, the country), a status, an organisation, a state and
    two dates; no summaries, sources or recommendation texts read (at N = 200,000 a page of 25
    rows was 725 bytes wide each)."""
    return AssessmentSubmission.objects.select_related(
        "recommendation", "country", "stakeholder"
    ).only(
        "status", "review_state", "updated_at", "submitted_at", "stakeholder__name",
        "recommendation__reference", "recommendation__paragraph", "recommendation__sub_item",
        *(f"recommendation__{name}" for name in columns(Recommendation)),
        "country__iso3", "country__short_name",
    )  # fmt: skip


def _own_action(request, pk) -> FollowUpAction:
    """An action of one of the user's organisations; 404 for anyone else's."""
    return get_object_or_404(_actions(), pk=pk, lead_stakeholder__in=_organisations(request.user))


def _filter_form(request, **options) -> tuple[WorkFilterForm, bool]:
    """The lists' filter form bound to the query string, and whether its values are valid."""
    form = WorkFilterForm(request.GET, **options)
    return form, form.is_valid()


def _paged(request, form, valid, rows, narrow, param):
    """A page of `rows` narrowed by the form (`narrow` is its method for them), or of no rows
    when its values are invalid; a narrowed list's count is bounded lower (workspace.paging)."""
    if not valid:
        return paged(request, rows.none(), param)
    return paged(request, narrow(rows), param, filtered=form.narrows())


@login_required
@work_page
def home(request):
    user = request.user
    organisations = list(_organisations(user))
    form, valid = _filter_form(request, organisation=len(organisations) > 1)
    actions = (
        _listed_actions().filter(lead_stakeholder__in=organisations).order_by("-updated_at", "-id")
    )
    submissions = (
        _listed_submissions().filter(stakeholder__in=organisations).order_by("-updated_at", "-id")
    )
    reviews_actions = user.has_perm("tracker.review_followupaction")
    reviews_assessments = user.has_perm("tracker.review_assessmentsubmission")
    submitted = {"review_state": ReviewState.SUBMITTED}
    return render(
        request,
        "workspace/home.html",
        {
            "organisations": organisations,
            "filter": {"form": form, "errors": form.errors},
            "actions": _paged(request, form, valid, actions, form.actions, "actions_page"),
            "assessments": _paged(
                request, form, valid, submissions, form.submissions, "assessments_page"
            ),
            "is_reviewer": reviews_actions or reviews_assessments,
            "records_official": user.has_perm("tracker.record_official"),
            "waiting": bounded_count(FollowUpAction.objects.filter(**submitted))
            if reviews_actions
            else None,
            "waiting_assessments": bounded_count(AssessmentSubmission.objects.filter(**submitted))
            if reviews_assessments
            else None,
            "count_limit": COUNT_LIMIT,
        },
        status=200 if valid else 400,
    )


@login_required
def action_create(request):
    organisations = _organisations(request.user)
    if not organisations.exists():
        raise Http404(_("You are not a member of any organisation yet."))
    form = ActionForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            # "Save and submit" creates and submits in one transaction: all or nothing.
            action = services.follow_up_action_create(
                author=request.user,
                lead_stakeholder=form.cleaned_data["lead_stakeholder"],
                content=form.content(),
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _after_save(request, action)
    return render(request, "workspace/action_form.html", {"form": form, "action": None})


def _after_save(request, action):
    if action.review_state == ReviewState.SUBMITTED:
        messages.success(request, _("Submitted for review. Staff will publish it or reply."))
    else:
        messages.success(request, _("Saved as a draft. Submit it when it is ready."))
    return redirect("workspace:action-detail", pk=action.pk)


@login_required
def action_detail(request, pk):
    return _detail_page(request, pk)


def _detail_page(request, pk, conflict=None):
    """The action; with `conflict` (a submit or withdraw pressed on a stale page), as it is now,
    with why nothing was done, and 409."""
    context = {"action": _own_action(request, pk), "conflict": conflict}
    return render(request, "workspace/action_detail.html", context, status=409 if conflict else 200)


@login_required
def action_edit(request, pk):
    action = _own_action(request, pk)
    if action.review_state not in ReviewState.editable_states:
        messages.error(request, _("Submitted and published actions can no longer be changed."))
        return redirect("workspace:action-detail", pk=action.pk)
    form = ActionForm(
        request.POST or None,
        initial=ActionForm.initial_for(action),
        organisations=_organisations(request.user),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.follow_up_action_update(
                action=action,
                author=request.user,
                content=form.content(),
                expected_version=form.cleaned_data["version"],
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            add_errors(form, error)
        except services.ActionConflict as conflict:
            return _edit_conflict(request, conflict)
        except services.ActionStateError as error:
            messages.error(request, str(error))
            return redirect("workspace:action-detail", pk=action.pk)
        else:
            return _after_save(request, action)
    return render(request, "workspace/action_form.html", {"form": form, "action": action})


def _edit_conflict(request, conflict):
    """409, like the status form's: what changed, by whom and when, and the contributor's
    entries in a form that now carries the current version, so saving again is a deliberate
    choice made after seeing it."""
    data = request.POST.copy()
    data["version"] = conflict.current.version
    form = ActionForm(
        data,
        initial=ActionForm.initial_for(conflict.current),
        organisations=_organisations(request.user),
        editing=True,
    )
    context = {"form": form, "action": conflict.current, "conflict": conflict}
    return render(request, "workspace/action_form.html", context, status=409)


@login_required
@require_POST
def action_submit(request, pk):
    action = _own_action(request, pk)
    detail = reverse("workspace:action-detail", args=[action.pk])
    return run_step(
        request,
        lambda: services.follow_up_action_submit(
            action=action, author=request.user, expected_version=posted_version(request)
        ),
        state_error=services.ActionStateError,
        done=_("Submitted for review. Staff will publish it or reply."),
        then=detail,
        refused=detail,
        conflict=services.ActionConflict,
        show_conflict=lambda conflict: _detail_page(request, pk, conflict),
    )


@login_required
def action_withdraw(request, pk):
    action = _own_action(request, pk)
    if request.method == "POST":
        return run_step(
            request,
            lambda: services.follow_up_action_withdraw(
                action=action, author=request.user, expected_version=posted_version(request)
            ),
            state_error=services.ActionStateError,
            done=_("The action was withdrawn."),
            then=reverse("workspace:home"),
            refused=reverse("workspace:action-detail", args=[action.pk]),
            conflict=services.ActionConflict,
            show_conflict=lambda conflict: _detail_page(request, pk, conflict),
        )
    return render(request, "workspace/action_withdraw.html", {"action": action})


def _may_review_something(user) -> bool:
    return user.has_perm("tracker.review_followupaction") or user.has_perm(
        "tracker.review_assessmentsubmission"
    )


@login_required
@work_page
def review_queue(request):
    """Actions and assessments waiting for review, oldest first, a page of each, each kind for
    those who may review it."""
    user = request.user
    if not _may_review_something(user):
        raise PermissionDenied(_("You are not allowed to review submissions."))
    form, valid = _filter_form(request, states=False)
    actions = assessments = None
    if user.has_perm("tracker.review_followupaction"):
        queue = (
            _listed_actions()
            .filter(review_state=ReviewState.SUBMITTED)
            # The queue names each action's recommendations: one query for the page's 25.
            .prefetch_related(
                Prefetch("recommendations", queryset=Recommendation.objects.order_by("reference"))
            )
            .order_by("submitted_at", "id")
        )
        actions = _paged(request, form, valid, queue, form.actions, "actions_page")
    if user.has_perm("tracker.review_assessmentsubmission"):
        queue = (
            _listed_submissions()
            .filter(review_state=ReviewState.SUBMITTED)
            .order_by("submitted_at", "id")
        )
        assessments = _paged(request, form, valid, queue, form.submissions, "assessments_page")
    return render(
        request,
        "workspace/review_queue.html",
        {
            "filter": {"form": form, "errors": form.errors},
            "actions": actions,
            "assessments": assessments,
            "own_organisations": set(_organisations(user).values_list("pk", flat=True))
            if assessments is not None
            else set(),
        },
        status=200 if valid else 400,
    )


@login_required
@review_required
def review_action(request, pk):
    action = get_object_or_404(_actions(), pk=pk, review_state=ReviewState.SUBMITTED)
    form = ReturnForm(request.POST if "return" in request.POST else None)
    publish_form = PublishForm(request.POST if "publish" in request.POST else None)
    done = review_round_trip(
        request,
        form,
        publish_form,
        publish=lambda: services.follow_up_action_publish(action=action, reviewer=request.user),
        give_back=lambda reason: services.follow_up_action_return(
            action=action, reviewer=request.user, reason=reason
        ),
        state_error=services.ActionStateError,
        published=format_html(
            _('Published. <a href="{url}">See its public page</a>. Its authors have been told.'),
            url=reverse("dashboards:action-detail", args=[action.pk]),
        ),
        returned=_("Returned to its authors with your reason."),
    )
    if done:
        return done
    return render(
        request,
        "workspace/review_action.html",
        {"action": action, "form": form, "publish_form": publish_form},
    )


@login_required
@permission_required("tracker.set_status", raise_exception=True)
def recommendation_status(request, reference):
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("consultation"), reference=reference
    )
    outcome = handle_status_form(request, recommendation)
    if outcome.saved:
        if outcome.change is None:
            messages.info(request, _("The status was already that; nothing changed."))
        else:
            messages.success(request, _("Status saved."))
        return redirect("dashboards:recommendation-detail", reference=reference)
    return render(
        request,
        "workspace/status_form.html",
        {
            "recommendation": recommendation,
            "form": outcome.form,
            "conflict": outcome.conflict,
        },
        status=outcome.http_status,
    )
