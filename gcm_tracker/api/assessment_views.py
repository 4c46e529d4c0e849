"""The country dimension in the API: country assessments and their roll-ups (public), official
assessments recorded by staff with a token, one cell at a time or in bulk from one government
report, and civil-society submissions in review (token: their organisation's contributors and
reviewers). Every write calls tracker.services, as the web forms do."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from gcm_tracker.tracker import assessment_selectors, selectors, services
from gcm_tracker.tracker.assessment_filters import AssessmentFilter, AssessmentSubmissionFilter
from gcm_tracker.tracker.enums import AssessmentVoice, Subregion
from gcm_tracker.tracker.models import AssessmentSubmission, Country, Objective

from . import assessment_serializers as io
from .errors import StaleVersion, service_errors
from .pagination import AssessmentPagination
from .permissions import CanRecordOfficial, CanReviewAssessments
from .schema import BAD_REQUEST, ErrorSerializer
from .serializers import StepVersionSerializer
from .views import STEP_VERSION, PublicViewSet

# Query parameters that choose a page, not rows.
PAGING_PARAMETERS = {"page", "page_size", "format"}

# The services name arguments after the models; the API's fields are the request's names.
SERVICE_TO_API_FIELD = {"expected_version": "version", "stakeholder": "organisation"}


class RollupQuerySerializer(serializers.Serializer):
    """The roll-up's query parameters (unknown ones, such as page, are left to others)."""

    by = serializers.ChoiceField(choices=list(assessment_selectors.ROLLUP_DIMENSIONS))
    voice = serializers.ChoiceField(choices=AssessmentVoice.choices, required=False, default="")
    objective = serializers.SlugRelatedField(
        slug_field="number", queryset=Objective.objects.all(), required=False, default=None
    )
    subregion = serializers.ChoiceField(choices=Subregion.choices, required=False, default="")
    country = serializers.SlugRelatedField(
        slug_field="iso3", queryset=Country.objects.all(), required=False, default=None
    )


ROLLUP_PARAMETERS = [
    OpenApiParameter(
        "by",
        OpenApiTypes.STR,
        required=True,
        enum=list(assessment_selectors.ROLLUP_DIMENSIONS),
        description="What each row sums: one recommendation, country, subregion or objective.",
    ),
    OpenApiParameter("voice", OpenApiTypes.STR, enum=AssessmentVoice.values),
    OpenApiParameter(
        "objective", OpenApiTypes.INT, description="Only recommendations of this objective."
    ),
    OpenApiParameter("subregion", OpenApiTypes.STR, enum=Subregion.values),
    OpenApiParameter("country", OpenApiTypes.STR, description="ISO alpha-3 code."),
]

CELL_CONFLICT = OpenApiResponse(
    io.AssessmentConflictSerializer,
    description=(
        "The version sent is not the cell's current official version: someone changed it "
        "since. Nothing was written; the body shows the cell as it is now."
    ),
)


