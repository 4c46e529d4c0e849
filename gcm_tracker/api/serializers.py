"""Output serializers read what the selectors annotated and prefetched, so serializing a page of
rows runs no query of its own; the one input serializer validates the status change's shape
before the service checks its meaning."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gcm_tracker.tracker.enums import ActionProgress, ActionType, RecommendationStatus
from gcm_tracker.tracker.models import (
    ActionEvidence,
    Consultation,
    Country,
    FollowUpAction,
    GoodPractice,
    GuidingPrinciple,
    Objective,
    Recommendation,
    Stakeholder,
    StatusChange,
    Tag,
)

from .languages import SourceLanguageField, TextLanguageField, TranslatedTextField

# The largest version a client can send: PostgreSQL's integer, which holds Recommendation.version.
MAX_VERSION = 2**31 - 1


@extend_schema_field(OpenApiTypes.URI)
class PageLinkField(serializers.Field):
    """The absolute address of the object's page on the public site."""

    def __init__(self, view_name: str, lookup: str, **kwargs):
        self.view_name, self.lookup = view_name, lookup
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        url = reverse(self.view_name, args=[getattr(value, self.lookup)])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


def no_such(model, field: str, value) -> str:
    """The message for a natural key that names no row: 404s and unknown references alike."""
    return _("No %(model)s has the %(field)s “%(value)s”.") % {
        "model": model._meta.verbose_name,
        "field": model._meta.get_field(field).verbose_name,
        "value": value,
    }


def _api_link(view_name: str, lookup_field: str = "pk"):
    return serializers.HyperlinkedIdentityField(
        view_name=view_name, lookup_field=lookup_field, help_text=_("This resource in the API.")
    )


def _keys(slug_field: str, help_text: str):
    """A list of related rows by their natural key, read from the selector's prefetch."""
    return serializers.SlugRelatedField(
        slug_field=slug_field, many=True, read_only=True, help_text=help_text
    )


class _ReadsActionLinks:
    """A field of an action's links that reads them as selectors.action_list() lists them
    (FollowUpAction.links()): through the related manager, each action would query them
    again."""

    def get_attribute(self, instance):
        return instance.links(self.source)


class _ActionLinks(_ReadsActionLinks, serializers.ManyRelatedField):
    """An action's links by their natural key."""


def _action_keys(slug_field: str, help_text: str):
    child = serializers.SlugRelatedField(slug_field=slug_field, read_only=True)
    return _ActionLinks(child_relation=child, read_only=True, help_text=help_text)


class ObjectiveSerializer(serializers.ModelSerializer):
    title = TranslatedTextField("title", Objective)
    title_language = TextLanguageField("title")
    short_label = TranslatedTextField("short_label", Objective)
    short_label_language = TextLanguageField("short_label")
    source_language = SourceLanguageField()
    url = _api_link("api:objective-detail", "number")
    page_url = PageLinkField("dashboards:objective-detail", "number")

    class Meta:
        model = Objective
        fields = [
            "number",
            "title",
            "short_label",
            "url",
            "page_url",
            # Added after the others (issue 17), so that no existing field moves.
            "title_language",
            "short_label_language",
            "source_language",
        ]


class GuidingPrincipleSerializer(serializers.ModelSerializer):
    name = TranslatedTextField("name", GuidingPrinciple)
    name_language = TextLanguageField("name")
    source_language = SourceLanguageField()
    url = _api_link("api:guiding-principle-detail", "letter")

    class Meta:
        model = GuidingPrinciple
        fields = ["letter", "name", "url", "name_language", "source_language"]


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["slug", "kind", "name"]


class CountrySerializer(serializers.ModelSerializer):
    url = _api_link("api:country-detail", "iso3")
    page_url = PageLinkField("dashboards:country-detail", "iso3")
    published_action_count = serializers.IntegerField(
        source="action_count", read_only=True, help_text=_("Published follow-up actions in it.")
    )
    good_practice_count = serializers.IntegerField(
        read_only=True, help_text=_("Good practices that name it.")
    )

    class Meta:
        model = Country
        fields = [
            "iso3",
            "name",
            "short_name",
            "subregion",
            "membership",
            "published_action_count",
            "good_practice_count",
            "url",
            "page_url",
        ]


class StakeholderSerializer(serializers.ModelSerializer):
    url = _api_link("api:stakeholder-detail", "slug")
    page_url = PageLinkField("dashboards:stakeholder-detail", "slug")
    country = serializers.SlugRelatedField(
        slug_field="iso3",
        read_only=True,
        allow_null=True,
        help_text=_("ISO alpha-3 code of where it is based; null for regional or global bodies."),
    )
    led_action_count = serializers.IntegerField(
        read_only=True, help_text=_("Published follow-up actions it led.")
    )
    partner_action_count = serializers.IntegerField(
        read_only=True, help_text=_("Published follow-up actions it took part in as a partner.")
    )

    class Meta:
        model = Stakeholder
        fields = [
            "slug",
            "name",
            "acronym",
            "kind",
            "country",
            "website",
            "led_action_count",
            "partner_action_count",
            "url",
            "page_url",
        ]


