"""Forms of the staff screen that imports a report: upload or paste, then preview and correct,
then confirm.

Nothing is stored between the steps: the parsed report and the corrections made so far travel in
the preview page as one signed field, and only the rows of the page shown as form fields (a page
of PREVIEW_ROWS rows), so that a report of any length stays within the number of fields a request
may carry, and an abandoned preview leaves no trace.
"""

import dataclasses
import datetime
import re
from pathlib import PurePath

from django import forms
from django.core import signing
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..choosing import CONSULTATIONS, ChooserFormMixin, ChooserWidget
from ..models import Consultation
from ..widgets import DateInput
from .extract import MAX_TEXT_CHARS, report_check_size, report_max_bytes
from .parser import report_parse, report_read
from .report import (
    LeftOut,
    ParagraphKind,
    ParsedParagraph,
    ParsedReport,
    ReportError,
    ReportMetadata,
    Unplaced,
)

STATE_SALT = "tracker.importing.preview"
# A preview left open longer than this must be uploaded again (the signature says how old it is).
STATE_MAX_AGE = 24 * 60 * 60
SKIP = "skip"
# Rows shown, and sent back, per page of the preview: four fields each, well within Django's
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) with the consultation's fields and the page's own.
PREVIEW_ROWS = 200
PASTED = _("pasted text")


@dataclasses.dataclass
class PreviewState:
    """What the preview carries from page to page: the report, where it goes, and the rows staff
    corrected so far (paragraph key → {"kind", "objectives", "text"})."""

    report: ParsedReport
    consultation_id: int | None
    filename: str
    corrections: dict[str, dict] = dataclasses.field(default_factory=dict)

    def sign(self) -> str:
        data = dataclasses.asdict(self.report)
        date = self.report.metadata.date
        data["metadata"]["date"] = date.isoformat() if date else None
        return signing.dumps(
            {
                "report": data,
                "consultation": self.consultation_id,
                "filename": self.filename,
                "corrections": self.corrections,
            },
            salt=STATE_SALT,
            compress=True,
        )

    def row_data(self, paragraph: ParsedParagraph) -> dict:
        """The row's values as staff last left them, or as the report has them."""
        found = {
            "kind": paragraph.kind,
            "objectives": list(paragraph.objectives),
            "text": paragraph.text,
        }
        return self.corrections.get(paragraph.key, found)


