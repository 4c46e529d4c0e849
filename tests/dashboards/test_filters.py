import pytest
from django.urls import reverse

from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.models import Recommendation
from tests.factories import (
    CountryFactory,
    PublishedActionFactory,
    StakeholderFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

LIST = "dashboards:recommendation-list"


def _references(response):
    return [r.reference for r in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        (
            {"objective": "99"},
            {
                "objective": [
                    "Select a valid choice. That choice is not one of the available choices."
                ]
            },
        ),
        (
            {"status": "done"},
            {"status": ["Select a valid choice. done is not one of the available choices."]},
        ),
        (
            {"country": "<x>"},
            {
                "country": [
                    "Select a valid choice. That choice is not one of the available choices."
                ]
            },
        ),
        (
            {"sort": "random"},
            {"sort": ["Select a valid choice. random is not one of the available choices."]},
        ),
        (
            {"has_actions": "maybe"},
            {"has_actions": ["Select a valid choice. maybe is not one of the available choices."]},
        ),
    ],
)
def test_recommendation_list_invalid_filter_answers_400_with_message(client, seed, params, errors):
    response = client.get(reverse(LIST), params)

    assert response.status_code == 400
    assert response.context["filter"].errors == errors
    assert list(response.context["page"].object_list) == []
    assert errors[next(iter(errors))][0] in response.content.decode()


def test_recommendation_export_with_invalid_filter_answers_400(client, seed):
    response = client.get(
        reverse("dashboards:recommendation-export", args=["csv"]), {"objective": "x"}
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_recommendation_export_in_unknown_format_answers_404(client, seed):
    response = client.get(reverse("dashboards:recommendation-export", args=["pdf"]))

    assert response.status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999"])
def test_recommendation_list_bad_page_number_shows_a_page(client, seed, page):
    response = client.get(reverse(LIST), {"page": page})

    assert response.status_code == 200
    assert response.context["page"].number in (1, 2)


@pytest.mark.parametrize(
    ("params", "paragraphs"),
    [
        ({"objective": "8"}, [37]),
        ({"principle": "d"}, [28, 88]),
        ({"theme": "sdg-16-9"}, [26]),
        ({"consultation": "border-governance-2020", "objective": "11"}, [84, 85, 86]),
        ({"q": "statelessness children"}, [33]),
        ({"q": "Bali Process"}, [66]),
    ],
)
def test_recommendation_list_filters_and_search(client, seed, params, paragraphs):
    response = client.get(reverse(LIST), params)

    assert [r.paragraph for r in response.context["page"].object_list] == paragraphs


def test_recommendation_list_filters_by_status_and_sorts_by_progress(client, seed, staff):
    for paragraph, status in [
        (26, Status.IMPLEMENTED),
        (27, Status.LIMITED),
        (28, Status.NOT_STARTED),
    ]:
        set_status(Recommendation.objects.get(paragraph=paragraph), staff, new_status=status)

    response = client.get(
        reverse(LIST),
        {"status": [Status.IMPLEMENTED, Status.LIMITED, Status.NOT_STARTED], "sort": "-status"},
    )

    assert [r.paragraph for r in response.context["page"].object_list] == [26, 27, 28]


def test_recommendation_list_filters_by_country_and_stakeholder_of_actions(client, seed):
    thailand = CountryFactory(iso3="THA")
    org = StakeholderFactory(slug="udyama")
    PublishedActionFactory(
        recommendations=[Recommendation.objects.get(paragraph=87)],
        countries=[thailand],
        lead_stakeholder=StakeholderFactory(slug="lead-org"),
        partners=[org],
    )

    by_country = client.get(reverse(LIST), {"country": "THA"})
    by_partner = client.get(reverse(LIST), {"stakeholder": "udyama"})
    by_other = client.get(reverse(LIST), {"stakeholder": "icrc"})

    assert [r.paragraph for r in by_country.context["page"].object_list] == [87]
    assert [r.paragraph for r in by_partner.context["page"].object_list] == [87]
    assert list(by_other.context["page"].object_list) == []


def test_action_list_invalid_filter_answers_400(client, seed):
    response = client.get(reverse("dashboards:action-list"), {"action_type": "sabotage"})

    assert response.status_code == 400
    assert response.context["filter"].errors == {
        "action_type": ["Select a valid choice. sabotage is not one of the available choices."]
    }


def test_good_practice_list_filters_by_country(client, seed):
    response = client.get(reverse("dashboards:good-practice-list"), {"country": "THA"})

    assert [p.paragraph for p in response.context["page"].object_list] == [60, 79, 82]


def test_good_practice_list_filters_by_objective(client, seed):
    response = client.get(reverse("dashboards:good-practice-list"), {"objective": "8"})

    assert [p.paragraph for p in response.context["page"].object_list] == [36]


def test_action_list_filters_by_recommendation_reference(client, seed):
    wanted = Recommendation.objects.get(paragraph=87)
    PublishedActionFactory(title="About 87", recommendations=[wanted])
    PublishedActionFactory(
        title="About 26", recommendations=[Recommendation.objects.get(paragraph=26)]
    )

    response = client.get(reverse("dashboards:action-list"), {"recommendation": wanted.reference})

    assert [a.title for a in response.context["page"].object_list] == ["About 87"]
