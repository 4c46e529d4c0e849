"""Deep pages that cost what the first one does.

A page far down a long list (page 4,000 of 8,000) with LIMIT/OFFSET makes the database build every
skipped row: join its consultation, evaluate its columns. DeferredJoinPaginator finds the page's
primary keys first, in a subquery that reads only the ordering columns and the key (an index
scan), and then reads the whole rows, joins and prefetches for those 25 keys alone:

    SELECT … FROM recommendation JOIN consultation … WHERE id IN
        (SELECT id FROM recommendation WHERE … ORDER BY … LIMIT 25 OFFSET 99975)
    ORDER BY …

Same rows and order as Paginator, and the same number of queries but where a page first reads
where it starts (`skip=`, below: one query more); the public lists and the API's page-number
pagination use it, so their contract (?page=N, counts, links) is unchanged.

`keys=` says which pages read their keys first, and how:
- DEEP_PAGES (the default): every page but the first, whose 25 rows an index gives in order;
- APART: every page, the keys in a query of their own and then those rows by key (one query
  more, each simple), for the API's assessment list: a million rows whose joins the planner
  handles badly inside a subquery.
`skip=` says where a deep page's rows start nearer than the list's first row (the assessment
list's blocks of recommendations: assessment_selectors.skip_to_block), so the keys' query skips a
few thousand index entries instead of every one before the page. Every recommendation,
unfiltered, in an order that starts with the consultation's key, `consultation_id` (the default
order, the lists', the API's), needs none given: its deep pages start from the block of
consultations that holds them (skip_to_consultation_block).
`keys=` may also be a function giving a page's keys (`Keys`): merged()'s reads a list in parts,
each from an index of its own in the list's order, and merges them (the list of
recommendations with several statuses chosen, by a date: each status's rows).
`count=` gives the list's length when it is known from elsewhere (the roll-ups' total), so it is
not counted again. Without it, every recommendation, unfiltered, is not counted either: the
database keeps their number (kept_total()).
"""

from collections.abc import Callable, Sequence

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, QuerySet
from django.utils.functional import cached_property

from .models import CONSULTATION_BLOCK, BlockCount, Recommendation, RecommendationBlockCount
from .selectors import recommendation_count

DEEP_PAGES, APART = "deep pages", "apart"


# Where a page's rows can be found from a nearer start than the list's first row: given the list
# and the offset of the page's first row, the rows from that start and the offset among them.
Skip = Callable[[QuerySet, int], tuple[QuerySet, int]]
# A page's keys: given the list, the offset of the page's first row and its length, the keys of
# its rows (in any order: the page is read in the list's).
Keys = Callable[[QuerySet, int, int], list]


