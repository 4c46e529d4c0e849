"""The "Import a report" screen of the consultation admin.

Upload a report or paste its text, see what the parser extracted (paragraph, kind, objectives
with their suggestion scores, text, and what importing would do to each; what it could not place
and what it did not import, with why), correct it page by page, then confirm. Only the
confirmation writes, through report_import(), in one transaction.
"""

import dataclasses
import math

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
    PREVIEW_ROWS,
    SKIP,
    ImportRowForm,
    ImportRowFormSet,
    NewConsultationForm,
    PreviewState,
    ReportUploadForm,
    report_from_state,
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
        state = PreviewState(report, consultation.pk if consultation else None, filename)
        data = {}
        if consultation is None:
            initial = NewConsultationForm.initial_for(metadata=report.metadata, filename=filename)
            if initial["date"]:
                initial["date"] = initial["date"].isoformat()
            data = {f"consultation-{name}": value or "" for name, value in initial.items()}
        # The extracted values go through the same forms as staff's corrections will, so the
        # first preview already flags what must be completed (a missing date or objective).
        data |= self._page_data(state, 1)
        return self._preview(request, state, consultation, data, page=1, goto=1, confirm=False)

    def _preview_step(self, request, may_create):
        try:
            state = report_from_state(request.POST["state"])
        except signing.BadSignature:
            self.message_user(
                request,
                _("The preview has expired or was changed; upload the report again."),
                messages.ERROR,
            )
            return redirect(reverse("admin:tracker_consultation_import"))
        consultation = None
        if state.consultation_id is not None:
            consultation = Consultation.objects.filter(pk=state.consultation_id).first()
            if consultation is None:
                self.message_user(
                    request,
                    _("The consultation was deleted meanwhile; upload the report again."),
                    messages.ERROR,
                )
                return redirect(reverse("admin:tracker_consultation_import"))
        elif not may_create:
            raise PermissionDenied
        pages = self._page_count(state.report)
        page = _page_number(request.POST.get("page"), pages)
        goto = _page_number(request.POST.get("goto") or page, pages)
        confirm = request.POST.get("action") == "import"
        return self._preview(request, state, consultation, request.POST, page, goto, confirm)

    def _page_count(self, report) -> int:
        return max(1, math.ceil(len(report.imported_paragraphs) / PREVIEW_ROWS))

    def _page_rows(self, report, page: int):
        return report.imported_paragraphs[(page - 1) * PREVIEW_ROWS : page * PREVIEW_ROWS]

    def _page_data(self, state, page: int) -> dict:
        rows = self._page_rows(state.report, page)
        data = {"rows-TOTAL_FORMS": len(rows), "rows-INITIAL_FORMS": len(rows)}
        for index, paragraph in enumerate(rows):
            data |= ImportRowForm.data_for(f"rows-{index}", paragraph, state.row_data(paragraph))
        return data

    def _preview(self, request, state, consultation, data, page, goto, confirm):
        """Take the corrections of the page shown, then show what importing would do (on the
        page asked for), or import."""
        rows = ImportRowFormSet(data, prefix="rows")
        new_consultation = None
        if consultation is None:
            new_consultation = NewConsultationForm(data, prefix="consultation")
        page_valid = rows.is_valid() and self._take_corrections(state, rows, page)
        valid = page_valid & (new_consultation is None or new_consultation.is_valid())
        summary = None
        errors = []
        # Rows of other pages that still need correcting (a recommendation without objectives).
        elsewhere = self._rows_to_correct(state, page) if page_valid else []
        if valid and not elsewhere:
            corrected, exclude = self._corrected(state, new_consultation)
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
                    self._announce(request, summary, state.filename)
                    return redirect(
                        reverse("admin:tracker_consultation_change", args=[summary.consultation.pk])
                    )
        if page_valid and goto != page:
            # Move to the page asked for, its rows as they stand (errors shown there).
            page = goto
            rows = ImportRowFormSet({**data, **self._page_data(state, page)}, prefix="rows")
            rows.is_valid()
        return self._render_preview(
            request,
            state=state,
            consultation=consultation,
            rows=rows,
            page=page,
            new_consultation=new_consultation,
            summary=summary,
            errors=errors,
            elsewhere=elsewhere,
        )

    def _take_corrections(self, state, rows, page) -> bool:
        """Keep the page's rows as staff left them; False when a row is not one of the page's."""
        keys = [p.key for p in self._page_rows(state.report, page)]
        posted = [form.cleaned_data["paragraph"] for form in rows.forms]
        if posted != keys:
            rows._non_form_errors = rows.error_class(
                [_("These rows are not the report's; upload the report again.")]
            )
            return False
        for form in rows.forms:
            data = form.cleaned_data
            state.corrections[data["paragraph"]] = {
                "kind": data["kind"],
                "objectives": list(data["objectives"]),
                "text": data["text"],
            }
        return True

    def _rows_to_correct(self, state, page) -> list[tuple[str, int]]:
        """(paragraph, page) of each row on another page that would not pass its form."""
        found = []
        for index, paragraph in enumerate(state.report.imported_paragraphs):
            row_page = index // PREVIEW_ROWS + 1
            if row_page == page:
                continue
            form = ImportRowForm(
                ImportRowForm.data_for("row", paragraph, state.row_data(paragraph)), prefix="row"
            )
            if not form.is_valid():
                found.append((paragraph.key, row_page))
        return found

    def _corrected(self, state, new_consultation):
        """The report with staff's corrections, and the paragraphs they left out."""
        report = state.report
        exclude = set()
        paragraphs = []
        for paragraph in report.paragraphs:
            data = state.corrections.get(paragraph.key)
            if data is not None and paragraph.is_imported:
                if data["kind"] == SKIP:
                    exclude.add(paragraph.key)
                paragraph = dataclasses.replace(
                    paragraph,
                    kind=paragraph.kind if data["kind"] == SKIP else data["kind"],
                    objectives=tuple(data["objectives"]),
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
        state,
        consultation,
        rows,
        page,
        new_consultation,
        summary,
        errors,
        elsewhere,
    ):
        report = state.report
        outcomes = {r.key: r for r in summary.rows} if summary else {}
        paragraphs = {p.key: p for p in report.paragraphs}
        table = []
        for form in rows.forms:
            key = str(form["paragraph"].value())
            table.append((form, paragraphs.get(key), outcomes.get(key)))
        pages = self._page_count(report)
        return self._render(
            request,
            "admin/tracker/consultation/import_preview.html",
            {
                "title": _("Check the report before importing it"),
                "filename": state.filename,
                "consultation": consultation,
                "new_consultation": new_consultation,
                "state": state.sign(),
                "rows": rows,
                "table": table,
                "page": page,
                "pages": range(1, pages + 1) if pages > 1 else (),
                "elsewhere": elsewhere,
                "summary": summary,
                "counts": summary.counts if summary else None,
                "errors": errors,
                "unplaced": report.unplaced,
                "notes": report.notes,
                "symbol": report.metadata.symbol,
                "dropped": [
                    (DROPPED_LABELS.get(key, key), count) for key, count in report.dropped.items()
                ],
                "others": report.left_out,
            },
        )

    def _render(self, request, template, context):
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "opts": self.opts, **context},
        )


def _page_number(value, pages: int) -> int:
    """A page of the preview from the form, within 1…pages (1 for anything else)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), pages)
