"""The country dimension's public pages, read as rendered: the scorecard, the matrix and its
downloads, disagreements, the country map and the recommendation page's country table.

Assessments are written through the services (record_official, publish_civil_society), as staff
and contributors write them, so roll-ups and history are those of real use."""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gcm_tracker.tracker.enums import RecommendationScope, RecommendationStatus, Subregion
from gcm_tracker.tracker.models import Assessment, Country, Recommendation, Stakeholder
from gcm_tracker.tracker.scope import applicable_countries, escap_countries
from gcm_tracker.tracker.services import (
    AssessmentConflict,
    recommendation_set_scope,
)
from tests.factories import (
    AssessmentFactory,
    CivilSocietyAssessmentFactory,
    ContributorFactory,
    CountryFactory,
    RecommendationFactory,
    publish_civil_society,
    record_official,
    set_status,
    submit_civil_society,
)

from .pages import (
    download_body,
    matrix_cell_names,
    matrix_columns,
    matrix_rows,
    scorecard_row,
)

pytestmark = pytest.mark.django_db

SLUG = "border-governance-2020"
REF = f"{SLUG}-87"


@pytest.fixture
def thailand(seed):
    return Country.objects.get(iso3="THA")


@pytest.fixture
def rec87(seed):
    return Recommendation.objects.get(reference=REF)


@pytest.fixture
def organisations(seed):
    """Two civil-society organisations, each with a contributor."""
    first = Stakeholder.objects.get(slug="international-detention-coalition")
    second = Stakeholder.objects.get(slug="unicef")
    return {
        "first": (first, ContributorFactory(username="first-contributor", organisation=first)),
        "second": (second, ContributorFactory(username="second-contributor", organisation=second)),
    }


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(download_body(response).decode())))


def test_country_assessment_acceptance_page_part(
    client, staff, thailand, rec87, organisations, django_capture_on_commit_callbacks
):
    first, first_author = organisations["first"]
    second, second_author = organisations["second"]
    scorecard = reverse("dashboards:country-detail", args=["THA"])

    with django_capture_on_commit_callbacks(execute=True):
        record_official(rec87, thailand, staff, status=RecommendationStatus.SUBSTANTIAL)
        publish_civil_society(
            rec87, thailand, first_author, staff, status=RecommendationStatus.LIMITED
        )
    agreeing = scorecard_row(client.get(scorecard), REF)
    with django_capture_on_commit_callbacks(execute=True):
        publish_civil_society(
            rec87, thailand, second_author, staff, status=RecommendationStatus.NOT_STARTED
        )
    disagreeing = scorecard_row(client.get(scorecard), REF)
    disagreements = client.get(reverse("dashboards:disagreement-list"))
    matrix = client.get(reverse("dashboards:matrix") + "?objective=13")
    download = _csv(client.get(reverse("dashboards:matrix-export", args=["csv"]) + "?objective=13"))
    api = client.get(reverse("api:assessment-list") + f"?country=THA&recommendation={REF}")

    assert agreeing == {
        "official": "substantial_progress",
        "civil_society": [(first.name, "limited_progress")],
        "flag": False,
    }
    assert disagreeing == {
        "official": "substantial_progress",
        "civil_society": [(first.name, "limited_progress"), (second.name, "not_started")],
        "flag": True,
    }
    assert [c.country.iso3 for c in disagreements.context["cells"]] == ["THA"]
    assert [c.recommendation.reference for c in disagreements.context["cells"]] == [REF]
    on_13 = [f"{SLUG}-{paragraph}" for paragraph in range(87, 93)]
    assert matrix_rows(matrix) == on_13
    applicable = {
        c.iso3
        for r in Recommendation.objects.filter(reference__in=on_13)
        for c in applicable_countries(r)
    }
    assert matrix_columns(matrix) == [
        c.iso3 for c in Country.objects.filter(iso3__in=applicable).order_by("short_name")
    ]
    thailand_87 = [
        (row["voice"], row["organisation"], row["status"], row["source_title"])
        for row in download
        if row["reference"] == REF and row["country"] == "THA"
    ]
    assert thailand_87 == [
        ("official", "", "substantial_progress", "Voluntary GCM review 2024"),
        ("civil_society", first.name, "limited_progress", "Shadow report 2024"),
        ("civil_society", second.name, "not_started", "Shadow report 2024"),
    ]
    assert sorted(
        (row["voice"], row["organisation"], row["status"]) for row in api.json()["results"]
    ) == [
        ("civil_society", first.slug, "limited_progress"),
        ("civil_society", second.slug, "not_started"),
        ("official", None, "substantial_progress"),
    ]
    assert {row["reference"] for row in download} == {
        r.reference
        for r in Recommendation.objects.filter(reference__in=on_13)
        if r.scope != RecommendationScope.REGIONAL
    }


