"""Writing a parsed report: the consultation's recommendations and good practices, in one
transaction (style guide points 2 and 10)."""

import dataclasses
import difflib
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from ..cache import public_data_changed
from ..models import (
    Consultation,
    Country,
    GoodPractice,
    Objective,
    Recommendation,
    RecommendationObjective,
    ReportParagraph,
)
from .parser import normalise_whitespace
from .report import ParagraphKind, ParsedParagraph, ParsedReport
from .titles import provisional_title

CREATED = "created"
UNCHANGED = "unchanged"
CHANGED = "changed"
SKIPPED = "skipped"
OUTCOMES = (CREATED, UNCHANGED, CHANGED, SKIPPED)

# The reasons the model history gives for what an import writes.
HISTORY_CREATED = "Imported from the consultation's report"
HISTORY_CHANGED = "Corrected from the consultation's report"

# How many separate differences one paragraph's report lists before summing up the rest.
MAX_DIFFERENCES_SHOWN = 5


@dataclass(frozen=True)
class RowResult:
    """What importing one paragraph did, or would do in a dry run."""

    paragraph: int
    kind: str
    outcome: str
    objectives: tuple[int, ...]
    # For CHANGED: each difference, readable ("text: “…” → “…”", "objectives 9 → 9, 10").
    changes: tuple[str, ...] = ()
    # For SKIPPED: why.
    reason: str = ""
    # For a CREATED good practice: ISO codes of the countries its text names.
    countries: tuple[str, ...] = ()
    # The item of the paragraph ("a" of 86(a)), "" for a whole paragraph.
    sub_item: str = ""
    # The objectives were suggested from the text (no heading names them): (objective, score).
    suggested: tuple[tuple[int, float], ...] = ()

    @property
    def key(self) -> str:
        """The row's paragraph as the report cites it: "26", "86(a)"."""
        return f"{self.paragraph}({self.sub_item})" if self.sub_item else str(self.paragraph)


@dataclass
class ImportSummary:
    consultation: Consultation
    consultation_created: bool
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    # (kind, paragraph as cited) of rows the consultation has but the report does not: kept, not
    # deleted.
    absent: list[tuple[str, str]] = field(default_factory=list)

    def with_outcome(self, outcome: str) -> list[RowResult]:
        return [row for row in self.rows if row.outcome == outcome]

    @property
    def counts(self) -> dict[str, int]:
        return {outcome: len(self.with_outcome(outcome)) for outcome in OUTCOMES}


@dataclass
class _Step:
    result: RowResult
    paragraph: ParsedParagraph
    text: str
    existing: ReportParagraph | None = None
    countries: list[Country] = field(default_factory=list)


