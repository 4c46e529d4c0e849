"""Issue 17: the API answers in the language asked for (?lang= or Accept-Language), names the
language of every translated text and the source language, and refuses a language it does not
offer."""

import pytest

from gcm_tracker.tracker.models import GuidingPrinciple
from tests.factories import (
    ConsultationFactory,
    GoodPracticeFactory,
    ObjectiveFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db

TEXT_EN = "Governments should end child immigration detention."
TEXT_FR = "Les gouvernements devraient mettre fin à la détention des enfants migrants."
TEXT_RU = "Правительствам следует прекратить содержание детей-мигрантов под стражей."


@pytest.fixture
def recommendation():
    consultation = ConsultationFactory(
        slug="border-governance", title="Border governance", title_fr="Gouvernance des frontières"
    )
    objective = ObjectiveFactory(
        number=13, title="Use detention only as a last resort", title_fr="Détention en dernier"
    )
    return RecommendationFactory(
        consultation=consultation,
        paragraph=87,
        text=TEXT_EN,
        text_fr=TEXT_FR,
        text_ru=TEXT_RU,
        short_title="End child detention",
        objectives=[objective],
    )


def test_french_asked_with_lang_gives_french_texts_each_named_and_english_where_untranslated(
    api, recommendation
):
    response = api.get(f"/api/v1/recommendations/{recommendation.reference}/", {"lang": "fr"})

    body = response.json()
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"
    assert (body["text"], body["text_language"]) == (TEXT_FR, "fr")
    # No French short title yet: the English one, named as English.
    assert (body["short_title"], body["short_title_language"]) == ("End child detention", "en")
    assert (body["citation"]["title"], body["citation"]["title_language"]) == (
        "Gouvernance des frontières",
        "fr",
    )
    assert body["source_language"] == "en"


def test_accept_language_chooses_the_language_and_lang_overrides_it(api, recommendation):
    path = f"/api/v1/recommendations/{recommendation.reference}/"

    russian = api.get(path, HTTP_ACCEPT_LANGUAGE="ru")
    english = api.get(path, {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="ru")

    assert russian.headers["Content-Language"] == "ru"
    assert (russian.json()["text"], russian.json()["text_language"]) == (TEXT_RU, "ru")
    assert english.headers["Content-Language"] == "en"
    assert (english.json()["text"], english.json()["text_language"]) == (TEXT_EN, "en")


def test_without_a_language_the_answer_is_english_as_before(api, recommendation):
    response = api.get("/api/v1/recommendations/", {"objective": 13})

    row = response.json()["results"][0]
    assert response.headers["Content-Language"] == "en"
    assert (row["text"], row["text_language"], row["source_language"]) == (TEXT_EN, "en", "en")


def test_a_cached_anonymous_answer_is_kept_per_language(api, recommendation):
    """Anonymous answers are cached by address; the same address asked in two languages (by
    Accept-Language) gets two answers."""
    path = f"/api/v1/recommendations/{recommendation.reference}/"

    texts = [api.get(path, HTTP_ACCEPT_LANGUAGE=lang).json()["text"] for lang in ("fr", "en", "fr")]

    assert texts == [TEXT_FR, TEXT_EN, TEXT_FR]


def test_objectives_principles_consultations_and_good_practices_come_in_the_language(
    api, recommendation
):
    GuidingPrinciple.objects.create(letter="a", name="People-centred", name_zh_hans="以人为本")
    practice = GoodPracticeFactory(
        consultation=recommendation.consultation, text="A city opened a centre.", text_fr=""
    )

    objective = api.get("/api/v1/objectives/13/", {"lang": "fr"}).json()
    principle = api.get("/api/v1/guiding-principles/a/", {"lang": "zh-hans"}).json()
    consultation = api.get("/api/v1/consultations/border-governance/", {"lang": "fr"}).json()
    good_practice = api.get(f"/api/v1/good-practices/{practice.reference}/", {"lang": "fr"})

    assert (objective["title"], objective["title_language"]) == ("Détention en dernier", "fr")
    assert (objective["short_label"], objective["short_label_language"]) == ("Label 13", "en")
    assert (principle["name"], principle["name_language"]) == ("以人为本", "zh-hans")
    assert (consultation["title"], consultation["title_language"]) == (
        "Gouvernance des frontières",
        "fr",
    )
    body = good_practice.json()
    assert (body["text"], body["text_language"], body["source_language"]) == (
        "A city opened a centre.",
        "en",
        "en",
    )


def test_lang_is_read_as_on_the_pages_case_and_spaces_aside(api, recommendation):
    response = api.get(f"/api/v1/recommendations/{recommendation.reference}/", {"lang": " FR"})

    assert (response.status_code, response.json()["text_language"]) == (200, "fr")


@pytest.mark.parametrize("value", ["de", "fr-ca", "", "fr-x-" + "a" * 100])
def test_a_language_the_api_does_not_offer_answers_400_naming_the_parameter(api, value):
    response = api.get("/api/v1/objectives/", {"lang": value})

    assert response.status_code == 400
    assert response.json() == {
        "lang": [
            f"The API answers in en, fr, ru, zh-hans; “{value[:20]}” is none of them.",
        ]
    }


def test_a_write_with_an_unknown_language_is_refused_before_anything_else(staff_api):
    response = staff_api.post("/api/v1/actions/?lang=xx", {}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["lang"]
