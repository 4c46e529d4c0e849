"""Reading report files: PDFs and text, and every kind of bad input, with its message."""

import io
import zipfile

import pytest
from pypdf import PdfWriter

from gcm_tracker.tracker.importing import word
from gcm_tracker.tracker.importing.extract import report_extract_text
from gcm_tracker.tracker.importing.parser import report_parse, report_read
from gcm_tracker.tracker.importing.report import ReportError

from .reports import make_pdf, pdf_safe, seed_pdf, seed_text
from .variants import docx

MINI_REPORT = ["ii. Recommendations on Objective 1", "1. Something should be done."]


def _summary(report) -> list[tuple]:
    return [(p.number, p.kind, p.objectives, p.text) for p in report.paragraphs]


def _encrypted(pdf: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_report_read_gives_the_same_paragraphs_for_the_pdf_as_for_the_text():
    from_pdf = report_read(data=seed_pdf(), filename="border-governance-2020.pdf")
    from_text = report_parse(text=pdf_safe(seed_text()))

    assert _summary(from_pdf) == _summary(from_text)
    assert from_pdf.metadata == from_text.metadata
    assert [(u.page, u.reason, u.text) for u in from_pdf.unplaced] == [
        (15, "Text after paragraph 99 that does not continue it.", from_text.unplaced[0].text)
    ]


def test_report_read_drops_the_pdfs_running_header_and_page_numbers():
    report = report_read(data=seed_pdf(), filename="border-governance-2020.pdf")

    # 16 headers, 16 page numbers and the closing rule.
    assert report.dropped["page_furniture"] == 33
    assert [p for p in report.paragraphs if "Summary report" in p.text or "Page " in p.text] == []


def test_report_extract_text_separates_pdf_pages_with_form_feeds():
    pdf = make_pdf([["First page"], ["Second page"]])

    assert report_extract_text(data=pdf, filename="r.pdf") == "First page\fSecond page"


def test_report_extract_text_opens_a_pdf_encrypted_without_a_user_password():
    pdf = _encrypted(make_pdf([MINI_REPORT]), user_password="")

    assert report_extract_text(data=pdf, filename="r.pdf") == "\n".join(MINI_REPORT)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("ii. Recommendations – Objective 1\n1. Migrants’ rights.".encode(), "utf-8"),
        ("ii. Recommendations – Objective 1\n1. Migrants’ rights.".encode("utf-8-sig"), "bom"),
        ("ii. Recommendations – Objective 1\n1. Migrants’ rights.".encode("cp1252"), "cp1252"),
        ("ii. Recommendations – Objective 1\n1. Migrants’ rights.".encode("utf-16"), "utf-16"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_report_extract_text_decodes_text_files(data, encoding):
    assert report_extract_text(data=data, filename="r.txt") == (
        "ii. Recommendations – Objective 1\n1. Migrants’ rights."
    )


def _bad_inputs():
    mini = make_pdf([MINI_REPORT])
    return [
        ("empty.txt", b"", "“empty.txt” is empty."),
        ("empty.pdf", b"", "“empty.pdf” is empty."),
        (
            "report.doc",
            b"\xd0\xcf\x11\xe0",
            "“report.doc” is not a file type that can be imported. Save the report as a PDF, a "
            "Word document or a plain-text file (.docx, .pdf, .text, .txt).",
        ),
        (
            "report",
            b"text",
            "“report” is not a file type that can be imported. Save the report as a PDF, a Word "
            "document or a plain-text file (.docx, .pdf, .text, .txt).",
        ),
        (
            "report.docx",
            b"PK\x03\x04",
            "“report.docx” is not a Word document that can be read. Save it again as .docx and "
            "retry.",
        ),
        (
            "empty.docx",
            docx(""),
            "“empty.docx” contains no text. If it is a scanned PDF, run text recognition (OCR) "
            "on it first.",
        ),
        (
            "report.pdf",
            b"1. Plain text.\n",
            "“report.pdf” is named as a PDF but its content is not a PDF.",
        ),
        ("report.txt", mini, "“report.txt” is named as a text file but is a PDF: name it .pdf."),
        (
            "image.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "“image.txt” is named as a text file but its content is not text.",
        ),
        (
            "cut.pdf",
            mini[: len(mini) // 2],
            "“cut.pdf” is a damaged PDF that cannot be read. Save or export it again and retry.",
        ),
        (
            "garbage.pdf",
            b"%PDF-1.7\n" + b"\x00garbage" * 100,
            "“garbage.pdf” is a damaged PDF that cannot be read. Save or export it again and "
            "retry.",
        ),
        (
            "locked.pdf",
            _encrypted(mini, user_password="secret"),
            "“locked.pdf” is protected by a password. Save an unprotected copy and import that.",
        ),
        (
            "scan.pdf",
            make_pdf([[]]),
            "“scan.pdf” contains no text. If it is a scanned PDF, run text recognition (OCR) on "
            "it first.",
        ),
        (
            "blank.txt",
            b" \n\n\t\n",
            "“blank.txt” contains no text. If it is a scanned PDF, run text recognition (OCR) on "
            "it first.",
        ),
    ]


@pytest.mark.parametrize(
    ("filename", "data", "message"), _bad_inputs(), ids=[case[0] for case in _bad_inputs()]
)
def test_report_extract_text_refuses_bad_input_with_a_clear_message(filename, data, message):
    with pytest.raises(ReportError) as error:
        report_extract_text(data=data, filename=filename)

    assert str(error.value) == message


def test_report_extract_text_refuses_a_file_over_the_size_limit(settings):
    settings.REPORT_IMPORT_MAX_BYTES = 1000

    with pytest.raises(ReportError) as error:
        report_extract_text(data=b"x" * 2000, filename="big.txt")

    assert str(error.value) == (
        "“big.txt” is 2.0\xa0KB; reports up to 1000\xa0bytes can be imported."
    )


def test_report_extract_text_refuses_a_word_file_that_would_unpack_too_large(monkeypatch):
    monkeypatch.setattr(word, "MAX_DOCX_UNPACKED_BYTES", 10_000)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 10_001)

    with pytest.raises(ReportError) as error:
        report_extract_text(data=out.getvalue(), filename="bomb.docx")

    assert str(error.value) == (
        "“bomb.docx” is not a Word document that can be read. Save it again as .docx and retry."
    )


def test_report_extract_text_writes_out_the_numbers_and_bullets_of_word_lists():
    from docx import Document

    document = Document()
    document.add_paragraph("iv. Recommendations on Objective 13")
    document.add_paragraph("Governments should end child detention.", style="List Number")
    document.add_paragraph("States should review their laws.", style="List Number")
    document.add_paragraph("in every region;", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Annex"
    table.cell(0, 1).text = "Programme"
    out = io.BytesIO()
    document.save(out)

    text = report_extract_text(data=out.getvalue(), filename="report.docx")

    assert text.split("\n") == [
        "iv. Recommendations on Objective 13",
        "1. Governments should end child detention.",
        "2. States should review their laws.",
        "• in every region;",
        "Annex",
        "Programme",
    ]
