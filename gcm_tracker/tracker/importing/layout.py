"""The page layout a report's text carries: pages, running headers and footers, page numbers,
footnotes and the links repeated under them."""

import math
import re
from collections import Counter

from .cleaning import CHARACTERS, normalise_whitespace
from .extract import PAGE_BREAK

# "12 Status of…", "11SDG 16.9: …" but not "12:45", "2020 …", "4. Ensure…" or "16.9 …".
FOOTNOTE = re.compile(r"(\d{1,3})(?![\d.,:;/\-–)])\s*(\S.*)")
URL = re.compile(r"(?:https?://|www\.|mailto:)\S+", re.IGNORECASE)
PAGE_NUMBER = re.compile(
    r"(?:[-–—]\s*)?(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?(?:\s*[-–—])?", re.IGNORECASE
)
RULE = re.compile(r"[_\-–—=*.·•]{5,}")
BULLET_ONLY = re.compile(r"[•·▪◦●○■□✓✔➢>*-]")
# A page's text is well under this; the bound keeps repeated-link look-ups cheap on any input.
PAGE_MEMORY_CHARS = 10_000

# One line of the text: (line number, page or None, the line); None where a page ends.
Token = tuple[int, int | None, str] | None


def page_tokens(text: str, *, has_pages: bool) -> list[Token]:
    """(line number, page or None, line) per line; None where a page ends."""
    tokens: list[tuple[int, int | None, str] | None] = []
    page = 1
    for number, line in enumerate(text.split("\n"), start=1):
        for index, piece in enumerate(line.split(PAGE_BREAK)):
            if index:
                tokens.append(None)
                page += 1
            tokens.append((number, page if has_pages else None, piece))
    return tokens


def page_furniture(tokens: list[Token], *, has_pages: bool) -> set[int]:
    """Token indices of running headers, footers and page numbers at the edges of pages."""
    if not has_pages:
        return set()
    pages: list[list[int]] = [[]]
    for index, token in enumerate(tokens):
        if token is None:
            pages.append([])
        elif token[2].strip():
            pages[-1].append(index)
    edges = [page[:2] + page[-2:] for page in pages if page]
    furniture = set()
    repeated = Counter()
    for page_edges in edges:
        repeated.update({_furniture_key(tokens, i) for i in page_edges})
        furniture.update(i for i in page_edges if PAGE_NUMBER.fullmatch(text_at(tokens, i).strip()))
    if len(edges) >= 3:
        threshold = max(3, math.ceil(len(edges) / 2))
        common = {key for key, count in repeated.items() if count >= threshold}
        furniture.update(i for e in edges for i in e if _furniture_key(tokens, i) in common)
    return furniture


def text_at(tokens: list[Token], index: int) -> str:
    token = tokens[index]
    return "" if token is None else token[2].translate(CHARACTERS)


def _furniture_key(tokens: list[Token], index: int) -> str:
    return re.sub(r"\d+", "#", normalise_whitespace(text_at(tokens, index)).lower())


# A UN document symbol: a series and its parts, "A/75/183", "A/HRC/47/30", "ESCAP/GCM/2021/CRP.2".
DOCUMENT_SYMBOL = re.compile(r"(?<![\w/])[A-Z]{1,8}(?:/[A-Z0-9][A-Z0-9.\-]*){2,}(?![\w/])")
# A footnote may be missing from the sequence (its line lost in extraction), this many at most.
MAX_FOOTNOTE_GAP = 3
# The lines of a footnote whose first line was lost, taken back from the paragraph above it.
MAX_FOOTNOTE_TAIL = 3
# Without page breaks, a line is a running header or footer when it comes back this many times
# and is what such lines are: a document symbol, a page number, a date or a short title line.
MIN_REPEATS = 3
RUNNING_LINE_WORDS = 14
# Text copied from a web page may come as one line; a line longer than this is broken before
# the paragraph numbers and heading numerals in it.
LONG_LINE_CHARS = 2_000


def document_symbol(text: str) -> str:
    """The first UN document symbol in `text`, or ""."""
    for match in DOCUMENT_SYMBOL.finditer(text):
        if any(c.isdigit() for c in match[0]):
            return match[0].rstrip(".")
    return ""


