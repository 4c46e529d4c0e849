"""Reads of the country dimension for the API: assessments (public), civil-society submissions
(their organisations and reviewers only) and the roll-ups. Each list runs a fixed number of
queries whatever its length."""

from django.db.models import Prefetch, Q, QuerySet, Sum

from .country_models import ASSESSMENT_BLOCK
from .enums import RecommendationStatus, ReviewState
from .models import (
    Assessment,
    AssessmentBlockCount,
    AssessmentChange,
    AssessmentStatusCount,
    AssessmentSubmission,
)
from .paging import skip_by_blocks
from .selectors import organisations_of


def assessment_list() -> QuerySet[Assessment]:
    """Published assessments of cells inside their recommendation's scope (those outside it are
    kept in the history but are "not applicable"), with what a list shows about each."""
    return (
        # The flag the services keep (tracker.scope.assessments_in_scope is its definition).
        Assessment.objects.filter(in_scope=True)
        .select_related("recommendation", "country", "stakeholder")
        .order_by("recommendation_id", "country_id", "voice", "stakeholder_id")
    )


def assessment_total() -> int:
    """How many assessments assessment_list() holds, from the roll-ups' per-country totals
    (which count in-scope assessments, each once): a sum of a few hundred rows."""
    return AssessmentStatusCount.objects.filter(
        country__isnull=False, objective__isnull=True
    ).aggregate(n=Sum("count", default=0))["n"]


def skip_to_block(rows: QuerySet[Assessment], offset: int) -> tuple[QuerySet[Assessment], int]:
    """For assessment_list() unfiltered (in recommendation order first): where a deep page
    starts, from the kept counts per block of recommendations (AssessmentBlockCount: a few
    hundred rows at 200,000 recommendations)."""
    return skip_by_blocks(rows, offset, AssessmentBlockCount, "recommendation_id", ASSESSMENT_BLOCK)


def assessment_detail_list() -> QuerySet[Assessment]:
    """assessment_list() with each cell's history, newest first (who made a change is not
    public: the history names no person)."""
    return assessment_list().prefetch_related(
        Prefetch("changes", queryset=AssessmentChange.objects.order_by("-changed_at", "-id"))
    )


def assessment_submissions_visible_to(user) -> QuerySet[AssessmentSubmission]:
    """The civil-society submissions `user` may read: every one of their own organisations',
    and, for reviewers, every one sent for review (a draft stays its organisation's own)."""
    if not user.is_authenticated:
        return AssessmentSubmission.objects.none()
    visible = Q(stakeholder__in=organisations_of(user))
    if user.has_perm("tracker.review_assessmentsubmission"):
        visible |= ~Q(review_state=ReviewState.DRAFT)
    return (
        AssessmentSubmission.objects.filter(visible)
        .select_related("recommendation", "country", "stakeholder")
        .order_by("-updated_at", "-id")
    )


# A roll-up's dimension → (the AssessmentStatusCount rows it sums, the field it groups by).
ROLLUP_DIMENSIONS = {
    "recommendation": (Q(recommendation__isnull=False), "recommendation__reference"),
    "country": (Q(country__isnull=False, objective__isnull=True), "country__iso3"),
    "subregion": (Q(country__isnull=False, objective__isnull=True), "country__subregion"),
    "objective": (Q(objective__isnull=False), "objective__number"),
}


def assessment_rollup(
    *, by: str, voice: str = "", objective=None, subregion: str = "", country=None
) -> QuerySet:
    """How many in-scope assessments there are at each status, per `by` (recommendation,
    country, subregion or objective) and voice: one aggregate query over the roll-up rows, as
    dicts {key, voice, <status>: n…, total}.

    Narrowed to one `objective`, the country and subregion figures come from the per-objective
    rows (one objective cannot count a recommendation twice); otherwise from the per-country
    totals, since a recommendation may serve two objectives.
    """
    rows, key = ROLLUP_DIMENSIONS[by]
    counts = AssessmentStatusCount.objects.all()
    if objective is not None:
        if by == "recommendation":
            counts = counts.filter(recommendation__objectives=objective)
        else:
            rows = Q(objective=objective)
    counts = counts.filter(rows)
    if voice:
        counts = counts.filter(voice=voice)
    if subregion and by != "recommendation":
        counts = counts.filter(country__subregion=subregion)
    if country is not None and by != "recommendation":
        counts = counts.filter(country=country)
    per_status = {
        status: Sum("count", filter=Q(status=status), default=0)
        for status in RecommendationStatus.values
    }
    return (
        counts.values(key, "voice")
        .annotate(**per_status, total=Sum("count"))
        .filter(total__gt=0)
        .order_by(key, "voice")
    )
