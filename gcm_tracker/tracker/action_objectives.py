"""Which objectives a follow-up action or a civil-society submission is about, counted afresh
from its links for `manage.py repair_counts` (services.counts), beside the `objective_mask` the
database's triggers keep (bit n for objective n: migration 0039 for actions, 0041 for
submissions; tracker.objective_bits filters on it)."""

from django.db.models import BigIntegerField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import ActionRecommendation, RecommendationObjective


def _mask_of(links, key: str, outer: str, number: str) -> Coalesce:
    """The OR of the bits of the `links` whose `key` is the outer query's `outer` (the
    objective's number at `number`), as a sum of distinct bits."""
    bits = Value(1, output_field=BigIntegerField()).bitleftshift(F(number))
    masks = (
        links.filter(**{key: OuterRef(outer)})
        .order_by()
        .values(key)
        .annotate(mask=Sum(bits, distinct=True, output_field=BigIntegerField()))
        .values("mask")
    )
    return Coalesce(Subquery(masks), Value(0), output_field=BigIntegerField())


def fresh_mask() -> Coalesce:
    """The mask of the action in the outer query, counted from its links."""
    return _mask_of(
        ActionRecommendation.objects.all(), "action", "pk", "recommendation__objectives__number"
    )


def fresh_submission_mask() -> Coalesce:
    """The mask of the submission in the outer query, counted from its recommendation's
    objectives."""
    return _mask_of(
        RecommendationObjective.objects.all(),
        "recommendation",
        "recommendation",
        "objective__number",
    )
