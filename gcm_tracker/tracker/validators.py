"""Validators for text that the tracker stores and sends on: single-line fields go into e-mail
headers, feeds, CSV cells and page titles; multi-line ones into e-mail bodies, feeds and pages."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. A line break
# in a title made the e-mail subject invalid (BadHeaderError); XML 1.0 cannot carry most of them.
_SINGLE_LINE_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The same, less the tab, line feed and carriage return that paragraphs are made of.
_MULTI_LINE_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@deconstructible(path="gcm_tracker.tracker.validators.ControlCharacterValidator")
class ControlCharacterValidator:
    """Refuses control characters; with `multi_line`, line breaks and tabs are allowed.

    Not a RegexValidator with inverse_match: the API schema generator would publish its pattern
    as one the value must match, the opposite of what it means."""

    def __init__(self, multi_line: bool = False):
        self.multi_line = multi_line

    def __call__(self, value) -> None:
        forbidden = _MULTI_LINE_FORBIDDEN if self.multi_line else _SINGLE_LINE_FORBIDDEN
        if isinstance(value, str) and forbidden.search(value):
            raise ValidationError(self.message, code="control_characters")

    @property
    def message(self):
        if self.multi_line:
            return _(
                "Remove the control characters from this text (line breaks and tabs are fine)."
            )
        return _("Write this on one line, without line breaks, tabs or other control characters.")

    def __eq__(self, other) -> bool:
        return isinstance(other, ControlCharacterValidator) and other.multi_line == self.multi_line

    def __hash__(self) -> int:
        return hash((type(self), self.multi_line))


single_line_validator = ControlCharacterValidator()
multi_line_validator = ControlCharacterValidator(multi_line=True)


def control_character_errors(**fields: tuple[str, ControlCharacterValidator]) -> dict[str, str]:
    """For services, which validate what they are given whatever form or API sent it: field name
    → message, for each `name=(value, validator)` whose value the validator refuses."""
    errors = {}
    for name, (value, validator) in fields.items():
        try:
            validator(value)
        except ValidationError as error:
            errors[name] = error.messages[0]
    return errors


# RFC 3986: a URI holds unreserved and reserved characters and percent-encoded octets, nothing
# else. Django's URLValidator lets a path hold any non-space character, so `"`, `<`, `>` and
# letters outside ASCII passed, and the API then published links that break its own schema's
# `format: uri` (and its consumers).
_URI = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
URI_CHARACTERS_MESSAGE = _(
    "“%(value)s” has characters a web address cannot hold as they are: encode spaces, quotes, "
    "< and > and letters outside ASCII (for example %%20 for a space)."
)


@deconstructible(path="gcm_tracker.tracker.validators.HttpUriValidator")
class HttpUriValidator(URLValidator):
    """An http or https address that is also a URI by RFC 3986 (nothing left unencoded)."""

    def __init__(self, **kwargs):
        super().__init__(**{"schemes": ["http", "https"], **kwargs})

    def __call__(self, value) -> None:
        super().__call__(value)
        if not _URI.fullmatch(value):
            raise ValidationError(
                URI_CHARACTERS_MESSAGE, code="uri_characters", params={"value": value}
            )


http_url_validator = HttpUriValidator()
