"""Pages for review meetings: /changes/ (and its feed), snapshots and their comparison, /stale/."""

import datetime

import pytest
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from gcm_tracker.tracker import staleness
from gcm_tracker.tracker.changes import ChangeFilters, distribution_as_of
from gcm_tracker.tracker.enums import (
    AssessmentVoice,
    RecommendationScope,
    RecommendationStatus,
    Subregion,
)
from gcm_tracker.tracker.models import (
    Assessment,
    FollowUpAction,
    Objective,
    PublicGeneration,
    Snapshot,
)
from gcm_tracker.tracker.services import recommendation_set_scope
from gcm_tracker.tracker.snapshot_distributions import (
    current_distribution,
    keep_distribution,
    snapshot_distribution,
)
from tests.factories import (
    ConsultationFactory,
    CountryFactory,
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
    publish_civil_society,
    record_official,
    set_status,
)

S = RecommendationStatus
D = datetime.date

pytestmark = pytest.mark.django_db


def _populate(count, staff):
    """`count` recommendations under objective 13, each moved up on 1 March 2024 and down on
    1 June 2024, each assessed in Thailand on 1 February 2024 and moved up on 1 May 2024, each
    with a published action in Thailand; snapshots on 1 April and 1 July 2024."""
    objective = ObjectiveFactory(number=13)
    thailand = CountryFactory(iso3="THA", subregion=Subregion.SOUTH_EAST_ASIA)
    for _ in range(count):
        recommendation = RecommendationFactory(objectives=[objective])
        set_status(recommendation, staff, new_status=S.SUBSTANTIAL, effective_date=D(2024, 3, 1))
        recommendation.refresh_from_db()
        set_status(recommendation, staff, new_status=S.LIMITED, effective_date=D(2024, 6, 1))
        record_official(
            recommendation, thailand, staff, status=S.NOT_STARTED, effective_date=D(2024, 2, 1)
        )
        record_official(
            recommendation, thailand, staff, status=S.IMPLEMENTED, effective_date=D(2024, 5, 1)
        )
        PublishedActionFactory(recommendations=[recommendation], countries=[thailand])
    # Taken as the admin takes them: their distributions counted and kept.
    keep_distribution(
        Snapshot.objects.create(slug="spring", name="Spring review", date=D(2024, 4, 1))
    )
    keep_distribution(
        Snapshot.objects.create(slug="summer", name="Summer review", date=D(2024, 7, 1))
    )
    return thailand


def test_changes_between_two_status_changes_lists_exactly_the_later_one(client, staff):
    _populate(1, staff)
    response = client.get(
        reverse("dashboards:changes"), {"since": "2024-04-01", "until": "2024-12-31"}
    )
    assert response.status_code == 200
    sections = {s["name"]: s for s in response.context["sections"]}
    [regional] = sections["regional"]["rows"]
    assert regional.new_status == S.LIMITED
    assert regional.effective_date == D(2024, 6, 1)
    [cell] = sections["cells"]["rows"]
    assert cell.status == S.IMPLEMENTED
    counts = response.context["counts"]
    assert (counts.regional_up, counts.regional_down, counts.cells_up, counts.cells_down) == (
        0,
        1,
        1,
        0,
    )
    assert "1 recommendation moved up" not in response.content.decode()
    assert "0 recommendations moved up, 1 down" in response.content.decode()


def test_snapshot_list_and_compare(client, staff):
    _populate(1, staff)
    response = client.get(reverse("dashboards:snapshot-list"))
    assert response.status_code == 200
    response = client.get(reverse("dashboards:snapshot-compare", args=["spring", "summer"]))
    assert response.status_code == 200
    [objective] = response.context["objectives"]
    rows = {row["status"]: (row["before"], row["after"], row["moved"]) for row in objective["rows"]}
    assert rows[S.SUBSTANTIAL] == (1, 0, -1)
    assert rows[S.LIMITED] == (0, 1, 1)
    [country] = response.context["countries"]
    rows = {row["status"]: (row["before"], row["after"], row["moved"]) for row in country["rows"]}
    assert rows[S.NOT_STARTED] == (1, 0, -1)
    assert rows[S.IMPLEMENTED] == (0, 1, 1)
    now = client.get(reverse("dashboards:snapshot-compare", args=["spring", "now"]))
    assert now.status_code == 200


