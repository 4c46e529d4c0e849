"""The publication date each partner link copies from its action
(ActionPartner.action_published_at), kept by the database's triggers (migration 0049, the same
SQL as the country links': tracker.link_dates_sql): set when the action is published, whatever
publishes it, copied to links added later or moved to another action, cleared if the action
leaves the published state; repair_counts checks and repairs it; the migration fills it. An
organisation's list of actions pages from it (tests/tracker/test_action_pages.py)."""

import pytest

from gcm_tracker.tracker.enums import ReviewState
from gcm_tracker.tracker.link_dates_sql import fill
from gcm_tracker.tracker.models import ActionPartner, FollowUpAction
from gcm_tracker.tracker.services import (
    follow_up_action_create,
    follow_up_action_publish,
    follow_up_action_submit,
    summary_count_drift,
    summary_counts_repair,
)
from tests.factories import (
    FollowUpActionFactory,
    PublishedActionFactory,
    StakeholderFactory,
    action_content,
)

from .test_action_country_dates import _at, _triggers_off

pytestmark = pytest.mark.django_db


def _dates(action) -> list:
    links = ActionPartner.objects.filter(action=action).order_by("stakeholder__slug")
    return list(links.values_list("action_published_at", flat=True))


def test_publishing_through_the_services_dates_the_links(contributor_a, organisation_a, staff):
    partners = [StakeholderFactory(slug="a-partner"), StakeholderFactory(slug="b-partner")]
    draft = follow_up_action_create(
        author=contributor_a,
        lead_stakeholder=organisation_a,
        content=action_content(partners=partners),
    )
    submitted = follow_up_action_submit(action=draft, author=contributor_a)
    assert _dates(draft) == [None, None]

    published = follow_up_action_publish(action=submitted, reviewer=staff)

    assert _dates(draft) == [published.published_at] * 2


def test_writes_around_the_services_are_followed():
    first, second = StakeholderFactory(slug="a-partner"), StakeholderFactory(slug="b-partner")
    action = PublishedActionFactory(published_at=_at(2))
    action.partners.add(first)
    draft = FollowUpActionFactory()
    draft.partners.add(StakeholderFactory(slug="c-partner"))
    assert (_dates(action), _dates(draft)) == ([_at(2)], [None])

    # A link added to a published action later (a restore, a fixture) takes its date.
    ActionPartner.objects.bulk_create([ActionPartner(action=action, stakeholder=second)])
    assert _dates(action) == [_at(2), _at(2)]
    # A set-based change of the date, and a move of links to another action.
    FollowUpAction.objects.filter(pk=action.pk).update(published_at=_at(5))
    assert _dates(action) == [_at(5), _at(5)]
    ActionPartner.objects.filter(action=draft).update(action=action)
    ActionPartner.objects.filter(action=action, stakeholder=first).delete()
    assert _dates(action) == [_at(5), _at(5)]
    # A published action sent back to draft around the services leaves every list.
    FollowUpAction.objects.filter(pk=action.pk).update(review_state=ReviewState.DRAFT)
    assert _dates(action) == [None, None]


def _published_and_draft(day: int) -> tuple:
    """An action published on `day` and a draft, each with the partner `ngo`."""
    ngo = StakeholderFactory(slug="ngo")
    action, draft = PublishedActionFactory(published_at=_at(day)), FollowUpActionFactory()
    for each in (action, draft):
        each.partners.add(ngo)
    return action, draft


def test_repair_counts_finds_and_repairs_a_wrong_date():
    action, draft = _published_and_draft(2)
    with _triggers_off() as cursor:
        # Hand-written fixes that forgot the links.
        cursor.execute("UPDATE tracker_actionpartner SET action_published_at = NULL")
        cursor.execute(
            "UPDATE tracker_actionpartner SET action_published_at = %s WHERE action_id = %s",
            [_at(3), draft.pk],
        )
    # (Partners added around the services miss their organisation's counts too.)
    assert [str(d) for d in summary_count_drift() if "action_published_at" in str(d)] == [
        f"ActionPartner {action.pk} ngo action_published_at: is empty, "
        f"should be {_at(2).isoformat()}",
        f"ActionPartner {draft.pk} ngo action_published_at: is {_at(3).isoformat()}, "
        "should be empty",
    ]
    repaired = summary_counts_repair()
    assert len([d for d in repaired if "action_published_at" in str(d)]) == 2
    assert summary_count_drift() == []
    assert (_dates(action), _dates(draft)) == ([_at(2)], [None])


def test_the_migration_fills_the_dates():
    action, draft = _published_and_draft(6)
    with _triggers_off() as cursor:
        cursor.execute("UPDATE tracker_actionpartner SET action_published_at = NULL")
        cursor.execute(fill("tracker_actionpartner"))

    assert (_dates(action), _dates(draft)) == ([_at(6)], [None])
