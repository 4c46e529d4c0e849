"""The structure of a report: numbered paragraphs, the headings above them, and what a heading
says about the paragraphs under it (their kind, their GCM objectives)."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .cleaning import normalise_whitespace
from .report import ParagraphKind

# Patterns for one line stripped of surrounding whitespace; each is used with fullmatch.
PARAGRAPH = re.compile(r"(\d{1,4})\.(?:\s+(\S.*))?")
PART = re.compile(r"([IVX]{1,6})\.\s+(\S.*)")
SECTION = re.compile(r"([A-Z])\.\s+(\S.*)")
SUBSECTION = re.compile(r"([ivx]{1,6})\.\s+(\S.*)")
OBJECTIVE_LABEL = re.compile(
    r"(?:GCM\s+)?Objectives?\s+(\d{1,2}(?:\s*(?:,|and|&)\s*\d{1,2})*)\s*:\s*(.*)"
)
# Headings without a numeral, told by their words: a kind of paragraph ("Recommendations",
# "Key challenges", "Good practices on Objective 4", "Conclusions") or a part of the report that
# holds none ("Background", "Closing and next steps"). The whole line must be such a phrase.
_QUALIFIERS = r"(?:(?:key|main|general|specific|other|final|concluding|further|emerging)\s+)*"
KIND_WORDS = (
    r"recommendations?|(?:good|promising|best)\s+practices?|practices|challenges?"
    r"|opportunities|gaps|constraints|conclusions?|observations|lessons\s+learn[te]d?"
)
PART_WORDS = (
    r"background|introduction|context|opening(?:\s+session)?|closing(?:\s+session)?"
    r"|next\s+steps|the\s+way\s+forward|way\s+forward|annex(?:\s+[IVX\d]+)?|summary"
    r"|programme|agenda|outcomes?|discussion|objectives|organi[sz]ation|attendance|participants"
)
UNNUMBERED_HEADING = re.compile(
    rf"{_QUALIFIERS}((?:{KIND_WORDS}|{PART_WORDS})(?:\s*(?:,|and|or|&)\s*(?:{KIND_WORDS}|{PART_WORDS}))*)"
    r"(?:\s+(?:on|for|to|of|in|from|by|about|regarding|related\s+to|created\s+by)\s+[^.;!?]{1,100})?"
    r"\s*:?",
    re.IGNORECASE,
)
# A section's heading naming its objectives without a letter before it: with "GCM" before or a
# colon after the numbers ("GCM Objective 11 Manage borders…", "Objective 8: Save lives…").
OBJECTIVE_HEADING = re.compile(
    r"(?:GCM\s+Objectives?\s+(\d{1,2}(?:\s*(?:,|and|&)\s*\d{1,2})*)\s*:?"
    r"|Objectives?\s+(\d{1,2}(?:\s*(?:,|and|&)\s*\d{1,2})*)\s*:)\s*\S.*"
)
# Anywhere in a heading or the title page.
OBJECTIVES_NAMED = re.compile(
    r"\bobjectives?\s+(\d{1,2}(?:\s*(?:,|and|&|-|–)\s*\d{1,2})*)", re.IGNORECASE
)


# How many more lines a heading may wrap onto (a section heading naming two objectives can take
# three lines in the seed report).
HEADING_CONTINUATION = {1: 2, 2: 3, 3: 1}
LABEL_CONTINUATION = 2
# A heading without a numeral is a short line.
MAX_HEADING_CHARS = 160
# The numbering may skip this many paragraphs (a number lost in extraction) and still be followed.
MAX_NUMBERING_GAP = 3


@dataclass
class Heading:
    level: int  # 1 part, 2 section, 3 sub-section
    ordinal: int
    label: str
    lines: list[str]

    @property
    def text(self) -> str:
        return normalise_whitespace(" ".join(self.lines))

    @property
    def objectives(self) -> tuple[int, ...]:
        return objectives_named(self.text)

    @property
    def kind(self) -> str | None:
        # No GCM objective's title names a kind, so a section headed by one has none of its own.
        return kind_named(self.text)

    def display(self, limit: int = 80) -> str:
        text = f"{self.label}. {self.text}" if self.label else self.text
        return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Context:
    headings: tuple[Heading, ...]
    label_objectives: tuple[int, ...] = ()

    @property
    def kind(self) -> str:
        for heading in reversed(self.headings):
            if heading.kind:
                return heading.kind
        return ParagraphKind.OTHER

    @property
    def objectives(self) -> tuple[int, ...]:
        if self.label_objectives:
            return self.label_objectives
        for heading in reversed(self.headings):
            if heading.objectives:
                return heading.objectives
        return ()

    @property
    def display(self) -> str:
        shown = [h.display() for h in self.headings if h.level > 1] or [
            h.display() for h in self.headings
        ]
        if self.label_objectives:
            shown.append(
                _("Objective %(numbers)s") % {"numbers": numbers_listed(self.label_objectives)}
            )
        return " › ".join(shown)


def roman(numeral: str) -> int:
    """The value of a roman numeral in its usual form, 0 for anything else ("IIII", "VX")."""
    values = {"i": 1, "v": 5, "x": 10}
    numeral = numeral.lower()
    total = 0
    for index, letter in enumerate(numeral):
        value = values[letter]
        following = values[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total if total and _to_roman(total) == numeral else 0


def _to_roman(value: int) -> str:
    result = ""
    for numeral, amount in (("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1)):
        while value >= amount:
            result += numeral
            value -= amount
    return result


def kind_named(text: str) -> str | None:
    text = text.lower()
    if "recommendation" in text:
        return ParagraphKind.RECOMMENDATION
    if "practice" in text:
        return ParagraphKind.GOOD_PRACTICE
    if "covid" in text:
        return ParagraphKind.COVID_CHALLENGE
    if "challenge" in text:
        return ParagraphKind.CHALLENGE
    if "conclusion" in text or "observation" in text or "lessons learn" in text:
        return ParagraphKind.CONCLUSION
    return None


def objectives_named(text: str) -> tuple[int, ...]:
    numbers = []
    for match in OBJECTIVES_NAMED.finditer(text):
        for number in re.findall(r"\d+", match[1]):
            if 1 <= int(number) <= 23 and int(number) not in numbers:
                numbers.append(int(number))
    return tuple(sorted(numbers))


def numbers_listed(numbers: tuple[int, ...]) -> str:
    return ", ".join(str(n) for n in numbers)
