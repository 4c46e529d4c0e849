"""What the choosers of the workspace forms pick from, and the search behind them.

Recommendations, countries and partner organisations are never listed in full on a page (there
may be 200,000 recommendations): a form shows what is chosen and a search, answered here, either
as JSON for the combobox of static/js/chooser.js (the `choices` view) or by the form itself when
JavaScript is off (choosers.ChooserWidget). Either way a search returns at most SEARCH_LIMIT rows
in a fixed number of queries (one; two for recommendations), whatever the size of the table.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.http import Http404, JsonResponse
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gcm_tracker.i18n import countries
from gcm_tracker.tracker import selectors
from gcm_tracker.tracker.filters import search_paragraphs
from gcm_tracker.tracker.models import Country, Recommendation, Stakeholder

SEARCH_LIMIT = 20
# Bounds on what is typed: a name, a reference or a few words of a recommendation.
QUERY_MAX_CHARACTERS = 100
QUERY_MAX_WORDS = 8
# Of a recommendation's text, what its label shows after the reference.
LABEL_TEXT_CHARACTERS = 100


def recommendation_label(recommendation: Recommendation) -> str:
    """How a recommendation is named wherever it is chosen: its reference and the start of its
    text. The one place to change when recommendations get short titles."""
    text = Truncator(recommendation.text).chars(LABEL_TEXT_CHARACTERS)
    return f"{recommendation.reference}: {text}"


def country_label(country: Country) -> str:
    return f"{country.localized_name} ({country.iso3})"


def partner_label(stakeholder: Stakeholder) -> str:
    return (
        f"{stakeholder.name} ({stakeholder.acronym})" if stakeholder.acronym else stakeholder.name
    )


def as_you_type_tsquery(text: str) -> str | None:
    """Every word of `text`, the last as a prefix ("labour migra" → "labour & migra:*"): a raw
    tsquery for a search made while typing, None when it has no word. Words are only letters and
    digits, so nothing typed is read as query syntax."""
    words = re.findall(r"\w+", text)
    if not words:
        return None
    return " & ".join([*words[:-1], f"{words[-1]}:*"])


# PostgreSQL plans "text matches … LIMIT 21" as a table scan that computes every text's vector
# until 21 are found: 11 s at 200,000 recommendations when few or none match. Planned on its own
# (MATERIALIZED), the match reads the GIN index of migration 0004 (same expression), and the
# LIMIT still stops it early.
TEXT_MATCHES_SQL = """
    WITH matches AS MATERIALIZED (
        SELECT id FROM tracker_recommendation
        WHERE to_tsvector('english'::regconfig, COALESCE(text, '')) @@ to_tsquery('english', %s)
    )
    SELECT id FROM matches LIMIT %s
"""


def _text_matches(query: str, limit: int) -> list[int]:
    """The ids of at most `limit` recommendations whose text holds every word of `query`, the
    last perhaps only begun, in no particular order."""
    if connection.vendor != "postgresql":
        # Every word as a substring: an unfinished one matches already.
        matches = search_paragraphs(Recommendation.objects.all(), query)
        return list(matches.values_list("id", flat=True)[:limit])
    tsquery = as_you_type_tsquery(query)
    if tsquery is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(TEXT_MATCHES_SQL, [tsquery, limit])
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
        .only("id", "reference", "text")
        .order_by("consultation_id", "paragraph", "sub_item")
    )


def _countries_matching(query: str) -> QuerySet[Country]:
    match = Q(short_name__icontains=query) | Q(name__icontains=query)
    if get_language() != settings.LANGUAGE_CODE:
        # Also the names the reader sees in their language (CLDR's, kept in memory).
        match |= Q(
            iso3__in=countries.matching(query, Country.objects.values_list("iso3", "short_name"))
        )
    if len(query) == 3:
        match |= Q(iso3=query.upper())
    return Country.objects.filter(match).order_by("short_name")


def _partners_matching(query: str) -> QuerySet[Stakeholder]:
    match = Q(name__icontains=query) | Q(acronym__icontains=query) | Q(slug=query.lower())
    return Stakeholder.objects.filter(match).order_by("name")


@dataclass(frozen=True)
class Chooser:
    """One kind of thing a chooser picks: every row it accepts (a form's queryset), how a row
    is named, and how rows are found from what is typed."""

    kind: str  # its part of the search endpoint's address
    noun: str  # plural, for "Search …" and "No … match"
    rows: Callable[[], QuerySet]
    label: Callable[[Model], str]
    matching: Callable[[str], QuerySet]

    def search(self, query: str) -> tuple[list[Model], bool]:
        """At most SEARCH_LIMIT rows matching `query` (already cleaned), and whether more
        match."""
        rows = list(self.matching(query)[: SEARCH_LIMIT + 1])
        return rows[:SEARCH_LIMIT], len(rows) > SEARCH_LIMIT

    def chosen(self, ids) -> list[Model]:
        """The rows of `ids` (as posted: strings, possibly not numbers), in their order; ids of
        no row are left out, the form's validation reports them."""
        wanted = [int(value) for value in ids if str(value).isdigit() and len(str(value)) < 19]
        if not wanted:
            return []
        found = self.rows().in_bulk(wanted)
        return [found[pk] for pk in dict.fromkeys(wanted) if pk in found]


RECOMMENDATIONS = Chooser(
    kind="recommendations",
    noun=gettext_lazy("recommendations"),
    rows=lambda: Recommendation.objects.all(),
    label=recommendation_label,
    matching=_recommendations_matching,
)
COUNTRIES = Chooser(
    kind="countries",
    noun=gettext_lazy("countries"),
    rows=lambda: Country.objects.all(),
    label=country_label,
    matching=_countries_matching,
)
PARTNERS = Chooser(
    kind="partners",
    noun=gettext_lazy("organisations"),
    rows=lambda: Stakeholder.objects.all(),
    label=partner_label,
    matching=_partners_matching,
)
CHOOSERS = {chooser.kind: chooser for chooser in (RECOMMENDATIONS, COUNTRIES, PARTNERS)}


def clean_query(value: str | None) -> str:
    """What was typed, stripped; ValidationError when it is missing or longer than a search."""
    query = (value or "").strip()
    if not query:
        raise ValidationError(_("Type something to search for."), code="required")
    if len(query) > QUERY_MAX_CHARACTERS:
        raise ValidationError(
            _("Search for at most %(limit)d characters.") % {"limit": QUERY_MAX_CHARACTERS},
            code="max_length",
        )
    if len(query.split()) > QUERY_MAX_WORDS:
        raise ValidationError(
            _("Search for at most %(limit)d words.") % {"limit": QUERY_MAX_WORDS},
            code="too_many_words",
        )
    return query


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
    try:
        query = clean_query(request.GET.get("q"))
    except ValidationError as error:
        return JsonResponse({"error": error.messages[0]}, status=400)
    rows, more = chooser.search(query)
    response = JsonResponse(
        {
            "query": query,
            "results": [{"id": row.pk, "label": chooser.label(row)} for row in rows],
            "more": more,
        }
    )
    # Only the signed-in see it, and a new recommendation must show up in the next search.
    response["Cache-Control"] = "private, no-cache"
    return response
