"""Choosers for many-valued fields with too many rows to list (recommendations, countries,
partner organisations); the widget is tracker.choosing.ChooserWidget.

A chooser shows only what is chosen, as ticked checkboxes, and a search box. Without JavaScript,
the form's "Search" button posts the form back: ChooserFormMixin then neither validates nor
saves it but shows it again, every entry kept, with at most SEARCH_LIMIT matches under each
chooser whose box has text, as checkboxes to tick. With JavaScript, static/js/chooser.js turns
the box into a combobox that asks the `choices` endpoint, and the ticked boxes into chips with a
"Remove" button.

The field's queryset is the whole table, so any row's id validates, but the widget never walks
it: it looks up the chosen rows (one query) and the matches (workspace.choices: a fixed number of
queries), nothing else.
"""

from django import forms
from django.core.exceptions import ValidationError

from gcm_tracker.tracker.choosing import (  # noqa: F401 (ChooserFormMixin: used by forms)
    Chooser,
    ChooserFormMixin,
    ChooserWidget,
)

MAX_ID = 2**63 - 1  # ids are BigAutoFields


class ChooserField(forms.ModelMultipleChoiceField):
    """Several rows of a large table, chosen through a ChooserWidget. Every row is a valid
    choice; none is rendered unless chosen or found."""

    def __init__(self, chooser: Chooser, **kwargs):
        super().__init__(queryset=chooser.rows(), widget=ChooserWidget(chooser), **kwargs)
        self.label_from_instance = chooser.label

    def _check_values(self, value):
        # A number past the id column's range is no row's id; the database would not take it.
        for pk in value:
            if str(pk).isdigit() and int(pk) > MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)
