"""Each country link of a follow-up action carries when the action was published
(ActionCountry.action_published_at: its `published_at` while it is published, else empty), kept
by triggers, with an index by country and that date: a country page's newest published actions
are the first entries of that index instead of a walk down every published action testing each
for the country (docs/performance.md, "Eleventh round").

How the triggers work: tracker.link_dates_sql. The migration fills the column first.
"""

from django.db import migrations, models

from gcm_tracker.tracker.link_dates_sql import link_date_sql
from gcm_tracker.tracker.vendor_sql import vendor_sql_operation

# The triggers' SQL, shared with the partners' (migration 0049), is tracker.link_dates_sql's;
# the same statements this migration wrote out when it was made, whitespace apart.
SQL = link_date_sql("tracker_actioncountry", "tracker_action_published_links")


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0039_action_objective_masks"),
    ]

    operations = [
        migrations.AddField(
            model_name="actioncountry",
            name="action_published_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="action published"
            ),
        ),
        vendor_sql_operation(SQL),
        migrations.AddIndex(
            model_name="actioncountry",
            index=models.Index(
                fields=["country", "-action_published_at", "-action"],
                condition=models.Q(action_published_at__isnull=False),
                name="tracker_actioncountry_newest",
            ),
        ),
    ]
