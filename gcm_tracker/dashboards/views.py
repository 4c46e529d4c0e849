"""The public progress site: function views over tracker.selectors, one template each.

Nothing here writes: every view answers GET and HEAD only (405 otherwise). Pages are cached whole
for visitors who are not signed in (page_cache), until public data changes; the open-data page and
files are not, as they change when a background build lands (dashboards.open_data). Lists filter
with the FilterSets of tracker.filters; a filter value the form does not accept answers 400 with
the form's message and no rows, never a 500. Downloads are capped (download_limits).
"""

import datetime

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition, require_safe

from gcm_tracker.tracker import country_selectors, selectors
from gcm_tracker.tracker.action_pages import PublishedActionsBy, kept_pages
from gcm_tracker.tracker.cache import TIMEOUT, cached_public, public_generation
from gcm_tracker.tracker.enums import RecommendationStatus, Subregion
from gcm_tracker.tracker.filters import (
    ActionFilter,
    ConsultationFilter,
    GoodPracticeFilter,
    RecommendationFilter,
    StakeholderFilter,
)
from gcm_tracker.tracker.models import (
    Consultation,
    GoodPractice,
    Objective,
    Recommendation,
    Stakeholder,
)
from gcm_tracker.tracker.paging import DEEP_PAGES, DeferredJoinPaginator, kept_total

from . import citations, exports, open_data, tasks
from .charts import bar_width, objective_rows, status_segments
from .download_limits import limited_download, too_many_rows
from .matrix import MATRIX_COLUMNS
from .page_cache import public_page

PAGE_SIZE = 25
# Detail pages show the first rows of each section and link to the full, filterable list, so a
# page stays the same size however much data there is.
SECTION_SIZE = 25


def _page(request, queryset, per_page=PAGE_SIZE, count=None, keys=DEEP_PAGES):
    """The asked page of `queryset`; `count`, when given, is its length known already, and
    `keys` how a page's keys are found (DeferredJoinPaginator's)."""
    paginator = DeferredJoinPaginator(queryset, per_page, count=count, keys=keys)
    return paginator.get_page(request.GET.get("page"))


def _filtered_list(request, filterset_class, queryset, template, context=None, filterset=None):
    """Render a filtered, paginated list; 400 with the form errors when a filter is invalid.
    `filterset`, when given, is the request's, built already; its `kept_count()` may give the
    list's length without counting it, its `page_keys()` how a page finds its rows, and its
    `count_limit()` how far the rows are counted: past it, the list pages that many and the
    template's `more_than` says so."""
    if filterset is None:
        filterset = filterset_class(request.GET, queryset=queryset, request=request)
    valid = filterset.is_valid()
    count, keys, more_than = None, DEEP_PAGES, None
    if valid:
        count, limit = filterset.kept_count(), filterset.count_limit()
        keys = filterset.page_keys() or DEEP_PAGES
        if count is None and limit is not None:
            count = filterset.qs.order_by().values("pk")[: limit + 1].count()
            if count > limit:
                count = more_than = limit
    page = _page(request, filterset.qs if valid else queryset.none(), count=count, keys=keys)
    return render(
        request,
        template,
        {"filter": filterset, "page": page, "more_than": more_than, **(context or {})},
        status=200 if valid else 400,
    )


def _breakdown(key: str, recommendations=None, *, counted=None):
    """The status breakdown of `recommendations` (or what `counted()` returns), cached until
    public data next changes."""
    statuses = cached_public(
        f"breakdown:{key}", counted or (lambda: selectors.status_breakdown(recommendations))
    )
    return {"segments": status_segments(statuses), "total": sum(statuses.values())}


class DashboardData:
    """What the dashboard shows, computed only when its cached rendering is missing."""

    statuses = RecommendationStatus.choices

    @cached_property
    def aggregates(self):
        summary = selectors.dashboard_summary()
        objectives = objective_rows(selectors.objective_progress_list())
        return {
            "summary": summary,
            "segments": status_segments(summary.statuses),
            "objectives": [row for row in objectives if row.total],
            "subregions": _countries_by_subregion(
                [c for c in selectors.country_list() if c.action_count]
            ),
        }

    @cached_property
    def assessments(self):
        """The country assessments' roll-ups per subregion and objective, and how many cells
        the two voices disagree on."""
        return {
            "subregions": [
                (row, _voice_rows(row.official, row.civil_society))
                for row in country_selectors.subregion_rollup()
            ],
            "objectives": country_selectors.objective_rollup(),
            "disagreements": country_selectors.disagreement_count(),
        }

    @cached_property
    def latest_changes(self):
        return list(selectors.latest_status_changes())

    @cached_property
    def latest_actions(self):
        return list(selectors.latest_published_actions())


