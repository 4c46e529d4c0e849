"""Country assessments through the API: the public list, detail and roll-ups; official
assessments recorded by staff with a token (one cell, or in bulk); every answer is checked with
what was (or was not) written."""

import pytest
from django.urls import reverse

from gcm_tracker.tracker.enums import RecommendationScope
from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.models import Assessment, AssessmentChange
from gcm_tracker.tracker.services import recommendation_set_scope
from tests.factories import (
    CountryFactory,
    ObjectiveFactory,
    RecommendationFactory,
    publish_civil_society,
    record_official,
    submit_civil_society,
)

from .conftest import token_client

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assessments/"
OFFICIAL = "/api/v1/assessments/official/"
IMPORT = "/api/v1/assessments/official-import/"
ROLLUPS = "/api/v1/assessments/rollups/"


@pytest.fixture
def cells(staff, contributor_a, contributor_b):
    """Paragraph 87 (objective 13) in Thailand: official Substantial, organisation A Limited,
    organisation B's still in review; Nepal: official Not started. Paragraph 26 (objective 4):
    Thailand official Implemented."""
    p87 = RecommendationFactory(reference="c-87", objectives=[ObjectiveFactory(number=13)])
    p26 = RecommendationFactory(reference="c-26", objectives=[ObjectiveFactory(number=4)])
    thailand = CountryFactory(iso3="THA", subregion="south_east_asia")
    nepal = CountryFactory(iso3="NPL", subregion="south_south_west_asia")
    record_official(p87, thailand, staff)
    record_official(p87, nepal, staff, status=Status.NOT_STARTED)
    record_official(p26, thailand, staff, status=Status.IMPLEMENTED)
    publish_civil_society(p87, thailand, contributor_a, staff)
    submit_civil_society(p87, thailand, contributor_b, status=Status.IMPLEMENTED)
    return {"p87": p87, "p26": p26, "THA": thailand, "NPL": nepal}


def _rows(response):
    return [
        (r["recommendation"], r["country"], r["voice"], r["organisation"], r["status"])
        for r in response.json()["results"]
    ]


def test_assessment_list_shows_published_assessments_only(api, cells):
    response = api.get(LIST)

    assert response.status_code == 200
    assert _rows(response) == [
        ("c-87", "THA", "civil_society", "organisation-a", Status.LIMITED),
        ("c-87", "THA", "official", None, Status.SUBSTANTIAL),
        ("c-87", "NPL", "official", None, Status.NOT_STARTED),
        ("c-26", "THA", "official", None, Status.IMPLEMENTED),
    ]
    first = response.json()["results"][1]
    assert {
        k: first[k] for k in ("status_label", "source_title", "version", "organisation_name")
    } == {
        "status_label": "Substantial progress",
        "source_title": "Voluntary GCM review 2024",
        "version": 1,
        "organisation_name": None,
    }


def test_assessment_list_leaves_out_countries_outside_the_scope(api, cells, staff):
    recommendation_set_scope(
        recommendation=cells["p87"],
        scope=RecommendationScope.SELECTED,
        subregions=["south_east_asia"],
        changed_by=staff,
    )

    response = api.get(LIST, {"recommendation": "c-87"})

    assert _rows(response) == [
        ("c-87", "THA", "civil_society", "organisation-a", Status.LIMITED),
        ("c-87", "THA", "official", None, Status.SUBSTANTIAL),
    ]
    assert Assessment.objects.filter(country=cells["NPL"]).count() == 1  # kept, not shown


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"voice": "civil_society"}, [("c-87", "THA", "organisation-a")]),
        ({"country": "NPL"}, [("c-87", "NPL", None)]),
        ({"subregion": "south_south_west_asia"}, [("c-87", "NPL", None)]),
        ({"objective": 4}, [("c-26", "THA", None)]),
        (
            {"status": ["implemented", "not_started"]},
            [("c-87", "NPL", None), ("c-26", "THA", None)],
        ),
        ({"organisation": "organisation-a"}, [("c-87", "THA", "organisation-a")]),
        ({"recommendation": "c-26"}, [("c-26", "THA", None)]),
    ],
)
def test_assessment_list_filters(api, cells, query, expected):
    response = api.get(LIST, query)

    assert [(r[0], r[1], r[3]) for r in _rows(response)] == expected


