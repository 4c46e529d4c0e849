"""Whatever text or bytes it is given, reading a report fails only with ReportError."""

import functools

from hypothesis import given, settings
from hypothesis import strategies as st

from gcm_tracker.tracker.importing.parser import report_parse, report_read
from gcm_tracker.tracker.importing.report import ParsedReport, ReportError

from .reports import make_pdf, seed_text

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


@BOUNDED
@given(st.data())
def test_report_read_raises_only_report_error_on_a_damaged_pdf(data):
    pdf = bytearray(_small_pdf())
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(pdf) - 1))
        pdf[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(9, len(pdf)))

    _parses_or_refuses(data=bytes(pdf[:cut]), filename="r.pdf")