@require_safe
@public_page
def dashboard(request):
    # Besides the page cache, the page body is cached whole (templates/dashboards/dashboard.html)
    # under the public data's generation, for signed-in users, whose header is their own.
    return render(
        request,
        "dashboards/dashboard.html",
        {"generation": public_generation(), "data": DashboardData(), "cache_seconds": TIMEOUT},
    )


def _voice_rows(official, civil_society):
    """[(official segment, civil-society segment), …] per status, for a table of both voices."""
    return list(
        zip(status_segments(official.counts), status_segments(civil_society.counts), strict=True)
    )


def _countries_by_subregion(countries):
    """[(subregion label, [(country, bar width), …]), …] in the order of the Subregion choices."""
    largest = max((c.action_count for c in countries), default=0)
    groups = {value: [] for value in [*Subregion.values, ""]}
    for country in countries:
        groups[country.subregion].append((country, bar_width(country.action_count, largest)))
    labels = dict(Subregion.choices) | {"": _("Outside the ESCAP subregions")}
    return [(labels[value], rows) for value, rows in groups.items() if rows]


@require_safe
@public_page
def recommendation_list(request):
    return _filtered_list(
        request,
        RecommendationFilter,
        selectors.recommendation_list(),
        "dashboards/recommendation_list.html",
        {"export_formats": EXPORTS, "download_max_rows": settings.DOWNLOAD_MAX_ROWS},
    )


EXPORTS = {
    "csv": _("CSV"),
    "xlsx": _("Excel (XLSX)"),
    "json": _("JSON"),
}


# A download of at most this many rows is read whole, so that the page cache keeps it; a larger
# one streams, with a worker's memory flat however many rows there are.
WHOLE_DOWNLOAD_ROWS = 5_000


def filtered_length(filterset) -> int:
    """How many recommendations the valid `filterset` keeps: read where the database keeps that
    number (the filter's kept_count(), or every recommendation's kept_total()), else counted. A
    download's refusal counted 200,000 rows first (15 to 21 ms at N = 200,000, four at a time in
    the benchmark's concurrency row)."""
    count = filterset.kept_count()
    if count is None:
        count = kept_total(filterset.qs)
    return filterset.qs.count() if count is None else count


@require_safe
@public_page
@limited_download
def recommendation_export(request, fmt):
    if fmt not in EXPORTS:
        raise Http404(_("Downloads come as CSV, XLSX or JSON."))
    filterset = RecommendationFilter(request.GET, queryset=selectors.recommendation_list())
    if not filterset.is_valid():
        return recommendation_list(request)  # the list page, showing what is wrong, as a 400
    rows, url = filterset.qs, request.build_absolute_uri
    count = filtered_length(filterset)
    if not rows.query.combinator:
        # Keys first: the filters' keys come from indexes alone (the status index carries the
        # key), then only the matching rows are read whole; filtered as one query, PostgreSQL
        # visited each wide row at the status first (gcm_bench, two filters: 270 ms -> 57 ms).
        rows = rows.filter(pk__in=rows.order_by().values("pk"))
    api_path = reverse("api:recommendation-list") + (
        f"?{request.GET.urlencode()}" if request.GET else ""
    )
    if refused := too_many_rows(request, fmt=fmt, count=count, api_path=api_path):
        return refused
    if fmt == "xlsx":
        return exports.xlsx_response(rows, url)
    if fmt == "csv":
        response = exports.csv_response(rows, url)
    else:
        response = exports.json_response(rows, url, request.GET.urlencode())
    if count > WHOLE_DOWNLOAD_ROWS:
        return response
    return HttpResponse(b"".join(response.streaming_content), headers=dict(response.items()))


def _current_files() -> dict | None:
    """The newest files' manifest (None before the first build, which `make run` and the beat
    make). When the public data changed since, a check is brought forward
    (tasks.request_open_data_check, at most once a minute): the beat makes one every few
    minutes, and without a beat (`make run`, where tasks run in the request) this builds the
    files now, so the manifest is read again."""
    manifest = open_data.latest_manifest()
    if manifest is not None and manifest["generation"] != public_generation():
        tasks.request_open_data_check()
        manifest = open_data.latest_manifest()
    return manifest


