"""report_parse() on the seed report and on small reports made to show one behaviour each."""

import datetime
import time

import pytest

from gcm_tracker.tracker.enums import MeetingFormat
from gcm_tracker.tracker.importing.parser import report_parse
from gcm_tracker.tracker.importing.report import (
    ParagraphKind,
    ReportError,
    ReportMetadata,
    Unplaced,
)

from .reports import fixture_paragraphs, seed_text

REC = ParagraphKind.RECOMMENDATION
GOOD = ParagraphKind.GOOD_PRACTICE


def _paragraphs(text: str) -> dict[int, tuple[str, tuple[int, ...], str]]:
    return {p.number: (p.kind, p.objectives, p.text) for p in report_parse(text=text).paragraphs}


def test_report_parse_finds_exactly_the_fixtures_recommendations_and_good_practices():
    report = report_parse(text=seed_text())

    assert {p.number: (p.kind, p.objectives) for p in report.imported_paragraphs} == {
        number: (kind, objectives) for number, (kind, objectives, _) in fixture_paragraphs().items()
    }


def test_report_parse_gives_the_fixtures_texts():
    report = report_parse(text=seed_text())

    assert {p.number: p.text for p in report.imported_paragraphs} == {
        number: text for number, (_, _, text) in fixture_paragraphs().items()
    }


def test_report_parse_links_the_good_practices_of_a_two_objective_section_to_both():
    report = report_parse(text=seed_text())

    assert {p.number: p.objectives for p in report.paragraphs if p.number in range(79, 93)} == {
        **dict.fromkeys(range(79, 84), (11, 13)),
        **dict.fromkeys(range(84, 87), (11,)),
        **dict.fromkeys(range(87, 93), (13,)),
    }


def test_report_parse_numbers_every_paragraph_of_the_seed_report_in_sequence():
    report = report_parse(text=seed_text())

    assert [p.number for p in report.paragraphs] == list(range(1, 100))
    assert {kind: report.count(kind) for kind in ParagraphKind.values} == {
        "recommendation": 37,
        "good_practice": 16,
        "challenge": 14,
        "covid_challenge": 7,
        "conclusion": 0,
        "other": 25,
    }


def test_report_parse_reports_the_programme_annex_as_unplaced():
    report = report_parse(text=seed_text())

    assert [(u.line, u.reason) for u in report.unplaced] == [
        (1101, "Text after paragraph 99 that does not continue it.")
    ]
    assert report.unplaced[0].text.startswith("Tentative Programme Time Details 10:45")


def test_report_parse_counts_what_it_leaves_out_of_the_seed_report():
    report = report_parse(text=seed_text())

    # The marker of footnote 22 ("Round 122") is glued to a digit and stays, in the annex.
    assert report.dropped == {
        "footnotes": 22,
        "footnote_markers": 21,
        "repeated_links": 20,
        "list_items": 7,
        "page_furniture": 1,
    }


def test_report_parse_drops_the_objective_list_of_paragraph_6():
    paragraphs = _paragraphs(seed_text())

    assert paragraphs[6][2] == (
        "The second consultation was held on 19 November 2020 and focused on the following "
        "seven GCM objectives:"
    )
    assert paragraphs[7][2].startswith("The purpose of the stakeholder consultation")


def test_report_parse_keeps_footnotes_and_links_out_of_paragraphs():
    report = report_parse(text=seed_text())

    leaks = [
        p.number
        for p in report.paragraphs
        if "http" in p.text or "Status of Nepali" in p.text or "At:" in p.text
    ]
    assert leaks == []
    # Paragraphs interrupted by a page's footnotes go on after them.
    paragraphs = _paragraphs(seed_text())
    assert "as “othering” was harmful." in paragraphs[13][2]
    assert "ensure that their migration was safe and dignified." in paragraphs[95][2]
    assert "restrictive policies on women migrants" in paragraphs[59][2]


