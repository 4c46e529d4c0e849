"""manage.py import_report: its output, its dry run, its speed and its refusals."""

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from gcm_tracker.tracker.models import Consultation, GoodPractice, Recommendation

from .documents import CONCLUSIONS_WITH_ITEMS
from .reports import REPORT, SLUG, seed_pdf, seed_text
from .variants import docx, one_line_per_paragraph

pytestmark = pytest.mark.django_db

READ_LINES = [
    "Reading border-governance-2020.txt (47.0\xa0KB)…",
    "Found 99 numbered paragraphs: Recommendation (37), Good practice (16), Key challenge (14), "
    "COVID-19 challenge (7), Other (25).",
    "Left out: footnote markers (21), footnotes (22), repeated links (20), numbered list items "
    "that are not paragraphs (7), page numbers, running headers and rules (1).",
    "Could not place 1 passage; check it in the report:",
]
# The seed's 46 paragraphs that are not imported, cut into 62 paragraphs, items and list items
# (listed after READ_LINES and the one passage not placed), and the line that heads them.
LEFT_OUT_LINES = 63
AFTER_LEFT_OUT = 5 + LEFT_OUT_LINES


def _import(*args) -> list[str]:
    out = io.StringIO()
    call_command("import_report", *args, stdout=out)
    return out.getvalue().splitlines()


def _timeless(lines: list[str]) -> list[str]:
    return [re.sub(r"^Took \d+\.\d\d s\.$", "Took … s.", line) for line in lines]


def test_import_report_prints_progress_a_summary_and_the_time(reference_data):
    lines = _timeless(_import(str(REPORT)))

    assert lines[:4] == READ_LINES
    assert lines[4].startswith("  line 1101: Text after paragraph 99 that does not continue it.")
    assert lines[5:8] == [
        "Not imported: 62 paragraphs, items and list items that are no recommendations or good "
        "practices:",
        "  not imported 1 [other]: under “I. Background”, context: under no heading of "
        "recommendations or good practices",
        "  not imported 2 [other]: under “I. Background”, context: under no heading of "
        "recommendations or good practices",
    ]
    assert lines[AFTER_LEFT_OUT - 1] == (
        "  not imported 99 [other]: under “V. Closing and next steps”, context: under no heading "
        "of recommendations or good practices"
    )
    assert lines[AFTER_LEFT_OUT:] == [
        "There is no consultation “border-governance-2020”: creating it from the report's title "
        "page: “Protecting migrants through rights-based border governance and border management "
        "measures”, 19 November 2020, Virtual, objectives 4, 8, 9, 10, 11, 13, 21.",
        "Importing 53 paragraphs into “border-governance-2020”…",
        "Created the consultation “border-governance-2020”.",
        "Created 53, unchanged 0, changed 0, skipped 0.",
        "Took … s.",
    ]
    assert (Recommendation.objects.count(), GoodPractice.objects.count()) == (37, 16)


def test_import_report_again_reports_everything_unchanged(reference_data):
    _import(str(REPORT))

    lines = _timeless(_import(str(REPORT), "--consultation", SLUG))

    assert lines[AFTER_LEFT_OUT:] == [
        "Importing 53 paragraphs into “border-governance-2020”…",
        "Created 0, unchanged 53, changed 0, skipped 0.",
        "Took … s.",
    ]


def test_import_report_lists_each_difference_of_a_corrected_report(seed, tmp_path):
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(seed_text().replace("gender-sensitive training", "gender training"))

    lines = _timeless(_import(str(corrected), "--consultation", SLUG))

    assert lines[-4:] == [
        "Importing 53 paragraphs into “border-governance-2020”…",
        "  changed recommendation 32: text: “…migrants should have gender-sensitive training.…” "
        "→ “…migrants should have gender training.…”",
        "Created 0, unchanged 52, changed 1, skipped 0.",
        "Took … s.",
    ]