@extend_schema_view(retrieve=extend_schema(responses=io.AssessmentDetailSerializer))
class AssessmentViewSet(PublicViewSet):
    """Country assessments: for a recommendation and a country it applies to, a status in the
    official voice (the government's own report) or in one civil-society organisation's
    (published after review). A cell with no assessment is "no information"; a country outside
    a recommendation's scope is not applicable and never listed. An assessment adds its history.
    """

    serializer_class = io.AssessmentSerializer
    filterset_class = AssessmentFilter
    pagination_class = AssessmentPagination

    def get_queryset(self):
        if self.action == "retrieve":
            return assessment_selectors.assessment_detail_list()
        return assessment_selectors.assessment_list()

    def unfiltered_count(self) -> int | None:
        """The list's length when no filter narrows it: the roll-ups' total of in-scope
        assessments (one small query, not a COUNT of every assessment); None when filtered."""
        if set(self.request.query_params) - PAGING_PARAMETERS:
            return None
        return assessment_selectors.assessment_total()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return io.AssessmentDetailSerializer
        return super().get_serializer_class()

    @extend_schema(
        summary="Roll-up: assessments per status",
        parameters=ROLLUP_PARAMETERS,
        responses={200: io.RollupRowSerializer(many=True), 400: BAD_REQUEST},
    )
    @action(detail=False, methods=["get"], filterset_class=None)
    def rollups(self, request):
        """How many assessments there are at each status, per recommendation, country,
        subregion or objective, and voice (from the roll-up counts the services keep)."""
        return self._cached_for_anonymous(request, self._rollups)

    def _rollups(self, request):
        query = RollupQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = assessment_selectors.assessment_rollup(**query.validated_data)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(io.RollupRowSerializer(page, many=True).data)

    @extend_schema(
        summary="Record a government's own assessment of one cell",
        request=io.OfficialAssessmentInputSerializer,
        responses={
            201: OpenApiResponse(
                io.OfficialAssessmentResultSerializer,
                description="The assessment was recorded and its change appended to the history.",
            ),
            200: OpenApiResponse(
                io.OfficialAssessmentResultSerializer,
                description="The cell already said exactly this; nothing was written.",
            ),
            409: CELL_CONFLICT,
        },
    )
    @action(detail=False, methods=["post"], permission_classes=[CanRecordOfficial])
    def official(self, request):
        """Staff with a token record what a government reports on a recommendation, with the
        source, a summary, the date it held and the version of the cell they saw."""
        data = io.OfficialAssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        try:
            with service_errors(SERVICE_TO_API_FIELD):
                change = services.assessment_record_official(
                    expected_version=fields.pop("version"), recorded_by=request.user, **fields
                )
        except services.AssessmentConflict as exc:
            current = exc.current and self._read(exc.current.pk)
            body = {"detail": str(exc), "current": current}
            return Response(
                io.AssessmentConflictSerializer(body, context=self.get_serializer_context()).data,
                status=status.HTTP_409_CONFLICT,
            )
        if change is None:
            assessment = _official_cell(fields["recommendation"], fields["country"])
            body = {"assessment": self._read(assessment.pk), "change": None}
            return Response(self._result(body))
        body = {"assessment": self._read(change.assessment_id), "change": change}
        location = reverse("api:assessment-detail", args=[change.assessment_id])
        return Response(
            self._result(body), status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    @extend_schema(
        summary="Record many official assessments from one government report",
        request=io.OfficialImportInputSerializer,
        responses={
            200: OpenApiResponse(
                io.OfficialImportResultSerializer,
                description="Every row was valid: recorded, or on a dry run what each would do.",
            ),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="official-import",
        url_name="official-import",
        permission_classes=[CanRecordOfficial],
    )
    def official_import(self, request):
        """Staff send every row of one government report; all are checked, and unless every
        row is valid nothing is written (400 lists each row's problems)."""
        data = io.OfficialImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            result = services.official_assessments_import(
                rows=data.validated_data["rows"],
                recorded_by=request.user,
                dry_run=data.validated_data["dry_run"],
            )
        if not result.ok:
            raise exceptions.ValidationError(
                {
                    "rows": [
                        _("Row %(row)s, %(column)s: %(message)s")
                        % {"row": number, "column": column, "message": message}
                        for number, errors in sorted(result.errors.items())
                        for column, message in errors.items()
                    ]
                }
            )
        return Response(
            io.OfficialImportResultSerializer(
                {"dry_run": result.dry_run, "written": result.written, "rows": result.rows}
            ).data
        )

    def _read(self, pk):
        return assessment_selectors.assessment_list().get(pk=pk)

    def _result(self, body) -> dict:
        return io.OfficialAssessmentResultSerializer(
            body, context=self.get_serializer_context()
        ).data


def _official_cell(recommendation, country):
    """The official assessment of a cell (it exists: the service found it unchanged)."""
    return assessment_selectors.assessment_list().get(
        recommendation=recommendation, country=country, voice=AssessmentVoice.OFFICIAL
    )


SUBMISSION_STATE_CONFLICT = OpenApiResponse(
    ErrorSerializer,
    description=(
        "The submission's review state does not allow this step (editing or withdrawing a "
        "submitted or published one, publishing one that was not submitted); nothing changed."
    ),
)


SUBMISSION_STEP_CONFLICT = OpenApiResponse(
    io.SubmissionConflictSerializer,
    description=(
        "A `version` was sent and is stale: `current` is the submission as it is now; or its "
        "review state does not allow this step (only `detail`). Nothing changed."
    ),
)


def _submission_written(code: int, description: str) -> dict:
    return {code: OpenApiResponse(io.AssessmentSubmissionSerializer, description=description)}


@extend_schema_view(
    create=extend_schema(
        summary="Write an organisation's assessment of one cell (a draft, or submitted)",
        request=io.SubmissionInputSerializer,
        responses=_submission_written(201, "The submission; only its organisation sees it."),
    ),
    partial_update=extend_schema(
        summary="Change a draft or returned submission",
        request=io.SubmissionUpdateInputSerializer,
        responses=_submission_written(200, "The submission as it is now.")
        | {
            409: OpenApiResponse(
                io.SubmissionConflictSerializer,
                description="A stale version or a review state that allows no edit; nothing "
                "changed.",
            )
        },
    ),
    destroy=extend_schema(
        summary="Withdraw a draft or returned submission",
        request=None,
        parameters=[STEP_VERSION],
        responses={204: OpenApiResponse(description="Withdrawn."), 409: SUBMISSION_STEP_CONFLICT},
    ),
)
class AssessmentSubmissionViewSet(viewsets.ModelViewSet):
    """Civil-society assessments in review, for a token only: a contributor reads and writes
    their organisations' (every review state), a reviewer reads every one sent for review and
    publishes or returns it. Once published it is an organisation's public assessment
    (/assessments/)."""

    serializer_class = io.AssessmentSubmissionSerializer
    filterset_class = AssessmentSubmissionFilter
    permission_classes = [IsAuthenticated]
    # Edits are partial (PATCH with the version seen); there is no full replacement.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return assessment_selectors.assessment_submissions_visible_to(self.request.user)

    def create(self, request):
        """A contributor writes their organisation's assessment of a cell, kept as a draft or
        sent for review at once (submit: true)."""
        organisations = list(selectors.organisations_of(request.user)[:2])
        if not organisations:
            raise exceptions.PermissionDenied(_("You are not a member of any organisation yet."))
        data = io.SubmissionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        organisation = fields.pop("organisation", None) or _only(organisations)
        with service_errors(SERVICE_TO_API_FIELD):
            submission = services.assessment_submission_create(
                author=request.user, stakeholder=organisation, **fields
            )
        location = reverse("api:assessment-submission-detail", args=[submission.pk])
        return Response(
            self._output(submission), status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    def partial_update(self, request, pk=None):
        """A contributor changes a draft or returned submission of their organisation."""
        submission = self._own()
        data = io.SubmissionUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "version" not in fields:
            raise exceptions.ValidationError({"version": [_("This field is required.")]})
        with service_errors(SERVICE_TO_API_FIELD), self._stale_version():
            submission = services.assessment_submission_update(
                submission=submission,
                author=request.user,
                expected_version=fields.pop("version"),
                **fields,
            )
        return Response(self._output(submission))

    def destroy(self, request, pk=None):
        """A contributor discards a draft or returned submission; it was never public."""
        submission = self._own()
        version = StepVersionSerializer.version_in(request.query_params)
        with service_errors(), self._stale_version():
            services.assessment_submission_withdraw(
                submission=submission, author=request.user, expected_version=version
            )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Send a draft or returned submission for review",
        request=StepVersionSerializer,
        responses=_submission_written(200, "Now submitted.") | {409: SUBMISSION_STEP_CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """A contributor sends their organisation's draft or returned assessment to staff."""
        submission = self._own()
        version = StepVersionSerializer.version_in(request.data)
        with service_errors(), self._stale_version():
            submission = services.assessment_submission_submit(
                submission=submission, author=request.user, expected_version=version
            )
        return Response(self._output(submission))

    @extend_schema(
        summary="Publish a submitted assessment",
        request=None,
        responses=_submission_written(
            200, "Now published: the organisation's public assessment of the cell."
        )
        | {409: SUBMISSION_STATE_CONFLICT},
    )
    @action(detail=True, methods=["post"], permission_classes=[CanReviewAssessments])
    def publish(self, request, pk=None):
        """Staff make a submitted assessment public (never one of their own organisation's)."""
        submission = self.get_object()
        with service_errors(SERVICE_TO_API_FIELD):
            services.assessment_submission_publish(submission=submission, reviewer=request.user)
        return Response(self._output(submission))

    @extend_schema(
        summary="Return a submitted assessment to its organisation",
        request=io.SubmissionReturnInputSerializer,
        responses=_submission_written(200, "Now returned.") | {409: SUBMISSION_STATE_CONFLICT},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        permission_classes=[CanReviewAssessments],
    )
    def return_to_organisation(self, request, pk=None):
        """Staff send a submitted assessment back to its organisation with the reason."""
        submission = self.get_object()
        data = io.SubmissionReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.assessment_submission_return(
                submission=submission, reviewer=request.user, reason=data.validated_data["reason"]
            )
        return Response(self._output(submission))

    def _own(self) -> AssessmentSubmission:
        """The submission, if the user may read it and writes for its organisation: 404 for one
        they cannot see, 403 (before the body is read) for one they see but may not change."""
        submission = self.get_object()
        with service_errors():
            services.require_member(self.request.user, submission.stakeholder)
        return submission

    @contextmanager
    def _stale_version(self) -> Iterator[None]:
        """The service found the version the client sent stale: 409 with the submission as it
        is now."""
        try:
            yield
        except services.AssessmentConflict as conflict:
            body = {"detail": str(conflict), "current": self._read(conflict.current.pk)}
            context = self.get_serializer_context()
            raise StaleVersion(
                io.SubmissionConflictSerializer(body, context=context).data
            ) from conflict

    def _read(self, pk) -> AssessmentSubmission:
        return AssessmentSubmission.objects.select_related(
            "recommendation", "country", "stakeholder"
        ).get(pk=pk)

    def _output(self, submission: AssessmentSubmission) -> dict:
        return self.get_serializer(self._read(submission.pk)).data


def _only(organisations):
    """The organisation a submission is for when the client names none: the user's only one."""
    if len(organisations) > 1:
        raise exceptions.ValidationError(
            {
                "organisation": [
                    _("You are a member of several organisations: say which one it is for.")
                ]
            }
        )
    return organisations[0]
