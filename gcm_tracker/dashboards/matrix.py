"""How the country dimension is drawn: status abbreviations for matrix cells, the tile-grid map
of ESCAP members, and the matrix downloads in long form (one row per cell and voice)."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gcm_tracker.tracker.country_selectors import CIVIL_SOCIETY, OFFICIAL, Cell, CountryFigures
from gcm_tracker.tracker.enums import AssessmentVoice, RecommendationStatus
from gcm_tracker.tracker.models import Assessment

from . import exports
from .exports import Column

# Short names for the matrix cells; the legend spells each out, and every cell also carries its
# full name for screen readers.
ABBREVIATIONS = {
    RecommendationStatus.NO_INFORMATION.value: pgettext_lazy("status abbreviation", "NI"),
    RecommendationStatus.NOT_STARTED.value: pgettext_lazy("status abbreviation", "NS"),
    RecommendationStatus.LIMITED.value: pgettext_lazy("status abbreviation", "LP"),
    RecommendationStatus.SUBSTANTIAL.value: pgettext_lazy("status abbreviation", "SP"),
    RecommendationStatus.IMPLEMENTED.value: pgettext_lazy("status abbreviation", "IM"),
}


def legend() -> list[tuple[str, str, str]]:
    """(status, abbreviation, label) for every status, least progress first."""
    return [(value, ABBREVIATIONS[value], label) for value, label in RecommendationStatus.choices]


# The tile-grid map: each ESCAP member's (column, row), placed roughly where it lies, from the
# Caucasus in the west to French Polynesia in the east. The four members outside the region sit
# apart in the bottom-left corner. A country not placed here (added later) joins a last row.
GRID = {
    "RUS": (9, 0),
    "GEO": (1, 1), "AZE": (2, 1), "KAZ": (4, 1), "MNG": (8, 1), "PRK": (10, 1), "JPN": (12, 1),
    "TUR": (0, 2), "ARM": (1, 2), "TKM": (3, 2), "UZB": (4, 2), "KGZ": (5, 2), "CHN": (8, 2),
    "KOR": (10, 2), "MNP": (13, 2),
    "IRN": (2, 3), "AFG": (3, 3), "TJK": (4, 3), "NPL": (6, 3), "BTN": (7, 3), "HKG": (9, 3),
    "MAC": (10, 3), "GUM": (13, 3),
    "PAK": (3, 4), "IND": (5, 4), "BGD": (6, 4), "MMR": (7, 4), "LAO": (8, 4), "VNM": (9, 4),
    "PHL": (11, 4), "PLW": (12, 4), "FSM": (13, 4),
    "MDV": (4, 5), "LKA": (5, 5), "THA": (7, 5), "KHM": (8, 5), "BRN": (10, 5), "MHL": (14, 5),
    "MYS": (8, 6), "SGP": (9, 6), "IDN": (10, 6), "TLS": (11, 6), "PNG": (12, 6), "NRU": (13, 6),
    "KIR": (15, 6),
    "AUS": (10, 7), "SLB": (13, 7), "TUV": (14, 7),
    "FRA": (0, 8), "GBR": (1, 8), "VUT": (13, 8), "FJI": (14, 8), "WSM": (15, 8), "ASM": (16, 8),
    "NLD": (0, 9), "USA": (1, 9), "NZL": (12, 9), "NCL": (13, 9), "TON": (14, 9), "NIU": (15, 9),
    "COK": (16, 9), "PYF": (17, 9),
}  # fmt: skip
GRID_COLUMNS = 18
TILE = 10
GAP = 1

# Shades by share at Substantial progress or Implemented: (lowest share in percent, class).
# Dark text stays above 4.5:1 contrast on every shade.
SHADES = [(75, "share-4"), (50, "share-3"), (25, "share-2"), (0.0001, "share-1"), (0, "share-0")]


def shade(share: float | None) -> str:
    if share is None:
        return "share-none"
    return next(name for lowest, name in SHADES if share >= lowest)


def shade_legend() -> list[tuple[str, str]]:
    return [
        ("share-0", _("None")),
        ("share-1", _("Under 25%")),
        ("share-2", _("25% to 49%")),
        ("share-3", _("50% to 74%")),
        # "% o" is not a placeholder: without this xgettext marks the entry python-format.
        # xgettext:no-python-format
        ("share-4", _("75% or more")),
        ("share-none", _("No applicable recommendation")),
    ]


@dataclass(frozen=True)
class Tile:
    figures: CountryFigures
    x: int
    y: int
    shade: str

    @property
    def label_x(self) -> float:
        return self.x + TILE / 2


def tiles(figures: list[CountryFigures]) -> tuple[list[Tile], int, int]:
    """The map's tiles, and its width and height in SVG units."""
    placed, extra = [], 0
    rows = max(row for _, row in GRID.values()) + 1
    for item in figures:
        position = GRID.get(item.country.iso3)
        if position is None:
            position = (extra % GRID_COLUMNS, rows + extra // GRID_COLUMNS)
            extra += 1
        column, row = position
        placed.append(
            Tile(item, column * (TILE + GAP), row * (TILE + GAP), shade(item.advanced_share))
        )
    height_rows = rows + (extra + GRID_COLUMNS - 1) // GRID_COLUMNS
    return placed, GRID_COLUMNS * (TILE + GAP), height_rows * (TILE + GAP)


# The matrix download: one row per applicable cell and voice (per organisation for civil
# society); a voice nobody assessed gives one "no information" row with empty source fields.
@dataclass(frozen=True)
class MatrixRow:
    cell: Cell
    voice: str
    assessment: Assessment | None
    objectives: str
    page: str


def _assessed(row: MatrixRow, name: str, default=""):
    value = getattr(row.assessment, name) if row.assessment else None
    if value is None:
        return default
    return value.isoformat() if hasattr(value, "isoformat") else value


_VOICES = dict(AssessmentVoice.choices)
_STATUSES = dict(RecommendationStatus.choices)

MATRIX_COLUMNS = [
    Column(
        "reference",
        _("Stable reference of the recommendation."),
        lambda row: row.cell.recommendation.reference,
    ),
    Column(
        "paragraph",
        _("Number of the paragraph in the summary report."),
        lambda row: row.cell.recommendation.paragraph,
    ),
    Column(
        "objectives",
        _("Numbers of the recommendation's GCM objectives, separated by “; ”."),
        lambda row: row.objectives,
    ),
    Column("country", _("ISO alpha-3 code of the country."), lambda row: row.cell.country.iso3),
    Column("country_name", _("Name of the country."), lambda row: row.cell.country.short_name),
    Column("voice", _("official or civil_society."), lambda row: row.voice),
    Column(
        "organisation",
        _("The civil-society organisation whose assessment it is; empty for official ones."),
        lambda row: (
            row.assessment.stakeholder.name if row.assessment and row.assessment.stakeholder else ""
        ),
    ),
    Column(
        "status",
        _("Status code; no_information where nobody assessed the cell in this voice."),
        lambda row: _assessed(row, "status", RecommendationStatus.NO_INFORMATION.value),
    ),
    Column(
        "status_label",
        _("Status in words."),
        lambda row: str(
            _STATUSES[_assessed(row, "status", RecommendationStatus.NO_INFORMATION.value)]
        ),
    ),
    Column(
        "effective_date",
        _("Date from which the status holds (ISO 8601)."),
        lambda row: _assessed(row, "effective_date"),
    ),
    Column("source_title", _("Title of the source."), lambda row: _assessed(row, "source_title")),
    Column("source_url", _("Link to the source."), lambda row: _assessed(row, "source_url")),
    Column(
        "source_date",
        _("Date of the source (ISO 8601)."),
        lambda row: _assessed(row, "source_date"),
    ),
    Column("summary", _("What the source says."), lambda row: _assessed(row, "summary")),
    Column(
        "recorded_at",
        _("When the assessment was published here (ISO 8601, UTC)."),
        lambda row: _assessed(row, "recorded_at"),
    ),
    Column("url", _("Address of the country's scorecard."), lambda row: row.page),
]


def matrix_rows(matrices, absolute_url) -> Iterator[list]:
    """The long-form rows of every matrix (chunk) in `matrices`."""
    base = absolute_url(reverse("dashboards:country-detail", args=["ISO"]))
    for matrix in matrices:
        for recommendation, cells in matrix.rows:
            objectives = "; ".join(
                str(o.number) for o in sorted(recommendation.objectives.all(), key=_number)
            )
            for cell in cells:
                if not cell.applicable:
                    continue
                page = base.replace("/ISO/", f"/{cell.country.iso3}/")
                for voice, assessment in _voice_rows(cell, matrix.voices):
                    row = MatrixRow(cell, voice, assessment, objectives, page)
                    yield [column.value(row) for column in MATRIX_COLUMNS]


def _number(objective):
    return objective.number


def _voice_rows(cell: Cell, voices) -> Iterator[tuple[str, Assessment | None]]:
    if OFFICIAL in voices:
        yield OFFICIAL, cell.official
    if CIVIL_SOCIETY in voices:
        if cell.civil_society:
            for assessment in cell.civil_society:
                yield CIVIL_SOCIETY, assessment
        else:
            yield CIVIL_SOCIETY, None


STEM = "matrix"


def csv_response(rows: Iterator[list]) -> StreamingHttpResponse:
    return exports.csv_file(MATRIX_COLUMNS, rows, STEM)


def json_response(rows: Iterator[list], source: str, query: str) -> StreamingHttpResponse:
    return exports.json_file(MATRIX_COLUMNS, rows, STEM, source, query, "cells")


def xlsx_response(rows: Iterator[list]) -> HttpResponse:
    return exports.xlsx_file(MATRIX_COLUMNS, rows, STEM, _("Matrix"))
