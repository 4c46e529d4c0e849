"""On-request downloads are capped: more rows than DOWNLOAD_MAX_ROWS (for the matrix, possibly
more) answer 400 pointing to the bulk files and the API, and a client builds at most
DOWNLOADS_PER_CLIENT downloads at once (429 beyond). Below the caps a download is what it always
was."""

import csv
import io

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse

from gcm_tracker.dashboards import country_views, views
from gcm_tracker.tracker.models import ScopeStatusCount
from tests.factories import CountryFactory, ObjectiveFactory, RecommendationFactory

from .pages import download_body

pytestmark = pytest.mark.django_db

REFUSAL = (
    "This download would hold 3 rows; downloads made on request hold at most 2. Narrow the "
    "filters, take the complete files of every table (updated a few minutes after each change) "
    "from the open-data page, or page through the rows with the API."
)


@pytest.fixture
def three(settings):
    settings.DOWNLOAD_MAX_ROWS = 2
    objective = ObjectiveFactory(number=13)
    return [RecommendationFactory(objectives=[objective]) for _ in range(3)]


def _download(client, fmt, **params):
    return client.get(reverse("dashboards:recommendation-export", args=[fmt]), params)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_spreadsheet_download_over_the_limit_answers_400_with_a_page_pointing_elsewhere(
    client, three, fmt
):
    response = _download(client, fmt, objective="13")

    assert response.status_code == 400
    assert response.templates[0].name == "dashboards/download_refused.html"
    assert (response.context["message"], response.context["links"]) == (
        REFUSAL,
        {
            "bulk_files": "http://testserver/data/",
            "api": "http://testserver/api/v1/recommendations/?objective=13",
        },
    )
    page = response.content.decode()
    assert 'href="http://testserver/data/#files"' in page
    assert 'href="http://testserver/api/v1/recommendations/?objective=13"' in page


def test_json_download_over_the_limit_answers_400_in_json(client, three):
    response = _download(client, "json")

    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert response.json() == {
        "detail": REFUSAL,
        "rows": 3,
        "limit": 2,
        "bulk_files": "http://testserver/data/",
        "api": "http://testserver/api/v1/recommendations/",
    }


@pytest.mark.parametrize("params", [{}, {"status": "no_information"}])
def test_the_refusal_reads_the_kept_length_instead_of_counting(client, three, params):
    # Every recommendation, or statuses alone: the lists' kept counts (ScopeStatusCount), so a
    # full download's refusal reads a few rows, not every recommendation. A kept count set wrong
    # shows (repair_counts mends it).
    ScopeStatusCount.objects.filter(status="no_information").update(count=7)

    response = _download(client, "json", **params)

    assert (response.status_code, response.json()["rows"]) == (400, 7)


def test_download_at_the_limit_is_what_it_always_was(client, three):
    response = _download(client, "csv", objective="13", q=three[0].text)

    rows = list(csv.reader(io.StringIO(download_body(response).decode())))
    assert (response.status_code, [row[0] for row in rows[1:]]) == (200, [three[0].reference])


def test_download_of_exactly_the_limit_is_made(client, three, settings):
    settings.DOWNLOAD_MAX_ROWS = 3

    response = _download(client, "json")

    assert response.status_code == 200
    assert len(response.json()["recommendations"]) == 3


def test_list_page_over_the_limit_offers_the_open_data_page_instead_of_downloads(client, three):
    page = client.get(reverse("dashboards:recommendation-list")).content.decode()
    narrowed = client.get(reverse("dashboards:recommendation-list"), {"q": three[0].text})

    assert (
        "This list is too long to download on request (at most 2 rows): narrow the filters, "
        "or take the complete files from the open-data page."
    ) in page
    assert "/recommendations/download/csv/" not in page
    assert "/recommendations/download/csv/" in narrowed.content.decode()


def _finish(*responses):
    """Read the downloads to their end, as the client would (which closes them)."""
    for response in responses:
        download_body(response)


def _server_closes(response):
    """What the WSGI server does when the client went away before reading: close the response.
    (Closing sends request_finished, which would also close the test's database connection, as
    the test client knows: it holds that receiver back the same way.)"""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.fixture
def streaming(monkeypatch, settings):
    """Every CSV and JSON download streams, as large ones do, so it holds its slot until read."""
    monkeypatch.setattr(views, "WHOLE_DOWNLOAD_ROWS", 0)
    settings.DOWNLOADS_PER_CLIENT = 2
    RecommendationFactory()


