"""What the benchmark measures: every page, with the persona who opens it.

A page is measured as an anonymous visitor (served by the whole-page cache once warm), or signed
in as a contributor of a busy organisation or as ESCAP staff (never served by the page cache:
wrk sends the persona's session cookie). "Cold" rows go through /bench/cold/<path>, which
empties every cache before each request, as right after public data changed.

`kind` says which of the issue's ratio targets a signed-in page is held to: "list" (p50 ≤ 6×
floor), "detail" (≤ 3×); "form" and "other" only to the targets every page has.
"""

import datetime
from dataclasses import dataclass

ANONYMOUS, CONTRIBUTOR, STAFF = "anonymous", "contributor", "staff"
SLUG = "border-governance-2020"
FILTERS = "objective=13&status=implemented&q=detention"
# seed_synthetic spreads the actions evenly over its 500 organisations: each leads N / 50 of
# them (4,000 at N = 200,000), so the first is as busy as any.
BUSY_ORGANISATION = "synthetic-org-1"
# One that seed_synthetic also names as a partner (of every fourth action: one of 75 of its 500
# organisations), of the very N / 50 published actions it leads: the list reads both links.
PARTNER_ORGANISATION = "synthetic-org-2"
# The workspace's and the review queue's filters: a state or an objective, and a search.
WORKSPACE_FILTERS = "state=published&objective=13&q=Synthetic"
REVIEW_FILTERS = "objective=13&q=Synthetic"

# The downloads that run four at a time in the concurrency row: the largest a visitor can ask
# for on request. Where on-request downloads are capped (say at 10,000 rows, with the whole
# tables as open-data files under /data/), the answers below are labelled as capped rather than
# failing the run; change this list when the largest on-request download changes.
CONCURRENT_DOWNLOADS = [
    "/recommendations/download/csv/",
    "/recommendations/download/xlsx/",
    "/recommendations/download/csv/",
    "/recommendations/download/xlsx/",
]
# What a capped download may answer instead of the file: 400 (more rows than an on-request
# download may carry) and 429 (too many downloads at once from one client).
CAPPED_STATUSES = {400: "capped: too many rows", 429: "capped: downloads per client"}


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    persona: str = ANONYMOUS
    kind: str = "other"
    # Pages being built on other branches: measured only where the address resolves.
    optional: bool = False

    @property
    def key(self) -> str:
        return f"{self.persona} {self.path}"


def _warm_and_cold(name: str, path: str, cold_name: str = "", **options) -> list[Page]:
    """An anonymous row served by the page cache, and the same page with every cache emptied."""
    return [
        Page(name, path, **options),
        Page(cold_name or f"{name} (cold cache)", f"/bench/cold{path}", **options),
    ]


