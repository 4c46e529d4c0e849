"""What the parser makes of a report: plain data, independent of the database."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportError(Exception):
    """The file cannot be read as a consultation summary report; the message says why.

    The only exception that reading and parsing a report raises, whatever the input.
    """


class ParagraphKind(models.TextChoices):
    """What a numbered paragraph is, from the sub-section heading it sits under."""

    RECOMMENDATION = "recommendation", _("Recommendation")
    GOOD_PRACTICE = "good_practice", _("Good practice")
    CHALLENGE = "challenge", _("Key challenge")
    COVID_CHALLENGE = "covid_challenge", _("COVID-19 challenge")
    OTHER = "other", _("Other")


# What the parser leaves out on purpose: ParsedReport.dropped counts them under these keys.
DROPPED_LABELS = {
    "footnotes": _("footnotes"),
    "footnote_markers": _("footnote markers"),
    "repeated_links": _("repeated links"),
    "list_items": _("numbered list items that are not paragraphs"),
    "page_furniture": _("page numbers, running headers and rules"),
}

# The kinds that become rows: the rest of a report is context, kept only in the preview.
IMPORTED_KINDS = (ParagraphKind.RECOMMENDATION, ParagraphKind.GOOD_PRACTICE)


@dataclass(frozen=True)
class ParsedParagraph:
    number: int
    kind: str
    objectives: tuple[int, ...]
    text: str
    # Where it starts (line of the extracted text, and page when the text has pages) and the
    # headings above it, so staff can find it in the report.
    line: int = 0
    page: int | None = None
    section: str = ""

    @property
    def is_imported(self) -> bool:
        return self.kind in IMPORTED_KINDS

    @property
    def kind_label(self) -> str:
        return ParagraphKind(self.kind).label

    @property
    def location(self) -> str:
        return _location(self.line, self.page)


@dataclass(frozen=True)
class Unplaced:
    """Text the parser could not attribute to a paragraph, or a paragraph it could not place."""

    line: int
    text: str
    reason: str
    page: int | None = None

    @property
    def location(self) -> str:
        return _location(self.line, self.page)


def _location(line: int, page: int | None) -> str:
    """Where to look in the report: the page of a PDF, the line of a text file."""
    if page is not None:
        return str(_("page %(page)d") % {"page": page})
    return str(_("line %(line)d") % {"line": line})


@dataclass(frozen=True)
class ReportMetadata:
    """What the report's title page says about the consultation (empty where it says nothing)."""

    title: str = ""
    report_title: str = ""
    date: datetime.date | None = None
    format: str = ""
    objectives: tuple[int, ...] = ()


@dataclass(frozen=True)
class ParsedReport:
    paragraphs: tuple[ParsedParagraph, ...]
    unplaced: tuple[Unplaced, ...] = ()
    metadata: ReportMetadata = field(default_factory=ReportMetadata)
    # What was recognised and left out on purpose, counted by kind ("footnotes": 22, ...).
    dropped: dict[str, int] = field(default_factory=dict)

    @property
    def imported_paragraphs(self) -> tuple[ParsedParagraph, ...]:
        return tuple(p for p in self.paragraphs if p.is_imported)

    def count(self, kind: str) -> int:
        return sum(1 for p in self.paragraphs if p.kind == kind)