def test_report_parse_removes_footnote_markers_but_keeps_other_numbers():
    paragraphs = _paragraphs(seed_text())

    assert paragraphs[1][2].startswith("In accordance with General Assembly resolution 73/195, the")
    assert "Development Goal target 16.9 on legal identity, countries" in paragraphs[26][2]
    assert "consultation. Participants came" in paragraphs[9][2]
    assert "Ms. Eve Lester pointed out" in paragraphs[93][2]
    assert paragraphs[82][2].endswith("was signed in 2019.")


def test_report_parse_reads_the_title_page():
    report = report_parse(text=seed_text())

    assert report.metadata == ReportMetadata(
        title=(
            "Protecting migrants through rights-based border governance and border management "
            "measures"
        ),
        report_title=(
            "Stakeholder Consultations to inform the Asia-Pacific Regional Review of "
            "Implementation of the Global Compact for Safe, Orderly and Regular Migration"
        ),
        date=datetime.date(2020, 11, 19),
        format=MeetingFormat.VIRTUAL,
        objectives=(4, 8, 9, 10, 11, 13, 21),
    )


def test_report_parse_names_the_section_of_each_paragraph():
    paragraphs = {p.number: p for p in report_parse(text=seed_text()).paragraphs}

    assert paragraphs[26].section == (
        "B. GCM Objective 4: Ensure that all migrants have proof of legal identity and a… › "
        "iv. Recommendations"
    )
    assert paragraphs[87].section.endswith("iii. Recommendations › Objective 13")
    assert (paragraphs[26].line, paragraphs[26].page, paragraphs[26].location) == (
        397,
        None,
        "line 397",
    )


TWO_OBJECTIVES = """\
Consultation on pathways
3 March 2021 - Hybrid

I. Outcomes

A. GCM Objective 2: Minimize the adverse drivers GCM Objective 5: Enhance
availability of regular pathways

i. Good practices

1. Country A opened a pathway.

ii. Recommendations

Objective 2: Minimize the adverse drivers

2. States should address drivers.

Objective 5: Enhance availability and flexibility of pathways for regular
migration

3. States should open pathways.
4. States should review visas.
"""


def test_report_parse_splits_a_two_objective_section_by_its_objective_labels():
    report = report_parse(text=TWO_OBJECTIVES)

    assert _paragraphs(TWO_OBJECTIVES) == {
        1: (GOOD, (2, 5), "Country A opened a pathway."),
        2: (REC, (2,), "States should address drivers."),
        3: (REC, (5,), "States should open pathways."),
        4: (REC, (5,), "States should review visas."),
    }
    assert (report.metadata.date, report.metadata.format, report.metadata.title) == (
        datetime.date(2021, 3, 3),
        MeetingFormat.HYBRID,
        "Consultation on pathways",
    )


def test_report_parse_takes_a_kind_from_a_part_heading_and_objectives_from_sections():
    text = "I. Recommendations\n\nA. Objective 7\n\n1. Reduce vulnerabilities.\n"

    assert _paragraphs(text) == {1: (REC, (7,), "Reduce vulnerabilities.")}


def test_report_parse_joins_wrapped_lines_and_words_split_at_hyphens():
    text = (
        "i. Recommendations on Objective 3\n"
        "1. Staff should be trained in gender-responsive and child-\n\n"
        "sensitive approaches, at sub- regional level, gender- and age-\n"
        "appropriate, with Help- Hilfe zur Selbsthilfe.\n"
    )

    assert _paragraphs(text)[1][2] == (
        "Staff should be trained in gender-responsive and child-sensitive approaches, at "
        "sub-regional level, gender- and age-appropriate, with Help- Hilfe zur Selbsthilfe."
    )


def _pages(*pages: str) -> str:
    return "\f".join(pages)


def test_report_parse_drops_running_headers_page_numbers_and_page_footnotes():
    header = "ESCAP summary report"
    text = _pages(
        f"{header}\nii. Recommendations on Objective 6\n1. Employers should pay fair wages "
        "under the Kafala\nsystem1 and\n\n1 A footnote on the system.\n"
        "https://example.org/k\n- 1 -",
        f"{header}\nrecruit ethically.\n2. Second.\n- 2 -",
        f"{header}\n3. Third.\nPage 3 of 4",
        f"{header}\n4. Fourth.\nPage 4 of 4",
    )

    report = report_parse(text=text)

    assert {p.number: (p.text, p.page) for p in report.paragraphs} == {
        1: ("Employers should pay fair wages under the Kafala system and recruit ethically.", 1),
        2: ("Second.", 2),
        3: ("Third.", 3),
        4: ("Fourth.", 4),
    }
    assert report.dropped == {"page_furniture": 8, "footnotes": 1, "footnote_markers": 1}
    assert report.unplaced == ()


