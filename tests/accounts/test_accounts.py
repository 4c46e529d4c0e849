import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from gcm_tracker.tracker.enums import AccountRequestState
from gcm_tracker.tracker.models import AccountRequest, Membership
from gcm_tracker.tracker.services import contributor_create
from tests.factories import PASSWORD, CountryFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "accounts:login"


def _sign_in(client, password, username="amina"):
    return client.post(reverse(LOGIN), {"username": username, "password": password})


def test_sign_in_with_the_right_password_opens_the_workspace(client):
    UserFactory(username="amina")

    response = _sign_in(client, PASSWORD)

    assert response["Location"] == reverse("workspace:home")


def test_five_failed_sign_ins_lock_the_account_for_15_minutes(client):
    UserFactory(username="amina")
    failures = [_sign_in(client, "wrong password").status_code for _ in range(5)]

    locked = _sign_in(client, PASSWORD)

    assert failures == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    assert "Sign-in locked for 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_ends_after_15_minutes(client):
    UserFactory(username="amina")
    for _ in range(5):
        _sign_in(client, "wrong password")

    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )
    response = _sign_in(client, PASSWORD)

    assert response["Location"] == reverse("workspace:home")


def test_four_failures_do_not_lock(client):
    UserFactory(username="amina")
    for _ in range(4):
        _sign_in(client, "wrong password")

    assert _sign_in(client, PASSWORD).status_code == 302


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

    user = UserFactory(password="a long enough passphrase")

    assert user.password.startswith("argon2$")


@pytest.mark.parametrize(
    ("password", "errors"),
    [
        ("short pass", ["This password is too short. It must contain at least 12 characters."]),
        ("12345678901234", ["This password is entirely numeric."]),
    ],
)
def test_weak_passwords_are_refused(client, password, errors):
    user = UserFactory(username="amina")
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"new_password2": errors}


def test_password_reset_sends_a_link(client):
    UserFactory(username="amina", email="amina@example.org")

    client.post(reverse("accounts:password_reset"), {"email": "amina@example.org"})

    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Reset your GCM Tracker password", ["amina@example.org"])
    ]
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_password_reset_reaches_a_contributor_who_never_set_a_password(client, organisation_a):
    # Item 25 of issue 14: Django's form skips users without a usable password, so a contributor
    # who lost the first set-password link got nothing and was locked out for good.
    contributor_create(
        created_by=None, username="ravi", email="ravi@example.org", stakeholder=organisation_a
    )
    inactive = UserFactory(username="gone", email="gone@example.org", is_active=False)
    inactive.set_unusable_password()
    inactive.save()
    mail.outbox.clear()

    for address in ["Ravi@Example.org", "gone@example.org"]:
        client.post(reverse("accounts:password_reset"), {"email": address})
    link = re.search(r"/accounts/password/reset/[^/\s]+/[^/\s]+/", mail.outbox[0].body)[0]
    form = client.get(link, follow=True)
    new_password = "a long new password 2026"
    chosen = client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )

    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Reset your GCM Tracker password", ["ravi@example.org"])
    ]
    assert chosen["Location"] == reverse("accounts:password_reset_complete")
    assert _sign_in(client, new_password, username="ravi")["Location"] == reverse("workspace:home")


def test_account_request_form_records_a_pending_request(client):
    CountryFactory(iso3="NPL")

    response = client.post(
        reverse("accounts:request"),
        {
            "name": "Sita",
            "email": "sita@example.org",
            "organisation_name": "Migrant Rights Nepal",
            "organisation_website": "example.org",
            "country": "",
            "message": "We run shelters for returnees.",
        },
    )

    request = AccountRequest.objects.get()
    assert response.status_code == 302
    assert (request.organisation_name, request.organisation_website, request.state) == (
        "Migrant Rights Nepal",
        "https://example.org",
        AccountRequestState.PENDING,
    )


def test_create_contributor_command_makes_a_member_and_emails_a_link(
    organisation_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("create_contributor", "ravi", "Ravi@Example.org", "organisation-a")

    membership = Membership.objects.get(user__username="ravi")
    assert (membership.stakeholder, membership.user.email) == (organisation_a, "ravi@example.org")
    assert membership.user.has_usable_password() is False
    assert [m.to for m in mail.outbox] == [["ravi@example.org"]]
    assert "/accounts/password/reset/" in mail.outbox[0].body


PROXY = "10.0.0.1"


def _sign_in_via_proxy(client, password, client_address, username="amina"):
    return client.post(
        reverse(LOGIN),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_address,
    )


def test_item_15_behind_the_proxy_a_lockout_by_one_address_leaves_other_addresses_alone(
    client, settings
):
    """Item 15: behind the documented load balancer the lockout keys on the visitor's address
    (DJANGO_NUM_PROXIES), not the balancer's, so an attacker cannot lock the owner out."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    UserFactory(username="amina")
    UserFactory(username="admin")
    attacks = [
        _sign_in_via_proxy(client, "wrong password", "203.0.113.66").status_code for _ in range(5)
    ]

    attacker = _sign_in_via_proxy(client, PASSWORD, "203.0.113.66")
    attacker_other_account = _sign_in_via_proxy(client, PASSWORD, "203.0.113.66", "admin")
    client.logout()
    owner = _sign_in_via_proxy(client, PASSWORD, "198.51.100.7")

    assert attacks == [200, 200, 200, 200, 429]
    assert attacker.status_code == 429
    assert attacker_other_account["Location"] == reverse("workspace:home")
    assert owner["Location"] == reverse("workspace:home")
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [
        ("amina", "203.0.113.66")
    ]


def test_item_15_without_a_proxy_a_forged_forwarded_header_does_not_escape_the_lockout(client):
    UserFactory(username="amina")
    statuses = [
        _sign_in_via_proxy(client, "wrong password", f"203.0.113.{n}").status_code for n in range(6)
    ]

    assert statuses == [200, 200, 200, 200, 429, 429]
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [("amina", PROXY)]


def test_create_contributor_refuses_an_invalid_email_and_creates_nothing(organisation_a):
    # Item 25 of issue 14: `notanemail` was accepted.
    with pytest.raises(CommandError) as refused:
        call_command("create_contributor", "ravi", "notanemail", "organisation-a")

    assert str(refused.value) == "“notanemail” is not an e-mail address."
    assert (User.objects.filter(username="ravi").exists(), Membership.objects.count()) == (False, 0)
    assert mail.outbox == []
