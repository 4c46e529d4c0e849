"""Open-data downloads of the recommendation list, in CSV, XLSX and JSON.

COLUMNS is the single description of a row: the downloads write it and the data dictionary page
documents it, so the two cannot drift apart. Downloads stream their rows, so memory does not grow
with the size of the list (the view reads a small one whole, for the page cache to keep).
"""

import csv
import functools
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from gcm_tracker.tracker.enums import RecommendationStatus
from gcm_tracker.tracker.models import Recommendation, RecommendationObjective
from gcm_tracker.tracker.spreadsheet_cells import csv_row, xlsx_row
from gcm_tracker.tracker.translation import CONTENT_LANGUAGES, translated
from gcm_tracker.tracker.translation import column as translation_column

LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
CHUNK = 2000


@dataclass(frozen=True)
class Row:
    """What a download's row is made of: the recommendation, its links' keys, read in one query
    per kind for a whole chunk of rows, and its page's absolute address."""

    recommendation: Recommendation
    objectives: list[int]
    principles: list[str]
    themes: list[str]
    page: str
    status_label: str


@dataclass(frozen=True)
class Column:
    """A column of a download: its name, its meaning (the data dictionary shows it) and, for the
    recommendation rows built here, how a Row gives its value (open_data's tables build their
    rows whole)."""

    name: str
    description: str
    value: Callable[[Row], object] | None = None


_PLACEHOLDER = "REFERENCE"


@functools.cache
def _detail_path() -> str:
    # Reversed once per row would cost more than the rest of the row; references are slugs, so
    # putting one in place of a placeholder gives the same path.
    return reverse("dashboards:recommendation-detail", args=[_PLACEHOLDER])


def joined(values: Iterable | None) -> str:
    """A list of keys as one cell: "13; 14" (empty for none); open_data's tables use it too."""
    return "; ".join(str(v) for v in values or [])


# The meaning of every `…_language` column.
LANGUAGE_OF_TEXT = _(
    "The language of the text before it: en for the report's English, or fr, ru or zh-hans where "
    "it is staff's translation into the language the download was asked for in."
)


def _describe_translation(field: str, language) -> str:
    return gettext(
        "Staff's translation of %(field)s into %(language)s; empty where there is none yet."
    ) % {"field": field, "language": language}


# Lazy, as the other descriptions are: written in the reader's language, not the importer's.
_translation_description = lazy(_describe_translation, str)


def translation_columns(
    fields: Iterable[str], value: Callable[[object, str], object] | None = None
) -> list[Column]:
    """One column per translated field and content language, for the complete open-data files:
    `text_fr`, `text_ru`, `text_zh_hans`… (empty where there is no translation yet), named as
    the model's columns; `value(row, name)`, if given, reads column `name` of a Row."""
    columns = []
    for field in fields:
        for language, language_name in CONTENT_LANGUAGES.items():
            name = translation_column(field, language)
            description = _translation_description(field, language_name)
            read = value and (lambda row, name=name: value(row, name))
            columns.append(Column(name, description, read))
    return columns