def repeated_furniture(tokens: list[Token]) -> set[int]:
    """Token indices of running headers and footers in a text without page breaks: short lines
    that come back at least MIN_REPEATS times and carry a document symbol, a page number or a
    date, or start with a capital and end without a full stop (a running title)."""
    from .structure import PARAGRAPH
    from .title_page import DATE

    seen: dict[str, list[int]] = {}
    for index, token in enumerate(tokens):
        if token is None:
            continue
        line = normalise_whitespace(token[2].translate(CHARACTERS))
        if not line or len(line.split()) > RUNNING_LINE_WORDS or URL.fullmatch(line):
            continue
        if PARAGRAPH.fullmatch(line) or BULLET_ONLY.fullmatch(line):
            continue
        seen.setdefault(re.sub(r"\d+", "#", line.lower()), []).append(index)
    furniture = set()
    for indices in seen.values():
        if len(indices) < MIN_REPEATS:
            continue
        line = normalise_whitespace(text_at(tokens, indices[0]))
        running = (
            document_symbol(line)
            or (PAGE_NUMBER.search(line) and re.search(r"\bpage\b", line, re.IGNORECASE))
            or DATE.search(line)
        )
        if running:
            furniture.update(indices)
    return furniture


# A paragraph number, a heading's numeral or an objective's label inside a long line.
_BREAK_BEFORE = re.compile(
    r"(?<=\S)\s+(?=(?:\d{1,4}|[IVX]{1,5}|[A-H]|[ivx]{1,4})\.\s+[A-Z“\"‘(]"
    r"|(?:GCM\s+)?Objectives?\s+\d{1,2}(?:\s*(?:,|and|&)\s*\d{1,2})*\s*:)"
)


def _ends_before(piece: str, *, label: bool) -> bool:
    """Whether a heading numeral (or, with `label`, an objective's label) may start after
    `piece`: after a sentence's end, or a heading's words; a label only after a sentence's end,
    since a heading may name several objectives ("…smuggling of migrants GCM Objective 10:")."""
    if label and _short_heading(piece) and "objective" not in piece.lower():
        return True  # "iii. Recommendations" then "Objective 11: …"
    if label or _mark_only(piece):
        return bool(re.search(r"[.!?:;)”\"’]$", piece)) and not _mark_only(piece)
    return bool(re.search(r"[.!?:;)”\"’]$|\w$", piece))


def _short_heading(piece: str) -> bool:
    return re.fullmatch(r"\s*(?:[IVX]{1,5}|[A-H]|[ivx]{1,4})\.\s+[^.:;]{1,60}", piece) is not None


def _mark_only(piece: str) -> bool:
    return re.fullmatch(r"\s*(?:[IVX]{1,5}|[A-H]|[ivx]{1,4})\.", piece) is not None


def split_long_lines(text: str) -> str:
    """Lines over LONG_LINE_CHARS broken before each paragraph number that counts on from the
    one before (1, 2, 3…, a few missing at most) and before heading numerals ("IV.", "B.", "ii.")
    that follow a paragraph's end; other lines as they are. Linear in the text's length."""
    if all(len(line) <= LONG_LINE_CHARS for line in text.split("\n")):
        return text
    lines = []
    for line in text.split("\n"):
        if len(line) <= LONG_LINE_CHARS:
            lines.append(line)
            continue
        matches = list(_BREAK_BEFORE.finditer(line))
        marks = [line[match.end() :].split(".", 1)[0] for match in matches]
        # Where each number last starts a paragraph-like piece: a number further on is followed
        # only when the expected one does not come later (as the parser does with lines).
        last = {int(mark): index for index, mark in enumerate(marks) if mark.isdigit()}
        pieces, start, expected = [], 0, None
        for index, (match, mark) in enumerate(zip(matches, marks, strict=True)):
            if mark.isdigit():
                number = int(mark)
                if expected is None and number > 3:
                    continue
                if (
                    expected is not None
                    and number != expected
                    and (not expected < number <= expected + 3 or last.get(expected, -1) > index)
                ):
                    continue
                expected = number + 1
            elif not _ends_before(
                line[start : match.start()],
                label=line.startswith(("GCM", "Objective"), match.end()),
            ):
                continue
            pieces.append(line[start : match.start()])
            start = match.end()
        pieces.append(line[start:])
        lines.extend(piece for piece in pieces if piece.strip())
    return "\n".join(lines)
