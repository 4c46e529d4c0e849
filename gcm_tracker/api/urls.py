from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import assessment_views, review_views, views


class Router(DefaultRouter):
    APIRootView = views.PublicAPIRootView
    # One address per resource: no .json suffixes, which the schema would not describe.
    include_format_suffixes = False


app_name = "api"

router = Router()
router.register("objectives", views.ObjectiveViewSet, basename="objective")
router.register("guiding-principles", views.GuidingPrincipleViewSet, basename="guiding-principle")
router.register("countries", views.CountryViewSet, basename="country")
router.register("stakeholders", views.StakeholderViewSet, basename="stakeholder")
router.register("consultations", views.ConsultationViewSet, basename="consultation")
router.register("recommendations", views.RecommendationViewSet, basename="recommendation")
router.register("status-changes", views.StatusChangeViewSet, basename="status-change")
router.register("good-practices", views.GoodPracticeViewSet, basename="good-practice")
router.register("actions", views.ActionViewSet, basename="action")
router.register("assessments", assessment_views.AssessmentViewSet, basename="assessment")
router.register(
    "assessment-submissions",
    assessment_views.AssessmentSubmissionViewSet,
    basename="assessment-submission",
)

router.register("snapshots", review_views.SnapshotViewSet, basename="snapshot")

urlpatterns = [
    path("v1/changes/", review_views.ChangesView.as_view(), name="changes"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.SwaggerDocsView.as_view(url_name="api:schema"), name="docs"),
]
