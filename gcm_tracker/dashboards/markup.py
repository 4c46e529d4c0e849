"""What templates do to values, for markup drawn in Python (the template tags that draw rows and
cards in Python: action_cards, scorecards, workspace's work_rows)."""

import html

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime


def shown_date(value, format_name: str = "DATE_FORMAT") -> str:
    """`{{ value|date:format_name }}`: a moment in the site's time zone, localised in the
    active language; "" for no value."""
    if value is None:
        return ""
    return formats.date_format(template_localtime(value), format_name)


def filled(sentence: str, **values) -> SafeString:
    """`{% blocktranslate with name=value %}`: the translated sentence (trusted markup) with
    each value escaped and put in."""
    return mark_safe(sentence % {name: escape(value) for name, value in values.items()})


def status_badge(row) -> SafeString:
    """`row`'s status as includes/status_badge.html draws it (a recommendation, an assessment or
    a submission: anything with `status` and its display). Escaped by the standard library's
    escape, as Django's, without its lazy-string wrapper: a scorecard page draws a hundred."""
    return mark_safe(
        f'<span class="badge status-{html.escape(row.status)}">'
        f"{html.escape(str(row.get_status_display()))}</span>"
    )
