"""The tracker's record: reference data, consultations and their paragraphs, status history and
follow-up actions.

Models whose rows are identified by meaning (objective number, ISO code, slug, consultation and
paragraph) have a natural key, so fixtures and backups load by it rather than by database id; the
others (actions, evidence, memberships, requests, history) have none and are referred to by id.
References to reference data use PROTECT, and the many-to-many links that recommendations and
actions make use explicit link models whose reference side is PROTECT too, so that deleting an
objective, a country, a stakeholder or a recommendation that something still refers to is refused
rather than silently dropping the link.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gcm_tracker.i18n.countries import country_name

from .choice_labels import QuickChoiceLabels
from .enums import (
    AccountRequestState,
    ActionProgress,
    ActionType,
    EscapMembership,
    MeetingFormat,
    RecommendationScope,
    RecommendationStatus,
    ReviewState,
    StakeholderKind,
    Subregion,
    TagKind,
)
from .objective_bits import OBJECTIVE_NUMBERS, published_indexes, queue_indexes
from .translation import translated, translation_of, unofficial_languages_field
from .validators import http_url_validator, multi_line_validator, single_line_validator

# Links are shown to the public and never fetched by the server: only http and https are allowed,
# checked in forms by the validator (validators.HttpUriValidator, which also requires a URI by
# RFC 3986) and in the database by the constraints below.


def _is_http_url(field: str) -> Q:
    return Q(**{f"{field}__startswith": "http://"}) | Q(**{f"{field}__startswith": "https://"})


def _http_url_or_blank(field: str) -> Q:
    return Q(**{field: ""}) | _is_http_url(field)


def _choice_is_valid(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


class NaturalKeyQuerySet(models.QuerySet):
    """Looks rows up by the fields a model lists in `natural_key_fields` (used by loaddata)."""

    def get_by_natural_key(self, *key):
        fields = self.model.natural_key_fields
        # Trailing fields with a default may be left out (a whole paragraph's key has no
        # sub-item, as in the keys written before sub-items existed).
        defaults = self.model.natural_key_defaults
        key = (*key, *(defaults[name] for name in fields[len(key) :] if name in defaults))
        return self.get(**dict(zip(fields, key, strict=True)))


class NaturalKeyModel(QuickChoiceLabels):
    """A model whose natural key is the tuple of `natural_key_fields` (`a__b` follows relations).

    Only models whose rows that tuple identifies inherit this: a model without one has no
    natural_key() at all, so serializers refer to its rows by primary key. (An empty key, once
    inherited by every model, wrote references to any follow-up action as `[]`, which loaddata
    cannot resolve once there are two.)
    """

    natural_key_fields: tuple[str, ...]
    # Values of trailing natural-key fields that a key may leave out.
    natural_key_defaults: dict[str, object] = {}

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        abstract = True

    def natural_key(self) -> tuple:
        key = []
        for path in self.natural_key_fields:
            value = self
            for part in path.split("__"):
                value = getattr(value, part)
            key.append(value)
        return tuple(key)


class TimeStampedModel(QuickChoiceLabels):
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Objective(NaturalKeyModel):
    """One of the 23 objectives of the Global Compact (A/RES/73/195, para 16)."""

    number = models.PositiveSmallIntegerField(
        _("number"),
        unique=True,
        validators=[
            MinValueValidator(OBJECTIVE_NUMBERS[0]),
            MaxValueValidator(OBJECTIVE_NUMBERS[-1]),
        ],
    )
    title = models.CharField(_("title"), max_length=255, validators=[single_line_validator])
    short_label = models.CharField(
        _("short label"), max_length=80, validators=[single_line_validator]
    )
    # Translations (translation.py): blank until staff or the reference data give one.
    title_fr = translation_of(title, "fr")
    title_ru = translation_of(title, "ru")
    title_zh_hans = translation_of(title, "zh-hans")
    short_label_fr = translation_of(short_label, "fr")
    short_label_ru = translation_of(short_label, "ru")
    short_label_zh_hans = translation_of(short_label, "zh-hans")
    unofficial_languages = unofficial_languages_field()

    natural_key_fields = ("number",)

    class Meta:
        ordering = ["number"]
        verbose_name = _("GCM objective")
        verbose_name_plural = _("GCM objectives")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=OBJECTIVE_NUMBERS[0], number__lte=OBJECTIVE_NUMBERS[-1]),
                name="tracker_objective_number_range",
            ),
        ]

    def __str__(self):
        return _("Objective %(number)s: %(label)s") % {
            "number": self.number,
            "label": translated(self, "short_label").text,
        }


class GuidingPrinciple(NaturalKeyModel):
    """One of the 10 cross-cutting guiding principles (A/RES/73/195, para 15 (a)-(j))."""

    letter = models.CharField(_("letter"), max_length=1, unique=True)
    name = models.CharField(_("name"), max_length=80, validators=[single_line_validator])
    name_fr = translation_of(name, "fr")
    name_ru = translation_of(name, "ru")
    name_zh_hans = translation_of(name, "zh-hans")
    unofficial_languages = unofficial_languages_field()

    natural_key_fields = ("letter",)

    class Meta:
        ordering = ["letter"]
        verbose_name = _("guiding principle")
        verbose_name_plural = _("guiding principles")
        constraints = [
            models.CheckConstraint(
                condition=Q(letter__in=list("abcdefghij")), name="tracker_principle_letter_a_to_j"
            ),
        ]

    def __str__(self):
        return f"({self.letter}) {translated(self, 'name').text}"


class Tag(NaturalKeyModel):
    """A theme (children, gender, COVID-19, …) or an SDG target that recommendations touch."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TagKind)
    name = models.CharField(_("name"), max_length=200, validators=[single_line_validator])

    natural_key_fields = ("slug",)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.CheckConstraint(
                condition=_choice_is_valid("kind", TagKind), name="tracker_tag_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name


class Country(NaturalKeyModel):
    """A country or territory: ESCAP members and associate members, and any other place where
    something a report or an action describes happened."""

    iso3 = models.CharField(_("ISO 3166 alpha-3 code"), max_length=3, unique=True)
    name = models.CharField(_("UN name"), max_length=120, validators=[single_line_validator])
    short_name = models.CharField(
        _("display name"),
        max_length=120,
        help_text=_("The name as shown on pages."),
        validators=[single_line_validator],
    )
    subregion = models.CharField(_("ESCAP subregion"), max_length=30, choices=Subregion, blank=True)
    membership = models.CharField(_("ESCAP membership"), max_length=20, choices=EscapMembership)
    # Summary counts of published actions, kept current in the transaction that publishes an
    # action (services.actions), so public lists never count over the actions table;
    # `manage.py repair_counts` checks them (services.counts).
    published_action_count = models.PositiveIntegerField(
        _("published actions"), default=0, editable=False
    )

    natural_key_fields = ("iso3",)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=Q(iso3__regex=r"^[A-Z]{3}$"), name="tracker_country_iso3_format"
            ),
            models.CheckConstraint(
                condition=Q(subregion="") | _choice_is_valid("subregion", Subregion),
                name="tracker_country_subregion_valid",
            ),
            models.CheckConstraint(
                condition=_choice_is_valid("membership", EscapMembership),
                name="tracker_country_membership_valid",
            ),
            # ESCAP subregions only group ESCAP's own members.
            models.CheckConstraint(
                condition=~Q(membership=EscapMembership.NON_MEMBER) | Q(subregion=""),
                name="tracker_country_nonmember_no_subregion",
            ),
        ]

    def __str__(self):
        return self.localized_name

    @property
    def localized_name(self) -> str:
        """The name in the active language: the UN name in English, CLDR's in the others
        (i18n.countries)."""
        return country_name(self.iso3, self.short_name)


