"""The site's URLs plus the benchmark's own (selected with DJANGO_ROOT_URLCONF=bench.urls)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/floor/", views.floor),
    path("bench/cold/", views.cold),
    path("bench/cold/<path:path>", views.cold),
    path("", include("gcm_tracker.urls")),
]