class DeferredJoinPaginator(Paginator):
    def __init__(
        self,
        object_list,
        per_page,
        *,
        count: int | None = None,
        keys=DEEP_PAGES,
        skip: Skip | None = None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.keys, self.skip = keys, skip
        if count is not None:
            self.count = count  # a cached_property: set on the instance, never computed

    @cached_property
    def count(self):
        kept = kept_total(self.object_list)
        return super().count if kept is None else kept

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if callable(self.keys):
            return self._get_page(
                rows.filter(pk__in=self.keys(rows, bottom, top - bottom)), number, self
            )
        if self.keys == APART:
            start, offset = (
                (rows, bottom) if not (bottom and self.skip) else self.skip(rows, bottom)
            )
            keys = list(start.values_list("pk", flat=True)[offset : offset + top - bottom])
            by_key = rows.order_by().filter(pk__in=keys).in_bulk()
            return self._get_page([by_key[pk] for pk in keys if pk in by_key], number, self)
        if bottom and isinstance(rows, QuerySet) and not rows.query.combinator:
            skip = self.skip or (skip_to_consultation_block if _by_consultation(rows) else None)
            start, offset = skip(rows, bottom) if skip else (rows, bottom)
            # The outer query keeps the queryset's filters and order, so the page's rows come
            # back in the same order; its subquery carries the offset.
            rows = rows.filter(pk__in=start.values("pk")[offset : offset + top - bottom])
        else:
            rows = rows[bottom:top]
        return self._get_page(rows, number, self)


def merged(parts: Sequence[QuerySet]) -> Keys | None:
    """Keys of a page of a list that is `parts` together (no row in two; each part filtered
    as the list is and in its order): each part's first rows, merged. A list of recommendations
    with several statuses is sorted by a date from each status's index that leads with it,
    where the list as one query sorted every match (two statuses, the longest without an update
    first: 41 ms at N = 200,000). A deep page reads each part's rows up to its end, as the one
    query would. None where the database takes no LIMIT in a UNION's parts (SQLite, in
    development): the list is read as one query. The list's order must be on columns or
    expressions that are never empty."""
    if not connection.features.supports_slicing_ordering_in_compound:
        return None

    def keys(rows: QuerySet, offset: int, limit: int) -> list:
        if not limit:  # Django makes a slice [:0] an empty queryset, which no UNION takes.
            return []
        # The list's order as columns of each part, and the key last: ties fall the same way
        # in every part and in the merge.
        columns, order = {}, []
        for n, item in enumerate((*rows.query.order_by, "pk")):
            name = f"page_key_{n}"
            if isinstance(item, str):
                columns[name] = F(item.removeprefix("-"))
                descending = item.startswith("-")
            else:  # an expression's OrderBy
                columns[name], descending = item.expression, item.descending
            order.append(f"-{name}" if descending else name)
        end = offset + limit
        firsts = [
            part.annotate(**columns).order_by(*order).values_list(*columns)[:end] for part in parts
        ]
        together = firsts[0].union(*firsts[1:], all=True).order_by(*order)
        return [row[-1] for row in together[offset:end]]

    return keys


def _every_recommendation(rows) -> bool:
    """Whether `rows` is every recommendation, whatever it joins for display or however it is
    ordered: not filtered, distinct, grouped, sliced or joined to extra tables."""
    if not isinstance(rows, QuerySet) or rows.model is not Recommendation:
        return False
    query = rows.query
    return not (
        query.where
        or query.combinator
        or query.distinct
        or query.group_by is not None
        or query.is_sliced
        or query.extra_tables
    )


def kept_total(rows) -> int | None:
    """How many rows `rows` holds when the database keeps that number: every recommendation,
    unfiltered (selectors.recommendation_count(); a COUNT of 200,000 took 10 ms). None for any
    other list: it is counted."""
    return recommendation_count() if _every_recommendation(rows) else None


def _by_consultation(rows) -> bool:
    """Whether `rows` is every recommendation in an order whose first key is the consultation's
    key, ascending (the model's default order, the lists' and the API's): every recommendation
    of a consultation of a lower key comes before those of the higher ones. (Not "consultation",
    which orders by the consultation's own default order, its date.)"""
    if not _every_recommendation(rows):
        return False
    query = rows.query
    order = query.order_by or (Recommendation._meta.ordering if query.default_ordering else ())
    return bool(order) and order[0] == "consultation_id"


def skip_by_blocks(
    rows: QuerySet, offset: int, counts: type[BlockCount], field: str, size: int
) -> tuple[QuerySet, int]:
    """The rows of `rows` from the first key of the block that holds row `offset` (`field` ≥
    the block × `size`), and that row's offset among them, from the kept counts per block
    (`counts`: one query of its rows); `rows` and `offset` as they are if the counts end before
    it. The list must be in `field`'s order first, and hold what the counts count."""
    before = 0
    blocks = counts.objects.filter(count__gt=0).order_by("block")
    for block, count in blocks.values_list("block", "count"):
        if before + count > offset:
            return rows.filter(**{f"{field}__gte": block * size}), offset - before
        before += count
    return rows, offset


def skip_to_consultation_block(rows: QuerySet, offset: int) -> tuple[QuerySet, int]:
    """For every recommendation in consultation order (_by_consultation): where a deep page
    starts, from RecommendationBlockCount (50 rows at 5,000 consultations)."""
    return skip_by_blocks(
        rows, offset, RecommendationBlockCount, "consultation_id", CONSULTATION_BLOCK
    )
