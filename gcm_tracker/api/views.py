"""Read-only viewsets over tracker.selectors, filtered by the FilterSets of the public lists, plus
the one write: POST /recommendations/<reference>/status/, through recommendation_set_status()."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import APIRootView

from gcm_tracker.tracker import selectors
from gcm_tracker.tracker.filters import ActionFilter, GoodPracticeFilter, RecommendationFilter
from gcm_tracker.tracker.models import GuidingPrinciple, Objective, Recommendation, Stakeholder
from gcm_tracker.tracker.services import StatusConflict, recommendation_set_status

from . import serializers
from .permissions import CanSetStatus
from .schema import BAD_REQUEST

# The service names its arguments after the model; the API's fields are the request's names.
SERVICE_TO_API_FIELD = {"new_status": "status", "expected_version": "version"}


class PublicAPIRootView(APIRootView):
    """The GCM Tracker API: one link per resource."""

    permission_classes = [AllowAny]


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """Readable by anyone, token or not; unsafe methods have no handler and answer 405.

    AllowAny is chosen here on purpose: the project's default permission is IsAuthenticated, so
    that an API view that forgets to choose its permissions stays closed.
    """

    permission_classes = [AllowAny]
    # Any value up to the next slash reaches the view, which answers a JSON 404 for what it does
    # not know; a narrower pattern would leave such URLs to Django's HTML 404 page.
    lookup_value_regex = "[^/]+"

    def filter_queryset(self, queryset):
        # Filters choose rows of a list; a detail URL names its row and ignores them.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise self.not_found() from None

    def not_found(self) -> Http404:
        model = self.get_queryset().model
        field = self.lookup_field if self.lookup_field != "pk" else model._meta.pk.name
        return Http404(
            _("No %(model)s has the %(field)s “%(value)s”.")
            % {
                "model": model._meta.verbose_name,
                "field": model._meta.get_field(field).verbose_name,
                "value": self.kwargs[self.lookup_url_kwarg or self.lookup_field],
            }
        )


class ObjectiveViewSet(PublicViewSet):
    """The 23 objectives of the Global Compact for Migration."""

    queryset = Objective.objects.order_by("number")
    serializer_class = serializers.ObjectiveSerializer
    lookup_field = "number"


class GuidingPrincipleViewSet(PublicViewSet):
    """The ten cross-cutting guiding principles, (a) to (j)."""

    queryset = GuidingPrinciple.objects.order_by("letter")
    serializer_class = serializers.GuidingPrincipleSerializer
    lookup_field = "letter"


class CountryViewSet(PublicViewSet):
    """ESCAP members and associate members, and other places where actions happened."""

    serializer_class = serializers.CountrySerializer
    lookup_field = "iso3"

    def get_queryset(self):
        return selectors.country_list()


class StakeholderViewSet(PublicViewSet):
    """Organisations that take part in consultations or act on recommendations."""

    serializer_class = serializers.StakeholderSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.stakeholder_list()


class ConsultationViewSet(PublicViewSet):
    """Stakeholder consultations and their summary reports."""

    serializer_class = serializers.ConsultationSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.consultation_list().prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.order_by("number")),
            Prefetch("organisers", queryset=Stakeholder.objects.order_by("slug")),
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            # RecommendationFilter relabels this filter when it is instantiated; the schema is
            # generated from the class, so it says here what the filter means.
            OpenApiParameter(
                "country",
                OpenApiTypes.STR,
                description="Acted on in country; the value is its ISO 3166 alpha-3 code. A "
                "published follow-up action on the recommendation took place there.",
            )
        ]
    ),
    retrieve=extend_schema(responses=serializers.RecommendationDetailSerializer),
)
class RecommendationViewSet(PublicViewSet):
    """Recommendations of the consultations' summary reports, by their stable reference. The
    list filters as the public recommendation list does; a recommendation adds its status
    history."""

    serializer_class = serializers.RecommendationSerializer
    filterset_class = RecommendationFilter
    lookup_field = "reference"

    def get_queryset(self):
        return selectors.recommendation_list()

    def get_object(self):
        try:
            recommendation = selectors.recommendation_detail(self.kwargs["reference"])
        # ValueError: PostgreSQL refuses a NUL character in a query, which no reference has.
        except (Recommendation.DoesNotExist, ValueError):
            raise self.not_found() from None
        self.check_object_permissions(self.request, recommendation)
        return recommendation

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.RecommendationDetailSerializer
        return super().get_serializer_class()

    @extend_schema(
        operation_id="recommendations_status_create",
        summary="Change a recommendation's status",
        request=serializers.StatusChangeInputSerializer,
        responses={
            201: OpenApiResponse(
                serializers.StatusChangeResultSerializer,
                description="The status changed and the change was recorded.",
            ),
            200: OpenApiResponse(
                serializers.StatusChangeResultSerializer,
                description="The status already was the one sent; nothing was written.",
            ),
            400: BAD_REQUEST,
            409: OpenApiResponse(
                serializers.StatusConflictSerializer,
                description=(
                    "The version sent is not the recommendation's current version: someone "
                    "changed it since. Nothing was written; the body shows its current state."
                ),
            ),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="status",
        url_name="status",
        permission_classes=[CanSetStatus],
    )
    def set_status(self, request, reference=None):
        """Staff with a token change the implementation status, giving the reason, a link to the
        evidence, the date it took effect and the version they saw."""
        recommendation = self.get_object()
        data = serializers.StatusChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            change = recommendation_set_status(
                recommendation=recommendation,
                new_status=data.validated_data["status"],
                reason=data.validated_data["reason"],
                evidence_url=data.validated_data["evidence_url"],
                effective_date=data.validated_data["effective_date"],
                expected_version=data.validated_data["version"],
                changed_by=request.user,
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(
                {SERVICE_TO_API_FIELD.get(k, k): v for k, v in exc.message_dict.items()}
            ) from exc
        except StatusConflict as exc:
            current = exc.current
            body = serializers.StatusConflictSerializer(
                {
                    "detail": str(exc),
                    "reference": current.reference,
                    "status": current.status,
                    "version": current.version,
                    "status_changed_at": current.status_changed_at,
                }
            ).data
            return Response(body, status=status.HTTP_409_CONFLICT)

        body = serializers.StatusChangeResultSerializer(
            {
                "recommendation": selectors.recommendation_list().get(pk=recommendation.pk),
                "status_change": change,
            },
            context=self.get_serializer_context(),
        ).data
        if change is None:
            return Response(body, status=status.HTTP_200_OK)
        location = reverse("api:status-change-detail", args=[change.pk])
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


class StatusChangeViewSet(PublicViewSet):
    """Every change of a recommendation's status, newest first."""

    serializer_class = serializers.StatusChangeSerializer

    def get_queryset(self):
        return selectors.status_change_list()


