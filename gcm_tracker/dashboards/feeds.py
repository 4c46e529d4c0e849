"""Atom feeds of status changes and of published follow-up actions (the whole site, or one
objective or country), and of one country's published assessments."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gcm_tracker.tracker import selectors
from gcm_tracker.tracker.enums import AssessmentVoice
from gcm_tracker.tracker.models import AssessmentChange, Country, Objective, StatusChange

ITEMS = 30


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose summaries are plain text. Django's marks them type="html", which tells feed
    readers to render the reasons and descriptions contributors and staff typed as markup."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class _ScopedFeed(Feed):
    """A feed for the whole site, or for the objective or country named in the URL."""

    feed_type = PlainTextAtomFeed

    def get_object(self, request, number=None, iso3=None):
        if number is not None:
            return get_object_or_404(Objective, number=number)
        if iso3 is not None:
            return get_object_or_404(Country, iso3=iso3.upper())
        return None

    def link(self, scope):
        return scope_url(scope)


def scope_url(scope) -> str:
    if isinstance(scope, Objective):
        return reverse("dashboards:objective-detail", args=[scope.number])
    if isinstance(scope, Country):
        return reverse("dashboards:country-detail", args=[scope.iso3])
    return reverse("dashboards:dashboard")


class StatusChangeFeed(_ScopedFeed):
    def title(self, scope):
        if scope is None:
            return _("GCM Tracker: status changes")
        return _("GCM Tracker: status changes – %(scope)s") % {"scope": scope}

    def description(self, scope):
        return _("Changes of the implementation status of recommendations, newest first.")

    def items(self, scope):
        changes = StatusChange.objects.select_related("recommendation").order_by(
            "-changed_at", "-id"
        )
        if isinstance(scope, Objective):
            changes = changes.filter(recommendation__objectives=scope)
        elif isinstance(scope, Country):
            acted_on = selectors.recommendations_acted_on(selectors.actions_in(scope))
            changes = changes.filter(recommendation__in=acted_on)
        return changes[:ITEMS]

    def item_title(self, change):
        return _("%(label)s (%(reference)s): %(old)s → %(new)s") % {
            "label": change.recommendation.label,
            "reference": change.recommendation.reference,
            "old": change.get_old_status_display(),
            "new": change.get_new_status_display(),
        }

    def item_description(self, change):
        # The entry's date is when the change was recorded; when it took effect is said here.
        return _("Effective %(date)s. %(reason)s") % {
            "date": date_format(change.effective_date, "DATE_FORMAT"),
            "reason": change.reason,
        }

    def item_link(self, change):
        url = reverse("dashboards:recommendation-detail", args=[change.recommendation.reference])
        return f"{url}#change-{change.pk}"

    def item_pubdate(self, change):
        return change.changed_at


class ActionFeed(_ScopedFeed):
    def title(self, scope):
        if scope is None:
            return _("GCM Tracker: follow-up actions")
        return _("GCM Tracker: follow-up actions – %(scope)s") % {"scope": scope}

    def description(self, scope):
        return _("Follow-up actions on recommendations, newest published first.")

    def items(self, scope):
        actions = selectors.action_list()
        if isinstance(scope, Objective):
            actions = actions.filter(recommendations__objectives=scope).distinct()
        elif isinstance(scope, Country):
            actions = actions.filter(pk__in=selectors.actions_in(scope).values("pk"))
        return actions[:ITEMS]

    def item_title(self, action):
        return _("%(title)s (%(organisation)s)") % {
            "title": action.title,
            "organisation": action.lead_stakeholder.name,
        }

    def item_description(self, action):
        return action.description

    def item_link(self, action):
        return reverse("dashboards:action-detail", args=[action.pk])

    def item_pubdate(self, action):
        return action.published_at


class CountryAssessmentFeed(Feed):
    """Changes of one country's published assessments, in both voices, newest first; each names
    the organisation for civil society, never the person."""

    feed_type = Atom1Feed

    def get_object(self, request, iso3):
        return get_object_or_404(Country, iso3=iso3.upper())

    def link(self, country):
        return scope_url(country)

    def title(self, country):
        return _("GCM Tracker: assessments – %(scope)s") % {"scope": country}

    def description(self, country):
        return _("Official and civil-society assessments of the recommendations, newest first.")

    def items(self, country):
        return (
            AssessmentChange.objects.filter(assessment__country=country)
            .select_related(
                "assessment__recommendation", "assessment__stakeholder", "assessment__country"
            )
            .order_by("-changed_at", "-id")[:ITEMS]
        )

    def item_title(self, change):
        assessment = change.assessment
        voice = (
            assessment.stakeholder.name
            if assessment.stakeholder
            else str(AssessmentVoice.OFFICIAL.label)
        )
        return _("%(label)s (%(reference)s): %(status)s (%(voice)s)") % {
            "label": assessment.recommendation.label,
            "reference": assessment.recommendation.reference,
            "status": change.get_status_display(),
            "voice": voice,
        }

    def item_description(self, change):
        return _("Effective %(date)s. %(summary)s") % {
            "date": date_format(change.effective_date, "DATE_FORMAT"),
            "summary": change.summary,
        }

    def item_link(self, change):
        assessment = change.assessment
        url = reverse("dashboards:country-detail", args=[assessment.country.iso3])
        return f"{url}#{assessment.recommendation.reference}"

    def item_pubdate(self, change):
        return change.changed_at
