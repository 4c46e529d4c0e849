"""Whatever text or bytes it is given, reading a report fails only with ReportError; and in a
document built from the shapes reports take, nothing is lost silently."""

import functools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gcm_tracker.tracker.importing.parser import report_parse, report_read
from gcm_tracker.tracker.importing.report import ParsedReport, ReportError

from .reports import make_pdf, seed_text
from .variants import docx

# Bounded so the file runs in a few seconds on CI's two cores; no example database, so the
# checkout gains no .hypothesis directory.
BOUNDED = settings(max_examples=200, deadline=None, database=None)

# Lines that steer the parser into each of its states, mixed with arbitrary ones.
STRUCTURAL_LINES = [
    "",
    " ",
    "\f",
    "I. Background",
    "IV.  Outcomes of the consultation",
    "B. GCM Objective 4: Ensure that all migrants have proof",
    "F. GCM Objective 11 Manage borders GCM Objective 13: Use detention",
    "i. Key Challenges",
    "iii. Good practices",
    "iv. Recommendations",
    "Objective 11:  Manage borders",
    "1. First paragraph.",
    "2. Second paragraph ends here.",
    "4. Ensure that all migrants",
    "12 Status of Nepali Migrant Workers",
    "11SDG 16.9: By 2030",
    "https://www.un.org/en/A_RE",
    "mailto:someone@example.org",
    "Kafala system10 in some countries",
    "consultation. 4 5 Participants",
    "child-",
    "sensitive and sub- regional",
    "- 3 -",
    "________________________",
    "19 November 2020, 11:00-14:30 hrs. - Virtual",
]


def _lines():
    return st.lists(
        st.one_of(
            st.sampled_from(STRUCTURAL_LINES),
            st.sampled_from(seed_text().split("\n")),
            st.text(max_size=60),
        ),
        max_size=60,
    ).map("\n".join)


def _parses_or_refuses(**kwargs) -> None:
    try:
        outcome = report_read(**kwargs) if "data" in kwargs else report_parse(**kwargs)
    except ReportError as error:
        outcome = error
    # Either a refusal that says why, or a report with something to import.
    if isinstance(outcome, ReportError):
        assert str(outcome)
    else:
        assert isinstance(outcome, ParsedReport)
        assert outcome.imported_paragraphs


@BOUNDED
@given(st.text())
def test_report_parse_raises_only_report_error_on_any_text(text):
    _parses_or_refuses(text=text)


@BOUNDED
@given(_lines())
def test_report_parse_raises_only_report_error_on_report_like_text(text):
    _parses_or_refuses(text=text)


@BOUNDED
@given(st.binary(max_size=2048), st.sampled_from(["r.pdf", "r.txt", "r.docx", "r"]))
def test_report_read_raises_only_report_error_on_any_bytes(data, filename):
    _parses_or_refuses(data=data, filename=filename)


@functools.cache
def _small_pdf() -> bytes:
    return make_pdf(
        [["I. Outcomes", "A. GCM Objective 1: Data", "ii. Recommendations"], ["1. Collect data."]]
    )


def _damaged(data, original: bytes, *, shortest: int) -> bytes:
    """`original` with a few bytes changed and maybe its end cut off."""
    damaged = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(damaged) - 1))
        damaged[position] = data.draw(st.integers(0, 255))
    return bytes(damaged[: data.draw(st.integers(shortest, len(damaged)))])


@BOUNDED
@given(st.data())
def test_report_read_raises_only_report_error_on_a_damaged_pdf(data):
    _parses_or_refuses(data=_damaged(data, _small_pdf(), shortest=9), filename="r.pdf")


@functools.cache
def _small_docx() -> bytes:
    return docx("ii. Recommendations on Objective 1\n1. Collect data.")


@BOUNDED
@given(st.data())
def test_report_read_raises_only_report_error_on_a_damaged_word_file(data):
    _parses_or_refuses(data=_damaged(data, _small_docx(), shortest=1), filename="r.docx")


# Documents built from the shapes of issue 16: sections under numbered or unnumbered headings,
# of kinds that are imported or not, with numbered paragraphs (numbering going on or starting
# again), bulleted and lettered items, and items written inline. Each item carries a token of
# its own ("zq-7": glued to its number it would read as a footnote marker), so that where its
# text went can be checked.
KINDS = {
    "Recommendations": True,
    "Good practices": True,
    "Conclusions": False,
    "Key challenges": False,
    "Background": False,
}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


@st.composite
def _documents(draw):
    lines = ["Consultation on migration", "1 March 2021, virtual meeting", ""]
    tokens: list[tuple[str, bool]] = []  # (token, in a section whose kind is imported)
    number = 0
    sections = draw(
        st.lists(
            st.tuples(
                st.sampled_from(list(KINDS)),
                st.booleans(),  # numbered heading
                st.sampled_from([None, 4, 7, 13]),  # objective named in the heading
                st.booleans(),  # numbering starts again at 1
                st.lists(
                    st.sampled_from(["numbered", "bullet", "lettered", "inline"]),
                    min_size=1,
                    max_size=4,
                ),
            ),
            min_size=1,
            max_size=5,
        )
    )
    for position, (kind, numbered, objective, restart, items) in enumerate(sections):
        heading = kind + (f" on Objective {objective}" if objective else "")
        lines += ["", f"{ROMAN[position]}. {heading}" if numbered else heading, ""]
        offset = number if restart and items[0] in ("numbered", "inline") else 0
        previous, run = None, 0
        for item in items:
            token = f"zq-{len(tokens)}"
            tokens.append((token, KINDS[kind]))
            if item in ("numbered", "inline"):
                number += 1
                run = 0
                if item == "numbered":
                    lines.append(f"{number - offset}. Item {token} should be done.")
                else:
                    second = f"zq-{len(tokens)}"
                    tokens.append((second, KINDS[kind]))
                    lines.append(
                        f"{number - offset}. States should: (a) act on {token}; "
                        f"(b) act on {second}."
                    )
            else:
                positional = previous is None or (previous in ("bullet", "lettered") and run == 0)
                run = 0 if positional else run + 1
                if positional and KINDS[kind]:  # items are numbered only where they are imported
                    number += 1
                letter = "abcdefghijklmnopqrstuvwxyz"[run]
                marker = "•" if item == "bullet" else f"({letter})"
                lines.append(f"{marker} Item {token} should be done.")
            previous = item
    return "\n".join(lines), tokens


@settings(max_examples=120, deadline=None, database=None)
@given(_documents())
def test_report_parse_loses_nothing_silently(document):
    text, tokens = document
    try:
        report = report_parse(text=text)
    except ReportError as error:
        report = error
    if isinstance(report, ReportError):
        # Refused as a whole: the refusal quotes what stood under recommendations.
        refusal = str(report)
        for token, in_imported_kind in tokens:
            assert not in_imported_kind or re.search(rf"\b{token}\b", refusal), (token, text)
        return

    imported = " ".join(p.text for p in report.imported_paragraphs)
    listed = " ".join(u.text for u in report.unplaced)
    for token, in_imported_kind in tokens:
        word = rf"\b{token}\b"
        if in_imported_kind:
            # Imported, or listed with why it was not.
            assert re.search(word, imported) or re.search(word, listed), (token, text)
        else:
            assert not re.search(word, imported), (token, text)
