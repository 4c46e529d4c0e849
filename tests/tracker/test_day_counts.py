"""The counts per day behind "what changed" without filters or by a subregion
(tracker.day_count_models): actions published per day in the site's time zone, in all and in
each subregion, kept by the publishing service; regional status
changes per effective day and direction, kept by triggers. Unfiltered counts read them and equal
what counting the history gives; repair_counts checks and repairs them, also after the site's
time zone changes; migrations 0037 and 0058 fill them from the rows there."""

import datetime
import importlib
import zoneinfo

import pytest
from django.apps import apps
from django.test import override_settings
from django.utils import timezone

from gcm_tracker.tracker.changes import ChangeFilters, changes_between
from gcm_tracker.tracker.enums import RecommendationStatus as S
from gcm_tracker.tracker.enums import Subregion
from gcm_tracker.tracker.models import (
    PublishedActionDayCount,
    PublishedActionSubregionDayCount,
    RegionalChangeDayCount,
    StatusChange,
)
from gcm_tracker.tracker.services import (
    follow_up_action_create,
    follow_up_action_publish,
    follow_up_action_submit,
    summary_count_drift,
    summary_counts_repair,
)
from tests.factories import (
    CountryFactory,
    PublishedActionFactory,
    RecommendationFactory,
    action_content,
    set_status,
)

pytestmark = pytest.mark.django_db

D = datetime.date
BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
migration = importlib.import_module("gcm_tracker.tracker.migrations.0037_day_counts")
subregion_days = importlib.import_module(
    "gcm_tracker.tracker.migrations.0058_published_action_subregion_days"
)


def _bangkok(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2024, month, day, hour, minute, tzinfo=BANGKOK)


def _published_on(*moments: datetime.datetime) -> list:
    return [PublishedActionFactory(published_at=moment) for moment in moments]


def _action_days() -> dict:
    return dict(PublishedActionDayCount.objects.exclude(count=0).values_list("day", "count"))


def _regional_days() -> dict:
    rows = RegionalChangeDayCount.objects.exclude(count=0)
    return {
        (day, direction): n for day, direction, n in rows.values_list("day", "direction", "count")
    }


@override_settings(TIME_ZONE="Asia/Bangkok")
def test_actions_count_on_their_day_in_the_site_time_zone():
    # 00:30 in Bangkok on 1 April is still 31 March in UTC: it belongs to April here.
    _published_on(
        _bangkok(3, 31, 23, 30),
        _bangkok(4, 1, 0, 30),
        _bangkok(4, 30, 23, 59),
        _bangkok(5, 1, 0, 0),
    )
    assert _action_days() == {
        D(2024, 3, 31): 1,
        D(2024, 4, 1): 1,
        D(2024, 4, 30): 1,
        D(2024, 5, 1): 1,
    }
    april = changes_between(since=D(2024, 4, 1), until=D(2024, 4, 30))
    assert april.counts.actions == 2
    # The same as counting the actions themselves (what a filtered range does).
    assert april.actions.count() == 2
    assert changes_between(since=D(2024, 3, 31), until=D(2024, 5, 1)).counts.actions == 4
    assert changes_between(since=D(2024, 5, 2), until=D(2024, 12, 31)).counts.actions == 0


def test_the_publishing_service_adds_the_action_to_its_day(contributor_a, organisation_a, staff):
    draft = follow_up_action_create(
        author=contributor_a, lead_stakeholder=organisation_a, content=action_content()
    )
    submitted = follow_up_action_submit(action=draft, author=contributor_a)
    published = follow_up_action_publish(action=submitted, reviewer=staff)

    assert _action_days() == {timezone.localdate(published.published_at): 1}
    today = timezone.localdate()
    assert changes_between(since=today, until=today).counts.actions == 1


