"""Variants of the seed report laid out as other reports are, made from its text in tests.

Each function returns the seed's text changed in one way; test_variants.py checks that the
importer finds the same recommendations and good practices in each, or says what differs.
"""

import io
import itertools
import re
import string

from .reports import SEED_PAGE_FIRST_LINES, seed_text

# Paragraphs 26 to 33 are the recommendations on objective 4.
FIRST, LAST = 26, 33
_NUMBERED = re.compile(r"^(\s*)(\d{1,3})\.(\s+)")
HEADING = re.compile(r"^\s*(?:[IVX]{1,4}|[A-F]|[ivx]{1,4})\.\s+(?=\S)")
SYMBOL = "ESCAP/GCM/2021/CRP.2"


def _lines() -> list[str]:
    return seed_text().split("\n")


def _renumbered(marker) -> str:
    """The seed with paragraphs FIRST–LAST numbered by `marker(position)` instead."""
    lines = []
    for line in _lines():
        match = _NUMBERED.match(line)
        if match and FIRST <= int(match[2]) <= LAST:
            line = f"{match[1]}{marker(int(match[2]) - FIRST)} " + line[match.end() :]
        lines.append(line)
    return "\n".join(lines)


def bullets() -> str:
    return _renumbered(lambda position: "•")


def lettered() -> str:
    return _renumbered(lambda position: f"({string.ascii_lowercase[position]})")


def headings_without_numerals() -> str:
    return "\n".join(HEADING.sub("", line) for line in _lines())


def restarted_numbering() -> str:
    """Numbering that starts again at 1 in each section of the outcomes (B. to F.) and in the
    closing part."""
    lines, offset = [], 0
    restart_at = re.compile(r"^\s*(?:[B-F]|V)\.\s+")
    last = 0
    for line in _lines():
        if restart_at.match(line):
            offset = last
        match = _NUMBERED.match(line)
        if match and int(match[2]) == last + 1:
            last = int(match[2])
            line = f"{match[1]}{last - offset}.{match[3]}" + line[match.end() :]
        lines.append(line)
    return "\n".join(lines)


def running_headers() -> str:
    """No page breaks, but a running header (a document symbol) and a page number at the top of
    every page, as text copied from a PDF viewer has them."""
    lines = _lines()
    out = []
    for number, line in enumerate(lines, start=1):
        if number in SEED_PAGE_FIRST_LINES:
            page = SEED_PAGE_FIRST_LINES.index(number) + 2
            out.extend([SYMBOL, f"Page {page}"])
        out.append(line)
    return "\n".join(out)


def missing_footnote_lines() -> str:
    """Footnote 12 deleted (the issue's case: the nine after it were no longer recognised)."""
    return "\n".join(line for line in _lines() if not line.startswith("12 Status of Nepali"))


_BLOCK_START = re.compile(
    r"^\s*(?:\d{1,3}\.\s|(?:[IVX]{1,4}|[A-F]|[ivx]{1,4})\.\s|(?:GCM\s+)?Objectives?\s+\d|[•✓])"
)
_FOOTNOTE = re.compile(r"^(\d{1,2}) *[A-Z]")


def _without_footnotes() -> list[str]:
    """The seed's lines without the footnotes at the foot of each page (from the next footnote
    number to the page's end): the footnote markers stay in the text, as a web page's copy has
    them."""
    lines = _lines()
    bounds = [1, *SEED_PAGE_FIRST_LINES, len(lines) + 1]
    kept, next_footnote = [], 1
    for start, end in itertools.pairwise(bounds):
        page = lines[start - 1 : end - 1]
        for index, line in enumerate(page):
            match = _FOOTNOTE.match(line)
            if match and next_footnote <= int(match[1]) <= next_footnote + 1:
                numbers = [int(m[1]) for m in map(_FOOTNOTE.match, page[index:]) if m]
                next_footnote = max(numbers) + 1
                page = page[:index]
                break
        kept.extend(page)
    return kept


def one_line_per_paragraph() -> str:
    """Each paragraph and heading on one line, without blank lines or footnotes, as a web page's
    text or a word processor's export has them."""
    blocks: list[str] = []
    front = True  # the title page keeps its lines
    for line in _without_footnotes():
        if not line.strip() or line.strip().startswith("http"):
            continue
        front = front and not HEADING.match(line)
        if front or not blocks or _BLOCK_START.match(line):
            blocks.append(line.strip())
        else:
            blocks[-1] += " " + line.strip()
    return "\n".join(blocks)


def docx(text: str) -> bytes:
    """A Word document with one paragraph per line of `text`."""
    from docx import Document

    document = Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