def report_import(
    *,
    report: ParsedReport,
    consultation: Consultation | None = None,
    slug: str = "",
    exclude: Collection[int | str] = (),
    changed_by: AbstractBaseUser | None = None,
    dry_run: bool = False,
) -> ImportSummary:
    """Create and update `consultation`'s recommendations and good practices from `report`.

    With `consultation` None, creates the consultation `slug` from the report's title page
    (title, date, format, objectives, document symbol). Paragraphs whose keys ("26", "86(a)")
    are in `exclude` are left out.

    Side effects, all in one transaction and none when `dry_run`: creates the consultation if
    asked; creates each recommendation and good practice the consultation lacks, with its
    objectives (and, for a good practice, the countries its text names); updates the text and
    objectives of existing ones that differ from the report; records each created or changed
    row in the model history, as done by `changed_by` (None from the command line); moves the
    public data's generation on once the transaction commits, as the rows are written in bulk
    and send no signals, so public pages and API answers cached before show the import. It never
    changes a recommendation's status, version or status history, tags or principles, nor the
    countries and organisations of an existing good practice, and deletes nothing: rows the
    report no longer has are listed in `absent`.

    Raises ValidationError when the consultation cannot be created from the title page or a
    row fails validation; nothing is written then.
    """
    if (consultation is None) == (not slug):
        raise TypeError("Pass either an existing consultation or the slug of a new one.")
    with transaction.atomic():
        created = consultation is None
        if created:
            consultation, objectives = _consultation_from(report=report, slug=slug)
            if not dry_run:
                _attribute(consultation, changed_by, HISTORY_CREATED)
                consultation.save()
                consultation.objectives.set(objectives)
        elif not dry_run:
            # Two imports into one consultation wait for each other (a row lock on PostgreSQL;
            # SQLite's IMMEDIATE transactions already queue writers).
            Consultation.objects.select_for_update().filter(pk=consultation.pk).exists()
        objectives_by_number = {o.number: o for o in Objective.objects.all()}
        summary = ImportSummary(
            consultation=consultation, consultation_created=created, dry_run=dry_run
        )
        steps = _plan(
            report=report,
            consultation=consultation,
            new=created,
            exclude={str(key) for key in exclude},
            objectives=objectives_by_number,
            summary=summary,
        )
        summary.rows = [step.result for step in steps]
        if not dry_run:
            _apply(
                steps=steps,
                consultation=consultation,
                objectives=objectives_by_number,
                changed_by=changed_by,
            )
            if created or any(row.outcome in (CREATED, CHANGED) for row in summary.rows):
                public_data_changed()
            if not created and report.metadata.symbol and not consultation.document_symbol:
                consultation.document_symbol = report.metadata.symbol
                _attribute(consultation, changed_by, HISTORY_CHANGED)
                consultation.save(update_fields=["document_symbol", "updated_at"])
    return summary


def _consultation_from(*, report: ParsedReport, slug: str) -> tuple[Consultation, list[Objective]]:
    metadata = report.metadata
    missing = {
        name: message
        for name, value, message in [
            ("title", metadata.title, _("The report's title page gives no title.")),
            ("date", metadata.date, _("The report's title page gives no date.")),
            (
                "format",
                metadata.format,
                _("The report's title page does not say whether the meeting was virtual."),
            ),
        ]
        if not value
    }
    if missing:
        advice = _(
            "Create the consultation “%(slug)s” in the admin first, then import the report into it."
        ) % {"slug": slug}
        raise ValidationError({name: f"{message} {advice}" for name, message in missing.items()})
    consultation = Consultation(
        slug=slug,
        title=metadata.title,
        report_title=metadata.report_title,
        date=metadata.date,
        format=metadata.format,
        document_symbol=metadata.symbol,
    )
    consultation.full_clean()
    numbers = metadata.objectives or sorted(
        {n for p in report.imported_paragraphs for n in p.objectives}
    )
    return consultation, list(Objective.objects.filter(number__in=numbers))


def _plan(
    *,
    report: ParsedReport,
    consultation: Consultation,
    new: bool,
    exclude: set[str],
    objectives: dict[int, Objective],
    summary: ImportSummary,
) -> list[_Step]:
    existing = {ParagraphKind.RECOMMENDATION: {}, ParagraphKind.GOOD_PRACTICE: {}}
    if not new:
        for kind, model in [
            (ParagraphKind.RECOMMENDATION, Recommendation),
            (ParagraphKind.GOOD_PRACTICE, GoodPractice),
        ]:
            rows = model.objects.filter(consultation=consultation).prefetch_related("objectives")
            existing[kind] = {(row.paragraph, row.sub_item): row for row in rows}
    countries = None
    steps = []
    seen = set()
    for paragraph in report.imported_paragraphs:
        kind = paragraph.kind
        numbers = tuple(sorted(set(paragraph.objectives)))
        text = normalise_whitespace(paragraph.text)
        other_kind = next(k for k in existing if k != kind)
        place = (paragraph.number, paragraph.sub_item)
        row = existing[kind].get(place)
        other = None if row else existing[other_kind].get(place)
        reason = _skip_reason(
            paragraph=paragraph,
            text=text,
            numbers=numbers,
            objectives=objectives,
            excluded=paragraph.key in exclude,
            repeated=place in seen,
            other=other,
        )
        seen.add(place)
        found = {"sub_item": paragraph.sub_item, "suggested": paragraph.suggested}
        step = _Step(
            result=RowResult(paragraph.number, kind, SKIPPED, numbers, reason=reason, **found),
            paragraph=paragraph,
            text=text,
            existing=row,
        )
        if reason:
            pass
        elif row is None:
            codes = ()
            if kind == ParagraphKind.GOOD_PRACTICE:
                if countries is None:
                    countries = _country_patterns()
                step.countries = _countries_named(text, countries)
                codes = tuple(c.iso3 for c in step.countries)
            step.result = RowResult(
                paragraph.number, kind, CREATED, numbers, countries=codes, **found
            )
        else:
            changes = _differences(row=row, text=text, numbers=numbers)
            outcome = CHANGED if changes else UNCHANGED
            step.result = RowResult(
                paragraph.number, kind, outcome, numbers, changes=changes, **found
            )
        steps.append(step)
    _skip_taken_references(steps=steps, consultation=consultation)
    in_report = {(p.number, p.sub_item) for p in report.imported_paragraphs}
    summary.absent = [
        (kind, f"{number}({sub_item})" if sub_item else str(number))
        for kind, (number, sub_item) in sorted(
            (kind, place) for kind, rows in existing.items() for place in rows
        )
        if (number, sub_item) not in in_report
    ]
    return steps


