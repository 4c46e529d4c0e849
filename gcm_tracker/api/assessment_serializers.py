"""Serializers of the country dimension: assessments (public), their history, civil-society
submissions (token), the roll-ups, and the inputs of the writes, which go through
tracker.services as the web forms do. Output serializers read what the selectors joined, so a
page of rows runs no query of its own."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gcm_tracker.tracker.enums import AssessmentVoice, RecommendationStatus
from gcm_tracker.tracker.models import (
    Assessment,
    AssessmentChange,
    AssessmentSubmission,
    Country,
    Recommendation,
    Stakeholder,
)
from gcm_tracker.tracker.services.assessments import CONTENT_FIELDS

from .serializers import MAX_VERSION, StrictSerializer, _api_link, _resolve

MAX_IMPORT_ROWS = 1000
# What an assessment says (the services' content), and the cell it is about.
CONTENT = list(CONTENT_FIELDS)
CELL = ["recommendation", "country"]


def _reference():
    return serializers.SlugRelatedField(
        slug_field="reference",
        read_only=True,
        help_text=_("Reference of the recommendation assessed."),
    )


def _iso3():
    return serializers.SlugRelatedField(
        slug_field="iso3",
        read_only=True,
        help_text=_("ISO alpha-3 code of the country assessed."),
    )


class AssessmentChangeSerializer(serializers.ModelSerializer):
    """One change of a cell. Who made it is not public; the organisation of a civil-society
    cell is on the assessment."""

    old_status = serializers.CharField(
        help_text=_("The status before; empty for the cell's first assessment.")
    )

    class Meta:
        model = AssessmentChange
        fields = ["id", "old_status", *CONTENT, "reason", "changed_at"]


class AssessmentSerializer(serializers.ModelSerializer):
    url = _api_link("api:assessment-detail")
    recommendation = _reference()
    country = _iso3()
    organisation = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        source="stakeholder",
        help_text=_("Slug of the organisation whose view it is; null in the official voice."),
    )
    organisation_name = serializers.CharField(
        source="stakeholder.name", read_only=True, allow_null=True, default=None
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    version = serializers.IntegerField(
        read_only=True,
        help_text=_(
            "Goes up by one with every change of the cell; send it back when recording the "
            "official assessment again."
        ),
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "url",
            "recommendation",
            "country",
            "voice",
            "organisation",
            "organisation_name",
            *CONTENT,
            "status_label",
            "version",
            "recorded_at",
        ]


class AssessmentDetailSerializer(AssessmentSerializer):
    changes = AssessmentChangeSerializer(
        many=True, read_only=True, help_text=_("The cell's history, newest first.")
    )

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "changes"]


class _CellInputSerializer(StrictSerializer):
    """The cell and what is said about it, as the services take them."""

    recommendation = serializers.CharField(
        max_length=Recommendation._meta.get_field("reference").max_length,
        help_text=_("Reference of the recommendation."),
    )
    country = serializers.CharField(
        max_length=3, help_text=_("ISO alpha-3 code of a country the recommendation applies to.")
    )
    status = serializers.ChoiceField(choices=RecommendationStatus.choices)
    summary = serializers.CharField(
        max_length=5000, help_text=_("What the assessment is based on; shown to the public.")
    )
    source_url = serializers.URLField(
        max_length=500,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("A public http(s) link to the source."),
    )
    source_date = serializers.DateField(required=False, allow_null=True, default=None)
    effective_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "When the situation assessed held: not in the future, not before the consultation. "
            "Defaults to today."
        ),
    )

    def validate_recommendation(self, value):
        return _resolve(Recommendation, "reference", [value])[0]

    def validate_country(self, value):
        return _resolve(Country, "iso3", [value.upper()])[0]


class OfficialAssessmentInputSerializer(_CellInputSerializer):
    """What staff send to record a government's own assessment of one cell."""

    read_only_names = frozenset(AssessmentSerializer.Meta.fields) - {*CELL, *CONTENT, "version"}

    source_title = serializers.CharField(
        max_length=300, help_text=_("The report, reply, law or policy it comes from.")
    )
    reason = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)
    version = serializers.IntegerField(
        min_value=0,
        max_value=MAX_VERSION,
        allow_null=True,
        help_text=_(
            "The cell's official version as the client last saw it, or null if it had none; a "
            "stale version answers 409 and writes nothing."
        ),
    )


class OfficialAssessmentResultSerializer(serializers.Serializer):
    assessment = AssessmentSerializer(help_text=_("The cell's official assessment as it is now."))
    change = AssessmentChangeSerializer(
        allow_null=True, help_text=_("The change written; null when nothing changed.")
    )


class AssessmentConflictSerializer(serializers.Serializer):
    """409: the cell changed since the client read it; nothing was written."""

    detail = serializers.CharField()
    current = AssessmentSerializer(
        allow_null=True, help_text=_("The cell's official assessment now; null if it has none.")
    )


