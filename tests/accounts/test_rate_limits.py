"""Item 16: the public account forms are rate-limited per address and per account."""

import pytest
from django.core import mail
from django.urls import reverse

from gcm_tracker.accounts import rate_limits
from gcm_tracker.tracker.models import AccountRequest
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

# 1,000,000 s is 800 s before the end of both a 15-minute and an hour window.
NOW = 1_000_000.0


@pytest.fixture(autouse=True)
def _stopped_clock(monkeypatch):
    monkeypatch.setattr(rate_limits, "_now", lambda: NOW)


def _reset(client, email, address="192.0.2.1"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def _account_request(client, email, address="192.0.2.1"):
    return client.post(
        reverse("accounts:request"),
        {
            "name": "Sita",
            "email": email,
            "organisation_name": "Migrant Rights Nepal",
            "organisation_website": "",
            "country": "",
            "message": "We run shelters.",
        },
        REMOTE_ADDR=address,
    )


def _sign_in(client, username, password, address):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_item_16_password_reset_is_limited_to_3_an_hour_per_account(client):
    UserFactory(username="amina", email="amina@example.org")

    statuses = [
        _reset(client, "Amina@example.org", f"192.0.2.{n}").status_code for n in range(1, 5)
    ]
    refused = _reset(client, "amina@example.org", "192.0.2.9")

    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
    assert refused.status_code == 429
    assert refused["Retry-After"] == "800"
    assert refused.templates[0].name == "accounts/rate_limited.html"
    assert "Try again in 14 minutes." in refused.content.decode()


def test_item_16_password_reset_is_limited_to_5_an_hour_per_address(client):
    for n in range(6):
        UserFactory(username=f"user{n}", email=f"user{n}@example.org")

    statuses = [_reset(client, f"user{n}@example.org").status_code for n in range(6)]
    other_address = _reset(client, "user5@example.org", "192.0.2.2")

    assert statuses == [302, 302, 302, 302, 302, 429]
    assert other_address.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        "user0@example.org",
        "user1@example.org",
        "user2@example.org",
        "user3@example.org",
        "user4@example.org",
        "user5@example.org",
    ]


def test_item_16_account_requests_are_limited_per_address_and_per_e_mail(client):
    per_address = [_account_request(client, f"sita{n}@example.org").status_code for n in range(6)]
    per_e_mail = [
        _account_request(client, "ram@example.org", f"198.51.100.{n}").status_code for n in range(4)
    ]

    assert per_address == [302, 302, 302, 302, 302, 429]
    assert per_e_mail == [302, 302, 302, 429]
    assert AccountRequest.objects.count() == 8


def test_item_16_sign_in_is_limited_to_20_attempts_per_account_from_all_addresses(client):
    UserFactory(username="amina")

    failures = [
        _sign_in(client, "amina", "wrong password", f"198.51.100.{n}").status_code
        for n in range(20)
    ]
    refused = _sign_in(client, "AMINA", PASSWORD, "203.0.113.1")

    assert failures == [200] * 20
    assert refused.status_code == 429
    assert refused["Retry-After"] == "800"
    assert "_auth_user_id" not in client.session


def test_item_16_sign_in_is_limited_to_30_attempts_per_address(client):
    UserFactory(username="amina")

    failures = [
        _sign_in(client, f"guess{n}", "wrong password", "192.0.2.1").status_code for n in range(30)
    ]
    refused = _sign_in(client, "amina", PASSWORD, "192.0.2.1")
    elsewhere = _sign_in(client, "amina", PASSWORD, "192.0.2.2")

    assert failures == [200] * 30
    assert refused.status_code == 429
    assert elsewhere["Location"] == reverse("workspace:home")


def test_item_16_the_admin_sign_in_shares_the_sign_in_limit_per_account(client):
    UserFactory(username="root", is_staff=True)

    site = [
        _sign_in(client, "root", "wrong password", f"198.51.100.{n}").status_code for n in range(10)
    ]
    admin = [
        client.post(
            "/admin/login/",
            {"username": "root", "password": "wrong password"},
            REMOTE_ADDR=f"203.0.113.{n}",
        ).status_code
        for n in range(11)
    ]

    assert site == [200] * 10
    assert admin == [200] * 10 + [429]
