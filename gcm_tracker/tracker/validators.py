"""Validators for text that the tracker stores and sends on: single-line fields go into e-mail
headers, feeds, CSV cells and page titles; multi-line ones into e-mail bodies, feeds and pages."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. A line break
# in a title made the e-mail subject invalid (BadHeaderError); XML 1.0 cannot carry most of them.
single_line_validator = RegexValidator(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029]",
    inverse_match=True,
    message=_("Write this on one line, without line breaks, tabs or other control characters."),
    code="control_characters",
)

# The same, less the tab, line feed and carriage return that paragraphs are made of.
multi_line_validator = RegexValidator(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]",
    inverse_match=True,
    message=_("Remove the control characters from this text (line breaks and tabs are fine)."),
    code="control_characters",
)


def control_character_errors(**fields: tuple[str, RegexValidator]) -> dict[str, str]:
    """For services, which validate what they are given whatever form or API sent it: field name
    → message, for each `name=(value, validator)` whose value the validator refuses."""
    errors = {}
    for name, (value, validator) in fields.items():
        try:
            validator(value)
        except ValidationError as error:
            errors[name] = error.messages[0]
    return errors
