"""The text of a consultation summary report → its numbered paragraphs, placed in their sections.

A summary report is a sequence of numbered paragraphs ("26. Coordinated international effort…")
under headings at three levels: parts ("IV. Outcomes of the consultation"), sections per GCM
objective ("B. GCM Objective 4: …", or several objectives in one heading) and sub-sections
("iv. Recommendations"). A section may split its recommendations into lists per objective
("Objective 11: …", "Objective 13: …"). A paragraph's kind comes from the nearest heading that
names one (recommendations, good practices, COVID-19 challenges, key challenges, conclusions)
and its objectives from the nearest that names objectives; failing that, from `objective` or
the objectives suggested from its words (suggest.py).

Reports laid out otherwise are read too: headings without numerals, or numbered out of sequence,
are told by their words ("Recommendations", "Closing and next steps", "GCM Objective 11 …");
numbering that starts again at 1 under a heading goes on from the numbers before (and is noted);
lettered or numbered items ("(a) …", inline after a lead-in ending with a colon, or on lines of
their own) become paragraphs of their own, 86(a), 86(b), each with the lead-in before its text;
bullets likewise, and items right under a heading are numbered by their position (noted); a text
without any heading is taken as a list of recommendations (noted); text copied as one long line
is broken before its paragraph numbers and headings.

Text taken from a PDF also carries what the page layout added; the parser removes:
- footnotes: lines "12 Status of Nepali…" numbered in sequence (a few may be missing: noted),
  with their continuation lines, up to the end of the page;
- footnote markers glued to words ("Kafala system10", "identity,11", "2019.18");
- the page's links repeated as bare URL lines after its footnotes;
- page furniture: page numbers, rules, and headers or footers repeated on most pages, or, without
  page breaks, repeated lines carrying a document symbol, a page number or a date;
- numbered lists that are not paragraphs, told apart by the numbering: paragraphs are numbered
  in sequence, so "4. Ensure…" after paragraph 6 is a list item, not paragraph 4;
and it joins wrapped lines and words split at a hyphen ("child- sensitive").

What it cannot place (text outside any paragraph, a recommendation without an objective, a gap
in the numbering) it reports in ParsedReport.unplaced rather than guessing, marked as possibly
lost when it stood under recommendations or good practices; what the reader should know although
nothing was lost goes in ParsedReport.notes.

This module is the pass over the lines; what it relies on lives by meaning beside it: cleaning.py
(characters, footnote markers, joined lines), layout.py (pages, running headers, footnote and link
patterns, long lines), structure.py (paragraph, heading and item patterns, what a heading says),
title_page.py (the consultation's title, date, format and document symbol) and suggest.py
(objectives from a paragraph's words). Every step is linear in the text's length.

Page breaks are form feeds, as extract.py writes them. Plain text may have none; then the end
of a page shows only where its footnotes end, at the repeated links or at the next page's first
line, which text dumped from a PDF starts with a space.
"""

import dataclasses
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum, auto

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .cleaning import (
    CHARACTERS,
    CLOSING,
    GLUED_MARKER,
    MARKER_LOOKBEHIND,
    SENTENCE_END,
    SPACED_MARKERS,
    excerpt,
    joined,
    normalise_whitespace,
    punctuation_glues,
)
from .extract import MAX_TEXT_CHARS, PAGE_BREAK, report_extract_text
from .items import BULLET_ITEM, LETTERED_ITEM, paragraph_items
from .layout import (
    BULLET_ONLY,
    FOOTNOTE,
    MAX_FOOTNOTE_GAP,
    MAX_FOOTNOTE_TAIL,
    PAGE_MEMORY_CHARS,
    PAGE_NUMBER,
    RULE,
    URL,
    page_furniture,
    page_tokens,
    repeated_furniture,
    split_long_lines,
)
from .report import (
    IMPORTED_KINDS,
    ParagraphKind,
    ParsedParagraph,
    ParsedReport,
    ReportError,
    Unplaced,
)
from .structure import (
    HEADING_CONTINUATION,
    LABEL_CONTINUATION,
    MAX_HEADING_CHARS,
    MAX_NUMBERING_GAP,
    OBJECTIVE_HEADING,
    OBJECTIVE_LABEL,
    PARAGRAPH,
    PART,
    SECTION,
    SUBSECTION,
    UNNUMBERED_HEADING,
    Context,
    Heading,
    kind_named,
    roman,
)
from .suggest import objectives_suggested
from .title_page import STARTS_WITH_MONTH, title_page_metadata

