"""The list of recommendations with a status chosen and sorted by date (most recently updated,
longest without an update): an index per sort leading with the status, so a status's rows come in
the sort's order. The sorts' own indexes (migrations 0057, 0061) walked every recommendation
never updated (most of them, all "no information") before the first of another status, or
every updated one before the first never updated: 110 to 200 ms at N = 200,000.
"""


import datetime
import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0061_updated_sort_never_updated_last'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='recommendation',
            index=models.Index(models.F('status'), models.OrderBy(django.db.models.functions.comparison.Coalesce('status_changed_at', models.Value(datetime.datetime(1900, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), descending=True), models.F('consultation_id'), models.F('paragraph'), include=('id',), name='tracker_rec_status_updated'),
        ),
        migrations.AddIndex(
            model_name='recommendation',
            index=models.Index(models.F('status'), django.db.models.functions.comparison.Coalesce('status_changed_at', 'created_at'), models.F('consultation_id'), models.F('paragraph'), include=('id',), name='tracker_rec_status_quiet'),
        ),
    ]
