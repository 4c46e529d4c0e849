from rest_framework import pagination

from gcm_tracker.tracker.paging import DeferredJoinPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """?page=N, with ?page_size= up to 200 rows, so no request can ask for the whole table; a
    deep page reads its keys first (tracker.paging), so it costs what the first one does."""

    django_paginator_class = DeferredJoinPaginator

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
