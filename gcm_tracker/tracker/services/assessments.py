"""Country assessments: the official voice (recorded by ESCAP staff, one cell at a time or in bulk
from one government report) and the scope of recommendations.

Every write of an `Assessment` goes through cell_write(), which locks the cell, refuses a stale
version, appends an AssessmentChange, moves the roll-ups (services.assessment_counts) and
invalidates the cached public pages, all in the caller's transaction. Civil-society assessments
reach it when staff publish them (services.assessment_submissions).
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from ..cache import public_data_changed
from ..enums import AssessmentVoice, RecommendationScope, RecommendationStatus, Subregion
from ..models import (
    Assessment,
    AssessmentChange,
    Country,
    Recommendation,
    RecommendationObjective,
    RecommendationScopeArea,
    Stakeholder,
    http_url_validator,
)
from ..scope import is_applicable
from ..validators import control_character_errors, multi_line_validator, single_line_validator
from .assessment_counts import Selection, assessment_counts_move, assessment_counts_rebuild
from .assessment_flags import assessment_flags_refresh

# The fields that make up what an assessment says; a write that changes none of them is a no-op.
CONTENT_FIELDS = (
    "status",
    "summary",
    "source_title",
    "source_url",
    "source_date",
    "effective_date",
)


class AssessmentConflict(Exception):
    """What the editor saw is no longer current; nothing was written.

    `current` is the thing as it is now: for a cell, its Assessment (None if it has none); for a
    civil-society submission being edited, the AssessmentSubmission.
    """

    def __init__(self, current, message: str | None = None):
        self.current = current
        if message is None:
            if current is None:
                message = _(
                    "This assessment was removed or never existed. Nothing was saved; reload "
                    "the page and try again."
                )
            else:
                message = _(
                    "Someone else changed this assessment while you were editing it: it now "
                    "says “%(status)s”. Nothing was saved; review the current assessment and "
                    "try again."
                ) % {"status": current.get_status_display()}
        super().__init__(message)


class AssessmentStateError(Exception):
    """The submission is not in a review state that allows this step (→ 409)."""


@dataclass(frozen=True)
class AssessmentContent:
    """What an assessment says, cleaned; errors are keyed by argument name."""

    status: str
    summary: str
    source_title: str
    source_url: str
    source_date: datetime.date | None
    effective_date: datetime.date

    def differs_from(self, assessment: Assessment) -> bool:
        return any(getattr(self, name) != getattr(assessment, name) for name in CONTENT_FIELDS)


def assessment_content_clean(
    *,
    recommendation: Recommendation,
    country: Country,
    status: str,
    summary: str,
    source_title: str = "",
    source_url: str = "",
    source_date: datetime.date | None = None,
    effective_date: datetime.date | None = None,
    source_required: bool,
) -> AssessmentContent:
    """Trim and check what an assessment says; raise ValidationError (a dict keyed by argument
    name) listing every problem. `effective_date` defaults to today."""
    content = AssessmentContent(
        status=status,
        summary=(summary or "").strip(),
        source_title=(source_title or "").strip(),
        source_url=(source_url or "").strip(),
        source_date=source_date,
        effective_date=effective_date or timezone.localdate(),
    )
    today = timezone.localdate()
    # As for actions (issue 14, item 12): titles go into e-mail subjects, feeds and CSV cells.
    errors = control_character_errors(
        summary=(content.summary, multi_line_validator),
        source_title=(content.source_title, single_line_validator),
    )
    if status not in RecommendationStatus.values:
        errors["status"] = _("“%(value)s” is not a status. Choose one of: %(choices)s.") % {
            "value": status,
            "choices": ", ".join(str(label) for label in RecommendationStatus.labels),
        }
    if not content.summary and "summary" not in errors:
        errors["summary"] = _("Summarise what the assessment is based on.")
    if source_required and not content.source_title:
        errors["source_title"] = _("Name the source: the report, reply, law or policy.")
    for name, limit in (("source_title", 300), ("source_url", 500)):
        if len(getattr(content, name)) > limit:
            errors[name] = _("Keep it to %(limit)d characters.") % {"limit": limit}
    if content.source_url and "source_url" not in errors:
        try:
            http_url_validator(content.source_url)
        except ValidationError:
            errors["source_url"] = _("Enter a full web address starting with http:// or https://.")
    if content.source_date and content.source_date > today:
        errors["source_date"] = _("The source date cannot be in the future.")
    if content.effective_date > today:
        errors["effective_date"] = _("The effective date cannot be in the future.")
    elif content.effective_date < recommendation.consultation.date:
        errors["effective_date"] = _(
            "The effective date cannot be before the consultation that made the recommendation."
        )
    if not is_applicable(recommendation, country):
        errors["country"] = _(
            "Recommendation %(reference)s does not apply to %(country)s, so it cannot be "
            "assessed there."
        ) % {"reference": recommendation.reference, "country": country.name}
    if errors:
        raise ValidationError(errors)
    return content


def cell_write(
    *,
    recommendation: Recommendation,
    country: Country,
    voice: str,
    stakeholder: Stakeholder | None,
    content: AssessmentContent,
    changed_by: AbstractBaseUser,
    reason: str = "",
    expected_version: int | None,
    check_version: bool = True,
    submission=None,
) -> AssessmentChange | None:
    """Write one cell's assessment in `voice` and append its history row. Call inside a
    transaction. Refuses a stale `expected_version` with AssessmentConflict when
    `check_version`; returns None, writing nothing, when `content` is what the cell says already
    (unless a `submission` is being published: its publication is recorded either way)."""
    cell = Assessment.objects.select_for_update().filter(
        recommendation=recommendation, country=country, voice=voice, stakeholder=stakeholder
    )
    current = cell.first()
    seen = None if current is None else current.version
    if check_version and seen != expected_version:
        raise AssessmentConflict(current)
    if current is not None and not content.differs_from(current) and submission is None:
        return None
    now = timezone.now()
    old_status = None if current is None else current.status
    if current is None:
        current = Assessment(
            recommendation=recommendation, country=country, voice=voice, stakeholder=stakeholder
        )
        try:
            # A concurrent first write of the same cell wins; this one is told it is stale.
            with transaction.atomic():
                _apply(current, content, now)
                current.save()
        except IntegrityError:
            raise AssessmentConflict(cell.first()) from None
    else:
        _apply(current, content, now)
        current.save(update_fields=[*CONTENT_FIELDS, "version", "recorded_at"])
    change = AssessmentChange.objects.create(
        assessment=current,
        old_status=old_status or "",
        reason=reason,
        changed_at=now,
        changed_by=changed_by,
        submission=submission,
        **{name: getattr(content, name) for name in CONTENT_FIELDS},
    )
    assessment_counts_move(assessment=current, old_status=old_status, new_status=content.status)
    # The cell's flags: a new row's scope, and the official's disagreement, which either
    # voice's write may move.
    assessment_flags_refresh(cell=(recommendation.pk, country.pk))
    public_data_changed()
    return change


def _apply(assessment: Assessment, content: AssessmentContent, now) -> None:
    for name in CONTENT_FIELDS:
        setattr(assessment, name, getattr(content, name))
    assessment.version += 1
    assessment.recorded_at = now


def _require_official_recorder(user: AbstractBaseUser) -> None:
    if not user.has_perm("tracker.record_official"):
        raise PermissionDenied(_("You are not allowed to record official country assessments."))


@transaction.atomic
def assessment_record_official(
    *,
    recommendation: Recommendation,
    country: Country,
    status: str,
    summary: str,
    source_title: str,
    source_url: str = "",
    source_date: datetime.date | None = None,
    effective_date: datetime.date | None = None,
    reason: str = "",
    recorded_by: AbstractBaseUser,
    expected_version: int | None,
) -> AssessmentChange | None:
    """Record what the government of `country` reports on `recommendation` (the official voice).

    `expected_version` is the version of the cell's official assessment the editor saw (None: they
    saw none). Locks the cell, appends an AssessmentChange, moves the roll-ups and, on commit,
    invalidates the cached public pages, in one transaction. Returns the change, or None when the
    content is what the cell says already (nothing is written). Raises PermissionDenied,
    ValidationError (keyed by argument name) or AssessmentConflict; nothing is written then.
    """
    _require_official_recorder(recorded_by)
    content = assessment_content_clean(
        recommendation=recommendation,
        country=country,
        status=status,
        summary=summary,
        source_title=source_title,
        source_url=source_url,
        source_date=source_date,
        effective_date=effective_date,
        source_required=True,
    )
    return cell_write(
        recommendation=recommendation,
        country=country,
        voice=AssessmentVoice.OFFICIAL,
        stakeholder=None,
        content=content,
        changed_by=recorded_by,
        reason=(reason or "").strip(),
        expected_version=expected_version,
    )


# The columns of a bulk import from one government report, in their usual order.
IMPORT_COLUMNS = (
    "reference",
    "iso3",
    "status",
    "effective_date",
    "source_title",
    "source_url",
    "summary",
)
NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


@dataclass
class ImportRow:
    """One valid row of a bulk import, and what it does (or, on a dry run, would do)."""

    number: int
    recommendation: Recommendation
    country: Country
    content: AssessmentContent
    current: Assessment | None
    outcome: str  # NEW, CHANGED or UNCHANGED
    change: AssessmentChange | None = None


@dataclass
class ImportResult:
    """What a bulk import found: `rows` (the valid ones) and `errors` keyed by row number
    (1 = the first dict given) then by column. Nothing is written unless `written`."""

    rows: list[ImportRow] = field(default_factory=list)
    errors: dict[int, dict[str, str]] = field(default_factory=dict)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def counts(self) -> dict[str, int]:
        return {
            outcome: sum(row.outcome == outcome for row in self.rows)
            for outcome in (NEW, CHANGED, UNCHANGED)
        }


def _status_value(text) -> str:
    """A status given as its value ("limited_progress") or label ("Limited progress")."""
    text = str(text or "").strip()
    by_label = {str(label).casefold(): value for value, label in RecommendationStatus.choices}
    return by_label.get(text.casefold(), text)


def _date_value(value, column: str, errors: dict) -> datetime.date | None:
    if value in (None, "") or isinstance(value, datetime.date):
        return value or None
    try:
        parsed = parse_date(str(value).strip())
    except ValueError:
        parsed = None
    if parsed is None:
        errors[column] = _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": value}
    return parsed


def _import_row(
    number: int, row: dict, recommendations: dict, countries: dict, seen: dict
) -> tuple[ImportRow | None, dict[str, str]]:
    errors: dict[str, str] = {}
    reference = str(row.get("reference") or "").strip()
    iso3 = str(row.get("iso3") or "").strip().upper()
    recommendation = recommendations.get(reference)
    country = countries.get(iso3)
    if recommendation is None:
        errors["reference"] = _("No recommendation has the reference “%(value)s”.") % {
            "value": reference
        }
    if country is None:
        errors["iso3"] = _("No country has the ISO code “%(value)s”.") % {"value": iso3}
    effective_date = _date_value(row.get("effective_date"), "effective_date", errors)
    source_date = _date_value(row.get("source_date"), "source_date", errors)
    if recommendation is not None and country is not None:
        first = seen.setdefault((recommendation.pk, country.pk), number)
        if first != number:
            errors["iso3"] = _("Row %(row)s already assesses this recommendation there.") % {
                "row": first
            }
        try:
            content = assessment_content_clean(
                recommendation=recommendation,
                country=country,
                status=_status_value(row.get("status")),
                summary=str(row.get("summary") or ""),
                source_title=str(row.get("source_title") or ""),
                source_url=str(row.get("source_url") or ""),
                source_date=source_date,
                effective_date=effective_date,
                source_required=True,
            )
        except ValidationError as invalid:
            errors = {**{k: v[0] for k, v in invalid.message_dict.items()}, **errors}
    if errors:
        return None, errors
    return ImportRow(number, recommendation, country, content, None, NEW), {}


@transaction.atomic
def official_assessments_import(
    *, rows: list[dict], recorded_by: AbstractBaseUser, dry_run: bool
) -> ImportResult:
    """Record many official assessments from one government report, all or nothing.

    Each row is a dict with IMPORT_COLUMNS (status as value or label, dates as date or
    YYYY-MM-DD; optional `source_date`). Every row is checked; unless all are valid (and not
    `dry_run`), nothing is written. Otherwise each row goes through the same cell write as
    assessment_record_official(), in this one transaction, against the version it finds
    (staff assert the report's value). Raises PermissionDenied.
    """
    _require_official_recorder(recorded_by)
    references = {str(r.get("reference") or "").strip() for r in rows}
    iso3s = {str(r.get("iso3") or "").strip().upper() for r in rows}
    recommendations = {
        r.reference: r
        for r in Recommendation.objects.filter(reference__in=references)
        .select_related("consultation")
        .prefetch_related("scope_areas")
    }
    countries = {c.iso3: c for c in Country.objects.filter(iso3__in=iso3s)}
    result = ImportResult(dry_run=dry_run)
    seen: dict = {}
    for number, row in enumerate(rows, start=1):
        parsed, errors = _import_row(number, row, recommendations, countries, seen)
        if errors:
            result.errors[number] = errors
        else:
            result.rows.append(parsed)
    if not rows:
        result.errors[0] = {"rows": _("The report has no rows.")}
    current = {
        (a.recommendation_id, a.country_id): a
        for a in Assessment.objects.filter(
            voice=AssessmentVoice.OFFICIAL,
            recommendation__in=[row.recommendation for row in result.rows],
            country__in=[row.country for row in result.rows],
        )
    }
    for row in result.rows:
        row.current = current.get((row.recommendation.pk, row.country.pk))
        if row.current is not None:
            row.outcome = CHANGED if row.content.differs_from(row.current) else UNCHANGED
    if not result.written:
        return result
    for row in result.rows:
        if row.outcome == UNCHANGED:
            continue
        row.change = cell_write(
            recommendation=row.recommendation,
            country=row.country,
            voice=AssessmentVoice.OFFICIAL,
            stakeholder=None,
            content=row.content,
            changed_by=recorded_by,
            reason=_("Imported from one government report"),
            expected_version=None,
            check_version=False,
        )
    return result


def _scope_errors(*, scope, subregions, countries) -> dict[str, str]:
    errors = {}
    if scope not in RecommendationScope.values:
        errors["scope"] = _("Choose which countries the recommendation applies to.")
    elif scope == RecommendationScope.SELECTED and not (subregions or countries):
        errors["scope"] = _("Choose at least one subregion or country it applies to.")
    elif scope != RecommendationScope.SELECTED and (subregions or countries):
        errors["scope"] = _("Subregions and countries are chosen only for a selected scope.")
    unknown = [s for s in subregions if s not in Subregion.values]
    if unknown:
        errors["subregions"] = _("“%(value)s” is not a subregion.") % {"value": unknown[0]}
    return errors


# Scope edits wait for each other (PostgreSQL; SQLite writes one transaction at a time). An
# edit writes SelectedAreaCount's rows in three statements (the scope, the areas removed, the
# areas added), each in key order but not the three together, so two edits at once could
# deadlock: one removing Thailand and naming Viet Nam, the other the reverse.
_SCOPE_EDITS_LOCK = 0x6763_6D73  # a constant of this application's own ("gcms")


def _scope_edits_one_at_a_time() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SCOPE_EDITS_LOCK])


@transaction.atomic
def recommendation_set_scope(
    *,
    recommendation: Recommendation,
    scope: str,
    subregions=(),
    countries=(),
    changed_by: AbstractBaseUser,
) -> None:
    """Set which countries `recommendation` applies to: every ESCAP member (ESCAP), the given
    `subregions` and `countries` (SELECTED), or none (REGIONAL: only its regional status).

    Assessments of countries it no longer applies to are kept (history is never deleted) but no
    longer counted; the roll-ups of the recommendation and its objectives are rebuilt and the
    cached public pages invalidated, in one transaction. No-op when nothing changes. Raises
    PermissionDenied or ValidationError (keyed by argument name).
    """
    if not changed_by.has_perm("tracker.change_recommendation"):
        raise PermissionDenied(_("You are not allowed to change recommendations."))
    subregions = sorted(set(subregions))
    countries = sorted(set(countries), key=lambda c: c.pk)
    errors = _scope_errors(scope=scope, subregions=subregions, countries=countries)
    if errors:
        raise ValidationError(errors)
    current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    areas = list(current.scope_areas.all())
    if (
        current.scope == scope
        and sorted(a.subregion for a in areas if a.subregion) == subregions
        and sorted(a.country_id for a in areas if a.country_id) == [c.pk for c in countries]
    ):
        return
    _scope_edits_one_at_a_time()
    current.scope = scope
    current._history_user = changed_by
    current._change_reason = _("Scope changed")
    current.save(update_fields=["scope", "updated_at"])
    current.scope_areas.all().delete()
    RecommendationScopeArea.objects.bulk_create(
        [RecommendationScopeArea(recommendation=current, subregion=s) for s in subregions]
        + [RecommendationScopeArea(recommendation=current, country=c) for c in countries]
    )
    # Its assessments may have entered or left the scope: their flags, and every roll-up they
    # are in.
    assessment_flags_refresh(recommendation_ids=[current.pk])
    assessment_counts_rebuild(
        Selection.of(
            recommendation_ids=[current.pk],
            objective_ids=RecommendationObjective.objects.filter(
                recommendation=current
            ).values_list("objective_id", flat=True),
            country_ids=current.assessments.values_list("country_id", flat=True).distinct(),
        )
    )
    public_data_changed()
    recommendation.refresh_from_db(fields=["scope", "updated_at"])
