"""The published actions' index holds their key, in the public list's order (newest first): a
deep page of the list, which starts from the day that holds its first row (tracker.action_pages),
reads that day's keys from the index alone instead of visiting each action (at N = 200,000, a day
held 21,875 published actions: that page's keys 20 ms -> 5 ms; docs/performance.md, "Nineteenth
round")."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0050_status_in_search_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_published',
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(fields=['review_state', '-published_at', '-id'], name='tracker_action_published'),
        ),
    ]
