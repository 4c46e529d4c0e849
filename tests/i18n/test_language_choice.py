"""How a request's language is chosen (gcm_tracker.i18n.middleware): ?lang= > the language
cookie > the signed-in user's profile > Accept-Language > English; the language menu; lang and
hreflang; the caches keep each language's page to itself."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from gcm_tracker.accounts.models import Profile
from tests.factories import ContributorFactory

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode())[1]


def test_a_first_visit_is_in_the_browsers_language_without_a_redirect(client):
    response = client.get("/", headers={"accept-language": "fr-FR,fr;q=0.9,en;q=0.5"})

    assert response.status_code == 200
    assert (html_lang(response), response["Content-Language"]) == ("fr", "fr")
    assert COOKIE not in response.cookies


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("zh-CN,zh;q=0.9", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("ru", "ru"),
        ("de", "en"),
        ("", "en"),
        ("fr-CA", "fr"),
    ],
)
def test_accept_language_maps_onto_the_sites_languages(client, accept, expected):
    assert html_lang(client.get("/", headers={"accept-language": accept})) == expected


def test_lang_parameter_beats_the_cookie_and_sets_it(client):
    client.cookies[COOKIE] = "fr"

    response = client.get("/?lang=ru", headers={"accept-language": "zh-hans"})

    assert html_lang(response) == "ru"
    cookie = response.cookies[COOKIE]
    assert (cookie.value, cookie["max-age"], cookie["samesite"]) == ("ru", 31536000, "Lax")
    # The choice holds on the next page, without the parameter.
    assert html_lang(client.get("/matrix/")) == "ru"


def test_an_unknown_lang_parameter_is_ignored(client):
    response = client.get("/?lang=de", headers={"accept-language": "fr"})

    assert response.status_code == 200
    assert html_lang(response) == "fr"
    assert COOKIE not in response.cookies


@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/v1/objectives/?lang=fr", 200), ("/api/v1/no-such-list/?lang=fr", 404)],
)
def test_the_apis_lang_parameter_sets_no_cookie(client, path, status):
    response = client.get(path)

    assert response.status_code == status
    assert response["Content-Language"] == "fr"
    assert COOKIE not in response.cookies


def test_the_cookie_beats_the_profile_and_accept_language(client):
    user = ContributorFactory()
    Profile.objects.create(user=user, language="ru")
    client.force_login(user)
    client.cookies[COOKIE] = "fr"

    assert html_lang(client.get("/", headers={"accept-language": "zh-hans"})) == "fr"


def test_the_profile_beats_accept_language(client):
    user = ContributorFactory()
    Profile.objects.create(user=user, language="ru")
    client.force_login(user)

    assert html_lang(client.get("/", headers={"accept-language": "fr"})) == "ru"


def test_a_session_from_before_profiles_reads_the_profile_once(client, django_assert_num_queries):
    user = ContributorFactory()
    client.force_login(user)
    Profile.objects.create(user=user, language="zh-hans")
    session = client.session
    del session["profile_language"]
    session.save()

    assert html_lang(client.get("/workspace/")) == "zh-Hans"
    assert client.session["profile_language"] == "zh-hans"


def test_lang_parameter_saves_a_signed_in_users_choice(client):
    user = ContributorFactory()
    client.force_login(user)

    client.get("/?lang=fr")

    assert Profile.objects.get(user=user).language == "fr"
    # Another browser, without the cookie, follows the profile.
    client.cookies.clear()
    client.force_login(user)
    assert html_lang(client.get("/", headers={"accept-language": "ru"})) == "fr"


def test_lang_parameter_of_a_visitor_creates_no_profile(client):
    client.get("/?lang=fr")

    assert Profile.objects.count() == 0


def test_the_language_page_saves_the_choice_and_sets_the_cookie(client):
    user = ContributorFactory()
    client.force_login(user)

    response = client.post(reverse("accounts:language"), {"language": "ru"})

    assert response.status_code == 302
    assert Profile.objects.get(user=user).language == "ru"
    assert response.cookies[COOKIE].value == "ru"
    assert html_lang(client.get(response["Location"])) == "ru"


def test_the_language_page_refuses_an_unknown_language(client):
    user = ContributorFactory()
    client.force_login(user)

    response = client.post(reverse("accounts:language"), {"language": "de"})

    assert response.status_code == 200
    assert "de" not in dict(response.context["form"].fields["language"].choices)
    assert response.context["form"].errors
    assert not Profile.objects.filter(user=user).exists()


def test_answers_vary_on_the_language_headers(client):
    response = client.get("/")

    assert {"Accept-Language", "Cookie"} <= set(re.split(r",\s*", response["Vary"]))


def test_the_menu_keeps_the_page_and_its_filters(client):
    url = reverse("dashboards:recommendation-list") + "?q=detention&status=limited&lang=fr"

    html = client.get(url).content.decode()

    menu = re.search(r'<nav class="language-menu".*?</nav>', html, re.DOTALL)[0]
    links = re.findall(
        r'<a href="([^"]+)" lang="([^"]+)" hreflang="([^"]+)"([^>]*)>([^<]+)</a>', menu
    )
    path = reverse("dashboards:recommendation-list")
    assert [
        (h.replace("&amp;", "&"), lang, hreflang, current.strip(), name)
        for h, lang, hreflang, current, name in links
    ] == [
        (f"{path}?q=detention&status=limited&lang=en", "en", "en", "", "English"),
        (
            f"{path}?q=detention&status=limited&lang=fr",
            "fr",
            "fr",
            'aria-current="true"',
            "Français",
        ),
        (f"{path}?q=detention&status=limited&lang=ru", "ru", "ru", "", "Русский"),
        (f"{path}?q=detention&status=limited&lang=zh-hans", "zh-Hans", "zh-Hans", "", "简体中文"),
    ]


def test_alternate_links_name_every_language_and_a_default(client):
    html = client.get("/matrix/?subregion=pacific").content.decode()

    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    base = "http://testserver/matrix/?subregion=pacific"
    assert [(tag, href.replace("&amp;", "&")) for tag, href in alternates] == [
        ("en", f"{base}&lang=en"),
        ("fr", f"{base}&lang=fr"),
        ("ru", f"{base}&lang=ru"),
        ("zh-Hans", f"{base}&lang=zh-hans"),
        ("x-default", base),
    ]
