"""Every public page runs a fixed number of queries, however many rows it shows (1 vs 3)."""

import pytest
from django.urls import reverse

from gcm_tracker.tracker.enums import RecommendationStatus
from gcm_tracker.tracker.models import ActionEvidence, Country, Recommendation
from tests.factories import (
    AssessmentFactory,
    CivilSocietyAssessmentFactory,
    ConsultationFactory,
    CountryFactory,
    GoodPracticeFactory,
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StakeholderFactory,
    record_official,
    set_status,
)

from .pages import headline_figures, matrix_cell_names, scorecard_row, status_counts

pytestmark = pytest.mark.django_db


def _populate(count, staff):
    """`count` of everything each page lists, all under objective 13, in THA, by "org"; and
    `count` countries (THA first), each with both voices' assessments of every recommendation
    (by `count` organisations for civil society)."""
    objective = ObjectiveFactory(number=13)
    consultation = ConsultationFactory(slug="c")
    country = CountryFactory(iso3="THA")
    countries = [country] + [CountryFactory() for _ in range(count - 1)]
    org = StakeholderFactory(slug="org", country=country)
    assessors = [org] + [StakeholderFactory() for _ in range(count - 1)]
    for _ in range(count):
        recommendation = RecommendationFactory(consultation=consultation, objectives=[objective])
        recommendation.tags.create(slug=f"t{recommendation.pk}", kind="theme", name="Theme")
        set_status(recommendation, staff)
        action = PublishedActionFactory(
            lead_stakeholder=org,
            recommendations=[recommendation],
            countries=[country],
            partners=[StakeholderFactory()],
        )
        ActionEvidence.objects.create(action=action, url="https://example.org/evidence")
        practice = GoodPracticeFactory(
            consultation=consultation, objectives=[objective], countries=[country]
        )
        practice.stakeholders.add(org)
        consultation.organisers.add(StakeholderFactory())
        for place in countries:
            AssessmentFactory(recommendation=recommendation, country=place)
            for assessor in assessors:
                CivilSocietyAssessmentFactory(
                    recommendation=recommendation,
                    country=place,
                    stakeholder=assessor,
                    status=RecommendationStatus.NOT_STARTED,
                )
    return recommendation


# (url name, args, queries). For example: the dashboard runs the status GROUP BY, four headline
# counts, the objective breakdown and its objectives, the countries with action counts (all four
# cached together), then the latest changes and actions; a list page runs its count, one query per
# filter menu (objectives, principles: countries, themes and organisations are chosen through a
# search and read nothing until one is chosen), its rows and one per prefetched relation; a detail
# page its object, then each section's rows and prefetches. The country dimension adds: to the
# dashboard the assessments per subregion, per objective (roll-ups and objectives) and the
# disagreement count; to a recommendation its scope areas, countries, assessments and roll-ups;
# the country list is the countries, the count of every recommendation and of those of another
# scope than ESCAP, the selected-scope counts, the assessments per country and the other
# countries; a scorecard its country, the applicable counts (those of another scope naming it, in
# all and per objective; every recommendation, those of another scope, in all and per objective,
# and the objective summary), assessments per voice, the page of recommendations, their scope
# areas, their assessments, the objective roll-ups and the objectives, then actions and good
# practices as before; the matrix its menu (objectives), count, rows, scope areas, columns and
# cells; its download the menus, the row ids, per chunk rows, scope areas, objectives, columns and
# cells, and the count; disagreements their count, rows and civil-society cells; the feed its
# country and changes. The stakeholder and consultation lists run their count and rows, and the
# consultation list its filter menu (objectives); a stakeholder page finds its newest led and
# partnered actions' keys first (two queries) and its breakdown in one.
# Every page but the feeds is cached whole and first reads the public-data generation, for the
# cache key (one query on a cold cache; then read through the cache for a few seconds,
# tracker.cache).
PAGES = [
    ("dashboard", [], 15),
    ("recommendation-list", [], 8),
    ("recommendation-detail", ["last"], 19),
    ("objective-list", [], 3),
    ("objective-detail", [13], 12),
    ("country-list", [], 6),
    ("country-detail", ["THA"], 21),
    ("stakeholder-list", [], 3),
    ("stakeholder-detail", ["org"], 13),
    ("consultation-list", [], 4),
    ("consultation-detail", ["c"], 13),
    ("action-list", [], 8),
    ("good-practice-list", [], 7),
    # No open-data files built: the page reads no generation (tests/dashboards/test_open_data.py
    # pins it with files).
    ("data-dictionary", [], 0),
    ("matrix", [], 7),
    # The recommendations and the columns' countries counted, to bound the download.
    ("matrix-export", ["csv"], 10),
    ("disagreement-list", [], 4),
    ("feed-country-assessments", ["THA"], 2),
    ("feed-status-changes", [], 1),
    ("feed-actions", [], 5),
    ("feed-objective-status-changes", [13], 2),
    ("feed-country-actions", ["THA"], 6),
]


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize(("name", "args", "queries"), PAGES, ids=[p[0] for p in PAGES])
def test_public_page_query_count_is_constant(
    client, staff, django_assert_num_queries, count, name, args, queries
):
    last = _populate(count, staff)
    url = reverse(f"dashboards:{name}", args=[last.reference if a == "last" else a for a in args])

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