def _skip_taken_references(*, steps: list[_Step], consultation: Consultation) -> None:
    """Skip new rows whose reference another consultation's paragraph already has (it keeps
    the reference it was given under a slug this consultation now uses)."""
    references = {
        ReportParagraph.reference_for(
            consultation, step.result.paragraph, step.result.sub_item
        ): step
        for step in steps
        if step.result.outcome == CREATED
    }
    if not references:
        return
    taken = set(
        Recommendation.objects.filter(reference__in=references).values_list("reference", flat=True)
    )
    taken |= set(
        GoodPractice.objects.filter(reference__in=references).values_list("reference", flat=True)
    )
    for reference in taken:
        step = references[reference]
        step.countries = []
        step.result = dataclasses.replace(
            step.result,
            outcome=SKIPPED,
            countries=(),
            reason=_("The reference “%(reference)s” is already another paragraph's.")
            % {"reference": reference},
        )


def _skip_reason(*, paragraph, text, numbers, objectives, excluded, repeated, other) -> str:
    if excluded:
        return _("Left out of this import.")
    if repeated:
        return _("The report has paragraph %(number)s twice; the first one was taken.") % {
            "number": paragraph.key
        }
    if not text:
        return _("The paragraph has no text.")
    if not numbers:
        return _("No GCM objective is given for it.")
    unknown = [n for n in numbers if n not in objectives]
    if unknown:
        return _("There is no objective %(numbers)s.") % {
            "numbers": ", ".join(str(n) for n in unknown)
        }
    if other is not None:
        return _(
            "The consultation already has paragraph %(number)s as a %(kind)s; change or delete "
            "that one in the admin if the report is right."
        ) % {
            "number": paragraph.key,
            "kind": other._meta.verbose_name,
        }
    return ""


def _differences(*, row: ReportParagraph, text: str, numbers: tuple[int, ...]) -> tuple[str, ...]:
    changes = []
    old_text = normalise_whitespace(row.text)
    if old_text != text:
        changes.append(_("text: %(difference)s") % {"difference": text_difference(old_text, text)})
    old_numbers = tuple(sorted(o.number for o in row.objectives.all()))
    if old_numbers != numbers:
        changes.append(
            _("objectives %(old)s → %(new)s")
            % {"old": _listed(old_numbers) or "–", "new": _listed(numbers)}
        )
    return tuple(changes)


def text_difference(old: str, new: str, *, context: int = 3) -> str:
    """Where two texts differ, word by word, each place shown with a few words around it."""
    before, after = old.split(), new.split()
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    places = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        lead = before[max(0, i1 - context) : i1]
        tail = before[i2 : i2 + context]
        was = " ".join([*lead, *before[i1:i2], *tail])
        now = " ".join([*lead, *after[j1:j2], *tail])
        places.append(f"“…{was}…” → “…{now}…”")
    shown = places[:MAX_DIFFERENCES_SHOWN]
    if len(places) > len(shown):
        shown.append(_("and %(count)d more") % {"count": len(places) - len(shown)})
    return "; ".join(shown)


