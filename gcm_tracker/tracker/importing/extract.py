"""The bytes of a report file → its text, refusing anything that is not what its name says.

PDFs are read with pypdf, page by page, and their pages joined with form feeds ("\f") so the
parser knows where pages end (footnotes and running headers live at page edges). Word files
(.docx) are read with python-docx, one line per paragraph, with the numbers and bullets Word
draws for its lists written out ("26. ", "(a) ", "• "); their footnotes, headers and footers are
kept apart by Word, so they are not in the text.
"""

import io
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .report import ReportError
from .word import docx_text

PAGE_BREAK = "\f"

# A summary report is a few hundred kilobytes; ten megabytes leaves room for embedded images.
# settings.REPORT_IMPORT_MAX_BYTES, if set, takes precedence.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Bounds on the work one file can cause: pypdf's time grows with pages, the parser's with text.
MAX_PDF_PAGES = 500
MAX_TEXT_CHARS = 2_000_000

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
        text = docx_text(data, filename)
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
