"""How dates and times are shown in English (FORMAT_MODULE_PATH points here).

One style on every page, e-mail and feed: "19 November 2020", and "19 November 2020, 20:16 +07"
where a time is shown (in the site's zone, DJANGO_TIME_ZONE, named by its offset so a reader
elsewhere knows which clock it is). The short formats are the same, so that no page falls back to
"12/01/2026 8:16 p.m.". Downloads and the API write ISO 8601 instead, never these. Another
language gets its own module beside this one (gcm_tracker/formats/<code>/formats.py); names not
set here fall back to Django's own for the language.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i T"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
# Monday, as in most ESCAP members.
FIRST_DAY_OF_WEEK = 1
