"""Briefing packs: the form, the queue, the files (PDF read back with pypdf, DOCX with
python-docx), the cache per public-data generation, and the progress and download pages."""

import datetime
import io

import docx
import pypdf
import pytest
from django.urls import reverse

from gcm_tracker.briefings import packs, subjects
from gcm_tracker.briefings.models import BriefingPack, PackState
from gcm_tracker.tracker.enums import RecommendationStatus
from tests.factories import (
    ContributorFactory,
    CountryFactory,
    RecommendationFactory,
    StakeholderFactory,
    publish_civil_society,
    record_official,
)

pytestmark = pytest.mark.django_db

START, END = "2024-01-01", "2024-12-31"


@pytest.fixture
def thailand(staff):
    """Thailand with three recommendations: one assessed in both voices (they disagree), one
    officially only, one not at all."""
    country = CountryFactory(iso3="THA", name="Thailand", short_name="Thailand")
    recommendations = [RecommendationFactory() for _ in range(3)]
    record_official(recommendations[0], country, staff, status=RecommendationStatus.IMPLEMENTED)
    record_official(
        recommendations[1],
        country,
        staff,
        status=RecommendationStatus.LIMITED,
        source_title="Thailand VNR 2024",
        source_url="https://example.org/thailand-vnr.pdf",
    )
    organisation = StakeholderFactory(slug="mekong-watch", name="Mekong Watch")
    author = ContributorFactory(organisation=organisation)
    publish_civil_society(
        recommendations[0], country, author, staff, status=RecommendationStatus.NOT_STARTED
    )
    return country, recommendations


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """POST the pack form; the build queued on commit runs (the queue is eager in tests)."""

    def ask(subject="country:THA", fmt="pdf"):
        data = {"subject": subject, "start": START, "end": END, "format": fmt}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("briefings:pack-form"), data)

    return ask


def _file(pack) -> bytes:
    return (packs.pack_dir() / pack.file).read_bytes()


def test_pdf_pack_for_thailand_names_the_country_the_period_and_every_recommendation(
    client, ask, thailand
):
    _country, recommendations = thailand
    response = ask()
    pack = BriefingPack.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("briefings:pack-status", args=[pack.pk])
    assert pack.state == PackState.READY  # eager queue in tests
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(_file(pack))).pages)
    assert "Thailand" in text
    assert "Period: 1 January 2024 to 31 December 2024" in text
    for recommendation in recommendations:
        assert recommendation.reference in text
    assert "Mekong Watch" in text
    assert "https://example.org/thailand-vnr.pdf" in text  # sources cited by reference


def test_docx_pack_holds_the_same_recommendation_rows(client, ask, thailand):
    _country, recommendations = thailand
    ask(fmt="docx")
    pack = BriefingPack.objects.get()
    document = docx.Document(io.BytesIO(_file(pack)))
    tables = {table.rows[0].cells[0].text: table for table in document.tables}
    rows = [[c.text for c in row.cells] for row in tables["Reference"].rows[1:]]
    assert [row[0] for row in rows] == [r.reference for r in recommendations]
    assert rows[0][2].startswith("Implemented [")
    assert rows[0][3].startswith("Not started (Mekong Watch) [")
    assert rows[2][2:] == ["No information", "No information"]
    # (The stale items' table starts with "Recommendation" too: the seed's paragraphs have had no
    # status for years.)
    (disagreement_table,) = [
        t
        for t in document.tables
        if [c.text for c in t.rows[0].cells][:2] == ["Recommendation", "Country"]
    ]
    disagreements = [[c.text for c in row.cells] for row in disagreement_table.rows[1:]]
    assert disagreements == [
        [recommendations[0].reference, "Thailand", "Implemented", "Not started (Mekong Watch)"]
    ]
    assert document.paragraphs[1].text == "Thailand"
    # What changed in 2024: three cells assessed for the first time (effective in March, April).
    moves = [[c.text for c in row.cells] for row in tables["Effective"].rows[1:]]
    assert sorted((row[2], row[3], row[4]) for row in moves) == sorted(
        [
            (recommendations[0].reference, "Official", "(first assessment)"),
            (recommendations[1].reference, "Official", "(first assessment)"),
            (recommendations[0].reference, "Mekong Watch", "(first assessment)"),
        ]
    )
    headline = {row.cells[0].text: row.cells[1].text for row in tables["Figure"].rows[1:]}
    assert headline["Recommendations"] == "3"
    assert headline["Officially assessed"] == "2"
    assert headline["Disagreements between the voices"] == "1"


def test_the_same_request_reuses_the_pack_until_public_data_change(
    client, ask, thailand, staff, django_capture_on_commit_callbacks
):
    country, recommendations = thailand
    ask()
    ask()
    assert BriefingPack.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        record_official(recommendations[2], country, staff)
    ask()
    assert BriefingPack.objects.count() == 2
    assert packs.remove_old_packs() == 1
    assert BriefingPack.objects.count() == 1


