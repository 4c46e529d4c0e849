"""The site's languages (settings.LANGUAGES) and how a code someone gave us maps onto one."""

from django.conf import settings
from django.utils import translation


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def exact(value: str | None) -> str | None:
    """`value` if it names one of the site's languages exactly (case aside), else None: for
    `?lang=` and the profile, where only our own codes are written."""
    value = (value or "").strip().lower()
    return value if value in codes() else None


def closest(value: str | None) -> str | None:
    """The site's language nearest to a code from elsewhere (a cookie, an e-mail address's
    stored language): "fr-CA" is French, "zh-CN" Simplified Chinese; None when none fits."""
    if not value:
        return None
    try:
        return translation.get_supported_language_variant(value.strip().lower())
    except LookupError:
        return None


def hreflang(code: str) -> str:
    """The BCP 47 spelling of one of our codes, for lang and hreflang attributes ("zh-Hans")."""
    language, _, script = code.partition("-")
    return f"{language}-{script.title()}" if script else language
