"""Every resource but the status change and the follow-up actions is read-only: unsafe methods
answer 405 to anyone (the status endpoint answers 401 before that to a client without a token;
test_action_writes covers the actions). Throttling answers 429
with Retry-After."""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from gcm_tracker.tracker.models import Recommendation, StatusChange
from tests.factories import set_status

pytestmark = pytest.mark.django_db

SLUG = "border-governance-2020"
READ_ONLY = [
    "/api/v1/",
    "/api/v1/objectives/",
    "/api/v1/objectives/13/",
    "/api/v1/guiding-principles/a/",
    "/api/v1/countries/THA/",
    "/api/v1/stakeholders/unicef/",
    f"/api/v1/consultations/{SLUG}/",
    "/api/v1/recommendations/",
    f"/api/v1/recommendations/{SLUG}-87/",
    "/api/v1/status-changes/{change}/",
    f"/api/v1/good-practices/{SLUG}-22/",
]
UNSAFE = ["post", "put", "patch", "delete"]


@pytest.fixture
def urls(seed, staff):
    change = set_status(Recommendation.objects.get(reference=f"{SLUG}-87"), staff)
    return [url.format(change=change.pk) for url in READ_ONLY]


@pytest.mark.parametrize("method", UNSAFE)
def test_read_only_resource_answers_405_to_unsafe_methods(api, staff_api, urls, method):
    for client in [api, staff_api]:
        for url in urls:
            response = getattr(client, method)(url, {}, format="json")

            assert (url, response.status_code) == (url, 405)
            assert response.json() == {"detail": f'Method "{method.upper()}" not allowed.'}
    assert StatusChange.objects.count() == 1


@pytest.mark.parametrize("method", UNSAFE)
def test_schema_and_docs_answer_405_to_unsafe_methods(api, staff_api, method):
    for client in [api, staff_api]:
        for url in ["/api/schema/", "/api/docs/"]:
            response = getattr(client, method)(url)

            assert (url, response.status_code) == (url, 405)


def test_read_only_resource_405_lists_the_allowed_methods(api, urls):
    response = api.delete(f"/api/v1/recommendations/{SLUG}-87/")

    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_status_endpoint_answers_get_with_401_then_405(api, staff_api, seed):
    url = f"/api/v1/recommendations/{SLUG}-87/status/"

    anonymous, staff = api.get(url), staff_api.get(url)

    assert (anonymous.status_code, staff.status_code) == (401, 405)
    assert staff.headers["Allow"] == "POST, OPTIONS"


def test_anonymous_client_over_its_rate_gets_429_with_retry_after(
    api, seed, throttle_rates, monkeypatch
):
    throttle_rates["anon"] = "2/minute"
    # A stopped clock, so the wait is exactly the rate's minute.
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: 1_000_000.0)

    statuses = [api.get("/api/v1/objectives/").status_code for _ in range(2)]
    response = api.get("/api/v1/objectives/13/")

    assert statuses == [200, 200]
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "60"
    assert response.json() == {"detail": "Request was throttled. Expected available in 60 seconds."}


def test_token_client_is_counted_by_user_at_its_own_rate(
    api, staff_api, seed, throttle_rates, monkeypatch
):
    throttle_rates.update(anon="1/minute", user="3/minute")
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: 1_000_000.0)

    user_statuses = [staff_api.get("/api/v1/objectives/").status_code for _ in range(4)]
    anonymous_statuses = [api.get("/api/v1/objectives/").status_code for _ in range(2)]

    assert user_statuses == [200, 200, 200, 429]
    assert anonymous_statuses == [200, 429]


def test_item_8_forged_forwarded_for_headers_are_still_throttled(
    api, seed, throttle_rates, monkeypatch
):
    """Item 8: without DJANGO_NUM_PROXIES no forwarded header is trusted, so a client sending a
    new random X-Forwarded-For with every request is counted on its own address all the same."""
    throttle_rates["anon"] = "2/minute"
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: 1_000_000.0)

    statuses = [
        api.get("/api/v1/objectives/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(4)
    ]

    assert statuses == [200, 200, 429, 429]


def test_item_8_behind_one_proxy_each_forwarded_client_is_counted_on_its_own(
    api, seed, throttle_rates, monkeypatch, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    throttle_rates["anon"] = "1/minute"
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: 1_000_000.0)

    # The proxy appends the address it saw; what the client put before it is not trusted.
    first = [
        api.get("/api/v1/objectives/", HTTP_X_FORWARDED_FOR=f"{forged}, 198.51.100.7").status_code
        for forged in ("1.1.1.1", "2.2.2.2")
    ]
    other = api.get("/api/v1/objectives/", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code

    assert (first, other) == ([200, 429], 200)