def _listed(numbers: Iterable[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _country_patterns() -> list[tuple[Country, re.Pattern]]:
    patterns = []
    for country in Country.objects.all():
        # "Philippines (the)", "Iran (Islamic Republic of)": the name without its parenthesis.
        names = {country.short_name, re.sub(r"\s*\(.*?\)", "", country.name).strip()}
        alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
        patterns.append((country, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")))
    return patterns


def _countries_named(text: str, patterns: list[tuple[Country, re.Pattern]]) -> list[Country]:
    return [country for country, pattern in patterns if pattern.search(text)]


def _attribute(row, changed_by, reason: str) -> None:
    """Who made the change and why, for the history row that saving `row` writes."""
    if changed_by is not None:
        row._history_user = changed_by
    row._change_reason = reason


def _apply(
    *,
    steps: list[_Step],
    consultation: Consultation,
    objectives: dict[int, Objective],
    changed_by: AbstractBaseUser | None,
):
    new_rows = {Recommendation: [], GoodPractice: []}
    created = []
    links = []
    for step in steps:
        result = step.result
        if result.outcome not in (CREATED, CHANGED):
            continue
        wanted = [objectives[n] for n in result.objectives]
        if result.outcome == CREATED:
            model = Recommendation if result.kind == ParagraphKind.RECOMMENDATION else GoodPractice
            row = model(
                consultation=consultation,
                paragraph=result.paragraph,
                sub_item=result.sub_item,
                reference=ReportParagraph.reference_for(
                    consultation, result.paragraph, result.sub_item
                ),
                text=step.text,
                short_title=provisional_title(step.text),
            )
            # Uniqueness was checked by _plan() for all rows at once, the constraints'
            # conditions (text given, status valid) hold by construction, and the consultation
            # was just read or created: checking them again row by row would cost a query each.
            row.full_clean(
                exclude=["consultation"], validate_unique=False, validate_constraints=False
            )
            new_rows[model].append(row)
            created.append((row, wanted, step.countries))
        elif result.outcome == CHANGED:
            row = step.existing
            if normalise_whitespace(row.text) != step.text:
                row.text = step.text
                _attribute(row, changed_by, HISTORY_CHANGED)
                # Only the text: status, version and history are the status service's.
                row.save(update_fields=["text", "updated_at"])
            _set_objectives(row, wanted, links)
    # A handful of queries whatever the report's size: the rows with their history, then their
    # links.
    for model, rows in new_rows.items():
        bulk_create_with_history(
            rows, model, default_user=changed_by, default_change_reason=HISTORY_CREATED
        )
    practice_objectives = GoodPractice.objectives.through
    practice_countries = GoodPractice.countries.through
    objective_links, country_links = [], []
    for row, wanted, countries in created:
        if isinstance(row, Recommendation):
            links.extend(RecommendationObjective(recommendation=row, objective=o) for o in wanted)
        else:
            objective_links.extend(
                practice_objectives(goodpractice=row, objective=o) for o in wanted
            )
            country_links.extend(practice_countries(goodpractice=row, country=c) for c in countries)
    RecommendationObjective.objects.bulk_create(links)
    practice_objectives.objects.bulk_create(objective_links)
    practice_countries.objects.bulk_create(country_links)


def _set_objectives(row: ReportParagraph, wanted: list[Objective], links: list) -> None:
    current = {o.number for o in row.objectives.all()}
    if current == {o.number for o in wanted}:
        return
    if isinstance(row, Recommendation):
        RecommendationObjective.objects.filter(recommendation=row).exclude(
            objective__in=wanted
        ).delete()
        links.extend(
            RecommendationObjective(recommendation=row, objective=o)
            for o in wanted
            if o.number not in current
        )
    else:
        row.objectives.set(wanted)