class Stakeholder(NaturalKeyModel, TimeStampedModel):
    """An organisation that takes part in consultations or acts on recommendations."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[single_line_validator])
    acronym = models.CharField(
        _("acronym"), max_length=30, blank=True, validators=[single_line_validator]
    )
    kind = models.CharField(_("kind"), max_length=30, choices=StakeholderKind)
    country = models.ForeignKey(
        Country,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="stakeholders",
        verbose_name=_("country"),
        help_text=_("Where the organisation is based; empty for regional or global bodies."),
    )
    website = models.URLField(_("website"), blank=True, validators=[http_url_validator])
    # Published actions it led or joined as a partner: summary counts kept current by
    # services.actions (see Country.published_action_count).
    led_action_count = models.PositiveIntegerField(
        _("published actions led"), default=0, editable=False
    )
    partner_action_count = models.PositiveIntegerField(
        _("published actions as partner"), default=0, editable=False
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="stakeholders",
        blank=True,
        verbose_name=_("members"),
    )

    natural_key_fields = ("slug",)
    history = HistoricalRecords(excluded_fields=["led_action_count", "partner_action_count"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        constraints = [
            models.CheckConstraint(
                condition=_choice_is_valid("kind", StakeholderKind),
                name="tracker_stakeholder_kind_valid",
            ),
            models.CheckConstraint(
                condition=_http_url_or_blank("website"), name="tracker_stakeholder_website_http"
            ),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's membership of a stakeholder organisation: what lets them log its actions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    stakeholder = models.ForeignKey(
        Stakeholder, models.CASCADE, related_name="memberships", verbose_name=_("stakeholder")
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "stakeholder"], name="tracker_membership_unique_user_stakeholder"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.stakeholder}"


class Consultation(NaturalKeyModel, TimeStampedModel):
    """A stakeholder consultation and its summary report; every recommendation cites one."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300, validators=[single_line_validator])
    title_fr = translation_of(title, "fr")
    title_ru = translation_of(title, "ru")
    title_zh_hans = translation_of(title, "zh-hans")
    date = models.DateField(_("date"))
    format = models.CharField(_("format"), max_length=20, choices=MeetingFormat)
    location = models.CharField(
        _("location"), max_length=200, blank=True, validators=[single_line_validator]
    )
    objectives = models.ManyToManyField(
        Objective, related_name="consultations", verbose_name=_("objectives covered")
    )
    organisers = models.ManyToManyField(
        Stakeholder,
        related_name="organised_consultations",
        blank=True,
        verbose_name=_("organisers"),
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    participant_countries = models.PositiveSmallIntegerField(
        _("countries represented"), null=True, blank=True
    )
    report_title = models.CharField(
        _("report title"), max_length=300, blank=True, validators=[single_line_validator]
    )
    document_symbol = models.CharField(
        _("document symbol"),
        max_length=60,
        blank=True,
        validators=[single_line_validator],
        help_text=_("The report's UN document symbol, such as A/75/183."),
    )
    report_url = models.URLField(_("report link"), blank=True, validators=[http_url_validator])
    summary = models.TextField(_("summary"), blank=True, validators=[multi_line_validator])

    natural_key_fields = ("slug",)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "slug"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [
            # What has gone quiet reads the consultations oldest first, and each one's unchanged
            # recommendations, until it has a page (tracker.staleness.first_stale_recommendations).
            models.Index(fields=["date", "id"], name="tracker_consultation_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_choice_is_valid("format", MeetingFormat),
                name="tracker_consultation_format_valid",
            ),
            models.CheckConstraint(
                condition=_http_url_or_blank("report_url"),
                name="tracker_consultation_report_url_http",
            ),
        ]

    def __str__(self):
        return translated(self, "title").text


SHORT_TITLE_MAX_LENGTH = 90


class ReportParagraph(NaturalKeyModel, TimeStampedModel):
    """A numbered paragraph of a consultation's summary report, or one item of it (86(a): the
    paragraph's lead-in and item (a)), quoted verbatim.

    Its `reference` ("<consultation slug>-<paragraph>", "<slug>-<paragraph>-<sub-item>") is set
    once when the row is created and never changes, so citations and links stay valid even if the
    consultation's slug is edited. Subclasses add the `consultation` foreign key with their own
    reverse name.
    """

    reference = models.SlugField(_("reference"), max_length=100, unique=True)
    paragraph = models.PositiveSmallIntegerField(_("paragraph"))
    sub_item = models.CharField(
        _("sub-item"),
        max_length=8,
        blank=True,
        default="",
        help_text=_("The letter or number of an item of the paragraph, such as “a” of 86(a)."),
    )
    text = models.TextField(_("text"), validators=[multi_line_validator])
    # A readable name for lists, cards, feeds and e-mails; the verbatim `text` stays the record.
    # Staff write it (the importer proposes the paragraph's first words); `label` falls back to
    # the paragraph number while it is empty.
    short_title = models.CharField(
        _("short title"),
        max_length=SHORT_TITLE_MAX_LENGTH,
        blank=True,
        validators=[single_line_validator],
        help_text=_("A faithful summary of the paragraph in at most 90 characters."),
    )
    # Staff's translations (translation.py); the verbatim English `text` stays the record.
    text_fr = translation_of(text, "fr")
    text_ru = translation_of(text, "ru")
    text_zh_hans = translation_of(text, "zh-hans")
    short_title_fr = translation_of(short_title, "fr")
    short_title_ru = translation_of(short_title, "ru")
    short_title_zh_hans = translation_of(short_title, "zh-hans")

    natural_key_fields = ("consultation__slug", "paragraph", "sub_item")
    natural_key_defaults = {"sub_item": ""}

    class Meta:
        abstract = True
        ordering = ["consultation_id", "paragraph", "sub_item"]

    def __str__(self):
        return _("%(consultation)s, para. %(paragraph)s") % {
            "consultation": str(self.consultation),
            "paragraph": self.paragraph_label,
        }

    def natural_key(self) -> tuple:
        # A whole paragraph keeps the two-part key of fixtures and backups made before sub-items.
        key = super().natural_key()
        return key if self.sub_item else key[:2]

    @property
    def label(self) -> str:
        """The name to show: the short title (in the active language when staff translated it),
        or "Paragraph 26" while there is none."""
        return translated(self, "short_title").text or _("Paragraph %(paragraph)s") % {
            "paragraph": self.paragraph_label
        }

    @property
    def paragraph_label(self) -> str:
        """The paragraph as the report cites it: "26", "86(a)"."""
        return f"{self.paragraph}({self.sub_item})" if self.sub_item else str(self.paragraph)

    @classmethod
    def reference_for(cls, consultation: Consultation, paragraph: int, sub_item: str = "") -> str:
        reference = f"{consultation.slug}-{paragraph}"
        return f"{reference}-{sub_item}" if sub_item else reference


# A recommendation's status in order of progress (0: no information), for the lists' sorts by
# status (filters.RecommendationFilter) and their indexes.
STATUS_RANK = models.Case(
    *(
        models.When(status=value, then=models.Value(rank))
        for rank, value in enumerate(RecommendationStatus.values)
    ),
    output_field=models.IntegerField(),
)

# When a recommendation's status last changed, the never changed as long ago as can be: the list
# "most recently updated" (descending) ends with them on every database. A plain descending order
# put them first on PostgreSQL (empty values sort first there, last on SQLite), whose NULLS LAST
# an index on SQLite cannot take.
UPDATED_OR_NEVER = Coalesce(
    "status_changed_at", models.Value(datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC))
)
# When a recommendation last moved, or was created if it never did: the list's "longest without
# an update" sort and its indexes.
LAST_MOVED = Coalesce("status_changed_at", "created_at")


