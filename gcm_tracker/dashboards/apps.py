from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "gcm_tracker.dashboards"
    verbose_name = _("Public progress site")
