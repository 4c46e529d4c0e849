"""Staff's translations of public texts: the columns, reading them with the English fallback, the
GCM names in the seed against their sources, load_seed on an older database, and the admin."""

import csv
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation as django_translation

from gcm_tracker.tracker import models
from gcm_tracker.tracker.cache import public_generation
from gcm_tracker.tracker.translation import (
    CONTENT_LANGUAGES,
    TRANSLATED_FIELDS,
    Translated,
    column,
    columns,
    content_language,
    translated,
    validate_language_list,
)
from tests.factories import ObjectiveFactory, RecommendationFactory

REFERENCE = Path(settings.BASE_DIR) / "fixtures" / "reference"
TSV_LANGUAGE = {"fr": "fr", "ru": "ru", "zh": "zh-hans"}


def test_every_translated_field_has_a_column_per_language_of_the_same_kind():
    for label, fields in TRANSLATED_FIELDS.items():
        model = apps.get_model(label)
        for field in fields:
            source = model._meta.get_field(field)
            for language in CONTENT_LANGUAGES:
                target = model._meta.get_field(column(field, language))
                assert type(target) is type(source)
                assert target.max_length == source.max_length
                assert target.validators == source.validators
                assert target.blank
                assert target.default == ""


def test_no_model_has_translation_columns_that_the_list_leaves_out():
    suffixes = tuple(f"_{c.replace('-', '_')}" for c in CONTENT_LANGUAGES)
    for model in apps.get_app_config("tracker").get_models():
        if model._meta.model_name.startswith("historical"):
            continue
        found = {f.name for f in model._meta.fields if f.name.endswith(suffixes)}
        listed = {
            column(field, language)
            for field in TRANSLATED_FIELDS.get(model._meta.label, ())
            for language in CONTENT_LANGUAGES
        }
        assert found == listed, model


def test_column_names_and_content_language():
    assert column("text", "fr") == "text_fr"
    assert column("short_title", "zh-hans") == "short_title_zh_hans"
    assert column("text", "en") == "text"
    assert column("text", "de") == "text"
    assert column("text", "fr-ca") == "text_fr"
    assert content_language("zh-Hans") == "zh-hans"
    assert content_language("zh-hant") == "en"
    with django_translation.override("ru"):
        assert content_language() == "ru"


def test_translated_falls_back_to_the_english_source_never_to_blank():
    objective = models.Objective(number=13, title="Use detention last", short_label="Detention")
    objective.title_fr = "Rétention en dernier ressort"
    objective.unofficial_languages = "fr"
    assert translated(objective, "title", "fr") == Translated(
        "Rétention en dernier ressort", "fr", is_source=False, unofficial=True
    )
    assert translated(objective, "title", "ru") == Translated(
        "Use detention last", "en", is_source=True
    )
    assert translated(objective, "title", "en") == Translated("Use detention last", "en")
    with django_translation.override("fr"):
        assert str(translated(objective, "title")) == "Rétention en dernier ressort"


def test_columns_names_what_a_narrowed_queryset_must_load():
    with django_translation.override("en"):
        assert columns(models.Objective) == ["title", "short_label"]
    assert columns(models.Objective, "ru") == [
        "title",
        "title_ru",
        "short_label",
        "short_label_ru",
        "unofficial_languages",
    ]
    assert columns(models.Recommendation, "zh-hans") == [
        "short_title",
        "short_title_zh_hans",
        "text",
        "text_zh_hans",
    ]


def test_the_unofficial_list_accepts_only_languages_with_columns():
    validate_language_list("fr,zh-hans")
    with pytest.raises(ValidationError) as error:
        validate_language_list("fr,de")
    assert error.value.messages == ["Unknown language: de. Use fr, ru, zh-hans."]


# The GCM names in the seed against fixtures/reference/.


def _tsv(name):
    with (REFERENCE / name).open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream, delimiter="\t"))


def _row(kind, key):
    if kind == "objective":
        return models.Objective.objects.get(number=int(key)), [
            ("title", "full_title"),
            ("short_label", "short_label"),
        ]
    return models.GuidingPrinciple.objects.get(letter=key), [("name", "full_title")]


def _from_a_un_page(source_url):
    host = source_url.split(" ; ")[0].split("/")[2]
    return host == "un.org" or host.endswith(".un.org")


@pytest.mark.django_db
def test_seed_holds_every_official_name_verbatim_and_flags_those_not_from_a_un_page(seed):
    official = 0
    for entry in _tsv("gcm-names-translated.tsv"):
        row, fields = _row(entry["kind"], entry["key"])
        language = TSV_LANGUAGE[entry["lang"]]
        for field, source in fields:
            if entry[source] == "MISSING":
                continue
            official += 1
            assert getattr(row, column(field, language)) == entry[source]
            if not _from_a_un_page(entry["source_url"]):
                assert language in row.unofficial_languages.split(","), (row, language)
    # French: 22 titles, 23 short labels, 10 principles; Chinese: 10 principles; Russian: 1.
    assert official == 22 + 23 + 10 + 10 + 1


