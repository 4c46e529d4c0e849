"""Forms of the staff screen that imports a report: upload, then preview and correct, then confirm.

Nothing is stored between the steps: the parsed report travels in the preview page as a signed
field, and the corrections as ordinary form fields, so an abandoned preview leaves no trace.
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

from ..models import Consultation
from .extract import report_check_size, report_max_bytes
from .parser import report_read
from .report import (
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


def report_to_state(
    *, report: ParsedReport, consultation: Consultation | None, filename: str
) -> str:
    """The report and where it goes, signed, for the preview page to send back."""
    data = dataclasses.asdict(report)
    date = report.metadata.date
    data["metadata"]["date"] = date.isoformat() if date else None
    return signing.dumps(
        {
            "report": data,
            "consultation": consultation.pk if consultation else None,
            "filename": filename,
        },
        salt=STATE_SALT,
        compress=True,
    )


def report_from_state(state: str) -> tuple[ParsedReport, int | None, str]:
    """(report, consultation id or None, file name); raises signing.BadSignature."""
    data = signing.loads(state, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    report = data["report"]
    metadata = report["metadata"]
    date = metadata["date"]
    parsed = ParsedReport(
        paragraphs=tuple(
            ParsedParagraph(**{**p, "objectives": tuple(p["objectives"])})
            for p in report["paragraphs"]
        ),
        unplaced=tuple(Unplaced(**u) for u in report["unplaced"]),
        metadata=ReportMetadata(
            **{
                **metadata,
                "date": datetime.date.fromisoformat(date) if date else None,
                "objectives": tuple(metadata["objectives"]),
            }
        ),
        dropped=report["dropped"],
    )
    return parsed, data["consultation"], data["filename"]


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


class ReportUploadForm(forms.Form):
    report = forms.FileField(label=_("Report"))
    consultation = forms.ModelChoiceField(
        queryset=Consultation.objects.all(),
        required=False,
        label=_("Consultation"),
        empty_label=_("A new consultation, described by the report's title page"),
    )

    def __init__(self, *args, may_create: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_create = may_create
        self.fields["report"].help_text = _(
            "The summary report as a PDF or a plain-text file, up to %(size)s."
        ) % {"size": filesizeformat(report_max_bytes())}
        if not may_create:
            self.fields["consultation"].required = True
            self.fields["consultation"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("report")
        if upload is None:
            return cleaned
        name = PurePath(upload.name).name
        try:
            # The size is known before the file is read: an oversized upload is not read at all.
            report_check_size(size=upload.size, filename=name)
            cleaned["parsed"] = report_read(data=upload.read(), filename=name)
        except ReportError as error:
            self.add_error("report", str(error))
        cleaned["filename"] = name
        return cleaned


class ImportRowForm(forms.Form):
    """One paragraph as it will be imported: staff may change its kind, objectives and text."""

    paragraph = forms.IntegerField(widget=forms.HiddenInput)
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
        fields = ["slug", "title", "date", "format", "report_title"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
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
        )

    @classmethod
    def initial_for(cls, *, metadata: ReportMetadata, filename: str) -> dict:
        return {
            "slug": slugify(PurePath(filename).stem),
            "title": metadata.title,
            "date": metadata.date,
            "format": metadata.format,
            "report_title": metadata.report_title,
            "objectives_text": objectives_as_text(metadata.objectives),
        }
