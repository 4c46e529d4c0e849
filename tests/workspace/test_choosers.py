"""Choosers for recommendations, countries and partners: the JSON searches, and the action form
without JavaScript (search, add, remove, save), which never lists a whole table."""

import re

import pytest
from django.urls import reverse

from gcm_tracker.tracker.models import FollowUpAction, Recommendation
from gcm_tracker.workspace.choices import SEARCH_LIMIT, recommendation_label
from tests.factories import (
    ConsultationFactory,
    CountryFactory,
    FollowUpActionFactory,
    RecommendationFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db


def _search(client, kind, **params):
    return client.get(reverse(f"workspace:choices-{kind}"), params)


def _labels(response):
    assert response.status_code == 200, response.content
    return [row["label"] for row in response.json()["results"]]


@pytest.fixture
def recommendations(db):
    consultation = ConsultationFactory(slug="border-governance-2020")
    return [
        RecommendationFactory(
            consultation=consultation,
            paragraph=26,
            text="Coordinated labour migration governance across the region.",
        ),
        RecommendationFactory(
            consultation=consultation, paragraph=87, text="End immigration detention of children."
        ),
        RecommendationFactory(
            consultation=ConsultationFactory(slug="labour-2021"),
            paragraph=26,
            text="Ratify the conventions on domestic workers.",
        ),
    ]


# The searches ---------------------------------------------------------------------------------


def test_recommendations_are_found_by_words_reference_and_paragraph(
    client, contributor_a, recommendations
):
    client.force_login(contributor_a)

    assert _labels(_search(client, "recommendations", q="detention children")) == [
        "border-governance-2020-87: End immigration detention of children."
    ]
    assert _labels(_search(client, "recommendations", q="border-governance-2020-8")) == [
        "border-governance-2020-87: End immigration detention of children."
    ]
    assert _labels(_search(client, "recommendations", q="26")) == [
        recommendation_label(recommendations[0]),
        recommendation_label(recommendations[2]),
    ]


def test_a_recommendation_is_found_while_its_last_word_is_being_typed(
    client, contributor_a, recommendations
):
    client.force_login(contributor_a)

    assert _labels(_search(client, "recommendations", q="immigration detent")) == [
        "border-governance-2020-87: End immigration detention of children."
    ]
    assert _labels(_search(client, "recommendations", q="domestic work")) == [
        "labour-2021-26: Ratify the conventions on domestic workers."
    ]


@pytest.mark.parametrize("query", ["labour & (|!:* 'x'", ":*", "!!", "-"])
def test_query_syntax_typed_into_a_search_is_plain_text(
    client, contributor_a, recommendations, query
):
    client.force_login(contributor_a)

    response = _search(client, "recommendations", q=query)

    # Not an error: what matches differs between PostgreSQL's word search and SQLite's.
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_a_recommendation_label_is_its_reference_and_the_start_of_its_text(db):
    recommendation = RecommendationFactory(text="word " * 40)

    label = recommendation_label(recommendation)

    assert label.startswith(f"{recommendation.reference}: word word")
    assert label.endswith("…")
    assert len(label) == len(recommendation.reference) + 2 + 100


def test_countries_are_found_by_name_or_iso3(client, contributor_a):
    CountryFactory(iso3="THA", name="Kingdom of Thailand", short_name="Thailand")
    CountryFactory(iso3="MYS", name="Malaysia", short_name="Malaysia")
    CountryFactory(iso3="TLS", name="Democratic Republic of Timor-Leste", short_name="Timor-Leste")
    client.force_login(contributor_a)

    assert _labels(_search(client, "countries", q="thai")) == ["Thailand (THA)"]
    assert _labels(_search(client, "countries", q="mys")) == ["Malaysia (MYS)"]
    assert _labels(_search(client, "countries", q="Republic")) == ["Timor-Leste (TLS)"]


def test_partners_are_found_by_name_or_acronym(client, staff):
    StakeholderFactory(slug="icrc", name="International Committee of the Red Cross", acronym="ICRC")
    StakeholderFactory(slug="mfa", name="Migrant Forum in Asia", acronym="MFA")
    client.force_login(staff)

    assert _labels(_search(client, "partners", q="icrc")) == [
        "International Committee of the Red Cross (ICRC)"
    ]
    assert _labels(_search(client, "partners", q="forum")) == ["Migrant Forum in Asia (MFA)"]


def test_a_search_answers_at_most_the_limit_and_says_more_match(client, contributor_a):
    # A slug without digits: on SQLite a word also matches references, and a factory's numbered
    # slug ("consultation-1021") would put "21" in every one of them.
    consultation = ConsultationFactory(slug="limits")
    Recommendation.objects.bulk_create(
        Recommendation(
            consultation=consultation,
            paragraph=n,
            reference=f"{consultation.slug}-{n}",
            text=f"Protect migrant workers, yardstick {n}.",
        )
        for n in range(1, SEARCH_LIMIT + 6)
    )
    client.force_login(contributor_a)

    body = _search(client, "recommendations", q="workers").json()

    assert len(body["results"]) == SEARCH_LIMIT == 20
    assert body["more"] is True
    first = body["results"][0]["label"]
    assert first == f"{consultation.slug}-1: Protect migrant workers, yardstick 1."
    assert _search(client, "recommendations", q="yardstick 21").json()["more"] is False


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Type something to search for."),
        ({"q": "   "}, "Type something to search for."),
        ({"q": "x" * 101}, "Search for at most 100 characters."),
        ({"q": "a b c d e f g h i"}, "Search for at most 8 words."),
    ],
)
def test_a_missing_or_overlong_search_is_a_400_with_a_reason(
    client, contributor_a, params, message
):
    client.force_login(contributor_a)

    response = _search(client, "countries", **params)

    assert (response.status_code, response.json()) == (400, {"error": message})


