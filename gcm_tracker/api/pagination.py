import functools

from django.core.paginator import Paginator
from rest_framework import pagination

from gcm_tracker.tracker.paging import DeferredJoinPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """?page=N, with ?page_size= up to 200 rows, so no request can ask for the whole table; a
    deep page reads its keys first (tracker.paging), so it costs what the first one does."""

    django_paginator_class = DeferredJoinPaginator

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class IdsFirstPaginator(Paginator):
    """A page read in two steps: its ids first, from the list's index (a deep page skips index
    entries, not rows with their joins), then those rows by id, in the list's order. `count`,
    when given, is the list's length known from elsewhere (a summary), not counted again."""

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.count = count  # cached_property: set on the instance, never computed

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = self.object_list.order_by().filter(pk__in=ids).in_bulk()
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class AssessmentPagination(PageNumberPagination):
    """The assessment list's pages (the same ?page= and ?page_size= contract), read ids first;
    without filters its length is the roll-ups' total (the view's `unfiltered_count`), not a
    COUNT of every assessment. The view's other lists (roll-ups) paginate as every list."""

    def paginate_queryset(self, queryset, request, view=None):
        if getattr(view, "action", None) == "list":
            count = view.unfiltered_count() if hasattr(view, "unfiltered_count") else None
            self.django_paginator_class = functools.partial(IdsFirstPaginator, count=count)
        return super().paginate_queryset(queryset, request, view)
