"""What each endpoint lists and shows, on the seed data (one consultation, 37 recommendations,
16 good practices), with published actions and status changes made by the tests."""

import datetime

import pytest

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import (
    ActionEvidence,
    Country,
    FollowUpAction,
    Recommendation,
    Stakeholder,
    StatusChange,
)
from gcm_tracker.tracker.services import follow_up_action_publish
from tests.factories import (
    ConsultationFactory,
    FollowUpActionFactory,
    GoodPracticeFactory,
    RecommendationFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
SLUG = "border-governance-2020"
TITLE = "Protecting migrants through rights-based border governance and border management measures"
REPORT_TITLE = (
    "Stakeholder Consultations to inform the Asia-Pacific Regional Review of Implementation of "
    "the Global Compact for Safe, Orderly and Regular Migration: summary report of the second "
    "consultation, 19 November 2020"
)
CITATION_87 = {
    "consultation": SLUG,
    "title": TITLE,
    "date": "2020-11-19",
    "report_title": REPORT_TITLE,
    "report_url": "",
    "paragraph": 87,
    "sub_item": "",
    "title_language": "en",
}
TEXT_87 = (
    "Governments should end child immigration detention. It was a human rights violation and "
    "never in the best interests of the child. The detention of other migrants should be used as "
    "a last resort and governments must first consider community, rights-based alternatives in a "
    "more comprehensive way. Given the current COVID-19 situation, there should be emphasis on "
    "immediately prioritizing health and other vulnerabilities as a ground for release. Rather "
    "than using detention, the focus should be on implementation, in partnership with civil "
    "society and other stakeholders, including migrants, community, rights-based alternatives."
)
RECOMMENDATION_PARAGRAPHS = [
    *range(26, 34),
    37,
    *range(47, 53),
    *range(63, 76),
    *range(84, 93),
]
GOOD_PRACTICE_PARAGRAPHS = [22, 23, 24, 25, 36, 44, 45, 46, 60, 61, 62, 79, 80, 81, 82, 83]


def _publish_action_on_87(
    staff,
    *,
    title="Regional training on alternatives to detention",
    published_at=datetime.datetime(2021, 4, 1, 12, tzinfo=datetime.UTC),
):
    """An action by UNICEF with IDC as partner, in Thailand, on paragraph 87, published."""
    action = FollowUpActionFactory(
        title=title,
        lead_stakeholder=Stakeholder.objects.get(slug="unicef"),
        recommendations=[Recommendation.objects.get(reference=f"{SLUG}-87")],
        countries=[Country.objects.get(iso3="THA")],
        review_state=ReviewState.SUBMITTED,
        submitted_at=published_at,
    )
    action.partners.add(Stakeholder.objects.get(slug="international-detention-coalition"))
    ActionEvidence.objects.create(
        action=action, url="https://example.org/report", title="Training report"
    )
    # Published as staff publish it, so that whatever publishing updates is updated; then
    # dated, so that the answers do not depend on the clock.
    follow_up_action_publish(action=action, reviewer=staff)
    FollowUpAction.objects.filter(pk=action.pk).update(published_at=published_at)
    action.refresh_from_db()
    return action


def _change_87(staff) -> StatusChange:
    return set_status(
        Recommendation.objects.get(reference=f"{SLUG}-87"),
        staff,
        reason="The national action plan now covers it.",
        evidence_url="https://example.org/plan",
        effective_date=datetime.date(2021, 6, 1),
    )


def _timestamp(value: datetime.datetime) -> str:
    """A datetime as the API writes it: ISO 8601 in the site's time zone (Asia/Bangkok)."""
    return value.astimezone(datetime.timezone(datetime.timedelta(hours=7))).isoformat()


def test_api_root_links_every_resource(api):
    response = api.get("/api/v1/")

    assert response.status_code == 200
    assert response.json() == {
        name: f"{HOST}/api/v1/{name}/"
        for name in [
            "objectives",
            "guiding-principles",
            "countries",
            "stakeholders",
            "consultations",
            "recommendations",
            "status-changes",
            "good-practices",
            "actions",
            "assessments",
            "assessment-submissions",
            "snapshots",
        ]
    }


def test_objective_list_shows_the_23_objectives_by_number(api, seed):
    response = api.get("/api/v1/objectives/")

    body = response.json()
    assert response.status_code == 200
    assert (body["count"], body["next"], body["previous"]) == (23, None, None)
    assert [objective["number"] for objective in body["results"]] == list(range(1, 24))


def test_objective_detail_shows_the_objective_by_number(api, seed):
    response = api.get("/api/v1/objectives/13/")

    assert response.status_code == 200
    assert response.json() == {
        "number": 13,
        "title": "Use migration detention only as a measure of last resort and work towards "
        "alternatives",
        "short_label": "Alternatives to detention",
        "url": f"{HOST}/api/v1/objectives/13/",
        "page_url": f"{HOST}/objectives/13/",
        "title_language": "en",
        "short_label_language": "en",
        "source_language": "en",
    }


def test_guiding_principle_list_shows_a_to_j(api, seed):
    response = api.get("/api/v1/guiding-principles/")

    body = response.json()
    assert response.status_code == 200
    assert [principle["letter"] for principle in body["results"]] == list("abcdefghij")


def test_guiding_principle_detail_shows_the_principle_by_letter(api, seed):
    response = api.get("/api/v1/guiding-principles/a/")

    assert response.status_code == 200
    assert response.json() == {
        "letter": "a",
        "name": "People-centred",
        "url": f"{HOST}/api/v1/guiding-principles/a/",
        "name_language": "en",
        "source_language": "en",
    }


def test_country_list_shows_every_country_by_subregion(api, seed):
    response = api.get("/api/v1/countries/")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 62
    # Countries outside the ESCAP subregions come first, as on the public country list.
    assert [country["iso3"] for country in body["results"][:4]] == ["FRA", "NLD", "GBR", "USA"]
    assert body["next"] == f"{HOST}/api/v1/countries/?page=2"


def test_country_detail_counts_published_actions_and_good_practices(api, seed, staff):
    _publish_action_on_87(staff)

    response = api.get("/api/v1/countries/THA/")

    assert response.status_code == 200
    assert response.json() == {
        "iso3": "THA",
        "name": "Thailand",
        "short_name": "Thailand",
        "subregion": "south_east_asia",
        "membership": "member",
        "published_action_count": 1,
        "good_practice_count": 3,
        "url": f"{HOST}/api/v1/countries/THA/",
        "page_url": f"{HOST}/countries/THA/",
    }


def test_stakeholder_list_shows_every_organisation(api, seed):
    response = api.get("/api/v1/stakeholders/")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 28
    assert sorted(s["slug"] for s in body["results"])[:3] == ["apmm", "aprrn", "asean"]


def test_stakeholder_detail_counts_led_and_partner_actions(api, seed, staff):
    _publish_action_on_87(staff)

    response = api.get("/api/v1/stakeholders/international-detention-coalition/")

    assert response.status_code == 200
    assert response.json() == {
        "slug": "international-detention-coalition",
        "name": "International Detention Coalition",
        "acronym": "IDC",
        "kind": "civil_society",
        "country": "AUS",
        "website": "",
        "led_action_count": 0,
        "partner_action_count": 1,
        "url": f"{HOST}/api/v1/stakeholders/international-detention-coalition/",
        "page_url": f"{HOST}/stakeholders/international-detention-coalition/",
    }


def test_consultation_list_shows_the_seed_consultation(api, seed):
    response = api.get("/api/v1/consultations/")

    body = response.json()
    assert response.status_code == 200
    assert [c["slug"] for c in body["results"]] == [SLUG]


def test_consultation_detail_shows_objectives_organisers_and_counts(api, seed):
    response = api.get(f"/api/v1/consultations/{SLUG}/")

    body = response.json()
    assert response.status_code == 200
    assert body == {
        "slug": SLUG,
        "title": TITLE,
        "date": "2020-11-19",
        "format": "virtual",
        "location": "",
        "objectives": [4, 8, 9, 10, 11, 13, 21],
        "organisers": [
            "apmm",
            "aprrn",
            "bonigi-monitoring",
            "escap",
            "help-hilfe-zur-selbsthilfe",
            "international-detention-coalition",
            "lords-universal-college-of-education",
            "ohchr",
            "udyama",
            "unicef",
            "unodc",
        ],
        "participants": 80,
        "participant_countries": 15,
        "report_title": REPORT_TITLE,
        "report_url": "",
        "summary": body["summary"],
        "recommendation_count": 37,
        "good_practice_count": 16,
        "url": f"{HOST}/api/v1/consultations/{SLUG}/",
        "page_url": f"{HOST}/consultations/{SLUG}/",
        "title_language": "en",
        "source_language": "en",
    }
    assert body["summary"].startswith("The second of the stakeholder consultations")


def test_recommendation_list_shows_every_recommendation_in_report_order(api, seed):
    response = api.get("/api/v1/recommendations/")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 37
    assert [r["reference"] for r in body["results"]] == [
        f"{SLUG}-{paragraph}" for paragraph in RECOMMENDATION_PARAGRAPHS
    ]


def test_recommendation_list_row_shows_status_citation_and_published_action_count(api, seed, staff):
    change = _change_87(staff)
    _publish_action_on_87(staff)

    response = api.get("/api/v1/recommendations/", {"objective": 13, "page_size": 1})

    row = response.json()["results"][0]
    assert response.status_code == 200
    assert row == {
        "reference": f"{SLUG}-87",
        "short_title": (
            "End child immigration detention; detention of migrants only as a last resort"
        ),
        "url": f"{HOST}/api/v1/recommendations/{SLUG}-87/",
        "page_url": f"{HOST}/recommendations/{SLUG}-87/",
        "citation": CITATION_87,
        "text": TEXT_87,
        "status": "limited_progress",
        "status_label": "Limited progress",
        "version": 1,
        "status_changed_at": _timestamp(change.changed_at),
        "status_effective_on": "2021-06-01",
        "objectives": [13],
        "guiding_principles": ["f", "h", "j"],
        # Tags come in the database's collation order of their names; compared by slug below.
        "tags": row["tags"],
        "published_action_count": 1,
        "short_title_language": "en",
        "text_language": "en",
        "source_language": "en",
    }
    assert sorted(row["tags"], key=lambda tag: tag["slug"]) == [
        {"slug": "children", "kind": "theme", "name": "Children"},
        {
            "slug": "civil-society-partnership",
            "kind": "theme",
            "name": "Partnership with civil society",
        },
        {"slug": "covid-19", "kind": "theme", "name": "COVID-19"},
    ]


def test_recommendation_detail_adds_the_status_history(api, seed, staff):
    change = _change_87(staff)

    response = api.get(f"/api/v1/recommendations/{SLUG}-87/")

    body = response.json()
    assert response.status_code == 200
    assert (body["reference"], body["status"], body["version"]) == (
        f"{SLUG}-87",
        "limited_progress",
        1,
    )
    assert body["citation"] == CITATION_87
    assert body["status_changes"] == [
        {
            "id": change.pk,
            "old_status": "no_information",
            "new_status": "limited_progress",
            "reason": "The national action plan now covers it.",
            "evidence_url": "https://example.org/plan",
            "effective_date": "2021-06-01",
            "changed_at": _timestamp(change.changed_at),
        }
    ]


def test_recommendation_detail_answers_404_for_an_unknown_reference(api, seed):
    response = api.get("/api/v1/recommendations/no-such-reference/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No recommendation has the reference “no-such-reference”."}


@pytest.mark.parametrize(
    "path",
    [
        "objectives/1.5/",
        "objectives/99999999999999999999/",
        "countries/a%00b/",
        f"recommendations/{SLUG}-87%00/",
        f"recommendations/{SLUG}-87.json/",
        "status-changes/-1e-9/",
        "good-practices/a%00b/",
        "actions/one/",
    ],
)
def test_detail_answers_json_404_for_any_unknown_key(api, seed, path):
    response = api.get(f"/api/v1/{path}")

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert list(response.json()) == ["detail"]


def test_status_change_list_shows_changes_newest_first(api, seed, staff):
    first = _change_87(staff)
    second = set_status(
        Recommendation.objects.get(reference=f"{SLUG}-88"), staff, reason="Courts now review it."
    )

    response = api.get("/api/v1/status-changes/")

    body = response.json()
    assert response.status_code == 200
    assert [(c["id"], c["recommendation"]) for c in body["results"]] == [
        (second.pk, f"{SLUG}-88"),
        (first.pk, f"{SLUG}-87"),
    ]


def test_status_change_detail_shows_the_change(api, seed, staff):
    change = _change_87(staff)

    response = api.get(f"/api/v1/status-changes/{change.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": change.pk,
        "url": f"{HOST}/api/v1/status-changes/{change.pk}/",
        "recommendation": f"{SLUG}-87",
        "old_status": "no_information",
        "new_status": "limited_progress",
        "reason": "The national action plan now covers it.",
        "evidence_url": "https://example.org/plan",
        "effective_date": "2021-06-01",
        "changed_at": _timestamp(change.changed_at),
    }


def test_good_practice_list_shows_every_good_practice_in_report_order(api, seed):
    response = api.get("/api/v1/good-practices/")

    body = response.json()
    assert response.status_code == 200
    assert [p["reference"] for p in body["results"]] == [
        f"{SLUG}-{paragraph}" for paragraph in GOOD_PRACTICE_PARAGRAPHS
    ]


def test_good_practice_detail_shows_citation_countries_and_organisations(api, seed):
    response = api.get(f"/api/v1/good-practices/{SLUG}-79/")

    assert response.status_code == 200
    assert response.json() == {
        "reference": f"{SLUG}-79",
        "short_title": "Myanmar and Thailand discuss a cross-border child protection mechanism",
        "url": f"{HOST}/api/v1/good-practices/{SLUG}-79/",
        "citation": CITATION_87 | {"paragraph": 79},
        "text": "In August 2018, the governments of Myanmar and Thailand began discussions on an "
        "MoU to establish a cross-border child protection mechanism and framework, including case "
        "management standard operating procedures. At the sub-regional level, a regional plan of "
        "action for implementing the ASEAN Declaration of the Rights of Children in the Context "
        "of Migration was being developed.",
        "objectives": [11, 13],
        "countries": ["MMR", "THA"],
        "stakeholders": ["asean"],
        "short_title_language": "en",
        "text_language": "en",
        "source_language": "en",
    }


def test_action_list_shows_published_actions_newest_first(api, seed, staff):
    older = _publish_action_on_87(staff, title="Older")
    newer = _publish_action_on_87(
        staff, title="Newer", published_at=datetime.datetime(2022, 1, 1, tzinfo=datetime.UTC)
    )

    response = api.get("/api/v1/actions/")

    body = response.json()
    assert response.status_code == 200
    assert [(a["id"], a["title"]) for a in body["results"]] == [
        (newer.pk, "Newer"),
        (older.pk, "Older"),
    ]


def test_action_detail_shows_organisations_recommendations_countries_and_evidence(api, seed, staff):
    action = _publish_action_on_87(staff)

    response = api.get(f"/api/v1/actions/{action.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": action.pk,
        "url": f"{HOST}/api/v1/actions/{action.pk}/",
        "title": "Regional training on alternatives to detention",
        "description": "Trained border officials on child-sensitive procedures.",
        "lead_stakeholder": "unicef",
        "partners": ["international-detention-coalition"],
        "recommendations": [f"{SLUG}-87"],
        "countries": ["THA"],
        "action_type": "training",
        "progress": "ongoing",
        "start_date": "2021-03-01",
        "end_date": None,
        "review_state": "published",
        "review_note": "",
        "submitted_at": "2021-04-01T19:00:00+07:00",
        "published_at": "2021-04-01T19:00:00+07:00",
        "evidence": [{"url": "https://example.org/report", "title": "Training report"}],
        "version": 1,
    }


def test_citations_give_the_item_of_a_paragraph_next_to_its_paragraph(api):
    consultation = ConsultationFactory(slug="sr")
    RecommendationFactory(consultation=consultation, paragraph=6, sub_item="b", reference="sr-6-b")
    GoodPracticeFactory(consultation=consultation, paragraph=7, sub_item="a", reference="sr-7-a")

    recommendation = api.get("/api/v1/recommendations/sr-6-b/").json()["citation"]
    practice = api.get("/api/v1/good-practices/sr-7-a/").json()["citation"]

    assert [(c["paragraph"], c["sub_item"]) for c in (recommendation, practice)] == [
        (6, "b"),
        (7, "a"),
    ]
