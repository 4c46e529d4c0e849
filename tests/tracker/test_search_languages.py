"""Issue 17: searching recommendations in each language (tracker.search). On PostgreSQL, French
and Russian are stemmed and Chinese is matched by pairs of characters, with the indexes of
migration 0027; on SQLite every word is a case-insensitive substring. Either way a search looks
in the English source too, so untranslated recommendations stay findable."""

import pytest
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from gcm_tracker.tracker.filters import search_paragraphs
from gcm_tracker.tracker.models import GoodPractice, Recommendation
from gcm_tracker.workspace.choices import RECOMMENDATIONS
from tests.factories import GoodPracticeFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("stemming and the indexes are PostgreSQL's; SQLite searches substrings")


@pytest.fixture
def translated():
    return RecommendationFactory(
        text="Protect the rights of every person in immigration detention.",
        text_fr="Protéger les droits de chaque migrant placé en rétention.",
        text_ru="Защищать права каждого мигранта, содержащегося под стражей.",
        text_zh_hans="保护所有移民工人的权利。",
    )


@pytest.fixture
def untranslated():
    return RecommendationFactory(text="Train border officials in child-sensitive approaches.")


def found(text: str, language: str, model=Recommendation) -> set[str]:
    with translation.override(language):
        return set(search_paragraphs(model.objects.all(), text).values_list("text", flat=True))


def test_a_french_search_finds_the_translation_by_its_stem(translated, untranslated):
    _postgresql_only()

    assert found("migrants", "fr") == {translated.text}
    assert found("rétentions", "fr") == {translated.text}
    # In English the French words are not searched.
    assert found("migrants", "en") == set()


def test_a_russian_search_finds_the_translation_by_its_stem(translated, untranslated):
    _postgresql_only()

    assert found("мигрантов", "ru") == {translated.text}
    assert found("мигранты", "ru") == {translated.text}
    assert found("мигрантов", "fr") == set()


def test_a_french_search_finds_a_word_of_the_translation_on_every_database(translated):
    assert found("migrant", "fr") == {translated.text}
    assert found("droits migrant", "fr") == {translated.text}


@pytest.mark.parametrize("word", ["移民", "民工", "权利", "保护所有移民", "移"])
def test_a_chinese_search_finds_any_substring_of_the_translation(translated, untranslated, word):
    assert found(word, "zh-hans") == {translated.text}


@pytest.mark.parametrize("word", ["移工", "民移", "难民"])
def test_a_chinese_search_finds_no_characters_that_are_not_together_in_order(translated, word):
    assert found(word, "zh-hans") == set()


def test_a_chinese_search_is_not_made_in_other_languages(translated):
    assert found("移民", "fr") == set()
    assert found("移民", "en") == set()


def test_an_english_search_is_unchanged(translated, untranslated):
    assert found("detention", "en") == {translated.text}
    assert found("officials", "en") == {untranslated.text}
    if connection.vendor == "postgresql":
        # Stemmed and with web-search syntax, as before.
        assert found("official -detention", "en") == {untranslated.text}


@pytest.mark.parametrize("language", ["fr", "ru", "zh-hans"])
def test_a_search_in_any_language_also_finds_english_source_text(
    translated, untranslated, language
):
    assert found("officials", language) == {untranslated.text}
    assert found("detention", language) == {translated.text}


def test_good_practices_are_searched_in_the_language_too():
    practice = GoodPracticeFactory(
        text="A city opened a resource centre.", text_fr="Une ville a ouvert un centre d'accueil."
    )

    assert found("ville", "fr", GoodPractice) == {practice.text}
    assert found("ville", "en", GoodPractice) == set()


def test_the_api_searches_in_the_language_asked_for(translated, untranslated):
    def search(**params):
        # A new client each time: ?lang= may leave a language cookie behind.
        return APIClient().get("/api/v1/recommendations/", params).json()

    french = search(q="migrant", lang="fr")
    chinese = search(q="移民", lang="zh-hans")
    english = search(q="migrant")

    assert [row["text"] for row in french["results"]] == [translated.text_fr]
    assert [row["text_language"] for row in chinese["results"]] == ["zh-hans"]
    assert english["count"] == 0


def test_the_public_list_searches_in_the_browsers_language(client, translated, untranslated):
    response = client.get("/recommendations/", {"q": "migrant"}, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    assert [r.pk for r in response.context["page"]] == [translated.pk]


@pytest.mark.parametrize(
    ("language", "typed"),
    [("fr", "migra"), ("ru", "мигран"), ("zh-hans", "移民"), ("en", "immigration deten")],
)
def test_the_chooser_finds_as_you_type_in_the_active_language(translated, language, typed):
    with translation.override(language):
        rows, more = RECOMMENDATIONS.search(typed)

    assert ([row.pk for row in rows], more) == ([translated.pk], False)


@pytest.mark.parametrize(
    ("language", "index"),
    [
        ("en", "tracker_recommendation_search"),
        ("fr", "tracker_recommendation_search_fr"),
        ("ru", "tracker_recommendation_search_ru"),
        ("zh-hans", "tracker_recommendation_search_zh_hans"),
    ],
)
def test_each_languages_search_can_read_its_index(translated, language, index):
    """The expression a search writes is its index's: with sequential scans and plain index
    scans off (a GIN index is read as a bitmap; on so few rows PostgreSQL would rather walk the
    report-order index and test each row), it reads the index (at 200,000 rows it chooses to:
    docs/translating.md)."""
    _postgresql_only()
    with translation.override(language):
        queryset = search_paragraphs(Recommendation.objects.all(), "移民 migrant")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            plan = queryset.explain()

    assert index in plan


def test_each_search_index_holds_the_status_before_its_words():
    """Migration 0050: a status filter and a search are one index condition, not two indexes'
    bitmaps intersected (at N = 200,000 PostgreSQL reads them so: docs/performance.md). Which
    index the planner picks on a test's few rows says nothing, so the definitions are checked."""
    _postgresql_only()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'tracker_recommendation'"
            " AND indexname LIKE 'tracker_recommendation_search%' ORDER BY indexname"
        )
        indexes = cursor.fetchall()

    assert [name for name, _definition in indexes] == [
        "tracker_recommendation_search",
        "tracker_recommendation_search_fr",
        "tracker_recommendation_search_ru",
        "tracker_recommendation_search_zh_hans",
    ]
    for _name, definition in indexes:
        assert "USING gin (status, to_tsvector(" in definition, definition
