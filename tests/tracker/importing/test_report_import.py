"""report_import(): the seed report against the seed fixture, re-imports, corrections, failures."""

import dataclasses
import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from gcm_tracker.tracker.cache import public_generation
from gcm_tracker.tracker.enums import MeetingFormat, RecommendationStatus
from gcm_tracker.tracker.importing import services
from gcm_tracker.tracker.importing.parser import report_parse, report_read
from gcm_tracker.tracker.importing.report import ParagraphKind, ReportMetadata
from gcm_tracker.tracker.importing.services import RowResult, report_import
from gcm_tracker.tracker.models import (
    Consultation,
    GoodPractice,
    Recommendation,
    RecommendationObjective,
    StatusChange,
)
from tests.factories import ConsultationFactory, ObjectiveFactory, RecommendationFactory, set_status

from .reports import SLUG, fixture_countries, fixture_paragraphs, seed_pdf, seed_text

pytestmark = pytest.mark.django_db

REC = ParagraphKind.RECOMMENDATION
GOOD = ParagraphKind.GOOD_PRACTICE


def _rows() -> dict[int, tuple[str, tuple[int, ...], str]]:
    """Every recommendation and good practice in the database, as fixture_paragraphs() has them."""
    rows = {}
    for kind, model in [(REC, Recommendation), (GOOD, GoodPractice)]:
        for row in model.objects.prefetch_related("objectives"):
            objectives = tuple(sorted(o.number for o in row.objectives.all()))
            rows[row.paragraph] = (kind, objectives, " ".join(row.text.split()))
    return rows


def _dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", "tracker", natural_foreign=True, natural_primary=True, stdout=out)
    return out.getvalue()


def _seed_report():
    return report_parse(text=seed_text())


def test_report_import_of_the_seed_report_creates_exactly_the_fixtures_rows(reference_data):
    summary = report_import(report=_seed_report(), slug=SLUG)

    assert _rows() == fixture_paragraphs()
    assert summary.counts == {"created": 53, "unchanged": 0, "changed": 0, "skipped": 0}
    assert set(Recommendation.objects.values_list("reference", flat=True)) == {
        f"{SLUG}-{n}" for n, (kind, _, _) in fixture_paragraphs().items() if kind == REC
    }
    assert set(Recommendation.objects.values_list("status", "version")) == {
        (RecommendationStatus.NO_INFORMATION, 0)
    }


def test_report_import_creates_the_consultation_from_the_title_page(reference_data):
    summary = report_import(report=_seed_report(), slug=SLUG)

    consultation = Consultation.objects.get()
    assert (summary.consultation, summary.consultation_created) == (consultation, True)
    assert (
        consultation.slug,
        consultation.title,
        consultation.date,
        consultation.format,
        sorted(consultation.objectives.values_list("number", flat=True)),
    ) == (
        SLUG,
        "Protecting migrants through rights-based border governance and border management measures",
        datetime.date(2020, 11, 19),
        MeetingFormat.VIRTUAL,
        [4, 8, 9, 10, 11, 13, 21],
    )


def test_report_import_names_the_countries_of_new_good_practices(reference_data):
    summary = report_import(report=_seed_report(), slug=SLUG)

    practices = GoodPractice.objects.prefetch_related("countries")
    assert {p.paragraph: sorted(c.iso3 for c in p.countries.all()) for p in practices} == (
        fixture_countries()
    )
    assert {r.paragraph: list(r.countries) for r in summary.with_outcome("created")} == {
        **{n: [] for n, (kind, _, _) in fixture_paragraphs().items() if kind == REC},
        **{n: sorted(codes) for n, codes in fixture_countries().items()},
    }


def test_report_import_of_a_pdf_of_the_seed_report_creates_the_same_rows(reference_data):
    report = report_read(data=seed_pdf(), filename=f"{SLUG}.pdf")

    report_import(report=report, slug=SLUG)

    assert _rows() == fixture_paragraphs()


def test_report_import_twice_changes_nothing(reference_data):
    report_import(report=_seed_report(), slug=SLUG)
    before = _dump()

    summary = report_import(report=_seed_report(), consultation=Consultation.objects.get())

    assert _dump() == before
    assert summary.counts == {"created": 0, "unchanged": 53, "changed": 0, "skipped": 0}
    assert (summary.consultation_created, summary.absent) == (False, [])


def test_report_import_agrees_with_the_seed_fixture(seed):
    before = _dump()

    summary = report_import(report=_seed_report(), consultation=Consultation.objects.get(slug=SLUG))

    assert summary.counts == {"created": 0, "unchanged": 53, "changed": 0, "skipped": 0}
    assert _dump() == before


def test_report_import_runs_a_fixed_number_of_queries_when_nothing_changed(
    seed, django_assert_num_queries
):
    consultation = Consultation.objects.get(slug=SLUG)
    report = _seed_report()

    # Savepoint, the consultation's row lock, the objectives, then recommendations and good
    # practices with their objectives (two queries each), and the savepoint's release.
    with django_assert_num_queries(8):
        report_import(report=report, consultation=consultation)


