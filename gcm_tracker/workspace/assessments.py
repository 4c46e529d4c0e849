"""Civil-society country assessments: contributors write their organisation's (draft → submitted),
staff publish them or return them with a reason. As for actions, views only parse requests and
call tracker.services; another organisation's assessment answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from gcm_tracker.tracker import selectors, services
from gcm_tracker.tracker.enums import AssessmentVoice, ReviewState
from gcm_tracker.tracker.models import Assessment, AssessmentSubmission

from .assessment_forms import AssessmentReturnForm, SubmissionForm
from .cells import cell_or_404, choose_cell
from .forms import PublishForm
from .steps import add_errors, posted_version, review_round_trip, run_step

review_required = permission_required("tracker.review_assessmentsubmission", raise_exception=True)


def submissions():
    """Civil-society submissions with what a workspace page about one of them shows (the cell
    and the organisation), in one join. The tables of many read less (workspace.views.
    _listed_submissions)."""
    return AssessmentSubmission.objects.select_related(
        "recommendation__consultation", "country", "stakeholder"
    )


def _organisations_or_404(user):
    organisations = selectors.organisations_of(user)
    if not organisations.exists():
        raise Http404(_("You are not a member of any organisation yet."))
    return organisations


def _own(request, pk) -> AssessmentSubmission:
    """An assessment of one of the user's organisations; 404 for anyone else's."""
    return get_object_or_404(
        submissions(), pk=pk, stakeholder__in=selectors.organisations_of(request.user)
    )


def _published_values(submission) -> list[Assessment]:
    """What the public sees now for the submission's cell: the official value and this
    organisation's (one query)."""
    return list(
        Assessment.objects.filter(
            Q(voice=AssessmentVoice.OFFICIAL) | Q(stakeholder=submission.stakeholder_id),
            recommendation=submission.recommendation_id,
            country=submission.country_id,
        ).order_by("-voice")
    )


@login_required
@require_safe
def assessment_choose(request):
    _organisations_or_404(request.user)
    return choose_cell(
        request,
        target="workspace:assessment-create",
        template_context={"title": _("Assess a recommendation for a country")},
    )


