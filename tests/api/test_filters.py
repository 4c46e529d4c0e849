"""The API lists filter with the FilterSets of the public lists: the same query gives the same
rows, and a value the FilterSet refuses answers 400 naming the parameter."""

import pytest
from django.http import QueryDict

from gcm_tracker.tracker import selectors
from gcm_tracker.tracker.enums import EscapMembership
from gcm_tracker.tracker.filters import GoodPracticeFilter, RecommendationFilter
from gcm_tracker.tracker.models import Country, Recommendation
from tests.factories import set_status

pytestmark = pytest.mark.django_db

SLUG = "border-governance-2020"


def _references(response) -> list[str]:
    return [row["reference"] for row in response.json()["results"]]


def test_recommendation_objective_filter_returns_paragraphs_87_to_92(api, seed):
    response = api.get("/api/v1/recommendations/?objective=13")

    assert response.status_code == 200
    assert _references(response) == [f"{SLUG}-{p}" for p in range(87, 93)]


def test_recommendation_status_filter_takes_several_statuses(api, seed, staff):
    for paragraph, status in [(26, "implemented"), (27, "limited_progress")]:
        set_status(
            Recommendation.objects.get(reference=f"{SLUG}-{paragraph}"), staff, new_status=status
        )

    response = api.get("/api/v1/recommendations/?status=implemented&status=limited_progress")

    assert response.status_code == 200
    assert _references(response) == [f"{SLUG}-26", f"{SLUG}-27"]


@pytest.mark.parametrize(
    "query",
    [
        "objective=9&sort=-status",
        "principle=h",
        "theme=children",
        "q=detention children",
        "consultation=border-governance-2020&has_actions=false",
        "sort=-updated",
    ],
)
def test_recommendation_filters_give_the_rows_of_the_public_list(api, seed, staff, query):
    set_status(Recommendation.objects.get(reference=f"{SLUG}-90"), staff)
    expected = RecommendationFilter(QueryDict(query), queryset=selectors.recommendation_list()).qs

    response = api.get("/api/v1/recommendations/", QueryDict(query))

    assert response.status_code == 200
    assert _references(response) == [r.reference for r in expected]


@pytest.mark.parametrize("query", ["objective=13", "country=THA", "q=Thailand"])
def test_good_practice_filters_give_the_rows_of_the_public_list(api, seed, query):
    expected = GoodPracticeFilter(
        QueryDict(query),
        queryset=selectors.good_practice_list().order_by("consultation_id", "paragraph"),
    ).qs

    response = api.get("/api/v1/good-practices/", QueryDict(query))

    assert response.status_code == 200
    assert _references(response) == [p.reference for p in expected]
    assert len(expected) > 0


@pytest.mark.parametrize(
    ("path", "parameter", "value"),
    [
        ("recommendations", "objective", "99"),
        ("recommendations", "objective", "thirteen"),
        ("recommendations", "status", "done"),
        ("recommendations", "consultation", "no-such-consultation"),
        ("recommendations", "principle", "z"),
        ("recommendations", "theme", "no-such-theme"),
        ("recommendations", "country", "XXX"),
        ("recommendations", "stakeholder", "no-such-organisation"),
        ("recommendations", "has_actions", "maybe"),
        ("recommendations", "sort", "random"),
        ("recommendations", "q", "nul\x00byte"),
        ("good-practices", "country", "XXX"),
        ("good-practices", "consultation", "no-such-consultation"),
        ("actions", "objective", "0"),
        ("actions", "action_type", "lobbying"),
        ("actions", "progress", "stalled"),
    ],
)
def test_list_filter_with_a_bad_value_answers_400_naming_the_parameter(
    api, db, path, parameter, value
):
    response = api.get(f"/api/v1/{path}/", {parameter: value})

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_list_filter_400_says_what_is_wrong(api, seed):
    response = api.get("/api/v1/recommendations/", {"objective": "99"})

    assert response.json() == {
        "objective": ["Select a valid choice. That choice is not one of the available choices."]
    }


def test_detail_ignores_list_filters(api, seed):
    response = api.get(f"/api/v1/recommendations/{SLUG}-26/", {"objective": "13"})

    assert response.status_code == 200
    assert response.json()["reference"] == f"{SLUG}-26"


def test_list_page_size_is_capped_at_200(api, seed):
    Country.objects.bulk_create(
        Country(
            iso3=f"Q{chr(65 + n // 26)}{chr(65 + n % 26)}",
            name=f"Country {n}",
            short_name=f"Country {n}",
            membership=EscapMembership.NON_MEMBER,
        )
        for n in range(150)
    )

    response = api.get("/api/v1/countries/", {"page_size": 500})

    body = response.json()
    assert response.status_code == 200
    assert (body["count"], len(body["results"])) == (212, 200)
    assert body["next"] == "http://testserver/api/v1/countries/?page=2&page_size=500"


def test_list_page_size_chooses_the_rows_per_page(api, seed):
    response = api.get("/api/v1/recommendations/", {"objective": 13, "page_size": 2, "page": 2})

    body = response.json()
    assert response.status_code == 200
    assert _references(response) == [f"{SLUG}-89", f"{SLUG}-90"]
    assert (body["count"], body["previous"], body["next"]) == (
        6,
        "http://testserver/api/v1/recommendations/?objective=13&page_size=2",
        "http://testserver/api/v1/recommendations/?objective=13&page=3&page_size=2",
    )


def test_list_page_past_the_end_answers_404(api, seed):
    response = api.get("/api/v1/recommendations/", {"page": 2})

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}