def test_report_parse_reports_a_recommendation_without_an_objective():
    text = "ii. Recommendations\n\n1. Something should be done.\n"

    report = report_parse(text=text)

    assert report.paragraphs[0].objectives == ()
    assert report.unplaced == (
        Unplaced(
            line=3,
            text="Something should be done.",
            reason=(
                "Paragraph 1 is a recommendation, but no heading above it names a GCM objective."
            ),
            kind=REC,
            paragraph="1",
        ),
    )


def test_report_parse_reports_gaps_in_the_numbering():
    text = "ii. Recommendations on Objective 1\n\n1. One.\n2. Two.\n4. Four.\n9. Nine.\n"

    report = report_parse(text=text)

    # 9 is more than three numbers on from 5: a list item, not a paragraph.
    assert [p.number for p in report.paragraphs] == [1, 2, 4]
    assert [(u.line, u.reason, u.text) for u in report.unplaced] == [
        (5, "Paragraph 3 was not found.", ""),
        (6, "A numbered item that is not the next paragraph (5 was expected).", "9. Nine."),
    ]


def test_report_parse_reports_text_under_a_heading_outside_any_paragraph():
    text = (
        "ii. Recommendations on Objective 1\n"
        "Participants made the following recommendations.\n"
        "1. One.\n"
    )

    report = report_parse(text=text)

    assert [(u.line, u.reason, u.text) for u in report.unplaced] == [
        (
            2,
            "Text under a heading that is in no numbered paragraph.",
            "Participants made the following recommendations.",
        )
    ]
    assert _paragraphs(text) == {1: (REC, (1,), "One.")}


def test_report_parse_does_not_take_a_date_for_a_footnote():
    text = "1 December 2020\n\nii. Recommendations on Objective 1\n1. One.\n"

    report = report_parse(text=text)

    assert (report.metadata.date, report.dropped) == (datetime.date(2020, 12, 1), {})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "",
            "No numbered paragraphs (“1. …”, “2. …”) were found, so this does not look like a "
            "consultation summary report.",
        ),
        (
            "Minutes of the meeting\n\nWe met and talked.\n",
            "No numbered paragraphs (“1. …”, “2. …”) were found, so this does not look like a "
            "consultation summary report.",
        ),
        (
            "I. Background\n\n1. A meeting was held.\n2. It ended.\n",
            "2 numbered paragraphs were found, but none under a heading of recommendations or "
            "good practices (such as “iv. Recommendations”), so there is nothing to import.",
        ),
    ],
    ids=["empty", "no-paragraphs", "no-recommendations"],
)
def test_report_parse_refuses_text_without_report_structure(text, message):
    with pytest.raises(ReportError) as error:
        report_parse(text=text)

    assert str(error.value) == message


def test_report_parse_takes_linear_time_on_two_megabytes_of_numbered_lines():
    # Issue 14 item 19: this kept the parser busy for 40 s (joining a passage's lines and looking
    # back for footnote markers were quadratic); it takes about 5 s on a loaded machine now, and
    # the bound leaves room for a loaded one.
    text = "1. a\n" * 400_000
    started = time.perf_counter()

    report = report_parse(text=text)

    assert time.perf_counter() - started < 30
    # Without headings, the paragraphs are taken as recommendations; the rest is listed.
    assert [(p.number, p.text) for p in report.paragraphs] == [(1, "a")]
    assert [(u.line, u.reason, u.may_be_lost) for u in report.unplaced] == [
        (
            1,
            "Paragraph 1 is a recommendation, but no heading above it names a GCM objective.",
            False,
        ),
        (2, "A numbered item that is not the next paragraph (2 was expected).", True),
    ]
