"""Dates in French: the English module's style (gcm_tracker/formats/en), which French writes the
same way, "19 novembre 2020" everywhere, short formats included (Django's own French short
format would be "19/11/2020"); the month names and the number separators are Django's French."""

from gcm_tracker.formats.en.formats import (  # noqa: F401
    DATE_FORMAT,
    DATETIME_FORMAT,
    FIRST_DAY_OF_WEEK,
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    YEAR_MONTH_FORMAT,
)
