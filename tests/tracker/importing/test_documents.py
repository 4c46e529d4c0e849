"""Issue 16's acceptance: reports written in the shapes that real reports take (documents.py) —
every recommendation found, conclusions and context never imported as recommendations."""

import pytest

from gcm_tracker.tracker.importing.parser import report_parse
from gcm_tracker.tracker.importing.report import ParagraphKind
from gcm_tracker.tracker.importing.services import report_import
from gcm_tracker.tracker.models import Recommendation
from tests.factories import ConsultationFactory

from .documents import CONCLUSIONS_FIRST, CONCLUSIONS_WITH_ITEMS, NUMBERED_ONLY, SPECIAL_RAPPORTEUR

pytestmark = pytest.mark.django_db

REC = ParagraphKind.RECOMMENDATION


def _found(text: str) -> list[tuple[str, str, tuple[int, ...], str]]:
    return [(p.key, p.kind, p.objectives, p.text) for p in report_parse(text=text).paragraphs]


def test_report_parse_finds_a_special_rapporteurs_lettered_recommendations():
    report = report_parse(text=SPECIAL_RAPPORTEUR)

    assert [(p.key, p.kind) for p in report.paragraphs] == [
        ("1", "other"),
        ("2", "other"),
        ("3", "other"),
        ("4", "conclusion"),
        ("5", "conclusion"),
        ("6(a)", REC),
        ("6(b)", REC),
        ("6(c)", REC),
        ("7(a)", REC),
        ("7(b)", REC),
        ("7(c)", REC),
    ]
    assert [(p.key, p.text) for p in report.imported_paragraphs][:2] == [
        (
            "6(a)",
            "States are urged to: Establish in domestic law a prohibition of pushbacks at "
            "every border;",
        ),
        (
            "6(b)",
            "States are urged to: Release all children from immigration detention and end "
            "detention of families;",
        ),
    ]
    assert report.imported_paragraphs[3].text == (
        "The Special Rapporteur recommends that States: Set up independent border monitoring "
        "mechanisms with access to all border areas;"
    )
    assert report.metadata.symbol == "A/HRC/50/31"
    assert report.possibly_lost == ()


def test_report_parse_suggests_objectives_with_scores_where_no_heading_names_them():
    report = report_parse(text=SPECIAL_RAPPORTEUR)

    assert [(p.key, p.objectives, p.suggested) for p in report.imported_paragraphs] == [
        ("6(a)", (11,), ((11, 1.0),)),
        ("6(b)", (13,), ((13, 1.0),)),
        ("6(c)", (4,), ((4, 1.0),)),
        ("7(a)", (11,), ((11, 1.0),)),
        ("7(b)", (9,), ((9, 1.0),)),
        ("7(c)", (8,), ((8, 1.0),)),
    ]


def test_report_parse_takes_numbered_paragraphs_without_any_heading_as_recommendations():
    report = report_parse(text=NUMBERED_ONLY)

    assert [(p.key, p.kind, p.objectives) for p in report.paragraphs] == [
        ("1", REC, (6,)),
        ("2", REC, (13,)),
        ("3", REC, (20,)),
        ("4", REC, (15,)),
    ]
    assert [(n.location, n.reason) for n in report.notes] == [
        ("line 4", "No heading says what the paragraphs are: all are taken as recommendations.")
    ]
    assert report.possibly_lost == ()


