"""The filters of the workspace's lists and of the review queue: a search, a review state, an
objective, a country and (where someone sees more than one organisation's work) an organisation.

One form filters both lists a page shows (follow-up actions and country assessments), each by
what the value means for it; an invalid value answers 400 with the form's message and no rows.
The menus are cached (value, label) lists drawn without a template per option (QuickSelect), as
the public lists' are.
"""

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gcm_tracker.i18n.countries import country_name, sort_key
from gcm_tracker.tracker.cache import cached_public
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import (
    ActionCountry,
    ActionRecommendation,
    Country,
    Objective,
    RecommendationObjective,
    Stakeholder,
)
from gcm_tracker.tracker.widgets import QuickSelect

SEARCH_MAX_CHARACTERS = 200


def _menu(name: str, rows) -> SimpleLazyObject:
    """[("", "Any"), (value, label), …], built when the menu is drawn and cached until public
    data changes."""
    language = get_language()
    return SimpleLazyObject(
        lambda: cached_public(
            f"menu:workspace:{name}:{language}", lambda: [("", str(_("Any"))), *rows()]
        )
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
    country = forms.ChoiceField(label=_("Country"), required=False, widget=QuickSelect)
    organisation = forms.SlugField(
        label=_("Organisation (its short name in addresses, e.g. unicef)"), required=False
    )

    def __init__(self, data, *, states: bool = True, organisation: bool = True):
        super().__init__(data)
        if not states:
            del self.fields["state"]
        if not organisation:
            del self.fields["organisation"]
        menus = {
            "objective": lambda: [
                (str(number), f"{number}. {label}")
                for number, label in Objective.objects.order_by("number").values_list(
                    "number", "short_label"
                )
            ],
            "country": lambda: sorted(
                (
                    (iso3, country_name(iso3, name))
                    for iso3, name in Country.objects.values_list("iso3", "short_name")
                ),
                key=lambda row: sort_key(row[1]),
            ),
        }
        for name, rows in menus.items():
            menu = _menu(name, rows)
            # Set directly, so the menu is read only when it is drawn or a value is checked.
            self.fields[name]._choices = self.fields[name].widget.choices = menu

    def clean_organisation(self):
        slug = self.cleaned_data["organisation"]
        if slug and not Stakeholder.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("No organisation has the short name “%s”.") % slug)
        return slug

    def _value(self, name: str):
        return self.cleaned_data.get(name) or None

    def actions(self, queryset: QuerySet) -> QuerySet:
        """`queryset` of follow-up actions narrowed by the valid form's values."""
        if text := self._value("q"):
            queryset = queryset.filter(title__icontains=text.strip())
        if state := self._value("state"):
            queryset = queryset.filter(review_state=state)
        if objective := self._value("objective"):
            queryset = queryset.filter(
                Exists(
                    ActionRecommendation.objects.filter(
                        action=OuterRef("pk"),
                        recommendation__in=RecommendationObjective.objects.filter(
                            objective__number=objective
                        ).values("recommendation"),
                    )
                )
            )
        if country := self._value("country"):
            queryset = queryset.filter(
                Exists(ActionCountry.objects.filter(action=OuterRef("pk"), country__iso3=country))
            )
        if organisation := self._value("organisation"):
            queryset = queryset.filter(lead_stakeholder__slug=organisation)
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
            queryset = queryset.filter(
                Exists(
                    RecommendationObjective.objects.filter(
                        recommendation=OuterRef("recommendation"), objective__number=objective
                    )
                )
            )
        if country := self._value("country"):
            queryset = queryset.filter(country__iso3=country)
        if organisation := self._value("organisation"):
            queryset = queryset.filter(stakeholder__slug=organisation)
        return queryset
