"""What a user chooses for themselves (Django's User has no room for it)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """One per user who has chosen something; a user without one has chosen nothing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    # Pages (when no language cookie says otherwise) and e-mails to the user are in it; empty:
    # the browser's language for pages, English for e-mails.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)
