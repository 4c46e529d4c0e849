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
    CountryActionCount,
    CountryRecommendation,
    FollowUpAction,
    Objective,
    Recommendation,
    Snapshot,
    StakeholderRecommendation,
    StatusChange,
)
from gcm_tracker.tracker.scope import assessments_in_scope
from gcm_tracker.tracker.services.assessment_counts import expected_counts, stored_counts
from gcm_tracker.tracker.services.assessment_flags import assessment_flags_wrong
from gcm_tracker.tracker.services.counts import summary_count_drift

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
    # Every summary count, the recommendations organisations and countries acted on, the
    # actions of each kind in each country and the country links' copies of their actions'
    # kinds included, is exact.
    assert summary_count_drift() == []
    assert StakeholderRecommendation.objects.exists()
    assert CountryRecommendation.objects.exists()
    assert CountryActionCount.objects.filter(facet="t+p+o").exists()
    assert ActionCountry.objects.exclude(action_type="").count() == 300


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
    # The flags, as the services keep them: every cell in scope, some cells disagreeing.
    assert assessment_flags_wrong() == 0
    assert set(assessments.values_list("in_scope", flat=True)) == {True}
    assert assessments.filter(disagreed_at__isnull=False).exists()


# The edges of each option's range: none of a kind of row (the first INSERT into a table then
# draws nothing from its sequence, so currval was undefined), and the smallest N.
EDGES = {
    "nothing but recommendations": (40, 0, 0, 0),
    "civil society only": (40, 1, 0, 3),
    "official only": (40, 0, 3, 0),
    "one of each": (1, 1, 1, 1),
}


def _seed_synthetic(recommendations, actions, official, civil_society):
    call_command(
        "seed_synthetic", "--recommendations", str(recommendations),
        "--actions-per-recommendation", str(actions),
        "--official-per-recommendation", str(official),
        "--civil-society-per-recommendation", str(civil_society),
        stdout=io.StringIO(),
    )  # fmt: skip


@pytest.mark.parametrize("options", EDGES.values(), ids=EDGES.keys())
def test_seed_synthetic_takes_every_option_at_the_edge_of_its_range(seed, options):
    if connection.vendor != "postgresql":
        pytest.skip("seed_synthetic writes with PostgreSQL's generate_series")
    recommendations, actions, official, civil_society = options

    _seed_synthetic(*options)

    synthetic = Recommendation.objects.filter(reference__startswith="synthetic-")
    assessments = Assessment.objects.filter(recommendation__in=synthetic)
    assert synthetic.count() == recommendations
    assert FollowUpAction.objects.filter(title__startswith="Synthetic action").count() == (
        recommendations * actions
    )
    # Every recommendation in scope of ESCAP or of a subregion has its cells in each voice;
    # one in twenty is regional only (recommendation 20 and 40 here; the one of N=1 is selected).
    cells = recommendations - recommendations // 20
    by_voice = dict(assessments.values_list("voice").annotate(n=Count("*")))
    assert by_voice == {
        voice: cells * n
        for voice, n in (("official", official), ("civil_society", civil_society))
        if n
    }
    assert AssessmentChange.objects.filter(assessment__in=assessments).count() == cells * (
        official + civil_society
    )
    assert AssessmentSubmission.objects.filter(recommendation__in=synthetic).count() == (
        cells * civil_society
    )
    # Nothing older was picked up as if new: the seed's own rows keep their history and counts.
    assert summary_count_drift() == []
    assert stored_counts() == expected_counts()
    assert assessment_flags_wrong() == 0


@pytest.mark.parametrize("options", EDGES.values(), ids=EDGES.keys())
def test_seed_synthetic_needs_postgresql(db, options):
    if connection.vendor == "postgresql":
        pytest.skip("checks the refusal on other databases")

    with pytest.raises(CommandError, match="seed_synthetic needs PostgreSQL"):
        _seed_synthetic(*options)
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize(
    "options", [(0, 1, 1, 1), (1, -1, 1, 1), (1, 1, -1, 1), (1, 1, 1, -1)], ids=str
)
def test_seed_synthetic_names_an_option_out_of_range_on_every_database(db, options):
    with pytest.raises(CommandError, match="at least one recommendation and no negative numbers"):
        _seed_synthetic(*options)
    assert not Recommendation.objects.exists()


def test_seed_synthetic_refuses_a_database_it_has_filled_already(seed):
    if connection.vendor != "postgresql":
        pytest.skip("seed_synthetic runs on PostgreSQL only")
    _seed_synthetic(2, 1, 1, 1)
    counts = (Recommendation.objects.count(), FollowUpAction.objects.count())

    refusal = r"holds synthetic data already \(1 consultation named “synthetic-…”\).* nothing"
    with pytest.raises(CommandError, match=refusal):
        _seed_synthetic(2, 1, 1, 1)

    assert (Recommendation.objects.count(), FollowUpAction.objects.count()) == counts