def _corrected(report, number: int, **changes):
    paragraphs = tuple(
        dataclasses.replace(p, **changes) if p.number == number else p for p in report.paragraphs
    )
    return dataclasses.replace(report, paragraphs=paragraphs)


def test_report_import_of_a_corrected_report_updates_texts_and_keeps_status_history(seed, staff):
    recommendation = Recommendation.objects.get(reference=f"{SLUG}-26")
    set_status(recommendation, staff)
    recommendation.refresh_from_db()
    kept = (
        recommendation.status,
        recommendation.version,
        recommendation.status_changed_at,
        list(recommendation.tags.all()),
        list(recommendation.guiding_principles.all()),
    )
    corrected = report_parse(
        text=seed_text().replace("countries \nshould explore", "States should explore")
    )

    summary = report_import(report=corrected, consultation=recommendation.consultation)

    assert summary.with_outcome("changed") == [
        RowResult(
            paragraph=26,
            kind=REC,
            outcome="changed",
            objectives=(4,),
            changes=(
                "text: “…on legal identity, countries should explore other…” → "
                "“…on legal identity, States should explore other…”",
            ),
        )
    ]
    assert summary.counts == {"created": 0, "unchanged": 52, "changed": 1, "skipped": 0}
    recommendation.refresh_from_db()
    assert recommendation.text.endswith(
        "legal identity, States should explore other means of legal identity for all groups."
    )
    assert (
        recommendation.status,
        recommendation.version,
        recommendation.status_changed_at,
        list(recommendation.tags.all()),
        list(recommendation.guiding_principles.all()),
    ) == kept
    assert StatusChange.objects.filter(recommendation=recommendation).count() == 1


def test_report_import_of_corrected_objectives_relinks_the_row(seed):
    consultation = Consultation.objects.get(slug=SLUG)
    corrected = _corrected(_seed_report(), 26, objectives=(4, 7))
    corrected = _corrected(corrected, 22, objectives=(5,))

    summary = report_import(report=corrected, consultation=consultation)

    assert [(r.paragraph, r.changes) for r in summary.with_outcome("changed")] == [
        (22, ("objectives 4 → 5",)),
        (26, ("objectives 4 → 4, 7",)),
    ]
    assert _rows()[26][1] == (4, 7)
    assert _rows()[22][1] == (5,)
    assert RecommendationObjective.objects.filter(recommendation__paragraph=26).count() == 2


def test_report_import_dry_run_writes_nothing(reference_data):
    summary = report_import(report=_seed_report(), slug=SLUG, dry_run=True)

    assert summary.counts == {"created": 53, "unchanged": 0, "changed": 0, "skipped": 0}
    assert (summary.dry_run, summary.consultation_created, summary.consultation.pk) == (
        True,
        True,
        None,
    )
    assert (Consultation.objects.count(), Recommendation.objects.count()) == (0, 0)
    assert GoodPractice.objects.count() == 0


def test_report_import_skips_a_paragraph_the_consultation_has_as_the_other_kind(reference_data):
    consultation = ConsultationFactory(slug=SLUG)
    RecommendationFactory(consultation=consultation, paragraph=22, reference=f"{SLUG}-22")

    summary = report_import(report=_seed_report(), consultation=consultation)

    assert [(r.paragraph, r.reason) for r in summary.with_outcome("skipped")] == [
        (
            22,
            "The consultation already has paragraph 22 as a recommendation; change or delete "
            "that one in the admin if the report is right.",
        )
    ]
    assert GoodPractice.objects.filter(paragraph=22).exists() is False


def test_report_import_keeps_rows_the_report_no_longer_has_and_lists_them(reference_data):
    consultation = ConsultationFactory(slug=SLUG)
    RecommendationFactory(consultation=consultation, paragraph=120, reference=f"{SLUG}-120")

    summary = report_import(report=_seed_report(), consultation=consultation)

    assert summary.absent == [(REC, "120")]
    assert Recommendation.objects.filter(paragraph=120).exists() is True


def test_report_import_skips_excluded_and_incomplete_paragraphs(reference_data):
    report = _corrected(_seed_report(), 27, objectives=())
    report = _corrected(report, 28, text="  ")
    report = _corrected(report, 29, objectives=(4, 30))

    summary = report_import(report=report, slug=SLUG, exclude={26})

    assert [(r.paragraph, r.reason) for r in summary.with_outcome("skipped")] == [
        (26, "Left out of this import."),
        (27, "No GCM objective is given for it."),
        (28, "The paragraph has no text."),
        (29, "There is no objective 30."),
    ]
    assert Recommendation.objects.filter(paragraph__in=[26, 27, 28, 29]).exists() is False
    assert Recommendation.objects.count() == 33


