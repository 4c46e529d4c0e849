from django.urls import path

from . import views

app_name = "ops"

# Also answered by HealthCheckMiddleware before host validation; these routes name them.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
