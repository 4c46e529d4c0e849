"""Snapshots: named moments for review meetings ("Regional review 2024, 12 March 2024").

A snapshot is a label on a date, not a copy of the data: what the tracker showed on that date is
computed from the append-only histories (tracker.changes.distribution_as_of), so snapshots can be
named after the fact, for any past date. The unfiltered count is kept on the snapshot while no
public data changes (tracker.snapshot_distributions), so comparing does not recount it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import NaturalKeyModel
from .validators import multi_line_validator, single_line_validator


class Snapshot(NaturalKeyModel):
    """A named date that review meetings compare (edited by staff in the admin)."""

    slug = models.SlugField(
        _("short name"),
        max_length=80,
        unique=True,
        help_text=_("Used in addresses, such as regional-review-2024."),
    )
    name = models.CharField(_("name"), max_length=200, validators=[single_line_validator])
    date = models.DateField(
        _("date"), help_text=_("The moment the snapshot names: statuses as of this day.")
    )
    note = models.TextField(_("note"), blank=True, validators=[multi_line_validator])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    # Kept by tracker.snapshot_distributions only: the unfiltered distribution on `date`, with the
    # date and public-data generation it was counted at (null: not counted yet).
    distribution = models.JSONField(_("distribution"), null=True, blank=True, editable=False)

    natural_key_fields = ("slug",)

    class Meta:
        ordering = ["-date", "slug"]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")

    def __str__(self):
        return self.name