def pages(size: int) -> list[Page]:
    deep_page = max(1, size // 25 // 2)
    # Half-way through the matrix (15 recommendations a page) and the API's assessment list
    # (50 a page; seed_synthetic gives about 9.5 assessments per recommendation).
    deep_matrix_page = max(1, size // 15 // 2)
    deep_assessment_page = max(1, size * 19 // 2 // 50 // 2)
    # seed_synthetic puts recommendation i in consultation 1 + i % C, as paragraph 1 + i // C.
    consultations = max(1, size // 40)
    reference = f"synthetic-c{1 + consultations // 2}-1"
    # The busy organisation leads size / 50 actions, 25 to a workspace page: its middle page.
    workspace_deep = max(1, size // 50 // 25 // 2)
    # Half-way through the published actions (seed_synthetic: 10 actions a recommendation, 7
    # of them published), 25 a page.
    deep_action_page = max(1, size * 7 // 25 // 2)
    deep_api_action_page = max(1, size * 7 // 50 // 2)
    # The partner organisation's size / 50 published actions, 25 to a page of the list of
    # actions: its next-to-last page.
    organisation_deep = max(1, size // 50 // 25 - 1)
    recommendation = f"/recommendations/{reference}/"
    year_ago = (
        datetime.datetime.now(tz=datetime.UTC).date() - datetime.timedelta(days=365)
    ).isoformat()
    return [
        Page("floor", "/bench/floor/"),
        # Anonymous, warm (the page cache) and cold (every cache emptied before each request).
        *_warm_and_cold("dashboard (warm cache)", "/", "dashboard (cold cache)"),
        Page("list, page 1", "/recommendations/"),
        *_warm_and_cold("list, deep page", f"/recommendations/?page={deep_page}"),
        *_warm_and_cold("list, two filters and a search", f"/recommendations/?{FILTERS}"),
        # Sorted by progress: its own index (every sort has one), not a sort of every row.
        Page("list, most progress first (cold cache)", "/bench/cold/recommendations/?sort=-status"),
        # A status with a sort the never updated (most, "no information") lead or end: read from
        # an index leading with the status, or the sort's own with the status's rank.
        Page(
            "list, a status, most recently updated (cold cache)",
            "/bench/cold/recommendations/?status=no_information&sort=-updated",
        ),
        Page(
            "list, a status, least progress first (cold cache)",
            "/bench/cold/recommendations/?status=implemented&sort=status",
        ),
        # Two statuses by a date: each status's index, merged (paging.merged).
        Page(
            "list, two statuses, longest without an update (cold cache)",
            "/bench/cold/recommendations/?status=implemented&status=limited_progress&sort=updated",
        ),
        # A word in a third of the recommendations (seed_synthetic's texts): its matches counted.
        Page("list, a broad search (cold cache)", "/bench/cold/recommendations/?q=migrant"),
        # The recommendations acted on in a country (CountryRecommendation's rows).
        Page("list, a country (cold cache)", "/bench/cold/recommendations/?country=THA"),
        *_warm_and_cold("recommendation page", recommendation),
        Page("seed recommendation page", f"/recommendations/{SLUG}-87/"),
        *_warm_and_cold("country page", "/countries/THA/"),
        *_warm_and_cold(
            "stakeholder page",
            f"/stakeholders/{BUSY_ORGANISATION}/",
            "stakeholder page, first view after a change (cold cache)",
        ),
        *_warm_and_cold("stakeholder list", "/stakeholders/"),
        *_warm_and_cold("consultation list", "/consultations/"),
        *_warm_and_cold("action list", "/actions/"),
        Page(
            "action list, deep page (cold cache)", f"/bench/cold/actions/?page={deep_action_page}"
        ),
        Page("action list, a country (cold cache)", "/bench/cold/actions/?country=THA"),
        Page("action list, a type (cold cache)", "/bench/cold/actions/?action_type=training"),
        Page("action list, an objective (cold cache)", "/bench/cold/actions/?objective=13"),
        # Two filters at once: a kind with a country (read from the country's links), two kinds
        # (from one kind's index), a country with an organisation (the keys they share).
        Page(
            "action list, a country and an objective (cold cache)",
            "/bench/cold/actions/?country=THA&objective=13",
        ),
        Page(
            "action list, a type and a progress (cold cache)",
            "/bench/cold/actions/?action_type=training&progress=completed",
        ),
        Page(
            "action list, a country and an organisation (cold cache)",
            f"/bench/cold/actions/?country=THA&stakeholder={PARTNER_ORGANISATION}",
        ),
        Page(
            "action list, an organisation (cold cache)",
            f"/bench/cold/actions/?stakeholder={PARTNER_ORGANISATION}",
        ),
        Page(
            "action list, an organisation, deep page (cold cache)",
            f"/bench/cold/actions/?stakeholder={PARTNER_ORGANISATION}&page={organisation_deep}",
        ),
        Page("API list, two filters and a search", f"/api/v1/recommendations/?{FILTERS}"),
        *_warm_and_cold("API list, deep page", f"/api/v1/recommendations/?page={deep_page}"),
        # Its length from the country's kept rows, as the public list's.
        Page("API list, a country (cold cache)", "/bench/cold/api/v1/recommendations/?country=THA"),
        Page("API detail", f"/api/v1/recommendations/{reference}/"),
        *_warm_and_cold("API actions, deep page", f"/api/v1/actions/?page={deep_api_action_page}"),
        Page(
            "CSV download, two filters",
            "/recommendations/download/csv/?objective=13&status=implemented",
        ),
        # The country-implementation pages, once they exist.
        *_warm_and_cold("matrix", "/matrix/", optional=True),
        *_warm_and_cold("matrix, objective 13", "/matrix/?objective=13", optional=True),
        *_warm_and_cold("matrix, deep page", f"/matrix/?page={deep_matrix_page}", optional=True),
        *_warm_and_cold("matrix, disagreements", "/matrix/disagreements/", optional=True),
        *_warm_and_cold("country map", "/countries/", optional=True),
        Page("API assessments", "/api/v1/assessments/", optional=True),
        Page("API assessments (cold cache)", "/bench/cold/api/v1/assessments/", optional=True),
        Page(
            "API assessments, deep page (cold cache)",
            f"/bench/cold/api/v1/assessments/?page={deep_assessment_page}",
            optional=True,
        ),
        # Review meetings: what changed over a year, what has gone quiet, and a snapshot (named
        # by seed_synthetic) compared with now.
        *_warm_and_cold("what changed, a year", f"/changes/?since={year_ago}", optional=True),
        # Filtered: a country's (its links), an objective's (the actions' objective bits) and a
        # subregion's (its countries' links) actions counted, with the other changes.
        Page(
            "what changed, a country (cold cache)",
            "/bench/cold/changes/?country=THA",
            optional=True,
        ),
        Page(
            "what changed, an objective, a year (cold cache)",
            f"/bench/cold/changes/?objective=13&since={year_ago}",
            optional=True,
        ),
        Page(
            "what changed, a subregion (cold cache)",
            "/bench/cold/changes/?subregion=south_east_asia",
            optional=True,
        ),
        *_warm_and_cold("what has gone quiet", "/stale/", optional=True),
        *_warm_and_cold(
            "snapshot compared with now",
            "/snapshots/synthetic-review-1y/compare/now/",
            optional=True,
        ),
        Page("API: what changed, a year", f"/api/v1/changes/?since={year_ago}", optional=True),
        # A contributor of a busy organisation: no page cache.
        Page("workspace", "/workspace/", CONTRIBUTOR, "list"),
        Page("workspace, filtered", f"/workspace/?{WORKSPACE_FILTERS}", CONTRIBUTOR, "list"),
        Page(
            "workspace, deep page",
            f"/workspace/?actions_page={workspace_deep}",
            CONTRIBUTOR,
            "list",
        ),
        # The first view after any change of the tracker's data: the work pages are cached per
        # user under the work-data generation, which every write moves on.
        Page("workspace, first view after a change", "/bench/cold/workspace/", CONTRIBUTOR),
        Page(
            "workspace, filtered, first view after a change",
            f"/bench/cold/workspace/?{WORKSPACE_FILTERS}",
            CONTRIBUTOR,
        ),
        Page("new action form", "/workspace/actions/new/", CONTRIBUTOR, "form"),
        # What the action form's combobox asks while the contributor types (JSON, ≤ 20 rows).
        Page(
            "chooser search, recommendations",
            "/workspace/choices/recommendations/?q=migrant+work",
            CONTRIBUTOR,
        ),
        Page("dashboard, signed in", "/", CONTRIBUTOR),
        Page(
            "list, two filters and a search, signed in",
            f"/recommendations/?{FILTERS}",
            CONTRIBUTOR,
            "list",
        ),
        Page(
            "list, deep page, signed in", f"/recommendations/?page={deep_page}", CONTRIBUTOR, "list"
        ),
        Page("recommendation page, signed in", recommendation, CONTRIBUTOR, "detail"),
        Page("country page, signed in", "/countries/THA/", CONTRIBUTOR, "detail"),
        Page(
            "stakeholder page, signed in",
            f"/stakeholders/{BUSY_ORGANISATION}/",
            CONTRIBUTOR,
            "detail",
        ),
        Page("stakeholder list, signed in", "/stakeholders/", CONTRIBUTOR, "list"),
        Page("consultation list, signed in", "/consultations/", CONTRIBUTOR, "list"),
        Page("matrix, signed in", "/matrix/", CONTRIBUTOR, "list", optional=True),
        Page(
            "matrix, objective 13, signed in",
            "/matrix/?objective=13",
            CONTRIBUTOR,
            "list",
            optional=True,
        ),
        Page(
            "matrix, deep page, signed in",
            f"/matrix/?page={deep_matrix_page}",
            CONTRIBUTOR,
            "list",
            optional=True,
        ),
        # ESCAP staff: the review queue and the admin change lists they use daily.
        Page("review queue", "/workspace/review/", STAFF, "list"),
        Page("review queue, filtered", f"/workspace/review/?{REVIEW_FILTERS}", STAFF, "list"),
        Page("review queue, first view after a change", "/bench/cold/workspace/review/", STAFF),
        Page(
            "review queue, filtered, first view after a change",
            f"/bench/cold/workspace/review/?{REVIEW_FILTERS}",
            STAFF,
        ),
        Page("admin: recommendations", "/admin/tracker/recommendation/", STAFF, "list"),
        Page("admin: follow-up actions", "/admin/tracker/followupaction/", STAFF, "list"),
        Page("admin: stakeholders", "/admin/tracker/stakeholder/", STAFF, "list"),
        Page("admin: status changes", "/admin/tracker/statuschange/", STAFF, "list"),
        Page("admin: country assessments", "/admin/tracker/assessment/", STAFF, "list"),
    ]
