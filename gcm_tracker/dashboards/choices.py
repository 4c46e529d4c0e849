"""The public filters' searches (tracker.choosing.PUBLIC_CHOOSERS): JSON for the combobox of
static/js/chooser.js on the public list pages.

Read-only and bounded like the workspace's (at most SEARCH_LIMIT rows, a query of at most
QUERY_MAX_CHARACTERS, a fixed number of queries whatever the size of the table), and public:
every row named is on public pages already (organisations only when they have published
actions), so the answer may be cached by anyone for a few minutes.
"""

from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gcm_tracker.tracker.choosing import (
    PUBLIC_CHOOSERS,
    QUERY_MAX_CHARACTERS,
    countries_among,
    search_response,
)

MAX_AGE_SECONDS = 300


@require_safe
def choices(request, kind):
    """?q= → {"query", "results": [{"id": the row's key, "label"}, …], "more": bool}; 400 with
    {"error"} for a missing or overlong q. Countries take ?among= (choosing.countries_among):
    404 when it names no recommendation."""
    chooser = PUBLIC_CHOOSERS.get(kind)
    among = request.GET.get("among", "")
    if chooser is not None and among:
        fits = kind == "countries" and len(among) <= QUERY_MAX_CHARACTERS
        chooser = countries_among(among) if fits else None
    if chooser is None:
        raise Http404(_("There is no such list to choose from."))
    response = search_response(chooser, request)
    if response.status_code != 200:
        return response
    patch_cache_control(response, public=True, max_age=MAX_AGE_SECONDS)
    return response
