"""The assessment roll-ups (AssessmentStatusCount): kept by the assessment services in the writing
transaction, checked and repaired from `Assessment` by `manage.py check_assessment_counts`.

They count published assessments inside their recommendation's scope only: a cell outside the
scope is "not applicable", never a figure. So every write that moves an assessment, or moves a
recommendation's scope or objectives, adjusts them here: one assessment at a time with
assessment_counts_move(), or a set of keys at a time with assessment_counts_rebuild().
"""

from collections import Counter
from collections.abc import Iterable

from django.db.models import Case, Count, F, Q, Value, When

from ..cache import public_data_changed
from ..models import Assessment, AssessmentStatusCount, RecommendationObjective
from ..scope import assessments_in_scope

# A roll-up row's identity: (recommendation, country, objective, voice, status), None where unused.
Key = tuple[int | None, int | None, int | None, str, str]


def assessment_counts_move(
    *, assessment: Assessment, old_status: str | None, new_status: str | None
) -> None:
    """Move one in-scope assessment of the roll-ups from `old_status` to `new_status` (None: it
    was not counted before, or is not counted after). Three queries: the recommendation's
    objectives, an insert of missing zero rows, one update."""
    if old_status == new_status:
        return
    objective_ids = list(
        RecommendationObjective.objects.filter(
            recommendation_id=assessment.recommendation_id
        ).values_list("objective_id", flat=True)
    )
    keys_of = {
        status: _keys(assessment, objective_ids, status)
        for status in (old_status, new_status)
        if status
    }
    if new_status:
        # Rows are created on first use; ignore_conflicts makes a concurrent creation harmless.
        AssessmentStatusCount.objects.bulk_create(
            [_row(key, 0) for key in keys_of[new_status]], ignore_conflicts=True
        )
    rows = Q()
    for keys in keys_of.values():
        rows |= _same_key_filter(assessment, objective_ids, keys[0][3], keys[0][4])
    AssessmentStatusCount.objects.filter(rows).update(
        count=F("count") + Case(When(status=new_status, then=Value(1)), default=Value(-1))
    )


def _keys(assessment: Assessment, objective_ids: list[int], status: str) -> list[Key]:
    voice = assessment.voice
    return [(assessment.recommendation_id, None, None, voice, status)] + [
        (None, assessment.country_id, objective, voice, status) for objective in objective_ids
    ]


def _same_key_filter(assessment, objective_ids, voice, status) -> Q:
    return Q(voice=voice, status=status) & (
        Q(recommendation_id=assessment.recommendation_id)
        | Q(country_id=assessment.country_id, objective_id__in=objective_ids)
    )


def _row(key: Key, count: int) -> AssessmentStatusCount:
    recommendation, country, objective, voice, status = key
    return AssessmentStatusCount(
        recommendation_id=recommendation,
        country_id=country,
        objective_id=objective,
        voice=voice,
        status=status,
        count=count,
    )


def expected_counts(
    *, recommendation_ids: Iterable[int] | None = None, objective_ids: Iterable[int] | None = None
) -> Counter:
    """The roll-ups as they should be, computed from Assessment in two aggregate queries:
    recommendation rows for `recommendation_ids` and country rows for `objective_ids` (None:
    all of them)."""
    in_scope = Assessment.objects.filter(assessments_in_scope())
    per_recommendation = in_scope
    if recommendation_ids is not None:
        per_recommendation = per_recommendation.filter(recommendation_id__in=recommendation_ids)
    objective = "recommendation__objectives"
    per_country = in_scope
    if objective_ids is not None:
        # The same path as the values() below, so both use one join of the link table.
        per_country = per_country.filter(**{f"{objective}__in": objective_ids})
    expected = Counter()
    for row in per_recommendation.values("recommendation_id", "voice", "status").annotate(
        n=Count("id")
    ):
        expected[(row["recommendation_id"], None, None, row["voice"], row["status"])] = row["n"]
    rows = per_country.values("country_id", objective, "voice", "status").annotate(n=Count("id"))
    for row in rows:
        expected[(None, row["country_id"], row[objective], row["voice"], row["status"])] = row["n"]
    return expected


def stored_counts(
    *, recommendation_ids: Iterable[int] | None = None, objective_ids: Iterable[int] | None = None
) -> Counter:
    """The roll-ups as stored (zero rows left out), for the same keys as expected_counts()."""
    rows = AssessmentStatusCount.objects.exclude(count=0)
    per_recommendation = rows.filter(recommendation__isnull=False)
    if recommendation_ids is not None:
        per_recommendation = per_recommendation.filter(recommendation_id__in=recommendation_ids)
    per_country = rows.filter(country__isnull=False)
    if objective_ids is not None:
        per_country = per_country.filter(objective_id__in=objective_ids)
    fields = ("recommendation_id", "country_id", "objective_id", "voice", "status", "count")
    stored = Counter()
    for rows in (per_recommendation, per_country):
        for *key, count in rows.values_list(*fields):
            stored[tuple(key)] = count
    return stored


def assessment_counts_rebuild(
    *, recommendation_ids: Iterable[int] | None = None, objective_ids: Iterable[int] | None = None
) -> int:
    """Recompute the roll-ups of `recommendation_ids` (their recommendation rows) and of
    `objective_ids` (every country's rows for them) from Assessment; None rebuilds all of that
    kind, and an empty list none. Call it inside the writing transaction. Returns how many rows
    differed (were wrong, missing or extra)."""
    if recommendation_ids is not None:
        recommendation_ids = list(recommendation_ids)
    if objective_ids is not None:
        objective_ids = list(objective_ids)
    expected = expected_counts(recommendation_ids=recommendation_ids, objective_ids=objective_ids)
    stored = stored_counts(recommendation_ids=recommendation_ids, objective_ids=objective_ids)
    differing = {key for key in expected.keys() | stored.keys() if expected[key] != stored[key]}
    if not differing:
        return 0
    stale = Q(pk__in=[])
    if recommendation_ids is None:
        stale |= Q(recommendation__isnull=False)
    else:
        stale |= Q(recommendation_id__in=recommendation_ids)
    if objective_ids is None:
        stale |= Q(country__isnull=False)
    else:
        stale |= Q(country__isnull=False, objective_id__in=objective_ids)
    AssessmentStatusCount.objects.filter(stale).delete()
    AssessmentStatusCount.objects.bulk_create(
        [_row(key, count) for key, count in expected.items() if count], batch_size=5000
    )
    public_data_changed()
    return len(differing)
