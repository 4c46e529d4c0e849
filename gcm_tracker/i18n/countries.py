"""Country names in the page's language, from CLDR (the Unicode Common Locale Data Repository,
which Babel ships): maintained by others, not typed by us.

English keeps the names the UN uses, stored with each country (Country.short_name: "Viet Nam",
"Türkiye"); other languages take CLDR's name for the ISO 3166 code ("Thaïlande", "Таиланд",
"泰国"), falling back to the English name for a code CLDR does not know. Countries store alpha-3
codes; CLDR's territory aliases map them to the alpha-2 codes its names are keyed by. Everything
is read from Babel's in-memory data: no query, whatever the number of rows.
"""

import functools
import unicodedata

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from django.conf import settings
from django.utils.translation import get_language, to_locale


@functools.cache
def alpha2(iso3: str) -> str | None:
    """The ISO 3166 alpha-2 code of an alpha-3 one ("THA" → "TH"), or None."""
    aliases = get_global("territory_aliases").get(iso3.upper())
    return aliases[0] if aliases else None


@functools.cache
def _territories(language: str) -> dict[str, str]:
    try:
        return Locale.parse(to_locale(language)).territories
    except (UnknownLocaleError, ValueError):
        return {}


def country_name(iso3: str, english: str, language: str | None = None) -> str:
    """The name of the country `iso3` (whose UN English name is `english`) in `language` (the
    active language when None)."""
    language = language or get_language() or settings.LANGUAGE_CODE
    if language.split("-")[0] == "en":
        return english
    code = alpha2(iso3)
    return (_territories(language).get(code) if code else None) or english


def sort_key(name: str) -> str:
    """A key that sorts names in the order readers expect closely enough without a collation
    library: accents aside ("Émirats" with the Es), case aside."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def matching(query: str, countries) -> list[str]:
    """The alpha-3 codes among `countries` (iso3, English name pairs) whose name in the active
    language holds `query`, for the choosers' search in other languages."""
    wanted = sort_key(query)
    return [
        iso3
        for iso3, english in countries
        if wanted and wanted in sort_key(country_name(iso3, english))
    ]