def test_report_import_is_one_transaction(reference_data, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.RecommendationObjective.objects, "bulk_create", fail)

    with pytest.raises(RuntimeError):
        report_import(report=_seed_report(), slug=SLUG)

    assert (Consultation.objects.count(), Recommendation.objects.count()) == (0, 0)
    assert GoodPractice.objects.count() == 0


def test_report_import_refuses_to_create_a_consultation_the_title_page_does_not_describe(db):
    ObjectiveFactory(number=4)
    report = dataclasses.replace(_seed_report(), metadata=ReportMetadata(title="A title"))

    with pytest.raises(ValidationError) as error:
        report_import(report=report, slug="new-consultation")

    advice = "Create the consultation “new-consultation” in the admin first, then import the "
    assert error.value.message_dict == {
        "date": [f"The report's title page gives no date. {advice}report into it."],
        "format": [
            "The report's title page does not say whether the meeting was virtual. "
            f"{advice}report into it."
        ],
    }
    assert Consultation.objects.count() == 0


def _report_with(count: int):
    practices = [f"{n}. Thailand registered group {n}." for n in range(1, count + 1)]
    recommendations = [f"{n}. Register group {n}." for n in range(count + 1, 2 * count + 1)]
    return report_parse(
        text="\n".join(
            [
                "Consultation on legal identity",
                "3 March 2021 - Virtual",
                "I. Outcomes",
                "A. GCM Objective 4: Legal identity",
                "i. Good practices",
                *practices,
                "ii. Recommendations",
                *recommendations,
            ]
        )
    )


@pytest.mark.parametrize("count", [1, 3])
def test_report_import_query_count_does_not_grow_with_the_report(
    reference_data, django_assert_num_queries, count
):
    report = _report_with(count)

    # Savepoint. The new consultation: its slug's uniqueness, its two check constraints (three
    # queries each: savepoint, check, release), the objectives it covers, its row, its history
    # row and its objective links (three: the links there are, then, as m2m_changed has a
    # receiver (tracker.cache), which objectives are new, and the insert). The objectives; the
    # countries; whether the new references are taken (two). Recommendations and good practices
    # with their history rows (four inserts), their three kinds of links (three inserts); the
    # savepoint's release.
    with django_assert_num_queries(26):
        summary = report_import(report=report, slug="identity-2021")

    assert summary.counts == {"created": 2 * count, "unchanged": 0, "changed": 0, "skipped": 0}
    assert list(GoodPractice.objects.values_list("countries__iso3", flat=True)) == ["THA"] * count


def test_report_import_records_who_imported_in_the_model_history(reference_data, staff):
    report_import(report=_seed_report(), slug=SLUG, changed_by=staff)
    corrected = report_parse(text=seed_text().replace("gender-sensitive training", "training"))

    report_import(report=corrected, consultation=Consultation.objects.get(), changed_by=staff)

    history = Recommendation.history.order_by("history_id")
    assert (history.count(), GoodPractice.history.count()) == (38, 16)
    assert set(
        history.values_list("history_type", "history_change_reason", "history_user")[:37]
    ) == {("+", services.HISTORY_CREATED, staff.pk)}
    assert list(history.values_list("paragraph", "history_type", "history_change_reason"))[37:] == [
        (32, "~", services.HISTORY_CHANGED)
    ]


def _references_on(client, url: str) -> list[str]:
    page = client.get(url).content.decode()
    return sorted(set(re.findall(rf"{SLUG}-\d+", page)), key=lambda r: int(r.rsplit("-", 1)[1]))


def test_report_import_refreshes_public_pages_cached_before_it(
    seed, client, django_capture_on_commit_callbacks
):
    # An objectives-only correction writes nothing but link rows, in bulk, without signals.
    url = reverse("dashboards:recommendation-list") + "?objective=7"
    before = _references_on(client, url)
    corrected = _corrected(_seed_report(), 26, objectives=(4, 7))

    with django_capture_on_commit_callbacks(execute=True):
        report_import(report=corrected, consultation=Consultation.objects.get(slug=SLUG))

    assert before == []
    assert _references_on(client, url) == [f"{SLUG}-26"]


def test_report_import_dry_run_leaves_public_pages_cached(
    seed, client, django_capture_on_commit_callbacks
):
    generation = public_generation()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report_import(
            report=_corrected(_seed_report(), 26, objectives=(4, 7)),
            consultation=Consultation.objects.get(slug=SLUG),
            dry_run=True,
        )

    assert (callbacks, public_generation()) == ([], generation)


def test_imported_paragraphs_get_a_provisional_short_title(reference_data):
    report_import(report=_seed_report(), slug=SLUG)

    # The first sentence when it fits in 90 characters, else the first words and an ellipsis.
    titles = dict(Recommendation.objects.values_list("paragraph", "short_title"))
    assert (titles[90], titles[26]) == (
        "A region-wide review of legislation around detention should be conducted",
        "Coordinated international effort must be made to provide documentation to all migrants…",
    )
    assert all(
        0 < len(title) <= 90 for title in GoodPractice.objects.values_list("short_title", flat=True)
    )
