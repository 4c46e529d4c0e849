"""Translated content: the columns that hold staff's translations of public texts, and reading
them in a language with a fallback to the English source.

Each translated text has one column per language next to its source, `<field>_<suffix>`
(`text_fr`, `title_ru`, `name_zh_hans`). The source column stays the verbatim English record
whatever language a request or an import runs in; a blank translation means "not yet translated"
and reading it gives the source text, named as English, never an empty string. (Why explicit
columns and not django-modeltranslation or django-parler: docs/translating.md, "Translating
content".)

This module imports no model, so that models.py can build its columns with `translation_of`.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The language the source columns are written in.
SOURCE_LANGUAGE = "en"
# The languages that have translation columns, as Django names them (settings.LANGUAGES), with
# the name staff see on the admin's fields.
CONTENT_LANGUAGES = {
    "fr": _("French"),
    "ru": _("Russian"),
    "zh-hans": _("Simplified Chinese"),
}

# Model label → its translated fields. Keep in step with the `translation_of` columns in models.py
# (tests/tracker/test_translation.py checks both ways).
TRANSLATED_FIELDS: dict[str, tuple[str, ...]] = {
    "tracker.Objective": ("title", "short_label"),
    "tracker.GuidingPrinciple": ("name",),
    "tracker.Consultation": ("title",),
    "tracker.Recommendation": ("short_title", "text"),
    "tracker.GoodPractice": ("short_title", "text"),
}
# Models whose names are the UN's: a translation may be ours rather than the official wording,
# and the row says so in `unofficial_languages`.
NAMED_BY_THE_UN = ("tracker.Objective", "tracker.GuidingPrinciple")


def suffix(language: str) -> str:
    """The column suffix of a content language: "zh-hans" → "zh_hans"."""
    return language.replace("-", "_")


def column(field: str, language: str) -> str:
    """The column that holds `field` in `language`: the source column for English or a language
    without translations ("text", "fr" → "text_fr"; "text", "de" → "text")."""
    language = content_language(language)
    return field if language == SOURCE_LANGUAGE else f"{field}_{suffix(language)}"


def columns(model, language: str | None = None) -> list[str]:
    """Every column a page needs to show `model`'s translated fields in `language` (the active
    one by default): the sources, and their translations when the language has some. For
    querysets narrowed with `.only()` or `.values()`."""
    language = content_language(language)
    names = []
    for field in translated_fields(model):
        names.append(field)
        if language != SOURCE_LANGUAGE:
            names.append(column(field, language))
    if language != SOURCE_LANGUAGE and model._meta.label in NAMED_BY_THE_UN:
        names.append("unofficial_languages")
    return names


def translated_fields(model) -> tuple[str, ...]:
    """The translated fields of a model class or instance (none for other models)."""
    return TRANSLATED_FIELDS.get(model._meta.label, ())


def content_language(language: str | None = None) -> str:
    """The content language to read for a language code (the active language by default):
    itself when it has columns, its base language when that has ("fr-ca" → "fr"), else English."""
    language = (language or get_language() or SOURCE_LANGUAGE).lower()
    if language in CONTENT_LANGUAGES:
        return language
    base = language.split("-")[0]
    return base if base in CONTENT_LANGUAGES else SOURCE_LANGUAGE


@dataclass(frozen=True)
class Translated:
    """A text as shown in a language: `language` is the language the text is written in (the
    source's "en" when it falls back), `is_source` whether it is the source text although
    another language was asked for, `unofficial` whether it is our translation of a UN name."""

    text: str
    language: str
    is_source: bool = False
    unofficial: bool = False

    def __str__(self) -> str:
        return self.text


def translated(obj, field: str, language: str | None = None) -> Translated:
    """`obj`'s `field` in `language` (the active one by default), or its source text when the
    translation is blank."""
    language = content_language(language)
    source = getattr(obj, field)
    if language == SOURCE_LANGUAGE:
        return Translated(source, SOURCE_LANGUAGE)
    text = getattr(obj, column(field, language))
    if not text:
        return Translated(source, SOURCE_LANGUAGE, is_source=True)
    return Translated(text, language, unofficial=is_unofficial(obj, language))


def is_unofficial(obj, language: str) -> bool:
    """Whether `obj`'s translation into `language` is ours rather than the UN's wording."""
    return language in unofficial_languages(obj)


def unofficial_languages(obj) -> list[str]:
    """The languages whose translation of `obj`'s names is unofficial (none for other models)."""
    return split_languages(getattr(obj, "unofficial_languages", ""))


def split_languages(value: str) -> list[str]:
    return [code.strip() for code in (value or "").split(",") if code.strip()]


def join_languages(codes) -> str:
    """The stored form of a list of languages: comma-separated, in CONTENT_LANGUAGES' order."""
    codes = set(codes)
    return ",".join(code for code in CONTENT_LANGUAGES if code in codes)


def translation_of(source: models.Field, language: str) -> models.Field:
    """A column for `source`'s translation into `language`: the same kind of field, with its
    length and validators, optional and blank by default.

    The default is the database's too: rows inserted by raw SQL (seed_synthetic) need not name
    the column, and a column with a constant default is added without rewriting the table on
    PostgreSQL."""
    _name, _path, args, kwargs = source.deconstruct()
    kwargs.update(
        verbose_name=format_lazy("{} ({})", source.verbose_name, CONTENT_LANGUAGES[language]),
        blank=True,
        default="",
        db_default="",
    )
    kwargs.pop("help_text", None)
    return source.__class__(*args, **kwargs)


def validate_language_list(value: str) -> None:
    """Refuses a list of languages that names one without translation columns."""
    from django.core.exceptions import ValidationError

    unknown = [code for code in split_languages(value) if code not in CONTENT_LANGUAGES]
    if unknown:
        raise ValidationError(
            _("Unknown language: %(codes)s. Use %(known)s."),
            code="unknown_language",
            params={"codes": ", ".join(unknown), "known": ", ".join(CONTENT_LANGUAGES)},
        )


def unofficial_languages_field() -> models.CharField:
    """The column that lists which languages' names of a row are our translation."""
    return models.CharField(
        _("unofficial translations"),
        max_length=40,
        blank=True,
        default="",
        db_default="",
        validators=[validate_language_list],
        help_text=_(
            "Languages whose names here are our translation, not the UN's official wording. "
            "Untick a language once its names are replaced by the official wording."
        ),
    )


def add_missing_translations(seed_row) -> int:
    """Give an existing row the translations of `seed_row` (the same row as the seed data has
    it) that are still blank in the database, and the seed's unofficial flags for the languages
    they fill; a translation staff wrote is never replaced. Returns how many columns were
    filled. For databases loaded before translations existed (load_seed)."""
    model = type(seed_row)
    if not translated_fields(model):
        return 0
    filled = 0
    for language in CONTENT_LANGUAGES:
        for field in translated_fields(model):
            name = column(field, language)
            value = getattr(seed_row, name)
            if not value:
                continue
            # One UPDATE whose condition is the check: no read-then-write race with an editor.
            changed = model.objects.filter(pk=seed_row.pk, **{name: ""}).update(**{name: value})
            filled += changed
            if changed and is_unofficial(seed_row, language):
                _flag_unofficial(model, seed_row.pk, language)
    return filled


def _flag_unofficial(model, pk, language: str) -> None:
    row = model.objects.select_for_update().only("unofficial_languages").get(pk=pk)
    codes = unofficial_languages(row)
    if language not in codes:
        model.objects.filter(pk=pk).update(unofficial_languages=join_languages([*codes, language]))