def test_stale_official_edit_writes_nothing_the_public_sees(client, staff, thailand, rec87):
    record_official(rec87, thailand, staff, status=RecommendationStatus.SUBSTANTIAL)

    with pytest.raises(AssessmentConflict):
        record_official(
            rec87, thailand, staff, status=RecommendationStatus.IMPLEMENTED, expected_version=None
        )
    row = scorecard_row(client.get(reverse("dashboards:country-detail", args=["THA"])), REF)

    assert row == {"official": "substantial_progress", "civil_society": [], "flag": False}


def test_scorecard_does_not_show_the_regional_status_as_the_countrys(
    client, staff, thailand, rec87
):
    set_status(rec87, staff, new_status=RecommendationStatus.IMPLEMENTED)

    response = client.get(reverse("dashboards:country-detail", args=["THA"]))

    assert scorecard_row(response, REF) == {"official": None, "civil_society": [], "flag": False}
    assert response.context["scorecard"].overall.official.counts == {
        "no_information": response.context["scorecard"].page.paginator.count,
        "not_started": 0,
        "limited_progress": 0,
        "substantial_progress": 0,
        "implemented": 0,
    }


def test_scorecard_hides_civil_society_assessments_not_published(
    client, staff, thailand, rec87, organisations
):
    _, author = organisations["first"]
    submit_civil_society(rec87, thailand, author, status=RecommendationStatus.IMPLEMENTED)

    response = client.get(reverse("dashboards:country-detail", args=["THA"]))

    assert scorecard_row(response, REF)["civil_society"] == []
    assert response.context["scorecard"].overall.civil_society.total == 0


def test_scorecard_breakdown_by_objective_counts_from_the_roll_ups(
    client, staff, thailand, rec87, organisations
):
    _, author = organisations["first"]
    record_official(rec87, thailand, staff, status=RecommendationStatus.IMPLEMENTED)
    publish_civil_society(rec87, thailand, author, staff, status=RecommendationStatus.LIMITED)

    response = client.get(reverse("dashboards:country-detail", args=["THA"]))

    row = next(r for r in response.context["scorecard"].objectives if r.objective.number == 13)
    applicable_on_13 = Recommendation.objects.filter(
        objectives__number=13,
        reference__in=[
            r.reference
            for r in Recommendation.objects.filter(objectives__number=13)
            if thailand in applicable_countries(r)
        ],
    ).count()
    assert (row.applicable, row.official.advanced, row.official.counts["no_information"]) == (
        applicable_on_13,
        1,
        applicable_on_13 - 1,
    )
    assert (row.civil_society.advanced, row.civil_society.total) == (0, 1)


def test_matrix_cell_names_both_voices_in_text(client, staff, thailand, rec87, organisations):
    _, first_author = organisations["first"]
    _, second_author = organisations["second"]
    record_official(rec87, thailand, staff, status=RecommendationStatus.SUBSTANTIAL)
    for author in (first_author, second_author):
        publish_civil_society(rec87, thailand, author, staff, status=RecommendationStatus.LIMITED)

    response = client.get(reverse("dashboards:matrix") + "?objective=13&country=THA")

    names = matrix_cell_names(response)
    assert names[matrix_rows(response).index(REF)] == (
        "Thailand, paragraph 87: Substantial progress, official; "
        "Limited progress, civil society (2 organisations)"
    )


