"""The pack form: a subject (one menu, grouped by kind: "country:THA", "objective:3"), a
period and a format. Read from GET (the choice is a link anyone can share) and from the POST that
asks for the pack."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import subjects
from .models import PackFormat, PackKind

# A period longer than this is refused: the history reads grow with it.
MAX_PERIOD_DAYS = 20 * 366
EARLIEST = datetime.date(2000, 1, 1)


def subject_choices() -> list:
    return [("", _("Choose a subject"))] + [
        (kind.label, [(f"{kind.value}:{key}", label) for key, label in subjects.choices(kind)])
        for kind in PackKind
    ]


class PackForm(forms.Form):
    subject = forms.ChoiceField(label=_("Subject"))
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
        self.fields["subject"].choices = subject_choices()

    def clean_subject(self):
        kind, _sep, key = self.cleaned_data["subject"].partition(":")
        try:
            return subjects.resolve(kind, key)
        except subjects.UnknownSubject:
            raise forms.ValidationError(_("Choose a subject from the list.")) from None

    def clean_format(self):
        return self.cleaned_data["format"] or PackFormat.PDF

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The period must end on or after its start."))
            elif start < EARLIEST or end > timezone.localdate() + datetime.timedelta(days=366):
                self.add_error("start", _("Choose a period between 2000 and next year."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("start", _("Choose a period of at most twenty years."))
        return cleaned
