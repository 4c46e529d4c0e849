from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import RecommendationStatus


class StatusChangeForm(forms.Form):
    """Input for recommendation_set_status(); the service does the validation that matters."""

    new_status = forms.ChoiceField(label=_("New status"), choices=RecommendationStatus.choices)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the status changes: shown publicly in the recommendation's timeline."),
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"),
        required=False,
        assume_scheme="https",
        help_text=_("A public web page or document that supports the change."),
    )
    effective_date = forms.DateField(
        label=_("Effective date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