class ConsultationSerializer(serializers.ModelSerializer):
    title = TranslatedTextField("title", Consultation)
    title_language = TextLanguageField("title")
    source_language = SourceLanguageField()
    # Declared rather than derived from the model, whose integer range the database decides: the
    # schema must be the same whatever the database.
    participants = serializers.IntegerField(read_only=True, allow_null=True)
    participant_countries = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Countries represented.")
    )
    url = _api_link("api:consultation-detail", "slug")
    page_url = PageLinkField("dashboards:consultation-detail", "slug")
    objectives = _keys("number", _("Numbers of the GCM objectives it covered."))
    organisers = _keys("slug", _("Slugs of the organisations that organised it."))
    recommendation_count = serializers.IntegerField(read_only=True)
    good_practice_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Consultation
        fields = [
            "slug",
            "title",
            "date",
            "format",
            "location",
            "objectives",
            "organisers",
            "participants",
            "participant_countries",
            "report_title",
            "report_url",
            "summary",
            "recommendation_count",
            "good_practice_count",
            "url",
            "page_url",
            "title_language",
            "source_language",
        ]


class CitationSerializer(serializers.Serializer):
    """Where a paragraph comes from: the consultation's summary report, the paragraph number and
    the item of the paragraph, if any."""

    consultation = serializers.SlugField(source="consultation.slug")
    title = TranslatedTextField("title", Consultation, source="consultation")
    date = serializers.DateField(source="consultation.date")
    report_title = serializers.CharField(source="consultation.report_title")
    report_url = serializers.CharField(source="consultation.report_url")
    paragraph = serializers.IntegerField()
    sub_item = serializers.CharField(
        help_text=_(
            "Letter or number of the paragraph's item (“a” of 86(a)); empty for a whole paragraph."
        )
    )
    # Declared last, so that the fields clients already read keep their order.
    title_language = TextLanguageField("title", source="consultation")


class TimelineEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = StatusChange
        fields = [
            "id",
            "old_status",
            "new_status",
            "reason",
            "evidence_url",
            "effective_date",
            "changed_at",
        ]
        extra_kwargs = {
            "effective_date": {
                "help_text": _("From when the change holds; may be earlier than it was recorded.")
            },
            "changed_at": {
                "help_text": _(
                    "When the change was recorded. The newest recorded change sets the status."
                )
            },
        }


class StatusChangeSerializer(TimelineEntrySerializer):
    url = _api_link("api:status-change-detail")
    recommendation = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta(TimelineEntrySerializer.Meta):
        fields = ["id", "url", "recommendation", *TimelineEntrySerializer.Meta.fields[1:]]


