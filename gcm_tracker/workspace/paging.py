"""Pages of the workspace's lists. A page may hold two lists (actions and assessments), so each
has its own page parameter and its links keep the other list's page (and the filters).

Counts are bounded: a list counts at most COUNT_LIMIT rows (a COUNT over a LIMIT subquery), so
a queue of hundreds of thousands costs what one of ten thousand does; past the limit the pager
says "more than" and the filters narrow the list. A filtered list counts no further than
FILTERED_PAGES_AHEAD pages past the one asked for: its rows are found by testing the list's rows
in order (an objective, a search), so counting far would test a large part of the queue (at
N = 200,000, counting a filtered review queue to 500 walked 11,500 actions, 43 ms); counting to
the end of the next page costs about what reading it would, and the pager still says whether
there is a next page and how many pages there are at least ("Page 1 of more than 2"). Three
pages ahead, the walk of a contributor's actions about one objective was twice as long (at
N = 200,000, 2,052 index entries for 101 matches). It counts in the list's own
order, so it reads the rows that page and the next ones would, from the index that serves the
order (for a queue filtered by an objective, that objective's partial index:
tracker.objective_bits). Unordered, PostgreSQL guesses that a third of the rows pass a bit test
and scans the table from its start instead: at N = 200,000 the submissions' count read 24,000
rows for the 101 about objective 13 (7 ms; in order, 2 ms).

A filtered list counts by reading those rows' keys (one query), and its page is then the rows of
its keys (one query by key), so what the filter joins is planned apart from what the table shows
and its rows are tested once. As a count and then a page whose keys were a subquery of their own,
they were tested twice, and the page's query was the filter twice over: at N = 200,000 the first
view of a contributor's workspace filtered by a state, an objective and a search (25 actions and
25 assessments) went from 67–70 ms to 57–62 ms in one process, where the same page at N = 1,000
(no action matches) takes 44–47 ms. An unfiltered list's later pages read their keys first
(tracker.paging).
"""

from django.core.paginator import Page
from django.utils.functional import cached_property

from gcm_tracker.tracker.paging import DeferredJoinPaginator

PAGE_SIZE = 25
COUNT_LIMIT = 10_000
FILTERED_PAGES_AHEAD = 1


class BoundedPaginator(DeferredJoinPaginator):
    """A Paginator whose count stops at `limit` rows; `more` says whether rows were left out. A
    `filtered` list is counted by its keys in its own order, and its page read by those keys."""

    def __init__(self, object_list, per_page, limit: int | None = None, *, filtered: bool = False):
        # An unfiltered first page is already read in order from its index, 25 rows.
        super().__init__(object_list, per_page)
        self.limit = COUNT_LIMIT if limit is None else limit
        self.filtered = filtered

    @cached_property
    def _keys(self) -> list:
        """A filtered list's keys in its order, to one past the limit."""
        return list(self.object_list.values_list("pk", flat=True)[: self.limit + 1])

    @cached_property
    def _bounded_count(self) -> int:
        # One past the limit says whether there is more.
        if self.filtered:
            return len(self._keys)
        return self.object_list.order_by()[: self.limit + 1].count()

    def page(self, number):
        if not self.filtered:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        # The list's filters and order stay: a row changed since its key was read is left out
        # rather than shown as it no longer is.
        page_keys = self._keys[bottom : bottom + self.per_page]
        return self._get_page(self.object_list.filter(pk__in=page_keys), number, self)

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.limit)

    @property
    def more(self) -> bool:
        return self._bounded_count > self.limit


def bounded_count(queryset) -> int:
    """How many rows `queryset` has, counting no further than one past COUNT_LIMIT."""
    return queryset.order_by()[: COUNT_LIMIT + 1].count()


def paged(
    request, queryset, param: str, per_page: int | None = None, *, filtered: bool = False
) -> Page:
    """The page of `queryset` that `param` in the query string names (the first page when it
    is missing or not a page), with `previous_url` and `next_url` for its links. A `filtered`
    list counts no further than FILTERED_PAGES_AHEAD pages past that page."""
    per_page = per_page or PAGE_SIZE
    limit = None
    if filtered:
        limit = min(COUNT_LIMIT, (_asked(request, param) + FILTERED_PAGES_AHEAD) * per_page)
    paginator = BoundedPaginator(queryset, per_page, limit, filtered=filtered)
    page = paginator.get_page(request.GET.get(param))
    page.previous_url = (
        _url(request, param, page.previous_page_number()) if page.has_previous() else ""
    )
    page.next_url = _url(request, param, page.next_page_number()) if page.has_next() else ""
    return page


def _asked(request, param: str) -> int:
    """The page number the query string asks for; 1 when it asks for none or for no number
    (get_page answers those with the first page, and one past the last with the last)."""
    try:
        return max(1, int(request.GET.get(param, 1)))
    except (TypeError, ValueError):
        return 1


def _url(request, param: str, number: int) -> str:
    query = request.GET.copy()
    query[param] = number
    return "?" + query.urlencode()
