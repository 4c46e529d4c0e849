"""Read endpoints for review meetings: what changed between two dates, and snapshots with their
status distributions. Public, like the other read endpoints; same filters as the pages."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from gcm_tracker.tracker.changes import changes_between
from gcm_tracker.tracker.enums import AssessmentVoice, Subregion
from gcm_tracker.tracker.models import Country, Snapshot, StatusChange
from gcm_tracker.tracker.review_filters import ChangesFilter
from gcm_tracker.tracker.snapshot_distributions import snapshot_distribution

from . import review_serializers
from .schema import BAD_REQUEST
from .serializers import no_such
from .views import CachedForAnonymous, PublicViewSet

# Items of each kind in one answer; `kind` and `page` page through one kind.
ITEMS = 50
KINDS = {
    "regional": ("regional", review_serializers.RegionalChangeSerializer),
    "cells": ("cells", review_serializers.CellChangeSerializer),
    "new_assessments": ("new_assessments", review_serializers.CellChangeSerializer),
    "actions": ("actions", review_serializers.ActionItemSerializer),
    "recommendations": ("recommendations", review_serializers.NewRecommendationSerializer),
}


class ChangesView(CachedForAnonymous, generics.GenericAPIView):
    """What changed from `since` (default: 90 days ago) to `until` (default: today), both
    included: regional and country status changes by effective date, newly published country
    assessments by effective date, follow-up actions by publication, recommendations by import.
    Counts of every kind, and the newest 50 items of each; `kind` with `page` pages through one
    kind."""

    permission_classes = [AllowAny]
    filterset_class = ChangesFilter
    pagination_class = None

    def get_queryset(self):
        return StatusChange.objects.none()

    @extend_schema(
        responses={200: review_serializers.ChangesSerializer, 400: BAD_REQUEST},
        parameters=[
            OpenApiParameter(
                "since", OpenApiTypes.DATE, description="First day (effective on or after)."
            ),
            OpenApiParameter(
                "until", OpenApiTypes.DATE, description="Last day (on or before); default today."
            ),
            OpenApiParameter("objective", OpenApiTypes.INT, description="An objective's number."),
            OpenApiParameter("country", OpenApiTypes.STR, description="A country's ISO code."),
            OpenApiParameter("subregion", OpenApiTypes.STR, enum=list(Subregion.values)),
            OpenApiParameter(
                "consultation", OpenApiTypes.STR, description="A consultation's short name."
            ),
            OpenApiParameter(
                "voice",
                OpenApiTypes.STR,
                enum=list(AssessmentVoice.values),
                description="Country cells in this voice only (default: both).",
            ),
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                enum=list(KINDS),
                description="Only this kind of item, 50 a page (the others come back empty).",
            ),
            OpenApiParameter("page", OpenApiTypes.INT, description="The page of `kind` (from 1)."),
        ],
    )
    def get(self, request):
        # A year of changes counts over a million rows at N = 200,000 (about half a second):
        # counted once per public-data generation and address, like the other public answers.
        return self._cached_for_anonymous(request, self._changes)

    def _changes(self, request):
        filterset = ChangesFilter(request.query_params, queryset=self.get_queryset())
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        kind = request.query_params.get("kind", "")
        if kind and kind not in KINDS:
            raise ValidationError({"kind": [_("Choose one of: %s.") % ", ".join(KINDS)]})
        raw_page = request.query_params.get("page", "1")
        if not raw_page.isdigit() or int(raw_page) < 1 or int(raw_page) > 100_000:
            raise ValidationError({"page": [_("A whole number from 1.")]})
        page = int(raw_page)
        changes = changes_between(
            since=filterset.since_date,
            until=filterset.until_date,
            filters=filterset.change_filters(),
        )
        body = {
            "since": changes.since,
            "until": changes.until,
            "counts": changes.counts,
        }
        context = self.get_serializer_context()
        for name, (attribute, serializer) in KINDS.items():
            if kind and name != kind:
                rows = []
            else:
                start = (page - 1) * ITEMS if kind else 0
                rows = getattr(changes, attribute)[start : start + ITEMS]
            body[name] = serializer(rows, many=True, context=context).data
        body["counts"] = review_serializers.ChangeCountsSerializer(changes.counts).data
        return Response(
            {
                **body,
                "since": changes.since.isoformat(),
                "until": changes.until.isoformat(),
            }
        )


class SnapshotViewSet(PublicViewSet):
    """Moments named by ESCAP staff for review meetings: a label on a date. Its detail has the
    status distributions as of that date, computed from the histories."""

    lookup_field = "slug"
    filterset_class = None
    filter_backends = []

    def get_queryset(self):
        return Snapshot.objects.all()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return review_serializers.SnapshotDetailSerializer
        return review_serializers.SnapshotSerializer

    def get_object(self):
        snapshot = super().get_object()
        distribution = snapshot_distribution(snapshot)
        iso3 = dict(
            Country.objects.filter(pk__in=distribution.by_country).values_list("pk", "iso3")
        )
        subregions = set(Subregion.values)
        snapshot.distribution = {
            "by_objective": {str(k): v for k, v in distribution.by_objective.items()},
            "by_subregion": {k: v for k, v in distribution.by_subregion.items() if k in subregions},
            "by_country": {iso3[k]: v for k, v in distribution.by_country.items()},
        }
        return snapshot

    def not_found(self) -> Http404:
        return Http404(no_such(Snapshot, "slug", self.kwargs["slug"]))
