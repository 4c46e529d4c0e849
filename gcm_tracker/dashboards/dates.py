"""Dates as the templates show them, for markup drawn in Python."""

from django.utils import formats
from django.utils.timezone import template_localtime


def shown_date(value, format_name: str = "DATE_FORMAT") -> str:
    """`{{ value|date:format_name }}`: a moment in the site's time zone, localised in the
    active language; "" for no value."""
    if value is None:
        return ""
    return formats.date_format(template_localtime(value), format_name)
