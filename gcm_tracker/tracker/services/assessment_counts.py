"""The assessment roll-ups (AssessmentStatusCount): kept by the assessment services in the writing
transaction, checked and repaired from `Assessment` by `manage.py check_assessment_counts`.

They count published assessments inside their recommendation's scope only: a cell outside the
scope is "not applicable", never a figure. So every write that moves an assessment, or moves a
recommendation's scope or objectives, adjusts them here: one assessment at a time with
assessment_counts_move(), or a Selection of rows at a time with assessment_counts_rebuild().
"""

from collections import Counter
from dataclasses import dataclass

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
    voice, country = assessment.voice, assessment.country_id
    return [
        (assessment.recommendation_id, None, None, voice, status),
        (None, country, None, voice, status),
        *((None, country, objective, voice, status) for objective in objective_ids),
    ]


def _same_key_filter(assessment, objective_ids, voice, status) -> Q:
    return Q(voice=voice, status=status) & (
        Q(recommendation_id=assessment.recommendation_id)
        | Q(country_id=assessment.country_id, objective__isnull=True)
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


@dataclass(frozen=True)
class Selection:
    """Which roll-up rows to compute or rewrite: those of `recommendation_ids`, of
    `objective_ids` (every country's) and the per-country totals of `country_ids`. None means
    all rows of that kind, an empty list none."""

    recommendation_ids: list[int] | None = None
    objective_ids: list[int] | None = None
    country_ids: list[int] | None = None

    @classmethod
    def of(cls, recommendation_ids=None, objective_ids=None, country_ids=None) -> "Selection":
        def listed(ids):
            return None if ids is None else list(ids)

        return cls(listed(recommendation_ids), listed(objective_ids), listed(country_ids))

    def stored_rows(self) -> Q:
        return (
            self._rows(
                Q(recommendation__isnull=False), "recommendation_id", self.recommendation_ids
            )
            | self._rows(Q(objective__isnull=False), "objective_id", self.objective_ids)
            | self._rows(
                Q(country__isnull=False, objective__isnull=True), "country_id", self.country_ids
            )
        )

    @staticmethod
    def _rows(kind: Q, field: str, ids) -> Q:
        if ids is None:
            return kind
        return kind & Q(**{f"{field}__in": ids})


def _narrowed(queryset, field: str, ids):
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


def expected_counts(selection: Selection = Selection()) -> Counter:
    """The roll-ups as they should be, computed from Assessment in three aggregate queries."""
    in_scope = Assessment.objects.filter(assessments_in_scope())
    objective = "recommendation__objectives"
    expected = Counter()
    queries = [
        (
            _narrowed(in_scope, "recommendation_id", selection.recommendation_ids),
            ("recommendation_id", None, None),
        ),
        # Filtered on the same path as its values(), so both use one join of the link table.
        (
            _narrowed(in_scope, objective, selection.objective_ids),
            (None, "country_id", objective),
        ),
        (_narrowed(in_scope, "country_id", selection.country_ids), (None, "country_id", None)),
    ]
    for queryset, key_fields in queries:
        fields = [field for field in key_fields if field]
        for row in queryset.values(*fields, "voice", "status").annotate(n=Count("id")):
            key = tuple(row[field] if field else None for field in key_fields)
            expected[(*key, row["voice"], row["status"])] = row["n"]
    return expected


def stored_counts(selection: Selection = Selection()) -> Counter:
    """The roll-ups as stored (zero rows left out), for the same rows as expected_counts()."""
    fields = ("recommendation_id", "country_id", "objective_id", "voice", "status", "count")
    rows = AssessmentStatusCount.objects.exclude(count=0).filter(selection.stored_rows())
    return Counter({tuple(key): count for *key, count in rows.values_list(*fields)})


def assessment_counts_rebuild(selection: Selection = Selection()) -> int:
    """Recompute the selected roll-ups (all by default) from Assessment and rewrite those that
    differ. Call it inside the writing transaction. Returns how many rows differed (were wrong,
    missing or extra)."""
    expected, stored = expected_counts(selection), stored_counts(selection)
    differing = {key for key in expected.keys() | stored.keys() if expected[key] != stored[key]}
    if not differing:
        return 0
    AssessmentStatusCount.objects.filter(selection.stored_rows()).delete()
    AssessmentStatusCount.objects.bulk_create(
        [_row(key, count) for key, count in expected.items() if count], batch_size=5000
    )
    public_data_changed()
    return len(differing)