def report_from_state(state: str) -> PreviewState:
    """The preview's state; raises signing.BadSignature when it was changed or is too old."""
    data = signing.loads(state, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    report = data["report"]
    metadata = report["metadata"]
    date = metadata["date"]
    parsed = ParsedReport(
        paragraphs=tuple(
            ParsedParagraph(
                **{
                    **p,
                    "objectives": tuple(p["objectives"]),
                    "suggested": tuple(tuple(s) for s in p["suggested"]),
                }
            )
            for p in report["paragraphs"]
        ),
        unplaced=tuple(Unplaced(**u) for u in report["unplaced"]),
        notes=tuple(Unplaced(**u) for u in report["notes"]),
        left_out=tuple(LeftOut(**item) for item in report["left_out"]),
        metadata=ReportMetadata(
            **{
                **metadata,
                "date": datetime.date.fromisoformat(date) if date else None,
                "objectives": tuple(metadata["objectives"]),
            }
        ),
        dropped=report["dropped"],
    )
    return PreviewState(parsed, data["consultation"], data["filename"], data["corrections"])


def objectives_from_text(text: str) -> tuple[int, ...]:
    """ "9, 10" → (9, 10); raises ValidationError for a number that is no GCM objective."""
    numbers = sorted({int(n) for n in re.findall(r"\d+", text)})
    wrong = [n for n in numbers if not 1 <= n <= 23]
    if wrong or re.search(r"[^\d\s,;]", text):
        raise forms.ValidationError(
            _("Give objective numbers from 1 to 23, separated by commas, such as “9, 10”.")
        )
    return tuple(numbers)


def objectives_as_text(numbers) -> str:
    return ", ".join(str(n) for n in numbers)


class ReportUploadForm(ChooserFormMixin, forms.Form):
    report = forms.FileField(label=_("Report"), required=False)
    text = forms.CharField(
        label=_("Or paste its text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 70}),
        help_text=_(
            "A report copied from a web page or a document, even as one long line: its "
            "paragraph numbers and headings are found in it."
        ),
    )
    objective = forms.TypedChoiceField(
        label=_("Objective of the whole report"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("As its headings say, or suggested from each paragraph's words"))]
        + [(n, str(n)) for n in range(1, 24)],
        help_text=_("For a report on one GCM objective whose headings do not name it."),
    )
    consultation = forms.ModelChoiceField(
        queryset=Consultation.objects.all(),
        required=False,
        label=_("Consultation"),
        # Thousands at scale: chosen through a search, never listed.
        widget=ChooserWidget(CONSULTATIONS, single=True),
        help_text=_("None chosen: a new consultation, described by the report's title page."),
    )

    def __init__(self, *args, may_create: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_create = may_create
        self.fields["report"].help_text = _(
            "The summary report as a PDF, a Word document (.docx) or a plain-text file, up to "
            "%(size)s."
        ) % {"size": filesizeformat(report_max_bytes())}
        if not may_create:
            self.fields["consultation"].required = True
            self.fields["consultation"].help_text = ""

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("report"), cleaned.get("text", "")
        objective = cleaned.get("objective")
        if upload is None and not text.strip():
            if not self.has_error("report"):
                self.add_error("report", gettext("Upload the report or paste its text."))
            return cleaned
        if upload is not None and text.strip():
            self.add_error("text", gettext("Upload the report or paste its text, not both."))
            return cleaned
        if upload is None:
            cleaned["filename"] = str(PASTED)
            if len(text) > MAX_TEXT_CHARS:
                self.add_error(
                    "text",
                    gettext("The text is longer than %(limit)s characters: too long for a report.")
                    % {"limit": f"{MAX_TEXT_CHARS:,}"},
                )
                return cleaned
            try:
                cleaned["parsed"] = report_parse(text=text, objective=objective)
            except ReportError as error:
                self.add_error("text", str(error))
            return cleaned
        name = PurePath(upload.name).name
        try:
            # The size is known before the file is read: an oversized upload is not read at all.
            report_check_size(size=upload.size, filename=name)
            cleaned["parsed"] = report_read(data=upload.read(), filename=name, objective=objective)
        except ReportError as error:
            self.add_error("report", str(error))
        cleaned["filename"] = name
        return cleaned


class ImportRowForm(forms.Form):
    """One paragraph as it will be imported: staff may change its kind, objectives and text."""

    # The paragraph as the report cites it: "26", "86(a)".
    paragraph = forms.CharField(widget=forms.HiddenInput, max_length=20)
    kind = forms.ChoiceField(
        label=_("Import as"),
        choices=[
            (ParagraphKind.RECOMMENDATION, ParagraphKind.RECOMMENDATION.label),
            (ParagraphKind.GOOD_PRACTICE, ParagraphKind.GOOD_PRACTICE.label),
            (SKIP, _("Do not import")),
        ],
    )
    objectives = forms.CharField(
        label=_("Objectives"),
        required=False,
        widget=forms.TextInput(attrs={"size": 6}),
    )
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 70})
    )

    def clean_objectives(self):
        return objectives_from_text(self.cleaned_data["objectives"])

    @classmethod
    def data_for(cls, prefix: str, paragraph: ParsedParagraph, values: dict) -> dict:
        """The form's data for a row with `values` (kind, objectives, text), as a page sends it."""
        return {
            f"{prefix}-paragraph": paragraph.key,
            f"{prefix}-kind": values["kind"],
            f"{prefix}-objectives": objectives_as_text(values["objectives"]),
            f"{prefix}-text": values["text"],
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") not in (None, SKIP):
            if "objectives" in cleaned and not cleaned["objectives"]:
                self.add_error("objectives", gettext("Give at least one objective."))
            if not " ".join(cleaned.get("text", "").split()):
                self.add_error("text", gettext("Give the paragraph's text."))
        return cleaned


ImportRowFormSet = forms.formset_factory(ImportRowForm, extra=0)


class NewConsultationForm(forms.ModelForm):
    """The consultation a report creates, as its title page describes it; staff complete it."""

    objectives_text = forms.CharField(
        label=_("Objectives covered"),
        help_text=_("Objective numbers, such as “4, 8, 21”."),
    )

    class Meta:
        model = Consultation
        fields = ["slug", "title", "date", "format", "report_title", "document_symbol"]
        widgets = {
            "date": DateInput(),
            "title": forms.TextInput(attrs={"class": "vTextField"}),
            "report_title": forms.TextInput(attrs={"class": "vTextField"}),
        }

    def clean_objectives_text(self):
        numbers = objectives_from_text(self.cleaned_data["objectives_text"])
        if not numbers:
            raise forms.ValidationError(gettext("Give at least one objective."))
        return numbers

    def metadata(self) -> ReportMetadata:
        data = self.cleaned_data
        return ReportMetadata(
            title=data["title"],
            report_title=data["report_title"],
            date=data["date"],
            format=data["format"],
            objectives=data["objectives_text"],
            symbol=data["document_symbol"],
        )

    @classmethod
    def initial_for(cls, *, metadata: ReportMetadata, filename: str) -> dict:
        return {
            "slug": slugify(PurePath(filename).stem),
            "title": metadata.title,
            "date": metadata.date,
            "format": metadata.format,
            "report_title": metadata.report_title,
            "document_symbol": metadata.symbol,
            "objectives_text": objectives_as_text(metadata.objectives),
        }