def test_report_parse_leaves_out_conclusions_that_come_before_the_recommendations():
    report = report_parse(text=CONCLUSIONS_FIRST)

    assert _found(CONCLUSIONS_FIRST) == [
        ("1", "other", (), "The consultation brought together 40 participants from 12 countries."),
        (
            "2",
            "conclusion",
            (),
            "Participants concluded that climate change was a growing driver of displacement.",
        ),
        (
            "3",
            "conclusion",
            (),
            "They observed that data on migration in the Pacific remained scarce.",
        ),
        (
            "4",
            REC,
            (2,),
            "Governments should integrate climate mobility in national adaptation plans.",
        ),
        (
            "4(a)",
            REC,
            (2,),
            "Regional organizations should support planned relocation with communities' consent.",
        ),
        ("4(b)", REC, (2,), "Donors should fund community-led adaptation."),
        ("5", REC, (2,), "Research on climate-related displacement should be funded and shared."),
    ]
    assert [p.not_imported_reason for p in report.paragraphs[:3]] == [
        "context: under no heading of recommendations or good practices",
        "a conclusion, not a recommendation",
        "a conclusion, not a recommendation",
    ]


def test_report_parse_lists_each_item_of_the_conclusions_it_leaves_out(reference_data):
    report = report_parse(text=CONCLUSIONS_WITH_ITEMS)

    conclusion = "a conclusion, not a recommendation"
    assert [
        (item.name, item.kind, item.location, item.section, item.reason, item.text)
        for item in report.left_out
    ] == [
        ("1", "other", "line 6", "I. Background",
         "context: under no heading of recommendations or good practices",
         "The consultation brought together 40 participants from 12 countries."),
        ("2", "conclusion", "line 10", "Conclusions", conclusion,
         "Participants concluded that climate change was a growing driver of displacement in:"),
        ("2(a)", "conclusion", "line 10", "Conclusions", conclusion, "low-lying atolls;"),
        ("2(b)", "conclusion", "line 10", "Conclusions", conclusion, "coastal cities."),
        ("3", "conclusion", "line 13", "Conclusions", conclusion, "They observed that:"),
        ("3(a)", "conclusion", "line 13", "Conclusions", conclusion,
         "data on migration in the Pacific remained scarce;"),
        ("3(b)", "conclusion", "line 13", "Conclusions", conclusion,
         "few countries had plans for relocation. The countries with plans were:"),
        ("list item 1", "conclusion", "line 15", "Conclusions",
         "a numbered list item, not a paragraph; " + conclusion, "1. Fiji;"),
        ("list item 2", "conclusion", "line 16", "Conclusions",
         "a numbered list item, not a paragraph; " + conclusion, "2. Vanuatu."),
    ]  # fmt: skip
    # The conclusions keep their whole text, and the recommendations are those of the report
    # without the items.
    assert [(p.key, p.kind) for p in report.paragraphs][:3] == [
        ("1", "other"),
        ("2", "conclusion"),
        ("3", "conclusion"),
    ]
    assert report.paragraphs[1].text == (
        "Participants concluded that climate change was a growing driver of displacement in: "
        "• low-lying atolls; • coastal cities."
    )
    assert [p.key for p in report.imported_paragraphs] == ["4", "4(a)", "4(b)", "5"]
    assert report.possibly_lost == ()


def test_report_parse_lists_nothing_as_left_out_when_all_of_a_text_is_recommendations():
    assert report_parse(text=NUMBERED_ONLY).left_out == ()


def test_report_import_stores_sub_items_with_their_own_references(reference_data):
    consultation = ConsultationFactory(slug="sr-pushbacks")

    report_import(report=report_parse(text=SPECIAL_RAPPORTEUR), consultation=consultation)

    assert list(
        Recommendation.objects.order_by("paragraph", "sub_item").values_list(
            "reference", "paragraph", "sub_item"
        )
    ) == [
        ("sr-pushbacks-6-a", 6, "a"),
        ("sr-pushbacks-6-b", 6, "b"),
        ("sr-pushbacks-6-c", 6, "c"),
        ("sr-pushbacks-7-a", 7, "a"),
        ("sr-pushbacks-7-b", 7, "b"),
        ("sr-pushbacks-7-c", 7, "c"),
    ]
    assert str(Recommendation.objects.get(reference="sr-pushbacks-6-b")).endswith("para. 6(b)")
    consultation.refresh_from_db()
    assert consultation.document_symbol == "A/HRC/50/31"
