"""What keeps the admin's change lists cheap on tables of millions of rows.

- No second count of the whole table for "N of M selected" (show_full_result_count = False).
- An unfiltered list on PostgreSQL takes its number of rows from the planner's estimate
  (pg_class.reltuples, kept by autovacuum and ANALYZE) once a table has ESTIMATE_FROM rows or
  more, instead of a COUNT(*) over all of them; a filtered or searched list counts exactly, as
  does every list on SQLite and every small table. The admin then says "about" nothing: the
  figure is the estimate, which is close, and the last page may hold fewer rows than it implies.
- 50 rows a page: rendering a row costs more than reading it.
- Each staff member's pages are kept in the cache until the tracker's data changes
  (KeptChangeListMixin).

Change lists also pick what their rows show in the same query (list_select_related, set per
admin) and leave out sidebar filters with thousands of choices (consultations, organisations):
a list is filtered by those through the search box, or an address such as
?consultation__id__exact=12, which the admin accepts for a local field.
"""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

from .own_pages import served
from .work_generation import GENERATION_KEY, work_generation

ESTIMATE_FROM = 10_000


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        estimate = _estimated_rows(self.object_list)
        if estimate is not None and estimate >= ESTIMATE_FROM:
            return estimate
        return super().count


def _estimated_rows(queryset) -> int | None:
    """The planner's estimate of the rows of `queryset`'s table when `queryset` is the whole
    table on PostgreSQL; None otherwise (filtered, distinct, or another database)."""
    connection = connections[queryset.db]
    query = queryset.query
    if connection.vendor != "postgresql" or query.where or query.distinct or query.combinator:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None


class KeptChangeListMixin:
    """Keeps each staff member's change list pages in the cache while the tracker's data is as
    it was (the work-data generation, tracker.work_generation; tracker.own_pages says what is
    kept, for whom), so that paging back, or coming back to a list after opening a row, does not
    draw fifty rows again: drawing them costs about ten times what reading them does."""

    def changelist_view(self, request, extra_context=None):
        def draw():
            return super(KeptChangeListMixin, self).changelist_view(request, extra_context)

        if extra_context is not None:
            return draw()
        return served(request, "admin-list", GENERATION_KEY, work_generation, draw)


class LargeListMixin(KeptChangeListMixin):
    """For a ModelAdmin whose table may hold hundreds of thousands of rows."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
