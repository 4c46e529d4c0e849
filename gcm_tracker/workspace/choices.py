"""What the choosers of the workspace forms pick from, and the search behind them.

Recommendations, countries and partner organisations are never listed in full on a page (there
may be 200,000 recommendations): a form shows what is chosen and a search, answered here, either
as JSON for the combobox of static/js/chooser.js (the `choices` view) or by the form itself when
JavaScript is off (choosers.ChooserWidget). Either way a search returns at most SEARCH_LIMIT rows
in a fixed number of queries (one; two for recommendations, whose text matches are found first,
and for countries in a language other than English, whose names are read first), whatever the
size of the table.
"""

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from gcm_tracker.tracker import search, selectors
from gcm_tracker.tracker.choosing import (  # noqa: F401 (QUERY_MAX_CHARACTERS: used by forms)
    PUBLIC_COUNTRIES,
    QUERY_MAX_CHARACTERS,
    SEARCH_LIMIT,
    Chooser,
    clean_query,
    organisation_label,
    organisations_matching,
    search_response,
)
from gcm_tracker.tracker.filters import search_paragraphs
from gcm_tracker.tracker.models import Recommendation, Stakeholder
from gcm_tracker.tracker.translation import columns, translated

# Of a recommendation's text, what its label shows after the reference.
LABEL_TEXT_CHARACTERS = 100


def recommendation_label(recommendation: Recommendation) -> str:
    """How a recommendation is named wherever it is chosen: its reference and the start of its
    text. The one place to change when recommendations get short titles."""
    text = Truncator(translated(recommendation, "text").text).chars(LABEL_TEXT_CHARACTERS)
    return f"{recommendation.reference}: {text}"


# PostgreSQL plans "text matches … LIMIT 21" as a table scan that computes every text's vector
# until 21 are found: 11 s at 200,000 recommendations when few or none match. Planned on its own
# (MATERIALIZED), the match reads the GIN indexes of migrations 0004 and 0029 (tracker.search
# writes the same expressions), and the LIMIT still stops it early.
TEXT_MATCHES_SQL = "WITH matches AS MATERIALIZED ({matches}) SELECT id FROM matches LIMIT %s"


def _text_matches(query: str, limit: int) -> list[int]:
    """The ids of at most `limit` recommendations whose text, in English or in the active
    language, holds every word of `query`, the last perhaps only begun, in no particular order."""
    recommendations = Recommendation.objects.all()
    if not search.is_postgresql(recommendations):
        # Every word as a substring: an unfinished one matches already.
        matches = search_paragraphs(recommendations, query)
        return list(matches.values_list("id", flat=True)[:limit])
    recommendations, condition = search.search_condition(recommendations, query, as_you_type=True)
    ids = recommendations.filter(condition).order_by().values("id")
    try:
        sql, params = ids.query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:  # nothing typed is a word ("-", ":*"): it matches no text
        return []
    with connection.cursor() as cursor:
        cursor.execute(TEXT_MATCHES_SQL.replace("{matches}", sql), [*params, limit])
        return [row[0] for row in cursor.fetchall()]


def _recommendations_matching(query: str) -> QuerySet[Recommendation]:
    """By words of the text, the last one perhaps only begun, the start of the reference, or the
    paragraph number (two queries); in report order, which the unique (consultation, paragraph)
    index serves."""
    match = Q(pk__in=_text_matches(query, SEARCH_LIMIT + 1))
    match |= Q(reference__startswith=query.lower())
    if query.isdigit() and int(query) < 2**15:
        match |= Q(paragraph=int(query))
    return (
        Recommendation.objects.filter(match)
        .only("id", "reference", *columns(Recommendation))
        .order_by("consultation_id", "paragraph", "sub_item")
    )


RECOMMENDATIONS = Chooser(
    kind="recommendations",
    noun=gettext_lazy("recommendations"),
    rows=lambda: Recommendation.objects.all(),
    label=recommendation_label,
    matching=_recommendations_matching,
    url_name="workspace:choices-recommendations",
)
# As the public filters' countries, but chosen by id and searched by members only.
COUNTRIES = replace(PUBLIC_COUNTRIES, key="pk", url_name="workspace:choices-countries")
PARTNERS = Chooser(
    kind="partners",
    noun=gettext_lazy("organisations"),
    rows=lambda: Stakeholder.objects.all(),
    label=organisation_label,
    matching=organisations_matching,
    url_name="workspace:choices-partners",
)
# The workspace's and review queue's organisation filter: any organisation, by the short name
# its addresses use.
ORGANISATIONS = replace(
    PARTNERS, kind="organisations", key="slug", url_name="workspace:choices-organisations"
)
CHOOSERS = {
    chooser.kind: chooser for chooser in (RECOMMENDATIONS, COUNTRIES, PARTNERS, ORGANISATIONS)
}


def may_choose(user) -> bool:
    """Whether `user` fills in a form with choosers: a member of an organisation (actions,
    assessments) or staff who record official assessments."""
    # Membership first: one query, where the permission check reads two tables.
    return selectors.organisations_of(user).exists() or user.has_perm("tracker.record_official")


@login_required
@require_safe
def choices(request, kind):
    """JSON search for a chooser: ?q= → {"results": [{"id", "label"}, …], "more": bool}, at most
    SEARCH_LIMIT results; 400 with {"error"} for a missing or overlong q."""
    chooser = CHOOSERS.get(kind)
    if chooser is None:
        raise Http404(_("There is no such list to choose from."))
    if not may_choose(request.user):
        raise PermissionDenied(_("Only members of an organisation and staff search these lists."))
    response = search_response(chooser, request)
    # Only the signed-in see it, and a new recommendation must show up in the next search.
    response["Cache-Control"] = "private, no-cache"
    return response
