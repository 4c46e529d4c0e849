from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gcm_tracker.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from .permissions import connect_signals

        connect_signals()
