"""Only PUBLISHED follow-up actions reach the API's public: drafts, submitted and returned actions
exist in every test here, on the same recommendations, countries and organisations as the
published one, and must not show in lists, details, counts or filters to anyone without a token
or with the token of a user who neither acts for the organisation nor reviews (what those may
see is in test_action_writes)."""

import pytest

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import Country, Recommendation, Stakeholder
from tests.factories import FollowUpActionFactory, PublishedActionFactory

pytestmark = pytest.mark.django_db

SLUG = "border-governance-2020"
UNPUBLISHED = [
    {"review_state": ReviewState.DRAFT},
    {"review_state": ReviewState.SUBMITTED},
    {"review_state": ReviewState.RETURNED, "review_note": "Add a link to the evidence."},
]


@pytest.fixture
def actions(seed):
    """One published action on paragraph 87 in Thailand led by UNICEF, and one action in each
    unpublished state on paragraphs 87 and 88, in Thailand and Myanmar, led by UNICEF with the
    International Detention Coalition as partner."""
    unicef = Stakeholder.objects.get(slug="unicef")
    idc = Stakeholder.objects.get(slug="international-detention-coalition")
    thailand, myanmar = Country.objects.get(iso3="THA"), Country.objects.get(iso3="MMR")
    rec_87 = Recommendation.objects.get(reference=f"{SLUG}-87")
    rec_88 = Recommendation.objects.get(reference=f"{SLUG}-88")
    published = PublishedActionFactory(
        title="Published", lead_stakeholder=unicef, recommendations=[rec_87], countries=[thailand]
    )
    hidden = []
    for state in UNPUBLISHED:
        action = FollowUpActionFactory(
            title=f"Hidden {state['review_state']}",
            lead_stakeholder=unicef,
            recommendations=[rec_87, rec_88],
            countries=[thailand, myanmar],
            **state,
        )
        action.partners.add(idc)
        hidden.append(action)
    return published, hidden


def test_action_list_shows_only_the_published_action(api, outsider_api, actions):
    published, _ = actions

    for client in [api, outsider_api]:
        response = client.get("/api/v1/actions/")

        assert response.status_code == 200
        assert [(a["id"], a["title"]) for a in response.json()["results"]] == [
            (published.pk, "Published")
        ]


@pytest.mark.parametrize(
    "index", range(len(UNPUBLISHED)), ids=[s["review_state"] for s in UNPUBLISHED]
)
def test_action_detail_answers_404_for_an_unpublished_action(api, outsider_api, actions, index):
    hidden = actions[1][index]

    for client in [api, outsider_api]:
        response = client.get(f"/api/v1/actions/{hidden.pk}/")

        assert response.status_code == 404
        assert response.json() == {"detail": f"No follow-up action has the ID “{hidden.pk}”."}


@pytest.mark.parametrize(
    "query",
    [
        {"country": "THA"},
        {"country": "MMR"},
        {"stakeholder": "unicef"},
        {"stakeholder": "international-detention-coalition"},
        {"recommendation": f"{SLUG}-88"},
        {"objective": 13},
        {"progress": "ongoing"},
    ],
)
def test_action_filters_never_reveal_an_unpublished_action(api, actions, query):
    published, _ = actions
    # Each filter matches the published action when its value could match it at all.
    could_match = query not in [
        {"country": "MMR"},
        {"stakeholder": "international-detention-coalition"},
        {"recommendation": f"{SLUG}-88"},
    ]

    response = api.get("/api/v1/actions/", query)

    assert response.status_code == 200
    assert [a["id"] for a in response.json()["results"]] == ([published.pk] if could_match else [])


def test_recommendation_counts_only_published_actions(api, actions):
    detail_87 = api.get(f"/api/v1/recommendations/{SLUG}-87/").json()
    detail_88 = api.get(f"/api/v1/recommendations/{SLUG}-88/").json()
    rows = api.get("/api/v1/recommendations/", {"objective": 13}).json()["results"]

    assert (detail_87["published_action_count"], detail_88["published_action_count"]) == (1, 0)
    assert [(r["reference"], r["published_action_count"]) for r in rows[:2]] == [
        (f"{SLUG}-87", 1),
        (f"{SLUG}-88", 0),
    ]


def test_recommendation_action_filters_ignore_unpublished_actions(api, actions):
    with_actions = api.get("/api/v1/recommendations/", {"has_actions": "true"}).json()
    in_myanmar = api.get("/api/v1/recommendations/", {"country": "MMR"}).json()
    by_idc = api.get(
        "/api/v1/recommendations/", {"stakeholder": "international-detention-coalition"}
    ).json()

    assert [r["reference"] for r in with_actions["results"]] == [f"{SLUG}-87"]
    assert (in_myanmar["count"], by_idc["count"]) == (0, 0)


def test_country_counts_only_published_actions(api, actions):
    thailand = api.get("/api/v1/countries/THA/").json()
    myanmar = api.get("/api/v1/countries/MMR/").json()

    assert (thailand["published_action_count"], myanmar["published_action_count"]) == (1, 0)


def test_stakeholder_counts_only_published_actions(api, actions):
    unicef = api.get("/api/v1/stakeholders/unicef/").json()
    idc = api.get("/api/v1/stakeholders/international-detention-coalition/").json()

    assert (unicef["led_action_count"], unicef["partner_action_count"]) == (1, 0)
    assert (idc["led_action_count"], idc["partner_action_count"]) == (0, 0)