def test_assessment_list_pages_keep_its_order_and_length(api, cells, staff):
    whole = _rows(api.get(LIST))
    pages = [api.get(LIST, {"page": n, "page_size": 1}) for n in range(1, 5)]

    assert [page.json()["count"] for page in pages] == [4, 4, 4, 4]
    assert [row for page in pages for row in _rows(page)] == whole
    assert api.get(LIST, {"page": 5, "page_size": 1}).status_code == 404
    # Filtered, the length is counted; out of scope, a cell leaves the list and its length.
    official = api.get(LIST, {"voice": "official", "page": 3, "page_size": 1}).json()
    assert (official["count"], _rows_of(official)) == (3, [whole[3]])
    recommendation_set_scope(
        recommendation=cells["p87"],
        scope=RecommendationScope.SELECTED,
        subregions=["south_east_asia"],
        changed_by=staff,
    )
    # Another address than the first request's, whose answer the public cache keeps (the
    # generation moves on only when a transaction commits, which tests do not).
    after = api.get(LIST, {"page_size": 10}).json()
    assert (after["count"], _rows_of(after)) == (3, [whole[0], whole[1], whole[3]])


def _rows_of(body):
    return [
        (r["recommendation"], r["country"], r["voice"], r["organisation"], r["status"])
        for r in body["results"]
    ]


def test_assessment_list_refuses_unknown_filter_values(api, cells):
    response = api.get(LIST, {"country": "XXX", "voice": "government"})

    assert response.status_code == 400
    assert sorted(response.json()) == ["country", "voice"]


@pytest.mark.parametrize(
    ("path", "queries"), [("", 4), ("{id}/", 3), ("rollups/?by=recommendation", 3)]
)
@pytest.mark.parametrize("item_count", [1, 3])
def test_assessment_endpoints_query_count_is_constant(
    outsider_api, staff, contributor_a, django_assert_num_queries, item_count, path, queries
):
    thailand = CountryFactory(iso3="THA")
    for _ in range(item_count):
        recommendation = RecommendationFactory()
        change = record_official(recommendation, thailand, staff)
        record_official(recommendation, thailand, staff, status=Status.LIMITED, expected_version=1)
        publish_civil_society(recommendation, thailand, contributor_a, staff)
    url = LIST + path.format(id=change.assessment_id)
    # As tests/api/test_query_counts.py: the second request (the filter menus cached), with a
    # token so the answer is not served from the public cache.
    outsider_api.get(url)

    # Queries: the token with its user; a list's length (the roll-ups' total, unfiltered), its
    # page's ids and their rows (recommendation, country and organisation joined); a detail's
    # row and its history; a roll-up's count and rows.
    with django_assert_num_queries(queries):
        response = outsider_api.get(url)

    assert response.status_code == 200
    if path == "{id}/":
        assert len(response.json()["changes"]) == 2
    else:
        assert response.json()["count"] == 2 * item_count


def test_assessment_list_anonymous_answer_is_cached(api, cells, django_assert_num_queries):
    first = api.get(LIST)

    with django_assert_num_queries(0):
        second = api.get(LIST)

    assert second.json() == first.json()


def test_assessment_detail_shows_the_history_without_people(api, cells, staff):
    record_official(cells["p87"], cells["THA"], staff, status=Status.IMPLEMENTED, reason="Law.")
    assessment = Assessment.objects.get(
        recommendation=cells["p87"], country=cells["THA"], voice="official"
    )

    response = api.get(f"{LIST}{assessment.pk}/")

    body = response.json()
    assert (body["status"], body["version"]) == (Status.IMPLEMENTED, 2)
    assert [(c["old_status"], c["status"], c["reason"]) for c in body["changes"]] == [
        (Status.SUBSTANTIAL, Status.IMPLEMENTED, "Law."),
        ("", Status.SUBSTANTIAL, ""),
    ]
    assert "changed_by" not in body["changes"][0]


