"""The public pages of the country dimension: the recommendation × country matrix and its
downloads, the disagreements between the two voices, the country map and each country's
scorecard. Read-only (GET and HEAD), cached whole for anonymous visitors (page_cache)."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from gcm_tracker.i18n.countries import sort_key
from gcm_tracker.tracker import country_selectors, selectors
from gcm_tracker.tracker.enums import EscapMembership
from gcm_tracker.tracker.filters import MatrixFilter
from gcm_tracker.tracker.models import Country, Recommendation

from . import matrix as drawing
from .charts import status_segments
from .download_limits import limited_download, too_many_cells
from .page_cache import public_page
from .views import EXPORTS, SECTION_SIZE, _page, filtered_length

# Recommendations per page of the matrix: each brings a row of up to ~60 cells (about 13 KB of
# HTML), and a page must stay under 300 KB (docs/performance.md).
MATRIX_PAGE_SIZE = 15
# Recommendations per page of a scorecard: each is a card with both voices.
SCORECARD_PAGE_SIZE = 50
# Recommendations per chunk of a matrix download (five queries each).
DOWNLOAD_CHUNK = 200
# A download of at most this many recommendations (about 60 cells, two voices each) is read whole,
# so that the page cache keeps it; a larger one streams.
WHOLE_DOWNLOAD_RECOMMENDATIONS = 50


def _matrix_filter(request):
    return MatrixFilter(
        request.GET,
        queryset=country_selectors.with_scope(Recommendation.objects.all()),
        request=request,
    )


@require_safe
@public_page
def matrix(request):
    filterset = _matrix_filter(request)
    valid = filterset.is_valid()
    rows = filterset.qs if valid else Recommendation.objects.none()
    page = _page(request, rows, MATRIX_PAGE_SIZE, count=filterset.kept_count() if valid else 0)
    table = country_selectors.matrix(
        list(page.object_list), filterset.column_q() if valid else Q(), filterset.voices
    )
    return render(
        request,
        "dashboards/matrix.html",
        {
            "filter": filterset,
            "page": page,
            "matrix": table,
            "voices": filterset.voices,
            "legend": drawing.legend(),
            "export_formats": EXPORTS,
        },
        status=200 if valid else 400,
    )


@require_safe
@public_page
@limited_download
def matrix_export(request, fmt):
    if fmt not in EXPORTS:
        raise Http404(_("Downloads come as CSV, XLSX or JSON."))
    filterset = _matrix_filter(request)
    if not filterset.is_valid():
        return matrix(request)  # the matrix page, showing what is wrong, as a 400
    recommendations = filtered_length(filterset)
    if refused := too_many_cells(
        request,
        fmt=fmt,
        recommendations=recommendations,
        countries=Country.objects.filter(filterset.column_q()).count(),
        voices=len(filterset.voices),
    ):
        return refused
    chunks = country_selectors.matrix_cells_in_chunks(
        filterset.qs, filterset.column_q(), filterset.voices, DOWNLOAD_CHUNK
    )
    rows = drawing.matrix_rows(chunks, request.build_absolute_uri)
    if fmt == "xlsx":
        return drawing.xlsx_response(rows)
    if fmt == "csv":
        response = drawing.csv_response(rows)
    else:
        source = request.build_absolute_uri(request.path.rsplit("download/", 1)[0])
        response = drawing.json_response(rows, source, request.GET.urlencode())
    if recommendations > WHOLE_DOWNLOAD_RECOMMENDATIONS:
        return response  # large: streamed, not cached
    return HttpResponse(b"".join(response.streaming_content), headers=dict(response.items()))


@require_safe
@public_page
def disagreement_list(request):
    page = _page(
        request,
        country_selectors.disagreement_list(),
        # Kept by the database, not counted over every disagreeing cell.
        count=country_selectors.disagreement_count(),
    )
    return render(
        request,
        "dashboards/disagreement_list.html",
        {"page": page, "cells": country_selectors.disagreement_cells(page.object_list)},
    )


def _name(figures) -> str:
    # The name the reader sees, in their language, accents aside.
    return sort_key(figures.country.localized_name)


COUNTRY_SORTS = {
    "name": _name,
    "subregion": lambda f: (f.country.get_subregion_display(), _name(f)),
    "-share": lambda f: (-(f.advanced_share or -1), _name(f)),
    "share": lambda f: (f.advanced_share or -1, _name(f)),
    "-applicable": lambda f: (-f.applicable, _name(f)),
    "-civil_society": lambda f: (-f.civil_society.total, _name(f)),
}


@require_safe
@public_page
def country_list(request):
    sort = request.GET.get("sort", "name")
    if sort not in COUNTRY_SORTS:
        sort = "name"
    figures = country_selectors.country_figures()
    tiles, width, height = drawing.tiles(figures)
    return render(
        request,
        "dashboards/country_list.html",
        {
            "tiles": tiles,
            "map_width": width,
            "map_height": height,
            "shades": drawing.shade_legend(),
            "rows": sorted(figures, key=COUNTRY_SORTS[sort]),
            "sort": sort,
            "others": Country.objects.filter(membership=EscapMembership.NON_MEMBER).order_by(
                "short_name"
            ),
        },
    )


class Scorecard:
    """What a scorecard's summary and recommendations show, each part read once (the page,
    its cells and the breakdown share the applicable counts)."""

    def __init__(self, request, country):
        self.request, self.country = request, country

    @cached_property
    def applicable(self):
        return country_selectors.applicable_counts(self.country)

    @cached_property
    def page(self):
        paginator = Paginator(
            country_selectors.scorecard_recommendations(self.country), SCORECARD_PAGE_SIZE
        )
        # Known already, without counting the filtered recommendations again.
        paginator.count = self.applicable.total
        return paginator.get_page(self.request.GET.get("page"))

    @cached_property
    def overall(self):
        return country_selectors.country_distribution(self.country, self.applicable.total)

    @cached_property
    def official(self):
        return status_segments(self.overall.official.counts)

    @cached_property
    def civil_society(self):
        return status_segments(self.overall.civil_society.counts)

    @cached_property
    def objectives(self):
        return country_selectors.country_objective_breakdown(self.country, self.applicable)

    @cached_property
    def cells(self):
        return country_selectors.scorecard_cells(self.country, self.page.object_list)


@require_safe
@public_page
def country_detail(request, iso3):
    country = get_object_or_404(Country, iso3=iso3.upper())
    # The page cache serves it whole, to signed-in users too (keyed by their permissions, on
    # which the assess links depend: page_cache); what is below is read only on a miss.
    return render(
        request,
        "dashboards/country_detail.html",
        {
            "country": country,
            "scorecard": Scorecard(request, country),
            "actions": selectors.newest_actions_in(country, SECTION_SIZE),
            "good_practices": selectors.good_practice_list()
            .filter(countries=country)
            .order_by("consultation_id", "paragraph")[:SECTION_SIZE],
            "stakeholders": country.stakeholders.order_by("name"),
        },
    )
