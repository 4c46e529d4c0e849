"""Official country assessments, recorded by staff from a government's own report: one cell at a
time (from the recommendation's or the country's page), or in bulk from one report, as a CSV file
or a country × objective form. Both bulk ways end in the same preview, with every row's errors,
and the same confirmation, which writes every row or none (tracker.services).
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from gcm_tracker.tracker import services
from gcm_tracker.tracker.enums import AssessmentVoice, RecommendationStatus
from gcm_tracker.tracker.models import Assessment, AssessmentChange, Recommendation
from gcm_tracker.tracker.scope import recommendations_applicable_to

from . import official_csv
from .assessment_forms import (
    ObjectiveCountryForm,
    ObjectiveRowForm,
    OfficialAssessmentForm,
    OfficialImportForm,
    ReportSourceForm,
)
from .cells import cell_or_404, choose_cell
from .steps import add_errors

record_required = permission_required("tracker.record_official", raise_exception=True)
# A country-by-objective form lists at most this many recommendations (a CSV file takes more).
OBJECTIVE_FORM_LIMIT = 50
HISTORY_SIZE = 5
OUTCOMES = {
    "new": gettext_lazy("New"),
    "changed": gettext_lazy("Changed"),
    "unchanged": gettext_lazy("Unchanged: already as reported"),
}


def _official(recommendation, country) -> Assessment | None:
    return Assessment.objects.filter(
        recommendation=recommendation, country=country, voice=AssessmentVoice.OFFICIAL
    ).first()


def _last_change(assessment: Assessment | None) -> AssessmentChange | None:
    if assessment is None:
        return None
    return assessment.changes.select_related("changed_by").first()


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@record_required
@require_safe
def official_choose(request):
    return choose_cell(
        request,
        target="workspace:official-record",
        template_context={"title": _("Record an official assessment")},
    )


@login_required
@record_required
def official_record(request, reference, iso3):
    recommendation, country = cell_or_404(reference, iso3)
    current = _official(recommendation, country)
    if request.method == "POST":
        form = OfficialAssessmentForm(request.POST)
    else:
        initial = {"version": None}
        if current:
            initial = OfficialAssessmentForm.initial_for(current) | {"version": current.version}
        form = OfficialAssessmentForm(initial=initial)
    conflict = None
    default_next = reverse("dashboards:country-detail", args=[country.iso3])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.assessment_record_official(
                recommendation=recommendation,
                country=country,
                recorded_by=request.user,
                expected_version=data["version"],
                reason=data["reason"],
                **form.content(),
            )
        except ValidationError as error:
            add_errors(form, error)
        except services.AssessmentConflict as error:
            conflict = error
            current = error.current
            # The form again with the current version: saving now replaces what is shown.
            posted = request.POST.copy()
            posted["version"] = current.version if current else ""
            form = OfficialAssessmentForm(posted)
            form.is_valid()
        else:
            if change is None:
                messages.info(
                    request, _("The official assessment already said that; nothing changed.")
                )
            else:
                messages.success(request, _("Official assessment saved."))
            return redirect(_next_url(request, default_next))
    history = current.changes.select_related("changed_by")[:HISTORY_SIZE] if current else []
    return render(
        request,
        "workspace/official_form.html",
        {
            "recommendation": recommendation,
            "country": country,
            "current": current,
            "last_change": _last_change(current) if conflict else None,
            "history": history,
            "form": form,
            "conflict": conflict,
            "next": _next_url(request, ""),
        },
        status=409 if conflict else 200,
    )


def _cells(rows) -> dict[str, Assessment]:
    """The official assessments of the rows' cells, keyed "reference|ISO3" (one query)."""
    found = Assessment.objects.filter(
        voice=AssessmentVoice.OFFICIAL,
        recommendation__reference__in={row["reference"] for row in rows},
        country__iso3__in={row["iso3"] for row in rows},
    ).select_related("recommendation", "country")
    return {f"{a.recommendation.reference}|{a.country.iso3}": a for a in found}


def _versions(cells: dict[str, Assessment], rows) -> dict[str, int | None]:
    keys = [f"{row['reference']}|{row['iso3']}" for row in rows]
    return {key: cells[key].version if key in cells else None for key in keys}


def _service_rows(rows) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "line"} for row in rows]


