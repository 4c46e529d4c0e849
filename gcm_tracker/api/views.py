"""Viewsets over tracker.selectors, filtered by the FilterSets of the public lists. Writes (a
recommendation's status; the follow-up action workflow) call tracker.services, as the web forms
do, and need a token."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
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
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import APIRootView

from gcm_tracker.tracker import selectors, services
from gcm_tracker.tracker.action_pages import kept_pages
from gcm_tracker.tracker.cache import TIMEOUT, cache_key
from gcm_tracker.tracker.filters import GoodPracticeFilter, RecommendationFilter
from gcm_tracker.tracker.models import (
    FollowUpAction,
    GuidingPrinciple,
    Objective,
    Recommendation,
    Stakeholder,
)
from gcm_tracker.tracker.services import StatusConflict, recommendation_set_status

from . import serializers
from .errors import StaleVersion, service_errors
from .filters import ActionWorkflowFilter, KeptFilterBackend
from .pagination import KeptLengthPagination
from .permissions import CanReview, CanSetStatus
from .schema import BAD_REQUEST, ErrorSerializer

# The service names its arguments after the model; the API's fields are the request's names.
SERVICE_TO_API_FIELD = {"new_status": "status", "expected_version": "version"}


class PublicAPIRootView(APIRootView):
    """The GCM Tracker API: one link per resource."""

    permission_classes = [AllowAny]


class CachedForAnonymous:
    """Read views whose answers to clients without a token are cached (public data only)."""

    def _cached_for_anonymous(self, request, answer, *args, **kwargs) -> HttpResponse:
        """A client without a token reads public data only, so its answers are cached under the
        public-data generation (tracker.cache) and shared; throttling has already counted the
        request. A token's answers may hold more (an organisation's drafts) and are not cached.
        Errors raise before anything is stored."""
        if request.user.is_authenticated:
            return answer(request, *args, **kwargs)
        key = cache_key("api", request)
        content = cache.get(key)
        if content is None:
            # Kept rendered: the serializer's data would be pickled with the serializer itself
            # and the rows it read, and unpickling those costs more than rendering again.
            content = JSONRenderer().render(answer(request, *args, **kwargs).data)
            cache.set(key, content, TIMEOUT)
        return HttpResponse(content, content_type="application/json")


class PublicViewSet(CachedForAnonymous, viewsets.ReadOnlyModelViewSet):
    """Readable by anyone, token or not; unsafe methods have no handler and answer 405.

    AllowAny is chosen here on purpose: the project's default permission is IsAuthenticated, so
    that an API view that forgets to choose its permissions stays closed.
    """

    permission_classes = [AllowAny]
    # Any value up to the next slash reaches the view, which answers a JSON 404 for what it does
    # not know; a narrower pattern would leave such URLs to Django's HTML 404 page.
    lookup_value_regex = "[^/]+"

    def list(self, request, *args, **kwargs):
        return self._cached_for_anonymous(request, super().list, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._cached_for_anonymous(request, super().retrieve, *args, **kwargs)

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
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        return Http404(serializers.no_such(model, field, value))


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
    # The filterset stays on the view, whose pages read the list's kept length from it.
    filter_backends = [KeptFilterBackend]
    filterset = None
    pagination_class = KeptLengthPagination
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
            with service_errors(SERVICE_TO_API_FIELD):
                change = recommendation_set_status(
                    recommendation=recommendation,
                    new_status=data.validated_data["status"],
                    reason=data.validated_data["reason"],
                    evidence_url=data.validated_data["evidence_url"],
                    effective_date=data.validated_data["effective_date"],
                    expected_version=data.validated_data["version"],
                    changed_by=request.user,
                )
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


ACTION_STATE_CONFLICT = OpenApiResponse(
    ErrorSerializer,
    description=(
        "The action's review state does not allow this step (editing or withdrawing a submitted "
        "or published action, publishing one that was not submitted); nothing changed."
    ),
)
ACTION_STEP_CONFLICT = OpenApiResponse(
    serializers.ActionConflictSerializer,
    description=(
        "A `version` was sent and is stale: `current` is the action as it is now; or the "
        "action's review state does not allow this step (only `detail`). Nothing changed."
    ),
)
STEP_VERSION = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    description=(
        "The version as the client last read it. If sent and stale, the answer is 409 with the "
        "current state, and nothing changes; if left out, the step is not checked."
    ),
)
ACTION_EDIT_CONFLICT = OpenApiResponse(
    serializers.ActionConflictSerializer,
    description=(
        "The action changed since the client read it: `version` is stale, and `current` is the "
        "action as it is now; or its review state does not allow editing (only `detail`). "
        "Nothing changed."
    ),
)


def _action_written(status_code: int, description: str):
    return {status_code: OpenApiResponse(serializers.ActionSerializer, description=description)}


@extend_schema_view(
    create=extend_schema(
        summary="Record a follow-up action (a draft)",
        request=serializers.ActionInputSerializer,
        responses=_action_written(201, "The draft, which only its organisation can see."),
    ),
    update=extend_schema(
        summary="Replace a draft or returned action's content",
        request=serializers.ActionUpdateInputSerializer,
        responses=_action_written(200, "The action as it is now.") | {409: ACTION_EDIT_CONFLICT},
    ),
    partial_update=extend_schema(
        summary="Change some of a draft or returned action's content",
        request=serializers.ActionUpdateInputSerializer,
        responses=_action_written(200, "The action as it is now.") | {409: ACTION_EDIT_CONFLICT},
    ),
    destroy=extend_schema(
        summary="Withdraw a draft or returned action",
        request=None,
        parameters=[STEP_VERSION],
        responses={204: OpenApiResponse(description="Withdrawn."), 409: ACTION_STEP_CONFLICT},
    ),
)
class ActionViewSet(PublicViewSet):
    """Follow-up actions, newest first. Anyone reads the published ones; a contributor's token also
    reads their organisations' drafts and actions under review (listed first), and a reviewer's
    token every action sent for review. The list filters as the public action list does, and by
    review state."""

    serializer_class = serializers.ActionSerializer
    filterset_class = ActionWorkflowFilter
    filter_backends = [KeptFilterBackend]
    filterset = None
    # Writes need a token; reads are public (get_permissions).
    permission_classes = [IsAuthenticated]

    def get_permissions(self):
        if self.request.method in SAFE_METHODS:
            return [AllowAny()]
        return super().get_permissions()

    def get_queryset(self):
        return selectors.action_list(selectors.actions_visible_to(self.request.user))

    def paginate_queryset(self, queryset):
        """Without a token, the list sees the published actions only: unfiltered, or filtered as
        the public list's kept pages are (tracker.action_pages), its pages come from what the
        database keeps (at 2,000,000 actions, page 20,000 took 440 ms counting and skipping
        rows). Any other list counts and skips its rows. The filterset is the one the list was
        filtered with (KeptFilterBackend), valid by now: an invalid one answered 400."""
        kept = None
        if self.action == "list" and not self.request.user.is_authenticated and self.filterset:
            kept = kept_pages(self.filterset)
        return super().paginate_queryset(queryset if kept is None else kept)

    def create(self, request):
        """A contributor records an action of their organisation as a draft; only its
        organisation's contributors see it until staff publish it."""
        organisations = list(selectors.organisations_of(request.user)[:2])
        if not organisations:
            raise exceptions.PermissionDenied(_("You are not a member of any organisation yet."))
        data = self._input(request)
        organisation = data.pop("lead_stakeholder", None) or self._only(organisations)
        with service_errors():
            action = services.follow_up_action_create(
                author=request.user,
                lead_stakeholder=organisation,
                content=services.ActionContent(**data),
            )
        location = reverse("api:action-detail", args=[action.pk])
        return Response(
            self._output(action), status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    def update(self, request, pk=None, partial=False):
        """A contributor changes a draft or returned action of their organisation; PUT sends
        every field, PATCH those that change, both the version they read. The organisation
        stays."""
        action = self._own_action()
        data = self._input(
            request, partial=partial, serializer=serializers.ActionUpdateInputSerializer
        )
        version = data.pop("version")
        if data.pop("lead_stakeholder", action.lead_stakeholder) != action.lead_stakeholder:
            raise exceptions.ValidationError(
                {"lead_stakeholder": [_("An action stays with the organisation that recorded it.")]}
            )
        content = replace(services.ActionContent.of(action), **data)
        with service_errors(), self._stale_version():
            action = services.follow_up_action_update(
                action=action, author=request.user, content=content, expected_version=version
            )
        return Response(self._output(action))

    def partial_update(self, request, pk=None):
        """A contributor changes some fields of a draft or returned action of their
        organisation."""
        return self.update(request, pk, partial=True)

    def destroy(self, request, pk=None):
        """A contributor discards a draft or returned action of their organisation; it was never
        public."""
        action = self._own_action()
        version = serializers.StepVersionSerializer.version_in(request.query_params)
        with service_errors(), self._stale_version():
            services.follow_up_action_withdraw(
                action=action, author=request.user, expected_version=version
            )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Submit a draft or returned action for review",
        request=serializers.StepVersionSerializer,
        responses=_action_written(200, "The action, now submitted.") | {409: ACTION_STEP_CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """A contributor sends a draft or returned action to ESCAP staff for review."""
        action = self._own_action()
        version = serializers.StepVersionSerializer.version_in(request.data)
        with service_errors(), self._stale_version():
            action = services.follow_up_action_submit(
                action=action, author=request.user, expected_version=version
            )
        return Response(self._output(action))

    @extend_schema(
        summary="Publish a submitted action",
        request=None,
        responses=_action_written(200, "The action, now public.") | {409: ACTION_STATE_CONFLICT},
    )
    @action(detail=True, methods=["post"], permission_classes=[CanReview])
    def publish(self, request, pk=None):
        """Staff make a submitted action public; its authors are e-mailed."""
        action = self.get_object()
        with service_errors():
            action = services.follow_up_action_publish(action=action, reviewer=request.user)
        return Response(self._output(action))

    @extend_schema(
        summary="Return a submitted action to its authors",
        request=serializers.ActionReturnInputSerializer,
        responses=_action_written(200, "The action, now returned.") | {409: ACTION_STATE_CONFLICT},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        permission_classes=[CanReview],
    )
    def return_to_authors(self, request, pk=None):
        """Staff send a submitted action back to its authors with the reason, which they are
        e-mailed."""
        action = self.get_object()
        data = serializers.ActionReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            action = services.follow_up_action_return(
                action=action, reviewer=request.user, reason=data.validated_data["reason"]
            )
        return Response(self._output(action))

    @contextmanager
    def _stale_version(self) -> Iterator[None]:
        """The service found the version the client sent stale: 409 with the action as it is
        now."""
        try:
            yield
        except services.ActionConflict as conflict:
            body = {"detail": str(conflict), "current": self._output(conflict.current)}
            raise StaleVersion(body) from conflict

    def _input(self, request, partial=False, serializer=serializers.ActionInputSerializer) -> dict:
        data = serializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def _own_action(self) -> FollowUpAction:
        """The action, if the user may read it and acts for its organisation: 404 for an action
        they cannot see, 403 (before the body is read) for one they can see but not change."""
        action = self.get_object()
        with service_errors():
            services.require_member(self.request.user, action.lead_stakeholder)
        return action

    def _only(self, organisations: list[Stakeholder]) -> Stakeholder:
        """The organisation an action is for when the client names none: the user's only one."""
        if len(organisations) > 1:
            raise exceptions.ValidationError(
                {
                    "lead_stakeholder": [
                        _("You are a member of several organisations: say which one it is for.")
                    ]
                }
            )
        return organisations[0]

    def _output(self, action: FollowUpAction) -> dict:
        """The action as written, read again with everything the serializer shows."""
        written = selectors.action_list(FollowUpAction.objects.filter(pk=action.pk)).get()
        return self.get_serializer(written).data


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
