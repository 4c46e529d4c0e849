"""The text of a Word (.docx) report: one line per paragraph, tables cell by cell, with the
numbers and bullets Word draws before list paragraphs written out ("26. ", "(a) ", "• ").
Footnotes, headers and footers are parts of their own in a Word file, so they are not in it."""

import io
import re
import zipfile

from django.utils.translation import gettext as _

from .report import ReportError

# A Word file is a zip: its parts, unpacked, may not exceed this (a "zip bomb" would).
MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024


def docx_text(data: bytes, filename: str) -> str:
    """Raises ReportError, and only that, for a file that is not a readable Word document."""
    # python-docx is imported here so that importing this module stays cheap.
    from docx import Document

    damaged = ReportError(
        _("“%(name)s” is not a Word document that can be read. Save it again as .docx and retry.")
        % {"name": filename}
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_DOCX_UNPACKED_BYTES:
                raise damaged
        document = Document(io.BytesIO(data))
        numbering = _DocxNumbering(document)
        lines = [
            numbering.label(paragraph) + paragraph.text for paragraph in _docx_paragraphs(document)
        ]
    except ReportError:
        raise
    # Like pypdf, python-docx and the zip and XML readers raise many types on malformed input.
    except Exception as error:
        raise damaged from error
    return "\n".join(lines)


def _docx_paragraphs(document):
    """The body's paragraphs in order, those of tables cell by cell."""
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    yield from cell.paragraphs
        else:
            yield block


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _DocxNumbering:
    """The numbers Word draws before list paragraphs, counted as Word counts them: per list,
    per level, a level's count starting again when a level above it moves on."""

    def __init__(self, document):
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.abstract_of: dict[str, str] = {}
        self.counts: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        for abstract in root.iter(f"{_W}abstractNum"):
            abstract_id = abstract.get(f"{_W}abstractNumId")
            for level in abstract.iter(f"{_W}lvl"):
                self.formats[(abstract_id, int(level.get(f"{_W}ilvl", 0)))] = (
                    _docx_value(level, "numFmt", "decimal"),
                    _docx_value(level, "lvlText", "%1."),
                    int(_docx_value(level, "start", "1") or 1),
                )
        for num in root.iter(f"{_W}num"):
            abstract = num.find(f"{_W}abstractNumId")
            if abstract is not None:
                self.abstract_of[num.get(f"{_W}numId")] = abstract.get(f"{_W}val")

    def label(self, paragraph) -> str:
        found = _docx_num_pr(paragraph)
        if found is None:
            return ""
        num_id, level = found
        abstract_id = self.abstract_of.get(num_id)
        if abstract_id is None or (abstract_id, level) not in self.formats:
            return ""
        counts = self.counts.setdefault(num_id, {})
        counts[level] = counts.get(level, self.formats[(abstract_id, level)][2] - 1) + 1
        for deeper in [key for key in counts if key > level]:
            del counts[deeper]
        number_format, text, _start = self.formats[(abstract_id, level)]
        if number_format == "bullet":
            return "• "

        def value(match: re.Match) -> str:
            shown = int(match[1]) - 1
            fmt = self.formats.get((abstract_id, shown), ("decimal", "", 1))[0]
            return _docx_formatted(counts.get(shown, 1), fmt)

        return re.sub(r"%(\d)", value, text) + " "


def _docx_value(element, name: str, default: str) -> str:
    child = element.find(f"{_W}{name}")
    return default if child is None else child.get(f"{_W}val", default)


def _docx_num_pr(paragraph) -> tuple[str, int] | None:
    """(list id, level) of a list paragraph, from the paragraph or else its style."""
    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    for ppr in candidates:
        num_pr = None if ppr is None else ppr.numPr
        if num_pr is not None and num_pr.numId is not None:
            level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
            return str(num_pr.numId.val), int(level)
    return None


def _docx_formatted(number: int, number_format: str) -> str:
    if number_format in ("lowerLetter", "upperLetter"):
        letter = "abcdefghijklmnopqrstuvwxyz"[(number - 1) % 26] * ((number - 1) // 26 + 1)
        return letter if number_format == "lowerLetter" else letter.upper()
    if number_format in ("lowerRoman", "upperRoman"):
        roman = ""
        for numeral, amount in (("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1)):
            while number >= amount:
                roman += numeral
                number -= amount
        return roman if number_format == "lowerRoman" else roman.upper()
    return str(number)
