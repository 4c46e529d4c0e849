"""The API token page: a signed-in user creates, replaces or revokes their own token; the key is
shown once, and only the current key opens the API."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.factories import ContributorFactory

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

    token = Token.objects.get()
    assert (created.status_code, token.user) == (200, contributor)
    assert created.context["new_key"] == token.key
    assert f'<code id="api-key">{token.key}</code>' in created.content.decode()
    assert "no-store" in created["Cache-Control"]
    assert token.key not in later.content.decode()
    assert _api_answer(token.key) == 200


def test_replacing_the_token_stops_the_old_key(signed_in):
    signed_in.post(URL, {"create": ""})
    old = Token.objects.get().key

    signed_in.post(URL, {"create": ""})

    new = Token.objects.get().key
    assert new != old
    assert (_api_answer(old), _api_answer(new)) == (401, 200)


def test_revoking_deletes_the_token(signed_in):
    signed_in.post(URL, {"create": ""})
    key = Token.objects.get().key

    response = signed_in.post(URL, {"revoke": ""})

    assert (response.status_code, response["Location"]) == (302, URL)
    assert Token.objects.count() == 0
    assert _api_answer(key) == 401


def test_a_post_without_the_csrf_token_changes_nothing(contributor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(contributor)

    response = client.post(URL, {"create": ""})

    assert response.status_code == 403
    assert Token.objects.count() == 0


def test_each_user_manages_only_their_own_token(signed_in):
    other = ContributorFactory(username="dev")
    theirs = Token.objects.create(user=other)

    signed_in.post(URL, {"revoke": ""})

    assert list(Token.objects.all()) == [theirs]
