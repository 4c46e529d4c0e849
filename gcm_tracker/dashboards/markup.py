"""What templates do to values, for markup drawn in Python (the template tags that draw rows and
cards in Python: action_cards, scorecards, workspace's work_rows)."""

from django.utils import formats
from django.utils.html import escape, format_html
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


def status_badge(row) -> str:
    """`row`'s status as includes/status_badge.html draws it (a recommendation, an assessment or
    a submission: anything with `status` and its display)."""
    return format_html(
        '<span class="badge status-{}">{}</span>', row.status, row.get_status_display()
    )
