"""Dates in Russian, in the style of the English module (gcm_tracker/formats/en): "19 ноября
2020 г." everywhere (E: the month in the genitive), short formats included; numbers keep
Django's Russian separators."""

DATE_FORMAT = "j E Y г."
DATETIME_FORMAT = "j E Y г., H:i T"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j E"
YEAR_MONTH_FORMAT = "F Y г."
FIRST_DAY_OF_WEEK = 1