def _import_preview(request, *, text: str, confirm: bool, seen: str, form=None):
    """Validate the rows of `text` (a dry run) and show them; with `confirm`, write them all
    unless a row is invalid or a cell changed since the preview (409)."""
    form = form or OfficialImportForm()
    try:
        rows = official_csv.read_rows(text)
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "workspace/official_import.html", {"form": form})
    cells = _cells(rows)
    versions = _versions(cells, rows)
    changed = []
    if confirm:
        try:
            previewed = json.loads(seen or "{}")
        except ValueError:
            previewed = {}
        changed = sorted(key for key, version in versions.items() if previewed.get(key) != version)
    result = services.official_assessments_import(
        rows=_service_rows(rows), recorded_by=request.user, dry_run=not confirm or bool(changed)
    )
    if result.written:
        counts = result.counts()
        messages.success(
            request,
            _(
                "Saved the report's official assessments: %(new)d new, %(changed)d changed, "
                "%(unchanged)d already as reported."
            )
            % counts,
        )
        return redirect("workspace:home")
    valid = {row.number: row for row in result.rows}
    preview = [
        {
            "row": row,
            "errors": list(result.errors.get(number, {}).values()),
            "status": RecommendationStatus(valid[number].content.status)
            if number in valid
            else None,
            "outcome": OUTCOMES[valid[number].outcome] if number in valid else "",
            "current": cells.get(f"{row['reference']}|{row['iso3']}"),
        }
        for number, row in enumerate(rows, start=1)
    ]
    return render(
        request,
        "workspace/official_import.html",
        {
            "form": OfficialImportForm(
                initial={"csv_text": text, "seen": json.dumps(versions, sort_keys=True)}
            ),
            "preview": preview,
            "error_count": len(result.errors),
            "changed": changed,
        },
        status=409 if changed else 200,
    )


@login_required
@record_required
def official_import(request):
    form = OfficialImportForm(
        request.POST if request.method == "POST" else None, request.FILES or None
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = official_csv.decode(upload.read()) if upload else form.cleaned_data["csv_text"]
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return _import_preview(
                request,
                text=text,
                confirm="confirm" in request.POST and not upload,
                seen=form.cleaned_data["seen"],
                form=form,
            )
    return render(request, "workspace/official_import.html", {"form": form})


@login_required
@record_required
def official_by_objective(request):
    chooser = ObjectiveCountryForm(request.GET or None)
    if not chooser.is_valid():
        return render(
            request,
            "workspace/official_by_objective.html",
            {"chooser": chooser},
            status=400 if chooser.is_bound and not chooser.searching else 200,
        )
    country, objective = chooser.cleaned_data["country"], chooser.cleaned_data["objective"]
    recommendations = list(
        Recommendation.objects.filter(recommendations_applicable_to(country), objectives=objective)
        .select_related("consultation")
        .order_by("consultation__date", "consultation_id", "paragraph")[: OBJECTIVE_FORM_LIMIT + 1]
    )
    truncated = len(recommendations) > OBJECTIVE_FORM_LIMIT
    recommendations = recommendations[:OBJECTIVE_FORM_LIMIT]
    current = {
        a.recommendation_id: a
        for a in Assessment.objects.filter(
            voice=AssessmentVoice.OFFICIAL, country=country, recommendation__in=recommendations
        )
    }
    data = request.POST if request.method == "POST" else None
    source = ReportSourceForm(data, prefix="source")
    rows = [
        (
            recommendation,
            current.get(recommendation.pk),
            ObjectiveRowForm(data, prefix=f"r{recommendation.pk}"),
        )
        for recommendation in recommendations
    ]
    if data is not None and source.is_valid() & all(form.is_valid() for _r, _c, form in rows):
        chosen = [
            {
                "reference": recommendation.reference,
                "iso3": country.iso3,
                "status": form.cleaned_data["status"],
                "effective_date": source.cleaned_data["effective_date"].isoformat(),
                "source_title": source.cleaned_data["source_title"],
                "source_url": source.cleaned_data["source_url"],
                "summary": form.cleaned_data["summary"].strip(),
            }
            for recommendation, _current, form in rows
            if form.cleaned_data["status"]
        ]
        if chosen:
            return _import_preview(
                request, text=official_csv.write_rows(chosen), confirm=False, seen=""
            )
        source.add_error(None, _("Choose a status for at least one recommendation."))
    return render(
        request,
        "workspace/official_by_objective.html",
        {
            "chooser": chooser,
            "country": country,
            "objective": objective,
            "source": source,
            "rows": rows,
            "truncated": truncated,
            "limit": OBJECTIVE_FORM_LIMIT,
        },
    )
