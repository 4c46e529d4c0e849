"""The published actions of each kind and combination of kinds in each country
(CountryActionCount), kept by database triggers on the country links (migration 0056) from their
copies of their actions' kinds and publication dates: equal to a fresh count from the actions
after every kind of write; repair_counts repairs them; the migration fills them; the public list
filtered by a country and kinds takes its length from them."""

import importlib

import pytest
from django.db import connection, transaction

from gcm_tracker.tracker.action_count_models import CountryActionCount
from gcm_tracker.tracker.enums import ActionProgress, ActionType, ReviewState
from gcm_tracker.tracker.models import (
    ActionCountry,
    ActionRecommendation,
    FollowUpAction,
    RecommendationObjective,
)
from gcm_tracker.tracker.services import counts, summary_count_drift, summary_counts_repair
from gcm_tracker.tracker.services.actions import follow_up_action_publish, follow_up_action_submit
from tests.factories import (
    CountryFactory,
    FollowUpActionFactory,
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("gcm_tracker.tracker.migrations.0056_kind_combination_counts")


def _kept() -> dict[tuple, int]:
    rows = CountryActionCount.objects.exclude(count=0)
    return {
        (iso3, facet, value): n
        for iso3, facet, value, n in rows.values_list("country__iso3", "facet", "value", "count")
    }


def _fresh() -> dict[tuple, int]:
    iso3s = dict(CountryActionCount.country.field.related_model.objects.values_list("pk", "iso3"))
    return {
        (iso3s[country], facet, value): n
        for (country, facet, value), n in counts._country_actions_counted().items()
    }


@pytest.fixture
def world():
    o4, o13 = ObjectiveFactory(number=4), ObjectiveFactory(number=13)
    return {
        "thailand": CountryFactory(iso3="THA"),
        "nepal": CountryFactory(iso3="NPL"),
        "under_4": RecommendationFactory(objectives=[o4]),
        "under_both": RecommendationFactory(objectives=[o4, o13]),
        "o4": o4,
    }


def test_counts_follow_every_kind_of_write(world, staff, contributor_a, organisation_a):
    thailand, nepal = world["thailand"], world["nepal"]
    checkpoints = []

    # A draft counts nothing; published through the services, it counts in its countries.
    draft = FollowUpActionFactory(
        countries=[thailand, nepal],
        recommendations=[world["under_both"]],
        lead_stakeholder=organisation_a,
        created_by=contributor_a,
        action_type=ActionType.ADVOCACY,
    )
    checkpoints.append(_kept() == {} == _fresh())
    follow_up_action_submit(action=draft, author=contributor_a)
    follow_up_action_publish(action=draft, reviewer=staff)
    checkpoints.append(_kept() == _fresh() != {})
    # Inserted published (a restore, the factories).
    first = PublishedActionFactory(countries=[thailand], recommendations=[world["under_4"]])
    PublishedActionFactory(
        countries=[nepal], recommendations=[world["under_4"]], progress=ActionProgress.COMPLETED
    )
    checkpoints.append(_kept() == _fresh())
    # The action changed in place, one row and several in one statement.
    FollowUpAction.objects.filter(pk=first.pk).update(action_type=ActionType.RESEARCH)
    FollowUpAction.objects.filter(review_state=ReviewState.PUBLISHED).update(
        progress=ActionProgress.PLANNED
    )
    checkpoints.append(_kept() == _fresh())
    # Its recommendations changed, and a recommendation regrouped: the objective bits follow.
    ActionRecommendation.objects.create(action=first, recommendation=world["under_both"])
    checkpoints.append(_kept() == _fresh())
    RecommendationObjective.objects.filter(
        recommendation=world["under_both"], objective=world["o4"]
    ).delete()
    checkpoints.append(_kept() == _fresh())
    # A link added, moved to another country, deleted.
    ActionCountry.objects.create(action=first, country=nepal)
    checkpoints.append(_kept() == _fresh())
    ActionCountry.objects.filter(action=draft, country=nepal).update(
        country=CountryFactory(iso3="FJI")
    )
    checkpoints.append(_kept() == _fresh())
    ActionCountry.objects.filter(action=first, country=thailand).delete()
    checkpoints.append(_kept() == _fresh())
    # Out of the published state (by hand: the services never unpublish), then deleted.
    FollowUpAction.objects.filter(pk=draft.pk).update(review_state=ReviewState.SUBMITTED)
    checkpoints.append(_kept() == _fresh())
    first.delete()
    checkpoints.append(_kept() == _fresh())

    assert checkpoints == [True] * 11
    # Left published: the second factory action, in Nepal, with a recommendation under
    # objective 4 only.
    assert _kept() == {
        ("NPL", "type", "training"): 1,
        ("NPL", "progress", "planned"): 1,
        ("NPL", "t+p", "training|planned"): 1,
        ("NPL", "objective", "4"): 1,
        ("NPL", "t+o", "training|4"): 1,
        ("NPL", "p+o", "planned|4"): 1,
        ("NPL", "t+p+o", "training|planned|4"): 1,
    }


def test_counts_emptied_first_stay_empty_as_the_links_go(world):
    """Django's flush on SQLite empties the tables one by one, in no fixed order: emptied before
    the links, the counts get no rows back (a count taken away creates none)."""
    PublishedActionFactory(countries=[world["thailand"]], recommendations=[world["under_4"]])
    assert _kept() != {}

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {CountryActionCount._meta.db_table}")
        cursor.execute(f"DELETE FROM {ActionCountry._meta.db_table}")
        left = list(CountryActionCount.objects.values_list("facet", "value", "count"))
        transaction.set_rollback(True)

    assert left == []


def test_repair_counts_repairs_them(world):
    PublishedActionFactory(
        countries=[world["thailand"]],
        recommendations=[world["under_4"]],
        action_type=ActionType.LEGAL_AID,
    )
    CountryActionCount.objects.filter(facet="t+p").update(count=7)
    CountryActionCount.objects.filter(facet="objective").delete()

    assert [str(d) for d in summary_count_drift()] == [
        "CountryActionCount THA objective 4: is 0, should be 1",
        "CountryActionCount THA t+p legal_aid|ongoing: is 7, should be 1",
    ]
    assert len(summary_counts_repair()) == 2
    assert summary_count_drift() == []
    assert _kept() == _fresh()


def test_the_migration_fills_them(world):
    PublishedActionFactory(countries=[world["thailand"], world["nepal"]])
    PublishedActionFactory(countries=[world["thailand"]], recommendations=[world["under_both"]])
    FollowUpActionFactory(countries=[world["thailand"]])
    kept = _kept()

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {CountryActionCount._meta.db_table}")
        cursor.execute(MIGRATION._fill(MIGRATION._LINKS, MIGRATION._COUNTRY_COUNT, MIGRATION._LINK))

    assert _kept() == kept == _fresh()
    assert kept[("THA", "type", "training")] == 2
    assert kept[("THA", "t+p+o", "training|ongoing|13")] == 1
