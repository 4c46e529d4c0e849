from django import forms
from django.utils.translation import gettext_lazy as _

from gcm_tracker.tracker.enums import ActionProgress, ActionType
from gcm_tracker.tracker.models import Stakeholder
from gcm_tracker.tracker.services import ActionContent
from gcm_tracker.tracker.validators import multi_line_validator
from gcm_tracker.tracker.widgets import DateInput

from .choices import COUNTRIES, PARTNERS, RECOMMENDATIONS
from .choosers import ChooserField, ChooserFormMixin

DATE = DateInput()


class ActionForm(ChooserFormMixin, forms.Form):
    """What a contributor writes about an action. The organisation, review state and authorship
    are not fields: whatever a request posts for them is ignored. Editing adds the hidden
    version the contributor saw. Recommendations, countries and partners are chosen by searching
    (choosers.py): a POST of a chooser's "Search" button shows the form again, saving nothing."""

    lead_stakeholder = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Stakeholder.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the organisation did, with whom, and what came of it."),
    )
    recommendations = ChooserField(
        RECOMMENDATIONS,
        label=_("Recommendations it is about"),
        help_text=_("Search by reference, paragraph number or words of the text."),
    )
    countries = ChooserField(
        COUNTRIES,
        label=_("Countries where it took place"),
        help_text=_("Search by name or ISO code (e.g. THA)."),
    )
    partners = ChooserField(
        PARTNERS,
        label=_("Partner organisations"),
        help_text=_("Search by name or acronym."),
        required=False,
    )
    action_type = forms.ChoiceField(label=_("Type of action"), choices=ActionType.choices)
    progress = forms.ChoiceField(label=_("Progress"), choices=ActionProgress.choices)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), widget=DATE, required=False)
    evidence_urls = forms.CharField(
        label=_("Evidence links"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Web addresses of reports, news or documents, one per line."),
    )

    def __init__(self, *args, organisations, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_stakeholder"].queryset = organisations
        if editing:
            # An action stays with the organisation that recorded it.
            self.fields["lead_stakeholder"].disabled = True
            # The version the contributor saw: a change made meanwhile makes this edit stale.
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @classmethod
    def initial_for(cls, action) -> dict:
        content = vars(ActionContent.of(action))
        return content | {
            "lead_stakeholder": action.lead_stakeholder,
            "evidence_urls": "\n".join(content["evidence_urls"]),
            "version": action.version,
        }

    def content(self) -> ActionContent:
        data = self.cleaned_data
        return ActionContent(
            title=data["title"],
            description=data["description"],
            action_type=data["action_type"],
            progress=data["progress"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            recommendations=list(data["recommendations"]),
            countries=list(data["countries"]),
            partners=list(data["partners"]),
            evidence_urls=data["evidence_urls"].splitlines(),
        )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is returned"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The authors see this and can change the action and submit it again."),
        validators=[multi_line_validator],
    )


class PublishForm(forms.Form):
    """Publishing asks the reviewer to confirm, without JavaScript: the box must be ticked."""

    confirm = forms.BooleanField(
        label=_("I have read it and it may be shown to everyone."),
        error_messages={"required": _("Tick the box to confirm that it may be published.")},
    )
