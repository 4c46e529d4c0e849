"""The regional status changes per day by scope and by objective (migration 0059): kept by
triggers through every change of a recommendation's scope and objectives, read by "what changed"
filtered by a country, a subregion or an objective, equal to counting the history, checked and
repaired by repair_counts and filled by the migration."""

import datetime
import importlib

import pytest
from django.db import connection

from gcm_tracker.tracker.changes import ChangeFilters, changes_between
from gcm_tracker.tracker.enums import EscapMembership, RecommendationScope, Subregion
from gcm_tracker.tracker.enums import RecommendationStatus as S
from gcm_tracker.tracker.models import (
    Recommendation,
    RecommendationObjective,
    RecommendationScopeArea,
    RegionalChangeObjectiveDayCount,
    RegionalChangeScopeDayCount,
)
from gcm_tracker.tracker.services import summary_count_drift, summary_counts_repair
from tests.factories import CountryFactory, ObjectiveFactory, RecommendationFactory, set_status

pytestmark = pytest.mark.django_db

D = datetime.date
MARCH, APRIL = D(2024, 3, 1), D(2024, 4, 2)
ESCAP, SELECTED, REGIONAL = (
    RecommendationScope.ESCAP,
    RecommendationScope.SELECTED,
    RecommendationScope.REGIONAL,
)
migration = importlib.import_module(
    "gcm_tracker.tracker.migrations.0059_regional_change_scope_objective_days"
)


def _scope_days() -> dict:
    rows = RegionalChangeScopeDayCount.objects.exclude(count=0)
    return {(day, d, scope): n for day, d, scope, n in rows.values_list(*_KEY, "scope", "count")}


def _objective_days() -> dict:
    rows = RegionalChangeObjectiveDayCount.objects.exclude(count=0)
    fields = (*_KEY, "objective__number", "count")
    return {(day, d, number): n for day, d, number, n in rows.values_list(*fields)}


_KEY = ("day", "direction")


def _changed(recommendation, staff, status, day):
    set_status(recommendation, staff, new_status=status, effective_date=day)
    recommendation.refresh_from_db()


def test_the_counts_follow_changes_scopes_and_objectives(staff):
    four, thirteen, twenty_one = (ObjectiveFactory(number=n) for n in (4, 13, 21))
    first = RecommendationFactory(objectives=[four])
    second = RecommendationFactory(objectives=[four, thirteen], scope=SELECTED)
    _changed(first, staff, S.LIMITED, MARCH)
    _changed(second, staff, S.IMPLEMENTED, MARCH)
    _changed(second, staff, S.NOT_STARTED, APRIL)

    assert _scope_days() == {
        (MARCH, "up", ESCAP): 1,
        (MARCH, "up", SELECTED): 1,
        (APRIL, "down", SELECTED): 1,
    }
    assert _objective_days() == {
        (MARCH, "up", 4): 2,
        (MARCH, "up", 13): 1,
        (APRIL, "down", 4): 1,
        (APRIL, "down", 13): 1,
    }

    # A recommendation's changes move with its scope (one saved, then two in one statement).
    second.scope = ESCAP
    second.save(update_fields=["scope"])
    assert _scope_days() == {(MARCH, "up", ESCAP): 2, (APRIL, "down", ESCAP): 1}
    Recommendation.objects.filter(pk__in=[first.pk, second.pk]).update(scope=REGIONAL)
    assert _scope_days() == {(MARCH, "up", REGIONAL): 2, (APRIL, "down", REGIONAL): 1}

    # … and with its objectives: one removed, one added, one link moved to another objective.
    second.objectives.remove(four)
    first.objectives.add(thirteen)
    RecommendationObjective.objects.filter(recommendation=first, objective=four).update(
        objective=twenty_one
    )
    assert _objective_days() == {
        (MARCH, "up", 13): 2,
        (MARCH, "up", 21): 1,
        (APRIL, "down", 13): 1,
    }
    # Every summary follows, the objectives' status and scope counts too (migration 0060: the
    # admin's objectives inline saves a link moved to another objective as an UPDATE).
    assert summary_count_drift() == []


def _counted(changes) -> tuple[int, int]:
    """Up and down among the changes the list shows, counted one by one."""
    moves = [change.moved > 0 for change in changes.regional]
    return moves.count(True), moves.count(False)


