"""The country dimension: where a recommendation applies, and how far each country has come on it
in two voices (official and civil society).

Derived state kept here, and who keeps it (every write goes through tracker.services.assessments):
- `Assessment` is the current, public value of one (recommendation, country, voice[, organisation])
  cell. It is written only by the assessment services, which append an `AssessmentChange` in the
  same transaction and bump `version`; no row means "no information".
- `Assessment.in_scope` (the country is in the recommendation's scope) and, on official rows,
  `Assessment.disagreed_at` (when the cell last came to disagree, two or more levels, with a
  civil-society assessment; empty when none does) are derived flags the public lists read
  instead of joining scopes or pairing voices per request. services.assessment_flags recomputes
  them for the cell cell_write() wrote, for a recommendation whose scope changed and for a
  country whose subregion or membership changed in the admin; migration 0023 and
  seed_synthetic fill them by the same rules; `check_assessment_counts [--repair]` checks them.
- `AssessmentChange` is the append-only history of a cell (never updated or deleted).
- `AssessmentSubmission` is a civil-society organisation's assessment in review (draft →
  submitted → published / returned); publishing it writes its `Assessment` through the same
  service, so the public only ever reads `Assessment`.
- `AssessmentStatusCount` holds the roll-ups (per recommendation, per country, and per country ×
  objective, each per voice and status, counting in-scope assessments only), updated by the
  services in the writing transaction (services.assessment_counts) and by admin edits that move
  scope or objectives; `manage.py check_assessment_counts [--repair]` recomputes them from
  `Assessment`. Public pages cached whole are invalidated by every service write
  (cache.public_data_changed).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choice_labels import QuickChoiceLabels
from .enums import AssessmentVoice, RecommendationStatus, ReviewState, Subregion

# models.py defines these before it imports this module (at its end), so the import is safe.
from .models import BlockCount, NaturalKeyModel, _choice_is_valid, _http_url_or_blank
from .objective_bits import queue_indexes
from .validators import http_url_validator, multi_line_validator, single_line_validator


class RecommendationScopeArea(NaturalKeyModel):
    """One area a recommendation with scope SELECTED applies to: a whole ESCAP subregion or one
    country. Recommendations with scope ESCAP or REGIONAL have no areas.

    Its natural key (the recommendation's, then the subregion or the country's ISO code) lets
    the seed fixtures carry editorial scopes and backups restore them.
    """

    recommendation = models.ForeignKey(
        "tracker.Recommendation",
        models.CASCADE,
        related_name="scope_areas",
        verbose_name=_("recommendation"),
    )
    subregion = models.CharField(_("subregion"), max_length=30, choices=Subregion, blank=True)
    country = models.ForeignKey(
        "tracker.Country",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )

    natural_key_fields = (
        "recommendation__consultation__slug",
        "recommendation__paragraph",
        "subregion",
        "country__iso3",
    )

    class Meta:
        verbose_name = _("scope area")
        verbose_name_plural = _("scope areas")
        constraints = [
            # Exactly one of the two says where.
            models.CheckConstraint(
                condition=(Q(subregion="") & Q(country__isnull=False))
                | (~Q(subregion="") & Q(country__isnull=True)),
                name="tracker_scopearea_one_kind",
            ),
            models.CheckConstraint(
                condition=Q(subregion="") | _choice_is_valid("subregion", Subregion),
                name="tracker_scopearea_subregion_valid",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "subregion"],
                condition=~Q(subregion=""),
                name="tracker_scopearea_unique_subregion",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "country"],
                condition=Q(country__isnull=False),
                name="tracker_scopearea_unique_country",
            ),
        ]

    def __str__(self):
        return self.get_subregion_display() if self.subregion else str(self.country)

    def natural_key(self) -> tuple:
        # A subregion row has no country: its key ends in None (looked up as "no country").
        return (
            *self.recommendation.natural_key(),
            self.subregion,
            self.country.iso3 if self.country_id else None,
        )

    natural_key.dependencies = ["tracker.recommendation", "tracker.country"]


class SelectedAreaCount(models.Model):
    """How many recommendations of scope SELECTED name an area, so the country map counts each
    country's applicable ones from a table of a few hundred rows, not from the areas of every
    SELECTED recommendation (10,001 at N = 200,000: 6.6 ms a view, growing with N).

    Three kinds of row:
    - a country (`subregion` empty): the SELECTED recommendations naming the country;
    - a subregion (no `country`): those naming the subregion;
    - a pair (both): those naming the country and the subregion.
    A country's SELECTED recommendations are those naming it or its subregion: its row plus its
    subregion's, less the pair of the two (country_selectors._selected_counts). The pairs are
    kept for every subregion, not only the country's own, so moving a country to another
    subregion changes no count.

    Kept by database triggers (migration 0045) on scope areas and on recommendations (added,
    deleted, moved into or out of SELECTED), so every write path keeps it exact, as
    ScopeStatusCount's are; nothing in Python writes it but `manage.py repair_counts`
    (services.counts). Each trigger takes its rows in key order.
    services.recommendation_set_scope(), through which the forms and the admin write scopes and
    areas, locks the recommendation and makes scope edits wait for each other: a pair is
    counted from the areas a statement sees (two transactions naming a country and a subregion
    of one recommendation at once would each miss the other's), and an edit writes the rows in
    three statements, whose orders two edits at once could cross.
    """

    country = models.ForeignKey(
        "tracker.Country", models.CASCADE, null=True, blank=True, related_name="+"
    )
    subregion = models.CharField(max_length=30, choices=Subregion, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("selected area count")
        verbose_name_plural = _("selected area counts")
        constraints = [
            models.CheckConstraint(
                condition=Q(country__isnull=False) | ~Q(subregion=""),
                name="tracker_selectedcount_names_an_area",
            ),
            models.UniqueConstraint(
                fields=["country", "subregion"],
                condition=Q(country__isnull=False),
                name="tracker_selectedcount_unique_country",
            ),
            models.UniqueConstraint(
                fields=["subregion"],
                condition=Q(country__isnull=True),
                name="tracker_selectedcount_unique_subregion",
            ),
        ]

    def __str__(self):
        return f"{self.country_id or '-'} {self.subregion or '-'}: {self.count}"


class AssessmentSource(QuickChoiceLabels):
    """Source fields shared by assessments, their history and submissions."""

    status = models.CharField(_("status"), max_length=24, choices=RecommendationStatus)
    summary = models.TextField(_("summary"), validators=[multi_line_validator])
    source_title = models.CharField(
        _("source"), max_length=300, blank=True, validators=[single_line_validator]
    )
    source_url = models.URLField(
        _("source link"), max_length=500, blank=True, validators=[http_url_validator]
    )
    source_date = models.DateField(_("source date"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"))

    class Meta:
        abstract = True


class Assessment(AssessmentSource):
    """The current public value of one cell in one voice: how far `country` has come on
    `recommendation`, in the government's voice (official, `stakeholder` empty) or in one
    civil-society organisation's (`stakeholder` set).

    Written only by tracker.services.assessments, which lock the row, refuse a stale `version`,
    append an AssessmentChange and update AssessmentStatusCount in one transaction.
    """

    recommendation = models.ForeignKey(
        "tracker.Recommendation",
        models.PROTECT,
        related_name="assessments",
        verbose_name=_("recommendation"),
    )
    country = models.ForeignKey(
        "tracker.Country", models.PROTECT, related_name="assessments", verbose_name=_("country")
    )
    voice = models.CharField(_("voice"), max_length=20, choices=AssessmentVoice)
    stakeholder = models.ForeignKey(
        "tracker.Stakeholder",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("organisation"),
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # Derived (services.assessment_flags keeps both; check_assessment_counts checks them):
    # whether the country is in the recommendation's scope (tracker.scope.assessments_in_scope),
    # so the lists filter on a column instead of joining the scope areas per row;
    in_scope = models.BooleanField(_("in scope"), default=True, editable=False)
    # on an official assessment, when the cell last came to disagree: the later of its own
    # recorded_at and the newest civil-society assessment of the cell two or more levels away
    # (country_selectors.disagree); empty when none disagrees, and on civil-society rows.
    disagreed_at = models.DateTimeField(_("disagreed at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["recommendation_id", "country_id", "voice", "stakeholder_id"]
        verbose_name = _("country assessment")
        verbose_name_plural = _("country assessments")
        permissions = [("record_official", _("Can record official country assessments"))]
        indexes = [
            # A country's scorecard and the matrix columns.
            models.Index(fields=["country", "recommendation"], name="tracker_assessment_country"),
            # The API's list order (assessment_selectors.assessment_list): a page is read from
            # the index instead of sorting every assessment.
            models.Index(
                fields=["recommendation", "country", "voice", "stakeholder"],
                name="tracker_assessment_order",
            ),
            # Newest first: disagreements, feeds and the changes list.
            models.Index(fields=["-recorded_at", "-id"], name="tracker_assessment_latest"),
            # The API's list (in-scope cells in its order): a deep page skips index entries only
            # (paging.APART, from the block assessment_selectors.skip_to_block finds), and an
            # unfiltered count reads this index alone.
            models.Index(
                fields=["recommendation", "country", "voice", "stakeholder", "id"],
                condition=Q(in_scope=True),
                name="tracker_assessment_in_scope",
            ),
            # The disagreements page, newest first, and their count.
            models.Index(
                fields=["-disagreed_at", "-id"],
                condition=Q(disagreed_at__isnull=False),
                name="tracker_assessment_disagreed",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_choice_is_valid("voice", AssessmentVoice),
                name="tracker_assessment_voice_valid",
            ),
            models.CheckConstraint(
                condition=_choice_is_valid("status", RecommendationStatus),
                name="tracker_assessment_status_valid",
            ),
            # Official cells speak for the government; civil-society ones name the organisation.
            models.CheckConstraint(
                condition=(Q(voice=AssessmentVoice.OFFICIAL) & Q(stakeholder__isnull=True))
                | (Q(voice=AssessmentVoice.CIVIL_SOCIETY) & Q(stakeholder__isnull=False)),
                name="tracker_assessment_voice_stakeholder",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "country"],
                condition=Q(voice=AssessmentVoice.OFFICIAL),
                name="tracker_assessment_unique_official",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "country", "stakeholder"],
                condition=Q(voice=AssessmentVoice.CIVIL_SOCIETY),
                name="tracker_assessment_unique_civil_society",
            ),
            models.CheckConstraint(
                condition=_http_url_or_blank("source_url"), name="tracker_assessment_source_http"
            ),
        ]

    def __str__(self):
        return f"{self.recommendation.reference} {self.country.iso3} {self.voice}: {self.status}"


class AssessmentChange(AssessmentSource):
    """One change of a cell: append-only history (who, when, why, evidence, effective date).

    `old_status` is empty for the cell's first assessment. Written only by the assessment
    services; never updated or deleted (the admin is read-only; migration triggers refuse UPDATE,
    and DELETE on PostgreSQL, as for StatusChange).
    """

    assessment = models.ForeignKey(
        Assessment, models.PROTECT, related_name="changes", verbose_name=_("assessment")
    )
    old_status = models.CharField(
        _("from"), max_length=24, choices=RecommendationStatus, blank=True
    )
    reason = models.TextField(_("reason"), blank=True, validators=[multi_line_validator])
    changed_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    # The reviewed civil-society submission this change published, if any.
    submission = models.ForeignKey(
        "tracker.AssessmentSubmission",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submission"),
    )

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("assessment change")
        verbose_name_plural = _("assessment changes")
        indexes = [
            models.Index(fields=["assessment", "changed_at"], name="tracker_assesschange_cell_at"),
            models.Index(fields=["-changed_at", "-id"], name="tracker_assesschange_latest"),
            # What changed in a range of effective dates, newest first (tracker.changes).
            models.Index(
                fields=["-effective_date", "-changed_at", "-id"],
                name="tracker_assesschange_effective",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_choice_is_valid("status", RecommendationStatus),
                name="tracker_assesschange_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(old_status="") | _choice_is_valid("old_status", RecommendationStatus),
                name="tracker_assesschange_old_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.assessment_id}: {self.old_status or '∅'} → {self.status}"


class AssessmentSubmission(AssessmentSource):
    """A civil-society organisation's assessment of one cell, in review like a follow-up action:
    draft → submitted → published, or returned with the reviewer's reason. Publishing writes the
    organisation's `Assessment` for the cell; a later submission for the same cell revises it.
    """

    recommendation = models.ForeignKey(
        "tracker.Recommendation",
        models.PROTECT,
        related_name="assessment_submissions",
        verbose_name=_("recommendation"),
    )
    country = models.ForeignKey(
        "tracker.Country", models.PROTECT, related_name="+", verbose_name=_("country")
    )
    stakeholder = models.ForeignKey(
        "tracker.Stakeholder",
        models.PROTECT,
        related_name="assessment_submissions",
        verbose_name=_("organisation"),
    )
    review_state = models.CharField(
        _("review state"), max_length=20, choices=ReviewState, default=ReviewState.DRAFT
    )
    review_note = models.TextField(
        _("reviewer's reason"), blank=True, validators=[multi_line_validator]
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Bit n is set when the recommendation is under objective n: the workspace and the review
    # queue filter by an objective on the row they walk, not with a lookup per submission
    # (workspace.filtering). The database sets it on every insert and on every update that
    # writes the recommendation, whatever the instance held, and follows regroupings and
    # renumberings (triggers of migration 0041).
    objective_mask = models.BigIntegerField(
        _("objectives"), default=0, db_default=0, editable=False
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("civil-society assessment")
        verbose_name_plural = _("civil-society assessments")
        permissions = [
            ("review_assessmentsubmission", _("Can publish or return civil-society assessments"))
        ]
        indexes = [
            # The review queue, oldest submission first: a page read in order from an index,
            # nothing sorted.
            models.Index(
                fields=["review_state", "submitted_at", "id"], name="tracker_assesssub_queue"
            ),
            # The queue filtered by an objective: its submitted assessments about each objective.
            *queue_indexes("tracker_assesssub_queue"),
            models.Index(fields=["stakeholder", "review_state"], name="tracker_assesssub_org"),
            # An organisation's workspace list, last changed first. It carries what the
            # workspace's filters test on the row (state, objective bits, country) and the
            # recommendation a search joins, so a filtered page or count walks the index alone
            # (PostgreSQL) and joins only the rows that pass.
            models.Index(
                fields=["stakeholder", "-updated_at", "-id"],
                include=["review_state", "objective_mask", "country", "recommendation"],
                name="tracker_assesssub_org_recent",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_choice_is_valid("status", RecommendationStatus),
                name="tracker_assesssub_status_valid",
            ),
            models.CheckConstraint(
                condition=_choice_is_valid("review_state", ReviewState),
                name="tracker_assesssub_review_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(review_state=ReviewState.RETURNED) | ~Q(review_note=""),
                name="tracker_assesssub_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=_http_url_or_blank("source_url"), name="tracker_assesssub_source_http"
            ),
        ]

    def __str__(self):
        return f"{self.recommendation.reference} {self.country.iso3} ({self.stakeholder})"


class AssessmentStatusCount(QuickChoiceLabels):
    """Roll-up: how many published, in-scope assessments in `voice` are at `status`, per
    recommendation (only `recommendation` set), per country (only `country` set) or per country
    and objective (`country` and `objective` set).

    Updated by tracker.services.assessment_counts in the transaction that writes the assessment
    (one mechanism: Python, in the services), checked and repaired by
    `manage.py check_assessment_counts [--repair]`. Subregion figures are sums of the per-country
    rows (per objective: of the per-country-and-objective rows). A recommendation may serve two
    objectives, so the per-objective rows must never be summed over objectives: the per-country
    rows hold a country's totals.
    """

    voice = models.CharField(max_length=20, choices=AssessmentVoice)
    status = models.CharField(max_length=24, choices=RecommendationStatus)
    recommendation = models.ForeignKey(
        "tracker.Recommendation", models.CASCADE, null=True, blank=True, related_name="+"
    )
    country = models.ForeignKey(
        "tracker.Country", models.CASCADE, null=True, blank=True, related_name="+"
    )
    objective = models.ForeignKey(
        "tracker.Objective", models.CASCADE, null=True, blank=True, related_name="+"
    )
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("assessment status count")
        verbose_name_plural = _("assessment status counts")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(recommendation__isnull=False)
                    & Q(country__isnull=True)
                    & Q(objective__isnull=True)
                )
                | (Q(recommendation__isnull=True) & Q(country__isnull=False)),
                name="tracker_assesscount_kind",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "voice", "status"],
                condition=Q(recommendation__isnull=False),
                name="tracker_assesscount_unique_rec",
            ),
            models.UniqueConstraint(
                fields=["country", "objective", "voice", "status"],
                condition=Q(objective__isnull=False),
                name="tracker_assesscount_unique_objective",
            ),
            models.UniqueConstraint(
                fields=["country", "voice", "status"],
                condition=Q(country__isnull=False, objective__isnull=True),
                name="tracker_assesscount_unique_country",
            ),
        ]

    def __str__(self):
        return f"{self.voice} {self.status}: {self.count}"


class DisagreementCount(QuickChoiceLabels):
    """How many assessments in `voice` have their cell in disagreement (`disagreed_at` set: only
    official ones do): the dashboard's count and the disagreements page's, without counting
    hundreds of thousands of index entries on each read.

    Kept by database triggers (migration 0036) on assessments' insertion, deletion and change of
    `disagreed_at`, so it follows whatever writes the flag (services.assessment_flags, the
    seed, a repair); repaired only by `manage.py repair_counts` (services.counts)."""

    voice = models.CharField(max_length=20, choices=AssessmentVoice, unique=True)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("disagreement count")
        verbose_name_plural = _("disagreement counts")

    def __str__(self):
        return f"{self.voice}: {self.count}"


# How many recommendations (by primary key) an AssessmentBlockCount row counts the assessments of.
# Migration 0038's triggers use the same number: changing it needs a migration that refills.
ASSESSMENT_BLOCK = 1000


class AssessmentBlockCount(BlockCount):
    """How many in-scope assessments belong to the recommendations of one block of primary
    keys (`block` × ASSESSMENT_BLOCK up to the next block), so that a deep page of the API's
    assessment list, ordered by recommendation first, starts from the block that holds its first
    row instead of skipping every assessment before it (at 200,000 recommendations, page 19,000
    skipped 950,000 index entries, 150 ms in one process; assessment_selectors.skip_to_block).

    Kept by database triggers (migration 0038) on assessments' insertion, deletion and change
    of `in_scope` or recommendation, so it follows every write path; repaired only by
    `manage.py repair_counts` (services.counts)."""

    class Meta:
        verbose_name = _("assessment block count")
        verbose_name_plural = _("assessment block counts")
