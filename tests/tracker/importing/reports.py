"""The seed report and what the seed fixture says it contains, and PDFs made from report text."""

import functools
import itertools
import json
from pathlib import Path

from django.conf import settings
from fpdf import FPDF

SLUG = "border-governance-2020"
REPORT = Path(settings.BASE_DIR) / "fixtures" / "reports" / f"{SLUG}.txt"
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "10_consultation_border_governance_2020.json"
REFERENCE_FIXTURES = ["01_gcm", "02_countries", "03_stakeholders"]

# The lines of the seed text where the pages of the report's PDF begin (pages 2 to 16): the text
# was dumped from that PDF, and footnotes sit at the foot of the page they belong to.
SEED_PAGE_FIRST_LINES = [
    71,
    149,
    239,
    327,
    386,
    470,
    545,
    634,
    725,
    806,
    879,
    953,
    1041,
    1101,
    1172,
]
RUNNING_HEADER = "Summary report of the second stakeholder consultation, 19 November 2020"


def normalised(text: str) -> str:
    return " ".join(text.split())


@functools.cache
def seed_text() -> str:
    return REPORT.read_text(encoding="utf-8")


@functools.cache
def fixture_paragraphs() -> dict[int, tuple[str, tuple[int, ...], str]]:
    """Paragraph → (kind, objectives, whitespace-normalised text), as the seed fixture has them."""
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    links: dict[int, list[int]] = {}
    for row in rows:
        if row["model"] == "tracker.recommendationobjective":
            _, paragraph = row["fields"]["recommendation"]
            links.setdefault(paragraph, []).append(row["fields"]["objective"][0])
    paragraphs = {}
    for row in rows:
        fields = row["fields"]
        if row["model"] == "tracker.recommendation":
            objectives = links[fields["paragraph"]]
            kind = "recommendation"
        elif row["model"] == "tracker.goodpractice":
            objectives = [key[0] for key in fields["objectives"]]
            kind = "good_practice"
        else:
            continue
        paragraphs[fields["paragraph"]] = (
            kind,
            tuple(sorted(objectives)),
            normalised(fields["text"]),
        )
    return paragraphs


@functools.cache
def fixture_countries() -> dict[int, list[str]]:
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return {
        row["fields"]["paragraph"]: sorted(key[0] for key in row["fields"]["countries"])
        for row in rows
        if row["model"] == "tracker.goodpractice"
    }


def pdf_safe(text: str) -> str:
    """The text as the PDF's built-in font can show it: characters outside Windows-1252 become
    "?" (the check mark bullets and the "ĝ" of Boniĝi, in paragraphs that are not imported)."""
    return text.encode("cp1252", "replace").decode("cp1252")


def make_pdf(pages: list[list[str]], *, header: str = "", footer: bool = False) -> bytes:
    """A PDF with one page per list of lines, each line drawn as it is (blank lines as a space,
    as word processors' PDFs have them), with an optional running header and page numbers."""
    pdf = FPDF(format=(210, 500))
    pdf.set_auto_page_break(False)
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_font("Helvetica", size=7)
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        if header:
            pdf.set_xy(10, 5)
            pdf.cell(text=header)
        pdf.set_xy(10, 15)
        for line in lines:
            pdf.cell(text=pdf_safe(line) or " ", h=3, new_x="LMARGIN", new_y="NEXT")
        if footer:
            pdf.set_xy(10, 490)
            pdf.cell(text=f"Page {number} of {len(pages)}")
    return bytes(pdf.output())


@functools.cache
def seed_pdf() -> bytes:
    """The seed report as a PDF laid out in its original pages, with a header and page numbers."""
    lines = seed_text().split("\n")
    bounds = [1, *SEED_PAGE_FIRST_LINES, len(lines) + 1]
    pages = [lines[start - 1 : end - 1] for start, end in itertools.pairwise(bounds)]
    return make_pdf(pages, header=RUNNING_HEADER, footer=True)