@pytest.mark.django_db
def test_seed_has_every_name_in_every_language_and_ours_are_flagged_unofficial(seed):
    ours = {
        (e["kind"], e["key"], TSV_LANGUAGE[e["lang"]])
        for e in _tsv("gcm-names-our-translations.tsv")
    }
    for kind, rows in (("objective", models.Objective), ("principle", models.GuidingPrinciple)):
        for row in rows.objects.all():
            key = str(row.number) if kind == "objective" else row.letter
            for language in CONTENT_LANGUAGES:
                for field in TRANSLATED_FIELDS[row._meta.label]:
                    assert getattr(row, column(field, language)), (row, field, language)
                if (kind, key, language) in ours:
                    assert language in row.unofficial_languages.split(","), (row, language)
    objective_13 = models.Objective.objects.get(number=13)
    assert objective_13.title_fr == (
        "Ne recourir au placement en rétention administrative des migrants qu’en dernier "
        "ressort et chercher des solutions de rechange"
    )
    assert objective_13.unofficial_languages == "ru,zh-hans"
    assert models.GuidingPrinciple.objects.get(letter="h").name_zh_hans == "敏感认识到儿童问题"
    assert models.GuidingPrinciple.objects.get(letter="h").unofficial_languages == "ru"


@pytest.mark.django_db
def test_load_seed_fills_blank_translations_of_existing_rows_and_keeps_staffs(
    seed, django_capture_on_commit_callbacks
):
    models.Objective.objects.filter(number=13).update(
        title_fr="", short_label_fr="", title_ru="", unofficial_languages=""
    )
    models.Objective.objects.filter(number=12).update(title_fr="Wording staff chose")
    generation = public_generation()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_seed", stdout=out)
    objective_13 = models.Objective.objects.get(number=13)
    assert objective_13.title_fr.startswith("Ne recourir au placement")
    assert objective_13.short_label_fr == "Alternatives à la rétention"
    assert objective_13.title_ru.startswith("Использование содержания мигрантов")
    # The seed's flag comes back for the Russian name it filled in, not for the French ones.
    assert objective_13.unofficial_languages == "ru"
    assert models.Objective.objects.get(number=12).title_fr == "Wording staff chose"
    assert "3 empty translations were filled in." in out.getvalue()
    assert public_generation() != generation


# The admin.


@pytest.mark.django_db
def test_admin_shows_each_language_in_its_own_folded_section(admin_client):
    recommendation = RecommendationFactory()
    response = admin_client.get(
        reverse("admin:tracker_recommendation_change", args=[recommendation.pk])
    )
    assert response.status_code == 200
    fieldsets = response.context["adminform"].fieldsets
    sections = {name: options for name, options in fieldsets if name}
    assert sections["Translation: French"]["fields"] == ["short_title_fr", "text_fr"]
    assert sections["Translation: Simplified Chinese"]["classes"] == ["collapse"]
    assert "text_fr" not in fieldsets[0][1]["fields"]


@pytest.mark.django_db
def test_admin_edits_a_translation_and_the_unofficial_flags(
    admin_client, django_capture_on_commit_callbacks
):
    objective = ObjectiveFactory(number=13, title="Alternatives", short_label="Detention")
    url = reverse("admin:tracker_objective_change", args=[objective.pk])
    response = admin_client.get(url)
    assert 'name="unofficial_languages" value="ru"' in response.content.decode()
    generation = public_generation()
    data = {
        "number": 13,
        "title": "Alternatives",
        "short_label": "Detention",
        "title_fr": "Titre officiel",
        "short_label_fr": "",
        "title_ru": "Наш перевод",
        "short_label_ru": "",
        "title_zh_hans": "",
        "short_label_zh_hans": "",
        "unofficial_languages": ["ru"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    objective.refresh_from_db()
    assert (objective.title_fr, objective.title_ru) == ("Titre officiel", "Наш перевод")
    assert objective.unofficial_languages == "ru"
    # Cached public pages are dropped as for an edit of the source text.
    assert public_generation() != generation


@pytest.mark.django_db
def test_admin_refuses_a_translation_with_control_characters(admin_client):
    recommendation = RecommendationFactory()
    url = reverse("admin:tracker_recommendation_change", args=[recommendation.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"short_title_fr": "Deux\nlignes"}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["short_title_fr"] == [
        "Write this on one line, without line breaks, tabs or other control characters."
    ]