def test_import_report_lists_every_row_at_verbosity_2(reference_data):
    lines = _import(str(REPORT), "--verbosity", "2")

    # What is not imported, each with why, then the rows.
    assert lines[6:8] == [
        "  not imported 1 [other]: under “I. Background”, context: under no heading of "
        "recommendations or good practices",
        "  not imported 2 [other]: under “I. Background”, context: under no heading of "
        "recommendations or good practices",
    ]
    assert lines[39:43] == [
        "  not imported 18 [other]: under “A. Overall progress in implementation of the seven "
        "GCM objectives”, context: under no heading of recommendations or good practices",
        "  not imported 19 [key challenge]: under “i. Key Challenges”, a challenge, not a "
        "recommendation",
        "  not imported 20 [key challenge]: under “i. Key Challenges”, a challenge, not a "
        "recommendation",
        "  not imported 21 [covid-19 challenge]: under “ii. Specific challenges created by "
        "COVID-19”, a challenge, not a recommendation",
    ]
    assert lines[AFTER_LEFT_OUT + 3 : AFTER_LEFT_OUT + 5] == [
        "  created good practice 22 (objectives 4)",
        "  created good practice 23 (objectives 4)",
    ]
    assert "  created recommendation 63 (objectives 9, 10)" in lines


def test_import_report_dry_run_writes_nothing_and_says_nothing_was_created(reference_data):
    lines = _timeless(_import(str(REPORT), "--dry-run"))

    assert lines[-5:] == [
        "Importing 53 paragraphs into “border-governance-2020”…",
        "Would create the consultation “border-governance-2020”.",
        "Would create 53, leave 0 unchanged, change 0, skip 0.",
        "Dry run: nothing was written.",
        "Took … s.",
    ]
    assert (Consultation.objects.count(), Recommendation.objects.count()) == (0, 0)


def test_import_report_imports_a_pdf(reference_data, tmp_path):
    pdf = tmp_path / f"{SLUG}.pdf"
    pdf.write_bytes(seed_pdf())

    lines = _timeless(_import(str(pdf)))

    assert lines[-2:] == ["Created 53, unchanged 0, changed 0, skipped 0.", "Took … s."]


def test_import_report_of_the_seed_report_takes_under_a_second(reference_data):
    started = time.perf_counter()

    _import(str(REPORT))

    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "“empty.txt” is empty."),
        (
            "report.pdf",
            b"1. Not a PDF.",
            "“report.pdf” is named as a PDF but its content is not a PDF.",
        ),
        (
            "minutes.txt",
            b"Minutes\n\nWe met.\n",
            "No numbered paragraphs (“1. …”, “2. …”) were found, so this does not look like a "
            "consultation summary report.",
        ),
    ],
    ids=["empty", "wrong-type", "no-structure"],
)
def test_import_report_refuses_bad_input_and_writes_nothing(
    reference_data, tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CommandError) as error:
        _import(str(path))

    assert str(error.value) == message
    assert Consultation.objects.count() == 0


def test_import_report_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError) as error:
        _import(str(tmp_path / "nowhere.txt"))

    assert str(error.value) == f"There is no file {tmp_path / 'nowhere.txt'}."


def test_import_report_refuses_a_file_over_the_size_limit_before_reading_it(db, tmp_path, settings):
    settings.REPORT_IMPORT_MAX_BYTES = 1000
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)

    with pytest.raises(CommandError) as error:
        _import(str(path))

    assert str(error.value) == (
        "“big.txt” is 2.0\xa0KB; reports up to 1000\xa0bytes can be imported."
    )


