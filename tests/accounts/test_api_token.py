"""The API token page: a signed-in user creates, replaces or revokes their own token; the key is
shown once, and only the current key opens the API."""

import hashlib
import importlib
import io
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.tokens import default_token_generator
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from gcm_tracker.tracker.models import ApiToken
from gcm_tracker.tracker.services import api_token_create
from tests.factories import PASSWORD, ContributorFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/api-token/"


@pytest.fixture
def contributor(db):
    return ContributorFactory(username="carla")


@pytest.fixture
def signed_in(client, contributor):
    client.force_login(contributor)
    return client


def _api_answer(key: str) -> int:
    return Client().get("/api/v1/actions/", headers={"Authorization": f"Token {key}"}).status_code


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={URL}")


def test_page_says_when_there_is_no_token(signed_in):
    response = signed_in.get(URL)

    assert response.status_code == 200
    assert (response.context["token"], response.context["new_key"]) == (None, None)
    assert "You have no token." in response.content.decode()


def test_creating_shows_the_key_once_and_it_opens_the_api(signed_in, contributor):
    created = signed_in.post(URL, {"create": ""})
    later = signed_in.get(URL)

    key = created.context["new_key"]
    token = ApiToken.objects.get()
    assert (created.status_code, token.user, len(key)) == (200, contributor, 40)
    assert f'<code id="api-key">{key}</code>' in created.content.decode()
    assert "no-store" in created["Cache-Control"]
    assert key not in later.content.decode()
    assert later.context["token"] == token
    assert _api_answer(key) == 200


def test_replacing_the_token_stops_the_old_key(signed_in):
    old = signed_in.post(URL, {"create": ""}).context["new_key"]

    new = signed_in.post(URL, {"create": ""}).context["new_key"]

    assert new != old
    assert ApiToken.objects.count() == 1
    assert (_api_answer(old), _api_answer(new)) == (401, 200)


def test_revoking_deletes_the_token(signed_in):
    key = signed_in.post(URL, {"create": ""}).context["new_key"]

    response = signed_in.post(URL, {"revoke": ""})

    assert (response.status_code, response["Location"]) == (302, URL)
    assert ApiToken.objects.count() == 0
    assert _api_answer(key) == 401


def test_a_post_without_the_csrf_token_changes_nothing(contributor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(contributor)

    response = client.post(URL, {"create": ""})

    assert response.status_code == 403
    assert ApiToken.objects.count() == 0


def test_each_user_manages_only_their_own_token(signed_in):
    other = ContributorFactory(username="dev")
    api_token_create(user=other)
    theirs = ApiToken.objects.get()

    signed_in.post(URL, {"revoke": ""})

    assert list(ApiToken.objects.all()) == [theirs]


def test_item_17_answers_to_a_token_are_private_and_never_stored(contributor):
    key = api_token_create(user=contributor)
    headers = {"Authorization": f"Token {key}"}

    answers = [
        Client().get("/api/v1/objectives/", headers=headers),
        Client().get("/api/v1/actions/", headers=headers),
        Client().get("/api/v1/countries/ZZZ/", headers=headers),
        Client().get("/api/v1/objectives/"),
    ]

    assert [(a.status_code, a.get("Cache-Control")) for a in answers] == [
        (200, "private, no-store"),
        (200, "private, no-store"),
        (404, "private, no-store"),
        (200, None),
    ]


def test_item_17_only_a_hash_of_the_key_is_stored(contributor):
    key = api_token_create(user=contributor)

    token = ApiToken.objects.get()
    stored = [str(value) for value in ApiToken.objects.values_list().get()]
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert [value for value in stored if key in value] == []


def test_item_17_changing_the_password_revokes_the_token(signed_in, contributor):
    key = signed_in.post(URL, {"create": ""}).context["new_key"]

    changed = signed_in.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a much longer new passphrase",
            "new_password2": "a much longer new passphrase",
        },
    )
    page = signed_in.get(URL)

    assert changed["Location"] == "/accounts/password/done/"
    assert _api_answer(key) == 401
    assert page.context["token"] is None
    assert ApiToken.objects.count() == 0


def test_item_17_resetting_the_password_revokes_the_token(client, contributor):
    key = api_token_create(user=contributor)
    link = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(contributor.pk)),
            "token": default_token_generator.make_token(contributor),
        },
    )

    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "a much longer new passphrase",
            "new_password2": "a much longer new passphrase",
        },
    )

    assert done["Location"] == reverse("accounts:password_reset_complete")
    assert _api_answer(key) == 401


def test_item_17_an_administrator_makes_a_token_with_create_api_token(contributor):
    out = io.StringIO()

    call_command("create_api_token", "carla", stdout=out)

    key = out.getvalue().strip().removeprefix("Token for carla: ")
    assert (len(key), _api_answer(key)) == (40, 200)


def test_item_17_create_api_token_names_an_unknown_user(db):
    with pytest.raises(CommandError, match=r"No user is called 'nobody'\."):
        call_command("create_api_token", "nobody")


def test_item_17_migration_moves_plaintext_tokens_to_hashes(contributor):
    """Tokens made while the API used DRF's plaintext table keep working, and the plaintext goes."""
    migration = importlib.import_module("gcm_tracker.tracker.migrations.0013_api_token")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, "
            "created timestamp with time zone)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, "
            "created datetime)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            ["0123456789abcdef0123456789abcdef01234567", contributor.pk, timezone.now()],
        )

    # The migration uses only its schema editor's connection; a real editor cannot be opened
    # inside the test's transaction on SQLite.
    migration.move_plaintext_tokens(django_apps, SimpleNamespace(connection=connection))

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        left = cursor.fetchone()[0]
        cursor.execute("DROP TABLE authtoken_token")
    assert left == 0
    assert _api_answer("0123456789abcdef0123456789abcdef01234567") == 200