COLUMNS = [
    Column(
        "reference",
        _("Stable reference of the recommendation: the consultation's slug and the paragraph."),
        lambda row: row.recommendation.reference,
    ),
    Column(
        "url",
        _("Address of the recommendation's page on this site."),
        lambda row: row.page,
    ),
    Column(
        "consultation",
        _("Slug of the consultation whose summary report made the recommendation."),
        lambda row: row.recommendation.consultation.slug,
    ),
    Column(
        "consultation_date",
        _("Date of the consultation (ISO 8601)."),
        lambda row: row.recommendation.consultation.date.isoformat(),
    ),
    Column(
        "paragraph",
        _("Number of the paragraph in the summary report."),
        lambda row: row.recommendation.paragraph,
    ),
    Column(
        "sub_item",
        _("Letter or number of the paragraph's item (“a” of 86(a)); empty for a whole paragraph."),
        lambda row: row.recommendation.sub_item,
    ),
    Column(
        "objectives",
        _("Numbers of the GCM objectives the recommendation belongs to, separated by “; ”."),
        lambda row: joined(row.objectives),
    ),
    Column(
        "guiding_principles",
        _("Letters (a–j) of the GCM guiding principles it touches, separated by “; ”."),
        lambda row: joined(row.principles),
    ),
    Column(
        "themes",
        _("Slugs of its themes and SDG targets, separated by “; ”."),
        lambda row: joined(row.themes),
    ),
    Column(
        "status",
        _(
            "Implementation status code: no_information, not_started, limited_progress, "
            "substantial_progress or implemented."
        ),
        lambda row: row.recommendation.status,
    ),
    Column(
        "status_label",
        _("Implementation status in words."),
        lambda row: row.status_label,
    ),
    Column(
        "status_changed_at",
        _(
            "When the change that set the current status was recorded (ISO 8601, UTC): the "
            "time it was saved, which may be later than the date it took effect "
            "(status_effective_on); empty if it never changed."
        ),
        lambda row: (
            row.recommendation.status_changed_at.isoformat()
            if row.recommendation.status_changed_at
            else ""
        ),
    ),
    Column(
        "published_actions",
        _("Number of published follow-up actions about the recommendation."),
        lambda row: row.recommendation.published_action_count,
    ),
    Column(
        "text",
        _(
            "The recommendation, verbatim from the report (in English); in a download asked for "
            "in another language, staff's translation where there is one (text_language says "
            "which)."
        ),
        lambda row: translated(row.recommendation, "text").text,
    ),
    # Added after the others (issue 15) so that no existing column moves or changes meaning.
    Column(
        "status_effective_on",
        _(
            "Date from which the current status holds, as the change that set it says (ISO "
            "8601); earlier than status_changed_at for a change recorded after the fact. The "
            "dashboard's “no status update for six months” counts from this date (from the "
            "consultation's date when the status never changed). Empty if it never changed."
        ),
        lambda row: (
            row.recommendation.status_effective_on.isoformat()
            if row.recommendation.status_effective_on
            else ""
        ),
    ),
    # Appended, so that readers of earlier downloads find every column where it was.
    Column(
        "short_title",
        _(
            "A short title that ESCAP staff gave the recommendation; the text is the record. In "
            "the download's language where staff translated it (short_title_language says which)."
        ),
        lambda row: translated(row.recommendation, "short_title").text,
    ),
    # Appended (issue 17): the language of each text above.
    Column(
        "text_language",
        LANGUAGE_OF_TEXT,
        lambda row: translated(row.recommendation, "text").language,
    ),
    Column(
        "short_title_language",
        LANGUAGE_OF_TEXT,
        lambda row: translated(row.recommendation, "short_title").language,
    ),
]


def _keys(through, target: str, key: str, recommendations: list, order=None) -> dict:
    """Recommendation id → the `key`s of its `target`s through the link table `through`, in the
    targets' `order` (their key by default), for all of `recommendations` in one query."""
    keys: dict[int, list] = {}
    links = (
        # Keys, not instances: Django normalises each instance of an `__in` list (2,000 a chunk).
        through.objects.filter(recommendation_id__in=[r.pk for r in recommendations])
        .order_by(*(f"{target}__{field}" for field in (order or [key])))
        .values_list("recommendation_id", f"{target}__{key}")
    )
    for recommendation_id, value in links:
        keys.setdefault(recommendation_id, []).append(value)
    return keys


