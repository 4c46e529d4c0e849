from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("GCM Tracker administration")
admin.site.site_title = _("GCM Tracker")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("gcm_tracker.accounts.urls")),
    path("workspace/", include("gcm_tracker.workspace.urls")),
    path("", include("gcm_tracker.dashboards.urls")),
]
