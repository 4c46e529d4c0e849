"""The Atom feed of any followed list, with exactly the list page's filters: the same items a
digest of that list sends (follow.followed), the newest first."""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from gcm_tracker.dashboards.feeds import PlainTextAtomFeed

from .followed import VIEWS, normalise

ITEMS = 30


class ListFeed(Feed):
    feed_type = PlainTextAtomFeed

    def __call__(self, request, *args, **kwargs):
        view = VIEWS.get(kwargs["view"])
        if view is None:
            raise Http404(_("There is no such list."))
        try:
            query, filterset = normalise(view, request.GET)
        except ValueError as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        request.followed = (view, query, filterset)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, view):
        return request.followed

    def title(self, obj):
        view, query, _filterset = obj
        return _("GCM Tracker: %(list)s") % {"list": view.label} + (f" ({query})" if query else "")

    def link(self, obj):
        view, query, _filterset = obj
        return view.page_url(query)

    def description(self, obj):
        return _("What changed in this list, with its filters, newest first.")

    def items(self, obj):
        view, _query, filterset = obj
        return view.items(filterset, None, timezone.now(), ITEMS)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.path

    def item_pubdate(self, item):
        return item.when
