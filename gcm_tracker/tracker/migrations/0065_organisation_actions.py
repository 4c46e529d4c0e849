"""Each organisation's published actions, once however it took part (StakeholderAction): the
public list of actions filtered by an organisation counts and pages its rows from one index
instead of merging the actions it led with its partner links (a deep page at 2,000,000 actions
merged and sorted 8,000 entries). The migration fills the table from the published actions,
their lead organisations and partners (the same SQL on both databases), then indexes it;
services.actions.published_action_counts_add adds to it from then on.
"""

import django.db.models.deletion
from django.db import migrations, models

# Each published action once per organisation that took part (its lead, each partner).
FILL = """
INSERT INTO tracker_stakeholderaction (stakeholder_id, action_id, action_published_at)
SELECT a.lead_stakeholder_id, a.id, a.published_at
FROM tracker_followupaction a WHERE a.review_state = 'published'
UNION
SELECT ap.stakeholder_id, a.id, a.published_at
FROM tracker_actionpartner ap JOIN tracker_followupaction a ON a.id = ap.action_id
WHERE a.review_state = 'published'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0064_published_action_objective_days"),
    ]

    operations = [
        migrations.CreateModel(
            name="StakeholderAction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("action_published_at", models.DateTimeField(verbose_name="action published")),
                (
                    "action",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="tracker.followupaction",
                    ),
                ),
                (
                    "stakeholder",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="tracker.stakeholder",
                    ),
                ),
            ],
            options={
                "verbose_name": "organisation's action",
                "verbose_name_plural": "organisations' actions",
            },
        ),
        # Filled before it is indexed: building the indexes once is faster than growing them.
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="stakeholderaction",
            index=models.Index(
                fields=["stakeholder", "-action_published_at", "-action"],
                name="tracker_stakeaction_newest",
            ),
        ),
        migrations.AddConstraint(
            model_name="stakeholderaction",
            constraint=models.UniqueConstraint(
                fields=("action", "stakeholder"), name="tracker_stakeaction_unique"
            ),
        ),
    ]