class Recommendation(ReportParagraph):
    """A numbered recommendation of a consultation's summary report.

    `status` is the current implementation status, kept on the row for fast dashboards. It changes
    only through tracker.services.recommendation_set_status(), which also appends a StatusChange
    and bumps `version` in the same transaction, so `status` always equals the newest
    StatusChange's `new_status` (or "No information" when there is none).
    """

    consultation = models.ForeignKey(
        Consultation, models.PROTECT, related_name="recommendations", verbose_name=_("consultation")
    )
    objectives = models.ManyToManyField(
        Objective,
        through="RecommendationObjective",
        related_name="recommendations",
        verbose_name=_("objectives"),
    )
    guiding_principles = models.ManyToManyField(
        GuidingPrinciple, related_name="recommendations", blank=True, verbose_name=_("principles")
    )
    tags = models.ManyToManyField(
        Tag, related_name="recommendations", blank=True, verbose_name=_("tags")
    )
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=RecommendationStatus,
        default=RecommendationStatus.NO_INFORMATION,
    )
    # Optimistic lock: the status service refuses a change made against an older version.
    version = models.PositiveIntegerField(_("version"), default=0)
    # When the change that set the current status was recorded, and the date it says that status
    # took effect (earlier for a backdated change); both kept by the status service, both empty
    # while the status never changed.
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_effective_on = models.DateField(_("status effective on"), null=True, blank=True)
    # Summary count kept current by services.actions (see Country.published_action_count).
    published_action_count = models.PositiveIntegerField(
        _("published actions"), default=0, editable=False
    )
    # Which countries it applies to (country_models.RecommendationScopeArea lists them when
    # SELECTED); changed only through services.assessments.recommendation_set_scope().
    scope = models.CharField(
        _("applies to"),
        max_length=20,
        choices=RecommendationScope,
        default=RecommendationScope.ESCAP,
    )
    history = HistoricalRecords(excluded_fields=["published_action_count"])

    class Meta(ReportParagraph.Meta):
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        permissions = [("set_status", _("Can set the implementation status"))]
        indexes = [
            # The status filter and breakdowns. With the key in the index, a filtered list's or
            # download's keys come from it alone (an index-only scan joined to the other filters),
            # not from a visit to each wide row at the status: 30,000 at N = 200,000, 340 ms.
            models.Index(fields=["status", "id"], name="tracker_recommendation_status"),
            models.Index(fields=["status_changed_at"], name="tracker_recommendation_changed"),
            # The dashboard's count of recommendations whose status took effect in the last six
            # months (those not updated are the rest): a short range of this index, however many
            # are older (selectors.dashboard_summary).
            models.Index(fields=["status_effective_on"], name="tracker_recommendation_eff_on"),
            # The few recommendations of another scope than ESCAP, with their scope, so those of
            # one scope are read from the index alone: the SELECTED ones that name a country
            # (scope.selected_naming, a country page's applicable ones). The ESCAP-wide ones are
            # counted by ScopeStatusCount and the SELECTED ones per country, for the map, by
            # SelectedAreaCount, not read.
            models.Index(
                fields=["scope", "id"],
                condition=~Q(scope=RecommendationScope.ESCAP),
                name="tracker_rec_not_escap_scope",
            ),
            # The list's other sorts (filters.RecommendationFilter.SORTS), each in its order,
            # with the key and the columns its expression reads: the first page is the index's
            # first entries instead of a sort of every recommendation (270 to 400 ms each at
            # 200,000), and a deep page's keys come from the index alone (paging).
            *(
                models.Index(
                    first, "consultation_id", "paragraph", include=["id", *reads], name=name
                )
                for first, reads, name in (
                    (UPDATED_OR_NEVER.desc(), ["status_changed_at"], "tracker_rec_sort_updated"),
                    (LAST_MOVED, ["status_changed_at", "created_at"], "tracker_rec_sort_quiet"),
                    (STATUS_RANK, ["status"], "tracker_rec_sort_status"),
                    (STATUS_RANK.desc(), ["status"], "tracker_rec_sort_progress"),
                    (F("published_action_count").desc(), [], "tracker_rec_sort_actions"),
                )
            ),
            # The two date sorts with a status chosen: those never updated (most of them,
            # the status "no information") sort first by one and last by the other, so the
            # sort's own index walked 80,000 of them at N = 200,000 before the first row of
            # another status (110 to 200 ms). A status's rows, in the sort's order. (The sorts
            # by status need none: the status filter also tests the rank, which their
            # indexes lead with.)
            *(
                models.Index(
                    "status", first, "consultation_id", "paragraph", include=["id"], name=name
                )
                for first, name in (
                    (UPDATED_OR_NEVER.desc(), "tracker_rec_status_updated"),
                    (LAST_MOVED, "tracker_rec_status_quiet"),
                )
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "paragraph", "sub_item"],
                name="tracker_recommendation_unique_paragraph",
            ),
            models.CheckConstraint(
                condition=_choice_is_valid("status", RecommendationStatus),
                name="tracker_recommendation_status_valid",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="tracker_recommendation_has_text"),
            models.CheckConstraint(
                condition=_choice_is_valid("scope", RecommendationScope),
                name="tracker_recommendation_scope_valid",
            ),
        ]