def test_only_members_and_staff_search(client, outsider):
    assert _search(client, "countries", q="tha").status_code == 302
    client.force_login(outsider)
    assert _search(client, "countries", q="tha").status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_a_search_runs_a_fixed_number_of_queries(
    client, contributor_a, django_assert_num_queries, count
):
    for n in range(count):
        RecommendationFactory(text=f"Decent work for domestic workers, point {n}.")
    client.force_login(contributor_a)

    # Session and user; membership (may the user search?); the text's matches (at most 21 ids),
    # then those and the reference's and paragraph's in report order.
    with django_assert_num_queries(5):
        assert len(_labels(_search(client, "recommendations", q="domestic"))) == count


# The action form without JavaScript ---------------------------------------------------------


@pytest.fixture
def contributor(client, contributor_a):
    client.force_login(contributor_a)
    return contributor_a


def _checkboxes(html: str, name: str) -> list[tuple[str, bool]]:
    """(value, ticked) of each checkbox named `name`, in page order."""
    pattern = rf'<input type="checkbox" name="{name}" value="(\d+)"( checked)?>'
    return [(value, bool(checked)) for value, checked in re.findall(pattern, html)]


def test_searching_shows_the_form_again_with_matches_and_saves_nothing(
    client, contributor, organisation_a, recommendations, form_data
):
    chosen = recommendations[1]
    response = client.post(
        reverse("workspace:action-create"),
        form_data
        | {
            "lead_stakeholder": organisation_a.pk,
            "recommendations": [chosen.pk],
            "recommendations_q": "labour",
            "countries": [],
            "_search": "recommendations",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert not FollowUpAction.objects.exists()
    # The chosen one stays ticked; the matches are offered unticked; nothing else is listed.
    assert _checkboxes(html, "recommendations") == [
        (str(chosen.pk), True),
        (str(recommendations[0].pk), False),
        (str(recommendations[2].pk), False),
    ]
    assert "2 matches for “labour”: tick those to add." in html
    # Every other entry is kept, and no error is shown for what is not filled in yet.
    assert 'value="Legal clinic for stateless migrants"' in html
    assert 'name="recommendations_q" type="search" value="labour"' in html
    assert 'class="field-error"' not in html
    assert "None chosen yet." in html  # the countries


def test_a_search_with_no_match_says_so(client, contributor, recommendations, form_data):
    response = client.post(
        reverse("workspace:action-create"),
        form_data | {"countries_q": "Atlantis", "_search": "countries"},
    )

    assert "No other countries match “Atlantis”." in response.content.decode()


def test_an_overlong_search_without_javascript_says_why(client, contributor, form_data):
    response = client.post(
        reverse("workspace:action-create"),
        form_data | {"partners_q": "x" * 101, "_search": "partners"},
    )

    assert "Search for at most 100 characters." in response.content.decode()
    assert not FollowUpAction.objects.exists()


def test_ticked_matches_are_saved_with_the_form(
    client, contributor, organisation_a, recommendations, form_data
):
    thailand = CountryFactory(iso3="THA")
    malaysia = CountryFactory(iso3="MYS")
    partner = StakeholderFactory()

    response = client.post(
        reverse("workspace:action-create"),
        form_data
        | {
            "lead_stakeholder": organisation_a.pk,
            "recommendations": [recommendations[0].pk, recommendations[2].pk],
            "countries": [thailand.pk, malaysia.pk],
            "partners": [partner.pk],
            "countries_q": "leftover text is ignored",
        },
    )

    action = FollowUpAction.objects.get()
    assert response.status_code == 302
    assert set(action.recommendations.all()) == {recommendations[0], recommendations[2]}
    assert set(action.countries.all()) == {thailand, malaysia}
    assert list(action.partners.all()) == [partner]


def test_unticking_removes_on_save(client, contributor, organisation_a, recommendations):
    kept, removed = recommendations[0], recommendations[1]
    country = CountryFactory(iso3="THA")
    action = FollowUpActionFactory(
        lead_stakeholder=organisation_a, recommendations=[kept, removed], countries=[country]
    )
    url = reverse("workspace:action-edit", args=[action.pk])

    page = client.get(url).content.decode()
    assert _checkboxes(page, "recommendations") == [(str(kept.pk), True), (str(removed.pk), True)]

    response = client.post(
        url,
        {
            "title": action.title,
            "description": action.description,
            "recommendations": [kept.pk],
            "countries": [country.pk],
            "action_type": action.action_type,
            "progress": action.progress,
            "start_date": "2021-03-01",
            "version": action.version,
        },
    )

    assert response.status_code == 302
    assert list(action.recommendations.all()) == [kept]


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ("999999", "Select a valid choice. 999999 is not one of the available choices."),
        ("-1", "Select a valid choice. -1 is not one of the available choices."),
        ("1" * 30, f"Select a valid choice. {'1' * 30} is not one of the available choices."),
        ("abc", "“abc” is not a valid value."),
    ],
)
def test_an_unknown_id_is_a_form_error_and_saves_nothing(
    client, contributor, organisation_a, recommendations, form_data, bad, error
):
    response = client.post(
        reverse("workspace:action-create"),
        form_data
        | {"lead_stakeholder": organisation_a.pk, "recommendations": [recommendations[0].pk, bad]},
    )

    assert response.status_code == 200
    assert not FollowUpAction.objects.exists()
    assert response.context["form"].errors == {"recommendations": [error]}
    # The valid choice is still shown ticked, the unknown one is not shown at all.
    assert _checkboxes(response.content.decode(), "recommendations") == [
        (str(recommendations[0].pk), True)
    ]


