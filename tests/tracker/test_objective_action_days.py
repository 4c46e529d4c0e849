"""The published actions about each objective per UTC day (PublishedActionObjectiveDayCount,
migration 0064): kept by triggers through publication and every change of an action's
objectives, read by "what changed" filtered by an objective alone (whole UTC days summed, the
parts of days at the range's ends counted) in any site time zone, equal to counting the
actions, checked and repaired by repair_counts and filled by the migration."""

import datetime
import importlib

import pytest
from django.db import connection

from gcm_tracker.tracker.changes import ChangeFilters, changes_between
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.models import (
    FollowUpAction,
    PublishedActionObjectiveDayCount,
    RecommendationObjective,
)
from gcm_tracker.tracker.services import (
    follow_up_action_publish,
    summary_count_drift,
    summary_counts_repair,
)
from tests.factories import (
    FollowUpActionFactory,
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC
migration = importlib.import_module(
    "gcm_tracker.tracker.migrations.0064_published_action_objective_days"
)


def _days() -> dict:
    rows = PublishedActionObjectiveDayCount.objects.exclude(count=0)
    return {
        (number, day): n for number, day, n in rows.values_list("objective", "utc_day", "count")
    }


@pytest.fixture
def grouped():
    """Objectives 4 and 13; a recommendation under 4, one under 13, one under both."""
    four, thirteen = ObjectiveFactory(number=4), ObjectiveFactory(number=13)
    return (
        four,
        thirteen,
        {
            "4": RecommendationFactory(objectives=[four]),
            "13": RecommendationFactory(objectives=[thirteen]),
            "both": RecommendationFactory(objectives=[four, thirteen]),
        },
    )


def test_the_counts_follow_publication_and_the_actions_objectives(grouped, staff):
    _, thirteen, about = grouped
    late = datetime.datetime(2024, 3, 1, 23, 30, tzinfo=UTC)
    PublishedActionFactory(published_at=late, recommendations=[about["both"]])
    second = PublishedActionFactory(
        published_at=late + datetime.timedelta(hours=1), recommendations=[about["4"]]
    )
    draft = FollowUpActionFactory(recommendations=[about["13"]], review_state=ReviewState.SUBMITTED)
    assert _days() == {(4, D(2024, 3, 1)): 1, (13, D(2024, 3, 1)): 1, (4, D(2024, 3, 2)): 1}

    follow_up_action_publish(action=draft, reviewer=staff)
    today = FollowUpAction.objects.get(pk=draft.pk).published_at.astimezone(UTC).date()
    assert _days()[(13, today)] == 1

    # A recommendation's objectives change: its published actions' counts move with them.
    RecommendationObjective.objects.filter(recommendation=about["4"]).update(objective=thirteen)
    assert _days() == {
        (4, D(2024, 3, 1)): 1,
        (13, D(2024, 3, 1)): 1,
        (13, D(2024, 3, 2)): 1,
        (13, today): 1,
    }
    assert summary_count_drift() == []
    # Out of band (the services forbid both once an action is published): a link added, the
    # action deleted. The counts by objective still follow.
    second.recommendations.add(about["both"])
    assert _days()[(4, D(2024, 3, 2))] == 1
    FollowUpAction.objects.filter(pk=second.pk).delete()
    assert not {(13, D(2024, 3, 2)), (4, D(2024, 3, 2))} & _days().keys()
    assert not [d for d in summary_count_drift() if "ObjectiveDayCount" in d.what]


# Moments around midnight in UTC and in the zones below, over four days.
MOMENTS = [
    datetime.datetime(2024, 3, day, hour, minute, tzinfo=UTC)
    for day in (1, 2, 3, 4)
    for hour, minute in ((0, 0), (4, 14), (4, 16), (16, 59), (17, 0), (18, 15), (23, 59))
]


@pytest.mark.parametrize(
    "zone", ["Asia/Bangkok", "Asia/Kathmandu", "Pacific/Auckland", "America/Lima", "UTC"]
)
def test_an_objectives_count_equals_counting_its_actions_in_any_time_zone(grouped, settings, zone):
    """Bangkok +7, Kathmandu +5:45 (no whole hour), Auckland +13 in March, Lima −5: the range's
    ends fall inside UTC days, at every offset."""
    settings.TIME_ZONE = zone
    four, thirteen, about = grouped
    for n, moment in enumerate(MOMENTS):
        PublishedActionFactory(
            published_at=moment, recommendations=[about[("4", "13", "both")[n % 3]]]
        )
    for since in (D(2024, 2, 29), D(2024, 3, 1), D(2024, 3, 2), D(2024, 3, 4)):
        for until in (since, since + datetime.timedelta(days=1), D(2024, 3, 5)):
            for objective in (four, thirteen):
                changes = changes_between(
                    since=since, until=until, filters=ChangeFilters(objective=objective)
                )
                assert changes.counts.actions == changes.actions.count(), (since, until)
    # Every action of objective 4 over the four days, and some in each part of a day.
    everything = changes_between(
        since=D(2024, 2, 29), until=D(2024, 3, 5), filters=ChangeFilters(objective=four)
    )
    assert everything.counts.actions == 19  # ten about 4, nine about both


def test_the_counts_are_read_from_the_kept_rows(grouped, django_assert_num_queries):
    four, _, about = grouped
    PublishedActionFactory(
        published_at=datetime.datetime(2024, 3, 2, 12, tzinfo=UTC), recommendations=[about["4"]]
    )
    PublishedActionObjectiveDayCount.objects.filter(objective=4).update(count=5)
    changes = changes_between(
        since=D(2024, 3, 1), until=D(2024, 3, 3), filters=ChangeFilters(objective=four)
    )
    # Regional changes summed, cells, the whole days summed, the ends counted, recommendations.
    with django_assert_num_queries(5):
        assert changes.counts.actions == 5


def test_repair_counts_finds_and_repairs_them(grouped):
    *_, about = grouped
    day = datetime.datetime(2024, 3, 2, 12, tzinfo=UTC)
    PublishedActionFactory(published_at=day, recommendations=[about["both"]])
    PublishedActionObjectiveDayCount.objects.filter(objective=4).update(count=3)
    PublishedActionObjectiveDayCount.objects.filter(objective=13).delete()
    PublishedActionObjectiveDayCount.objects.create(objective=9, utc_day=D(2024, 1, 1), count=2)

    assert sorted(str(d) for d in summary_count_drift()) == [
        "PublishedActionObjectiveDayCount 13 2024-03-02: is 0, should be 1",
        "PublishedActionObjectiveDayCount 4 2024-03-02: is 3, should be 1",
        "PublishedActionObjectiveDayCount 9 2024-01-01: is 2, should be 0",
    ]
    assert len(summary_counts_repair()) == 3
    assert summary_count_drift() == []
    assert _days() == {(4, D(2024, 3, 2)): 1, (13, D(2024, 3, 2)): 1}


def test_the_migration_fills_them_from_the_actions(grouped):
    _, _, about = grouped
    for n, moment in enumerate(MOMENTS[:6]):
        PublishedActionFactory(published_at=moment, recommendations=[about[("4", "both")[n % 2]]])
    FollowUpActionFactory(recommendations=[about["13"]])
    kept = _days()
    PublishedActionObjectiveDayCount.objects.all().delete()
    forward = migration.SQL[connection.vendor][0]
    with connection.cursor() as cursor:
        cursor.execute(forward[-1])

    assert _days() == kept == {(4, D(2024, 3, 1)): 6, (13, D(2024, 3, 1)): 3}