class RecommendationObjective(NaturalKeyModel):
    """Links a recommendation to an objective; PROTECT keeps objectives in use from deletion."""

    recommendation = models.ForeignKey(Recommendation, models.CASCADE, related_name="+")
    objective = models.ForeignKey(Objective, models.PROTECT, related_name="+")

    natural_key_fields = (
        "recommendation__consultation__slug",
        "recommendation__paragraph",
        "recommendation__sub_item",
        "objective__number",
    )

    class Meta:
        verbose_name = _("recommendation objective")
        verbose_name_plural = _("recommendation objectives")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "objective"], name="tracker_recobjective_unique"
            ),
        ]

    def __str__(self):
        return f"{self.recommendation.reference} – {self.objective}"


class ObjectiveStatusCount(QuickChoiceLabels):
    """How many recommendations of an objective are at a status: the dashboard's objective
    breakdown without grouping every recommendation-objective link on each read.

    Kept by database triggers (migration 0007) on recommendation-objective links and on
    recommendations' status, so every write path keeps it exact: the status service, the admin,
    imports, fixtures and set-based synthetic data alike. Nothing in Python writes it but
    `manage.py repair_counts` (services.counts). The triggers take its rows in one order,
    objective then status (migration 0010), so concurrent status changes cannot deadlock.
    """

    objective = models.ForeignKey(Objective, models.CASCADE, related_name="+")
    status = models.CharField(max_length=24, choices=RecommendationStatus)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("objective status count")
        verbose_name_plural = _("objective status counts")
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "status"], name="tracker_objstatuscount_unique"
            ),
        ]

    def __str__(self):
        return f"{self.objective_id} {self.status}: {self.count}"


class ScopeStatusCount(QuickChoiceLabels):
    """How many recommendations are of a scope and at a status: every recommendation, the
    ESCAP-wide ones (which apply to every member) and the status distribution, without counting
    200,000 rows on each read (the dashboard, a country's scorecard, the country map).

    Kept by database triggers (migration 0035) on recommendations' insertion, deletion and
    change of scope or status, so every write path keeps it exact, as ObjectiveStatusCount's are.
    Nothing in Python writes it but `manage.py repair_counts` (services.counts). The triggers
    take its rows in one order, scope then status, so concurrent writes cannot deadlock.
    """

    scope = models.CharField(max_length=20, choices=RecommendationScope)
    status = models.CharField(max_length=24, choices=RecommendationStatus)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("scope status count")
        verbose_name_plural = _("scope status counts")
        constraints = [
            models.UniqueConstraint(fields=["scope", "status"], name="tracker_scopestatus_unique"),
        ]

    def __str__(self):
        return f"{self.scope} {self.status}: {self.count}"