def test_stale(client, staff):
    _populate(1, staff)
    response = client.get(reverse("dashboards:stale"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "2024-13-01"}, "Enter a valid date."),
        ({"since": "yesterday"}, "Enter a valid date."),
        ({"since": "2024-05-01", "until": "2024-04-30"}, "“Until” must not be before “since”."),
        ({"objective": "99"}, "Select a valid choice."),
        ({"voice": "both"}, "Select a valid choice."),
        ({"since": "0001-01-01"}, "Give a date from 1 January 1900."),
        ({"until": "2000-08-01"}, "“Until” must not be before “since” (by default 90 days ago)."),
        ({"since": "2024-01-01", "until": "9999-12-31"}, "Give a date before the year 3000."),
    ],
)
def test_changes_refuses_bad_input_with_400_and_a_message(client, params, message):
    response = client.get(reverse("dashboards:changes"), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    feed = client.get(reverse("dashboards:feed-changes"), params)
    assert feed.status_code == 400
    assert message in feed.content.decode()
    api = client.get(reverse("api:changes"), params)
    assert api.status_code == 400


def test_changes_refuses_an_unknown_kind(client):
    response = client.get(reverse("dashboards:changes"), {"show": "everything"})
    assert response.status_code == 400
    assert "“show” must be one of: regional, cells, assessments, actions, recommendations." in (
        response.content.decode()
    )


def test_changes_without_since_shows_the_last_90_days(client, db):
    response = client.get(reverse("dashboards:changes"))
    assert response.status_code == 200
    changes = response.context["changes"]
    assert changes.until == timezone.localdate()
    assert changes.since == timezone.localdate() - datetime.timedelta(days=90)


def test_changes_since_a_future_day_without_until_is_an_empty_range(client, db):
    response = client.get(reverse("dashboards:changes"), {"since": "2999-01-01"})
    assert response.status_code == 200
    assert (response.context["changes"].since, response.context["changes"].until) == (
        D(2999, 1, 1),
        D(2999, 1, 1),
    )
    assert response.context["counts"].total == 0
    assert client.get(reverse("api:changes"), {"since": "2999-01-01"}).status_code == 200


def test_changes_one_kind_is_paginated(client, staff):
    _populate(3, staff)
    response = client.get(
        reverse("dashboards:changes"),
        {"since": "2024-01-01", "until": "2024-12-31", "show": "regional"},
    )
    assert response.status_code == 200
    [section] = response.context["sections"]
    assert section["name"] == "regional"
    assert section["count"] == 6
    assert len(section["rows"]) == 6
    assert response.context["page"].paginator.count == 6


def test_changes_feed_lists_the_selection(client, staff):
    _populate(1, staff)
    response = client.get(
        reverse("dashboards:feed-changes"), {"since": "2024-04-01", "until": "2024-12-31"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<entry>") == 2  # the regional move down and the cell's move up
    assert "Limited progress" in body
    assert "Implemented" in body


def test_changes_api(client, staff):
    _populate(1, staff)
    response = client.get(reverse("api:changes"), {"since": "2024-04-01", "until": "2024-12-31"})
    assert response.status_code == 200
    body = response.json()
    assert body["counts"] == {
        "regional_up": 0,
        "regional_down": 1,
        "cells_up": 1,
        "cells_down": 0,
        "new_assessments": 0,
        "actions": 0,
        "recommendations": 0,
    }
    [regional] = body["regional"]
    assert (regional["old_status"], regional["new_status"], regional["moved"]) == (
        S.SUBSTANTIAL,
        S.LIMITED,
        "down",
    )
    [cell] = body["cells"]
    assert (cell["country"], cell["voice"], cell["status"]) == ("THA", "official", S.IMPLEMENTED)
    only = client.get(reverse("api:changes"), {"since": "2024-01-01", "kind": "cells", "page": "2"})
    assert only.status_code == 200
    assert only.json()["cells"] == []
    assert only.json()["regional"] == []


def test_snapshot_api(client, staff):
    thailand = _populate(1, staff)
    listed = client.get(reverse("api:snapshot-list")).json()
    assert [s["slug"] for s in listed["results"]] == ["summer", "spring"]
    detail = client.get(reverse("api:snapshot-detail", args=["spring"])).json()
    assert detail["distribution"]["by_objective"] == {"13": {S.SUBSTANTIAL: 1}}
    assert detail["distribution"]["by_country"] == {
        thailand.iso3: {AssessmentVoice.OFFICIAL: {S.NOT_STARTED: 1}}
    }
    assert detail["distribution"]["by_subregion"] == {
        Subregion.SOUTH_EAST_ASIA: {AssessmentVoice.OFFICIAL: {S.NOT_STARTED: 1}}
    }
    missing = client.get(reverse("api:snapshot-detail", args=["winter"]))
    assert missing.status_code == 404


def test_snapshot_compare_of_an_unknown_snapshot_is_404(client, db):
    response = client.get(reverse("dashboards:snapshot-compare", args=["winter", "now"]))
    assert response.status_code == 404


def test_snapshot_compare_form_redirects_or_refuses(client, staff):
    _populate(1, staff)
    url = reverse("dashboards:snapshot-compare-form")
    response = client.get(url, {"before": "spring", "after": "now"})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:snapshot-compare", args=["spring", "now"])
    refused = client.get(url, {"before": "winter", "after": "now"})
    assert refused.status_code == 400
    assert "Choose two snapshots" in refused.content.decode()


def _age(assessment_filter, months):
    """Move cells' recorded time back (tests only: services record the present). A bulk update
    moves no public-data generation, so cached pages are dropped too."""
    Assessment.objects.filter(**assessment_filter).update(
        recorded_at=timezone.now() - datetime.timedelta(days=31 * months)
    )
    cache.clear()


def test_a_cell_older_than_the_threshold_is_stale_until_updated(client, staff, settings):
    settings.GCM_STALE_CELL_MONTHS = 6
    thailand = _populate(1, staff)
    url = reverse("dashboards:stale")
    assert list(client.get(url, {"show": "cells"}).context["sections"][0]["rows"]) == []
    _age({"country": thailand}, 7)
    [cell] = client.get(url, {"show": "cells"}).context["sections"][0]["rows"]
    assert cell.country == thailand
    scorecard = client.get(reverse("dashboards:country-detail", args=["THA"]))
    assert "No update since" in scorecard.content.decode()

    record_official(cell.recommendation, thailand, staff, status=S.SUBSTANTIAL)
    cache.clear()  # the generation moved on, but is read through the cache for a few seconds
    assert list(client.get(url, {"show": "cells"}).context["sections"][0]["rows"]) == []
    scorecard = client.get(reverse("dashboards:country-detail", args=["THA"]))
    assert "No update since" not in scorecard.content.decode()


def test_a_recommendation_not_updated_for_a_year_is_stale(client, staff, settings):
    settings.GCM_STALE_RECOMMENDATION_MONTHS = 12
    recommendation = RecommendationFactory(created_at=timezone.now() - datetime.timedelta(days=400))
    url = reverse("dashboards:stale")
    [row] = client.get(url).context["sections"][0]["rows"]
    assert row == recommendation
    page = client.get(reverse("dashboards:recommendation-detail", args=[recommendation.reference]))
    assert "No update since" in page.content.decode()
    set_status(recommendation, staff)
    cache.clear()  # the generation moved on, but is read through the cache for a few seconds
    assert list(client.get(url).context["sections"][0]["rows"]) == []


def test_stale_filters_by_voice_and_country(client, staff):
    thailand = _populate(1, staff)
    _age({}, 24)
    url = reverse("dashboards:stale")
    rows = client.get(url, {"show": "cells", "country": "THA"}).context["sections"][0]["rows"]
    assert [cell.country for cell in rows] == [thailand]
    civil = client.get(url, {"show": "cells", "voice": "civil_society"})
    assert list(civil.context["sections"][0]["rows"]) == []
    assert client.get(url, {"country": "XXX"}).status_code == 400


# (url name, args, params, queries). Every page first reads the public-data generation (the
# cache key) and the menu of the objective filter (cached; cold in tests; countries are chosen
# through a search, which reads nothing until one is chosen); then
# /changes/ reads the four counts and one query per kind listed (or the one kind shown); /stale/
# one query per list (unfiltered, the recommendations: their keys, then their rows); a
# comparison its snapshot(s), for each snapshot the generation its kept distribution is checked
# against (now: whether a consultation is dated after today, and the two roll-ups), objectives
# and countries; the feed the first rows of each of the five kinds.
PAGES = [
    ("changes", [], {"since": "2024-01-01", "until": "2024-12-31"}, 9),
    ("changes", [], {"since": "2024-01-01", "show": "cells"}, 7),
    ("stale", [], {}, 5),
    ("stale", [], {"show": "cells"}, 4),
    ("snapshot-list", [], {}, 3),
    ("snapshot-compare", ["spring", "summer"], {}, 8),
    ("snapshot-compare", ["spring", "now"], {}, 9),
    ("feed-changes", [], {"since": "2024-01-01"}, 7),
]


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize(
    ("name", "args", "params", "queries"), PAGES, ids=[f"{p[0]}-{p[3]}" for p in PAGES]
)
def test_review_page_query_count_is_constant(
    client, staff, django_assert_num_queries, count, name, args, params, queries
):
    thailand = _populate(count, staff)
    _age({"country": thailand}, 24)
    with django_assert_num_queries(queries):
        response = client.get(reverse(f"dashboards:{name}", args=args), params)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_review_api_query_count_is_constant(client, staff, django_assert_num_queries, count):
    _populate(count, staff)
    # The menus and generation as the pages (the throttle's user lookup aside), the four counts
    # and one query per kind.
    with django_assert_num_queries(11):
        assert client.get(reverse("api:changes"), {"since": "2024-01-01"}).status_code == 200
    # The snapshot, the generation its kept distribution is checked against, the countries.
    with django_assert_num_queries(3):
        assert client.get(reverse("api:snapshot-detail", args=["spring"])).status_code == 200


def test_a_snapshot_keeps_its_distribution_with_exact_counts(staff, django_assert_num_queries):
    thailand = _populate(2, staff)
    spring = Snapshot.objects.get(slug="spring")
    kept = spring.distribution
    assert kept["day"] == "2024-04-01"
    assert kept["by_objective"] == {"13": {S.SUBSTANTIAL: 2}}
    assert kept["by_country"] == {str(thailand.pk): {AssessmentVoice.OFFICIAL: {S.NOT_STARTED: 2}}}
    assert kept["by_subregion"] == {
        Subregion.SOUTH_EAST_ASIA: {AssessmentVoice.OFFICIAL: {S.NOT_STARTED: 2}}
    }
    # Read back in one query (the generation), the same as counting from the histories.
    with django_assert_num_queries(1):
        read = snapshot_distribution(spring)
    assert read == distribution_as_of(spring.date)


def test_a_kept_distribution_is_counted_again_after_public_data_changed(staff):
    _populate(1, staff)
    spring = Snapshot.objects.get(slug="spring")
    # A correction recorded now, back-dated before the snapshot: the histories say 3 then.
    recommendation = RecommendationFactory(objectives=[ObjectiveFactory.create(number=14)])
    set_status(recommendation, staff, new_status=S.IMPLEMENTED, effective_date=D(2024, 3, 15))
    PublicGeneration.objects.update(number=F("number") + 1)  # as the commit's bump does
    read = snapshot_distribution(spring)
    assert read == distribution_as_of(spring.date)
    assert read.by_objective[14] == {S.IMPLEMENTED: 1}
    spring.refresh_from_db()
    assert spring.distribution["by_objective"]["14"] == {S.IMPLEMENTED: 1}


def test_a_comparison_figure_is_lean(client, staff):
    """About a hundred figures (objectives, subregions, countries) must fit a 300 KB page: each
    has its bars and table, without whitespace between tags or per-segment tooltips."""
    _populate(1, staff)
    response = client.get(reverse("dashboards:snapshot-compare", args=["spring", "summer"]))
    html = response.content.decode()
    start = html.index('<figure class="chart movement">')
    figure = html[start : html.index("</figure>", start) + len("</figure>")]
    assert "<title>" not in figure
    assert ">\n" not in figure
    assert len(figure.encode()) < 2_600


def test_the_changes_api_answers_anonymous_clients_from_the_cache(client, staff):
    _populate(1, staff)
    url = reverse("api:changes")
    first = client.get(url, {"since": "2024-01-01"})
    assert first.json()["counts"]["actions"] == 1
    # A bulk update moves no public-data generation: the cached answer is still served.
    FollowUpAction.objects.update(title="Renamed behind the application's back")
    assert client.get(url, {"since": "2024-01-01"}).json() == first.json()
    cache.clear()
    fresh = client.get(url, {"since": "2024-01-01"}).json()
    assert [action["title"] for action in fresh["actions"]] == [
        "Renamed behind the application's back"
    ]


def test_now_is_read_from_the_roll_ups_and_equals_the_histories_on_today(
    staff, contributor_a, django_assert_num_queries
):
    thailand = _populate(2, staff)
    fiji = CountryFactory(iso3="FJI", subregion=Subregion.PACIFIC)
    # A second objective, a recommendation never changed, a back-dated correction recorded
    # last, both voices, and a cell its recommendation's scope no longer covers.
    fourteen = ObjectiveFactory(number=14)
    untouched = RecommendationFactory(objectives=[fourteen])
    corrected = RecommendationFactory(objectives=[fourteen, Objective.objects.get(number=13)])
    set_status(corrected, staff, new_status=S.IMPLEMENTED, effective_date=D(2024, 6, 1))
    corrected.refresh_from_db()
    set_status(corrected, staff, new_status=S.LIMITED, effective_date=D(2024, 1, 1))
    record_official(corrected, fiji, staff, status=S.SUBSTANTIAL, effective_date=D(2024, 2, 1))
    publish_civil_society(corrected, thailand, contributor_a, staff, status=S.NOT_STARTED)
    record_official(untouched, fiji, staff, status=S.LIMITED, effective_date=D(2024, 3, 1))
    recommendation_set_scope(
        recommendation=untouched,
        scope=RecommendationScope.SELECTED,
        countries=[thailand],
        changed_by=staff,
    )

    with django_assert_num_queries(3):
        now = current_distribution()

    assert now == distribution_as_of(timezone.localdate())
    assert now.by_objective[14] == {S.NO_INFORMATION: 1, S.LIMITED: 1}
    assert now.by_country[fiji.pk] == {AssessmentVoice.OFFICIAL: {S.SUBSTANTIAL: 1}}
    assert now.by_subregion[Subregion.SOUTH_EAST_ASIA][AssessmentVoice.CIVIL_SOCIETY] == {
        S.NOT_STARTED: 1
    }


def test_now_counts_from_the_histories_while_a_consultation_is_dated_after_today(staff):
    _populate(1, staff)
    later = ConsultationFactory(date=timezone.localdate() + datetime.timedelta(days=30))
    RecommendationFactory(consultation=later, objectives=[ObjectiveFactory(number=14)])

    now = current_distribution()

    assert now == distribution_as_of(timezone.localdate())
    assert 14 not in now.by_objective


@pytest.mark.parametrize("count", [1, 3, 6, 20])
def test_the_stalest_recommendations_are_those_the_sorted_list_starts_with(staff, count):
    # Changed ones effective on various dates, unchanged ones of consultations held on various
    # dates (two on one day, so the key decides), and some recent enough not to be stale.
    held = [D(2019, 5, 1), D(2020, 11, 19), D(2020, 11, 19), D(2022, 3, 1), D(2026, 11, 1)]
    consultations = [ConsultationFactory(date=day) for day in held]
    for consultation in [*consultations, *reversed(consultations)]:
        RecommendationFactory(consultation=consultation)
    for day in [D(2021, 6, 1), D(2019, 5, 1), D(2023, 1, 1), timezone.localdate()]:
        changed = RecommendationFactory(consultation=consultations[0])
        set_status(changed, staff, effective_date=day)
    now = timezone.now()

    stalest = staleness.first_stale_recommendations(None, count, now)

    expected = list(staleness.stale_recommendations(None, now)[:count])
    assert stalest == expected
    assert len(expected) == min(count, 11)
    assert [r.last_update for r in stalest] == [r.last_update for r in expected]
    # Filtered, the same function reads the filtered list's first rows: the first consultation
    # holds changed and unchanged ones, the second unchanged ones alone.
    for consultation in consultations[:2]:
        filters = ChangeFilters(consultation=consultation)
        filtered = staleness.first_stale_recommendations(filters, count, now)
        expected = list(staleness.stale_recommendations(filters, now)[:count])
        assert filtered == expected
        assert [r.last_update for r in filtered] == [r.last_update for r in expected]
