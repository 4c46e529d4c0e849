"""Country names from CLDR, dates and numbers in each language's style, and the caches keeping
each language's page to itself."""

import datetime

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from gcm_tracker.accounts.models import Profile
from gcm_tracker.i18n.countries import alpha2, country_name
from gcm_tracker.tracker.choosing import countries_matching
from gcm_tracker.tracker.models import Country
from tests.factories import (
    ConsultationFactory,
    ContributorFactory,
    CountryFactory,
    RecommendationFactory,
)

COOKIE = settings.LANGUAGE_COOKIE_NAME
NAMES = {"en": "Thailand", "fr": "Thaïlande", "ru": "Таиланд", "zh-hans": "泰国"}
DATES = {
    "en": "19 November 2020",
    "fr": "19 novembre 2020",
    "ru": "19 ноября 2020 г.",
    "zh-hans": "2020年11月19日",
}


@pytest.mark.parametrize(("language", "name"), NAMES.items())
def test_country_names_come_from_cldr(language, name):
    assert country_name("THA", "Thailand", language) == name


def test_english_keeps_the_un_names():
    with translation.override("en"):
        assert str(Country(iso3="VNM", short_name="Viet Nam")) == "Viet Nam"
        assert Country(iso3="TUR", short_name="Türkiye").localized_name == "Türkiye"
    with translation.override("fr"):
        assert str(Country(iso3="TUR", short_name="Türkiye")) == "Turquie"


def test_a_code_cldr_does_not_know_keeps_the_stored_name():
    assert (alpha2("QAB"), country_name("QAB", "Country QAB", "ru")) == (None, "Country QAB")


@pytest.mark.parametrize(("language", "date"), DATES.items())
def test_dates_in_each_languages_style(language, date):
    template = Template('{{ day|date:"DATE_FORMAT" }} {{ day|date:"SHORT_DATE_FORMAT" }}')
    with translation.override(language):
        rendered = template.render(Context({"day": datetime.date(2020, 11, 19)}))
    assert rendered == f"{date} {date}"


@pytest.mark.parametrize(
    ("language", "number"), [("en", "12.5"), ("fr", "12,5"), ("ru", "12,5"), ("zh-hans", "12.5")]
)
def test_decimal_numbers_use_the_languages_separator(language, number):
    with translation.override(language):
        assert Template("{{ n|floatformat:1 }}").render(Context({"n": 12.5})) == number


@pytest.mark.django_db
@pytest.mark.parametrize("language", DATES)
def test_a_consultation_page_shows_its_date_in_the_language(client, language):
    consultation = ConsultationFactory()

    html = client.get(
        reverse("dashboards:consultation-detail", args=[consultation.slug]),
        headers={"accept-language": language},
    ).content.decode()

    assert DATES[language] in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", NAMES)
def test_the_country_page_and_the_matrix_name_the_country_in_the_language(
    client, thailand, language
):
    RecommendationFactory()
    page = client.get(reverse("dashboards:country-detail", args=["THA"]), {"lang": language})
    matrix = client.get(reverse("dashboards:matrix"), {"lang": language})

    assert f"<title>{NAMES[language]} · " in page.content.decode()
    assert f'<abbr title="{NAMES[language]}">THA</abbr>' in matrix.content.decode()


@pytest.mark.django_db
def test_the_public_page_cache_never_serves_one_language_to_another(
    client, thailand, django_assert_num_queries
):
    url = reverse("dashboards:country-detail", args=["THA"])

    def visit():
        french = client.get(url, headers={"accept-language": "fr"}).content.decode()
        client.cookies[COOKIE] = "ru"
        russian = client.get(url, headers={"accept-language": "fr"}).content.decode()
        del client.cookies[COOKIE]
        english = client.get(url).content.decode()
        return french, russian, english

    french, russian, english = visit()
    with django_assert_num_queries(0):
        assert visit() == (french, russian, english)

    assert "Thaïlande" in french
    assert "Thailand" not in french.split("<main")[1]
    assert "Таиланд" in russian
    assert "Thaïlande" not in russian
    assert "Thailand" in english
    assert "Thaïlande" not in english
    assert "Таиланд" not in english


@pytest.mark.django_db
def test_the_signed_in_page_cache_keys_by_the_language_of_the_profile(client, thailand):
    url = reverse("dashboards:country-detail", args=["THA"])
    french_reader, english_reader = ContributorFactory(), ContributorFactory()
    Profile.objects.create(user=french_reader, language="fr")
    client.force_login(french_reader)
    french = client.get(url).content.decode()
    client.force_login(english_reader)
    english = client.get(url).content.decode()
    client.force_login(french_reader)
    french_again = client.get(url).content.decode()

    assert "Thaïlande" in french.split("<main")[1]
    assert "Thaïlande" not in english
    assert "Thailand" in english.split("<main")[1]
    assert french_again.split("<main")[1] == french.split("<main")[1]


@pytest.mark.django_db
def test_a_visitor_with_a_language_cookie_costs_no_query_on_a_cached_page(
    client, thailand, django_assert_num_queries
):
    url = reverse("dashboards:country-detail", args=["THA"])
    client.get(url, {"lang": "zh-hans"})
    client.get(url)

    with django_assert_num_queries(0):
        response = client.get(url)

    assert "泰国" in response.content.decode()


@pytest.mark.django_db
def test_a_signed_in_user_with_a_profile_language_costs_no_extra_query(
    client, thailand, django_assert_num_queries
):
    user = ContributorFactory()
    Profile.objects.create(user=user, language="ru")
    client.force_login(user)
    url = reverse("dashboards:country-detail", args=["THA"])
    client.get(url)

    # As for any signed-in user (tests/dashboards/test_signed_in_cache.py): the session and the
    # user (their permissions' key is in the cache); the language rides in the session.
    with django_assert_num_queries(2):
        html = client.get(url).content.decode()

    assert "Таиланд" in html


def test_the_chooser_finds_a_country_by_its_name_in_the_language(db):
    CountryFactory(iso3="THA", name="Thailand", short_name="Thailand")
    CountryFactory(iso3="VNM", name="Viet Nam", short_name="Viet Nam")
    with translation.override("fr"):
        assert [c.iso3 for c in countries_matching("thaïl")] == ["THA"]
    with translation.override("zh-hans"):
        assert [c.iso3 for c in countries_matching("越南")] == ["VNM"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", DATES)
def test_date_pickers_carry_iso_dates_in_every_language(client, staff, language):
    # <input type="date"> takes only ISO 8601: a localised "02/12/2026" reached the browser as
    # an empty field, and the status form's required date was refused on French pages.
    recommendation = RecommendationFactory()
    client.force_login(staff)
    url = reverse("workspace:recommendation-status", args=[recommendation.reference])

    html = client.get(f"{url}?lang={language}").content.decode()

    today = timezone.localdate().isoformat()
    assert f'<input type="date" name="effective_date" value="{today}"' in html