class ObjectiveScopeCount(QuickChoiceLabels):
    """How many recommendations of an objective are of a scope: how many of an objective apply
    to every ESCAP member (a country's scorecard, per objective), without reading the links of
    every recommendation of another scope.

    Kept by database triggers (migration 0035) on recommendation-objective links and on
    recommendations' change of scope; repaired only by `manage.py repair_counts`. Rows are taken
    in objective, scope order."""

    objective = models.ForeignKey(Objective, models.CASCADE, related_name="+")
    scope = models.CharField(max_length=20, choices=RecommendationScope)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("objective scope count")
        verbose_name_plural = _("objective scope counts")
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "scope"], name="tracker_objscopecount_unique"
            ),
        ]

    def __str__(self):
        return f"{self.objective_id} {self.scope}: {self.count}"


class BlockCount(models.Model):
    """How many rows of a list belong to one block of keys (`block`), kept by triggers so that a
    deep page of the list starts from the block that holds its first row (tracker.paging's
    skip_by_blocks)."""

    block = models.IntegerField(unique=True)
    count = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.block}: {self.count}"


# Consultations per block of RecommendationBlockCount (by primary key).
CONSULTATION_BLOCK = 100


class RecommendationBlockCount(BlockCount):
    """How many recommendations belong to the consultations of one block of primary keys
    (`block` × CONSULTATION_BLOCK up to the next block), so that a deep page of every
    recommendation in their default order (consultation, paragraph, sub-item) starts from the
    block that holds its first row instead of skipping every recommendation before it (at
    200,000 recommendations, the API's last page skipped 199,950 index entries: 26 ms;
    tracker.paging.skip_to_consultation_block).

    Kept by database triggers (migration 0042) on recommendations' insertion, deletion and
    change of consultation, so it follows every write path; repaired only by
    `manage.py repair_counts` (services.counts)."""

    class Meta:
        verbose_name = _("recommendation block count")
        verbose_name_plural = _("recommendation block counts")


class StatusChange(QuickChoiceLabels):
    """One change of a recommendation's status: append-only history.

    Rows are written only by tracker.services.recommendation_set_status() and never updated or
    deleted: the admin offers no change or delete, and a database trigger (migration 0002) refuses
    UPDATE, and DELETE on PostgreSQL.
    """

    recommendation = models.ForeignKey(
        Recommendation,
        models.PROTECT,
        related_name="status_changes",
        verbose_name=_("recommendation"),
    )
    old_status = models.CharField(_("from"), max_length=24, choices=RecommendationStatus)
    new_status = models.CharField(_("to"), max_length=24, choices=RecommendationStatus)
    reason = models.TextField(_("reason"), validators=[multi_line_validator])
    evidence_url = models.URLField(
        _("evidence link"), max_length=500, blank=True, validators=[http_url_validator]
    )
    effective_date = models.DateField(_("effective date"))
    changed_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # PROTECT, not SET_NULL: history rows are never updated, so staff accounts that wrote history
    # are deactivated rather than deleted.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("changed by")
    )

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [
            # The status timeline of one recommendation, newest first.
            models.Index(
                fields=["recommendation", "changed_at"], name="tracker_statuschange_rec_at"
            ),
            # The dashboard's latest changes and the feeds (selectors.latest_status_changes).
            models.Index(fields=["-changed_at", "-id"], name="tracker_statuschange_latest"),
            # What changed in a range of effective dates, newest first (tracker.changes).
            models.Index(
                fields=["-effective_date", "-changed_at", "-id"],
                name="tracker_statuschange_effective",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(old_status=F("new_status")), name="tracker_statuschange_is_change"
            ),
            models.CheckConstraint(
                condition=_choice_is_valid("old_status", RecommendationStatus)
                & _choice_is_valid("new_status", RecommendationStatus),
                name="tracker_statuschange_status_valid",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="tracker_statuschange_has_reason"),
            models.CheckConstraint(
                condition=_http_url_or_blank("evidence_url"),
                name="tracker_statuschange_evidence_http",
            ),
        ]

    def __str__(self):
        return f"{self.recommendation.reference}: {self.old_status} → {self.new_status}"


class GoodPractice(ReportParagraph):
    """A good practice the report records, with the countries and organisations it names."""

    consultation = models.ForeignKey(
        Consultation, models.PROTECT, related_name="good_practices", verbose_name=_("consultation")
    )
    objectives = models.ManyToManyField(
        Objective, related_name="good_practices", verbose_name=_("objectives")
    )
    countries = models.ManyToManyField(
        Country, related_name="good_practices", blank=True, verbose_name=_("countries named")
    )
    stakeholders = models.ManyToManyField(
        Stakeholder,
        related_name="good_practices",
        blank=True,
        verbose_name=_("organisations named"),
    )
    history = HistoricalRecords()

    class Meta(ReportParagraph.Meta):
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "paragraph", "sub_item"],
                name="tracker_goodpractice_unique_paragraph",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="tracker_goodpractice_has_text"),
        ]


