"""Bulk open-data files: every public table as CSV, XLSX and JSON, built in the background into
versioned directories with a manifest, listed on /data/ and served from disk."""

import csv
import datetime
import hashlib
import io
import json
import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from gcm_tracker.dashboards import open_data
from gcm_tracker.dashboards.exports import Column
from gcm_tracker.dashboards.open_data import LOCK_KEY, Table
from gcm_tracker.dashboards.tasks import build_open_data_if_changed
from gcm_tracker.tracker.cache import public_generation
from gcm_tracker.tracker.enums import ReviewState
from tests.factories import (
    ConsultationFactory,
    CountryFactory,
    FollowUpActionFactory,
    GoodPracticeFactory,
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StakeholderFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

FILES = [
    f"gcm-tracker-{table}.{fmt}"
    for table in ["recommendations", "status-changes", "good-practices", "actions"]
    for fmt in ["csv", "xlsx", "json"]
]
FORMULA = '=HYPERLINK("https://evil.example/")'
PUBLISHED_AT = datetime.datetime(2021, 6, 1, 8, 30, tzinfo=datetime.UTC)


@pytest.fixture
def public_data(staff):
    """Two recommendations (one whose text would be a formula), a status change, a good practice
    naming a country and an organisation, a published action and a draft that must not leak."""
    consultation = ConsultationFactory(slug="c")
    objective = ObjectiveFactory(number=13)
    first = RecommendationFactory(consultation=consultation, paragraph=1, objectives=[objective])
    RecommendationFactory(consultation=consultation, paragraph=2, text=FORMULA)
    change = set_status(first, staff, reason="Adopted.")
    thailand = CountryFactory(iso3="THA")
    practice = GoodPracticeFactory(
        consultation=consultation,
        paragraph=3,
        objectives=[objective],
        countries=[thailand],
        short_title="Resource centre",
    )
    practice.stakeholders.add(StakeholderFactory(slug="icrc"))
    action = PublishedActionFactory(
        title="Clinic",
        lead_stakeholder=StakeholderFactory(slug="lead"),
        recommendations=[first],
        countries=[thailand],
        published_at=PUBLISHED_AT,
    )
    action.evidence.create(url="https://example.org/report")
    FollowUpActionFactory(
        title="Secret draft",
        review_state=ReviewState.DRAFT,
        recommendations=[first],
        countries=[thailand],
    )
    return {"change": change, "action": action, "practice": practice}


def _csv(manifest, table):
    path = open_data.directory() / manifest["version"] / f"gcm-tracker-{table}.csv"
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _json(manifest, table):
    path = open_data.directory() / manifest["version"] / f"gcm-tracker-{table}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_build_writes_every_public_table_in_three_formats_with_counts_and_checksums(public_data):
    manifest = open_data.build()

    directory = open_data.directory() / manifest["version"]
    assert sorted(p.name for p in directory.iterdir()) == sorted([*FILES, "manifest.json"])
    assert [(t["name"], t["rows"]) for t in manifest["tables"]] == [
        ("recommendations", 2),
        ("status-changes", 1),
        ("good-practices", 1),
        ("actions", 1),
    ]
    assert [f["name"] for f in manifest["files"]] == FILES
    assert [
        (f["bytes"], f["sha256"]) for f in manifest["files"]
    ] == [
        ((directory / f["name"]).stat().st_size,
         hashlib.sha256((directory / f["name"]).read_bytes()).hexdigest())
        for f in manifest["files"]
    ]  # fmt: skip
    assert json.loads((directory / "manifest.json").read_text()) == manifest
    assert (manifest["licence"], manifest["source"]) == ("CC-BY-4.0", "http://127.0.0.1:8000/data/")


def test_build_writes_the_sub_item_of_an_item_of_a_paragraph_next_to_its_paragraph(db):
    consultation = ConsultationFactory(slug="c")
    RecommendationFactory(consultation=consultation, paragraph=6, sub_item="b", reference="c-6-b")
    GoodPracticeFactory(consultation=consultation, paragraph=7, sub_item="a", reference="c-7-a")

    manifest = open_data.build()

    recommendations = _csv(manifest, "recommendations")
    column = recommendations[0].index("sub_item")
    assert recommendations[0][column - 1 : column + 1] == ["paragraph", "sub_item"]
    assert [(row[0], row[column - 1], row[column]) for row in recommendations[1:]] == [
        ("c-6-b", "6", "b")
    ]
    assert [row[:4] for row in _csv(manifest, "good-practices")] == [
        ["reference", "consultation", "paragraph", "sub_item"],
        ["c-7-a", "c", "7", "a"],
    ]


def test_build_writes_the_rows_of_each_table(public_data):
    change, action = public_data["change"], public_data["action"]

    manifest = open_data.build()

    assert [row[0] for row in _csv(manifest, "recommendations")] == ["reference", "c-1", "c-2"]
    assert _csv(manifest, "status-changes") == [
        ["id", "recommendation", "old_status", "new_status", "reason", "evidence_url",
         "effective_date", "changed_at"],
        [str(change.pk), "c-1", "no_information", "limited_progress", "Adopted.", "",
         change.effective_date.isoformat(), change.changed_at.isoformat()],
    ]  # fmt: skip
    assert _csv(manifest, "good-practices")[1] == [
        "c-3", "c", "3", "", "13", "THA", "icrc", public_data["practice"].text, "Resource centre",
        "en", "en", "", "", "", "", "", "",
    ]  # fmt: skip
    # Published actions only: the draft is in no file.
    assert _csv(manifest, "actions") == [
        ["id", "title", "description", "lead_organisation", "partners", "recommendations",
         "countries", "action_type", "progress", "start_date", "end_date", "published_at",
         "evidence"],
        [str(action.pk), "Clinic", action.description, "lead", "", "c-1", "THA", "training",
         "ongoing", "2021-03-01", "", "2021-06-01T08:30:00+00:00", "https://example.org/report"],
    ]  # fmt: skip


def test_files_neutralise_formulas_for_spreadsheets_and_json_keeps_the_text(public_data):
    manifest = open_data.build()

    directory = open_data.directory() / manifest["version"]
    sheet = load_workbook(directory / "gcm-tracker-recommendations.xlsx").worksheets[0]
    rows = _csv(manifest, "recommendations")
    text = rows[0].index("text")
    cell = sheet.cell(row=3, column=text + 1)
    assert rows[2][text] == "'" + FORMULA
    assert (cell.value, cell.data_type) == (FORMULA, "s")
    assert _json(manifest, "recommendations")["recommendations"][1]["text"] == FORMULA


def test_json_file_says_what_it_holds(public_data):
    manifest = open_data.build()

    about = _json(manifest, "actions")["about"]

    assert about == {
        "licence": "CC-BY-4.0",
        "licence_url": "https://creativecommons.org/licenses/by/4.0/",
        "source": "http://127.0.0.1:8000/data/",
        "generated_at": manifest["generated_at"],
        "table": "actions",
        "columns": [column.name for column in open_data.ACTION_COLUMNS],
    }


def test_build_if_changed_builds_again_only_after_public_data_moved(
    public_data, staff, django_capture_on_commit_callbacks
):
    first = open_data.build_if_changed()
    unchanged = open_data.build_if_changed()
    recommendation = RecommendationFactory(paragraph=9)
    with django_capture_on_commit_callbacks(execute=True):
        set_status(recommendation, staff, new_status="implemented")
    cache.clear()  # the generation is read through the cache for a few seconds
    second = open_data.build_if_changed()

    assert (first is not None, unchanged, second is not None) == (True, None, True)
    assert second["generation"] > first["generation"]
    assert [t["rows"] for t in second["tables"]] == [3, 2, 1, 1]
    assert open_data.latest_manifest() == second


def test_build_if_changed_builds_nothing_while_another_build_holds_the_lock(public_data):
    cache.add(LOCK_KEY, "another build", timeout=60)

    assert open_data.build_if_changed(force=True) is None
    assert open_data.latest_manifest() is None
    assert cache.get(LOCK_KEY) == "another build"


def test_build_releases_its_lock(public_data):
    open_data.build_if_changed()

    assert cache.get(LOCK_KEY) is None


def test_build_keeps_the_newest_versions_only(public_data, settings):
    settings.OPEN_DATA_KEEP = 2

    versions = [open_data.build()["version"] for _ in range(3)]

    assert sorted(os.listdir(open_data.directory())) == versions[1:]


def test_a_failed_build_leaves_no_partial_version(public_data, monkeypatch):
    def broken(absolute_url):
        yield ["x"]
        raise RuntimeError("the database went away")

    monkeypatch.setattr(
        open_data,
        "TABLES",
        [*open_data.TABLES, Table("broken", "Broken", [Column("x", "")], broken)],
    )

    with pytest.raises(RuntimeError):
        open_data.build()

    assert os.listdir(open_data.directory()) == []


def test_build_task_builds_then_finds_nothing_to_do(public_data):
    built = build_open_data_if_changed.delay().get()
    again = build_open_data_if_changed.delay().get()

    assert (built, again) == (open_data.latest_manifest()["version"], None)


def test_build_open_data_command_builds_and_reports_each_table(public_data):
    out = io.StringIO()

    call_command("build_open_data", stdout=out)
    again = io.StringIO()
    call_command("build_open_data", "--if-changed", stdout=again)

    version = open_data.latest_manifest()["version"]
    assert out.getvalue() == (
        f"Built version {version} in {open_data.directory()}:\n"
        "  recommendations: 2\n  status-changes: 1\n  good-practices: 1\n  actions: 1\n"
    )
    assert again.getvalue() == (
        "Nothing built: the newest files are up to date, or another build is running.\n"
    )


# --- the data page and the files' addresses ------------------------------------------------------


def test_data_page_lists_the_newest_files_with_rows_sizes_and_checksums(client, public_data):
    manifest = open_data.build()

    response = client.get(reverse("dashboards:data-dictionary"))

    version = manifest["version"]
    assert [(f["name"], f["rows"], f["url"]) for f in response.context["files"]] == [
        (f["name"], f["rows"], f"/data/files/{version}/{f['name']}") for f in manifest["files"]
    ]
    assert response.context["outdated"] is False
    page = response.content.decode()
    assert page.count(f'<a href="/data/files/{version}/') == 12
    assert manifest["files"][0]["sha256"] in page
    assert [t.name for t in response.context["tables"]] == [
        "recommendations",
        "status-changes",
        "good-practices",
        "actions",
    ]


def _change_public_data(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        set_status(RecommendationFactory(paragraph=9), staff)
    cache.clear()


def test_data_page_builds_the_files_when_public_data_changed_and_no_beat_runs(
    client, public_data, staff, django_capture_on_commit_callbacks
):
    # `make run` and the tests run tasks in the request and have no beat: the page's check
    # builds the files there and then, and lists the new ones.
    before = open_data.build()
    _change_public_data(staff, django_capture_on_commit_callbacks)

    response = client.get(reverse("dashboards:data-dictionary"))

    after = open_data.latest_manifest()
    assert after["version"] != before["version"]
    assert after["generation"] == public_generation()
    assert response.context["outdated"] is False
    assert {f["url"] for f in response.context["files"]} == {
        f"/data/files/{after['version']}/{name}" for name in FILES
    }
    assert "new files follow" not in response.content.decode()


def test_data_page_says_when_public_data_changed_since_the_files(
    client, public_data, staff, django_capture_on_commit_callbacks
):
    before = open_data.build()
    _change_public_data(staff, django_capture_on_commit_callbacks)
    cache.add(LOCK_KEY, "another build", timeout=60)  # the check finds a build under way

    response = client.get(reverse("dashboards:data-dictionary"))

    assert open_data.latest_manifest()["version"] == before["version"]
    assert response.context["outdated"] is True
    assert (
        "The public data changed since; new files follow within about 5 minutes."
        in response.content.decode()
    )


def test_data_page_brings_a_check_forward_at_most_once_a_minute(
    client, public_data, staff, django_capture_on_commit_callbacks
):
    before = open_data.build()
    _change_public_data(staff, django_capture_on_commit_callbacks)
    url = reverse("dashboards:data-dictionary")
    cache.add(LOCK_KEY, "another build", timeout=60)
    client.get(url)  # its check found the lock held
    cache.delete(LOCK_KEY)

    within_the_minute = client.get(url)
    cache.delete("open-data:check-requested")  # the minute has passed
    after_it = client.get(url)

    assert within_the_minute.context["outdated"] is True
    assert open_data.latest_manifest()["version"] != before["version"]
    assert after_it.context["outdated"] is False


def test_data_page_before_the_first_build_says_the_files_are_coming(client, public_data):
    response = client.get(reverse("dashboards:data-dictionary"))

    assert (response.status_code, response.context["files"]) == (200, [])
    assert (
        "The files have not been built yet; they will be within a few minutes."
        in response.content.decode()
    )


def test_data_page_query_count_with_files(client, public_data, django_assert_num_queries):
    open_data.build()
    cache.clear()

    # The public-data generation (cold cache), to say whether the files are current.
    with django_assert_num_queries(1):
        response = client.get(reverse("dashboards:data-dictionary"))

    assert len(response.context["files"]) == 12


def test_open_data_file_is_served_from_disk_with_caching_headers(client, public_data):
    manifest = open_data.build()
    entry = manifest["files"][0]
    url = reverse("dashboards:open-data-file", args=[manifest["version"], entry["name"]])

    response = client.get(url)
    body = b"".join(response.streaming_content)
    again = client.get(url, headers={"If-None-Match": f'"{entry["sha256"]}"'})

    path = open_data.directory() / manifest["version"] / entry["name"]
    assert (response.status_code, body) == (200, path.read_bytes())
    assert (
        response["Content-Type"],
        response["Content-Disposition"],
        response["Cache-Control"],
        response["ETag"],
    ) == (
        "text/csv",
        'attachment; filename="gcm-tracker-recommendations.csv"',
        "public, max-age=31536000, immutable",
        f'"{entry["sha256"]}"',
    )
    assert (again.status_code, again.content) == (304, b"")


@pytest.mark.parametrize(
    "args",
    [
        ["latest", "gcm-tracker-recommendations.csv"],
        ["VERSION", "manifest.json"],
        ["VERSION", "gcm-tracker-secrets.csv"],
        ["VERSION", "..%2F..%2Fsettings.py"],
        ["20200101T000000000000Z", "gcm-tracker-recommendations.csv"],
    ],
)
def test_open_data_file_answers_404_for_anything_but_a_listed_file(client, public_data, args):
    version = open_data.build()["version"]
    url = reverse(
        "dashboards:open-data-file", args=[version if a == "VERSION" else a for a in args]
    )

    response = client.get(url)

    assert response.status_code == 404


def test_open_data_file_of_a_pruned_version_answers_404(client, public_data, settings):
    settings.OPEN_DATA_KEEP = 1
    old = open_data.build()["version"]
    open_data.build()

    response = client.get(
        reverse("dashboards:open-data-file", args=[old, "gcm-tracker-actions.csv"])
    )

    assert response.status_code == 404


def test_latest_address_redirects_to_the_newest_version(client, public_data):
    open_data.build()
    newest = open_data.build()["version"]

    response = client.get(reverse("dashboards:open-data-latest", args=["gcm-tracker-actions.json"]))
    unknown = client.get(reverse("dashboards:open-data-latest", args=["gcm-tracker-x.json"]))

    assert (response.status_code, response["Location"], response["Cache-Control"]) == (
        302,
        f"/data/files/{newest}/gcm-tracker-actions.json",
        "public, max-age=60",
    )
    assert unknown.status_code == 404


def test_manifest_address_gives_the_newest_manifest_with_each_files_address(client, public_data):
    manifest = open_data.build()

    response = client.get(reverse("dashboards:open-data-manifest"))

    data = response.json()
    assert {k: v for k, v in data.items() if k != "files"} == {
        k: v for k, v in manifest.items() if k != "files"
    }
    assert data["files"] == [
        entry | {"url": f"http://testserver/data/files/{manifest['version']}/{entry['name']}"}
        for entry in manifest["files"]
    ]
    assert response["Cache-Control"] == "public, max-age=60"


def test_manifest_address_before_the_first_build_answers_404_saying_so(client):
    response = client.get(reverse("dashboards:open-data-manifest"))

    assert (response.status_code, response.json()) == (
        404,
        {"detail": "The open-data files have not been built yet; try again in a few minutes."},
    )
