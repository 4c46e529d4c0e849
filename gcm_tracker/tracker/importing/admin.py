"""The "Import a report" screen of the consultation admin.

Upload a report, see what the parser extracted (paragraph, kind, objectives, text, and what
importing would do to each), correct it, then confirm. Only the confirmation writes, through
report_import(), in one transaction.
"""

import dataclasses

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Consultation
from .forms import (
    SKIP,
    ImportRowFormSet,
    NewConsultationForm,
    ReportUploadForm,
    objectives_as_text,
    report_from_state,
    report_to_state,
)
from .report import DROPPED_LABELS
from .services import CHANGED, CREATED, SKIPPED, UNCHANGED, report_import

# Importing creates and updates both kinds of row.
IMPORT_PERMISSIONS = [
    "tracker.add_recommendation",
    "tracker.change_recommendation",
    "tracker.add_goodpractice",
    "tracker.change_goodpractice",
]


class ReportImportAdminMixin:
    """Adds the import screen to ConsultationAdmin, and a button to its list and its pages."""

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_report_view),
                name="tracker_consultation_import",
            ),
            *super().get_urls(),
        ]

    def may_import_reports(self, request) -> bool:
        return request.user.has_perms(IMPORT_PERMISSIONS)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_import_reports": self.may_import_reports(request),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_import_reports": self.may_import_reports(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def import_report_view(self, request):
        if not self.may_import_reports(request):
            raise PermissionDenied
        may_create = request.user.has_perm("tracker.add_consultation")
        if request.method == "POST" and "state" in request.POST:
            return self._preview_step(request, may_create)
        if request.method == "POST":
            form = ReportUploadForm(request.POST, request.FILES, may_create=may_create)
            if form.is_valid():
                return self._first_preview(request, form)
        else:
            form = ReportUploadForm(
                initial={"consultation": request.GET.get("consultation")}, may_create=may_create
            )
        return self._render(
            request,
            "admin/tracker/consultation/import_form.html",
            {"title": _("Import a report"), "form": form},
        )

    def _first_preview(self, request, form):
        report = form.cleaned_data["parsed"]
        consultation = form.cleaned_data["consultation"]
        filename = form.cleaned_data["filename"]
        # The extracted values go through the same forms as staff's corrections will, so the
        # first preview already flags what must be completed (a missing date or objective).
        data = {
            "rows-TOTAL_FORMS": len(report.imported_paragraphs),
            "rows-INITIAL_FORMS": len(report.imported_paragraphs),
        }
        for index, paragraph in enumerate(report.imported_paragraphs):
            data |= {
                f"rows-{index}-paragraph": paragraph.number,
                f"rows-{index}-kind": paragraph.kind,
                f"rows-{index}-objectives": objectives_as_text(paragraph.objectives),
                f"rows-{index}-text": paragraph.text,
            }
        if consultation is None:
            initial = NewConsultationForm.initial_for(metadata=report.metadata, filename=filename)
            if initial["date"]:
                initial["date"] = initial["date"].isoformat()
            data |= {f"consultation-{name}": value or "" for name, value in initial.items()}
        state = report_to_state(report=report, consultation=consultation, filename=filename)
        return self._preview(request, report, consultation, filename, state, data, confirm=False)

    def _preview_step(self, request, may_create):
        try:
            report, consultation_id, filename = report_from_state(request.POST["state"])
        except signing.BadSignature:
            self.message_user(
                request,
                _("The preview has expired or was changed; upload the report again."),
                messages.ERROR,
            )
            return redirect(reverse("admin:tracker_consultation_import"))
        consultation = None
        if consultation_id is not None:
            consultation = Consultation.objects.filter(pk=consultation_id).first()
            if consultation is None:
                self.message_user(
                    request,
                    _("The consultation was deleted meanwhile; upload the report again."),
                    messages.ERROR,
                )
                return redirect(reverse("admin:tracker_consultation_import"))
        elif not may_create:
            raise PermissionDenied
        confirm = request.POST.get("action") == "import"
        return self._preview(
            request, report, consultation, filename, request.POST["state"], request.POST, confirm
        )

    def _preview(self, request, report, consultation, filename, state, data, confirm):
        """Validate the (corrected) rows, then show what importing would do, or import."""
        rows = ImportRowFormSet(data, prefix="rows")
        new_consultation = None
        if consultation is None:
            new_consultation = NewConsultationForm(data, prefix="consultation")
        valid = rows.is_valid() & (new_consultation is None or new_consultation.is_valid())
        summary = None
        errors = []
        corrected, exclude = (
            self._corrected(report, rows, new_consultation) if valid else (None, None)
        )
        if corrected is not None:
            try:
                summary = report_import(
                    report=corrected,
                    consultation=consultation,
                    slug=new_consultation.cleaned_data["slug"] if new_consultation else "",
                    exclude=exclude,
                    changed_by=request.user,
                    dry_run=not confirm,
                )
            except ValidationError as error:
                errors = error.messages
            else:
                if confirm:
                    self._announce(request, summary, filename)
                    return redirect(
                        reverse("admin:tracker_consultation_change", args=[summary.consultation.pk])
                    )
        return self._render_preview(
            request,
            report=report,
            consultation=consultation,
            filename=filename,
            state=state,
            rows=rows,
            new_consultation=new_consultation,
            summary=summary,
            errors=errors,
        )

    def _corrected(self, report, rows, new_consultation):
        """The report with staff's corrections, and the paragraphs they left out."""
        by_number = {p.number: p for p in report.imported_paragraphs}
        corrections = {}
        for form in rows.forms:
            number = form.cleaned_data["paragraph"]
            if number not in by_number or number in corrections:
                form.add_error(None, _("This paragraph is not one of the report's."))
                return None, None
            corrections[number] = form.cleaned_data
        exclude = {n for n, data in corrections.items() if data["kind"] == SKIP}
        paragraphs = []
        for paragraph in report.paragraphs:
            data = corrections.get(paragraph.number)
            if data is not None and paragraph.is_imported:
                paragraph = dataclasses.replace(
                    paragraph,
                    kind=paragraph.kind if data["kind"] == SKIP else data["kind"],
                    objectives=data["objectives"],
                    text=data["text"],
                )
            paragraphs.append(paragraph)
        metadata = new_consultation.metadata() if new_consultation else report.metadata
        return dataclasses.replace(report, paragraphs=tuple(paragraphs), metadata=metadata), exclude

    def _announce(self, request, summary, filename):
        counts = summary.counts
        self.message_user(
            request,
            _(
                "Imported %(name)s: created %(created)d, unchanged %(unchanged)d, changed "
                "%(changed)d, skipped %(skipped)d."
            )
            % {
                "name": filename,
                "created": counts[CREATED],
                "unchanged": counts[UNCHANGED],
                "changed": counts[CHANGED],
                "skipped": counts[SKIPPED],
            },
            messages.SUCCESS,
        )
        if summary.absent:
            self.message_user(
                request,
                ngettext(
                    "%(count)d paragraph of this consultation is not in the report and was kept.",
                    "%(count)d paragraphs of this consultation are not in the report and were "
                    "kept.",
                    len(summary.absent),
                )
                % {"count": len(summary.absent)},
                messages.WARNING,
            )

    def _render_preview(
        self,
        request,
        *,
        report,
        consultation,
        filename,
        state,
        rows,
        new_consultation,
        summary,
        errors,
    ):
        outcomes = {r.paragraph: r for r in summary.rows} if summary else {}
        paragraphs = {p.number: p for p in report.paragraphs}
        table = []
        for form in rows.forms:
            number = form["paragraph"].value()
            try:
                number = int(number)
            except (TypeError, ValueError):
                number = None
            table.append((form, paragraphs.get(number), outcomes.get(number)))
        return self._render(
            request,
            "admin/tracker/consultation/import_preview.html",
            {
                "title": _("Check the report before importing it"),
                "filename": filename,
                "consultation": consultation,
                "new_consultation": new_consultation,
                "state": state,
                "rows": rows,
                "table": table,
                "summary": summary,
                "counts": summary.counts if summary else None,
                "errors": errors,
                "unplaced": report.unplaced,
                "dropped": [
                    (DROPPED_LABELS.get(key, key), count) for key, count in report.dropped.items()
                ],
                "others": [p for p in report.paragraphs if not p.is_imported],
            },
        )

    def _render(self, request, template, context):
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "opts": self.opts, **context},
        )