def test_import_report_exits_non_zero_on_bad_input(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")

    result = subprocess.run(
        [sys.executable, "manage.py", "import_report", str(empty)],
        cwd=Path(settings.BASE_DIR),
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        "CommandError: “empty.txt” is empty.\n",
    )


UNPLACED_RECOMMENDATIONS = (
    "Consultation on returns\n"
    "1 March 2021, virtual meeting\n\n"
    "Recommendations\n\n"
    "1. States should ensure safe and dignified return, readmission and reintegration.\n"
    "2. Something should be done.\n"
    "3. Consular protection should be offered by embassies to every migrant.\n"
)


def test_import_report_fails_and_writes_nothing_when_a_recommendation_cannot_be_imported(
    reference_data, tmp_path
):
    path = tmp_path / "returns.txt"
    path.write_text(UNPLACED_RECOMMENDATIONS)

    with pytest.raises(CommandError) as error:
        _import(str(path))

    assert str(error.value) == (
        "1 passage that may be a recommendation or good practice was not imported (listed "
        "above), so nothing was written. Correct the report, or run again with --allow-skips to "
        "import the rest."
    )
    assert (Consultation.objects.count(), Recommendation.objects.count()) == (0, 0)


def test_import_report_allow_skips_imports_the_rest_and_lists_what_it_skipped(
    reference_data, tmp_path
):
    path = tmp_path / "returns.txt"
    path.write_text(UNPLACED_RECOMMENDATIONS)

    lines = _timeless(_import(str(path), "--allow-skips"))

    assert lines[-7:] == [
        "Importing 3 paragraphs into “returns”…",
        "Created the consultation “returns”.",
        "  recommendation 1: objectives suggested from its words: 21 (score 1.00)",
        "  skipped recommendation 2: No GCM objective is given for it.",
        "  recommendation 3: objectives suggested from its words: 14 (score 1.00)",
        "Created 2, unchanged 0, changed 0, skipped 1.",
        "Took … s.",
    ]
    assert lines[2:4] == [
        "Could not place 1 passage; check it in the report:",
        "  line 7: Paragraph 2 is a recommendation, but no heading above it names a GCM "
        "objective. “Something should be done.”",
    ]
    assert list(
        Recommendation.objects.order_by("paragraph").values_list("paragraph", "objectives__number")
    ) == [(1, 21), (3, 14)]


def test_import_report_objective_gives_every_paragraph_without_one_that_objective(
    reference_data, tmp_path
):
    path = tmp_path / "returns.txt"
    path.write_text(UNPLACED_RECOMMENDATIONS)

    _import(str(path), "--objective", "21")

    assert list(
        Recommendation.objects.order_by("paragraph").values_list("paragraph", "objectives__number")
    ) == [(1, 21), (2, 21), (3, 21)]


def test_import_report_refuses_an_objective_that_is_not_a_gcm_objective(db, tmp_path):
    with pytest.raises(CommandError) as error:
        _import(str(REPORT), "--objective", "24")

    assert str(error.value) == "--objective takes a GCM objective's number, from 1 to 23."


def test_import_report_imports_a_word_document(reference_data, tmp_path):
    path = tmp_path / f"{SLUG}.docx"
    path.write_bytes(docx(one_line_per_paragraph()))

    _import(str(path))

    assert (Recommendation.objects.count(), GoodPractice.objects.count()) == (37, 16)


def test_import_report_lists_each_item_and_passage_it_does_not_import_with_why(
    reference_data, tmp_path
):
    path = tmp_path / "pacific.txt"
    path.write_text(CONCLUSIONS_WITH_ITEMS)

    lines = _timeless(_import(str(path), "--dry-run"))

    assert lines[:14] == [
        "Reading pacific.txt (810\xa0bytes)…",
        "Found 7 numbered paragraphs: Recommendation (4), Conclusion (2), Other (1).",
        "Left out: numbered list items that are not paragraphs (2).",
        "Not imported: 9 paragraphs, items and list items that are no recommendations or good "
        "practices:",
        "  not imported 1 [other]: under “I. Background”, context: under no heading of "
        "recommendations or good practices",
        "  not imported 2 [conclusion]: under “Conclusions”, a conclusion, not a recommendation",
        "  not imported 2(a) [conclusion]: under “Conclusions”, a conclusion, not a recommendation",
        "  not imported 2(b) [conclusion]: under “Conclusions”, a conclusion, not a recommendation",
        "  not imported 3 [conclusion]: under “Conclusions”, a conclusion, not a recommendation",
        "  not imported 3(a) [conclusion]: under “Conclusions”, a conclusion, not a recommendation",
        "  not imported 3(b) [conclusion]: under “Conclusions”, a conclusion, not a recommendation",
        "  not imported list item 1 [conclusion]: under “Conclusions”, a numbered list item, not "
        "a paragraph; a conclusion, not a recommendation",
        "  not imported list item 2 [conclusion]: under “Conclusions”, a numbered list item, not "
        "a paragraph; a conclusion, not a recommendation",
        "There is no consultation “pacific”: creating it from the report's title page: "
        "“Subregional consultation on migration in the Pacific”, 8 September 2021, Virtual, "
        "objectives 2.",
    ]
    assert lines[-2:] == ["Dry run: nothing was written.", "Took … s."]
