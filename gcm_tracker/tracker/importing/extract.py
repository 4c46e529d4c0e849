"""The bytes of a report file → its text, refusing anything that is not what its name says.

PDFs are read with pypdf, page by page, and their pages joined with form feeds ("\f") so the
parser knows where pages end (footnotes and running headers live at page edges). Word files
(.docx) are read with python-docx, one line per paragraph, with the numbers and bullets Word
draws for its lists written out ("26. ", "(a) ", "• "); their footnotes, headers and footers are
kept apart by Word, so they are not in the text.
"""

import io
import re
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .report import ReportError

PAGE_BREAK = "\f"

# A summary report is a few hundred kilobytes; ten megabytes leaves room for embedded images.
# settings.REPORT_IMPORT_MAX_BYTES, if set, takes precedence.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Bounds on the work one file can cause: pypdf's time grows with pages, the parser's with text.
MAX_PDF_PAGES = 500
MAX_TEXT_CHARS = 2_000_000

# A Word file is a zip: its parts, unpacked, may not exceed this (a "zip bomb" would).
MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024

PDF_SUFFIXES = {".pdf"}
TEXT_SUFFIXES = {".txt", ".text"}
DOCX_SUFFIXES = {".docx"}
SUPPORTED_SUFFIXES = ", ".join(sorted(PDF_SUFFIXES | TEXT_SUFFIXES | DOCX_SUFFIXES))

# Control characters other than tab, newline, vertical tab, form feed and carriage return do not
# occur in text files; finding one means the bytes are something else.
_BINARY_CONTROLS = {chr(c) for c in range(32) if chr(c) not in "\t\n\v\f\r"} | {"\x7f"}


def report_max_bytes() -> int:
    return getattr(settings, "REPORT_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def report_check_size(*, size: int, filename: str) -> None:
    """Refuse an empty file or one over the size limit, before anyone reads it."""
    if size == 0:
        raise ReportError(_("“%(name)s” is empty.") % {"name": filename})
    limit = report_max_bytes()
    if size > limit:
        raise ReportError(
            _("“%(name)s” is %(size)s; reports up to %(limit)s can be imported.")
            % {"name": filename, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


def report_extract_text(*, data: bytes, filename: str) -> str:
    """The text of a report file; the type is taken from the name and checked against the bytes.

    Raises ReportError for an unsupported name, an empty or oversized file, bytes that are not
    what the name says, an encrypted or damaged PDF, or a file without text.
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix not in PDF_SUFFIXES | TEXT_SUFFIXES | DOCX_SUFFIXES:
        raise ReportError(
            _(
                "“%(name)s” is not a file type that can be imported. Save the report as a PDF, "
                "a Word document or a plain-text file (%(suffixes)s)."
            )
            % {"name": filename, "suffixes": SUPPORTED_SUFFIXES}
        )
    report_check_size(size=len(data), filename=filename)
    is_pdf = _looks_like_pdf(data)
    if suffix in DOCX_SUFFIXES:
        text = _docx_text(data, filename)
    elif suffix in PDF_SUFFIXES:
        if not is_pdf:
            raise ReportError(
                _("“%(name)s” is named as a PDF but its content is not a PDF.") % {"name": filename}
            )
        text = _pdf_text(data, filename)
    else:
        if is_pdf:
            raise ReportError(
                _("“%(name)s” is named as a text file but is a PDF: name it .pdf.")
                % {"name": filename}
            )
        text = _decoded_text(data, filename)
    if len(text) > MAX_TEXT_CHARS:
        raise ReportError(
            _("“%(name)s” holds more than %(limit)s characters of text: too long for a report.")
            % {"name": filename, "limit": f"{MAX_TEXT_CHARS:,}"}
        )
    if not text.strip():
        raise ReportError(
            _(
                "“%(name)s” contains no text. If it is a scanned PDF, run text recognition (OCR) "
                "on it first."
            )
            % {"name": filename}
        )
    return text


def _looks_like_pdf(data: bytes) -> bool:
    # The PDF header may follow a little junk; readers accept it within the first kilobyte.
    return b"%PDF-" in data[:1024]


def _pdf_text(data: bytes, filename: str) -> str:
    # pypdf is imported here so that importing this module stays cheap.
    from pypdf import PdfReader

    damaged = ReportError(
        _("“%(name)s” is a damaged PDF that cannot be read. Save or export it again and retry.")
        % {"name": filename}
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _decrypts_without_password(reader):
            raise ReportError(
                _(
                    "“%(name)s” is protected by a password. Save an unprotected copy and import "
                    "that."
                )
                % {"name": filename}
            )
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ReportError(
                _("“%(name)s” has more than %(limit)d pages: too long for a report.")
                % {"name": filename, "limit": MAX_PDF_PAGES}
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReportError:
        raise
    # pypdf raises many exception types on malformed input (its own, and ValueError, KeyError,
    # TypeError, RecursionError, zlib.error...): each means the file cannot be read.
    except Exception as error:
        raise damaged from error
    return PAGE_BREAK.join(pages)


def _decrypts_without_password(reader) -> bool:
    # Many published PDFs are encrypted with an empty user password, only to restrict printing
    # or copying; those open without a password and are imported like any other.
    try:
        return bool(reader.decrypt(""))
    except Exception:
        return False


def _decoded_text(data: bytes, filename: str) -> str:
    not_text = ReportError(
        _("“%(name)s” is named as a text file but its content is not text.") % {"name": filename}
    )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        # Text exported on Windows is often in its code page rather than UTF-8.
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _BINARY_CONTROLS.isdisjoint(text):
            return text
        raise not_text
    raise not_text


def _docx_text(data: bytes, filename: str) -> str:
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