def recommendation_rows(recommendations, absolute_url, columns=COLUMNS) -> Iterator[list]:
    """The rows of `recommendations` (their `columns`), CHUNK at a time: a chunk's links are
    three queries, read as plain values (prefetching model instances for every row costs more
    than the rest)."""
    # Made absolute once: build_absolute_uri() validates the host on every call.
    page = absolute_url(_detail_path())
    labels = {value: str(label) for value, label in RecommendationStatus.choices}
    rows = recommendations.prefetch_related(None).iterator(chunk_size=CHUNK)
    while chunk := list(itertools.islice(rows, CHUNK)):
        objectives = _keys(RecommendationObjective, "objective", "number", chunk)
        principles = _keys(
            Recommendation.guiding_principles.through, "guidingprinciple", "letter", chunk
        )
        themes = _keys(Recommendation.tags.through, "tag", "slug", chunk, order=["kind", "name"])
        for recommendation in chunk:
            row = Row(
                recommendation=recommendation,
                objectives=objectives.get(recommendation.pk, []),
                principles=principles.get(recommendation.pk, []),
                themes=themes.get(recommendation.pk, []),
                page=page.replace(_PLACEHOLDER, recommendation.reference),
                status_label=labels[recommendation.status],
            )
            yield [column.value(row) for column in columns]


def _attachment(response, stem: str, extension: str):
    response["Content-Disposition"] = (
        f'attachment; filename="gcm-tracker-{stem}-{timezone.now():%Y%m%d}.{extension}"'
    )
    return response


class _Line:
    """A file-like object that hands back what csv.writer writes to it."""

    def write(self, value: str) -> str:
        return value


def _with_header(header: list, rows: Iterator[list]) -> Iterator[list]:
    yield header
    yield from rows


def csv_file(columns: list[Column], rows: Iterator[list], stem: str) -> StreamingHttpResponse:
    """A streamed CSV download of `rows` under a header of the `columns`' names."""
    writer = csv.writer(_Line())
    lines = (writer.writerow(csv_row(row)) for row in _with_header([c.name for c in columns], rows))
    return _attachment(
        StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8"), stem, "csv"
    )


def json_file(
    columns: list[Column], rows: Iterator[list], stem: str, source: str, query: str, key: str
) -> StreamingHttpResponse:
    """A streamed JSON download: {"about": licence and query, `key`: [one object per row]}."""
    names = [c.name for c in columns]

    def chunks():
        head = {
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "source": source,
            "query": query,
            "generated_at": timezone.now().isoformat(),
        }
        yield '{"about": ' + json.dumps(head, ensure_ascii=False) + f', "{key}": ['
        for index, row in enumerate(rows):
            yield ("," if index else "") + json.dumps(dict(zip(names, row, strict=True)))
        yield "]}"

    return _attachment(
        StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8"),
        stem,
        "json",
    )


def xlsx_file(columns: list[Column], rows: Iterator[list], stem: str, sheet_name) -> HttpResponse:
    """An XLSX download: the rows, then a sheet describing the columns and the licence."""
    # openpyxl's write-only mode keeps one row in memory at a time; the file itself is built in
    # memory because the XLSX format is a zip archive written at the end.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(sheet_name))
    sheet.append([c.name for c in columns])
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    about = workbook.create_sheet(str(_("About")))
    about.append([str(_("Column")), str(_("Meaning"))])
    for column in columns:
        about.append(xlsx_row(about, [column.name, str(column.description)]))
    about.append([str(_("Licence")), LICENCE_URL])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(
        HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        stem,
        "xlsx",
    )


STEM = "recommendations"


def csv_response(recommendations, absolute_url) -> StreamingHttpResponse:
    return csv_file(COLUMNS, recommendation_rows(recommendations, absolute_url), STEM)


def json_response(recommendations, absolute_url, query: str) -> StreamingHttpResponse:
    source = absolute_url(reverse("dashboards:recommendation-list"))
    return json_file(
        COLUMNS,
        recommendation_rows(recommendations, absolute_url),
        STEM,
        source,
        query,
        "recommendations",
    )


def xlsx_response(recommendations, absolute_url) -> HttpResponse:
    return xlsx_file(
        COLUMNS, recommendation_rows(recommendations, absolute_url), STEM, _("Recommendations")
    )
