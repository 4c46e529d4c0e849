"""An organisation's workspace lists (its follow-up actions and civil-society assessments, last
changed first) carry the columns the workspace's filters test, so a filtered page or count is an
index-only walk on PostgreSQL (INCLUDE; other databases build the plain index)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0043_queue_objective_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="followupaction", name="tracker_action_org_recent"),
        migrations.AddIndex(
            model_name="followupaction",
            index=models.Index(
                fields=["lead_stakeholder", "-updated_at", "-id"],
                include=["review_state", "objective_mask", "title"],
                name="tracker_action_org_recent",
            ),
        ),
        migrations.RemoveIndex(
            model_name="assessmentsubmission", name="tracker_assesssub_org_recent"
        ),
        migrations.AddIndex(
            model_name="assessmentsubmission",
            index=models.Index(
                fields=["stakeholder", "-updated_at", "-id"],
                include=["review_state", "objective_mask", "country", "recommendation"],
                name="tracker_assesssub_org_recent",
            ),
        ),
    ]
