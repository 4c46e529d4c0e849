"""Each partner link of a follow-up action carries when the action was published
(ActionPartner.action_published_at: its `published_at` while it is published, else empty), kept
by triggers as the country links' are (migration 0040, tracker.link_dates_sql), with an index by
organisation and that date: the list of an organisation's actions takes the newest it partnered
from that index, as those it led from theirs, instead of reading every one of them to sort
(docs/performance.md, "Eighteenth round"). The migration fills the column first.
"""

from django.db import migrations, models

from gcm_tracker.tracker.link_dates_sql import link_date_sql
from gcm_tracker.tracker.vendor_sql import vendor_sql_operation

SQL = link_date_sql("tracker_actionpartner", "tracker_action_published_partners")


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0048_published_action_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="actionpartner",
            name="action_published_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="action published"
            ),
        ),
        vendor_sql_operation(SQL),
        migrations.AddIndex(
            model_name="actionpartner",
            index=models.Index(
                condition=models.Q(action_published_at__isnull=False),
                fields=["stakeholder", "-action_published_at", "-action"],
                name="tracker_actionpartner_newest",
            ),
        ),
    ]