# Not cached whole (public_page): the list of files changes when a build lands, which does not
# move the public-data generation. The page reads one small file and, on a cold cache, the
# generation.
@require_safe
def data_dictionary(request):
    manifest = _current_files()
    return render(
        request,
        "dashboards/data_dictionary.html",
        {
            "tables": open_data.TABLES,
            "manifest": manifest,
            "built_at": manifest and datetime.datetime.fromisoformat(manifest["generated_at"]),
            "files": _file_links(manifest),
            "outdated": manifest is not None and manifest["generation"] != public_generation(),
            "check_minutes": settings.OPEN_DATA_CHECK_MINUTES,
            "matrix_columns": MATRIX_COLUMNS,
            "matrix_url": reverse("dashboards:matrix"),
            "licence_url": exports.LICENCE_URL,
            "download_max_rows": settings.DOWNLOAD_MAX_ROWS,
        },
    )


def _file_links(manifest) -> list[dict]:
    """The manifest's files, by table, with their addresses and build date."""
    if manifest is None:
        return []
    return [
        entry
        | {
            "url": reverse("dashboards:open-data-file", args=[manifest["version"], entry["name"]]),
            "format_label": EXPORTS[entry["format"]],
        }
        for entry in manifest["files"]
    ]


# The files of a version never change, so clients and proxies may keep them for good.
IMMUTABLE = "public, max-age=31536000, immutable"
# The manifest and the latest-file addresses move on with each build.
SHORT_LIVED = "public, max-age=60"


def _file_etag(request, version, name):
    found = open_data.version_file(version, name)
    return found[1]["sha256"] if found else None


@require_safe
@condition(etag_func=_file_etag)
def open_data_file(request, version, name):
    """One file of a kept version, streamed from disk (never rebuilt per request)."""
    found = open_data.version_file(version, name)
    if found is None:
        raise Http404(_("No such open-data file; the data page lists the current ones."))
    path, entry = found
    try:
        file = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except FileNotFoundError:  # pruned since the manifest was read
        raise Http404(_("No such open-data file; the data page lists the current ones.")) from None
    response = FileResponse(file, as_attachment=True, filename=entry["name"])
    response["Cache-Control"] = IMMUTABLE
    return response


@require_safe
def open_data_latest(request, name):
    """A stable address for scripts: redirects to the newest version of file `name`."""
    manifest = open_data.latest_manifest()
    if manifest is None or name not in {entry["name"] for entry in manifest["files"]}:
        raise Http404(_("No such open-data file; the data page lists the current ones."))
    response = redirect("dashboards:open-data-file", manifest["version"], name)
    response["Cache-Control"] = SHORT_LIVED
    return response


@require_safe
def open_data_manifest(request):
    """The newest version's manifest, with each file's address."""
    manifest = open_data.latest_manifest()
    if manifest is None:
        return JsonResponse(
            {
                "detail": _(
                    "The open-data files have not been built yet; try again in a few minutes."
                )
            },
            status=404,
        )
    files = [
        entry | {"url": request.build_absolute_uri(entry["url"])} for entry in _file_links(manifest)
    ]
    for entry in files:
        del entry["format_label"]
    response = JsonResponse(manifest | {"files": files}, json_dumps_params={"indent": 1})
    response["Cache-Control"] = SHORT_LIVED
    return response


@require_safe
@public_page
def recommendation_detail(request, reference):
    try:
        recommendation = selectors.recommendation_detail(reference)
    except Recommendation.DoesNotExist:
        raise Http404(_("No recommendation has the reference “%s”.") % reference) from None
    objectives = list(recommendation.objectives.all())
    countries = country_selectors.recommendation_countries(recommendation)
    return render(
        request,
        "dashboards/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "objectives": objectives,
            "timeline": recommendation.status_changes.all(),
            "countries": countries,
            "country_voices": _voice_rows(countries.official, countries.civil_society),
            "actions": selectors.action_list().filter(recommendations=recommendation)[
                :SECTION_SIZE
            ],
            "good_practices": selectors.good_practice_list()
            .filter(pk__in=GoodPractice.objects.filter(objectives__in=objectives).values("pk"))
            .order_by("consultation_id", "paragraph")[:SECTION_SIZE],
            "citation": citations.paragraph_citation(
                recommendation, request.build_absolute_uri(request.path)
            ),
            "report_url": citations.report_link(recommendation.consultation),
        },
    )


@require_safe
@public_page
def objective_list(request):
    rows = objective_rows(selectors.objective_progress_list())
    return render(request, "dashboards/objective_list.html", {"rows": rows})


@require_safe
@public_page
def objective_detail(request, number):
    objective = get_object_or_404(Objective, number=number)
    recommendations = selectors.recommendation_list().filter(objectives=objective)
    return render(
        request,
        "dashboards/objective_detail.html",
        {
            "objective": objective,
            "breakdown": _breakdown(
                f"objective:{objective.pk}", Recommendation.objects.filter(objectives=objective)
            ),
            "recommendations": recommendations.order_by("consultation_id", "paragraph")[
                :SECTION_SIZE
            ],
            "good_practices": selectors.good_practice_list()
            .filter(objectives=objective)
            .order_by("consultation_id", "paragraph")[:SECTION_SIZE],
            "consultations": objective.consultations.order_by("-date"),
        },
    )