def test_matrix_voice_and_subregion_filters_choose_columns_and_cells(
    client, staff, thailand, rec87
):
    record_official(rec87, thailand, staff, status=RecommendationStatus.SUBSTANTIAL)

    response = client.get(
        reverse("dashboards:matrix")
        + f"?objective=13&voice=official&subregion={Subregion.SOUTH_EAST_ASIA}"
    )

    south_east_asia = escap_countries().filter(subregion=Subregion.SOUTH_EAST_ASIA)
    assert matrix_columns(response) == [c.iso3 for c in south_east_asia.order_by("short_name")]
    thailand_87 = matrix_cell_names(response)[
        matrix_rows(response).index(REF) * south_east_asia.count()
        + matrix_columns(response).index("THA")
    ]
    assert thailand_87 == "Thailand, paragraph 87: Substantial progress, official"


@pytest.mark.parametrize(
    ("query", "counted"),
    [
        ("?objective=13", False),  # the objective's kept count (ObjectiveStatusCount)
        ("?objective=13&voice=official", False),  # the voice chooses cells, not rows
        ("?objective=13&subregion=pacific", True),
        ("?consultation=" + SLUG, True),
    ],
)
def test_matrix_pages_count_their_rows_or_read_the_kept_count(client, seed, query, counted):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboards:matrix") + query + "&page=2")

    filterset = response.context["filter"]
    assert response.context["page"].paginator.count == filterset.qs.count() > 0
    counting = [
        q["sql"]
        for q in queries
        if 'COUNT(*) AS "__count" FROM "tracker_recommendation"' in q["sql"]
    ]
    assert bool(counting) == counted


def test_matrix_status_filter_keeps_rows_with_an_assessment_at_it(client, staff, thailand, rec87):
    record_official(rec87, thailand, staff, status=RecommendationStatus.SUBSTANTIAL)

    response = client.get(reverse("dashboards:matrix") + "?status=substantial_progress")

    assert matrix_rows(response) == [REF]


def test_matrix_with_an_invalid_filter_answers_400_with_the_message(client, seed):
    response = client.get(reverse("dashboards:matrix") + "?voice=everyone&subregion=mars")

    assert response.status_code == 400
    assert sorted(response.context["filter"].errors) == ["subregion", "voice"]
    assert matrix_rows(response) == []


def test_cells_outside_the_scope_are_not_applicable_and_not_downloaded(
    client, staff, thailand, rec87
):
    nepal = Country.objects.get(iso3="NPL")
    recommendation_set_scope(
        recommendation=rec87,
        scope=RecommendationScope.SELECTED,
        subregions=[Subregion.SOUTH_EAST_ASIA],
        changed_by=staff,
    )
    query = "?objective=13&country=NPL"

    page = client.get(reverse("dashboards:matrix") + "?objective=13")
    narrowed = client.get(reverse("dashboards:matrix") + query)
    download = _csv(client.get(reverse("dashboards:matrix-export", args=["csv"]) + query))

    nepal_87 = matrix_cell_names(page)[
        matrix_rows(page).index(REF) * len(matrix_columns(page))
        + matrix_columns(page).index(nepal.iso3)
    ]
    assert nepal_87 == "Nepal, paragraph 87: not applicable"
    assert REF not in matrix_rows(narrowed)
    assert REF not in {row["reference"] for row in download}


def test_matrix_downloads_hold_the_same_rows_in_each_format(client, staff, thailand, rec87):
    record_official(rec87, thailand, staff)
    query = "?objective=13&country=THA"

    rows = _csv(client.get(reverse("dashboards:matrix-export", args=["csv"]) + query))
    data = json.loads(
        download_body(client.get(reverse("dashboards:matrix-export", args=["json"]) + query))
    )
    xlsx = client.get(reverse("dashboards:matrix-export", args=["xlsx"]) + query)

    assert [dict(r) for r in rows] == [
        {k: str(v) for k, v in cell.items()} for cell in data["cells"]
    ]
    assert data["about"]["query"] == "objective=13&country=THA"
    assert xlsx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_country_list_draws_a_tile_per_escap_member_beside_a_sortable_table(
    client, staff, thailand, rec87
):
    record_official(rec87, thailand, staff, status=RecommendationStatus.IMPLEMENTED)

    response = client.get(reverse("dashboards:country-list") + "?sort=-share")

    members = escap_countries().count()
    assert response.content.decode().count('<g class="tile ') == members
    assert len(response.context["rows"]) == members
    first = response.context["rows"][0]
    assert (first.country.iso3, first.official.advanced) == ("THA", 1)
    assert first.advanced_share == 100 / first.applicable


