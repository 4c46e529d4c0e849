"""The pack form: a subject (one menu, grouped by kind: "country:THA", "objective:3",
"subregion:pacific"; or a consultation's short name typed, as there are thousands of
consultations at scale, too many for a menu), a period and a format. Read from GET (the choice
is a link anyone can share) and from the POST that asks for the pack. "consultation:<slug>" is
accepted as a subject too, for links."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import subjects
from .models import PackFormat, PackKind

# A period longer than this is refused: the history reads grow with it.
MAX_PERIOD_DAYS = 20 * 366
EARLIEST = datetime.date(2000, 1, 1)


MENU_KINDS = (PackKind.COUNTRY, PackKind.OBJECTIVE, PackKind.SUBREGION)


def subject_choices() -> list:
    return [("", _("Choose a subject"))] + [
        (kind.label, [(f"{kind.value}:{key}", label) for key, label in subjects.choices(kind)])
        for kind in MENU_KINDS
    ]


class PackForm(forms.Form):
    subject = forms.CharField(
        label=_("Country, objective or subregion"), required=False, widget=forms.Select
    )
    consultation = forms.SlugField(
        label=_("Or a consultation (its short name, as in its address)"),
        required=False,
        max_length=80,
    )
    start = forms.DateField(
        label=_("Period from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
    )
    end = forms.DateField(
        label=_("Period to"),
        widget=forms.DateInput(attrs={"type": "date"}),
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].widget.choices = subject_choices()

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
        chosen, typed = cleaned.get("subject"), cleaned.get("consultation")
        if chosen and typed:
            self.add_error("consultation", _("Choose a subject or a consultation, not both."))
        elif typed:
            cleaned["subject"] = typed
        elif (
            chosen is None and not self.has_error("subject") and not self.has_error("consultation")
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