class OfficialImportInputSerializer(StrictSerializer):
    """Many official assessments from one government report, checked all together."""

    rows = serializers.ListField(
        child=serializers.JSONField(allow_null=True),
        min_length=1,
        max_length=MAX_IMPORT_ROWS,
        help_text=_(
            "One object per cell: reference, iso3, status (value or label), effective_date "
            "(YYYY-MM-DD), source_title, source_url, summary, and optionally source_date."
        ),
    )
    dry_run = serializers.BooleanField(
        default=False, help_text=_("Check every row and say what would change; write nothing.")
    )

    def validate_rows(self, rows):
        # Checked here rather than by nested fields, so that errors stay one flat list of
        # messages naming their row (the service then checks each row's meaning).
        problems = [
            _("Row %(row)s: give an object whose values are texts without null characters.")
            % {"row": number}
            for number, row in enumerate(rows, start=1)
            if not isinstance(row, dict)
            or not all(
                isinstance(value, str) and "\x00" not in value + key for key, value in row.items()
            )
        ]
        if problems:
            raise serializers.ValidationError(problems)
        return rows


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(source="number", help_text=_("1 for the first row sent."))
    recommendation = serializers.CharField(source="recommendation.reference")
    country = serializers.CharField(source="country.iso3")
    status = serializers.CharField(source="content.status")
    outcome = serializers.ChoiceField(
        choices=["new", "changed", "unchanged"],
        help_text=_("What the row does (or, on a dry run, would do) to the cell."),
    )


class OfficialImportResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField(help_text=_("Whether the rows were recorded."))
    rows = ImportRowSerializer(many=True)


class AssessmentSubmissionSerializer(serializers.ModelSerializer):
    url = _api_link("api:assessment-submission-detail")
    recommendation = _reference()
    country = _iso3()
    organisation = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, source="stakeholder"
    )
    review_note = serializers.CharField(
        read_only=True, help_text=_("Why staff returned it, when they did.")
    )
    version = serializers.IntegerField(
        read_only=True,
        help_text=_("Goes up by one with every step; send it back when changing the content."),
    )

    class Meta:
        model = AssessmentSubmission
        fields = [
            "id",
            "url",
            "recommendation",
            "country",
            "organisation",
            *CONTENT,
            "review_state",
            "review_note",
            "version",
            "created_at",
            "updated_at",
            "submitted_at",
            "reviewed_at",
            "published_at",
        ]


class SubmissionInputSerializer(_CellInputSerializer):
    """What a contributor sends to write their organisation's assessment of one cell."""

    read_only_names = frozenset(AssessmentSubmissionSerializer.Meta.fields) - {
        *CELL,
        *CONTENT,
        "organisation",
        "version",
    }

    organisation = serializers.CharField(
        max_length=Stakeholder._meta.get_field("slug").max_length,
        required=False,
        help_text=_(
            "Slug of the organisation it is for, one you are a member of; it may be left out if "
            "you are a member of one only."
        ),
    )
    source_title = serializers.CharField(
        max_length=300, required=False, default="", allow_blank=True
    )
    submit = serializers.BooleanField(
        default=False, help_text=_("Send it for review at once instead of keeping a draft.")
    )

    def validate_organisation(self, value):
        return _resolve(Stakeholder, "slug", [value])[0]


class SubmissionUpdateInputSerializer(SubmissionInputSerializer):
    """What a contributor sends to change a draft or returned assessment: the fields that
    change, and the version they saw."""

    read_only_names = SubmissionInputSerializer.read_only_names | {"organisation", "submit"}
    organisation = None
    submit = None
    version = serializers.IntegerField(
        min_value=0,
        max_value=MAX_VERSION,
        help_text=_("The version as the client last saw it; a stale one answers 409."),
    )


class SubmissionReturnInputSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=5000, help_text=_("Why it goes back to the organisation.")
    )


class SubmissionConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = AssessmentSubmissionSerializer(help_text=_("The submission as it is now."))


class StatusCountsSerializer(serializers.Serializer):
    no_information = serializers.IntegerField()
    not_started = serializers.IntegerField()
    limited_progress = serializers.IntegerField()
    substantial_progress = serializers.IntegerField()
    implemented = serializers.IntegerField()


class RollupRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text=_(
            "The recommendation's reference, the country's ISO code, the subregion or the "
            "objective's number, as asked with ?by=."
        )
    )
    voice = serializers.ChoiceField(choices=AssessmentVoice.choices)
    counts = StatusCountsSerializer(
        help_text=_(
            "Assessments at each status. Cells with no assessment are not counted: they are "
            "'no information' by absence."
        )
    )
    total = serializers.IntegerField()

    def to_representation(self, row):
        key = next(value for name, value in row.items() if "__" in name)
        return {
            "key": str(key),
            "voice": row["voice"],
            "counts": {status: row[status] for status in RecommendationStatus.values},
            "total": row["total"],
        }