def test_a_third_download_at_once_from_one_client_answers_429(client, streaming):
    first, second = _download(client, "csv"), _download(client, "json")

    third = _download(client, "csv")

    assert (first.status_code, second.status_code) == (200, 200)
    assert (third.status_code, third["Retry-After"]) == (429, "10")
    assert third.context["message"] == (
        "You are already downloading 2 files from this site. Wait until one of them is done, "
        "then try again."
    )
    assert third.templates[0].name == "dashboards/download_refused.html"
    _finish(first, second)


def test_a_finished_download_gives_its_slot_back(client, streaming):
    first, second = _download(client, "csv"), _download(client, "csv")
    download_body(first)

    third = _download(client, "json")
    fourth = _download(client, "json")

    assert (third.status_code, fourth.status_code) == (200, 429)
    assert fourth.json() == {
        "detail": "You are already downloading 2 files from this site. Wait until one of them "
        "is done, then try again.",
        "bulk_files": "http://testserver/data/",
    }
    _finish(second, third)


def test_a_download_closed_before_it_was_read_gives_its_slot_back(client, streaming):
    for _ in range(3):
        _server_closes(_download(client, "csv"))

    assert _download(client, "csv").status_code == 200


def test_another_client_is_not_held_back(client, streaming):
    held = [_download(client, "csv") for _ in range(2)]

    other = client.get(
        reverse("dashboards:recommendation-export", args=["csv"]), REMOTE_ADDR="198.51.100.7"
    )

    assert other.status_code == 200
    _finish(*held, other)


def test_downloads_built_whole_and_refusals_hold_no_slot(client, three, settings):
    settings.DOWNLOADS_PER_CLIENT = 1

    spreadsheets = [_download(client, "xlsx", q=three[0].text).status_code for _ in range(2)]
    refusals = [_download(client, "csv").status_code for _ in range(2)]

    assert (spreadsheets, refusals) == ([200, 200], [400, 400])


# --- the matrix's downloads: a row per applicable cell and voice, bounded before reading them ---


@pytest.fixture
def matrix_of_three(settings):
    """Three recommendations and two countries: up to 3 × 2 cells, each in two voices."""
    settings.DOWNLOAD_MAX_ROWS = 11
    CountryFactory(iso3="THA")
    CountryFactory(iso3="VNM")
    return [RecommendationFactory() for _ in range(3)]


def _matrix_download(client, fmt, **params):
    return client.get(reverse("dashboards:matrix-export", args=[fmt]), params)


def _matrix_csv_rows(response) -> list[list[str]]:
    """The download's rows below its header."""
    return list(csv.reader(io.StringIO(download_body(response).decode("utf-8-sig"))))[1:]


def test_matrix_download_that_may_pass_the_limit_answers_400_pointing_to_the_api(
    client, matrix_of_three
):
    response = _matrix_download(client, "json")

    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert response.json() == {
        "detail": "This download covers 3 recommendations in 2 countries: up to 12 rows, and "
        "downloads made on request hold at most 11. Narrow the filters (an objective, a country "
        "or a subregion), or page through the country assessments with the API.",
        "rows": 12,
        "limit": 11,
        "api": "http://testserver/api/v1/assessments/",
    }
    spreadsheet = _matrix_download(client, "csv")
    assert spreadsheet.status_code == 400
    assert spreadsheet.templates[0].name == "dashboards/download_refused.html"
    # The open-data files hold no matrix: the page links to the API alone.
    page = spreadsheet.content.decode()
    assert 'href="http://testserver/api/v1/assessments/"' in page
    assert "#files" not in page


@pytest.mark.parametrize(
    "params",
    [{"country": "THA"}, {"voice": "official"}],
    ids=["one column", "one voice"],
)
def test_matrix_download_narrowed_within_the_limit_is_made(client, matrix_of_three, params):
    response = _matrix_download(client, "csv", **params)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert len(_matrix_csv_rows(response)) == 3 * 1 * 2


def test_matrix_download_of_exactly_the_limit_is_made(client, matrix_of_three, settings):
    settings.DOWNLOAD_MAX_ROWS = 12

    response = _matrix_download(client, "csv")

    assert response.status_code == 200
    assert len(_matrix_csv_rows(response)) == 12  # every cell applies here: the bound is exact


def test_a_third_matrix_download_at_once_from_one_client_answers_429(
    client, matrix_of_three, monkeypatch, settings
):
    monkeypatch.setattr(country_views, "WHOLE_DOWNLOAD_RECOMMENDATIONS", 0)  # every one streams
    settings.DOWNLOADS_PER_CLIENT, settings.DOWNLOAD_MAX_ROWS = 2, 100
    first, second = _matrix_download(client, "csv"), _matrix_download(client, "json")

    third = _download(client, "csv")  # the list's download shares the client's slots

    assert (first.status_code, second.status_code) == (200, 200)
    assert (third.status_code, third["Retry-After"]) == (429, "10")
    _finish(first, second)