@login_required
def assessment_create(request, reference, iso3):
    organisations = _organisations_or_404(request.user)
    recommendation, country = cell_or_404(reference, iso3)
    form = SubmissionForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.assessment_submission_create(
                author=request.user,
                stakeholder=form.cleaned_data["stakeholder"],
                recommendation=recommendation,
                country=country,
                submit="submit" in request.POST,
                **form.content(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            _saved_message(request, submission)
            return redirect("workspace:assessment-detail", pk=submission.pk)
    return render(
        request,
        "workspace/assessment_form.html",
        {"form": form, "recommendation": recommendation, "country": country, "submission": None},
    )


def _saved_message(request, submission) -> None:
    if submission.review_state == ReviewState.SUBMITTED:
        messages.success(request, _("Submitted for review. Staff will publish it or reply."))
    else:
        messages.success(request, _("Saved as a draft. Submit it when it is ready."))


@login_required
def assessment_detail(request, pk):
    return _detail_page(request, pk)


def _detail_page(request, pk, conflict=None):
    """The organisation's assessment; with `conflict` (a submit or withdraw pressed on a stale
    page), as it is now, with why nothing was done, and 409."""
    submission = _own(request, pk)
    return render(
        request,
        "workspace/assessment_detail.html",
        {
            "submission": submission,
            "published": _published_values(submission),
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


@login_required
def assessment_edit(request, pk):
    submission = _own(request, pk)
    if submission.review_state not in ReviewState.editable_states:
        messages.error(request, _("Submitted and published assessments can no longer be changed."))
        return redirect("workspace:assessment-detail", pk=submission.pk)
    form = SubmissionForm(
        request.POST or None,
        initial=SubmissionForm.initial_for(submission)
        | {"stakeholder": submission.stakeholder, "version": submission.version},
        organisations=selectors.organisations_of(request.user),
        editing=True,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.assessment_submission_update(
                submission=submission,
                author=request.user,
                expected_version=form.cleaned_data["version"],
                **form.content(),
            )
            if "submit" in request.POST:
                submission = services.assessment_submission_submit(
                    submission=submission, author=request.user
                )
        except ValidationError as error:
            add_errors(form, error)
        except services.AssessmentConflict as error:
            # Someone else of the organisation changed it meanwhile: show theirs, keep ours.
            conflict = error
            submission.refresh_from_db()
            form = _rebound(request, form, submission)
        except services.AssessmentStateError as error:
            messages.error(request, str(error))
            return redirect("workspace:assessment-detail", pk=submission.pk)
        else:
            _saved_message(request, submission)
            return redirect("workspace:assessment-detail", pk=submission.pk)
    return render(
        request,
        "workspace/assessment_form.html",
        {
            "form": form,
            "recommendation": submission.recommendation,
            "country": submission.country,
            "submission": submission,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


def _rebound(request, form, submission) -> SubmissionForm:
    """The posted form again, now holding the current version, so saving again is a deliberate
    choice made after seeing the other change."""
    data = request.POST.copy()
    data["version"] = submission.version
    rebound = SubmissionForm(
        data,
        organisations=form.fields["stakeholder"].queryset,
        editing=True,
        initial={"stakeholder": submission.stakeholder},
    )
    rebound.is_valid()
    return rebound


@login_required
@require_POST
def assessment_submit(request, pk):
    submission = _own(request, pk)
    detail = reverse("workspace:assessment-detail", args=[submission.pk])
    return run_step(
        request,
        lambda: services.assessment_submission_submit(
            submission=submission, author=request.user, expected_version=posted_version(request)
        ),
        state_error=services.AssessmentStateError,
        done=_("Submitted for review. Staff will publish it or reply."),
        then=detail,
        refused=detail,
        conflict=services.AssessmentConflict,
        show_conflict=lambda conflict: _detail_page(request, pk, conflict),
    )


@login_required
def assessment_withdraw(request, pk):
    submission = _own(request, pk)
    if request.method == "POST":
        return run_step(
            request,
            lambda: services.assessment_submission_withdraw(
                submission=submission,
                author=request.user,
                expected_version=posted_version(request),
            ),
            state_error=services.AssessmentStateError,
            done=_("The assessment was withdrawn."),
            then=reverse("workspace:home"),
            refused=reverse("workspace:assessment-detail", args=[submission.pk]),
            conflict=services.AssessmentConflict,
            show_conflict=lambda conflict: _detail_page(request, pk, conflict),
        )
    return render(request, "workspace/assessment_withdraw.html", {"submission": submission})


def _own_organisation(user, submission) -> bool:
    return submission.created_by_id == user.pk or (
        selectors.organisations_of(user).filter(pk=submission.stakeholder_id).exists()
    )


@login_required
@review_required
def review_assessment(request, pk):
    submission = get_object_or_404(submissions(), pk=pk, review_state=ReviewState.SUBMITTED)
    # Four eyes: the service refuses too; the page says why before anyone presses a button.
    own = _own_organisation(request.user, submission)
    form = AssessmentReturnForm(request.POST if "return" in request.POST else None)
    publish_form = PublishForm(request.POST if "publish" in request.POST else None)
    if request.method == "POST" and own:
        raise PermissionDenied(
            _("Another reviewer must review an assessment of your own organisation.")
        )
    done = review_round_trip(
        request,
        form,
        publish_form,
        publish=lambda: services.assessment_submission_publish(
            submission=submission, reviewer=request.user
        ),
        give_back=lambda reason: services.assessment_submission_return(
            submission=submission, reviewer=request.user, reason=reason
        ),
        state_error=services.AssessmentStateError,
        published=format_html(
            _(
                'Published. <a href="{url}">See it on the country\'s page</a>. The organisation '
                "has been told."
            ),
            url=reverse("dashboards:country-detail", args=[submission.country.iso3])
            + f"#{submission.recommendation.reference}",
        ),
        returned=_("Returned to the organisation with your reason."),
    )
    if done:
        return done
    return render(
        request,
        "workspace/review_assessment.html",
        {
            "submission": submission,
            "published": _published_values(submission),
            "form": form,
            "publish_form": publish_form,
            "own": own,
        },
    )
