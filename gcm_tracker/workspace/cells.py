"""Choosing the cell (recommendation × country) to assess, shared by contributors and staff.

Nobody picks from a list of every recommendation (there may be 200,000): they come from the
recommendation's or the country's page with the cell in the address, or search here, with the
choosers' search (choices.RECOMMENDATIONS), which shows at most SEARCH_LIMIT matches.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gcm_tracker.tracker.models import Country, Recommendation
from gcm_tracker.tracker.scope import is_applicable

from .assessment_forms import CountryChoiceForm, FindRecommendationForm
from .choices import RECOMMENDATIONS, SEARCH_LIMIT, clean_query


def cell_or_404(reference: str, iso3: str) -> tuple[Recommendation, Country]:
    """The recommendation and country named in an address; 404 unless the country is in the
    recommendation's scope (an assessment outside it would be of a "not applicable" cell)."""
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("consultation"), reference=reference
    )
    country = get_object_or_404(Country, iso3=iso3.upper())
    if not is_applicable(recommendation, country):
        raise Http404(
            _("Recommendation %(reference)s does not apply to %(country)s.")
            % {"reference": recommendation.reference, "country": country.localized_name}
        )
    return recommendation, country


def choose_cell(request, *, target: str, template_context: dict):
    """The chooser page: search a recommendation, then pick one of the countries it applies to;
    with both chosen, go to `target` (a route taking reference and ISO3)."""
    find = FindRecommendationForm(request.GET or None)
    reference = request.GET.get("recommendation", "").strip()
    recommendation = (
        Recommendation.objects.select_related("consultation").filter(reference=reference).first()
        if reference
        else None
    )
    country_form = None
    if recommendation:
        country_form = CountryChoiceForm(
            request.GET if "country" in request.GET or "country_q" in request.GET else None,
            recommendation=recommendation,
        )
        if country_form.is_bound and country_form.is_valid():
            return redirect(
                target, recommendation.reference, country_form.cleaned_data["country"].iso3
            )
    results, more = None, False
    if find.is_valid() and find.cleaned_data["q"]:
        try:
            query = clean_query(find.cleaned_data["q"])
        except ValidationError as error:
            find.add_error("q", error)
        else:
            results, more = RECOMMENDATIONS.search(query)
    return render(
        request,
        "workspace/choose_cell.html",
        template_context
        | {
            "find": find,
            "results": results,
            "search_limit": SEARCH_LIMIT,
            "more": more,
            "reference": reference,
            "recommendation": recommendation,
            "country_form": country_form,
        },
        status=404 if reference and recommendation is None else 200,
    )