class FollowUpAction(TimeStampedModel):
    """Something a stakeholder did about one or more recommendations.

    Contributors write drafts; staff review them. Only PUBLISHED actions are public. Content and
    review state change through tracker.services.actions, and staff may correct an action's
    content in the admin (FollowUpActionAdmin); each bumps `version`.
    """

    title = models.CharField(_("title"), max_length=200, validators=[single_line_validator])
    description = models.TextField(_("description"), validators=[multi_line_validator])
    lead_stakeholder = models.ForeignKey(
        Stakeholder, models.PROTECT, related_name="led_actions", verbose_name=_("lead organisation")
    )
    partners = models.ManyToManyField(
        Stakeholder,
        through="ActionPartner",
        related_name="partner_actions",
        blank=True,
        verbose_name=_("partners"),
    )
    recommendations = models.ManyToManyField(
        Recommendation,
        through="ActionRecommendation",
        related_name="actions",
        verbose_name=_("recommendations"),
    )
    countries = models.ManyToManyField(
        Country, through="ActionCountry", related_name="actions", verbose_name=_("countries")
    )
    action_type = models.CharField(_("type of action"), max_length=30, choices=ActionType)
    progress = models.CharField(_("progress"), max_length=20, choices=ActionProgress)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    review_state = models.CharField(
        _("review state"), max_length=20, choices=ReviewState, default=ReviewState.DRAFT
    )
    review_note = models.TextField(
        _("reviewer's reason"),
        blank=True,
        help_text=_("Why the action was returned to its authors."),
        validators=[multi_line_validator],
    )
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
    # Optimistic lock, as Recommendation.version: every step of the workflow (edit, submit,
    # publish, return) adds one, and an edit made against an older version is refused
    # (services.actions.ActionConflict), so two contributors cannot overwrite each other.
    version = models.PositiveIntegerField(_("version"), default=0)
    # Bit n is set when one of its recommendations is under objective n: the work pages filter
    # by an objective on the row they read (workspace.filtering). The database keeps it
    # (triggers of migration 0039) whatever writes the links or the groupings, so save() never
    # writes it back from an instance that may have been read before its links changed.
    objective_mask = models.BigIntegerField(
        _("objectives"), default=0, db_default=0, editable=False
    )
    history = HistoricalRecords(excluded_fields=["objective_mask"])

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        permissions = [("review_followupaction", _("Can publish or return follow-up actions"))]
        indexes = [
            # Public lists and counts read published actions, newest first (selectors.action_list).
            # The key is in it, in the list's order: a deep page's keys (action_pages, from the
            # day that holds its first row) are read from the index alone, not from each row
            # (a day held 21,875 actions at 2,000,000: 20 ms -> 5 ms).
            models.Index(
                fields=["review_state", "-published_at", "-id"], name="tracker_action_published"
            ),
            # The review queue, oldest submission first (workspace.views): a page without
            # sorting every row.
            models.Index(
                fields=["review_state", "submitted_at", "id"], name="tracker_action_queue"
            ),
            # The queue filtered by an objective: its submitted actions about each objective.
            *queue_indexes("tracker_action_queue"),
            # An organisation's workspace list, last changed first. It carries what the
            # workspace's filters test (state, objective bits, the title a search looks in), so
            # a filtered page or count walks the index alone on PostgreSQL (an index-only scan)
            # instead of fetching every action it tests.
            models.Index(
                fields=["lead_stakeholder", "-updated_at", "-id"],
                include=["review_state", "objective_mask", "title"],
                name="tracker_action_org_recent",
            ),
            # The public list filtered by a type or by progress: its pages, newest first, and its
            # count read from one index (counting walked every action: 181 ms at 2,000,000).
            # Each includes what the list's other kinds test, so a list filtered by two or
            # three kinds reads one index alone too (type and progress: 214 -> 50 ms).
            *(
                models.Index(
                    fields=[field, "-published_at", "-id"],
                    condition=Q(review_state=ReviewState.PUBLISHED),
                    include=[other, "objective_mask"],
                    name=f"tracker_action_{short}_pub",
                )
                for field, other, short in (
                    ("action_type", "progress", "type"),
                    ("progress", "action_type", "progress"),
                )
            ),
            # And by an objective: one index for each, of the published actions about it.
            *published_indexes("tracker_action_pub", include=["action_type", "progress"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_choice_is_valid("action_type", ActionType),
                name="tracker_action_type_valid",
            ),
            models.CheckConstraint(
                condition=_choice_is_valid("progress", ActionProgress),
                name="tracker_action_progress_valid",
            ),
            models.CheckConstraint(
                condition=_choice_is_valid("review_state", ReviewState),
                name="tracker_action_review_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="tracker_action_dates_ordered",
            ),
            # Contributors must be told why their action came back.
            models.CheckConstraint(
                condition=~Q(review_state=ReviewState.RETURNED) | ~Q(review_note=""),
                name="tracker_action_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(review_state=ReviewState.PUBLISHED) | Q(published_at__isnull=False),
                name="tracker_action_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def links(self, name: str) -> list:
        """The action's `name` (recommendations, countries, partners or evidence) as
        selectors.action_list() fetched them (listed_<name>), or read now, through any prefetch,
        for an action fetched another way."""
        listed = self.__dict__.get(f"listed_{name}")
        return listed if listed is not None else list(getattr(self, name).all())

    def save(self, *args, **kwargs):
        # An update writes every field but the mask (the database's: see objective_mask), and
        # of a partly read row only what was read, as Model.save() would.
        if not (self._state.adding or args or kwargs.get("force_insert")) and (
            kwargs.get("update_fields") is None
        ):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key
                and field.attname != "objective_mask"
                and field.attname not in deferred
            ]
        super().save(*args, **kwargs)


class ActionEvidence(models.Model):
    """A link to evidence of a follow-up action (a report, a law, a news item)."""

    action = models.ForeignKey(
        FollowUpAction, models.CASCADE, related_name="evidence", verbose_name=_("action")
    )
    url = models.URLField(_("link"), max_length=500, validators=[http_url_validator])
    title = models.CharField(
        _("title"), max_length=200, blank=True, validators=[single_line_validator]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        constraints = [
            models.CheckConstraint(
                condition=_is_http_url("url"), name="tracker_actionevidence_url_http"
            ),
        ]

    def __str__(self):
        return self.title or self.url


class ActionLink(models.Model):
    """Links an action to what it refers to: removing the action removes the link, while the
    PROTECT on the other side keeps referenced rows from deletion."""

    action = models.ForeignKey(FollowUpAction, models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class ActionRecommendation(ActionLink):
    recommendation = models.ForeignKey(Recommendation, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("recommendation acted on")
        verbose_name_plural = _("recommendations acted on")
        indexes = [
            # The actions about a set of recommendations (the work lists' objective filter),
            # read from the index alone; the unique constraint serves the other direction.
            models.Index(fields=["recommendation", "action"], name="tracker_actionrec_by_rec"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "recommendation"], name="tracker_actionrec_unique"
            ),
        ]

    def __str__(self):
        return self.recommendation.reference


class DatedActionLink(ActionLink):
    """An action link that carries when its action was published (empty while it is not), so
    that the newest published actions of what it links to are the first entries of an index of
    links (ActionCountry: a country's). ActionPartner keeps the date too (migration 0049), but
    its index went with migration 0066: an organisation's newest actions come from
    StakeholderAction. The database keeps it from the action's row (tracker.link_dates_sql:
    triggers of migrations 0040 and 0049)."""

    action_published_at = models.DateTimeField(
        _("action published"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True


class ActionCountry(DatedActionLink):
    # Indexed with the action (Meta.indexes), not alone.
    country = models.ForeignKey(Country, models.PROTECT, related_name="+", db_index=False)
    # Copies of its action's type, progress and objective bits, kept by the database from the
    # action's row (triggers of migration 0053, as the date's): the public list filtered by a
    # country with any of these reads and counts the country's links alone
    # (tracker.action_pages.PublishedActions), not each of its actions.
    action_type = models.CharField(
        _("type of action"), max_length=30, default="", db_default="", editable=False
    )
    action_progress = models.CharField(
        _("progress"), max_length=20, default="", db_default="", editable=False
    )
    action_objective_mask = models.BigIntegerField(
        _("objectives"), default=0, db_default=0, editable=False
    )

    class Meta:
        verbose_name = _("country of action")
        verbose_name_plural = _("countries of action")
        indexes = [
            # A country's actions in any state, their keys from the index alone (an index-only
            # scan): with another link filter, the keys in common are found from these.
            models.Index(fields=["country", "action"], name="tracker_actioncountry_keys"),
            # A country's published actions, newest first, with the copies its list's other
            # filters test: a page or a count of the list filtered by a country and a type, a
            # progress or an objective is read from this index alone on PostgreSQL.
            models.Index(
                fields=["country", "-action_published_at", "-action"],
                condition=Q(action_published_at__isnull=False),
                include=["action_type", "action_progress", "action_objective_mask"],
                name="tracker_actioncountry_newest",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "country"], name="tracker_actioncountry_unique"
            ),
        ]

    def __str__(self):
        return self.country.short_name


class ActionPartner(DatedActionLink):
    # Indexed with the action (Meta.indexes), not alone.
    stakeholder = models.ForeignKey(Stakeholder, models.PROTECT, related_name="+", db_index=False)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [
            # An organisation's partnered actions in any state, from the index alone (as the
            # country links').
            models.Index(fields=["stakeholder", "action"], name="tracker_actionpartner_keys"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "stakeholder"], name="tracker_actionpartner_unique"
            ),
        ]

    def __str__(self):
        return self.stakeholder.name


class RecommendationActedOn(models.Model):
    """A recommendation some owner (an organisation, a country: the subclass's foreign key named
    `OWNER`) acted on, and how many of its published actions are about it. Added to by
    services.actions.published_action_counts_add() in the transaction that publishes an action,
    like the other published-action counts (published actions are never unpublished, and the
    admin keeps their links read-only); `manage.py repair_counts` checks and repairs it
    (services.counts). A row exists only while its count is above zero."""

    OWNER = ""
    recommendation = models.ForeignKey(Recommendation, models.CASCADE, related_name="+")
    action_count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        owner = getattr(self, f"{self.OWNER}_id")
        return f"{owner} {self.recommendation_id}: {self.action_count}"


class StakeholderRecommendation(RecommendationActedOn):
    """A recommendation an organisation acted on (as lead or as partner). The stakeholder page's
    status breakdown groups these rows, a few thousand for the busiest organisation, instead of
    every action link it has."""

    OWNER = "stakeholder"
    # Found by the unique constraint's index, which starts with the organisation.
    stakeholder = models.ForeignKey(Stakeholder, models.CASCADE, related_name="+", db_index=False)

    class Meta:
        verbose_name = _("recommendation an organisation acted on")
        verbose_name_plural = _("recommendations organisations acted on")
        constraints = [
            models.UniqueConstraint(
                fields=["stakeholder", "recommendation"], name="tracker_stakeholderrec_unique"
            ),
        ]


class CountryRecommendation(RecommendationActedOn):
    """A recommendation acted on in a country (by the published actions taken there). The list
    of recommendations filtered by a country reads the country's rows
    (tracker.filters.RecommendationFilter) instead of joining every action link: Thailand's
    19,354 at 200,000 recommendations took 500 ms to count that way."""

    OWNER = "country"
    # Found by the unique constraint's index, which starts with the country.
    country = models.ForeignKey(Country, models.CASCADE, related_name="+", db_index=False)

    class Meta:
        verbose_name = _("recommendation acted on in a country")
        verbose_name_plural = _("recommendations acted on in each country")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "recommendation"], name="tracker_countryrec_unique"
            ),
        ]


class OrganisationAction(models.Model):
    """A published action an organisation led or partnered, once however it took part (the
    services forbid an organisation both leading and partnering an action; the admin and
    seed_synthetic do not). Lists of an organisation's actions count and page its rows, newest
    first, from one index (tracker.action_pages), instead of merging the actions it led with its
    partner links.

    Added to, like the counts above, by services.actions.published_action_counts_add() in the
    transaction that publishes the action (published actions are never unpublished, and the
    admin keeps their organisation and links read-only); `manage.py repair_counts` checks and
    repairs the rows (services.organisation_actions)."""

    stakeholder = models.ForeignKey(Stakeholder, models.CASCADE, related_name="+", db_index=False)
    # Found by the unique constraint's index, which starts with the action.
    action = models.ForeignKey("FollowUpAction", models.CASCADE, related_name="+", db_index=False)
    action_published_at = models.DateTimeField(_("action published"))

    class Meta:
        abstract = True


class StakeholderAction(OrganisationAction):
    """Each of an organisation's published actions: the public list of actions filtered by an
    organisation alone. At 2,000,000 actions, an organisation's deep page (offset 4,000) merged
    4,000 of its led actions with 4,000 of its partner links and sorted them (3 ms, and 2 ms to
    count them); one index now gives both. Migration 0065 filled it."""

    class Meta:
        verbose_name = _("organisation's action")
        verbose_name_plural = _("organisations' actions")
        indexes = [
            # The organisation's actions newest first: a page's keys and the count.
            models.Index(
                fields=["stakeholder", "-action_published_at", "-action"],
                name="tracker_stakeaction_newest",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "stakeholder"], name="tracker_stakeaction_unique"
            ),
        ]

    def __str__(self):
        return f"{self.stakeholder_id} {self.action_id}"


