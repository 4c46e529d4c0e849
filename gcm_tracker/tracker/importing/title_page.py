"""What a report's title page says: the consultation's title, date, format and objectives."""

import datetime
import re

from ..enums import MeetingFormat
from .cleaning import normalise_whitespace, shortened
from .layout import document_symbol
from .report import ParsedParagraph, ReportMetadata
from .structure import objectives_named

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = "(" + "|".join(MONTHS) + ")"
DATE = re.compile(
    rf"\b(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})\b|\b{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})\b",
    re.IGNORECASE,
)
STARTS_WITH_MONTH = re.compile(_MONTH + r"\b", re.IGNORECASE)


def title_page_metadata(
    front_lines: list[str | None],
    paragraphs: list[ParsedParagraph],
    running_lines: list[str] = (),
) -> ReportMetadata:
    """The metadata in the lines before the first heading or paragraph (None for a blank line);
    the document symbol may also be in a running header or footer (`running_lines`)."""
    blocks: list[str] = []
    lines: list[str] = []
    date_block = None
    for line in [*front_lines, None]:
        if line is None or DATE.search(line):
            if lines:
                blocks.append(normalise_whitespace(" ".join(lines)))
                lines = []
            if line is not None:
                date_block = len(blocks) if date_block is None else date_block
                blocks.append(normalise_whitespace(line))
        else:
            lines.append(line)
    front = " ".join(blocks)
    names = [
        i
        for i, block in enumerate(blocks)
        if i != date_block and not block.isupper() and len(block) > 3
    ]
    after_date = [i for i in names if date_block is not None and i > date_block]
    title_index = (after_date or names or [None])[0]
    title = without_parenthesis(blocks[title_index]) if title_index is not None else ""
    first = blocks[names[0]] if names and names[0] != title_index else ""
    objectives = objectives_named(front) or tuple(
        sorted({n for p in paragraphs if p.is_imported for n in p.objectives})
    )
    return ReportMetadata(
        title=shortened(title, 300),
        report_title=shortened(first, 300),
        date=date_in(blocks[date_block]) if date_block is not None else None,
        format=format_in(front),
        objectives=objectives,
        symbol=document_symbol(front) or document_symbol(" ".join(running_lines)),
    )


def date_in(text: str) -> datetime.date | None:
    match = DATE.search(text)
    if match is None:
        return None
    if match[1]:
        day, month, year = match[1], match[2], match[3]
    else:
        month, day, year = match[4], match[5], match[6]
    try:
        return datetime.date(int(year), MONTHS.index(month.lower()) + 1, int(day))
    except ValueError:
        return None


def format_in(text: str) -> str:
    text = text.lower()
    if "hybrid" in text:
        return MeetingFormat.HYBRID
    if re.search(r"\b(?:virtual|online|webinar)\b", text):
        return MeetingFormat.VIRTUAL
    if re.search(r"\b(?:in[ -]person|face[ -]to[ -]face)\b", text):
        return MeetingFormat.IN_PERSON
    return ""


def without_parenthesis(text: str) -> str:
    """A title without the parenthesis that closes it ("… (addressing objectives 4, 8)")."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", text).strip()
