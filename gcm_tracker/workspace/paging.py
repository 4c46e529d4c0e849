"""Pages of the workspace's lists. A page may hold two lists (actions and assessments), so each
has its own page parameter and its links keep the other list's page (and the filters).

Counts are bounded: a list counts at most COUNT_LIMIT rows (a COUNT over a LIMIT subquery), so
a queue of hundreds of thousands costs what one of ten thousand does; past the limit the pager
says "more than" and the filters narrow the list.
"""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 25
COUNT_LIMIT = 10_000


class BoundedPaginator(Paginator):
    """A Paginator whose count stops at `limit` rows; `more` says whether rows were left out."""

    def __init__(self, object_list, per_page, limit: int | None = None):
        super().__init__(object_list, per_page)
        self.limit = COUNT_LIMIT if limit is None else limit

    @cached_property
    def _bounded_count(self) -> int:
        # One past the limit says whether there is more; the order does not change the count.
        return self.object_list.order_by()[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.limit)

    @property
    def more(self) -> bool:
        return self._bounded_count > self.limit


def bounded_count(queryset) -> int:
    """How many rows `queryset` has, counting no further than one past COUNT_LIMIT."""
    return queryset.order_by()[: COUNT_LIMIT + 1].count()


def paged(request, queryset, param: str, per_page: int | None = None) -> Page:
    """The page of `queryset` that `param` in the query string names (the first page when it
    is missing or not a page), with `previous_url` and `next_url` for its links."""
    page = BoundedPaginator(queryset, per_page or PAGE_SIZE).get_page(request.GET.get(param))
    page.previous_url = (
        _url(request, param, page.previous_page_number()) if page.has_previous() else ""
    )
    page.next_url = _url(request, param, page.next_page_number()) if page.has_next() else ""
    return page


def _url(request, param: str, number: int) -> str:
    query = request.GET.copy()
    query[param] = number
    return "?" + query.urlencode()
