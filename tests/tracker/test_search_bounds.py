"""Item 10: a search is bounded (32 words, 500 characters) with a clear 400 on every list that
searches, HTML page, download and API alike, on every database."""

import time

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from gcm_tracker.tracker.filters import search_paragraphs
from gcm_tracker.tracker.models import Recommendation
from tests.factories import GoodPracticeFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

TOO_MANY_WORDS = {"q": ["Search for at most 32 words (this search has 40)."]}
TOO_LONG = {"q": ["Ensure this value has at most 500 characters (it has 501)."]}
BOTH = {
    "q": [
        "Search for at most 32 words (this search has 1300).",
        "Ensure this value has at most 500 characters (it has 11699).",
    ]
}
URLS = [
    reverse("dashboards:recommendation-list"),
    reverse("dashboards:recommendation-export", args=["csv"]),
    reverse("dashboards:good-practice-list"),
]
API_URLS = ["/api/v1/recommendations/", "/api/v1/good-practices/"]


@pytest.fixture
def paragraphs(db):
    RecommendationFactory(text="Protect children in detention.")
    GoodPracticeFactory(text="Protect children in detention.")


@pytest.mark.parametrize("url", URLS)
def test_item_10_pages_and_downloads_refuse_1300_words_quickly_with_400(client, paragraphs, url):
    started = time.monotonic()
    response = client.get(url, {"q": " ".join(["children"] * 1300)})
    seconds = time.monotonic() - started

    assert response.status_code == 400
    assert response.context["filter"].errors == BOTH
    assert BOTH["q"][0] in response.content.decode()
    assert seconds < 2


@pytest.mark.parametrize("url", URLS)
def test_item_10_pages_refuse_a_search_of_501_characters(client, paragraphs, url):
    response = client.get(url, {"q": "c" * 501})

    assert response.status_code == 400
    assert response.context["filter"].errors == TOO_LONG


@pytest.mark.parametrize("url", API_URLS)
def test_item_10_api_refuses_too_many_words_and_too_many_characters(paragraphs, url):
    api = APIClient()

    words = api.get(url, {"q": " ".join(["children"] * 40)})
    characters = api.get(url, {"q": "c" * 501})

    assert (words.status_code, words.json()) == (400, TOO_MANY_WORDS)
    assert (characters.status_code, characters.json()) == (400, TOO_LONG)


@pytest.mark.parametrize("url", API_URLS)
def test_item_10_a_search_of_32_words_is_answered(paragraphs, url):
    response = APIClient().get(url, {"q": " ".join(["children"] * 31 + ["detention"])})

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_item_10_search_paragraphs_refuses_what_the_filtersets_refuse(paragraphs):
    with pytest.raises(ValueError, match="longer than the FilterSets allow"):
        search_paragraphs(Recommendation.objects.all(), " ".join(["a"] * 33))
