from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "gcm_tracker.workspace"
    verbose_name = _("Contributor and staff areas")
