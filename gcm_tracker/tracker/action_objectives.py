"""Which objectives a follow-up action is about, read from FollowUpAction.objective_mask (bit n
for objective n, kept by the database's triggers, migration 0039) and counted afresh for
`manage.py repair_counts` (services.counts)."""

from django.db.models import BigIntegerField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan

from .models import ActionRecommendation


def _bit(number: int) -> int:
    return 1 << number


def about_objective(number: int) -> GreaterThan:
    """A filter condition: the action has a recommendation under objective `number`. A test of
    the row itself, so a list walked in its index's order costs no lookup per action."""
    return GreaterThan(F("objective_mask").bitand(_bit(number)), 0)


def fresh_mask() -> Coalesce:
    """The mask of the action in the outer query (OuterRef "pk"), counted from its links."""
    bits = Value(1, output_field=BigIntegerField()).bitleftshift(
        F("recommendation__objectives__number")
    )
    masks = (
        ActionRecommendation.objects.filter(action=OuterRef("pk"))
        .order_by()
        .values("action")
        .annotate(mask=Sum(bits, distinct=True, output_field=BigIntegerField()))
        .values("mask")
    )
    return Coalesce(Subquery(masks), Value(0), output_field=BigIntegerField())
