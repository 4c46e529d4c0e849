"""The pack form: a subject (a country chosen through a search; or one menu, grouped by kind:
"objective:3", "subregion:pacific"; or a consultation's short name typed, as there are thousands of
consultations at scale, too many for a menu), a period and a format. Read from GET (the choice
is a link anyone can share) and from the POST that asks for the pack. "consultation:<slug>" and
"country:<ISO3>" are accepted as a subject too, for links."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gcm_tracker.tracker.choosing import PUBLIC_COUNTRIES, ChooserWidget, prepare_choosers
from gcm_tracker.tracker.widgets import DateInput

from . import subjects
from .models import PackFormat, PackKind

# A period longer than this is refused: the history reads grow with it.
MAX_PERIOD_DAYS = 20 * 366
EARLIEST = datetime.date(2000, 1, 1)


# Countries (about 60, more than a menu should hold) are chosen through a search instead.
MENU_KINDS = (PackKind.OBJECTIVE, PackKind.SUBREGION)


def subject_choices() -> list:
    return [("", _("Choose a subject"))] + [
        (kind.label, [(f"{kind.value}:{key}", label) for key, label in subjects.choices(kind)])
        for kind in MENU_KINDS
    ]


class PackForm(forms.Form):
    country = forms.CharField(
        label=_("A country"),
        required=False,
        max_length=3,
        widget=ChooserWidget(PUBLIC_COUNTRIES, single=True),
    )
    subject = forms.CharField(
        label=_("Or an objective or subregion"), required=False, widget=forms.Select
    )
    consultation = forms.SlugField(
        label=_("Or a consultation (its short name, as in its address)"),
        required=False,
        max_length=80,
    )
    start = forms.DateField(
        label=_("Period from"),
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
    )
    end = forms.DateField(
        label=_("Period to"),
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
    )
    # Optional: the print view needs none; a pack without one is a PDF.
    format = forms.ChoiceField(
        label=_("Format"),
        choices=PackFormat.choices,
        initial=PackFormat.PDF,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("subject", "").startswith(f"{PackKind.COUNTRY.value}:"):
            # A link naming the country as a subject ("country:THA"): shown in the chooser.
            data = data.copy()
            data["country"] = data["subject"].partition(":")[2]
            data["subject"] = ""
        super().__init__(data, *args, **kwargs)
        self.fields["subject"].widget.choices = subject_choices()
        prepare_choosers(self, data)

    def clean_country(self):
        iso3 = self.cleaned_data["country"]
        if not iso3:
            return None
        try:
            return subjects.resolve(PackKind.COUNTRY, iso3)
        except subjects.UnknownSubject:
            raise forms.ValidationError(_("Choose a country from the search.")) from None

    def clean_subject(self):
        if not self.cleaned_data["subject"]:
            return None
        kind, _sep, key = self.cleaned_data["subject"].partition(":")
        try:
            return subjects.resolve(kind, key)
        except subjects.UnknownSubject:
            raise forms.ValidationError(_("Choose a subject from the list.")) from None

    def clean_consultation(self):
        slug = self.cleaned_data["consultation"]
        if not slug:
            return None
        try:
            return subjects.resolve(PackKind.CONSULTATION, slug)
        except subjects.UnknownSubject:
            raise forms.ValidationError(_("There is no consultation of that name.")) from None

    def clean_format(self):
        return self.cleaned_data["format"] or PackFormat.PDF

    def clean(self):
        cleaned = super().clean()
        country, chosen, typed = (
            cleaned.get("country"),
            cleaned.get("subject"),
            cleaned.get("consultation"),
        )
        if len([value for value in (country, chosen, typed) if value]) > 1:
            self.add_error(
                "consultation", _("Choose one subject: a country, a menu item or a consultation.")
            )
        elif typed or country:
            cleaned["subject"] = typed or country
        elif chosen is None and not any(
            self.has_error(name) for name in ("country", "subject", "consultation")
        ):
            self.add_error("subject", _("Choose a subject, or type a consultation's name."))
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The period must end on or after its start."))
            elif start < EARLIEST or end > timezone.localdate() + datetime.timedelta(days=366):
                self.add_error("start", _("Choose a period between 2000 and next year."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("start", _("Choose a period of at most twenty years."))
        return cleaned
