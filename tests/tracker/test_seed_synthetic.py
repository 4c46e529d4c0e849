import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from gcm_tracker.tracker.models import (
    ActionCountry,
    ActionRecommendation,
    Assessment,
    AssessmentChange,
    AssessmentSubmission,
    Consultation,
    Country,
    FollowUpAction,
    Objective,
    Recommendation,
    Snapshot,
    StatusChange,
)
from gcm_tracker.tracker.scope import assessments_in_scope
from gcm_tracker.tracker.services.assessment_counts import expected_counts, stored_counts

pytestmark = pytest.mark.django_db


def test_seed_synthetic_makes_the_requested_rows_in_every_state(seed):
    if connection.vendor != "postgresql":
        pytest.skip("seed_synthetic writes with PostgreSQL's generate_series")

    call_command(
        "seed_synthetic", "--recommendations", "100", "--actions-per-recommendation", "3",
        stdout=io.StringIO(),
    )  # fmt: skip

    synthetic = Recommendation.objects.filter(reference__startswith="synthetic-")
    actions = FollowUpAction.objects.filter(title__startswith="Synthetic action")
    assert Consultation.objects.filter(slug__startswith="synthetic-").count() == 2
    assert synthetic.count() == 100
    assert dict(actions.values_list("review_state").annotate(n=Count("*"))) == {
        "published": 210,
        "draft": 30,
        "submitted": 30,
        "returned": 30,
    }
    # Each status other than "No information" has its history row, so status and history agree.
    changed = synthetic.exclude(status="no_information")
    assert StatusChange.objects.filter(recommendation__in=changed).count() == changed.count()
    assert ActionRecommendation.objects.filter(action__in=actions).count() == 300
    assert ActionCountry.objects.filter(action__in=actions).count() == 300
    # Two review moments to compare (labels on dates), a year apart.
    today = timezone.localdate()
    assert list(Snapshot.objects.order_by("date").values_list("slug", "date")) == [
        ("synthetic-review-2y", today - datetime.timedelta(days=730)),
        ("synthetic-review-1y", today - datetime.timedelta(days=365)),
    ]


def test_seed_synthetic_loads_the_reference_data_itself_on_an_empty_database(db):
    # Item 24 of issue 14: the README's seed_synthetic command used to need load_seed first.
    if connection.vendor != "postgresql":
        pytest.skip("seed_synthetic writes with PostgreSQL's generate_series")
    out = io.StringIO()

    call_command("seed_synthetic", "--recommendations", "40", stdout=out)

    assert out.getvalue().splitlines()[0] == "No reference data yet: loading it first (load_seed)."
    assert (Objective.objects.count(), Country.objects.exists()) == (23, True)
    assert Recommendation.objects.filter(reference__startswith="synthetic-").count() == 40


def test_seed_synthetic_adds_assessments_in_scope_with_their_roll_ups(seed):
    if connection.vendor != "postgresql":
        pytest.skip("seed_synthetic writes with PostgreSQL's generate_series")

    call_command(
        "seed_synthetic", "--recommendations", "100", "--actions-per-recommendation", "0",
        "--official-per-recommendation", "5", "--civil-society-per-recommendation", "3",
        stdout=io.StringIO(),
    )  # fmt: skip

    synthetic = Recommendation.objects.filter(reference__startswith="synthetic-")
    assessments = Assessment.objects.filter(recommendation__in=synthetic)
    # One in twenty is regional only (no assessments), one in twenty for one subregion.
    assert dict(synthetic.values_list("scope").annotate(n=Count("*"))) == {
        "escap": 90,
        "selected": 5,
        "regional": 5,
    }
    assert dict(assessments.values_list("voice").annotate(n=Count("*"))) == {
        "official": 475,
        "civil_society": 285,
    }
    assert assessments.exclude(assessments_in_scope()).count() == 0
    assert AssessmentChange.objects.filter(assessment__in=assessments).count() == 760
    submissions = AssessmentSubmission.objects.filter(recommendation__in=synthetic)
    assert submissions.count() == 285
    assert set(submissions.values_list("review_state", flat=True)) == {
        "published",
        "draft",
        "submitted",
        "returned",
    }
    # All five statuses occur, so voices sometimes agree and sometimes lie far apart.
    assert len(set(assessments.values_list("status", flat=True))) == 5
    assert stored_counts() == expected_counts()
    assert sum(stored_counts().values()) > 0


def test_seed_synthetic_needs_postgresql(db):
    if connection.vendor == "postgresql":
        pytest.skip("checks the refusal on other databases")

    with pytest.raises(CommandError, match="seed_synthetic needs PostgreSQL"):
        call_command("seed_synthetic", "--recommendations", "10")