def test_progress_page_refreshes_until_the_pack_is_ready_then_links_the_download(
    client, ask, thailand, briefing_pack, django_assert_num_queries
):
    pack = briefing_pack(progress=40, state=PackState.RUNNING)
    with django_assert_num_queries(1):
        response = client.get(reverse("briefings:pack-status", args=[pack.pk]))
    assert response["Refresh"] == "3"
    assert b'value="40"' in response.content
    assert reverse("briefings:pack-download", args=[pack.pk]).encode() not in response.content
    assert client.get(reverse("briefings:pack-download", args=[pack.pk])).status_code == 404
    stopped = client.get(reverse("briefings:pack-status", args=[pack.pk]), {"refresh": "off"})
    assert not stopped.has_header("Refresh")

    ask()
    ready = BriefingPack.objects.exclude(pk=pack.pk).get()
    response = client.get(reverse("briefings:pack-status", args=[ready.pk]))
    assert not response.has_header("Refresh")
    download = client.get(reverse("briefings:pack-download", args=[ready.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "gcm-tracker-country-tha-20240101-20241231.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == _file(ready)
    download.close()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        # A country named as a subject is shown, and refused, in the country chooser.
        ({"subject": "country:XXX"}, "country"),
        ({"subject": "objective:999"}, "subject"),
        ({"start": "2024-12-31", "end": "2024-01-01"}, "end"),
        ({"start": "1900-01-01"}, "start"),
        ({"format": "exe"}, "format"),
        ({"start": "not a date"}, "start"),
        ({"subject": ""}, "subject"),
        ({"subject": "", "consultation": "no-such-meeting"}, "consultation"),
        ({"consultation": "consultation-0"}, "consultation"),
    ],
)
def test_bad_choices_answer_400_and_make_nothing(client, thailand, data, field):
    query = {"subject": "country:THA", "start": START, "end": END, "format": "pdf"} | data
    assert client.get(reverse("briefings:pack-form"), query).status_code == 400
    response = client.post(reverse("briefings:pack-form"), query)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not BriefingPack.objects.exists()


def test_asking_is_rate_limited_per_client(client, ask, thailand, settings):
    for _ in range(20):
        assert ask().status_code == 302
    response = ask()
    assert response.status_code == 429
    assert BriefingPack.objects.count() == 1


def test_web_page_pack_is_the_same_document_and_opens_in_the_browser(client, ask, thailand):
    _country, recommendations = thailand
    ask(fmt="html")
    pack = BriefingPack.objects.get()
    page = _file(pack).decode()
    for recommendation in recommendations:
        assert recommendation.reference in page
    assert "css/pack.css" in page
    assert "Period: 1 January 2024 to 31 December 2024" in page
    response = client.get(reverse("briefings:pack-download", args=[pack.pk]))
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == _file(pack)
    response.close()


@pytest.mark.parametrize(
    ("kind", "key"), [("objective", None), ("consultation", None), ("subregion", "south_east_asia")]
)
def test_packs_of_other_subjects_list_their_recommendations(client, ask, thailand, kind, key):
    _country, recommendations = thailand
    if kind == "objective":
        key = str(recommendations[0].objectives.get().number)
        expected = [recommendations[0]]
    elif kind == "consultation":
        key = recommendations[1].consultation.slug
        expected = [recommendations[1]]
        # Typed, not picked from the menu (thousands of consultations at scale).
        response = client.get(
            reverse("briefings:pack-form"), {"consultation": key, "start": START, "end": END}
        )
        assert response.status_code == 200
        assert response.context["form"].cleaned_data["subject"].label == (
            recommendations[1].consultation.title
        )
    else:
        expected = recommendations
    ask(subject=f"{kind}:{key}", fmt="docx")
    pack = BriefingPack.objects.get()
    assert pack.state == PackState.READY, pack.error
    document = docx.Document(io.BytesIO(_file(pack)))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Reference")
    assert [row.cells[0].text for row in table.rows[1:]] == [r.reference for r in expected]


def test_a_worker_never_builds_a_pack_twice(thailand, django_capture_on_commit_callbacks):
    subject = subjects.resolve("country", "THA")
    with django_capture_on_commit_callbacks(execute=True):
        pack, queued = packs.request_pack(
            subject=subject,
            start=datetime.date(2024, 1, 1),
            end=datetime.date(2024, 12, 31),
            fmt="pdf",
            language="en",
        )
    assert queued
    assert pack.pk
    pack.refresh_from_db()
    assert pack.state == PackState.READY
    assert packs.build_pack(pack.pk) is None  # already done: a second delivery does nothing


def test_pack_lists_at_most_the_configured_rows_and_says_how_many_more(
    client, ask, thailand, settings
):
    settings.BRIEFING_PACK_ROWS = 2
    ask(fmt="docx")
    document = docx.Document(io.BytesIO(_file(BriefingPack.objects.get())))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Reference")
    assert len(table.rows) == 3
    assert any(
        p.text == "The first 2 of 3 recommendations, in report order." for p in document.paragraphs
    )