def test_dashboard_serves_its_aggregates_from_the_cache_when_warm(
    client, staff, django_assert_num_queries
):
    _populate(2, staff)
    client.get(reverse("dashboards:dashboard"))

    # The whole body is cached: only the cache generation is looked up (in the cache, not the
    # database).
    with django_assert_num_queries(0):
        response = client.get(reverse("dashboards:dashboard"))

    assert headline_figures(response)[0] == "2"


def test_dashboard_cache_moves_on_when_a_status_changes(
    client, staff, django_capture_on_commit_callbacks
):
    last = _populate(1, staff)
    client.get(reverse("dashboards:dashboard"))

    with django_capture_on_commit_callbacks(execute=True):
        set_status(last, staff, new_status="implemented")
    response = client.get(reverse("dashboards:dashboard"))

    assert status_counts(response)["implemented"] == 1


@pytest.mark.parametrize("count", [1, 3])
def test_matrix_is_cached_for_signed_in_users(
    client, staff, django_assert_num_queries, django_capture_on_commit_callbacks, count
):
    last = _populate(count, staff)
    client.force_login(staff)
    url = reverse("dashboards:matrix")
    first = client.get(url)

    # The page comes from the page cache, whole (signed-in users' pages are cached under the
    # generation, address and their permissions): only the session and its user are read (the
    # permissions' key is in the cache); not the count, rows, columns, scope areas or cells.
    with django_assert_num_queries(2):
        second = client.get(url)

    names = matrix_cell_names(first)
    assert len(names) == count * count
    assert matrix_cell_names(second) == names
    # A new generation (an assessment recorded) renders it afresh.
    with django_capture_on_commit_callbacks(execute=True):
        record_official(last, Country.objects.get(iso3="THA"), staff, status="implemented")
    changed = [n for n in matrix_cell_names(client.get(url)) if n not in names]
    assert len(changed) == 1
    assert "Implemented, official" in changed[0]


@pytest.mark.parametrize("count", [1, 3])
def test_scorecard_is_cached_for_signed_in_users(
    client, staff, django_assert_num_queries, django_capture_on_commit_callbacks, count
):
    last = _populate(count, staff)
    client.force_login(staff)
    url = reverse("dashboards:country-detail", args=["THA"])
    first = client.get(url)

    # From the page cache, whole: the country, summary, objectives, recommendations with both
    # voices, actions, good practices and organisations. Read: the session and its user (the key
    # of their permissions, part of the page's, is in the cache).
    with django_assert_num_queries(2):
        second = client.get(url)

    references = [r.reference for r in Recommendation.objects.all()]
    rows = [scorecard_row(first, reference) for reference in references]
    assert len(rows) == count
    assert [scorecard_row(second, reference) for reference in references] == rows
    # Staff see the assess links in the cached page too (their permissions are in its key).
    assert second.content.decode().count("Record official assessment") == count
    with django_capture_on_commit_callbacks(execute=True):
        record_official(last, Country.objects.get(iso3="THA"), staff, status="implemented")
    third = client.get(url)
    assert scorecard_row(third, last.reference)["official"] == "implemented"
