"""Choosers for many-valued fields with too many rows to list (recommendations, countries,
partner organisations).

A chooser shows only what is chosen, as ticked checkboxes, and a search box. Without JavaScript,
the form's "Search" button posts the form back: ChooserFormMixin then neither validates nor
saves it but shows it again, every entry kept, with at most SEARCH_LIMIT matches under each
chooser whose box has text, as checkboxes to tick. With JavaScript, static/js/chooser.js turns
the box into a combobox that asks the `choices` endpoint, and the ticked boxes into chips with a
"Remove" button.

The field's queryset is the whole table, so any row's id validates, but the widget never walks
it: it looks up the chosen rows (one query) and the matches (one query), nothing else.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import SEARCH_LIMIT, Chooser, clean_query

MAX_ID = 2**63 - 1  # ids are BigAutoFields
# The name of every chooser's "Search" button: posted, it makes the form a search, not a save.
SEARCH_BUTTON = "_search"


def _checkboxes(name: str, rows, label, *, checked: bool):
    return format_html_join(
        "",
        '<li><label><input type="checkbox" name="{}" value="{}"{}> {}</label></li>',
        ((name, row.pk, " checked" if checked else "", label(row)) for row in rows),
    )


class ChooserWidget(forms.Widget):
    """The chosen rows as ticked checkboxes, a search box and its button, and, when the form is
    a search, the matches. ChooserFormMixin sets `query` and `searching` on the form's copy."""

    allow_multiple_selected = True
    use_fieldset = False

    def __init__(self, chooser: Chooser, attrs=None):
        super().__init__(attrs)
        self.chooser = chooser
        self.query = ""
        self.searching = False

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None:
            return []
        values = [values] if isinstance(values, str) else values
        return list(dict.fromkeys(str(value) for value in values))  # ticked twice counts once

    def value_omitted_from_data(self, data, files, name):
        # An empty choice posts nothing, like unticked checkboxes.
        return False

    def format_value(self, value):
        if value is None:
            return []
        return [str(v) for v in (value if isinstance(value, list | tuple) else [value])]

    def id_for_label(self, id_):
        # The field's label names the search box, the one control a chooser always has.
        return f"{id_}_q" if id_ else id_

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.pop("id", None) or f"id_{name}"
        chooser = self.chooser
        chosen = chooser.chosen(self.format_value(value))
        search_attrs = {
            "type": "search",
            "id": f"{base_id}_q",
            "name": f"{name}_q",
            "value": self.query,
            "autocomplete": "off",
            "maxlength": 100,
            **{key: val for key, val in attrs.items() if key.startswith("aria-")},
        }
        return format_html(
            '<div class="chooser" id="{id}_chooser" data-chooser data-source="{source}"'
            ' data-name="{name}" {texts}>'
            '<p class="chooser-chosen-label" id="{id}_chosen_label">{chosen_label}</p>'
            '<ul class="chooser-chosen" id="{id}_chosen" aria-labelledby="{id}_chosen_label">'
            "{chosen}</ul>"
            '<div class="chooser-search"><input{search_attrs}>'
            '<button type="submit" name="{button}" value="{name}" class="chooser-search-button">'
            "{search}</button></div>{results}</div>",
            id=base_id,
            source=reverse(f"workspace:choices-{chooser.kind}"),
            name=name,
            texts=flatatt(self._texts()),
            chosen_label=_("Chosen:") if chosen else _("None chosen yet."),
            chosen=_checkboxes(name, chosen, chooser.label, checked=True),
            search_attrs=flatatt(search_attrs),
            button=SEARCH_BUTTON,
            search=_("Search %(things)s") % {"things": chooser.noun},
            results=self._results(name, {row.pk for row in chosen}),
        )

    def _texts(self) -> dict:
        """What the script says, translated here ({} stands for a name or a number)."""
        return {
            "data-text-remove": _("Remove {}"),
            "data-text-added": _("{} added."),
            "data-text-removed": _("{} removed."),
            "data-text-one": _("1 match. Use the arrow keys to choose it."),
            "data-text-many": _("{} matches. Use the up and down arrow keys to choose one."),
            "data-text-more": _(
                "More than {} match; the first are listed. Type more words to narrow the search."
            ),
            "data-text-none": _("Nothing matches."),
            "data-text-failed": _("The search failed. Try again."),
            "data-text-chosen": _("Chosen:"),
            "data-text-empty": _("None chosen yet."),
        }

    def _results(self, name: str, chosen: set[int]):
        """The matches of a search made without JavaScript, those already chosen left out."""
        if not (self.searching and self.query):
            return ""
        try:
            query = clean_query(self.query)
        except ValidationError as error:
            return format_html('<p class="field-error" role="alert">{}</p>', error.messages[0])
        rows, more = self.chooser.search(query)
        rows = [row for row in rows if row.pk not in chosen]
        if not rows:
            return format_html(
                '<p class="chooser-results" role="status">{}</p>',
                _("No other %(things)s match “%(query)s”.")
                % {"things": self.chooser.noun, "query": query},
            )
        legend = ngettext(
            "%(count)d match for “%(query)s”: tick it to add it.",
            "%(count)d matches for “%(query)s”: tick those to add.",
            len(rows),
        ) % {"count": len(rows), "query": query}
        return format_html(
            '<fieldset class="chooser-results"><legend>{}</legend><ul>{}</ul>{}</fieldset>',
            legend,
            _checkboxes(name, rows, self.chooser.label, checked=False),
            format_html(
                "<p>{}</p>",
                _("More match: only the first %(limit)d are shown. Add words to narrow the search.")
                % {"limit": SEARCH_LIMIT},
            )
            if more
            else "",
        )


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


class ChooserFormMixin:
    """For a form with ChooserFields: a POST carrying SEARCH_BUTTON is a search. Such a form is
    never valid (so no view saves it) and shows no errors; its choosers show their matches."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.searching = self.is_bound and SEARCH_BUTTON in self.data
        for name, field in self.fields.items():
            if isinstance(field.widget, ChooserWidget):
                field.widget.searching = self.searching
                if self.is_bound:
                    field.widget.query = str(self.data.get(f"{self.add_prefix(name)}_q", ""))

    def full_clean(self):
        if self.searching:
            self._errors = forms.utils.ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_valid(self):
        return not self.searching and super().is_valid()
