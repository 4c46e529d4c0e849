from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowConfig(AppConfig):
    name = "gcm_tracker.follow"
    verbose_name = _("Following lists")
