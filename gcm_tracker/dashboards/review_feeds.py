"""The Atom feed of /changes/: the same selection (dates and list filters) as the page, newest
first, the kinds merged (status changes by effective date, actions by publication, new
recommendations by import)."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gcm_tracker.tracker.changes import Changes, changes_between
from gcm_tracker.tracker.models import StatusChange
from gcm_tracker.tracker.review_filters import ChangesFilter

from .feeds import PlainTextAtomFeed

ITEMS = 30


def _moment(day: datetime.date) -> datetime.datetime:
    """An effective date as a time for sorting and for the feed (noon, site time zone)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class ChangesFeed(Feed):
    feed_type = PlainTextAtomFeed

    def get_object(self, request, changes: Changes):
        return changes

    def link(self, changes):
        return reverse("dashboards:changes")

    def title(self, changes):
        return _("GCM Tracker: what changed from %(since)s to %(until)s") % {
            "since": changes.since.isoformat(),
            "until": changes.until.isoformat(),
        }

    def description(self, changes):
        return _("Status changes, new assessments, published actions and new recommendations.")

    def items(self, changes):
        items = [
            *(("regional", _moment(c.effective_date), c) for c in changes.regional[:ITEMS]),
            *(("cell", _moment(c.effective_date), c) for c in changes.cells[:ITEMS]),
            *(("cell", _moment(c.effective_date), c) for c in changes.new_assessments[:ITEMS]),
            *(("action", a.published_at, a) for a in changes.actions[:ITEMS]),
            *(("recommendation", r.created_at, r) for r in changes.recommendations[:ITEMS]),
        ]
        items.sort(key=lambda item: item[1], reverse=True)
        return items[:ITEMS]

    def item_title(self, item):
        kind, _when, row = item
        if kind == "regional":
            return _("%(reference)s: %(old)s → %(new)s") % {
                "reference": row.recommendation.reference,
                "old": row.get_old_status_display(),
                "new": row.get_new_status_display(),
            }
        if kind == "cell":
            cell = row.assessment
            voice = cell.stakeholder.name if cell.stakeholder else cell.get_voice_display()
            return _("%(reference)s in %(country)s (%(voice)s): %(status)s") % {
                "reference": cell.recommendation.reference,
                "country": cell.country.localized_name,
                "voice": voice,
                "status": row.get_status_display(),
            }
        if kind == "action":
            return _("Action published: %(title)s") % {"title": row.title}
        return _("New recommendation: %(reference)s") % {"reference": row.reference}

    def item_description(self, item):
        kind, _when, row = item
        if kind == "regional":
            return row.reason
        if kind == "cell":
            return row.summary
        if kind == "action":
            return row.description
        return row.text

    def item_link(self, item):
        kind, _when, row = item
        if kind == "regional":
            url = reverse("dashboards:recommendation-detail", args=[row.recommendation.reference])
            return f"{url}#change-{row.pk}"
        if kind == "cell":
            cell = row.assessment
            url = reverse("dashboards:country-detail", args=[cell.country.iso3])
            return f"{url}#{cell.recommendation.reference}"
        if kind == "action":
            return f"{reverse('dashboards:action-list')}#action-{row.pk}"
        return reverse("dashboards:recommendation-detail", args=[row.reference])

    def item_guid(self, item):
        kind, _when, row = item
        return f"{self.link(None)}#{kind}-{row.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item[1]


_feed = ChangesFeed()


@require_safe
def changes_feed(request):
    """The feed, or 400 with the form's messages when a date or filter is not accepted."""
    filterset = ChangesFilter(request.GET, queryset=StatusChange.objects.none())
    if not filterset.is_valid():
        messages = [str(e) for errors in filterset.errors.values() for e in errors]
        return HttpResponseBadRequest(" ".join(messages), content_type="text/plain; charset=utf-8")
    changes = changes_between(
        since=filterset.since_date,
        until=filterset.until_date,
        filters=filterset.change_filters(),
    )
    return _feed(request, changes=changes)
