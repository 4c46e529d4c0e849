"""The API in each language: which language an answer is in, and which language each text is in.

A client asks for a language with `?lang=` (en, fr, ru, zh-hans) or, as on the pages, with the
language cookie or `Accept-Language`; the query parameter wins, and a value the site does not
offer is a 400 rather than an answer in another language than the one asked for (the pages
ignore it instead, so that a mistyped shared link still opens). The answer's `Content-Language`
header names the language of the interface words (error messages, status labels).

Translated texts (tracker.translation: recommendation and good-practice texts and short titles,
objective titles and labels, principle names, consultation titles) come in the language asked
for, or in their English source where staff have not translated them yet; each such `field` has
a `field_language` beside it saying which, and every object names its `source_language` ("en"),
the language its verbatim record is in. With no language asked for, answers are in English as
they always were.
"""

from django.conf import settings
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.negotiation import DefaultContentNegotiation

from gcm_tracker.tracker.translation import SOURCE_LANGUAGE, translated

LANGUAGE_PARAMETER = "lang"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class LanguageNegotiation(DefaultContentNegotiation):
    """DRF's content negotiation, which every API view runs before anything else (before the
    token is read), extended to the language: `?lang=` activates a language the site offers
    for the rest of the request, and answers 400 for one it does not."""

    def select_renderer(self, request, renderers, format_suffix=None):
        asked = request.query_params.get(LANGUAGE_PARAMETER)
        if asked is not None:
            # Read as the pages read it (case and spaces aside), but refused when unknown.
            language = asked.strip().lower()
            if language not in language_codes():
                message = gettext("The API answers in %(languages)s; “%(value)s” is none of them.")
                values = {"languages": ", ".join(language_codes()), "value": asked[:20]}
                raise exceptions.ValidationError({LANGUAGE_PARAMETER: [message % values]})
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return super().select_renderer(request, renderers, format_suffix)


LANGUAGE_QUERY = OpenApiParameter(
    LANGUAGE_PARAMETER,
    OpenApiTypes.STR,
    enum=language_codes(),
    description=_(
        "The language of the answer: translated texts (each names its language in a "
        "`…_language` field beside it, English where not yet translated) and messages. "
        "Overrides the Accept-Language header; without either, English."
    ),
)


TRANSLATED_HELP = _(
    "In the language asked for where staff translated it, else in English (see the field "
    "ending in _language)."
)


class TranslatedTextField(serializers.CharField):
    """A translated text of the object at `source` (the serialized object by default), in the
    active language, or its English source where it has no translation. Documented as the
    model's field is (`model`), with a word on the language."""

    def __init__(self, field: str, model=None, **kwargs):
        self.translated_field = field
        kwargs.setdefault("source", "*")
        if model is not None:
            model_field = model._meta.get_field(field)
            kwargs.setdefault("max_length", model_field.max_length)
            help_text = model_field.help_text
            kwargs.setdefault(
                "help_text",
                format_lazy("{} {}", help_text, TRANSLATED_HELP) if help_text else TRANSLATED_HELP,
            )
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return translated(value, self.translated_field).text


class TextLanguageField(serializers.ChoiceField):
    """The language a TranslatedTextField's text is in: the one asked for, or "en" where the
    text fell back to its source."""

    def __init__(self, field: str, **kwargs):
        self.translated_field = field
        kwargs.setdefault("source", "*")
        kwargs.setdefault(
            "help_text",
            _(
                "The language of the text before it: the one asked for, or en where it is not "
                "yet translated."
            ),
        )
        super().__init__(choices=language_codes(), read_only=True, **kwargs)

    def to_representation(self, value):
        return translated(value, self.translated_field).language


class SourceLanguageField(serializers.ChoiceField):
    """The language of the object's verbatim record: every source text is in English."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("The language the texts were written in (the record); translations are staff's."),
        )
        super().__init__(choices=language_codes(), source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return SOURCE_LANGUAGE
