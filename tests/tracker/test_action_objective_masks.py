"""Each follow-up action's objectives as bits (FollowUpAction.objective_mask), kept by the
database's triggers (migration 0039) through every write that can change them: the services'
edits, a save of an instance read before its links changed, set-based writes around the
services, a recommendation regrouped, an objective renumbered. The work pages and the public
action list filter on it and find what the links say; repair_counts checks it; the migration
fills it."""

import importlib

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef

from gcm_tracker.tracker.filters import ActionFilter
from gcm_tracker.tracker.models import (
    ActionRecommendation,
    FollowUpAction,
    Objective,
    RecommendationObjective,
)
from gcm_tracker.tracker.objective_bits import about_objective
from gcm_tracker.tracker.services import (
    follow_up_action_create,
    follow_up_action_update,
    summary_count_drift,
    summary_counts_repair,
)
from gcm_tracker.workspace.filtering import WorkFilterForm
from tests.factories import (
    FollowUpActionFactory,
    ObjectiveFactory,
    PublishedActionFactory,
    RecommendationFactory,
    action_content,
)

pytestmark = pytest.mark.django_db

migration = importlib.import_module("gcm_tracker.tracker.migrations.0039_action_objective_masks")


def _objectives(*numbers: int) -> list:
    return [ObjectiveFactory(number=n) for n in numbers]


def _recommendation(*numbers: int):
    return RecommendationFactory(objectives=_objectives(*numbers))


def _mask(action) -> int:
    return FollowUpAction.objects.values_list("objective_mask", flat=True).get(pk=action.pk)


def _bits(*numbers: int) -> int:
    return sum(1 << n for n in set(numbers))


def _by_links(number: int) -> set:
    """The actions with a recommendation under objective `number`, found through the links."""
    linked = ActionRecommendation.objects.filter(
        action=OuterRef("pk"), recommendation__objectives__number=number
    )
    return set(FollowUpAction.objects.filter(Exists(linked)).values_list("pk", flat=True))


def test_the_services_keep_the_mask_of_the_recommendations_objectives(
    contributor_a, organisation_a
):
    four_and_thirteen, thirteen_again, twenty_one = (
        _recommendation(4, 13),
        _recommendation(13),
        _recommendation(21),
    )
    action = follow_up_action_create(
        author=contributor_a,
        lead_stakeholder=organisation_a,
        content=action_content(recommendations=[four_and_thirteen, thirteen_again]),
    )
    assert _mask(action) == _bits(4, 13)

    # Content saved, links changed and the action submitted in one transaction: the instance
    # saved last was read before its links changed, and does not write its old mask back.
    updated = follow_up_action_update(
        action=action,
        author=contributor_a,
        content=action_content(recommendations=[twenty_one]),
        expected_version=action.version,
        submit=True,
    )
    assert updated.review_state == "submitted"
    assert _mask(action) == _bits(21)


def test_a_stale_instance_saved_later_leaves_the_mask_alone():
    action = FollowUpActionFactory(recommendations=[_recommendation(8)])
    stale = FollowUpAction.objects.get(pk=action.pk)
    action.recommendations.add(_recommendation(9))
    assert _mask(action) == _bits(8, 9)

    stale.title = "Renamed after the links changed"
    stale.save()
    assert _mask(action) == _bits(8, 9)
    assert FollowUpAction.objects.get(pk=action.pk).title == "Renamed after the links changed"
    # A partly read row still saves only what was read (and not the mask).
    partial = FollowUpAction.objects.only("title").get(pk=action.pk)
    partial.title = "Renamed again"
    partial.save()
    assert _mask(action) == _bits(8, 9)