def test_recommendation_page_shows_each_country_in_both_voices(
    client, staff, thailand, rec87, organisations
):
    first, author = organisations["first"]
    record_official(rec87, thailand, staff, status=RecommendationStatus.NOT_STARTED)
    publish_civil_society(rec87, thailand, author, staff, status=RecommendationStatus.IMPLEMENTED)

    response = client.get(reverse("dashboards:recommendation-detail", args=[REF]))

    countries = response.context["countries"]
    cell = next(c for c in countries.cells if c.country.iso3 == "THA")
    assert (cell.official.status, [(a.stakeholder, a.status) for a in cell.civil_society]) == (
        "not_started",
        [(first, "implemented")],
    )
    assert cell.disagreement is True
    assert countries.official.counts["not_started"] == 1
    assert countries.official.counts["no_information"] == len(countries.cells) - 1
    assert countries.civil_society.counts["implemented"] == 1


def test_dashboard_counts_disagreements_and_links_to_them(
    client, staff, thailand, rec87, organisations
):
    _, author = organisations["first"]
    record_official(rec87, thailand, staff, status=RecommendationStatus.NOT_STARTED)
    publish_civil_society(rec87, thailand, author, staff, status=RecommendationStatus.IMPLEMENTED)

    page = client.get(reverse("dashboards:dashboard")).content.decode()

    assert (
        f'<a href="{reverse("dashboards:disagreement-list")}">'
        "1 cell where the two voices disagree</a>"
    ) in page


def test_country_assessment_feed_names_the_organisation_never_the_person(
    client, staff, thailand, rec87, organisations
):
    first, author = organisations["first"]
    publish_civil_society(rec87, thailand, author, staff, status=RecommendationStatus.LIMITED)

    feed = client.get(reverse("dashboards:feed-country-assessments", args=["THA"]))

    content = feed.content.decode()
    assert f"<title>{rec87.label} ({REF}): Limited progress ({first.name})</title>" in content
    assert author.username not in content
    assert staff.username not in content
    assert Assessment.objects.count() == 1


def test_data_dictionary_explains_every_matrix_download_column(client, staff, thailand, rec87):
    record_official(rec87, thailand, staff)
    header = next(
        csv.reader(
            io.StringIO(
                download_body(
                    client.get(reverse("dashboards:matrix-export", args=["csv"]))
                ).decode()
            )
        )
    )

    response = client.get(reverse("dashboards:data-dictionary"))

    assert [c.name for c in response.context["matrix_columns"]] == header


def test_disagreements_need_two_levels_ignore_no_information_and_come_newest_first(client):
    def cell(official, civil, days_ago):
        recorded = timezone.now() - datetime.timedelta(days=days_ago)
        recommendation = RecommendationFactory()
        country = CountryFactory()
        AssessmentFactory(
            recommendation=recommendation, country=country, status=official, recorded_at=recorded
        )
        CivilSocietyAssessmentFactory(
            recommendation=recommendation, country=country, status=civil, recorded_at=recorded
        )
        return recommendation.reference

    S = RecommendationStatus
    cell(S.SUBSTANTIAL, S.LIMITED, 1)  # one level apart
    older = cell(S.SUBSTANTIAL, S.NOT_STARTED, 3)
    cell(S.NO_INFORMATION, S.IMPLEMENTED, 1)  # an explicit "no information" says nothing
    newer = cell(S.IMPLEMENTED, S.LIMITED, 2)

    response = client.get(reverse("dashboards:disagreement-list"))

    assert [c.recommendation.reference for c in response.context["cells"]] == [newer, older]


def test_matrix_download_refuses_an_unknown_format_and_an_invalid_filter(client, seed):
    unknown = client.get(reverse("dashboards:matrix-export", args=["pdf"]))
    invalid = client.get(reverse("dashboards:matrix-export", args=["csv"]) + "?objective=99")

    assert unknown.status_code == 404
    assert invalid.status_code == 400
    assert list(invalid.context["filter"].errors) == ["objective"]
    assert invalid["Content-Type"] == "text/html; charset=utf-8"


def test_scorecard_of_an_unknown_country_is_404(client, seed):
    response = client.get(reverse("dashboards:country-detail", args=["XYZ"]))

    assert response.status_code == 404
