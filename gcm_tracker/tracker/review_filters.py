"""The filter forms of the review pages (/changes/, /stale/, snapshot comparisons) and their
API: the list filters (objective, country, subregion, consultation, voice), plus the dates of
/changes/. Values are the natural keys people see in URLs, as on the other lists; a value the
form does not accept answers 400 with its message."""

import datetime

import django_filters
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .changes import ChangeFilters
from .choosing import CONSULTATION_PAGES, PUBLIC_COUNTRIES
from .enums import AssessmentVoice, Subregion
from .filters import PublicFilterSet, _chooser_filter, _menu_filter
from .models import Objective, StatusChange
from .widgets import DateInput, QuickSelect

# /changes/ without `since` shows this many days back.
DEFAULT_CHANGES_DAYS = 90
# Dates a range may name: the tracker's records start long after the first and end long before
# the last, and times at the edges of the calendar overflow when turned into instants.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)


def default_since() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=DEFAULT_CHANGES_DAYS)


def _date_bounds() -> list:
    return [
        MinValueValidator(FIRST_DAY, _("Give a date from 1 January 1900.")),
        MaxValueValidator(LAST_DAY, _("Give a date before the year 3000.")),
    ]


class ReviewFilter(PublicFilterSet):
    """The list filters shared by the review pages. Only the form is used: the selectors of
    tracker.changes and tracker.staleness read `change_filters()`."""

    objective = _menu_filter(
        _("Objective"), Objective.objects.order_by("number"), "number", method="filter_nothing"
    )
    country = _chooser_filter(_("Country"), PUBLIC_COUNTRIES, method="filter_nothing")
    subregion = django_filters.ChoiceFilter(
        widget=QuickSelect,
        label=_("ESCAP subregion"),
        choices=Subregion.choices,
        method="filter_nothing",
    )
    # Thousands at scale, too many for a menu: chosen through a search (its slug in addresses).
    consultation = _chooser_filter(_("Consultation"), CONSULTATION_PAGES, method="filter_nothing")
    voice = django_filters.ChoiceFilter(
        widget=QuickSelect,
        label=_("Country assessments in"),
        choices=[
            ("", _("Both voices")),
            (AssessmentVoice.OFFICIAL.value, _("Official voice only")),
            (AssessmentVoice.CIVIL_SOCIETY.value, _("Civil-society voice only")),
        ],
        empty_label=None,
        method="filter_nothing",
    )

    class Meta:
        model = StatusChange
        fields = []

    def filter_nothing(self, queryset, name, value):
        return queryset

    def change_filters(self) -> ChangeFilters:
        """The filters for tracker.changes; call after is_valid()."""
        data = self.form.cleaned_data
        return ChangeFilters(
            objective=data.get("objective"),
            country=data.get("country"),
            subregion=data.get("subregion") or "",
            consultation=data.get("consultation"),
            voice=data.get("voice") or "",
        )

    def query_string(self) -> str:
        """The filters as URL parameters (for links to other pages with the same filters)."""
        return self.form.data.urlencode() if hasattr(self.form.data, "urlencode") else ""


class ChangesFilter(ReviewFilter):
    """ReviewFilter with the range of /changes/: `since` (default: DEFAULT_CHANGES_DAYS ago) and
    `until` (default: today), both included."""

    since = django_filters.DateFilter(
        label=_("Since (effective on or after)"),
        widget=DateInput(),
        method="filter_nothing",
        validators=_date_bounds(),
    )
    until = django_filters.DateFilter(
        label=_("Until (on or before; empty for today)"),
        widget=DateInput(),
        method="filter_nothing",
        validators=_date_bounds(),
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Fields in reading order: the range first.
        order = ["since", "until"]
        self.form.order_fields(order)
        clean = self.form.clean

        def clean_range():
            cleaned = clean()
            since, until = cleaned.get("since"), cleaned.get("until")
            if until and since and until < since:
                self.form.add_error("until", _("“Until” must not be before “since”."))
            elif until and not since and until < default_since():
                self.form.add_error(
                    "until",
                    _("“Until” must not be before “since” (by default %(days)d days ago).")
                    % {"days": DEFAULT_CHANGES_DAYS},
                )
            return cleaned

        self.form.clean = clean_range

    @property
    def since_date(self) -> datetime.date:
        return self.form.cleaned_data.get("since") or default_since()

    @property
    def until_date(self) -> datetime.date:
        # Without `until`, today; or `since` itself if that is later (an empty range, not an error).
        return self.form.cleaned_data.get("until") or max(timezone.localdate(), self.since_date)
