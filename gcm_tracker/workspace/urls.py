from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/submit/", views.action_submit, name="action-submit"),
    path("actions/<int:pk>/withdraw/", views.action_withdraw, name="action-withdraw"),
    path("review/", views.review_queue, name="review-queue"),
    path("review/<int:pk>/", views.review_action, name="review-action"),
    path(
        "recommendations/<slug:reference>/status/",
        views.recommendation_status,
        name="recommendation-status",
    ),
]
