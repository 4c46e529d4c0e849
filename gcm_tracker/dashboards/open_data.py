"""Bulk open-data files: every public table as CSV, XLSX and JSON, built in the background.

TABLES is the registry: one entry per public table (its file name, title, columns with their
meaning, and its rows). The data dictionary page documents every entry's columns and lists the
current files; adding a table is adding an entry.

A build (build()) writes each table once, into the three formats at the same time, in a new
directory under settings.OPEN_DATA_DIR, then a manifest.json (date, public-data generation, row
counts, sizes and SHA-256 checksums), then renames the directory into place: readers see a whole
version or none. The newest OPEN_DATA_KEEP versions are kept, so a link to an older one keeps
working for a while. build_if_changed() builds only when the public-data generation moved since
the newest version, and only one build runs at a time (a lock in the shared cache); the beat asks
for it every few minutes (dashboards.tasks). Spreadsheet cells go through
tracker.spreadsheet_cells, so no text runs as a formula.
"""

import contextlib
import csv
import hashlib
import itertools
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from gcm_tracker.tracker import selectors
from gcm_tracker.tracker.cache import public_generation
from gcm_tracker.tracker.models import (
    ActionCountry,
    ActionEvidence,
    ActionPartner,
    ActionRecommendation,
    GoodPractice,
    StatusChange,
)
from gcm_tracker.tracker.spreadsheet_cells import csv_row, xlsx_row
from gcm_tracker.tracker.translation import SOURCE_LANGUAGE

from . import exports
from .exports import LICENCE, LICENCE_URL, Column

FORMATS = ("csv", "xlsx", "json")
MANIFEST = "manifest.json"
CHUNK = exports.CHUNK
# A version's directory name: the build's time in UTC, to the microsecond.
VERSION_RE = re.compile(r"^\d{8}T\d{12}Z$")
LOCK_KEY = "open-data:build-lock"
# Longer than any build (about a minute at 200,000 recommendations); a build whose process died
# holds the lock this long at most.
LOCK_SECONDS = 60 * 60

AbsoluteUrl = Callable[[str], str]


@dataclass(frozen=True)
class Table:
    """One public table: `rows(absolute_url)` yields its rows as lists, in `columns`' order."""

    name: str
    title: str
    columns: list[Column]
    rows: Callable[[AbsoluteUrl], Iterator[list]]

    @property
    def key(self) -> str:
        """The table's name as a JSON key."""
        return self.name.replace("-", "_")

    def filename(self, fmt: str) -> str:
        return f"gcm-tracker-{self.name}.{fmt}"


def _chunks(queryset) -> Iterator[list]:
    rows = queryset.iterator(chunk_size=CHUNK)
    while chunk := list(itertools.islice(rows, CHUNK)):
        yield chunk


def _links(through, owner: str, key: str, owners: Iterable[int], order: str | None = None):
    """Owner id → the `key`s it links to through the link model `through`, for all `owners` in
    one query, ordered by `order` (the key by default)."""
    linked: dict[int, list] = {}
    rows = (
        through.objects.filter(**{f"{owner}__in": list(owners)})
        .order_by(order or key)
        .values_list(f"{owner}_id", key)
    )
    for owner_id, value in rows:
        linked.setdefault(owner_id, []).append(value)
    return linked


def _iso(value) -> str:
    return value.isoformat() if value else ""


# The complete files are in the source language, English, whatever language the build runs in
# (build() fixes it): `text` is the record, and every translation has a column of its own.
TRANSLATED = ("text", "short_title")
RECOMMENDATION_COLUMNS = [
    *exports.COLUMNS,
    *exports.translation_columns(TRANSLATED, lambda row, name: getattr(row.recommendation, name)),
]


def _recommendation_rows(absolute_url: AbsoluteUrl) -> Iterator[list]:
    return exports.recommendation_rows(
        selectors.recommendation_list().order_by("consultation_id", "paragraph", "sub_item"),
        absolute_url,
        RECOMMENDATION_COLUMNS,
    )


STATUS_CHANGE_COLUMNS = [
    Column("id", _("Number of the status change (its address in the API)."), None),
    Column("recommendation", _("Reference of the recommendation whose status changed."), None),
    Column("old_status", _("Status code before the change."), None),
    Column("new_status", _("Status code after the change."), None),
    Column("reason", _("Why the status changed, as staff recorded it."), None),
    Column("evidence_url", _("Link to the evidence of the change; may be empty."), None),
    Column("effective_date", _("Date from which the new status holds (ISO 8601)."), None),
    Column("changed_at", _("When the change was recorded (ISO 8601, UTC)."), None),
]


def _status_change_rows(absolute_url: AbsoluteUrl) -> Iterator[list]:
    rows = StatusChange.objects.order_by("changed_at", "id").values_list(
        "id",
        "recommendation__reference",
        "old_status",
        "new_status",
        "reason",
        "evidence_url",
        "effective_date",
        "changed_at",
    )
    for chunk in _chunks(rows):
        for pk, reference, old, new, reason, evidence, effective, changed in chunk:
            yield [pk, reference, old, new, reason, evidence, _iso(effective), _iso(changed)]


