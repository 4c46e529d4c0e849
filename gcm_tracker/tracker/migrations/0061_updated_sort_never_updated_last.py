"""The list of recommendations "most recently updated" ends with the never updated on PostgreSQL
too: a descending order put their empty dates first there (SQLite puts them last), so at
N = 200,000 the list opened on 80,000 recommendations without a status change, and a status
filter with that sort walked them all before its first row (200 ms). The sort is now on
models.UPDATED_OR_NEVER (the never changed dated 1900), and its index (migration 0057) is made
again on that expression.
"""


import datetime
import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0060_objective_counts_follow_moved_links'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='recommendation',
            name='tracker_rec_sort_updated',
        ),
        migrations.AddIndex(
            model_name='recommendation',
            index=models.Index(models.OrderBy(django.db.models.functions.comparison.Coalesce('status_changed_at', models.Value(datetime.datetime(1900, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), descending=True), models.F('consultation_id'), models.F('paragraph'), include=('id', 'status_changed_at'), name='tracker_rec_sort_updated'),
        ),
    ]
