"""The publication date each country link copies from its action
(ActionCountry.action_published_at), kept by the database's triggers (migration 0040,
tracker.link_dates_sql): set when the action is published, whatever publishes it, copied to
links added later or moved to another action, cleared if the action leaves the published state.
A country page's newest actions are read from it (selectors.newest_actions_in) and are the ones
the actions' own dates give; repair_counts checks and repairs it; the migration fills it."""

import contextlib
import datetime
import importlib

import pytest
from django.db import connection

from gcm_tracker.tracker import selectors
from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.link_dates_sql import fill
from gcm_tracker.tracker.models import ActionCountry, FollowUpAction
from gcm_tracker.tracker.services import (
    follow_up_action_create,
    follow_up_action_publish,
    follow_up_action_submit,
    summary_count_drift,
    summary_counts_repair,
)
from tests.factories import (
    CountryFactory,
    FollowUpActionFactory,
    PublishedActionFactory,
    action_content,
)

pytestmark = pytest.mark.django_db

KIND_COUNTS = importlib.import_module("gcm_tracker.tracker.migrations.0056_kind_combination_counts")

UTC = datetime.UTC


def _at(day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2024, 3, day, hour, tzinfo=UTC)


def _dates(action) -> list:
    links = ActionCountry.objects.filter(action=action).order_by("country__iso3")
    return list(links.values_list("action_published_at", flat=True))


@contextlib.contextmanager
def _triggers_off():
    """A cursor whose updates of the links the database's triggers do not see (as a restore of
    part of a table writes them): there, the links' own trigger would mend what the test breaks,
    and the counts by kind in each country would follow it. PostgreSQL: every trigger off for
    the transaction. SQLite: the copies' triggers fire only on a change of the link's action;
    the counts' trigger on a changed link is dropped meanwhile."""
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER tracker_actioncountry_kindcount_changed")
        yield cursor
        if postgresql:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        else:
            (changed,) = [sql for sql in KIND_COUNTS.SQLITE_LINKS if "_kindcount_changed" in sql]
            cursor.execute(changed)


def _reference_newest(country, limit: int) -> list[int]:
    """The newest published actions in `country` as the actions' own rows order them."""
    actions = selectors.action_list(selectors.actions_in(country))[:limit]
    return [action.pk for action in actions]


def test_publishing_through_the_services_dates_the_links(contributor_a, organisation_a, staff):
    thailand, nepal = CountryFactory(iso3="THA"), CountryFactory(iso3="NPL")
    draft = follow_up_action_create(
        author=contributor_a,
        lead_stakeholder=organisation_a,
        content=action_content(countries=[thailand, nepal]),
    )
    submitted = follow_up_action_submit(action=draft, author=contributor_a)
    assert _dates(draft) == [None, None]

    published = follow_up_action_publish(action=submitted, reviewer=staff)
    assert _dates(draft) == [published.published_at] * 2
    assert [a.pk for a in selectors.newest_actions_in(thailand, 25)] == [draft.pk]


def test_writes_around_the_services_are_followed():
    thailand, nepal = CountryFactory(iso3="THA"), CountryFactory(iso3="NPL")
    action = PublishedActionFactory(countries=[thailand], published_at=_at(2))
    draft = FollowUpActionFactory(countries=[CountryFactory(iso3="VNM")])
    assert (_dates(action), _dates(draft)) == ([_at(2)], [None])

    # A link added to a published action later (a restore, a fixture) takes its date.
    ActionCountry.objects.bulk_create([ActionCountry(action=action, country=nepal)])
    assert _dates(action) == [_at(2), _at(2)]
    # A set-based change of the date, and a move of links to another action.
    FollowUpAction.objects.filter(pk=action.pk).update(published_at=_at(5))
    assert _dates(action) == [_at(5), _at(5)]
    ActionCountry.objects.filter(action=draft).update(action=action)
    ActionCountry.objects.filter(action=action, country=thailand).delete()
    assert _dates(action) == [_at(5), _at(5)]
    # A published action sent back to draft around the services leaves every country's list.
    FollowUpAction.objects.filter(pk=action.pk).update(review_state=ReviewState.DRAFT)
    assert _dates(action) == [None, None]
    assert list(selectors.newest_actions_in(nepal, 25)) == []


def test_the_newest_actions_are_those_the_actions_own_dates_give():
    thailand, elsewhere = CountryFactory(iso3="THA"), CountryFactory(iso3="NPL")
    # Same dates for some (then the higher key first), other countries, drafts in between.
    for day in [3, 1, 3, 7, 2, 7, 7, 5]:
        PublishedActionFactory(countries=[thailand], published_at=_at(day))
        PublishedActionFactory(countries=[elsewhere], published_at=_at(day, 13))
        FollowUpActionFactory(countries=[thailand])
    PublishedActionFactory(countries=[thailand, elsewhere], published_at=_at(4))

    for limit in [1, 3, 5, 25]:
        newest = [action.pk for action in selectors.newest_actions_in(thailand, limit)]
        assert newest == _reference_newest(thailand, limit)
    assert len(_reference_newest(thailand, 25)) == 9


def test_the_country_page_lists_its_newest_actions(client):
    thailand = CountryFactory(iso3="THA")
    older = PublishedActionFactory(countries=[thailand], published_at=_at(1), title="Older one")
    newer = PublishedActionFactory(countries=[thailand], published_at=_at(9), title="Newer one")
    FollowUpActionFactory(countries=[thailand], title="A draft nobody may see")

    page = client.get(f"/countries/{thailand.iso3}/").content.decode()

    assert page.index(newer.title) < page.index(older.title)
    assert "A draft nobody may see" not in page


def _published_and_draft(day: int) -> tuple:
    """An action in Thailand published on `day` and a draft there."""
    thailand = CountryFactory(iso3="THA")
    return (
        PublishedActionFactory(countries=[thailand], published_at=_at(day)),
        FollowUpActionFactory(countries=[thailand]),
    )


def test_repair_counts_finds_and_repairs_a_wrong_date():
    action, draft = _published_and_draft(2)
    with _triggers_off() as cursor:
        # Hand-written fixes that forgot the links.
        cursor.execute("UPDATE tracker_actioncountry SET action_published_at = NULL")
        cursor.execute(
            "UPDATE tracker_actioncountry SET action_published_at = %s WHERE action_id = %s",
            [_at(3), draft.pk],
        )
    assert [str(d) for d in summary_count_drift()] == [
        f"ActionCountry {action.pk} THA action_published_at: is empty, "
        f"should be {_at(2).isoformat()}",
        f"ActionCountry {draft.pk} THA action_published_at: is {_at(3).isoformat()}, "
        "should be empty",
    ]
    repaired = [str(d) for d in summary_counts_repair()]
    # The dates were broken with the triggers off, so the counts by kind in each country never
    # followed them; mended through the triggers, they move those counts, which the same run
    # then counts again (and says so).
    assert [d for d in repaired if "action_published_at" in d] == [
        f"ActionCountry {action.pk} THA action_published_at: is empty, "
        f"should be {_at(2).isoformat()}",
        f"ActionCountry {draft.pk} THA action_published_at: is {_at(3).isoformat()}, "
        "should be empty",
    ]
    assert summary_count_drift() == []
    assert (_dates(action), _dates(draft)) == ([_at(2)], [None])


def test_the_migration_fills_the_dates():
    action, draft = _published_and_draft(6)
    with _triggers_off() as cursor:
        cursor.execute("UPDATE tracker_actioncountry SET action_published_at = NULL")
        cursor.execute(fill("tracker_actioncountry"))

    assert (_dates(action), _dates(draft)) == ([_at(6)], [None])
