"""The published actions of each type, progress and objective and each combination of them
(PublishedActionCount), kept by database triggers (migrations 0048, 0056), equal a fresh count
after every kind of write: publishing through the services, an action inserted published,
changed in place (type, progress, state), its recommendations changed, a recommendation
regrouped under other objectives, deleted."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from gcm_tracker.tracker.action_count_models import PublishedActionCount
from gcm_tracker.tracker.enums import ActionProgress, ActionType, ReviewState
from gcm_tracker.tracker.models import ActionRecommendation, FollowUpAction, RecommendationObjective
from gcm_tracker.tracker.services import counts
from gcm_tracker.tracker.services.actions import (
    follow_up_action_create,
    follow_up_action_publish,
    follow_up_action_submit,
)
from tests.factories import (
    ContributorFactory,
    FollowUpActionFactory,
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
    StakeholderFactory,
    action_content,
)

pytestmark = pytest.mark.django_db


def _kept() -> dict[tuple[str, str], int]:
    return {
        (facet, value): n
        for facet, value, n in PublishedActionCount.objects.exclude(count=0).values_list(
            "facet", "value", "count"
        )
    }


def _fresh() -> dict[tuple[str, str], int]:
    return counts._published_actions_counted()


def test_counts_follow_every_kind_of_write(staff):
    o4, o13 = ObjectiveFactory(number=4), ObjectiveFactory(number=13)
    under_4, under_both = (
        RecommendationFactory(objectives=[o4]),
        RecommendationFactory(objectives=[o4, o13]),
    )
    checkpoints = []

    # Published through the services: counted when published, not while a draft or submitted.
    organisation = StakeholderFactory()
    contributor = ContributorFactory(organisation=organisation)
    draft = follow_up_action_create(
        author=contributor,
        lead_stakeholder=organisation,
        content=action_content(recommendations=[under_both], action_type=ActionType.ADVOCACY),
    )
    follow_up_action_submit(action=draft, author=contributor)
    checkpoints.append(_kept() == {} == _fresh())
    follow_up_action_publish(action=draft, reviewer=staff)
    checkpoints.append(_kept() == _fresh() != {})
    # Inserted published (a restore, the factories); drafts count nothing.
    first = PublishedActionFactory(recommendations=[under_4])
    PublishedActionFactory(recommendations=[under_both], progress=ActionProgress.COMPLETED)
    FollowUpActionFactory(recommendations=[under_both])
    checkpoints.append(_kept() == _fresh())
    # Changed in place, as the admin may: type, progress, several rows in one statement.
    FollowUpAction.objects.filter(pk=first.pk).update(action_type=ActionType.RESEARCH)
    FollowUpAction.objects.filter(review_state=ReviewState.PUBLISHED).update(
        progress=ActionProgress.PLANNED
    )
    checkpoints.append(_kept() == _fresh())
    # Its recommendations changed (the objective bits follow, and the counts with them).
    ActionRecommendation.objects.create(action=first, recommendation=under_both)
    checkpoints.append(_kept() == _fresh())
    ActionRecommendation.objects.filter(action=first, recommendation=under_4).delete()
    checkpoints.append(_kept() == _fresh())
    # A recommendation regrouped: taken out of objective 4.
    RecommendationObjective.objects.filter(recommendation=under_both, objective=o4).delete()
    checkpoints.append(_kept() == _fresh())
    # Out of the published state (by hand: the services never unpublish), then deleted.
    FollowUpAction.objects.filter(pk=draft.pk).update(review_state=ReviewState.SUBMITTED)
    checkpoints.append(_kept() == _fresh())
    first.delete()
    checkpoints.append(_kept() == _fresh())

    assert checkpoints == [True] * 9
    # Left published: the factory's second action, about objective 13 alone now.
    assert _kept() == {
        ("type", ActionType.TRAINING): 1,
        ("progress", ActionProgress.PLANNED): 1,
        ("objective", "13"): 1,
        ("t+p", "training|planned"): 1,
        ("t+o", "training|13"): 1,
        ("p+o", "planned|13"): 1,
        ("t+p+o", "training|planned|13"): 1,
    }


def test_counts_emptied_first_stay_empty_as_the_actions_go():
    """Django's flush on SQLite empties the tables one by one, in no fixed order: emptied before
    the actions, the counts get no rows back (a count taken away creates none)."""
    PublishedActionFactory(recommendations=[RecommendationFactory(objectives=[ObjectiveFactory()])])
    assert _kept() != {}

    # Rolled back before the foreign keys are checked (links still name the actions).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {PublishedActionCount._meta.db_table}")
        cursor.execute(f"DELETE FROM {FollowUpAction._meta.db_table}")
        left = list(PublishedActionCount.objects.values_list("facet", "value", "count"))
        transaction.set_rollback(True)

    assert left == []


def test_repair_counts_repairs_them():
    PublishedActionFactory(
        recommendations=[RecommendationFactory(objectives=[ObjectiveFactory(number=9)])],
        action_type=ActionType.LEGAL_AID,
    )
    PublishedActionCount.objects.filter(facet="type").update(count=7)
    PublishedActionCount.objects.filter(facet="objective").delete()
    out = io.StringIO()

    call_command("repair_counts", stdout=out)

    assert out.getvalue().splitlines() == [
        "PublishedActionCount objective 9: was 0, now 1",
        "PublishedActionCount type legal_aid: was 7, now 1",
        "Repaired 2 summary counts.",
    ]
    assert (
        _kept()
        == _fresh()
        == {
            ("type", ActionType.LEGAL_AID): 1,
            ("progress", ActionProgress.ONGOING): 1,
            ("objective", "9"): 1,
            ("t+p", "legal_aid|ongoing"): 1,
            ("t+o", "legal_aid|9"): 1,
            ("p+o", "ongoing|9"): 1,
            ("t+p+o", "legal_aid|ongoing|9"): 1,
        }
    )
