import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from gcm_tracker.tracker.services import api_token_create

# Far more than any test sends, so that only the throttling test, which lowers them, sees a 429.
UNTHROTTLED = {"anon": "1000000/minute", "user": "1000000/minute"}


@pytest.fixture(autouse=True)
def throttle_rates(monkeypatch):
    """The rates the API's throttles apply; a test may replace them.

    DRF's throttle classes copy DEFAULT_THROTTLE_RATES when they are imported, so overriding the
    setting in a test would not reach them; the class attribute is what they read.
    """
    rates = dict(UNTHROTTLED)
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    return rates


@pytest.fixture
def api():
    """An anonymous API client."""
    return APIClient()


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)}")
    return client


@pytest.fixture
def staff_api(staff):
    """Persona: ESCAP staff with an API token."""
    return token_client(staff)


@pytest.fixture
def outsider_api(outsider):
    """Persona: a signed-up user without staff rights, with an API token."""
    return token_client(outsider)
