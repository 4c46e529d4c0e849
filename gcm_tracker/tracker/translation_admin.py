"""The admin's side of staff's translations (translation.py): each language's columns in a
section of their own, folded away under the source fields, and the unofficial flags of UN names
as one tick box per language.

Saving a translation is an ordinary save of the row, so the model signals move the public
generation on (cache.public_row_changed) and cached pages show it, as for the source text.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .translation import (
    CONTENT_LANGUAGES,
    column,
    join_languages,
    split_languages,
    translated_fields,
)


class LanguageListField(forms.MultipleChoiceField):
    """Tick boxes for the languages of a comma-separated list ("ru,zh-hans")."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        for unused in ("max_length", "empty_value"):
            kwargs.pop(unused, None)
        super().__init__(choices=list(CONTENT_LANGUAGES.items()), **kwargs)

    def prepare_value(self, value):
        return split_languages(value) if isinstance(value, str) else value

    def to_python(self, value):
        return split_languages(value) if isinstance(value, str) else super().to_python(value)

    def clean(self, value):
        return join_languages(super().clean(value))


class TranslationsAdminMixin:
    """For the ModelAdmin of a model with translated fields."""

    def translation_columns(self) -> dict[str, list[str]]:
        """Language → its columns, in the order of the source fields."""
        fields = translated_fields(self.model)
        return {language: [column(f, language) for f in fields] for language in CONTENT_LANGUAGES}

    def get_fieldsets(self, request, obj=None):
        if self.fieldsets:
            return self.fieldsets
        by_language = self.translation_columns()
        hidden = {name for names in by_language.values() for name in names}
        hidden.add("unofficial_languages")
        fields = [f for f in self.get_fields(request, obj) if f not in hidden]
        fieldsets = [(None, {"fields": fields})]
        for language, names in by_language.items():
            fieldsets.append(
                (
                    _("Translation: %(language)s") % {"language": CONTENT_LANGUAGES[language]},
                    {
                        "fields": names,
                        "classes": ["collapse"],
                        "description": _(
                            "Leave blank while there is no translation: the page then shows the "
                            "English text, marked as not yet translated."
                        ),
                    },
                )
            )
        if self._has_unofficial_flags():
            fieldsets.append(
                (
                    _("Unofficial translations"),
                    {
                        "fields": ["unofficial_languages"],
                        "description": _(
                            "Ticked: the names in that language are our own translation (or "
                            "from a source still to be checked), and public pages mark them as "
                            "unofficial. Replace them with the UN's official wording and untick."
                        ),
                    },
                )
            )
        return fieldsets

    def _has_unofficial_flags(self) -> bool:
        return any(f.name == "unofficial_languages" for f in self.model._meta.get_fields())

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "unofficial_languages":
            return db_field.formfield(form_class=LanguageListField, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