def test_set_based_writes_around_the_services_are_followed():
    first, second = (
        FollowUpActionFactory(recommendations=[_recommendation(1)]),
        (FollowUpActionFactory(recommendations=[_recommendation(2)])),
    )
    ten = _recommendation(10)
    ActionRecommendation.objects.bulk_create(
        [
            ActionRecommendation(action=first, recommendation=ten),
            ActionRecommendation(action=second, recommendation=ten),
        ]
    )
    assert (_mask(first), _mask(second)) == (_bits(1, 10), _bits(2, 10))

    ActionRecommendation.objects.filter(recommendation=ten).delete()
    assert (_mask(first), _mask(second)) == (_bits(1), _bits(2))

    ActionRecommendation.objects.filter(action=second).update(action=first)
    assert (_mask(first), _mask(second)) == (_bits(1, 2), 0)


def test_regrouping_a_recommendation_or_renumbering_an_objective_is_followed():
    shared = _recommendation(5)
    actions = [FollowUpActionFactory(recommendations=[shared]) for _ in range(3)]
    other = FollowUpActionFactory(recommendations=[_recommendation(6)])

    shared.objectives.add(*_objectives(7))
    assert [_mask(a) for a in actions] == [_bits(5, 7)] * 3
    RecommendationObjective.objects.filter(recommendation=shared, objective__number=5).delete()
    assert [_mask(a) for a in actions] == [_bits(7)] * 3
    RecommendationObjective.objects.filter(recommendation=shared).update(
        objective=Objective.objects.get(number=6)
    )
    assert [_mask(a) for a in actions] == [_bits(6)] * 3

    Objective.objects.filter(number=6).update(number=16)
    assert [_mask(a) for a in actions] == [_bits(16)] * 3
    assert _mask(other) == _bits(16)
    assert _by_links(16) == {a.pk for a in [*actions, other]}


def test_the_filters_find_what_the_links_say(rf):
    thirteen, four, both = _recommendation(13), _recommendation(4), _recommendation(4, 13)
    actions = [
        PublishedActionFactory(recommendations=[thirteen]),
        PublishedActionFactory(recommendations=[four]),
        PublishedActionFactory(recommendations=[four, both]),
        PublishedActionFactory(recommendations=[four, thirteen]),
    ]
    expected = {actions[0].pk, actions[2].pk, actions[3].pk}
    assert _by_links(13) == expected
    masked = FollowUpAction.objects.filter(about_objective(13))
    assert set(masked.values_list("pk", flat=True)) == expected

    form = WorkFilterForm({"objective": "13"})
    assert form.is_valid(), form.errors
    narrowed = form.actions(FollowUpAction.objects.all())
    assert set(narrowed.values_list("pk", flat=True)) == expected

    public = ActionFilter(
        {"objective": "4"}, queryset=FollowUpAction.objects.all(), request=rf.get("/")
    )
    assert public.is_valid(), public.errors
    assert set(public.qs.values_list("pk", flat=True)) == _by_links(4)
    assert _by_links(4) == {actions[1].pk, actions[2].pk, actions[3].pk}


def test_repair_counts_finds_and_repairs_a_wrong_mask():
    action = FollowUpActionFactory(recommendations=[_recommendation(3)])
    with connection.cursor() as cursor:
        # A hand-written fix that forgot the mask (nothing else writes it).
        cursor.execute(
            "UPDATE tracker_followupaction SET objective_mask = 1 WHERE id = %s", [action.pk]
        )
    assert [str(d) for d in summary_count_drift()] == [
        f"FollowUpAction {action.pk} objective_mask: is 1, should be {_bits(3)}"
    ]
    assert len(summary_counts_repair()) == 1
    assert summary_count_drift() == []
    assert _mask(action) == _bits(3)


def test_the_migration_fills_the_masks():
    actions = [
        FollowUpActionFactory(recommendations=[_recommendation(11), _recommendation(12, 23)]),
        FollowUpActionFactory(recommendations=[_recommendation(1)]),
    ]
    FollowUpAction.objects.update(objective_mask=0)

    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)

    assert [_mask(a) for a in actions] == [_bits(11, 12, 23), _bits(1)]
