"""A briefing pack: one document (PDF, DOCX or a web page to print) about a subject and a
period, built by the task queue (briefings.tasks) and kept until the public data change.

A pack row is its own cache entry: its key is (kind, subject, start, end, format, language,
generation), where generation is the public-data generation (tracker.cache) the pack was asked
for. A second request with the same key, while the generation has not moved, reuses the row
(and its file, or its build in progress); once public data change, the same request makes a new
row. Files live under settings.BRIEFING_PACK_DIR, named by the row's id.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PackKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    OBJECTIVE = "objective", _("Objective")
    SUBREGION = "subregion", _("Subregion")
    CONSULTATION = "consultation", _("Consultation")


class PackFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word (DOCX)")
    # The same document as a web page, to read on screen or print from the browser.
    HTML = "html", _("Web page (to print from the browser)")


class PackState(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class BriefingPack(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=PackKind)
    # The subject's key within its kind: an ISO 3166 alpha-3 code, an objective's number, a
    # subregion's code or a consultation's slug (briefings.subjects resolves it).
    subject = models.CharField(_("subject"), max_length=80)
    start = models.DateField(_("period start"))
    end = models.DateField(_("period end"))
    format = models.CharField(_("format"), max_length=10, choices=PackFormat)
    language = models.CharField(_("language"), max_length=10)
    generation = models.BigIntegerField(_("public-data generation"))
    state = models.CharField(_("state"), max_length=10, choices=PackState, default=PackState.QUEUED)
    # Percent done, for the progress page; the build moves it section by section.
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    # The file's name under settings.BRIEFING_PACK_DIR; empty until the pack is ready.
    file = models.CharField(_("file"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("asked for"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("briefing pack")
        verbose_name_plural = _("briefing packs")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "start", "end", "format", "language", "generation"],
                name="briefing_pack_one_per_key",
            ),
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")),
                name="briefing_pack_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.subject}, {self.start}–{self.end} ({self.format})"

    @property
    def done(self) -> bool:
        return self.state in (PackState.READY, PackState.FAILED)
