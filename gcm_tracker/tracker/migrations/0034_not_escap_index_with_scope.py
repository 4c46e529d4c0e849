"""The index of recommendations of another scope than ESCAP carries their scope, so those of one
scope (the country map's SELECTED ones) are read from the index alone (models.Recommendation)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0033_consultation_date_index'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='recommendation',
            name='tracker_rec_not_escap',
        ),
        migrations.AddIndex(
            model_name='recommendation',
            index=models.Index(condition=models.Q(('scope', 'escap'), _negated=True), fields=['scope', 'id'], name='tracker_rec_not_escap_scope'),
        ),
    ]
