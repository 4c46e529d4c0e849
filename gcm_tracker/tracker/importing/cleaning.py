"""Cleaning a report's text: characters normalised, footnote markers recognised, wrapped lines and
words split at a hyphen joined again. Pure functions of strings, each linear in its input."""

import re

# A footnote marker glued to the word before it ("system10", "Protocols.17", "identity,11").
GLUED_MARKER = re.compile(r"(?<=[^\s\d\-–/])(\d{1,3})(?=[\s,;:.)\]]|$)")
# Markers set apart after punctuation ("consultation. 4 5 Participants").
SPACED_MARKERS = re.compile(r"(?<=[.,;:”’)])((?:\s+\d{1,3})+)(?=\s+[A-Z])")
CLOSING = ")]”’\"'"
# A hyphen followed by a space inside a word ("sub- regional"), where a line ended in the PDF.
SPLIT_HYPHEN = re.compile(r"(?<=[^\W\d_])- (?=([^\W\d_]+))")
# "gender- and child-sensitive": a suspended hyphen keeps its space.
SUSPENDED_HYPHEN_WORDS = {"and", "or", "nor", "to", "as", "but", "than", "versus"}
SENTENCE_END = re.compile(r"[.!?][)\]”’\"']*$")
EXCERPT_CHARS = 300
# How far back from a glued marker punctuation_glues() looks: the word before it, at most.
MARKER_LOOKBEHIND = 40

CHARACTERS = str.maketrans(
    {
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\t": " ",
        "\v": " ",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\u2010": "-",
        "\u2011": "-",
        **{c: " " for c in range(32) if chr(c) not in "\n\f"},
        0x7F: " ",
    }
)


def normalise_whitespace(text: str) -> str:
    return " ".join(text.split())


def punctuation_glues(before: str) -> bool:
    """Whether a marker after punctuation ("identity,11", "2019.18") is glued to a word.

    After a letter or closing quote it is; after digits only when they are many, so that a
    decimal ("target 16.9") or a list ("objectives 9,10") keeps its number.
    """
    if not before or before[-1] not in ".,;:":
        return False
    word = before[:-1]
    if word[-1:].isalpha() or word[-1:] in CLOSING:
        return True
    digits = re.search(r"\d+$", word)
    return digits is not None and len(digits[0]) >= 3


def joined(lines: list[str]) -> str:
    """Lines joined into one paragraph, with words split at a hyphen made whole again."""
    # Pieces are collected and joined once: adding each line to a growing string made a passage
    # of many thousand lines take quadratic time.
    pieces: list[str] = []
    last = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        next_word = line.split(maxsplit=1)[0].lower()
        glued = (
            last.endswith("-")
            and last[-2:-1].isalpha()
            and line[:1].islower()
            and next_word not in SUSPENDED_HYPHEN_WORDS
        )
        if pieces and not glued:
            pieces.append(" ")
        pieces.append(line)
        last = line
    text = "".join(pieces)
    text = normalise_whitespace(text)

    def rejoin(match: re.Match) -> str:
        # A capital after the space ("Help- Hilfe") is a dash, not a split word.
        if match[1] in SUSPENDED_HYPHEN_WORDS or not match[1][0].islower():
            return match[0]
        return "-"

    return SPLIT_HYPHEN.sub(rejoin, text)


def shortened(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def excerpt(text: str) -> str:
    return shortened(text, EXCERPT_CHARS)