class StakeholderActionCountry(OrganisationAction):
    """An organisation's published action once for each country it was taken in: the public
    list of actions filtered by an organisation and a country, instead of testing each of the
    organisation's actions for a link to the country (at 2,000,000 actions: 9 ms to count and
    9 ms for a page, growing with the data). Migration 0063 filled it."""

    country = models.ForeignKey(Country, models.CASCADE, related_name="+", db_index=False)

    class Meta:
        verbose_name = _("organisation's action in a country")
        verbose_name_plural = _("organisations' actions in each country")
        indexes = [
            # The pair's actions newest first: a page's keys and the count, from the index alone.
            models.Index(
                fields=["stakeholder", "country", "-action_published_at", "-action"],
                name="tracker_stakeactcountry_newest",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "stakeholder", "country"], name="tracker_stakeactcountry_unique"
            ),
        ]

    def __str__(self):
        return f"{self.stakeholder_id} {self.country_id} {self.action_id}"


class AccountRequest(TimeStampedModel):
    """An organisation asking, through the public form, for a contributor account."""

    name = models.CharField(_("your name"), max_length=150, validators=[single_line_validator])
    email = models.EmailField(_("e-mail address"))
    organisation_name = models.CharField(
        _("organisation"), max_length=200, validators=[single_line_validator]
    )
    organisation_website = models.URLField(
        _("organisation's website"), blank=True, validators=[http_url_validator]
    )
    country = models.ForeignKey(
        Country,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    message = models.TextField(
        _("what your organisation does on migration"),
        help_text=_("A few lines that help ESCAP staff recognise your organisation."),
        validators=[multi_line_validator],
    )
    stakeholder = models.ForeignKey(
        Stakeholder,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="account_requests",
        verbose_name=_("stakeholder"),
        help_text=_("The organisation in the tracker this account will act for; set by staff."),
    )
    # Who sent the form, if they were signed in: with the e-mail address, how the services tell
    # that a reviewer is deciding their own request (four eyes).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("requested by"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=AccountRequestState, default=AccountRequestState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The language of the page the request was made on: the answer, and the account's e-mails
    # once approved (the new user's language), are written in it.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("account request")
        verbose_name_plural = _("account requests")
        constraints = [
            models.CheckConstraint(
                condition=_choice_is_valid("state", AccountRequestState),
                name="tracker_accountrequest_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(state=AccountRequestState.PENDING) | Q(decided_at__isnull=False),
                name="tracker_accountrequest_decided_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.organisation_name} ({self.email})"


class PublicGeneration(models.Model):
    """The public-data generation: one row whose number moves on whenever public data changes.

    Part of the key of every cached public page, API answer and aggregate; how it is kept and read
    is described in tracker.cache. It lives here rather than in the cache so that every process
    (web workers, a shell, `import_report`, `load_seed`) sees the same number and no cache outage
    can lose a bump. Derived state: not exported, never edited by hand.
    """

    # The only row's key: the constraint below keeps the table to that one row.
    ROW = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ROW)
    number = models.BigIntegerField()

    class Meta:
        verbose_name = _("public-data generation")
        verbose_name_plural = _("public-data generation")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="tracker_publicgeneration_one_row"),
        ]

    def __str__(self):
        return str(self.number)


