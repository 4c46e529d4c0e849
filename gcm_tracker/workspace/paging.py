"""Pages of the workspace's lists. A page may hold two lists (actions and assessments), so each
has its own page parameter and its links keep the other list's page."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


def paged(request, queryset, param: str, per_page: int = PAGE_SIZE) -> Page:
    """The page of `queryset` that `param` in the query string names (the first page when it
    is missing or not a page), with `previous_url` and `next_url` for its links."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))
    page.previous_url = (
        _url(request, param, page.previous_page_number()) if page.has_previous() else ""
    )
    page.next_url = _url(request, param, page.next_page_number()) if page.has_next() else ""
    return page


def _url(request, param: str, number: int) -> str:
    query = request.GET.copy()
    query[param] = number
    return "?" + query.urlencode()
