from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class I18nConfig(AppConfig):
    name = "gcm_tracker.i18n"
    label = "gcm_i18n"
    verbose_name = _("Languages")

    def ready(self):
        from . import signals  # noqa: F401  (connects the sign-in handler)
