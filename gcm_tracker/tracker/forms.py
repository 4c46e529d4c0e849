from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import RecommendationStatus
from .models import StatusChange
from .services import StatusConflict, recommendation_set_status
from .widgets import DateInput


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
        widget=DateInput(),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


@dataclass
class StatusFormOutcome:
    form: StatusChangeForm
    conflict: StatusConflict | None = None
    change: StatusChange | None = None
    saved: bool = False

    @property
    def http_status(self) -> int:
        return 409 if self.conflict else 200


def handle_status_form(request, recommendation) -> StatusFormOutcome:
    """The status form's round trip, shared by the admin and the staff area.

    On a stale version the outcome carries the conflict (answer 409 with the current status and
    who set it) and a form that now holds the current version, so saving again is a deliberate
    choice made after seeing it.
    """
    if request.method != "POST":
        initial = {"new_status": recommendation.status, "version": recommendation.version}
        return StatusFormOutcome(StatusChangeForm(initial=initial))
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        return StatusFormOutcome(form)
    try:
        change = recommendation_set_status(
            recommendation=recommendation,
            changed_by=request.user,
            expected_version=form.cleaned_data["version"],
            new_status=form.cleaned_data["new_status"],
            reason=form.cleaned_data["reason"],
            evidence_url=form.cleaned_data["evidence_url"],
            effective_date=form.cleaned_data["effective_date"],
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field, messages)
        return StatusFormOutcome(form)
    except StatusConflict as conflict:
        data = request.POST.copy()
        data["version"] = conflict.current.version
        return StatusFormOutcome(StatusChangeForm(data), conflict=conflict)
    return StatusFormOutcome(form, change=change, saved=True)
