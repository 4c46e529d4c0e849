"""The seed data in fixtures/ against its sources: the GCM reference lists and the report."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from gcm_tracker.tracker.enums import EscapMembership, RecommendationStatus
from gcm_tracker.tracker.models import (
    Consultation,
    Country,
    GoodPractice,
    GuidingPrinciple,
    Objective,
    Recommendation,
    StatusChange,
)
from tests.factories import set_status

pytestmark = pytest.mark.django_db

SLUG = "border-governance-2020"
REPORT = Path(settings.BASE_DIR) / "fixtures" / "reports" / f"{SLUG}.txt"
FIXTURES = ["01_gcm", "02_countries", "03_stakeholders", "10_consultation_border_governance_2020"]

# Paragraph number -> objective numbers, as the report's sections give them.
RECOMMENDATION_OBJECTIVES = {
    **{n: [4] for n in range(26, 34)},
    37: [8],
    **{n: [21] for n in range(47, 53)},
    **{n: [9, 10] for n in range(63, 76)},
    **{n: [11] for n in range(84, 87)},
    **{n: [13] for n in range(87, 93)},
}
GOOD_PRACTICE_PARAGRAPHS = [22, 23, 24, 25, 36, 44, 45, 46, 60, 61, 62, 79, 80, 81, 82, 83]

# Every place where the fixture text departs from the PDF's text layer: footnote markers glued to
# words, and words the PDF split at a hyphen.
PDF_ARTEFACTS = {
    25: [("system10 ", "system ")],
    26: [("identity,11 ", "identity, ")],
    48: [("initiative13 ", "initiative ")],
    62: [("Children15 ", "Children ")],
    66: [("Process16 ", "Process "), ("Protocols.17", "Protocols.")],
    74: [("child- sensitive", "child-sensitive")],
    79: [("sub- regional", "sub-regional")],
    82: [("2019.18", "2019.")],
    83: [("observer.19", "observer.")],
}
PARAGRAPH_START = re.compile(r"^\s*(\d{1,3})\.\s+(\S.*)$")
# Lines that end a paragraph: sub-section and section headings, footnotes, the closing rule.
PARAGRAPH_END = re.compile(r"^\s*(?:[ivx]+\.\s|[A-Z]\.\s|Objective \d+:|\d{1,2}\s*[A-Z]|_{5,})")


def report_paragraph(number: int) -> str:
    """Paragraph `number` of the report, whitespace-normalised and cleaned of PDF artefacts."""
    collected = None
    for line in REPORT.read_text(encoding="utf-8").splitlines():
        start = PARAGRAPH_START.match(line)
        if collected is None:
            if start and int(start.group(1)) == number:
                collected = [start.group(2)]
        elif (start and int(start.group(1)) == number + 1) or PARAGRAPH_END.match(line):
            break
        else:
            collected.append(line)
    assert collected is not None, f"paragraph {number} not found in the report"
    text = " ".join(" ".join(collected).split())
    for artefact, clean in PDF_ARTEFACTS.get(number, []):
        assert artefact in text, f"paragraph {number} no longer contains {artefact!r}"
        text = text.replace(artefact, clean)
    return text


def test_seed_holds_the_gcm_reference_lists(seed):
    assert list(Objective.objects.values_list("number", flat=True)) == list(range(1, 24))
    assert Objective.objects.get(number=13).title == (
        "Use migration detention only as a measure of last resort and work towards alternatives"
    )
    assert Objective.objects.get(number=13).short_label == "Alternatives to detention"
    assert list(GuidingPrinciple.objects.values_list("letter", "name")) == [
        ("a", "People-centred"),
        ("b", "International cooperation"),
        ("c", "National sovereignty"),
        ("d", "Rule of law and due process"),
        ("e", "Sustainable development"),
        ("f", "Human rights"),
        ("g", "Gender-responsive"),
        ("h", "Child-sensitive"),
        ("i", "Whole-of-government approach"),
        ("j", "Whole-of-society approach"),
    ]


def test_seed_holds_the_62_escap_members_and_associate_members(seed):
    members = Country.objects.filter(membership=EscapMembership.MEMBER)
    associates = Country.objects.filter(membership=EscapMembership.ASSOCIATE_MEMBER)

    assert Country.objects.count() == 62
    assert members.count() == 53
    assert associates.count() == 9
    assert sorted(members.filter(subregion="").values_list("iso3", flat=True)) == [
        "FRA",
        "GBR",
        "NLD",
        "USA",
    ]
    philippines = Country.objects.get(iso3="PHL")
    assert (philippines.name, philippines.short_name) == ("Philippines (the)", "Philippines")


def test_seed_consultation_has_exactly_the_37_recommendations_with_their_objectives(seed):
    consultation = Consultation.objects.get(slug=SLUG)
    recommendations = Recommendation.objects.filter(consultation=consultation).order_by("paragraph")

    assert {
        r.paragraph: sorted(o.number for o in r.objectives.all()) for r in recommendations
    } == RECOMMENDATION_OBJECTIVES
    assert [r.reference for r in recommendations] == [
        f"{SLUG}-{n}" for n in sorted(RECOMMENDATION_OBJECTIVES)
    ]
    assert sorted(consultation.objectives.values_list("number", flat=True)) == [
        4,
        8,
        9,
        10,
        11,
        13,
        21,
    ]
    assert (consultation.date.isoformat(), consultation.participants) == ("2020-11-19", 80)
    assert consultation.participant_countries == 15


def test_seed_paragraph_texts_are_the_reports_paragraphs(seed):
    seeded = {
        **dict(Recommendation.objects.values_list("paragraph", "text")),
        **dict(GoodPractice.objects.values_list("paragraph", "text")),
    }

    assert sorted(seeded) == sorted([*RECOMMENDATION_OBJECTIVES, *GOOD_PRACTICE_PARAGRAPHS])
    mismatches = {
        number: " ".join(text.split())
        for number, text in seeded.items()
        if " ".join(text.split()) != report_paragraph(number)
    }
    assert mismatches == {}


def test_seed_good_practices_name_their_countries(seed):
    practices = GoodPractice.objects.filter(consultation__slug=SLUG).prefetch_related("countries")

    assert {p.paragraph: sorted(c.iso3 for c in p.countries.all()) for p in practices} == {
        22: ["IDN", "MYS", "PHL"],
        23: ["PHL"],
        24: ["MYS"],
        25: [],
        36: [],
        44: [],
        45: ["BGD"],
        46: ["PHL"],
        60: ["THA"],
        61: ["BGD"],
        62: [],
        79: ["MMR", "THA"],
        80: [],
        81: ["LKA"],
        82: ["THA"],
        83: ["IDN", "MYS", "PHL"],
    }


def test_seed_text_has_no_pdf_artefacts(seed):
    texts = list(Recommendation.objects.values_list("text", flat=True)) + list(
        GoodPractice.objects.values_list("text", flat=True)
    )

    # "system10 ", "identity,11 ", "Protocols.17", "2019.18" - but not "target 16.9 ".
    glued_marker = re.compile(r"(?:[A-Za-z,]|[A-Za-z]\.|\d{4}\.)\d{1,2}(?:\s|$)")
    assert [t for t in texts if glued_marker.search(t) or "http" in t or "  " in t] == []


def test_seed_recommendations_start_with_no_information_and_no_history(seed):
    assert set(Recommendation.objects.values_list("status", "version")) == {
        (RecommendationStatus.NO_INFORMATION, 0)
    }
    assert StatusChange.objects.count() == 0


def _dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", "tracker", natural_foreign=True, natural_primary=True, stdout=out)
    return out.getvalue()


def test_loading_the_fixtures_twice_changes_nothing(db):
    call_command("loaddata", *FIXTURES, stdout=io.StringIO())
    first = _dump()

    call_command("loaddata", *FIXTURES, stdout=io.StringIO())

    assert _dump() == first


def test_load_seed_again_keeps_what_staff_changed(seed, staff):
    recommendation = Recommendation.objects.get(reference=f"{SLUG}-26")
    set_status(recommendation, staff, new_status=RecommendationStatus.LIMITED)
    before = _dump()

    call_command("load_seed", stdout=io.StringIO())

    assert _dump() == before
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.version) == (RecommendationStatus.LIMITED, 1)
