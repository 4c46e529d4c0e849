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