GOOD_PRACTICE_TRANSLATIONS = exports.translation_columns(TRANSLATED)
GOOD_PRACTICE_COLUMNS = [
    Column("reference", _("Stable reference: the consultation's slug and the paragraph."), None),
    Column("consultation", _("Slug of the consultation whose report records it."), None),
    Column("paragraph", _("Number of the paragraph in the summary report."), None),
    Column(
        "sub_item",
        _("Letter or number of the paragraph's item (“a” of 86(a)); empty for a whole paragraph."),
        None,
    ),
    Column("objectives", _("Numbers of its GCM objectives, separated by “; ”."), None),
    Column("countries", _("ISO alpha-3 codes of the countries it names, separated by “; ”."), None),
    Column("organisations", _("Slugs of the organisations it names, separated by “; ”."), None),
    Column("text", _("The good practice, verbatim from the report."), None),
    # Appended, so that readers of the earlier files find every column where it was.
    Column(
        "short_title", _("A short title that ESCAP staff gave it; the text is the record."), None
    ),
    Column("text_language", exports.LANGUAGE_OF_TEXT, None),
    Column("short_title_language", exports.LANGUAGE_OF_TEXT, None),
    *GOOD_PRACTICE_TRANSLATIONS,
]


def _good_practice_rows(absolute_url: AbsoluteUrl) -> Iterator[list]:
    translations = [column.name for column in GOOD_PRACTICE_TRANSLATIONS]
    rows = GoodPractice.objects.order_by("consultation_id", "paragraph", "sub_item").values_list(
        "id",
        "reference",
        "consultation__slug",
        "paragraph",
        "sub_item",
        "text",
        "short_title",
        *translations,
    )
    for chunk in _chunks(rows):
        ids = [row[0] for row in chunk]
        objectives = _links(
            GoodPractice.objectives.through, "goodpractice", "objective__number", ids
        )
        countries = _links(GoodPractice.countries.through, "goodpractice", "country__iso3", ids)
        organisations = _links(
            GoodPractice.stakeholders.through, "goodpractice", "stakeholder__slug", ids
        )
        for pk, reference, consultation, paragraph, sub_item, text, short_title, *other in chunk:
            yield [
                reference,
                consultation,
                paragraph,
                sub_item,
                exports.joined(objectives.get(pk)),
                exports.joined(countries.get(pk)),
                exports.joined(organisations.get(pk)),
                text,
                short_title,
                # The source texts: English (the translations follow, each in its column).
                SOURCE_LANGUAGE,
                SOURCE_LANGUAGE,
                *other,
            ]


ACTION_COLUMNS = [
    Column("id", _("Number of the follow-up action (its address in the API)."), None),
    Column("title", _("Title of the action."), None),
    Column("description", _("What was done, in the organisation's words."), None),
    Column("lead_organisation", _("Slug of the organisation that led it."), None),
    Column("partners", _("Slugs of the partner organisations, separated by “; ”."), None),
    Column("recommendations", _("References of the recommendations it acts on, “; ”."), None),
    Column("countries", _("ISO alpha-3 codes of the countries where it took place, “; ”."), None),
    Column("action_type", _("Type of action (code)."), None),
    Column("progress", _("planned, ongoing or completed."), None),
    Column("start_date", _("Start date (ISO 8601)."), None),
    Column("end_date", _("End date (ISO 8601); empty while it goes on."), None),
    Column("published_at", _("When ESCAP staff published it (ISO 8601, UTC)."), None),
    Column("evidence", _("Links to evidence, separated by “; ”."), None),
]


def _action_rows(absolute_url: AbsoluteUrl) -> Iterator[list]:
    rows = (
        selectors.published_actions()
        .order_by("published_at", "id")
        .values_list(
            "id",
            "title",
            "description",
            "lead_stakeholder__slug",
            "action_type",
            "progress",
            "start_date",
            "end_date",
            "published_at",
        )
    )
    for chunk in _chunks(rows):
        ids = [row[0] for row in chunk]
        partners = _links(ActionPartner, "action", "stakeholder__slug", ids)
        recommendations = _links(ActionRecommendation, "action", "recommendation__reference", ids)
        countries = _links(ActionCountry, "action", "country__iso3", ids)
        evidence = _links(ActionEvidence, "action", "url", ids, order="id")
        for pk, title, description, lead, kind, progress, start, end, published in chunk:
            yield [
                pk,
                title,
                description,
                lead,
                exports.joined(partners.get(pk)),
                exports.joined(recommendations.get(pk)),
                exports.joined(countries.get(pk)),
                kind,
                progress,
                _iso(start),
                _iso(end),
                _iso(published),
                exports.joined(evidence.get(pk)),
            ]


TABLES = [
    Table("recommendations", _("Recommendations"), RECOMMENDATION_COLUMNS, _recommendation_rows),
    Table("status-changes", _("Status changes"), STATUS_CHANGE_COLUMNS, _status_change_rows),
    Table("good-practices", _("Good practices"), GOOD_PRACTICE_COLUMNS, _good_practice_rows),
    Table("actions", _("Published follow-up actions"), ACTION_COLUMNS, _action_rows),
]


