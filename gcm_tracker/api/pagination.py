from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """?page=N, with ?page_size= up to 200 rows, so no request can ask for the whole table."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