def test_regional_changes_count_on_their_effective_day_up_or_down(staff):
    first, second = RecommendationFactory(), RecommendationFactory()
    set_status(first, staff, new_status=S.SUBSTANTIAL, effective_date=D(2024, 3, 1))
    first.refresh_from_db()
    set_status(first, staff, new_status=S.NOT_STARTED, effective_date=D(2024, 3, 1))
    set_status(second, staff, new_status=S.IMPLEMENTED, effective_date=D(2024, 6, 30))
    # A change written around the services (a restore, a fixture) is counted too: triggers.
    StatusChange.objects.create(
        recommendation=second,
        old_status=S.IMPLEMENTED,
        new_status=S.LIMITED,
        reason="Restored from a backup.",
        effective_date=D(2024, 7, 1),
        changed_by=staff,
    )

    assert _regional_days() == {
        (D(2024, 3, 1), "up"): 1,
        (D(2024, 3, 1), "down"): 1,
        (D(2024, 6, 30), "up"): 1,
        (D(2024, 7, 1), "down"): 1,
    }
    spring = changes_between(since=D(2024, 3, 1), until=D(2024, 6, 30))
    assert (spring.counts.regional_up, spring.counts.regional_down) == (2, 1)
    # The same as counting the history itself (what the list shows, and a filtered range counts).
    moves = [change.moved > 0 for change in spring.regional]
    assert (moves.count(True), moves.count(False)) == (2, 1)
    summer = changes_between(since=D(2024, 6, 30), until=D(2024, 7, 1)).counts
    assert (summer.regional_up, summer.regional_down) == (1, 1)


def test_a_voice_filter_still_reads_the_day_counts(staff, django_assert_num_queries):
    recommendation = RecommendationFactory()
    set_status(recommendation, staff, new_status=S.LIMITED, effective_date=D(2024, 3, 1))
    _published_on(datetime.datetime(2024, 3, 2, 12, tzinfo=datetime.UTC))
    changes = changes_between(
        since=D(2024, 1, 1), until=D(2024, 12, 31), filters=ChangeFilters(voice="official")
    )
    assert ChangeFilters(voice="official").keep_everything_counted
    assert not ChangeFilters(subregion="pacific").keep_everything_counted
    with django_assert_num_queries(4):
        counts = changes.counts
    assert (counts.regional_up, counts.actions) == (1, 1)


def test_repair_counts_finds_and_repairs_wrong_day_counts(staff):
    recommendation = RecommendationFactory()
    set_status(recommendation, staff, new_status=S.LIMITED, effective_date=D(2024, 3, 1))
    _published_on(datetime.datetime(2024, 3, 2, 12, tzinfo=datetime.UTC))
    PublishedActionDayCount.objects.update(count=5)
    RegionalChangeDayCount.objects.create(day=D(2020, 1, 1), direction="down", count=2)

    assert sorted(str(d) for d in summary_count_drift()) == [
        "PublishedActionDayCount 2024-03-02: is 5, should be 1",
        "RegionalChangeDayCount 2020-01-01 down: is 2, should be 0",
    ]
    assert len(summary_counts_repair()) == 2
    assert summary_count_drift() == []
    assert _action_days() == {D(2024, 3, 2): 1}
    assert _regional_days() == {(D(2024, 3, 1), "up"): 1}


def test_after_the_time_zone_changes_repair_counts_moves_actions_to_their_new_day():
    with override_settings(TIME_ZONE="Asia/Bangkok"):
        _published_on(_bangkok(4, 1, 0, 30))
        assert _action_days() == {D(2024, 4, 1): 1}
    with override_settings(TIME_ZONE="UTC"):
        # The factory's country is in South-East Asia: its day there moves too.
        assert [str(d) for d in summary_count_drift()] == [
            "PublishedActionDayCount 2024-03-31: is 0, should be 1",
            "PublishedActionDayCount 2024-04-01: is 1, should be 0",
            "PublishedActionSubregionDayCount 2024-03-31 south_east_asia: is 0, should be 1",
            "PublishedActionSubregionDayCount 2024-04-01 south_east_asia: is 1, should be 0",
        ]
        summary_counts_repair()
        assert _action_days() == {D(2024, 3, 31): 1}
        assert _subregion_days() == {(D(2024, 3, 31), Subregion.SOUTH_EAST_ASIA): 1}
        assert changes_between(since=D(2024, 3, 31), until=D(2024, 3, 31)).counts.actions == 1


