"""Item 13: malformed addresses and bodies answer 4xx, never 500, on SQLite and PostgreSQL."""

import pytest

from gcm_tracker.tracker.models import FollowUpAction
from tests.factories import CountryFactory

from .conftest import token_client

pytestmark = pytest.mark.django_db

# Every address whose URL parameter reaches a query: countries (ISO3), organisations,
# consultations and recommendations (slugs and references), the feeds, and the API's lookups.
NUL_URLS = [
    "/countries/T%00A/",
    "/feeds/countries/T%00A/actions/",
    "/feeds/countries/T%00A/status-changes/",
    "/stakeholders/a%00b/",
    "/consultations/a%00b/",
    "/recommendations/a%00b/",
    "/api/v1/countries/T%00A/",
    "/api/v1/stakeholders/a%00b/",
    "/api/v1/consultations/a%00b/",
    "/api/v1/recommendations/a%00b/",
    "/api/v1/good-practices/a%00b/",
    "/api/v1/guiding-principles/%00/",
    "/api/v1/objectives/1%00/",
    "/api/v1/actions/1%00/",
    "/api/v1/status-changes/1%00/",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_item_13_a_nul_byte_in_an_address_answers_404(client, url):
    CountryFactory(iso3="THA")

    response = client.get(url)

    assert response.status_code == 404
    if url.startswith("/api/"):
        assert list(response.json()) == ["detail"]
    else:
        assert response.templates[0].name == "404.html"


def test_item_13_country_addresses_still_take_either_case(client):
    CountryFactory(iso3="THA")

    assert [client.get(url).status_code for url in ("/countries/tha/", "/countries/THA/")] == [
        200,
        200,
    ]


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_item_13_deeply_nested_json_answers_400(contributor_a, depth):
    api = token_client(contributor_a)
    body = "[" * depth + "]" * depth

    response = api.generic("POST", "/api/v1/actions/", body, content_type="application/json")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "JSON parse error - the body nests deeper than 32 levels."},
    )
    assert FollowUpAction.objects.count() == 0


def test_item_13_json_nested_32_levels_is_parsed(contributor_a):
    api = token_client(contributor_a)
    body = '{"title": ' + "[" * 31 + "]" * 31 + "}"

    response = api.generic("POST", "/api/v1/actions/", body, content_type="application/json")

    # Parsed, then refused by the serializer for what it holds, not for how deep it nests.
    assert (response.status_code, response.json()["title"]) == (400, ["Not a valid string."])


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/actions/?recommendation=a%00b", "recommendation"),
        ("/api/v1/actions/?recommendation=a%00b", "recommendation"),
        ("/recommendations/?consultation=a%00b", "consultation"),
        ("/api/v1/recommendations/?country=T%00A", "country"),
        ("/api/v1/recommendations/?stakeholder=a%00b", "stakeholder"),
        ("/good-practices/?consultation=a%00b", "consultation"),
        # The filters chosen through a search show what was chosen: a NUL byte must not reach
        # the query that looks it up (PostgreSQL refuses it).
        ("/recommendations/?country=T%00A", "country"),
        ("/recommendations/?theme=a%00b", "theme"),
        ("/recommendations/?stakeholder=a%00b", "stakeholder"),
        ("/actions/?stakeholder=a%00b", "stakeholder"),
        ("/matrix/?consultation=a%00b", "consultation"),
        ("/changes/?consultation=a%00b", "consultation"),
        ("/changes/?country=T%00A", "country"),
    ],
)
def test_item_13_a_nul_byte_in_a_filter_answers_400_naming_it(client, url, parameter):
    response = client.get(url)

    assert response.status_code == 400
    if url.startswith("/api/"):
        assert list(response.json()) == [parameter]
    else:
        assert list(response.context["filter"].errors) == [parameter]


@pytest.mark.parametrize("kind", ["countries", "organisations", "themes", "consultation-pages"])
def test_item_13_a_nul_byte_in_a_search_answers_400_saying_so(client, kind):
    response = client.get(f"/choices/{kind}/?q=a%00b")

    assert (response.status_code, response.json()) == (
        400,
        {"error": "Null characters are not allowed."},
    )
