"""Issue 16's acceptance: variants of the seed report laid out as other reports are give the same
recommendations and good practices (same texts, objectives and kinds), or say precisely what
differs and make import_report fail."""

import io

import pytest
from django.core.management import CommandError, call_command

from gcm_tracker.tracker.importing.parser import report_parse, report_read
from gcm_tracker.tracker.models import Consultation

from . import variants
from .reports import seed_text

pytestmark = pytest.mark.django_db


def _rows(report) -> list[tuple[str, tuple[int, ...], str]]:
    return [(p.kind, p.objectives, " ".join(p.text.split())) for p in report.imported_paragraphs]


def _notes(report) -> list[tuple[str, str]]:
    return [(note.location, note.reason) for note in report.notes]


POSITIONAL = [("line 397", "Items without paragraph numbers: numbered by their position from 26.")]
RESTARTS = [
    (
        f"line {line}",
        f"The numbering starts again at 1: its paragraphs are numbered on from {first} (the "
        f"printed number plus {first - 1}).",
    )
    for line, first in [(333, 19), (441, 34), (506, 38), (650, 53), (858, 76), (997, 93)]
]
FOOTNOTE_12 = [
    (
        "line 630",
        "Footnote 12 was not found; footnote 13 was. The lines after the paragraph's last "
        "sentence, before it, were taken as the end of footnote 12:",
    )
]


@pytest.mark.parametrize(
    ("variant", "notes"),
    [
        (variants.bullets, POSITIONAL),
        (variants.lettered, POSITIONAL),
        (variants.headings_without_numerals, []),
        (variants.restarted_numbering, RESTARTS),
        (variants.running_headers, []),
        (variants.missing_footnote_lines, FOOTNOTE_12),
        (variants.one_line_per_paragraph, []),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_report_parse_finds_the_seeds_rows_in_a_variant_of_it(variant, notes):
    report = report_parse(text=variant())

    assert _rows(report) == _rows(report_parse(text=seed_text()))
    assert [p.key for p in report.imported_paragraphs] == [
        p.key for p in report_parse(text=seed_text()).imported_paragraphs
    ]
    assert report.possibly_lost == ()
    assert _notes(report) == notes


def test_report_parse_drops_a_running_header_without_page_breaks_and_keeps_its_symbol():
    report = report_parse(text=variants.running_headers())

    assert report.metadata.symbol == variants.SYMBOL
    assert report.dropped["page_furniture"] == 1 + 2 * len(variants.SEED_PAGE_FIRST_LINES)


def test_report_read_finds_the_seeds_rows_in_a_word_document():
    data = variants.docx(variants.one_line_per_paragraph())

    report = report_read(data=data, filename="report.docx")

    assert _rows(report) == _rows(report_parse(text=seed_text()))


def test_report_parse_finds_the_seeds_rows_in_one_long_line():
    # A report pasted from a web page: no line breaks at all.
    text = " ".join(variants.one_line_per_paragraph().split("\n"))

    report = report_parse(text=text)

    assert _rows(report) == _rows(report_parse(text=seed_text()))


def test_import_report_says_what_differs_in_a_variant_it_cannot_follow(reference_data, tmp_path):
    # Paragraph 30 misnumbered 130: too far from 30 to be taken for it.
    path = tmp_path / "broken.txt"
    path.write_text(seed_text().replace("\n30. The important role", "\n130. The important role"))
    out = io.StringIO()

    with pytest.raises(CommandError) as error:
        call_command("import_report", str(path), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[4:6] == [
        "  line 417: A numbered item that is not the next paragraph (30 was expected). “130. The "
        "important role that local authorities play in ensuring that migrants have access to "
        "legal identity documents should be promoted.”",
        "  line 421: Paragraph 30 was not found.",
    ]
    assert str(error.value) == (
        "2 passages that may be recommendations or good practices were not imported (listed "
        "above), so nothing was written. Correct the report, or run again with --allow-skips to "
        "import the rest."
    )
    assert Consultation.objects.count() == 0
