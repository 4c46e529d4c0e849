"""Output of the review endpoints: what changed between two dates (counts and items of each
kind) and snapshots with their status distributions. Items carry what the selector joined, so
serializing a page runs no query of its own."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gcm_tracker.tracker.enums import AssessmentVoice, RecommendationStatus
from gcm_tracker.tracker.models import Snapshot

from .serializers import PageLinkField


def _moved(value: int) -> str:
    return "up" if value > 0 else "down"


class ChangeCountsSerializer(serializers.Serializer):
    regional_up = serializers.IntegerField(help_text=_("Regional status changes that moved up."))
    regional_down = serializers.IntegerField(help_text=_("… that moved down."))
    cells_up = serializers.IntegerField(help_text=_("Country cell status changes that moved up."))
    cells_down = serializers.IntegerField(help_text=_("… that moved down."))
    new_assessments = serializers.IntegerField(help_text=_("Cells assessed for the first time."))
    actions = serializers.IntegerField(help_text=_("Follow-up actions published."))
    recommendations = serializers.IntegerField(help_text=_("Recommendations imported."))


class RegionalChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    recommendation = serializers.CharField(source="recommendation.reference")
    page_url = serializers.SerializerMethodField()
    old_status = serializers.ChoiceField(choices=RecommendationStatus.choices)
    new_status = serializers.ChoiceField(choices=RecommendationStatus.choices)
    moved = serializers.SerializerMethodField()
    effective_date = serializers.DateField()
    changed_at = serializers.DateTimeField(help_text=_("When the change was recorded."))

    def get_moved(self, change) -> str:
        return _moved(change.moved)

    def get_page_url(self, change) -> str:
        url = reverse("dashboards:recommendation-detail", args=[change.recommendation.reference])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class CellChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    recommendation = serializers.CharField(source="assessment.recommendation.reference")
    country = serializers.CharField(source="assessment.country.iso3")
    voice = serializers.ChoiceField(source="assessment.voice", choices=AssessmentVoice.choices)
    organisation = serializers.CharField(
        source="assessment.stakeholder.slug",
        allow_null=True,
        default=None,
        help_text=_("The civil-society organisation's short name; null for the official voice."),
    )
    old_status = serializers.CharField(help_text=_("Empty for a cell's first assessment."))
    status = serializers.ChoiceField(choices=RecommendationStatus.choices)
    effective_date = serializers.DateField()
    changed_at = serializers.DateTimeField(help_text=_("When the change was recorded."))


class ActionItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    lead_organisation = serializers.CharField(source="lead_stakeholder.slug")
    published_at = serializers.DateTimeField()


class NewRecommendationSerializer(serializers.Serializer):
    reference = serializers.CharField()
    page_url = PageLinkField("dashboards:recommendation-detail", "reference")
    consultation = serializers.CharField(source="consultation.slug")
    created_at = serializers.DateTimeField(help_text=_("When its report was imported."))


class ChangesSerializer(serializers.Serializer):
    since = serializers.DateField()
    until = serializers.DateField()
    counts = ChangeCountsSerializer()
    regional = RegionalChangeSerializer(many=True, help_text=_("The newest few; see `kind`."))
    cells = CellChangeSerializer(many=True)
    new_assessments = CellChangeSerializer(many=True)
    actions = ActionItemSerializer(many=True)
    recommendations = NewRecommendationSerializer(many=True)


class SnapshotSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:snapshot-detail", lookup_field="slug", help_text=_("This resource.")
    )
    compare_with_now_url = serializers.SerializerMethodField()

    class Meta:
        model = Snapshot
        fields = ["slug", "url", "name", "date", "note", "compare_with_now_url"]

    def get_compare_with_now_url(self, snapshot) -> str:
        url = reverse("dashboards:snapshot-compare", args=[snapshot.slug, "now"])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class StatusCountsField(serializers.DictField):
    def __init__(self, **kwargs):
        super().__init__(child=serializers.IntegerField(), **kwargs)


class DistributionSerializer(serializers.Serializer):
    by_objective = serializers.DictField(
        child=StatusCountsField(),
        help_text=_("Objective number → status → recommendations (regional status)."),
    )
    by_subregion = serializers.DictField(
        child=serializers.DictField(child=StatusCountsField()),
        help_text=_("Subregion → voice → status → assessed cells."),
    )
    by_country = serializers.DictField(
        child=serializers.DictField(child=StatusCountsField()),
        help_text=_("Country ISO code → voice → status → assessed cells."),
    )


class SnapshotDetailSerializer(SnapshotSerializer):
    distribution = DistributionSerializer(
        read_only=True, help_text=_("Statuses as they stood on the snapshot's date.")
    )

    class Meta(SnapshotSerializer.Meta):
        fields = [*SnapshotSerializer.Meta.fields, "distribution"]