__all__ = ["normalise_whitespace", "report_parse", "report_read"]

# How many passages that could not be placed a refusal quotes.
MAX_LOST_SHOWN = 5


def report_parse(*, text: str, objective: int | None = None) -> ParsedReport:
    """Find the numbered paragraphs of a report's text, their kinds and objectives.

    Raises ReportError when the text is too long or has no numbered paragraphs under a heading
    of recommendations or good practices. With `objective`, the paragraphs whose objectives no
    heading names are given that one, rather than the objectives suggested from their words.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise ReportError(
            _("The report holds more than %(limit)s characters of text: too long for a report.")
            % {"limit": f"{MAX_TEXT_CHARS:,}"}
        )
    report = _Parser(text, objective=objective).run()
    if not report.paragraphs:
        raise ReportError(
            _(
                "No numbered paragraphs (“1. …”, “2. …”) were found, so this does not look like a "
                "consultation summary report."
            )
        )
    if not report.imported_paragraphs:
        message = _(
            "%(count)d numbered paragraphs were found, but none under a heading of "
            "recommendations or good practices (such as “iv. Recommendations”), so there is "
            "nothing to import."
        ) % {"count": len(report.paragraphs)}
        lost = report.possibly_lost
        if lost:
            # What stood under such a heading but could not be placed: said, not dropped.
            shown = "; ".join(f"{u.location}: “{u.text}”" for u in lost[:MAX_LOST_SHOWN])
            message += " " + ngettext(
                "Under a heading of recommendations or good practices, %(count)d passage could "
                "not be placed: %(passages)s",
                "Under a heading of recommendations or good practices, %(count)d passages could "
                "not be placed: %(passages)s",
                len(lost),
            ) % {"count": len(lost), "passages": shown}
        raise ReportError(message)
    return report


def report_read(*, data: bytes, filename: str, objective: int | None = None) -> ParsedReport:
    """Extract and parse a report file; raises ReportError, and only that, on bad input."""
    return report_parse(text=report_extract_text(data=data, filename=filename), objective=objective)


class _Mode(Enum):
    FRONT = auto()  # the title page, before the first heading or paragraph
    PARAGRAPH = auto()
    HEADING = auto()  # a heading that may still wrap onto the next line
    LABEL = auto()  # an "Objective 11:" label that may still wrap
    LIST = auto()  # a numbered list that is not paragraphs
    LOOSE = auto()  # text that belongs to no paragraph


@dataclass
class _Open:
    """A paragraph, list or unplaced passage still collecting lines."""

    line: int
    page: int | None
    lines: list[str] = field(default_factory=list)
    number: int = 0
    context: Context | None = None
    reason: str = ""
    reported: bool = True
    # How the report numbers the paragraph when that is not `number` ("1" of a restart, "•").
    printed: str = ""
    # Items of the paragraph on lines of their own: (marker, lines); a bullet's marker is "".
    items: list[tuple[str, list[str]]] = field(default_factory=list)

    def add(self, text: str) -> None:
        (self.items[-1][1] if self.items else self.lines).append(text)


class _Parser:
    def __init__(self, text: str, *, objective: int | None = None):
        text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
        # Text copied from a web page may come as one line: broken before its paragraphs.
        text = split_long_lines(text)
        self.has_pages = PAGE_BREAK in text
        self.tokens = page_tokens(text, has_pages=self.has_pages)
        if self.has_pages:
            self.furniture = page_furniture(self.tokens, has_pages=True)
        else:
            self.furniture = repeated_furniture(self.tokens)
        self.candidates = self._paragraph_candidates()
        self.objective = objective

        self.paragraphs: list[ParsedParagraph] = []
        self.unplaced: list[Unplaced] = []
        self.notes: list[Unplaced] = []
        # Lists outside recommendations and good practices: reported only if the text turns
        # out to have no headings, and so to be all recommendations.
        self.unreported: list[Unplaced] = []
        self.symbols: list[str] = []
        self.dropped: Counter[str] = Counter()
        self.front: list[str | None] = []

        self.mode = _Mode.FRONT
        self.headings: dict[int, Heading] = {}
        self.label_objectives: tuple[int, ...] = ()
        self.heading_lines_left = 0
        self.open: _Open | None = None
        self.expected: int | None = None
        # A numbering that starts again at 1 under a heading goes on from the numbers before:
        # the printed number plus this offset, so that references stay unique.
        self.offset = 0
        self.saw_heading = False
        self.item_pending = False

        self.in_footnotes = False
        self.footnote_links = False
        self.next_footnote = 1
        self.next_marker = 1
        self.blank_before = True
        self.after_page_break = False
        # The page's text so far, without spaces, in pieces; only its last PAGE_MEMORY_CHARS
        # count (the links under a page's footnotes repeat text from that page).
        self.page_memory: list[str] = []
        self.page_memory_chars = 0

    def _paragraph_candidates(self) -> dict[int, int]:
        """The last token index at which each number starts a line like a paragraph."""
        last = {}
        first_number = None
        for index, token in enumerate(self.tokens):
            if token is not None and (match := PARAGRAPH.fullmatch(token[2].strip())):
                last[int(match[1])] = index
                first_number = int(match[1]) if first_number is None else first_number
        # Reports number from 1; an extract may start later, at its first numbered line.
        self.first_number = 1 if 1 in last else first_number
        return last

    # The pass over the lines

    def run(self) -> ParsedReport:
        for index, token in enumerate(self.tokens):
            if token is None:
                self._page_break()
                continue
            line_number, page, raw = token
            self.line_number, self.page = line_number, page
            raw = raw.translate(CHARACTERS)
            stripped = raw.strip()
            if not stripped or BULLET_ONLY.fullmatch(stripped):
                # A bullet alone on its line (as PDFs give them) starts the item on the next.
                self.item_pending = self.item_pending or bool(stripped)
                self.blank_before = True
                if self.mode is _Mode.FRONT:
                    self.front.append(None)
                continue
            if (
                index in self.furniture
                or RULE.fullmatch(stripped)
                or (not self.has_pages and PAGE_NUMBER.fullmatch(stripped))
            ):
                self.dropped["page_furniture"] += 1
                if index in self.furniture:
                    self.symbols.append(stripped)
                continue
            if URL.fullmatch(stripped) and self._seen_on_page(stripped):
                self.dropped["repeated_links"] += 1
                if self.in_footnotes and self.blank_before:
                    self.footnote_links = True
                continue
            if self.in_footnotes and self._footnote_line(index, raw, stripped):
                continue
            footnote = FOOTNOTE.fullmatch(stripped)
            if footnote and self._starts_footnotes(footnote):
                self._footnote(footnote)
                continue
            self._remember(stripped)
            if self.item_pending and not BULLET_ITEM.fullmatch(stripped):
                stripped = f"• {stripped}"
            self.item_pending = False
            self._line(index, line_number, page, stripped)
            self.blank_before = False
            self.after_page_break = False
        self._close()
        if not self.saw_heading:
            self._all_recommendations()
        return ParsedReport(
            paragraphs=tuple(self.paragraphs),
            unplaced=tuple(self.unplaced),
            metadata=title_page_metadata(self.front, self.paragraphs, self.symbols),
            dropped=dict(self.dropped),
            notes=tuple(self.notes),
        )

    def _all_recommendations(self) -> None:
        """A text without any heading is a list of recommendations (pasted from a report, or a
        report that numbers its recommendations only): every paragraph is taken as one."""
        if not self.paragraphs:
            return
        self.paragraphs = [
            self._with_objectives(
                dataclasses.replace(p, kind=ParagraphKind.RECOMMENDATION), heading=()
            )
            for p in self.paragraphs
        ]
        for paragraph in self.paragraphs:
            self._check_objectives(paragraph)
        self.unplaced.extend(
            dataclasses.replace(passage, kind=ParagraphKind.RECOMMENDATION)
            for passage in self.unreported
        )
        self.unplaced.sort(key=lambda passage: passage.line)
        self.notes.append(
            Unplaced(
                line=self.paragraphs[0].line,
                page=self.paragraphs[0].page,
                text="",
                reason=_(
                    "No heading says what the paragraphs are: all are taken as recommendations."
                ),
            )
        )

    def _footnote_line(self, index: int, raw: str, stripped: str) -> bool:
        """Handle a line met inside a page's footnotes; False when the footnotes end before it."""
        # Text dumped from a PDF without page breaks starts each page with a space.
        page_start = not self.has_pages and raw[:1] == " " and raw[1:2] != " "
        if self.footnote_links or page_start:
            self._page_break()
            return False
        footnote = FOOTNOTE.fullmatch(stripped)
        if footnote and self._footnote_follows(int(footnote[1])):
            self._footnote(footnote)
            return True
        if self._classify(index, stripped)[0] not in ("text", "list"):
            self._page_break()
            return False
        self._remember(stripped)
        self.blank_before = False
        return True

    def _starts_footnotes(self, footnote: re.Match) -> bool:
        number, rest = int(footnote[1]), footnote[2]
        if not self._footnote_follows(number):
            return False
        if number < self.next_marker:
            return True  # its marker was seen in the text above
        starts_like_a_note = rest[:1].isupper() or URL.match(rest) is not None
        return self.blank_before and starts_like_a_note and not STARTS_WITH_MONTH.match(rest)

    def _footnote_follows(self, number: int) -> bool:
        """Whether a footnote numbered `number` comes next: the next number, or one a little
        further whose marker was seen in the text (a footnote line lost in extraction)."""
        if number == self.next_footnote:
            return True
        return self.next_footnote < number <= self.next_footnote + MAX_FOOTNOTE_GAP and (
            number < self.next_marker
        )

    def _footnote(self, footnote: re.Match) -> None:
        number = int(footnote[1])
        if number > self.next_footnote:
            tail = self._footnote_tail()
            self.notes.append(
                Unplaced(
                    line=self.line_number,
                    page=self.page,
                    text=excerpt(joined(tail)),
                    reason=(
                        _(
                            "Footnote %(first)d was not found; footnote %(number)d was. The lines "
                            "after the paragraph's last sentence, before it, were taken as the end "
                            "of footnote %(first)d:"
                        )
                        if tail
                        else _("Footnote %(first)d was not found; footnote %(number)d was.")
                    )
                    % {"first": self.next_footnote, "number": number},
                )
            )
        if not self.in_footnotes:
            self.in_footnotes = True
            self.footnote_links = False
        self.dropped["footnotes"] += 1
        self.next_footnote = number + 1
        self.next_marker = max(self.next_marker, number + 1)
        self._remember(footnote[2])
        self.blank_before = False

    def _footnote_tail(self) -> list[str]:
        """The lines of a footnote whose first line was lost, taken off the paragraph they were
        added to: those after its last full sentence, when a footnote further on comes next."""
        current = self.open
        if self.mode is not _Mode.PARAGRAPH or current is None or current.items:
            return []
        lines = current.lines
        for end in range(len(lines) - 1, max(0, len(lines) - 1 - MAX_FOOTNOTE_TAIL), -1):
            if SENTENCE_END.search(lines[end - 1]):
                tail, current.lines = lines[end:], lines[:end]
                self.dropped["footnotes"] += 1
                return tail
        return []

    def _page_break(self) -> None:
        self.in_footnotes = False
        self.footnote_links = False
        self.after_page_break = True
        self.page_memory = []
        self.page_memory_chars = 0

    def _remember(self, stripped: str) -> None:
        piece = "".join(stripped.split())
        self.page_memory.append(piece)
        self.page_memory_chars += len(piece)
        # Trimmed now and then, not on every line: copying the memory each time made a long text
        # without page breaks slow.
        if self.page_memory_chars > 2 * PAGE_MEMORY_CHARS:
            kept = "".join(self.page_memory)[-PAGE_MEMORY_CHARS:]
            self.page_memory, self.page_memory_chars = [kept], len(kept)

    def _seen_on_page(self, url: str) -> bool:
        target = url[7:] if url.lower().startswith("mailto:") else url
        return target in "".join(self.page_memory)[-PAGE_MEMORY_CHARS:]

    def _classify(self, index: int, stripped: str) -> tuple[str, tuple]:
        """What a line starts, given where the parser is: ("paragraph", (number, rest)), …"""
        if match := PARAGRAPH.fullmatch(stripped):
            number = int(match[1])
            if self._accepts_paragraph(number + self.offset, index):
                return "paragraph", (number + self.offset, match[2] or "", number)
            if number == 1 and self.expected and self.mode in (_Mode.HEADING, _Mode.LABEL):
                # The numbering starts again under this heading: go on from the numbers before.
                return "paragraph", (self.expected, match[2] or "", number)
            return "list", (number,)
        if self._context().kind in IMPORTED_KINDS and (item := self._item(stripped)):
            return "item", item
        part = self.headings.get(1)
        part_ordinal = part.ordinal if part else 0
        section = self.headings.get(2)
        section_ordinal = section.ordinal if section else 0
        subsection = self.headings.get(3)
        subsection_ordinal = subsection.ordinal if subsection else 0
        if match := PART.fullmatch(stripped):
            value = roman(match[1])
            # "I.", "V." and "X." are letters too: the next part number wins over the next letter.
            if value == part_ordinal + 1:
                return "heading", (1, value, match[1], match[2])
        if match := SECTION.fullmatch(stripped):
            ordinal = ord(match[1]) - ord("A") + 1
            if section_ordinal < ordinal <= section_ordinal + 2:
                return "heading", (2, ordinal, match[1], match[2])
        if match := PART.fullmatch(stripped):
            value = roman(match[1])
            if part_ordinal < value <= part_ordinal + 2:
                return "heading", (1, value, match[1], match[2])
        if match := SUBSECTION.fullmatch(stripped):
            value = roman(match[1])
            if subsection_ordinal < value <= subsection_ordinal + 2:
                return "heading", (3, value, match[1], match[2])
        if match := OBJECTIVE_LABEL.fullmatch(stripped):
            numbers = tuple(int(n) for n in re.findall(r"\d+", match[1]))
            if set(numbers) <= set(self._context(label=False).objectives):
                return "label", (numbers, stripped)
        if (match := OBJECTIVE_HEADING.fullmatch(stripped)) and self._after_an_end():
            numbers = [int(n) for n in re.findall(r"\d+", match[1] or match[2])]
            if all(1 <= n <= 23 for n in numbers):
                # "GCM Objective 8: Save lives…" without its letter: a section of its own.
                return "heading", (2, section_ordinal, "", stripped)
        if len(stripped) <= MAX_HEADING_CHARS and self._after_an_end():
            # A heading numbered out of sequence ("IV. Conclusions" after unnumbered ones) is
            # still one when its words are a heading's.
            for pattern, level, ordinal in (
                (PART, 1, part_ordinal),
                (SECTION, 2, section_ordinal),
                (SUBSECTION, 3, subsection_ordinal),
            ):
                if (match := pattern.fullmatch(stripped)) and UNNUMBERED_HEADING.fullmatch(
                    match[2]
                ):
                    return "heading", (level, ordinal, match[1], match[2])
        if (
            len(stripped) <= MAX_HEADING_CHARS
            and self._after_an_end()
            and (match := UNNUMBERED_HEADING.fullmatch(stripped))
        ):
            # A kind of paragraph is a sub-section; a part that holds none ends the sections.
            if kind_named(match[1]):
                return "heading", (3, subsection_ordinal, "", stripped)
            return "heading", (1, part_ordinal, "", stripped)
        return "text", ()

    def _after_an_end(self) -> bool:
        """Whether the line before ended what it was in, so that this one may be a heading."""
        if self.mode is not _Mode.PARAGRAPH:
            return True
        open_lines = self.open.items[-1][1] if self.open.items else self.open.lines
        last = open_lines[-1] if open_lines else ""
        return bool(SENTENCE_END.search(last))

    def _item(self, stripped: str) -> tuple[str, str] | None:
        """(marker, text) of a bulleted or lettered item ("" for a bullet), or None."""
        if match := BULLET_ITEM.fullmatch(stripped):
            return "", match[1]
        if match := LETTERED_ITEM.fullmatch(stripped):
            return match[1], match[2]
        return None

    def _accepts_paragraph(self, number: int, index: int) -> bool:
        if self.expected is None:
            return number == self.first_number
        if number == self.expected:
            return True
        # A number lost in extraction: follow the jump only if the expected one never comes.
        expected_comes = self.candidates.get(self.expected, -1) >= index
        return self.expected < number <= self.expected + MAX_NUMBERING_GAP and not expected_comes

    def _line(self, index: int, line_number: int, page: int | None, stripped: str) -> None:
        what, details = self._classify(index, stripped)
        if what == "paragraph":
            self._start_paragraph(*details, line_number, page)
        elif what == "item":
            self._start_item(*details, line_number, page)
        elif what == "heading":
            self._start_heading(*details)
        elif what == "label":
            self._start_label(*details)
        elif what == "list":
            self._list_item(details[0], stripped, line_number, page)
        else:
            self._text(self._without_markers(stripped), line_number, page)

    def _start_paragraph(
        self, number: int, rest: str, printed: int, line: int, page: int | None
    ) -> None:
        self._close()
        if printed + self.offset != number:
            self.offset = number - printed
            self.notes.append(
                Unplaced(
                    line=line,
                    page=page,
                    text="",
                    reason=_(
                        "The numbering starts again at %(printed)d: its paragraphs are numbered "
                        "on from %(number)d (the printed number plus %(offset)d)."
                    )
                    % {"printed": printed, "number": number, "offset": self.offset},
                    kind=self._context().kind,
                )
            )
        if self.expected is not None and number > self.expected:
            missing = {"first": self.expected, "last": number - 1}
            self.unplaced.append(
                Unplaced(
                    line=line,
                    page=page,
                    text="",
                    reason=(
                        _("Paragraph %(first)d was not found.")
                        if number - 1 == self.expected
                        else _("Paragraphs %(first)d to %(last)d were not found.")
                    )
                    % missing,
                    # Under recommendations, a missing number may be a recommendation lost.
                    kind=self._context().kind,
                )
            )
        self.open = _Open(
            line=line,
            page=page,
            number=number,
            context=self._context(),
            printed=str(printed) if printed != number else "",
        )
        if rest:
            self.open.lines.append(self._without_markers(rest))
        self.expected = number + 1
        self.mode = _Mode.PARAGRAPH

    def _start_item(self, marker: str, rest: str, line: int, page: int | None) -> None:
        """A bulleted or lettered item under recommendations or good practices: an item of the
        paragraph it follows, or, right under a heading, a paragraph numbered by its position."""
        current = self.open
        positional = (
            current is None
            or self.mode is not _Mode.PARAGRAPH
            or current.printed[:1]
            in (
                "•",
                "(",
            )
        )
        if not positional:
            current.items.append((marker, [self._without_markers(rest)]))
            return
        number = self.expected if self.expected is not None else 1
        if current is None or current.printed[:1] not in ("•", "("):
            self.notes.append(
                Unplaced(
                    line=line,
                    page=page,
                    text="",
                    reason=_(
                        "Items without paragraph numbers: numbered by their position from "
                        "%(number)d."
                    )
                    % {"number": number},
                    kind=self._context().kind,
                )
            )
        self._close()
        self.open = _Open(
            line=line,
            page=page,
            number=number,
            context=self._context(),
            printed=f"({marker})" if marker else "•",
        )
        self.open.lines.append(self._without_markers(rest))
        self.expected = number + 1
        self.mode = _Mode.PARAGRAPH

    def _start_heading(self, level: int, ordinal: int, label: str, text: str) -> None:
        self._close()
        self.saw_heading = True
        for deeper in range(level, 4):
            self.headings.pop(deeper, None)
        self.headings[level] = Heading(level, ordinal, label, [self._without_markers(text)])
        self.label_objectives = ()
        self.heading_lines_left = HEADING_CONTINUATION[level]
        self.mode = _Mode.HEADING

    def _start_label(self, numbers: tuple[int, ...], text: str) -> None:
        self._close()
        self.label_objectives = numbers
        self.heading_lines_left = LABEL_CONTINUATION
        self.mode = _Mode.LABEL

    def _list_item(self, number: int, stripped: str, line: int, page: int | None) -> None:
        if self.mode is not _Mode.LIST:
            self._close()
            # A list inside recommendations may be part of one: show it rather than drop it.
            reported = self._context().kind in IMPORTED_KINDS
            reason = _(
                "A numbered item that is not the next paragraph (%(expected)s was expected)."
            ) % {"expected": self.expected}
            self.open = _Open(line=line, page=page, reason=reason, reported=reported)
            self.open.context = self._context()
            self.mode = _Mode.LIST
        self.dropped["list_items"] += 1
        self.open.lines.append(self._without_markers(stripped))

    def _text(self, text: str, line: int, page: int | None) -> None:
        mode = self.mode
        if mode is _Mode.FRONT:
            self.front.append(text)
        elif mode is _Mode.PARAGRAPH:
            open_lines = self.open.items[-1][1] if self.open.items else self.open.lines
            last = open_lines[-1] if open_lines else ""
            if self.after_page_break and SENTENCE_END.search(last):
                # The paragraph ended with its page; what follows on the next page is not it.
                number = self.open.number
                self._close()
                self._start_loose(
                    line,
                    page,
                    _("Text after paragraph %(number)d that does not continue it.")
                    % {"number": number},
                )
                self.open.lines.append(text)
            else:
                self.open.add(text)
        elif mode in (_Mode.HEADING, _Mode.LABEL):
            if self.heading_lines_left > 0 and not SENTENCE_END.search(text):
                self.heading_lines_left -= 1
                if mode is _Mode.HEADING:
                    heading = self.headings[max(self.headings)]
                    heading.lines.append(text)
            else:
                self._start_loose(
                    line, page, _("Text under a heading that is in no numbered paragraph.")
                )
                self.open.lines.append(text)
        else:  # a list or a loose passage goes on
            self.open.lines.append(text)

    def _start_loose(self, line: int, page: int | None, reason: str) -> None:
        self._close()
        self.open = _Open(line=line, page=page, reason=reason, context=self._context())
        self.mode = _Mode.LOOSE

    def _close(self) -> None:
        """Finish the paragraph, list or passage being collected."""
        current, self.open = self.open, None
        if current is None:
            return
        text = joined(current.lines)
        if self.mode is _Mode.PARAGRAPH:
            self._add_paragraph(current, text)
        elif text:
            passage = Unplaced(
                line=current.line,
                page=current.page,
                text=excerpt(text),
                reason=current.reason,
                kind=current.context.kind if current.context else "",
            )
            (self.unplaced if current.reported else self.unreported).append(passage)

    def _add_paragraph(self, current: _Open, text: str) -> None:
        context = current.context
        kind = context.kind
        if not text and not current.items:
            self.unplaced.append(
                Unplaced(
                    line=current.line,
                    page=current.page,
                    text="",
                    reason=_("Paragraph %(number)d has no text.") % {"number": current.number},
                    kind=kind,
                )
            )
            return
        pieces = paragraph_items(text, current.items) if kind in IMPORTED_KINDS else [("", text)]
        for sub_item, piece in pieces:
            paragraph = ParsedParagraph(
                number=current.number,
                kind=kind,
                objectives=(),
                text=piece,
                line=current.line,
                page=current.page,
                section=context.display,
                sub_item=sub_item,
                printed=current.printed,
            )
            paragraph = self._with_objectives(paragraph, heading=context.objectives)
            self._check_objectives(paragraph)
            self.paragraphs.append(paragraph)

    def _with_objectives(
        self, paragraph: ParsedParagraph, *, heading: tuple[int, ...]
    ) -> ParsedParagraph:
        """The paragraph with the objectives its headings name; failing those, the one given on
        the command line or the ones suggested from its words."""
        if heading:
            return dataclasses.replace(paragraph, objectives=heading)
        if not paragraph.is_imported:
            return paragraph
        if self.objective is not None:
            return dataclasses.replace(paragraph, objectives=(self.objective,))
        suggested = objectives_suggested(paragraph.text)
        return dataclasses.replace(
            paragraph,
            objectives=tuple(sorted(number for number, _ in suggested)),
            suggested=suggested,
        )

    def _check_objectives(self, paragraph: ParsedParagraph) -> None:
        if not paragraph.is_imported or paragraph.objectives:
            return
        self.unplaced.append(
            Unplaced(
                line=paragraph.line,
                page=paragraph.page,
                text=excerpt(paragraph.text),
                reason=_(
                    "Paragraph %(number)s is a %(kind)s, but no heading above it names a GCM "
                    "objective."
                )
                % {"number": paragraph.key, "kind": ParagraphKind(paragraph.kind).label.lower()},
                kind=paragraph.kind,
                paragraph=paragraph.key,
            )
        )

    def _context(self, *, label: bool = True) -> Context:
        headings = tuple(self.headings[level] for level in sorted(self.headings))
        return Context(headings, self.label_objectives if label else ())

    def _without_markers(self, text: str) -> str:
        """The text without the footnote markers glued to its words, counted in sequence."""

        def glued(match: re.Match) -> str:
            number = int(match[1])
            # The word before is enough, and a bounded look keeps a long line linear.
            before = text[max(0, match.start() - MARKER_LOOKBEHIND) : match.start()]
            strongly = before[-1].isalpha() or before[-1] in CLOSING
            in_sequence = number == self.next_marker or (
                strongly and number == self.next_marker + 1
            )
            if in_sequence and (strongly or punctuation_glues(before)):
                self.next_marker = number + 1
                self.dropped["footnote_markers"] += 1
                return ""
            return match[0]

        def spaced(match: re.Match) -> str:
            numbers = [int(n) for n in match[1].split()]
            if numbers == list(range(self.next_marker, self.next_marker + len(numbers))):
                self.next_marker += len(numbers)
                self.dropped["footnote_markers"] += len(numbers)
                return ""
            return match[0]

        return SPACED_MARKERS.sub(spaced, GLUED_MARKER.sub(glued, text))
