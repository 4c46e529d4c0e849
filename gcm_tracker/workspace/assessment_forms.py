"""Forms for country assessments: a civil-society organisation's own (contributors), the
official ones staff record one cell at a time or in bulk from a government report. The services
in tracker.services.assessments do the validation that matters; these forms only parse input.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gcm_tracker.tracker.choosing import (
    AMONG_ESCAP,
    ChooserWidget,
    countries_among,
    prepare_choosers,
)
from gcm_tracker.tracker.enums import RecommendationStatus
from gcm_tracker.tracker.models import Objective, Stakeholder
from gcm_tracker.tracker.services.assessments import CONTENT_FIELDS

from .choices import QUERY_MAX_CHARACTERS
from .choosers import ChooserFormMixin
from .forms import DATE, ReturnForm


class FindRecommendationForm(forms.Form):
    """Search for the recommendation to assess: never a list of every recommendation."""

    q = forms.CharField(
        label=_("Find a recommendation"),
        required=False,
        max_length=QUERY_MAX_CHARACTERS,
        help_text=_(
            "Its reference (e.g. border-governance-2020-87), its paragraph number or words of "
            "its text."
        ),
    )


def _country_field(among: str) -> forms.ModelChoiceField:
    """A country among those of `among` (choosing.countries_among), chosen through a search:
    there are about 60, too many for a menu."""
    chooser = countries_among(among)
    return forms.ModelChoiceField(
        label=_("Country"),
        queryset=chooser.rows(),
        to_field_name="iso3",
        widget=ChooserWidget(chooser, single=True),
    )


class CountryChoiceForm(ChooserFormMixin, forms.Form):
    """The country of the cell, among those the chosen recommendation applies to."""

    def __init__(self, data=None, *, recommendation, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["country"] = _country_field(recommendation.reference)
        prepare_choosers(self, data)  # again: the mixin ran before the field was added


class AssessmentContentForm(forms.Form):
    """What an assessment says about one cell, in either voice."""

    status = forms.ChoiceField(label=_("Status"), choices=RecommendationStatus.choices)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What has been done in this country on this recommendation, in brief."),
    )
    source_title = forms.CharField(label=_("Source"), max_length=300, required=False)
    source_url = forms.URLField(
        label=_("Source link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A web address starting with http:// or https://."),
    )
    source_date = forms.DateField(label=_("Date of the source"), widget=DATE, required=False)
    effective_date = forms.DateField(
        label=_("Effective date"),
        widget=DATE,
        initial=timezone.localdate,
        help_text=_("When the country reached this status (not in the future)."),
    )

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in CONTENT_FIELDS}

    @staticmethod
    def initial_for(row) -> dict:
        """The form's initial values from an Assessment or AssessmentSubmission."""
        return {name: getattr(row, name) for name in CONTENT_FIELDS}


class SubmissionForm(AssessmentContentForm):
    """A contributor's assessment for one of their organisations. Review state, authorship and
    the cell are not fields: whatever a request posts for them is ignored."""

    stakeholder = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Stakeholder.objects.none(), empty_label=None
    )
    # The version of the submission the editor saw (editing only).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    field_order = ["stakeholder"]

    def __init__(self, *args, organisations, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = organisations
        if editing:
            # An assessment stays with the organisation that wrote it.
            self.fields["stakeholder"].disabled = True
        else:
            del self.fields["version"]
        self.fields["source_title"].help_text = _(
            "Your organisation's report or the document you rely on, if any."
        )


class OfficialAssessmentForm(AssessmentContentForm):
    """The government's own report on one cell, recorded by staff."""

    reason = forms.CharField(
        label=_("Why it changes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the cell's history."),
    )
    # The version of the cell the editor saw; empty when they saw no assessment.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_title"].required = True
        self.fields["source_title"].help_text = _(
            "The government's report, reply or law, e.g. “Voluntary GCM review of Thailand, 2024”."
        )


class OfficialImportForm(forms.Form):
    """A CSV file from one government report, or (when confirming a preview) its text again."""

    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_(
            "Columns: reference, ISO3, status, effective date, source title, source link, "
            "summary. The first line names the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    csv_text = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    # The versions of the cells the preview showed, so a confirmation made against a cell that
    # changed meanwhile is refused instead of overwriting it unseen.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("csv_text") and "file" not in self.errors:
            raise forms.ValidationError(_("Choose a CSV file to upload."))
        return data


class ObjectiveCountryForm(ChooserFormMixin, forms.Form):
    """The country and objective of a bulk form (read from the query string)."""

    objective = forms.ModelChoiceField(
        label=_("Objective"), queryset=Objective.objects.order_by("number"), to_field_name="number"
    )
    field_order = ["country", "objective"]

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["country"] = _country_field(AMONG_ESCAP)
        self.order_fields(self.field_order)
        prepare_choosers(self, data)  # again: the mixin ran before the field was added


class ReportSourceForm(forms.Form):
    """What every row of a country × objective form shares: the one report it comes from."""

    source_title = forms.CharField(label=_("Source"), max_length=300)
    source_url = forms.URLField(
        label=_("Source link"), max_length=500, required=False, assume_scheme="https"
    )
    effective_date = forms.DateField(
        label=_("Effective date"), widget=DATE, initial=timezone.localdate
    )


class ObjectiveRowForm(forms.Form):
    """One recommendation's row: leave the status empty to leave the cell as it is."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("— leave as it is —")), *RecommendationStatus.choices],
        required=False,
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("status") and not data.get("summary", "").strip():
            self.add_error("summary", _("Summarise what the report says for this recommendation."))
        return data


class AssessmentReturnForm(ReturnForm):
    reason = forms.CharField(
        label=_("Why it is returned"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The organisation sees this and can change the assessment and submit it again."
        ),
    )