class ApiToken(models.Model):
    """A user's API token (at most one). Only a SHA-256 hash of the key is stored, so a copy of
    the database or a backup opens nobody's account; the key is shown once, when it is made.

    `password_fingerprint` is the user's session hash when the token was made: a password change
    or reset changes it, and the token stops working (services.tokens), as sessions do.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_token",
        verbose_name=_("user"),
    )
    # Keys are 160 random bits, so an unsalted hash is as good as a salted one and can be
    # looked up directly.
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    password_fingerprint = models.CharField(max_length=128)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return str(self.user)


# Published actions of each type, progress and objective (tracker.action_pages).
from .action_count_models import CountryActionCount, PublishedActionCount  # noqa: E402, F401

# The country dimension lives in its own module; imported here so Django registers its models.
from .country_models import (  # noqa: E402, F401
    Assessment,
    AssessmentBlockCount,
    AssessmentChange,
    AssessmentStatusCount,
    AssessmentSubmission,
    DisagreementCount,
    RecommendationScopeArea,
    SelectedAreaCount,
)

# Counts per day for "what changed" over long ranges (tracker.changes).
from .day_count_models import (  # noqa: E402, F401
    PublishedActionDayCount,
    PublishedActionObjectiveDayCount,
    PublishedActionSubregionDayCount,
    RegionalChangeDayCount,
    RegionalChangeObjectiveDayCount,
    RegionalChangeScopeDayCount,
)

# Review meetings' named moments (a label on a date; the data stay in the histories).
from .review_models import Snapshot  # noqa: E402, F401
