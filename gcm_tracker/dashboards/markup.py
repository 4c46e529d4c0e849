"""What templates do to values, for markup drawn in Python (the template tags that draw rows and
cards in Python: action_cards, scorecards, workspace's work_rows)."""

import datetime
import functools
import html
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone, is_naive, localtime
from django.utils.translation import get_language, gettext_lazy

from gcm_tracker.tracker.enums import RecommendationStatus

# Formats that show the day alone: their text is the same for every moment of a day.
DAY_FORMATS = frozenset({"DATE_FORMAT", "SHORT_DATE_FORMAT"})


def shown_date(value, format_name: str = "DATE_FORMAT") -> str:
    """`{{ value|date:format_name }}`: a moment in the site's time zone, localised in the
    active language; "" for no value. A day's text in a format of DAY_FORMATS is kept per day,
    format and language (_day_text): a page of 25 to 50 rows or cards shows a few days, and
    Django's date formatting was a third of a work table row's cost."""
    return shown_dates(format_name)(value)


def shown_dates(format_name: str = "DATE_FORMAT") -> Callable[[Any], str]:
    """shown_date for the many dates of one table: the time zone and the language are read
    once, not for each date (each is a lookup in Django's per-request state)."""
    zone = get_current_timezone() if settings.USE_TZ else None
    language = get_language()

    def shown(value) -> str:
        if value is None:
            return ""
        # template_localtime(value), in the zone read once.
        if (
            zone is not None
            and isinstance(value, datetime.datetime)
            and not is_naive(value)
            and getattr(value, "convert_to_local_time", True)
        ):
            value = localtime(value, zone)
        if format_name not in DAY_FORMATS:
            return formats.date_format(value, format_name)
        day = value.date() if isinstance(value, datetime.datetime) else value
        return _day_text(day, format_name, language)

    return shown


@functools.lru_cache(maxsize=4096)
def _day_text(day: datetime.date, format_name: str, language: str) -> str:
    """`day` in `format_name`, in `language` (the active one when it is called)."""
    return formats.date_format(day, format_name)


@receiver(setting_changed)
def _formats_changed(**kwargs):
    # Tests change formats, languages and time zones (Django resets its own format cache too).
    _day_text.cache_clear()


def filled(sentence: str, **values) -> SafeString:
    """`{% blocktranslate with name=value %}`: the translated sentence (trusted markup) with
    each value escaped and put in."""
    return mark_safe(sentence % {name: escape(value) for name, value in values.items()})


def status_badge(row, labels: dict[str, str] | None = None) -> SafeString:
    """`row`'s status as includes/status_badge.html draws it (a recommendation, an assessment or
    a submission: anything with `status` and its display). Escaped by the standard library's
    escape, as Django's, without its lazy-string wrapper: a scorecard page draws a hundred.
    `labels` are the statuses' labels, escaped, for a table that read them once (STATUS_WORDS)."""
    label = labels.get(row.status) if labels is not None else None
    if label is None:
        label = html.escape(str(row.get_status_display()))
    return mark_safe(f'<span class="badge status-{html.escape(row.status)}">{label}</span>')


class Words:
    """The fixed words of markup drawn in Python (a card's headings, a row's labels), translated
    once per language rather than once per card: a page draws 25 to 50 cards, and gettext and
    Django's escape for each word of each cost more than the card's values. Declared with
    gettext_lazy (so makemessages finds them); `words()` is the dict in the active language,
    each escaped, unless `escaped` is false (sentences `filled` puts values into: trusted
    markup, as blocktranslate's)."""

    def __init__(self, escaped: bool = True, **messages):
        self._messages, self._escaped = messages, escaped
        self._by_language: dict[str | None, dict[str, str]] = {}

    def __call__(self) -> dict[str, str]:
        language = get_language()
        words = self._by_language.get(language)
        if words is None:
            words = {name: str(message) for name, message in self._messages.items()}
            if self._escaped:
                words = {name: html.escape(text) for name, text in words.items()}
            self._by_language[language] = words
        return words


def choice_words(choices: type[models.Choices]) -> Words:
    """The labels of `choices` by value, as Words (escaped, translated once per language)."""
    return Words(**dict(choices.choices))


# A status's label by its value, for tables that draw many badges (status_badge's `labels`).
STATUS_WORDS = choice_words(RecommendationStatus)

# The words of the cards and rows drawn in Python (action_cards, scorecards).
CARD_WORDS = Words(
    organisation=gettext_lazy("Organisation"),
    countries=gettext_lazy("Countries"),
    when=gettext_lazy("When"),
    type=gettext_lazy("Type and progress"),
    recommendations=gettext_lazy("Recommendations"),
    with_=gettext_lazy("with"),
    none_given=gettext_lazy("None given"),
    evidence=gettext_lazy("Evidence:"),
    source=gettext_lazy("Source:"),
    not_given=gettext_lazy("not given"),
    official=gettext_lazy("Official"),
    civil_society=gettext_lazy("Civil society"),
    no_information=gettext_lazy("No information"),
    disagree=gettext_lazy("The voices disagree"),
)
CARD_SENTENCES = Words(
    escaped=False,
    effective=gettext_lazy("effective %(date)s"),
    quiet=gettext_lazy("No update since %(date)s"),
)