@require_safe
@public_page
def stakeholder_list(request):
    return _filtered_list(
        request, StakeholderFilter, selectors.stakeholder_list(), "dashboards/stakeholder_list.html"
    )


@require_safe
@public_page
def stakeholder_detail(request, slug):
    stakeholder = get_object_or_404(Stakeholder.objects.select_related("country"), slug=slug)
    return render(
        request,
        "dashboards/stakeholder_detail.html",
        {
            "stakeholder": stakeholder,
            "breakdown": _breakdown(
                f"stakeholder:{stakeholder.pk}",
                counted=lambda: selectors.stakeholder_status_breakdown(stakeholder),
            ),
            # The newest entries of its kept list (StakeholderAction), as the list of actions
            # filtered by the organisation pages them.
            "actions": PublishedActionsBy(stakeholder)[:SECTION_SIZE],
            "consultations": stakeholder.organised_consultations.order_by("-date"),
            "good_practices": selectors.good_practice_list()
            .filter(stakeholders=stakeholder)
            .order_by("consultation_id", "paragraph")[:SECTION_SIZE],
        },
    )


@require_safe
@public_page
def consultation_list(request):
    return _filtered_list(
        request,
        ConsultationFilter,
        selectors.consultation_list(),
        "dashboards/consultation_list.html",
    )


@require_safe
@public_page
def consultation_detail(request, slug):
    consultation = get_object_or_404(Consultation, slug=slug)
    return render(
        request,
        "dashboards/consultation_detail.html",
        {
            "consultation": consultation,
            "breakdown": _breakdown(
                f"consultation:{consultation.pk}", consultation.recommendations.all()
            ),
            "objectives": consultation.objectives.order_by("number"),
            "organisers": consultation.organisers.select_related("country").order_by("name"),
            "recommendations": selectors.recommendation_list()
            .filter(consultation=consultation)
            .order_by("paragraph")[:SECTION_SIZE],
            "good_practices": selectors.good_practice_list()
            .filter(consultation=consultation)
            .order_by("paragraph")[:SECTION_SIZE],
            "report_url": citations.report_link(consultation),
        },
    )


@require_safe
@public_page
def action_list(request):
    """The published actions, filtered; for the choices tracker.action_pages.kept_pages names
    (none, a country with or without a type, progress or objective, ...) paged from what the
    database keeps, for any other by counting and skipping rows."""
    filterset = ActionFilter(request.GET, queryset=selectors.action_list(), request=request)
    kept = kept_pages(filterset) if filterset.is_valid() else None
    if kept is not None:
        page = _page(request, kept)
        return render(request, "dashboards/action_list.html", {"filter": filterset, "page": page})
    return _filtered_list(
        request,
        ActionFilter,
        selectors.action_list(),
        "dashboards/action_list.html",
        filterset=filterset,
    )


@require_safe
@public_page
def action_detail(request, pk):
    """One published follow-up action; any other (a draft, one under review) answers 404, as if
    it did not exist."""
    action = get_object_or_404(selectors.action_list(), pk=pk)
    return render(
        request,
        "dashboards/action_detail.html",
        {
            "action": action,
            "citation": citations.action_citation(action, request.build_absolute_uri(request.path)),
        },
    )


@require_safe
@public_page
def good_practice_detail(request, reference):
    practice = get_object_or_404(selectors.good_practice_list(), reference=reference)
    return render(
        request,
        "dashboards/good_practice_detail.html",
        {
            "practice": practice,
            "citation": citations.paragraph_citation(
                practice, request.build_absolute_uri(request.path)
            ),
            "report_url": citations.report_link(practice.consultation),
        },
    )


@require_safe
def consultation_report(request, slug):
    """The text of a consultation's summary report that the seed was read from, as plain text;
    404 when the site holds none."""
    consultation = get_object_or_404(Consultation, slug=slug)
    path = citations.report_file(consultation)
    if path is None:
        raise Http404(_("This site holds no copy of that consultation's report."))
    return FileResponse(path.open("rb"), content_type="text/plain; charset=utf-8")


@require_safe
@public_page
def good_practice_list(request):
    return _filtered_list(
        request,
        GoodPracticeFilter,
        selectors.good_practice_list().order_by("consultation_id", "paragraph"),
        "dashboards/good_practice_list.html",
    )
