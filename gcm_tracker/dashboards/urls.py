from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from . import choices, country_views, feeds, review_feeds, review_views, views


class ISO3Converter:
    """Three letters, either case. Anything else (a NUL byte, which PostgreSQL refuses in a query
    with an error) is not a country's address and answers 404 before any query."""

    regex = "[A-Za-z]{3}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ISO3Converter, "iso3")

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    *(
        path(f"choices/{kind}/", choices.choices, {"kind": kind}, name=f"choices-{kind}")
        for kind in choices.PUBLIC_CHOOSERS
    ),
    path("recommendations/", views.recommendation_list, name="recommendation-list"),
    path(
        "recommendations/download/<str:fmt>/",
        views.recommendation_export,
        name="recommendation-export",
    ),
    path(
        "recommendations/<slug:reference>/",
        views.recommendation_detail,
        name="recommendation-detail",
    ),
    path("data/", views.data_dictionary, name="data-dictionary"),
    path("data/manifest.json", views.open_data_manifest, name="open-data-manifest"),
    path("data/latest/<str:name>", views.open_data_latest, name="open-data-latest"),
    path("data/files/<str:version>/<str:name>", views.open_data_file, name="open-data-file"),
    path("objectives/", views.objective_list, name="objective-list"),
    path("objectives/<int:number>/", views.objective_detail, name="objective-detail"),
    path("matrix/", country_views.matrix, name="matrix"),
    path("matrix/download/<str:fmt>/", country_views.matrix_export, name="matrix-export"),
    path("matrix/disagreements/", country_views.disagreement_list, name="disagreement-list"),
    path("countries/", country_views.country_list, name="country-list"),
    path("countries/<iso3:iso3>/", country_views.country_detail, name="country-detail"),
    path("stakeholders/", views.stakeholder_list, name="stakeholder-list"),
    path("stakeholders/<slug:slug>/", views.stakeholder_detail, name="stakeholder-detail"),
    path("consultations/", views.consultation_list, name="consultation-list"),
    path("consultations/<slug:slug>/", views.consultation_detail, name="consultation-detail"),
    path(
        "consultations/<slug:slug>/report.txt",
        views.consultation_report,
        name="consultation-report",
    ),
    path("actions/", views.action_list, name="action-list"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("good-practices/", views.good_practice_list, name="good-practice-list"),
    path("changes/", review_views.changes, name="changes"),
    path("stale/", review_views.stale, name="stale"),
    path("snapshots/", review_views.snapshot_list, name="snapshot-list"),
    path("snapshots/compare/", review_views.snapshot_compare_form, name="snapshot-compare-form"),
    path(
        "snapshots/<slug:before>/compare/<slug:after>/",
        review_views.snapshot_compare,
        name="snapshot-compare",
    ),
    path("feeds/changes/", review_feeds.changes_feed, name="feed-changes"),
    path(
        "good-practices/<slug:reference>/",
        views.good_practice_detail,
        name="good-practice-detail",
    ),
    path(
        "feeds/status-changes/", require_safe(feeds.StatusChangeFeed()), name="feed-status-changes"
    ),
    path("feeds/actions/", require_safe(feeds.ActionFeed()), name="feed-actions"),
    path(
        "feeds/objectives/<int:number>/status-changes/",
        require_safe(feeds.StatusChangeFeed()),
        name="feed-objective-status-changes",
    ),
    path(
        "feeds/objectives/<int:number>/actions/",
        require_safe(feeds.ActionFeed()),
        name="feed-objective-actions",
    ),
    path(
        "feeds/countries/<iso3:iso3>/status-changes/",
        require_safe(feeds.StatusChangeFeed()),
        name="feed-country-status-changes",
    ),
    path(
        "feeds/countries/<iso3:iso3>/assessments/",
        require_safe(feeds.CountryAssessmentFeed()),
        name="feed-country-assessments",
    ),
    path(
        "feeds/countries/<iso3:iso3>/actions/",
        require_safe(feeds.ActionFeed()),
        name="feed-country-actions",
    ),
]
