"""The public list of actions filtered by an objective reads its pages, newest first, and its
count from a partial index of the published actions about that objective, one for each of the 23
(tracker.objective_bits.published_indexes): the count walked every published action, testing
its objective bits. Written out here rather than imported, so the migration stays what it was
when the code changes."""

from django.db import migrations, models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThan


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0046_published_action_filter_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="followupaction",
            index=models.Index(
                fields=["-published_at", "-id"],
                condition=Q(review_state="published")
                & Q(GreaterThan(F("objective_mask").bitand(1 << number), 0)),
                name=f"tracker_action_pub_o{number}",
            ),
        )
        for number in range(1, 24)
    ]
