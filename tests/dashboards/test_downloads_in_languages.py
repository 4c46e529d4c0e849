"""Issue 17: downloads name the language of each text. A list download asked for in French
carries French texts where staff translated them; the complete open-data files stay in the
source language, English, with every translation in a column of its own."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from gcm_tracker.dashboards import open_data
from tests.factories import ConsultationFactory, GoodPracticeFactory, RecommendationFactory

from .pages import download_body

pytestmark = pytest.mark.django_db

TEXT_FR = "Mettre fin à la rétention des enfants migrants."


@pytest.fixture
def paragraphs():
    consultation = ConsultationFactory(slug="c")
    translated = RecommendationFactory(
        consultation=consultation,
        paragraph=1,
        text="End child immigration detention.",
        text_fr=TEXT_FR,
        text_zh_hans="结束对儿童的移民拘留。",
        short_title="Child detention",
    )
    untranslated = RecommendationFactory(
        consultation=consultation, paragraph=2, text="Train border officials."
    )
    practice = GoodPracticeFactory(
        consultation=consultation, paragraph=3, text="A city opened a centre.", text_ru="Город."
    )
    return translated, untranslated, practice


def _rows(client, fmt, language):
    response = client.get(
        reverse("dashboards:recommendation-export", args=[fmt]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response


def _columns(row: dict) -> tuple:
    return (row["reference"], row["text"], row["text_language"], row["short_title_language"])


def test_a_csv_download_in_french_carries_the_french_texts_and_names_each_texts_language(
    client, paragraphs
):
    lines = list(csv.reader(io.StringIO(download_body(_rows(client, "csv", "fr")).decode())))

    rows = [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]
    assert [_columns(row) for row in rows] == [
        ("c-1", TEXT_FR, "fr", "en"),
        ("c-2", "Train border officials.", "en", "en"),
    ]
    # The short title has no French translation: the English one, named as English.
    assert rows[0]["short_title"] == "Child detention"


def test_json_and_xlsx_downloads_in_chinese_and_english(client, paragraphs):
    chinese = json.loads(download_body(_rows(client, "json", "zh-hans")))["recommendations"]
    workbook = load_workbook(io.BytesIO(_rows(client, "xlsx", "en").content), read_only=True)
    sheet = list(workbook.worksheets[0].values)
    english = [dict(zip(sheet[0], row, strict=True)) for row in sheet[1:]]

    assert [_columns(row) for row in chinese] == [
        ("c-1", "结束对儿童的移民拘留。", "zh-hans", "en"),
        ("c-2", "Train border officials.", "en", "en"),
    ]
    assert [_columns(row) for row in english] == [
        ("c-1", "End child immigration detention.", "en", "en"),
        ("c-2", "Train border officials.", "en", "en"),
    ]


def test_the_complete_files_are_english_with_a_column_per_translation_whatever_the_language(
    paragraphs,
):
    with translation.override("fr"):
        manifest = open_data.build()

    folder = open_data.directory() / manifest["version"]
    recommendations = json.loads((folder / "gcm-tracker-recommendations.json").read_text())
    practices = json.loads((folder / "gcm-tracker-good-practices.json").read_text())
    first = recommendations["recommendations"][0]
    assert _columns(first) == ("c-1", "End child immigration detention.", "en", "en")
    assert (first["text_fr"], first["text_ru"], first["text_zh_hans"]) == (
        TEXT_FR,
        "",
        "结束对儿童的移民拘留。",
    )
    assert (first["short_title_fr"], first["status_label"]) == ("", "No information")
    practice = practices["good_practices"][0]
    assert (practice["text"], practice["text_language"], practice["text_ru"]) == (
        "A city opened a centre.",
        "en",
        "Город.",
    )


def test_the_data_dictionary_explains_the_language_columns(client):
    response = client.get(reverse("dashboards:data-dictionary"))

    html = response.content.decode()
    assert "<code>text_language</code>" in html
    assert "Staff&#x27;s translation of text into French; empty where there is none yet." in html
