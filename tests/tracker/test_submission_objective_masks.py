"""Each civil-society submission's objectives as bits (AssessmentSubmission.objective_mask), kept
by the database's triggers (migration 0041) through every write that can change them: the
services, a save of an instance read before its recommendation was regrouped, set-based writes,
a recommendation regrouped, an objective renumbered. The workspace's and the API's filters find
what the recommendation's objectives say; repair_counts checks the bits; the migration fills
them."""

import importlib

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef

from gcm_tracker.tracker.assessment_filters import AssessmentSubmissionFilter
from gcm_tracker.tracker.models import AssessmentSubmission, Objective, RecommendationObjective
from gcm_tracker.tracker.objective_bits import about_objective
from gcm_tracker.tracker.services import (
    assessment_submission_update,
    summary_count_drift,
    summary_counts_repair,
)
from gcm_tracker.workspace.filtering import WorkFilterForm
from tests.factories import (
    AssessmentSubmissionFactory,
    CountryFactory,
    ObjectiveFactory,
    RecommendationFactory,
    StakeholderFactory,
    submit_civil_society,
)

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "gcm_tracker.tracker.migrations.0041_submission_objective_masks"
)


def _recommendation(*numbers: int):
    return RecommendationFactory(objectives=[ObjectiveFactory(number=n) for n in numbers])


def _mask(submission) -> int:
    return AssessmentSubmission.objects.values_list("objective_mask", flat=True).get(
        pk=submission.pk
    )


def _bits(*numbers: int) -> int:
    return sum(1 << n for n in set(numbers))


def _by_groupings(number: int) -> set:
    """The submissions whose recommendation is under objective `number`, found through the
    recommendation's objectives."""
    grouped = RecommendationObjective.objects.filter(
        recommendation=OuterRef("recommendation"), objective__number=number
    )
    return set(AssessmentSubmission.objects.filter(Exists(grouped)).values_list("pk", flat=True))


def test_the_services_set_the_bits_of_the_recommendation(contributor_a):
    thailand = CountryFactory(iso3="THA")
    submission = submit_civil_society(_recommendation(4, 13), thailand, contributor_a, submit=False)
    assert _mask(submission) == _bits(4, 13)

    # The instance the service saves holds the mask it was created with (0): the database's own
    # value is what is stored.
    assessment_submission_update(
        submission=submission,
        author=contributor_a,
        expected_version=submission.version,
        recommendation=_recommendation(21),
    )
    assert _mask(submission) == _bits(21)


def test_a_stale_instance_saved_later_writes_the_bits_of_its_recommendation():
    recommendation = _recommendation(8)
    submission = AssessmentSubmissionFactory(recommendation=recommendation)
    stale = AssessmentSubmission.objects.get(pk=submission.pk)
    recommendation.objectives.add(ObjectiveFactory(number=9))
    assert _mask(submission) == _bits(8, 9)

    stale.summary = "Saved after the recommendation was regrouped."
    stale.save()
    assert _mask(submission) == _bits(8, 9)
    assert stale.objective_mask == _bits(8)  # what the instance held, not what was stored


def test_set_based_writes_are_followed():
    first, second = _recommendation(1), _recommendation(2, 3)
    AssessmentSubmission.objects.bulk_create(
        [
            AssessmentSubmissionFactory.build(
                recommendation=recommendation,
                country=CountryFactory(),
                stakeholder=StakeholderFactory(),
            )
            for recommendation in [first, second]
        ]
    )
    made = list(AssessmentSubmission.objects.filter(recommendation__in=[first, second]))
    assert sorted(s.objective_mask for s in made) == [_bits(1), _bits(2, 3)]

    AssessmentSubmission.objects.filter(recommendation=first).update(recommendation=second)
    assert {_mask(s) for s in made} == {_bits(2, 3)}


def test_regrouping_a_recommendation_or_renumbering_an_objective_is_followed():
    shared = _recommendation(5)
    submissions = [AssessmentSubmissionFactory(recommendation=shared) for _ in range(3)]
    other = AssessmentSubmissionFactory(recommendation=_recommendation(6))

    shared.objectives.add(ObjectiveFactory(number=7))
    assert [_mask(s) for s in submissions] == [_bits(5, 7)] * 3
    RecommendationObjective.objects.filter(recommendation=shared, objective__number=5).delete()
    assert [_mask(s) for s in submissions] == [_bits(7)] * 3
    RecommendationObjective.objects.filter(recommendation=shared).update(
        objective=Objective.objects.get(number=6)
    )
    assert [_mask(s) for s in submissions] == [_bits(6)] * 3
    RecommendationObjective.objects.filter(recommendation=shared).delete()
    assert [_mask(s) for s in submissions] == [0] * 3

    Objective.objects.filter(number=6).update(number=16)
    assert _mask(other) == _bits(16)
    assert _by_groupings(16) == {other.pk}


def test_the_filters_find_what_the_groupings_say(rf):
    thirteen, four, both = _recommendation(13), _recommendation(4), _recommendation(4, 13)
    submissions = [
        AssessmentSubmissionFactory(recommendation=recommendation)
        for recommendation in [thirteen, four, both, thirteen]
    ]
    expected = {submissions[0].pk, submissions[2].pk, submissions[3].pk}
    assert _by_groupings(13) == expected
    masked = AssessmentSubmission.objects.filter(about_objective(13))
    assert set(masked.values_list("pk", flat=True)) == expected

    form = WorkFilterForm({"objective": "13"})
    assert form.is_valid(), form.errors
    narrowed = form.submissions(AssessmentSubmission.objects.all())
    assert set(narrowed.values_list("pk", flat=True)) == expected

    api = AssessmentSubmissionFilter(
        {"objective": "4"}, queryset=AssessmentSubmission.objects.all(), request=rf.get("/")
    )
    assert api.is_valid(), api.errors
    assert set(api.qs.values_list("pk", flat=True)) == _by_groupings(4)
    assert _by_groupings(4) == {submissions[1].pk, submissions[2].pk}


def test_repair_counts_finds_and_repairs_wrong_bits():
    submission = AssessmentSubmissionFactory(recommendation=_recommendation(3))
    with connection.cursor() as cursor:
        # A hand-written fix that wrote the mask alone (no trigger sets it then).
        cursor.execute(
            "UPDATE tracker_assessmentsubmission SET objective_mask = 1 WHERE id = %s",
            [submission.pk],
        )
    assert [str(d) for d in summary_count_drift()] == [
        f"AssessmentSubmission {submission.pk} objective_mask: is 1, should be {_bits(3)}"
    ]
    assert len(summary_counts_repair()) == 1
    assert summary_count_drift() == []
    assert _mask(submission) == _bits(3)


def test_the_migration_fills_the_bits():
    submissions = [
        AssessmentSubmissionFactory(recommendation=_recommendation(11, 12, 23)),
        AssessmentSubmissionFactory(recommendation=_recommendation(1)),
        AssessmentSubmissionFactory(recommendation=_recommendation()),
    ]
    RecommendationObjective.objects.filter(recommendation=submissions[2].recommendation).delete()
    AssessmentSubmission.objects.update(objective_mask=0)

    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)

    assert [_mask(s) for s in submissions] == [_bits(11, 12, 23), _bits(1), 0]
