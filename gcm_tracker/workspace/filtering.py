"""The filters of the workspace's lists and of the review queue: a search, a review state, an
objective, a country and (where someone sees more than one organisation's work) an organisation.

One form filters both lists a page shows (follow-up actions and country assessments), each by
what the value means for it; an invalid value answers 400 with the form's message and no rows.
The objective menu is a cached (value, label) list drawn without a template per option
(QuickSelect), as the public lists' are; the country and the organisation are chosen through a
search (tracker.choosing).
"""

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gcm_tracker.tracker.cache import cached_public
from gcm_tracker.tracker.choosing import (
    PUBLIC_COUNTRIES,
    Chooser,
    ChooserWidget,
    prepare_choosers,
)
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import ActionCountry, Objective
from gcm_tracker.tracker.objective_bits import about_objective
from gcm_tracker.tracker.translation import columns, translated
from gcm_tracker.tracker.widgets import QuickSelect

from .choices import ORGANISATIONS

SEARCH_MAX_CHARACTERS = 200


def _objectives() -> list:
    """The objective menu, labels in the active language, from one cached query. Both lists
    filter on the objective's bit in their own rows (tracker.objective_bits), by number."""
    language = get_language()

    def compute():
        rows = Objective.objects.order_by("number").only("number", *columns(Objective))
        return [
            ("", str(_("Any"))),
            *((str(o.number), f"{o.number}. {translated(o, 'short_label').text}") for o in rows),
        ]

    return cached_public(f"menu:workspace:objectives:{language}", compute)


def _chosen(label, chooser: Chooser) -> forms.ModelChoiceField:
    """An optional filter on one row chosen through `chooser`'s search, named in addresses by
    the chooser's key."""
    return forms.ModelChoiceField(
        label=label,
        required=False,
        queryset=chooser.rows(),
        to_field_name=chooser.key,
        widget=ChooserWidget(chooser, single=True),
    )


class WorkFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=SEARCH_MAX_CHARACTERS)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any")), *ReviewState.choices],
        widget=QuickSelect,
    )
    objective = forms.ChoiceField(label=_("Objective"), required=False, widget=QuickSelect)
    # Chosen through searches (about 60 countries; thousands of organisations); addresses keep
    # the country's ISO code and the organisation's short name, and a value of no row is
    # refused by the field itself.
    country = _chosen(_("Country"), PUBLIC_COUNTRIES)
    organisation = _chosen(_("Organisation"), ORGANISATIONS)

    def __init__(self, data, *, states: bool = True, organisation: bool = True):
        super().__init__(data)
        if not states:
            del self.fields["state"]
        if not organisation:
            del self.fields["organisation"]
        # Set directly, so the menu is read only when it is drawn or a value is checked.
        objective = self.fields["objective"]
        objective._choices = objective.widget.choices = SimpleLazyObject(_objectives)
        prepare_choosers(self, data)

    def narrows(self) -> bool:
        """Whether the valid form has a value that narrows the lists."""
        return any(self.cleaned_data.get(name) for name in self.fields)

    def _value(self, name: str):
        return self.cleaned_data.get(name) or None

    def actions(self, queryset: QuerySet) -> QuerySet:
        """`queryset` of follow-up actions narrowed by the valid form's values."""
        if text := self._value("q"):
            queryset = queryset.filter(title__icontains=text.strip())
        if state := self._value("state"):
            queryset = queryset.filter(review_state=state)
        if objective := self._value("objective"):
            queryset = queryset.filter(about_objective(int(objective)))
        if country := self._value("country"):
            queryset = queryset.filter(
                Exists(ActionCountry.objects.filter(action=OuterRef("pk"), country=country))
            )
        if organisation := self._value("organisation"):
            queryset = queryset.filter(lead_stakeholder=organisation)
        return queryset

    def submissions(self, queryset: QuerySet) -> QuerySet:
        """`queryset` of civil-society assessments narrowed by the valid form's values (the
        search looks in the recommendation's reference and the organisation's name)."""
        if text := self._value("q"):
            text = text.strip()
            queryset = queryset.filter(
                Q(recommendation__reference__icontains=text) | Q(stakeholder__name__icontains=text)
            )
        if state := self._value("state"):
            queryset = queryset.filter(review_state=state)
        if objective := self._value("objective"):
            queryset = queryset.filter(about_objective(int(objective)))
        if country := self._value("country"):
            queryset = queryset.filter(country=country)
        if organisation := self._value("organisation"):
            queryset = queryset.filter(stakeholder=organisation)
        return queryset
