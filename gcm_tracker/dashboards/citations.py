"""What the "Cite this" boxes show: the stable reference and a formatted citation to copy, and the
link to a consultation's source report.

A citation names the page's absolute address and the day it was read. Public pages are cached for
at most tracker.cache.TIMEOUT (15 minutes), so the "accessed" date of a cached page can be the day
before only in the first minutes after midnight.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gcm_tracker.tracker.models import Consultation, FollowUpAction, ReportParagraph

# The consultations are organised by ESCAP and the Regional UN Network on Migration for Asia and
# the Pacific, whose summary reports are the tracker's sources.
AUTHORS = gettext_lazy("ESCAP and UN Network on Migration")


@dataclass(frozen=True)
class Citation:
    reference: str
    text: str


def _day(value) -> str:
    return date_format(value, "DATE_FORMAT")


def _accessed() -> str:
    return _day(timezone.localdate())


def paragraph_citation(paragraph: ReportParagraph, url: str) -> Citation:
    """A recommendation or good practice: the report, the paragraph and its short title."""
    consultation = paragraph.consultation
    text = _(
        "%(authors)s, %(consultation)s, %(date)s, para. %(paragraph)s: %(title)s. "
        "GCM Tracker, %(url)s, accessed %(accessed)s."
    ) % {
        "authors": AUTHORS,
        "consultation": consultation.title,
        "date": _day(consultation.date),
        "paragraph": paragraph.paragraph_label,
        "title": paragraph.label,
        "url": url,
        "accessed": _accessed(),
    }
    return Citation(reference=paragraph.reference, text=text)


def action_citation(action: FollowUpAction, url: str) -> Citation:
    """A published follow-up action: its organisation, title and publication date."""
    text = _(
        "%(organisation)s, “%(title)s”, follow-up action published %(published)s. "
        "GCM Tracker, %(url)s, accessed %(accessed)s."
    ) % {
        "organisation": action.lead_stakeholder.name,
        "title": action.title,
        "published": _day(timezone.localdate(action.published_at)),
        "url": url,
        "accessed": _accessed(),
    }
    return Citation(reference=_("Follow-up action %(number)s") % {"number": action.pk}, text=text)


def report_file(consultation: Consultation) -> Path | None:
    """The text of the consultation's summary report kept beside the seed (fixtures/reports/)."""
    path = Path(settings.FIXTURE_DIRS[0]) / "reports" / f"{consultation.slug}.txt"
    return path if path.is_file() else None


def report_link(consultation: Consultation) -> str:
    """Where to read the source report: its official address, else the copy this site serves,
    else nothing."""
    if consultation.report_url:
        return consultation.report_url
    if report_file(consultation):
        return reverse("dashboards:consultation-report", args=[consultation.slug])
    return ""
