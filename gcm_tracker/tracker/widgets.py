"""Form widgets of our own.

QuickSelect, for long filter menus: Django renders every <option> through its own template,
about a third of a millisecond each: a menu of 500 organisations costs more than the rest of the
page. This widget builds the same markup in Python.

DateInput, the browser's date picker: its value is always ISO 8601, whatever the page's
language. `<input type="date">` accepts nothing else, so a French page's "02/12/2026" (Django's
localised default) reached the browser as an empty field and a required date was refused.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    option["value"],
                    mark_safe(" selected") if option["selected"] else "",
                    option["label"],
                )
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