def test_filtered_counts_equal_counting_the_history(staff):
    thailand = CountryFactory(iso3="THA", subregion=Subregion.SOUTH_EAST_ASIA)
    vietnam = CountryFactory(iso3="VNM", subregion=Subregion.SOUTH_EAST_ASIA)
    fiji = CountryFactory(iso3="FJI", subregion=Subregion.PACIFIC)
    outside = CountryFactory(iso3="FRA", subregion="", membership=EscapMembership.NON_MEMBER)
    four, thirteen = ObjectiveFactory(number=4), ObjectiveFactory(number=13)
    everywhere = RecommendationFactory(objectives=[four])
    naming_thailand = RecommendationFactory(objectives=[thirteen], scope=SELECTED)
    naming_the_pacific = RecommendationFactory(objectives=[four, thirteen], scope=SELECTED)
    naming_france = RecommendationFactory(objectives=[four], scope=SELECTED)
    regional = RecommendationFactory(objectives=[thirteen], scope=REGIONAL)
    RecommendationScopeArea.objects.create(recommendation=naming_thailand, country=thailand)
    RecommendationScopeArea.objects.create(
        recommendation=naming_the_pacific, subregion=Subregion.PACIFIC
    )
    RecommendationScopeArea.objects.create(recommendation=naming_france, country=outside)
    for recommendation in (everywhere, naming_thailand, naming_the_pacific, naming_france):
        _changed(recommendation, staff, S.SUBSTANTIAL, MARCH)
    for recommendation in (naming_thailand, naming_the_pacific, regional):
        _changed(recommendation, staff, S.NOT_STARTED, APRIL)
    _changed(everywhere, staff, S.IMPLEMENTED, D(2024, 5, 1))  # outside the range below

    expected = {
        ChangeFilters(country=thailand): (2, 1),
        ChangeFilters(country=thailand, voice="official"): (2, 1),
        # With a country, the subregion chooses nothing more (ChangeFilters.recommendation_q).
        ChangeFilters(country=thailand, subregion=Subregion.PACIFIC): (2, 1),
        ChangeFilters(country=vietnam): (1, 0),
        ChangeFilters(country=fiji): (2, 1),
        ChangeFilters(country=outside): (1, 0),
        ChangeFilters(subregion=Subregion.SOUTH_EAST_ASIA): (2, 1),
        ChangeFilters(subregion=Subregion.PACIFIC): (2, 1),
        ChangeFilters(objective=four): (3, 1),
        ChangeFilters(objective=thirteen, voice="civil_society"): (3, 2),
        # Two filters: counted one by one.
        ChangeFilters(objective=thirteen, country=fiji): (1, 1),
    }
    for filters, counts in expected.items():
        changes = changes_between(since=MARCH, until=APRIL, filters=filters)
        assert (changes.counts.regional_up, changes.counts.regional_down) == counts, filters
        assert _counted(changes) == counts, filters

    # Places and objectives are summed from the kept rows: a wrong row shows.
    RegionalChangeScopeDayCount.objects.filter(scope=ESCAP, day=MARCH).update(count=5)
    RegionalChangeObjectiveDayCount.objects.filter(objective=four, direction="down").update(count=4)
    for filters, counts in {
        ChangeFilters(country=vietnam): (5, 0),
        ChangeFilters(objective=four): (3, 4),
    }.items():
        changes = changes_between(since=MARCH, until=APRIL, filters=filters)
        assert (changes.counts.regional_up, changes.counts.regional_down) == counts, filters


def test_the_counts_of_a_place_or_an_objective_take_a_bounded_number_of_queries(
    staff, django_assert_num_queries
):
    thailand = CountryFactory(iso3="THA", subregion=Subregion.SOUTH_EAST_ASIA)
    recommendations = RecommendationFactory.create_batch(3, objectives=[ObjectiveFactory()])
    for recommendation in recommendations:
        _changed(recommendation, staff, S.LIMITED, MARCH)
    expected = {
        # Regional (the ESCAP-wide rows summed, the SELECTED naming it counted), cells,
        # actions, recommendations; for an objective, regional, cells, the actions' whole UTC
        # days summed and the parts of days at the ends counted, recommendations.
        ChangeFilters(country=thailand): 5,
        ChangeFilters(subregion=Subregion.SOUTH_EAST_ASIA): 5,
        ChangeFilters(objective=recommendations[0].objectives.get()): 5,
    }
    for filters, queries in expected.items():
        changes = changes_between(since=MARCH, until=APRIL, filters=filters)
        with django_assert_num_queries(queries):
            assert changes.counts.regional_up == 3


def test_repair_counts_finds_and_repairs_them(staff):
    recommendation = RecommendationFactory(objectives=[ObjectiveFactory(number=4)])
    _changed(recommendation, staff, S.LIMITED, MARCH)
    RegionalChangeScopeDayCount.objects.update(count=5)
    RegionalChangeObjectiveDayCount.objects.all().delete()

    assert sorted(str(d) for d in summary_count_drift()) == [
        "RegionalChangeObjectiveDayCount 2024-03-01 up objective 4: is 0, should be 1",
        "RegionalChangeScopeDayCount 2024-03-01 up escap: is 5, should be 1",
    ]
    assert len(summary_counts_repair()) == 2
    assert summary_count_drift() == []
    assert _scope_days() == {(MARCH, "up", ESCAP): 1}
    assert _objective_days() == {(MARCH, "up", 4): 1}


def test_the_migration_fills_them_from_the_history(staff):
    first = RecommendationFactory(objectives=[ObjectiveFactory(number=4)], scope=SELECTED)
    second = RecommendationFactory(objectives=[ObjectiveFactory(number=4)])
    _changed(first, staff, S.LIMITED, MARCH)
    _changed(second, staff, S.LIMITED, MARCH)
    _changed(second, staff, S.NOT_STARTED, APRIL)
    kept = (_scope_days(), _objective_days())
    RegionalChangeScopeDayCount.objects.all().delete()
    RegionalChangeObjectiveDayCount.objects.all().delete()

    with connection.cursor() as cursor:
        for statement in migration.FILL:
            cursor.execute(statement)

    assert (
        (_scope_days(), _objective_days())
        == kept
        == (
            {(MARCH, "up", SELECTED): 1, (MARCH, "up", ESCAP): 1, (APRIL, "down", ESCAP): 1},
            {(MARCH, "up", 4): 2, (APRIL, "down", 4): 1},
        )
    )
