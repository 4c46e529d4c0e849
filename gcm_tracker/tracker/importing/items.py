"""The items of a paragraph: bullets, and letters or numbers in brackets, on lines of their own
or inline ("States are urged to: (a) Establish …; (b) Release …"), each imported as a paragraph
of its own (86(a), 86(b)) with the paragraph's lead-in before its text."""

import re

from .cleaning import joined
from .structure import roman

# An item of a list: a bullet, or a letter or number in brackets ("(a)", "b)", "(iv)", "(2)").
BULLET_ITEM = re.compile(r"[•·▪◦●○■□✓✔➢➤►▸*–-]\s+(\S.*)")
LETTERED_ITEM = re.compile(r"\(?([a-z]{1,2}|[ivx]{1,5}|\d{1,2})\)\s+(\S.*)")
# Items of one paragraph written inline: "States are urged to: (a) Establish …; (b) Release …".
INLINE_ITEM = re.compile(
    r"(?:(?<=[:;.])|(?<=[:;.,] )|(?<= and )|(?<= or ))\s*\(([a-z]{1,2}|[ivx]{1,5}|\d{1,2})\)\s+"
)


def paragraph_items(text: str, items: list[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    """(sub-item, text) of each item of a paragraph, with the lead-in ("States should:")
    before each item's own text as its context; [("", text)] for a paragraph without items.

    `text` is the paragraph's own text, `items` its items on lines of their own as (marker, lines),
    a bullet's marker "".

    A paragraph that is a sentence of its own before its items stays a row ("4"), and its
    items follow as 4(a), 4(b) without it.
    """
    markers = [marker for marker, _ in items]
    if items and all(markers) and not item_sequence(markers):
        # Items that continue a run begun inline ("…: (a) …;" then "(b) …" on its line).
        text = joined([text, *(f"({marker}) {joined(lines)}" for marker, lines in items)])
        items = []
    if not items:
        found = inline_items(text)
        if found is None:
            return [("", text)]
        lead, inline = found
        return [(marker, f"{lead} {item}".strip()) for marker, item in inline]
    if not item_sequence(markers):  # bullets: lettered by their position
        markers = [letter_for(n) for n in range(1, len(items) + 1)]
    if text and not text.endswith(":"):
        return [("", text)] + [
            (marker, joined(lines)) for marker, (_, lines) in zip(markers, items, strict=True)
        ]
    if len(items) == 1:
        return [("", joined([text, *items[0][1]]))]
    return [
        (marker, joined([text, *lines])) for marker, (_, lines) in zip(markers, items, strict=True)
    ]


def item_sequence(markers: list[str]) -> list[str] | None:
    """The markers as a sequence of sub-items ("a", "b", …; "i", "ii", …; "1", "2", …), or None
    when they do not count on from the first one by one."""
    if not markers:
        return None
    for first, value in (("a", _letter_value), ("i", roman), ("1", _number_value)):
        if markers[0] == first and all(value(m) == n for n, m in enumerate(markers, start=1)):
            return markers
    return None


def letter_for(position: int) -> str:
    """a, b, …, z, aa, bb, …: the sub-item of an item that is bulleted, by its position."""
    letter = "abcdefghijklmnopqrstuvwxyz"[(position - 1) % 26]
    return letter * ((position - 1) // 26 + 1)


def _letter_value(marker: str) -> int:
    if not marker.isalpha() or not marker.islower() or len(set(marker)) != 1:
        return 0
    return (ord(marker[0]) - ord("a") + 1) + 26 * (len(marker) - 1)


def _number_value(marker: str) -> int:
    return int(marker) if marker.isdigit() else 0


def inline_items(text: str) -> tuple[str, list[tuple[str, str]]] | None:
    """A paragraph whose items are written inline → (lead-in, [(marker, item text), …]), or None
    when it has no run of at least two items counting on from (a), (i) or (1)."""
    matches = list(INLINE_ITEM.finditer(text))
    # The run of markers counting on from the first "(a)", "(i)" or "(1)" after a colon.
    for start, match in enumerate(matches):
        if match[1] not in ("a", "i", "1") or ":" not in text[: match.start()]:
            continue
        run = [match]
        for following in matches[start + 1 :]:
            if item_sequence([m[1] for m in [*run, following]]):
                run.append(following)
        if len(run) < 2:
            continue
        lead = text[: run[0].start()].strip()
        items = []
        for index, item in enumerate(run):
            end = run[index + 1].start() if index + 1 < len(run) else len(text)
            items.append((item[1], text[item.end() : end].strip()))
        return lead, items
    return None
