from django.urls import path

from . import assessments, choices, official, views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/submit/", views.action_submit, name="action-submit"),
    path("actions/<int:pk>/withdraw/", views.action_withdraw, name="action-withdraw"),
    path("assessments/new/", assessments.assessment_choose, name="assessment-choose"),
    path(
        "assessments/new/<slug:reference>/<str:iso3>/",
        assessments.assessment_create,
        name="assessment-create",
    ),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/edit/", assessments.assessment_edit, name="assessment-edit"),
    path("assessments/<int:pk>/submit/", assessments.assessment_submit, name="assessment-submit"),
    path(
        "assessments/<int:pk>/withdraw/",
        assessments.assessment_withdraw,
        name="assessment-withdraw",
    ),
    path("official/", official.official_choose, name="official-choose"),
    path("official/import/", official.official_import, name="official-import"),
    path("official/by-objective/", official.official_by_objective, name="official-by-objective"),
    path("official/<slug:reference>/<str:iso3>/", official.official_record, name="official-record"),
    # The choosers' searches (JSON), one route per list, for the authorization matrix.
    *(
        path(f"choices/{kind}/", choices.choices, {"kind": kind}, name=f"choices-{kind}")
        for kind in choices.CHOOSERS
    ),
    path("review/", views.review_queue, name="review-queue"),
    path("review/<int:pk>/", views.review_action, name="review-action"),
    path(
        "review/assessments/<int:pk>/",
        assessments.review_assessment,
        name="review-assessment",
    ),
    path(
        "recommendations/<slug:reference>/status/",
        views.recommendation_status,
        name="recommendation-status",
    ),
]