@override_settings(TIME_ZONE="Asia/Bangkok")
def test_the_migration_fills_the_published_actions_per_day():
    _published_on(_bangkok(4, 1, 0, 30), _bangkok(4, 1, 20), _bangkok(4, 2, 9))
    PublishedActionDayCount.objects.all().delete()

    migration.fill_published_actions(apps, None)

    assert _action_days() == {D(2024, 4, 1): 2, D(2024, 4, 2): 1}


def _subregion_days() -> dict:
    rows = PublishedActionSubregionDayCount.objects.exclude(count=0)
    return {(day, sub): n for day, sub, n in rows.values_list("day", "subregion", "count")}


@override_settings(TIME_ZONE="Asia/Bangkok")
def test_actions_count_once_a_day_in_each_subregion_of_their_countries(
    contributor_a, organisation_a, staff
):
    thailand = CountryFactory(iso3="THA", subregion=Subregion.SOUTH_EAST_ASIA)
    vietnam = CountryFactory(iso3="VNM", subregion=Subregion.SOUTH_EAST_ASIA)
    fiji = CountryFactory(iso3="FJI", subregion=Subregion.PACIFIC)
    # Through the services: in two countries of one subregion and one of another.
    draft = follow_up_action_create(
        author=contributor_a,
        lead_stakeholder=organisation_a,
        content=action_content(countries=[thailand, vietnam, fiji]),
    )
    follow_up_action_submit(action=draft, author=contributor_a)
    published = follow_up_action_publish(action=draft, reviewer=staff)
    today = timezone.localdate(published.published_at)
    # As the factories publish: at 00:30 in Bangkok, the day before in UTC.
    PublishedActionFactory(published_at=_bangkok(4, 1, 0, 30), countries=[vietnam])
    PublishedActionFactory(published_at=_bangkok(4, 1, 9), countries=[thailand, vietnam])

    assert _subregion_days() == {
        (today, Subregion.SOUTH_EAST_ASIA): 1,
        (today, Subregion.PACIFIC): 1,
        (D(2024, 4, 1), Subregion.SOUTH_EAST_ASIA): 2,
    }
    assert summary_count_drift() == []
    south_east_asia = ChangeFilters(subregion=Subregion.SOUTH_EAST_ASIA, voice="official")
    april = changes_between(since=D(2024, 4, 1), until=D(2024, 4, 30), filters=south_east_asia)
    assert april.counts.actions == len(list(april.actions)) == 2

    PublishedActionSubregionDayCount.objects.filter(subregion=Subregion.PACIFIC).delete()
    assert [str(d) for d in summary_count_drift()] == [
        f"PublishedActionSubregionDayCount {today} pacific: is 0, should be 1"
    ]
    summary_counts_repair()
    assert summary_count_drift() == []


@override_settings(TIME_ZONE="Asia/Bangkok")
def test_the_migration_fills_the_published_actions_per_subregion_and_day():
    thailand = CountryFactory(iso3="THA", subregion=Subregion.SOUTH_EAST_ASIA)
    vietnam = CountryFactory(iso3="VNM", subregion=Subregion.SOUTH_EAST_ASIA)
    PublishedActionFactory(published_at=_bangkok(4, 1, 0, 30), countries=[thailand, vietnam])
    PublishedActionFactory(published_at=_bangkok(4, 2, 9), countries=[vietnam])
    kept = _subregion_days()
    PublishedActionSubregionDayCount.objects.all().delete()

    subregion_days.fill(apps, None)

    assert (
        _subregion_days()
        == kept
        == {
            (D(2024, 4, 1), Subregion.SOUTH_EAST_ASIA): 1,
            (D(2024, 4, 2), Subregion.SOUTH_EAST_ASIA): 1,
        }
    )
