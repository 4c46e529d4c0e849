"""The review queues filtered by an objective: for each of the 23 objectives, a partial index of
the submitted follow-up actions (and civil-society assessments) about it, in queue order
(tracker.objective_bits). Written out here rather than imported, so the migration stays what it
was when the code changes."""

from django.db import migrations, models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThan


def _queue_indexes(model_name: str, prefix: str) -> list:
    return [
        migrations.AddIndex(
            model_name=model_name,
            index=models.Index(
                fields=["submitted_at", "id"],
                condition=Q(review_state="submitted")
                & Q(GreaterThan(F("objective_mask").bitand(1 << number), 0)),
                name=f"{prefix}_o{number}",
            ),
        )
        for number in range(1, 24)
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0042_recommendation_block_counts"),
    ]

    operations = [
        *_queue_indexes("followupaction", "tracker_action_queue"),
        *_queue_indexes("assessmentsubmission", "tracker_assesssub_queue"),
    ]
