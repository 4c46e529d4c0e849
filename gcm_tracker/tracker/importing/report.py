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
    CONCLUSION = "conclusion", _("Conclusion")
    OTHER = "other", _("Other")


# What the parser leaves out on purpose: ParsedReport.dropped counts them under these keys.
DROPPED_LABELS = {
    "footnotes": _("footnotes"),
    "footnote_markers": _("footnote markers"),
    "repeated_links": _("repeated links"),
    "list_items": _("numbered list items that are not paragraphs"),
    "page_furniture": _("page numbers, running headers and rules"),
}

# Why a paragraph of a kind that is not imported is left out, as the preview and command say it.
NOT_IMPORTED_REASONS = {
    ParagraphKind.CHALLENGE: _("a challenge, not a recommendation"),
    ParagraphKind.COVID_CHALLENGE: _("a challenge, not a recommendation"),
    ParagraphKind.CONCLUSION: _("a conclusion, not a recommendation"),
    ParagraphKind.OTHER: _("context: under no heading of recommendations or good practices"),
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
    # The letter or number of an item of a paragraph ("a" of 86(a)); "" for a whole paragraph.
    sub_item: str = ""
    # How the report numbers it when that differs from `number` (a numbering that restarts, a
    # bulleted item numbered by its position); "" when it is `number` itself.
    printed: str = ""
    # When no heading names its objectives: the objectives suggested from its words, each with
    # its score (objectives_suggested() in suggest.py); `objectives` then holds the suggestion.
    suggested: tuple[tuple[int, float], ...] = ()

    @property
    def key(self) -> str:
        """The paragraph's reference within the report: "26", "86(a)"."""
        return f"{self.number}({self.sub_item})" if self.sub_item else str(self.number)

    @property
    def is_imported(self) -> bool:
        return self.kind in IMPORTED_KINDS

    @property
    def not_imported_reason(self) -> str:
        return "" if self.is_imported else str(NOT_IMPORTED_REASONS[self.kind])

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
    # The kind of the heading it sits under: text under recommendations that was not imported
    # may be a recommendation lost, and makes import_report fail unless skips are allowed.
    kind: str = ""
    # The paragraph it is about ("26", "86(a)"), when it is about one that was found: the import
    # then lists that paragraph as skipped, with its reason.
    paragraph: str = ""

    @property
    def may_be_lost(self) -> bool:
        """Text under recommendations or good practices that is in no paragraph found."""
        return self.kind in IMPORTED_KINDS and not self.paragraph

    @property
    def location(self) -> str:
        return _location(self.line, self.page)


def _location(line: int, page: int | None) -> str:
    """Where to look in the report: the page of a PDF, the line of a text file."""
    if page is not None:
        return str(_("page %(page)d") % {"page": page})
    return str(_("line %(line)d") % {"line": line})


@dataclass(frozen=True)
class LeftOut:
    """A paragraph, an item of one ("12(b)") or a numbered list item that is not imported, being
    a conclusion, a challenge or context: listed one by one so that nothing is lost silently."""

    key: str
    kind: str
    line: int
    page: int | None = None
    section: str = ""
    text: str = ""
    # A numbered item of a list that is not the report's paragraphs (its printed number is `key`).
    list_item: bool = False

    @property
    def name(self) -> str:
        """How the report cites it: "12", "12(b)", or "list item 3"."""
        if self.list_item:
            return str(_("list item %(number)s") % {"number": self.key})
        return self.key

    @property
    def kind_label(self) -> str:
        return ParagraphKind(self.kind).label

    @property
    def reason(self) -> str:
        why = str(NOT_IMPORTED_REASONS[self.kind])
        if self.list_item:
            return str(_("a numbered list item, not a paragraph; %(why)s") % {"why": why})
        return why

    @property
    def where(self) -> str:
        """The nearest heading it is under, as the command's compact line says it."""
        if self.section:
            heading = self.section.rsplit(" › ", 1)[-1]
            return str(_("under “%(heading)s”") % {"heading": heading})
        return str(_("under no heading"))

    @property
    def location(self) -> str:
        return _location(self.line, self.page)


@dataclass(frozen=True)
class ReportMetadata:
    """What the report's title page says about the consultation (empty where it says nothing)."""

    title: str = ""
    report_title: str = ""
    date: datetime.date | None = None
    format: str = ""
    objectives: tuple[int, ...] = ()
    # The UN document symbol ("A/75/183", "ESCAP/GCM/2021/CRP.2"), from the title page or a
    # running header.
    symbol: str = ""


@dataclass(frozen=True)
class ParsedReport:
    paragraphs: tuple[ParsedParagraph, ...]
    unplaced: tuple[Unplaced, ...] = ()
    metadata: ReportMetadata = field(default_factory=ReportMetadata)
    # What was recognised and left out on purpose, counted by kind ("footnotes": 22, ...).
    dropped: dict[str, int] = field(default_factory=dict)
    # What the reader should know although nothing was lost: numbering that restarts, items
    # numbered by their position, footnotes missing from a sequence.
    notes: tuple[Unplaced, ...] = ()
    # Every paragraph, item of a paragraph and numbered list item not imported (conclusions,
    # challenges, context), one by one, in the report's order.
    left_out: tuple[LeftOut, ...] = ()

    @property
    def possibly_lost(self) -> tuple[Unplaced, ...]:
        """Passages under a heading of recommendations or good practices that were not imported."""
        return tuple(u for u in self.unplaced if u.may_be_lost)

    @property
    def imported_paragraphs(self) -> tuple[ParsedParagraph, ...]:
        return tuple(p for p in self.paragraphs if p.is_imported)

    def count(self, kind: str) -> int:
        return sum(1 for p in self.paragraphs if p.kind == kind)