class RecommendationSerializer(serializers.ModelSerializer):
    short_title = TranslatedTextField("short_title", Recommendation)
    short_title_language = TextLanguageField("short_title")
    text = TranslatedTextField("text", Recommendation)
    text_language = TextLanguageField("text")
    source_language = SourceLanguageField()
    url = _api_link("api:recommendation-detail", "reference")
    page_url = PageLinkField("dashboards:recommendation-detail", "reference")
    citation = CitationSerializer(source="*", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    objectives = _keys("number", _("Numbers of the GCM objectives it belongs to."))
    guiding_principles = _keys("letter", _("Letters (a–j) of the guiding principles it touches."))
    tags = TagSerializer(many=True, read_only=True)
    published_action_count = serializers.IntegerField(
        read_only=True, help_text=_("Published follow-up actions about it.")
    )
    version = serializers.IntegerField(
        read_only=True,
        help_text=_(
            "Goes up by one with every status change; send it back when changing the status."
        ),
    )

    class Meta:
        model = Recommendation
        fields = [
            "reference",
            "short_title",
            "url",
            "page_url",
            "citation",
            "text",
            "status",
            "status_label",
            "version",
            "status_changed_at",
            "status_effective_on",
            "objectives",
            "guiding_principles",
            "tags",
            "published_action_count",
            "short_title_language",
            "text_language",
            "source_language",
        ]
        extra_kwargs = {
            "status_changed_at": {
                "help_text": _(
                    "When the change that set the current status was recorded; null if the "
                    "status never changed."
                )
            },
            "status_effective_on": {
                "help_text": _(
                    "The date from which the current status holds, as the change that set it "
                    "says (earlier than `status_changed_at` for a change recorded after the "
                    "fact); null if the status never changed."
                )
            },
        }


class RecommendationDetailSerializer(RecommendationSerializer):
    status_changes = TimelineEntrySerializer(
        many=True,
        read_only=True,
        help_text=_(
            "Status history, newest recorded change (`changed_at`) first: the first entry set the "
            "current status, even when an older entry has a later `effective_date`."
        ),
    )

    class Meta(RecommendationSerializer.Meta):
        fields = [*RecommendationSerializer.Meta.fields, "status_changes"]


class GoodPracticeSerializer(serializers.ModelSerializer):
    short_title = TranslatedTextField("short_title", GoodPractice)
    short_title_language = TextLanguageField("short_title")
    text = TranslatedTextField("text", GoodPractice)
    text_language = TextLanguageField("text")
    source_language = SourceLanguageField()
    url = _api_link("api:good-practice-detail", "reference")
    citation = CitationSerializer(source="*", read_only=True)
    objectives = _keys("number", _("Numbers of the GCM objectives it belongs to."))
    countries = _keys("iso3", _("ISO alpha-3 codes of the countries it names."))
    stakeholders = _keys("slug", _("Slugs of the organisations it names."))

    class Meta:
        model = GoodPractice
        fields = [
            "reference",
            "short_title",
            "url",
            "citation",
            "text",
            "objectives",
            "countries",
            "stakeholders",
            "short_title_language",
            "text_language",
            "source_language",
        ]


class _ActionEvidenceList(_ReadsActionLinks, serializers.ListSerializer):
    """An action's evidence."""


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionEvidence
        fields = ["url", "title"]
        list_serializer_class = _ActionEvidenceList


class ActionSerializer(serializers.ModelSerializer):
    """A follow-up action. The public sees published ones only; an organisation's contributors
    also see its drafts, and reviewers what was sent for review. Authors are not shown."""

    url = _api_link("api:action-detail")
    lead_stakeholder = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    partners = _action_keys("slug", _("Slugs of the partner organisations."))
    recommendations = _action_keys("reference", _("References of the recommendations it acts on."))
    countries = _action_keys("iso3", _("ISO alpha-3 codes of the countries where it took place."))
    evidence = EvidenceSerializer(many=True, read_only=True)
    # Declared, not derived from the model field: a PositiveIntegerField's maximum in the schema
    # would be the database's (SQLite's and PostgreSQL's differ), and openapi.yaml is one file.
    version = serializers.IntegerField(
        read_only=True,
        help_text=_(
            "Goes up by one with every change and workflow step; send it back when changing the "
            "action."
        ),
    )

    class Meta:
        model = FollowUpAction
        fields = [
            "id",
            "url",
            "title",
            "description",
            "lead_stakeholder",
            "partners",
            "recommendations",
            "countries",
            "action_type",
            "progress",
            "start_date",
            "end_date",
            "review_state",
            "review_note",
            "submitted_at",
            "published_at",
            "evidence",
            "version",
        ]


# The most rows of one kind an action may name; it bounds the lookups a request can cause.
MAX_LINKS = 100


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not take, so a client that sends a read-only field (review state,
    organisation on edit, author, version) or misspells one learns it instead of being ignored."""

    read_only_names: frozenset[str] = frozenset()

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {
                name: [
                    _("This field is read-only.")
                    if name in self.read_only_names
                    else _("Unknown field.")
                ]
                for name in data
                if name not in self.fields or self.fields[name].read_only
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def _natural_keys(model, key: str, help_text: str, **kwargs) -> serializers.ListField:
    length = model._meta.get_field(key).max_length
    return serializers.ListField(
        child=serializers.CharField(max_length=length),
        max_length=MAX_LINKS,
        help_text=help_text,
        **kwargs,
    )


def _resolve(model, key: str, values: list[str]) -> list:
    """The rows named by `values` (one query, in the order given); a name that matches no row is
    a validation error that quotes it."""
    rows = {getattr(row, key): row for row in model.objects.filter(**{f"{key}__in": values})}
    unknown = [value for value in values if value not in rows]
    if unknown:
        raise serializers.ValidationError(no_such(model, key, unknown[0]))
    return [rows[value] for value in dict.fromkeys(values)]


class ActionInputSerializer(StrictSerializer):
    """What a contributor sends to record an action (and, with the version they read, to change
    a draft or returned one: ActionUpdateInputSerializer). It is written by the same service as
    the contributor area's form (tracker.services.actions)."""

    read_only_names = frozenset(ActionSerializer.Meta.fields) | {
        "created_by",
        "reviewed_by",
        "reviewed_at",
        "version",
    }

    lead_stakeholder = serializers.CharField(
        max_length=Stakeholder._meta.get_field("slug").max_length,
        required=False,
        help_text=_(
            "Slug of the organisation the action is recorded for, one you are a member of; it "
            "may be left out if you are a member of one only. It cannot be changed afterwards."
        ),
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(
        help_text=_("What was done, with whom, and what came of it.")
    )
    action_type = serializers.ChoiceField(choices=ActionType.choices)
    progress = serializers.ChoiceField(choices=ActionProgress.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    recommendations = _natural_keys(
        Recommendation, "reference", _("References of the recommendations it acts on.")
    )
    countries = _natural_keys(
        Country, "iso3", _("ISO alpha-3 codes of the countries where it took place.")
    )
    partners = _natural_keys(
        Stakeholder,
        "slug",
        _("Slugs of the partner organisations."),
        required=False,
        default=list,
    )
    evidence_urls = serializers.ListField(
        child=serializers.URLField(max_length=ActionEvidence._meta.get_field("url").max_length),
        max_length=MAX_LINKS,
        required=False,
        default=list,
        help_text=_("Public http(s) links to reports, news or documents about it."),
    )

    def validate_lead_stakeholder(self, value):
        return _resolve(Stakeholder, "slug", [value])[0]

    def validate_recommendations(self, value):
        return _resolve(Recommendation, "reference", value)

    def validate_countries(self, value):
        return _resolve(Country, "iso3", value)

    def validate_partners(self, value):
        return _resolve(Stakeholder, "slug", value)


class ActionUpdateInputSerializer(ActionInputSerializer):
    """What a contributor sends to change a draft or returned action: its content (every field
    with PUT, some with PATCH) and, always, the version they read."""

    read_only_names = ActionInputSerializer.read_only_names - {"version"}

    version = serializers.IntegerField(
        min_value=0,
        max_value=MAX_VERSION,
        help_text=_(
            "The action's version as the client last read it; a stale version answers 409 with "
            "the action as it is now, and changes nothing."
        ),
    )

    def validate(self, attrs):
        # PATCH makes every field optional; the version never is.
        if "version" not in attrs:
            raise serializers.ValidationError({"version": [_("This field is required.")]})
        return attrs


class StepVersionSerializer(serializers.Serializer):
    """The version a contributor read before submitting (in the body) or withdrawing (a query
    parameter): optional, so clients written before it existed work as they did (and, as then,
    other fields are ignored)."""

    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_VERSION,
        help_text=_(
            "The version as the client last read it. If sent and stale, the answer is 409 with "
            "the current state, and nothing changes; if left out, the step is not checked."
        ),
    )

    @classmethod
    def version_in(cls, data) -> int | None:
        """The version in `data` (request.data or query_params); 400 if it is not one."""
        step = cls(data=data)
        step.is_valid(raise_exception=True)
        return step.validated_data.get("version")


class ActionConflictSerializer(serializers.Serializer):
    """409: the action changed since the client read it (`current` is how it is now), or its
    review state does not allow the step (no `current`); nothing was written."""

    detail = serializers.CharField()
    current = ActionSerializer(
        required=False, help_text=_("The action as it is now, when the version was stale.")
    )


class ActionReturnInputSerializer(StrictSerializer):
    reason = serializers.CharField(
        help_text=_("Why the action goes back to its authors; they are e-mailed it.")
    )


class StatusChangeInputSerializer(StrictSerializer):
    """What a client sends to change a recommendation's status."""

    read_only_names = frozenset(StatusChangeSerializer.Meta.fields) | {
        "reference",
        "status_changed_at",
        "status_effective_on",
        "changed_by",
    }

    status = serializers.ChoiceField(choices=RecommendationStatus.choices)
    reason = serializers.CharField(help_text=_("Why the status changes; shown to the public."))
    evidence_url = serializers.URLField(
        max_length=500,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("A public http(s) link to the evidence."),
    )
    effective_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "When the change took effect: not in the future, not before the consultation. "
            "Defaults to today."
        ),
    )
    version = serializers.IntegerField(
        min_value=0,
        max_value=MAX_VERSION,
        help_text=_(
            "The recommendation's version as the client last saw it; a stale version answers 409 "
            "and changes nothing."
        ),
    )


class StatusChangeResultSerializer(serializers.Serializer):
    recommendation = RecommendationSerializer(help_text=_("The recommendation as it is now."))
    status_change = StatusChangeSerializer(
        allow_null=True,
        help_text=_("The change written; null when the status already was the one sent."),
    )


class StatusConflictSerializer(serializers.Serializer):
    """409: the recommendation changed since the client read it; nothing was written."""

    detail = serializers.CharField()
    reference = serializers.SlugField()
    status = serializers.ChoiceField(choices=RecommendationStatus.choices)
    version = serializers.IntegerField()
    status_changed_at = serializers.DateTimeField(allow_null=True)
