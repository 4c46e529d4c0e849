"""Dates drawn in Python (cards, work rows) read as the template's `date` filter wrote them: in
the site's time zone and the active language, a day's text kept per day, format and language."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from gcm_tracker.dashboards.markup import shown_date

# 22:30 UTC on 11 January is 05:30 on 12 January in Bangkok.
LATE = datetime.datetime(2026, 1, 11, 22, 30, tzinfo=datetime.UTC)
EARLY = datetime.datetime(2026, 1, 11, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _bangkok(settings):
    settings.TIME_ZONE = "Asia/Bangkok"


def _filter(value, format_name: str) -> str:
    return Template(f'{{{{ value|date:"{format_name}" }}}}').render(Context({"value": value}))


@pytest.mark.parametrize("format_name", ["DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT"])
@pytest.mark.parametrize("language", ["en", "fr", "ru", "zh-hans"])
def test_a_moment_reads_as_the_date_filter_writes_it(format_name, language):
    # A day alone has no time to show.
    days = () if format_name == "DATETIME_FORMAT" else (LATE.date(),)
    with translation.override(language):
        for moment in (LATE, EARLY, *days):
            assert shown_date(moment, format_name) == _filter(moment, format_name)


def test_the_day_is_the_site_s_and_each_language_has_its_own_text(settings):
    with translation.override("en"):
        late, early = shown_date(LATE), shown_date(EARLY)
    with translation.override("fr"):
        french = shown_date(LATE)
    settings.TIME_ZONE = "UTC"
    with translation.override("en"):
        in_utc = shown_date(LATE)

    assert (late, early, french, in_utc) == (
        "12 January 2026",
        "11 January 2026",
        "12 janvier 2026",
        "11 January 2026",
    )


def test_a_moment_with_its_time_keeps_it():
    with translation.override("en"):
        shown = (
            shown_date(LATE, "DATETIME_FORMAT"),
            shown_date(LATE + datetime.timedelta(hours=1), "DATETIME_FORMAT"),
        )

    assert shown[0] != shown[1]
    assert "5:30" in shown[0]


def test_no_value_is_no_text():
    assert shown_date(None) == ""