# --- writing ---------------------------------------------------------------------------------


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@contextlib.contextmanager
def _closing_sheet(sheet):
    """Closes a write-only sheet left unfinished by an error, which would otherwise fail again
    when the garbage collector closes its writer."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            sheet.close()
        raise


def _write_table(table: Table, directory: Path, about: dict) -> int:
    """Write `table` as CSV, XLSX and JSON in one pass over its rows; returns the row count."""
    names = [column.name for column in table.columns]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(table.title)[:31])
    sheet.append(names)
    count = 0
    with (
        _closing_sheet(sheet),
        open(directory / table.filename("csv"), "w", newline="", encoding="utf-8") as csv_file,
        open(directory / table.filename("json"), "w", encoding="utf-8") as json_file,
    ):
        writer = csv.writer(csv_file)
        writer.writerow(names)
        head = about | {"table": table.name, "columns": names}
        json_file.write('{"about": ' + json.dumps(head, ensure_ascii=False))
        json_file.write(", " + json.dumps(table.key) + ": [")
        for row in table.rows(_site_url):
            writer.writerow(csv_row(row))
            sheet.append(xlsx_row(sheet, row))
            json_file.write(("," if count else "") + json.dumps(dict(zip(names, row, strict=True))))
            count += 1
        json_file.write("]}")
    about_sheet = workbook.create_sheet(str(_("About")))
    about_sheet.append([str(_("Column")), str(_("Meaning"))])
    for column in table.columns:
        about_sheet.append(xlsx_row(about_sheet, [column.name, str(column.description)]))
    about_sheet.append([str(_("Licence")), LICENCE_URL])
    workbook.save(directory / table.filename("xlsx"))
    return count


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# In English, whatever the worker's or the caller's language: the files' texts are the source
# record (their translations have columns of their own) and one version serves everyone.
@translation.override(SOURCE_LANGUAGE)
def build() -> dict:
    """Build a new version of every table's files and return its manifest (see the module)."""
    root = directory()
    root.mkdir(parents=True, exist_ok=True)
    # Read before the rows: a change made during the build moves the generation past this one,
    # and the next check builds again.
    generation = public_generation()
    now = timezone.now()
    version = f"{now:%Y%m%dT%H%M%S%f}Z"
    building = root / f".building-{version}-{uuid.uuid4().hex[:8]}"
    building.mkdir()
    try:
        about = {
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "source": _site_url(reverse("dashboards:data-dictionary")),
            "generated_at": now.isoformat(),
        }
        tables, files = [], []
        for table in TABLES:
            rows = _write_table(table, building, about)
            tables.append({"name": table.name, "title": str(table.title), "rows": rows})
            for fmt in FORMATS:
                path = building / table.filename(fmt)
                files.append(
                    {
                        "table": table.name,
                        "format": fmt,
                        "name": path.name,
                        "rows": rows,
                        "bytes": path.stat().st_size,
                        "sha256": _sha256(path),
                    }
                )
        manifest = about | {
            "version": version,
            "generation": generation,
            "tables": tables,
            "files": files,
        }
        (building / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        # The whole version appears at once: a rename within one file system is atomic.
        os.rename(building, root / version)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    _prune(root)
    return manifest


def directory() -> Path:
    return Path(settings.OPEN_DATA_DIR)


def _versions(root: Path) -> list[Path]:
    """Complete versions, newest first."""
    if not root.is_dir():
        return []
    return sorted(
        (
            path
            for path in root.iterdir()
            if VERSION_RE.match(path.name) and (path / MANIFEST).is_file()
        ),
        key=lambda path: path.name,
        reverse=True,
    )


def _prune(root: Path) -> None:
    for old in _versions(root)[settings.OPEN_DATA_KEEP :]:
        # A download already under way keeps its open file; new requests for it answer 404.
        shutil.rmtree(old, ignore_errors=True)


def latest_manifest() -> dict | None:
    """The manifest of the newest version, or None before the first build."""
    versions = _versions(directory())
    if not versions:
        return None
    return json.loads((versions[0] / MANIFEST).read_text(encoding="utf-8"))


def version_file(version: str, name: str) -> tuple[Path, dict] | None:
    """The path and manifest entry of file `name` of `version`, if that version is kept and lists
    it (a name is only ever looked up in the manifest, never joined to a path as given)."""
    if not VERSION_RE.match(version):
        return None
    folder = directory() / version
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    for entry in manifest["files"]:
        if entry["name"] == name:
            return folder / entry["name"], entry
    return None


def build_if_changed(*, force: bool = False) -> dict | None:
    """Build a new version if the public data changed since the newest one (always with
    `force`); the new manifest, or None when nothing was built: unchanged, or another build
    holds the lock."""
    token = uuid.uuid4().hex
    if not cache.add(LOCK_KEY, token, timeout=LOCK_SECONDS):
        return None
    try:
        latest = latest_manifest()
        if not force and latest is not None and latest["generation"] == public_generation():
            return None
        return build()
    finally:
        if cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)