class GoodPracticeViewSet(PublicViewSet):
    """Good practices the reports record, with the countries and organisations they name. The list
    filters as the public good-practice list does."""

    serializer_class = serializers.GoodPracticeSerializer
    filterset_class = GoodPracticeFilter
    lookup_field = "reference"

    def get_queryset(self):
        return selectors.good_practice_list().order_by("consultation_id", "paragraph")


class ActionViewSet(PublicViewSet):
    """Published follow-up actions; drafts and actions under review are never shown. The list
    filters as the public action list does."""

    serializer_class = serializers.ActionSerializer
    filterset_class = ActionFilter

    def get_queryset(self):
        return selectors.action_list()


class SwaggerDocsView(SpectacularSwaggerView):
    """Swagger UI from the sidecar's local files, with no inline script or style, so it works
    under a Content Security Policy without 'unsafe-inline'.

    The page sends its own policy: the site's (settings.CONTENT_SECURITY_POLICY), which
    django-csp leaves in place, plus data: images, which Swagger UI's stylesheet uses for its
    icons.
    """

    template_name = "api/swagger_ui.html"
    permission_classes = [AllowAny]
    CONTENT_SECURITY_POLICY = "; ".join(
        [
            "default-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.headers.setdefault("Content-Security-Policy", self.CONTENT_SECURITY_POLICY)
        # The sidecar's view relaxes this for OAuth pop-ups, which this API does not use.
        del response.headers["Cross-Origin-Opener-Policy"]
        return response
