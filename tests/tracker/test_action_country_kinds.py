"""The type, progress and objective bits each country link copies from its action
(ActionCountry.action_type, action_progress, action_objective_mask), kept by the database's
triggers (migration 0053): copied to links added or moved to another action, and following the
action's own changes, its objective bits included, which the database recounts when the action's
recommendations or their objectives change (migration 0039). The list of a country's actions of a
kind is read from these copies (tracker.action_pages); repair_counts checks and repairs them; the
migration fills them."""

import contextlib
import importlib

import pytest
from django.db import connection

from gcm_tracker.tracker.enums import ActionProgress, ActionType
from gcm_tracker.tracker.models import (
    ActionCountry,
    ActionRecommendation,
    FollowUpAction,
    RecommendationObjective,
)
from gcm_tracker.tracker.objective_bits import bit
from gcm_tracker.tracker.services import (
    follow_up_action_create,
    summary_count_drift,
    summary_counts_repair,
)
from tests.factories import (
    CountryFactory,
    FollowUpActionFactory,
    ObjectiveFactory,
    RecommendationFactory,
    action_content,
)
from tests.tracker.test_action_country_dates import _triggers_off

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("gcm_tracker.tracker.migrations.0053_country_link_facets")


def _copies(action) -> list[tuple]:
    """(country, type, progress, objective bits) of each of `action`'s country links."""
    links = ActionCountry.objects.filter(action=action).order_by("country__iso3")
    return list(
        links.values_list(
            "country__iso3", "action_type", "action_progress", "action_objective_mask"
        )
    )


@pytest.fixture
def objectives():
    return ObjectiveFactory(number=4), ObjectiveFactory(number=13)


def test_a_new_action_through_the_services_gives_its_links_its_kind(
    contributor_a, organisation_a, objectives
):
    o4, o13 = objectives
    recommendation = RecommendationFactory(objectives=[o4, o13])
    action = follow_up_action_create(
        author=contributor_a,
        lead_stakeholder=organisation_a,
        content=action_content(
            countries=[CountryFactory(iso3="THA"), CountryFactory(iso3="NPL")],
            recommendations=[recommendation],
            action_type=ActionType.LEGAL_AID,
            progress=ActionProgress.PLANNED,
        ),
    )

    mask = bit(4) | bit(13)
    assert _copies(action) == [
        ("NPL", "legal_aid", "planned", mask),
        ("THA", "legal_aid", "planned", mask),
    ]


def test_the_copies_follow_every_change_of_the_action(objectives):
    o4, o13 = objectives
    thailand, nepal = CountryFactory(iso3="THA"), CountryFactory(iso3="NPL")
    about_4 = RecommendationFactory(objectives=[o4])
    action = FollowUpActionFactory(countries=[thailand], recommendations=[about_4])
    assert _copies(action) == [("THA", "training", "ongoing", bit(4))]

    # A link added later (a restore, a fixture) takes the action's kind.
    ActionCountry.objects.bulk_create([ActionCountry(action=action, country=nepal)])
    assert _copies(action)[0] == ("NPL", "training", "ongoing", bit(4))
    # Set-based changes of the type and progress, and a save of the whole row.
    FollowUpAction.objects.filter(pk=action.pk).update(action_type=ActionType.ADVOCACY)
    action.refresh_from_db()
    action.progress = ActionProgress.COMPLETED
    action.save()
    assert {row[1:] for row in _copies(action)} == {("advocacy", "completed", bit(4))}
    # Its objective bits, recounted by the database: a recommendation added, then its
    # recommendations' objectives changed.
    ActionRecommendation.objects.create(
        action=action, recommendation=RecommendationFactory(objectives=[o13])
    )
    assert {row[3] for row in _copies(action)} == {bit(4) | bit(13)}
    RecommendationObjective.objects.filter(objective=o13).update(objective=o4)
    assert {row[3] for row in _copies(action)} == {bit(4)}
    ActionRecommendation.objects.filter(action=action).delete()
    assert {row[3] for row in _copies(action)} == {0}


def test_a_link_moved_to_another_action_takes_that_ones_kind(objectives):
    thailand = CountryFactory(iso3="THA")
    first = FollowUpActionFactory(countries=[thailand], action_type=ActionType.MONITORING)
    second = FollowUpActionFactory(
        countries=[CountryFactory(iso3="FJI")],
        recommendations=[RecommendationFactory(objectives=[objectives[1]])],
        progress=ActionProgress.PLANNED,
    )

    ActionCountry.objects.filter(action=first).update(action=second)

    assert _copies(second) == [
        ("FJI", "training", "planned", bit(13)),
        ("THA", "training", "planned", bit(13)),
    ]
    # A link written through the model with stale copies is corrected on its way in.
    link = ActionCountry.objects.get(action=second, country=thailand)
    link.action_type, link.action_objective_mask = "", 0
    link.save()
    assert _copies(second)[1] == ("THA", "training", "planned", bit(13))


def _action_in_thailand(objectives) -> FollowUpAction:
    return FollowUpActionFactory(
        countries=[CountryFactory(iso3="THA")],
        recommendations=[RecommendationFactory(objectives=[objectives[0]])],
        action_type=ActionType.RESEARCH,
    )


@contextlib.contextmanager
def _copies_unguarded():
    """A cursor whose writes of the links' copies no trigger mends: PostgreSQL's are off
    (_triggers_off), and SQLite's that reads a changed link's copies again is dropped
    meanwhile."""
    sqlite = connection.vendor == "sqlite"
    with _triggers_off() as cursor:
        if sqlite:
            cursor.execute("DROP TRIGGER tracker_actioncountry_facets_changed")
        yield cursor
        if sqlite:
            cursor.execute(MIGRATION.SQLITE_FORWARD[2])


def test_repair_counts_finds_and_repairs_wrong_copies(objectives):
    action = _action_in_thailand(objectives)
    with _copies_unguarded() as cursor:
        # A hand-written fix that forgot the links.
        cursor.execute(
            "UPDATE tracker_actioncountry SET action_type = 'advocacy', "
            "action_objective_mask = 0 WHERE action_id = %s",
            [action.pk],
        )

    assert [str(d) for d in summary_count_drift()] == [
        f"ActionCountry {action.pk} THA action_type: is 'advocacy', should be 'research_data'",
        f"ActionCountry {action.pk} THA action_objective_mask: is 0, should be {bit(4)}",
    ]
    assert len(summary_counts_repair()) == 2
    assert summary_count_drift() == []
    assert _copies(action) == [("THA", "research_data", "ongoing", bit(4))]


def test_the_migration_fills_the_copies(objectives):
    action = _action_in_thailand(objectives)
    with _copies_unguarded() as cursor:
        cursor.execute(
            "UPDATE tracker_actioncountry SET action_type = '', action_progress = '', "
            "action_objective_mask = 0"
        )
        cursor.execute(MIGRATION.FILL)

    assert _copies(action) == [("THA", "research_data", "ongoing", bit(4))]
