from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from gcm_tracker.accounts.rate_limits import SIGN_IN, rate_limited

admin.site.site_header = _("GCM Tracker administration")
admin.site.site_title = _("GCM Tracker")

urlpatterns = [
    # The admin's sign-in form is limited like the site's (accounts.rate_limits); listed first,
    # so that it answers before the admin's own route.
    path("admin/login/", rate_limited(SIGN_IN)(admin.site.login)),
    path("admin/", admin.site.urls),
    path("api/", include("gcm_tracker.api.urls")),
    path("accounts/", include("gcm_tracker.accounts.urls")),
    path("workspace/", include("gcm_tracker.workspace.urls")),
    path("packs/", include("gcm_tracker.briefings.urls")),
    path("follow/", include("gcm_tracker.follow.urls")),
    path("", include("gcm_tracker.dashboards.urls")),
    # /healthz and /readyz (ops.middleware.HealthCheckMiddleware answers them first).
    path("", include("gcm_tracker.ops.urls")),
]

# Error pages that show nothing of the error; the 500 handler answers 503 for a database outage.
handler400 = "django.views.defaults.bad_request"
handler403 = "django.views.defaults.permission_denied"
handler404 = "django.views.defaults.page_not_found"
handler500 = "gcm_tracker.ops.views.server_error"