def test_assessment_detail_of_unknown_id_is_a_json_404(api):
    response = api.get(f"{LIST}nope/")

    assert (response.status_code, response.json()) == (
        404,
        {"detail": "No country assessment has the ID “nope”."},
    )


def _official(**overrides):
    return {
        "recommendation": "c-87",
        "country": "THA",
        "status": "implemented",
        "summary": "The detention law was amended.",
        "source_title": "Reply to ESCAP 2025",
        "source_url": "https://example.org/reply.pdf",
        "effective_date": "2025-01-15",
        "version": 1,
    } | overrides


def test_official_assessment_recorded_with_a_staff_token(staff_api, cells):
    response = staff_api.post(OFFICIAL, _official(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["assessment"]["status"], body["assessment"]["version"]) == (Status.IMPLEMENTED, 2)
    assert (body["change"]["old_status"], body["change"]["status"]) == (
        Status.SUBSTANTIAL,
        Status.IMPLEMENTED,
    )
    assert response["Location"] == reverse("api:assessment-detail", args=[body["assessment"]["id"]])


def test_official_assessment_of_a_new_cell_sends_version_null(staff_api, cells):
    response = staff_api.post(
        OFFICIAL, _official(recommendation="c-26", country="NPL", version=None), format="json"
    )

    assert response.status_code == 201
    assert response.json()["change"]["old_status"] == ""


def test_official_assessment_unchanged_answers_200_and_writes_nothing(staff_api, cells):
    same = _official(
        status="substantial_progress",
        summary="The national action plan covers it and is funded.",
        source_title="Voluntary GCM review 2024",
        source_url="https://example.org/gcm-review.pdf",
        effective_date="2024-03-01",
    )

    response = staff_api.post(OFFICIAL, same, format="json")

    assert (response.status_code, response.json()["change"]) == (200, None)
    assert AssessmentChange.objects.count() == 4


def test_official_assessment_stale_version_answers_409_and_writes_nothing(staff_api, cells):
    staff_api.post(OFFICIAL, _official(), format="json")

    response = staff_api.post(OFFICIAL, _official(status="limited_progress"), format="json")

    assert response.status_code == 409
    body = response.json()
    assert (body["current"]["status"], body["current"]["version"]) == (Status.IMPLEMENTED, 2)
    assert body["detail"].startswith("Someone else changed this assessment")
    assert (
        Assessment.objects.get(
            recommendation=cells["p87"], country=cells["THA"], voice="official"
        ).status
        == Status.IMPLEMENTED
    )


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"country": "XXX"}, {"country": ["No country has the ISO 3166 alpha-3 code “XXX”."]}),
        (
            {"effective_date": "2099-01-01"},
            {"effective_date": ["The effective date cannot be in the future."]},
        ),
        ({"version": 1, "colour": "red"}, {"colour": ["Unknown field."]}),
        ({"source_url": "javascript:alert(1)"}, {"source_url": ["Enter a valid URL."]}),
    ],
)
def test_official_assessment_bad_input_answers_400(staff_api, cells, overrides, errors):
    response = staff_api.post(OFFICIAL, _official(**overrides), format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert AssessmentChange.objects.count() == 4


def test_official_assessment_outside_scope_answers_400(staff_api, cells, staff):
    recommendation_set_scope(
        recommendation=cells["p26"], scope=RecommendationScope.REGIONAL, changed_by=staff
    )

    response = staff_api.post(OFFICIAL, _official(recommendation="c-26"), format="json")

    assert (response.status_code, list(response.json())) == (400, ["country"])


@pytest.mark.parametrize(
    ("persona", "code"), [("anonymous", 401), ("contributor_a", 403), ("outsider", 403)]
)
def test_official_assessment_needs_the_permission(request, api, cells, persona, code):
    client = api if persona == "anonymous" else token_client(request.getfixturevalue(persona))

    response = client.post(OFFICIAL, _official(), format="json")

    assert response.status_code == code
    assert AssessmentChange.objects.count() == 4


def _import_row(**overrides):
    return {
        "reference": "c-26",
        "iso3": "NPL",
        "status": "Limited progress",
        "effective_date": "2024-06-01",
        "source_title": "Voluntary GCM review 2024",
        "source_url": "https://example.org/review.pdf",
        "summary": "Pilot in two districts.",
    } | overrides


def test_official_import_dry_run_says_what_each_row_would_do(staff_api, cells):
    response = staff_api.post(
        IMPORT,
        {"rows": [_import_row(), _import_row(reference="c-87", iso3="THA")], "dry_run": True},
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {
        "dry_run": True,
        "written": False,
        "rows": [
            {
                "row": 1,
                "recommendation": "c-26",
                "country": "NPL",
                "status": "limited_progress",
                "outcome": "new",
            },
            {
                "row": 2,
                "recommendation": "c-87",
                "country": "THA",
                "status": "limited_progress",
                "outcome": "changed",
            },
        ],
    }
    assert AssessmentChange.objects.count() == 4


def test_official_import_writes_every_row(staff_api, cells):
    response = staff_api.post(IMPORT, {"rows": [_import_row()]}, format="json")

    assert (response.status_code, response.json()["written"]) == (200, True)
    assert Assessment.objects.get(recommendation=cells["p26"], country=cells["NPL"]).status == (
        Status.LIMITED
    )


def test_official_import_with_a_bad_row_answers_400_and_writes_nothing(staff_api, cells):
    response = staff_api.post(
        IMPORT, {"rows": [_import_row(), _import_row(iso3="XXX", summary="")]}, format="json"
    )

    assert (response.status_code, response.json()) == (
        400,
        {
            "rows": [
                "Row 2, iso3: No country has the ISO code “XXX”.",
            ]
        },
    )
    assert AssessmentChange.objects.count() == 4


def _rollup(response):
    return [(r["key"], r["voice"], r["total"], r["counts"]) for r in response.json()["results"]]


def _counts(**at):
    return {status: at.get(status, 0) for status in Status.values}


def test_rollups_per_recommendation(api, cells):
    response = api.get(ROLLUPS, {"by": "recommendation"})

    assert response.status_code == 200
    assert _rollup(response) == [
        ("c-26", "official", 1, _counts(implemented=1)),
        ("c-87", "civil_society", 1, _counts(limited_progress=1)),
        ("c-87", "official", 2, _counts(substantial_progress=1, not_started=1)),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"by": "country", "voice": "official"},
            [
                ("NPL", "official", 1, _counts(not_started=1)),
                ("THA", "official", 2, _counts(substantial_progress=1, implemented=1)),
            ],
        ),
        (
            {"by": "subregion", "voice": "official", "objective": 13},
            [
                ("south_east_asia", "official", 1, _counts(substantial_progress=1)),
                ("south_south_west_asia", "official", 1, _counts(not_started=1)),
            ],
        ),
        (
            {"by": "objective", "voice": "official", "subregion": "south_east_asia"},
            [
                ("4", "official", 1, _counts(implemented=1)),
                ("13", "official", 1, _counts(substantial_progress=1)),
            ],
        ),
    ],
)
def test_rollups_per_dimension(api, cells, query, expected):
    response = api.get(ROLLUPS, query)

    assert _rollup(response) == expected


def test_rollups_without_a_dimension_answer_400(api, cells):
    response = api.get(ROLLUPS, {"by": "planet"})

    assert (response.status_code, response.json()) == (
        400,
        {"by": ['"planet" is not a valid choice.']},
    )
