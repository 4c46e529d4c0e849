import functools

from rest_framework import pagination

from gcm_tracker.tracker import assessment_selectors
from gcm_tracker.tracker.paging import APART, DeferredJoinPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """?page=N, with ?page_size= up to 200 rows, so no request can ask for the whole table; a
    deep page reads its keys first (tracker.paging), so it costs what the first one does."""

    django_paginator_class = DeferredJoinPaginator

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class KeptLengthPagination(PageNumberPagination):
    """The list's pages, its length read from what the database keeps when the view's filterset
    (KeptFilterBackend's, valid by now) knows it (`kept_count()`: the recommendations of a
    country, an organisation or statuses alone, as the public list reads it) instead of counted:
    Thailand's 19,354 of 200,000 recommendations took 29 ms to count."""

    def paginate_queryset(self, queryset, request, view=None):
        filterset = getattr(view, "filterset", None)
        if getattr(view, "action", None) == "list" and filterset is not None:
            count = filterset.kept_count()
            if count is not None:
                self.django_paginator_class = functools.partial(DeferredJoinPaginator, count=count)
        return super().paginate_queryset(queryset, request, view)


class AssessmentPagination(PageNumberPagination):
    """The assessment list's pages (the same ?page= and ?page_size= contract), read keys first;
    without filters its length is the roll-ups' total (the view's `unfiltered_count`), not a
    COUNT of every assessment, and a deep page starts from the block of recommendations that
    holds it (assessment_selectors.skip_to_block). The view's other lists (roll-ups) paginate as
    every list."""

    def paginate_queryset(self, queryset, request, view=None):
        if getattr(view, "action", None) == "list":
            count = view.unfiltered_count() if hasattr(view, "unfiltered_count") else None
            # The blocks count every in-scope assessment: only the unfiltered list is theirs.
            skip = assessment_selectors.skip_to_block if count is not None else None
            self.django_paginator_class = functools.partial(
                DeferredJoinPaginator, count=count, keys=APART, skip=skip
            )
        return super().paginate_queryset(queryset, request, view)