def test_the_form_lists_no_more_than_fifty_items_however_many_recommendations(
    client, contributor, form_data
):
    consultation = ConsultationFactory()
    Recommendation.objects.bulk_create(
        Recommendation(
            consultation=consultation,
            paragraph=n,
            reference=f"{consultation.slug}-{n}",
            text=f"Governments should protect migrants, measure {n}.",
        )
        for n in range(1, 201)
    )
    StakeholderFactory.create_batch(60)
    CountryFactory.create_batch(60)

    def items(html):
        return html.count("<option") + html.count('type="checkbox"')

    new_page = client.get(reverse("workspace:action-create")).content.decode()
    searched = client.post(
        reverse("workspace:action-create"),
        form_data
        | {
            "recommendations_q": "migrants",
            "countries_q": "country",
            "partners_q": "organisation",
            "_search": "1",
        },
    ).content.decode()

    # The organisation menu, the type and progress menus; no recommendation, country or partner.
    assert items(new_page) == 1 + 10 + 3 <= 50
    # A search adds at most 20 matches under each chooser searched, besides the chosen
    # recommendation and country (Country MYS, among the first 20 countries, is not offered again).
    assert items(searched) == 1 + 10 + 3 + 2 + 3 * SEARCH_LIMIT - 1


@pytest.mark.parametrize("count", [1, 3])
def test_the_edit_form_runs_a_fixed_number_of_queries(
    client, contributor, organisation_a, django_assert_num_queries, count
):
    action = FollowUpActionFactory(
        lead_stakeholder=organisation_a,
        recommendations=RecommendationFactory.create_batch(count),
        countries=CountryFactory.create_batch(count),
    )
    action.partners.add(*StakeholderFactory.create_batch(count))

    # Session and user; the action with its recommendations, countries, partners and evidence;
    # the organisations (the form's and its menu's); the chosen recommendations, countries and
    # partners.
    with django_assert_num_queries(12):
        response = client.get(reverse("workspace:action-edit", args=[action.pk]))

    assert response.content.decode().count(" checked>") == 3 * count


@pytest.mark.parametrize("count", [1, 3])
def test_a_search_without_javascript_runs_a_fixed_number_of_queries(
    client, contributor, organisation_a, form_data, django_assert_num_queries, count
):
    chosen = [CountryFactory() for _ in range(count)]
    for n in range(count):
        StakeholderFactory(name=f"Workers' union {n}")
        RecommendationFactory(text=f"Protect domestic workers, point {n}.")

    # Session and user; membership; the organisations' menu (for the form and its rendering); the
    # chosen recommendation and its matches (two: see the search above); the chosen countries;
    # the matching partners.
    with django_assert_num_queries(10):
        response = client.post(
            reverse("workspace:action-create"),
            form_data
            | {
                "countries": [c.pk for c in chosen],
                "recommendations_q": "domestic",
                "partners_q": "union",
                "_search": "1",
            },
        )

    # form_data's recommendation, the chosen countries, the matching recommendations and partners.
    assert response.content.decode().count('type="checkbox"') == 1 + 3 * count
