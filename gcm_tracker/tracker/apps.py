from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "gcm_tracker.tracker"
    verbose_name = _("GCM Tracker")

    def ready(self):
        from .roles import ensure_roles

        # After this app's permissions exist (auth's handler, connected earlier, creates them).
        post_migrate.connect(ensure_roles, sender=self)
