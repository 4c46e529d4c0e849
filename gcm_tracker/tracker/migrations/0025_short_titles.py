"""A short title for recommendations and good practices (blank until staff, the seed or the
importer give one).

Adding a column to tracker_recommendation makes Django rebuild the table on SQLite, so the
objective-count triggers of migration 0007 are dropped before and created again after, as in
migration 0016 (PostgreSQL alters in place).
"""

from importlib import import_module

import gcm_tracker.tracker.validators
from django.db import migrations, models

COUNTRY_ASSESSMENTS = import_module("gcm_tracker.tracker.migrations.0016_country_assessments")
drop_sqlite_triggers = COUNTRY_ASSESSMENTS.drop_sqlite_triggers
create_sqlite_triggers = COUNTRY_ASSESSMENTS.create_sqlite_triggers


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0024_stakeholder_recommendations'),
    ]

    operations = [
        migrations.AddField(
            model_name='goodpractice',
            name='short_title',
            field=models.CharField(blank=True, help_text='A faithful summary of the paragraph in at most 90 characters.', max_length=90, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short title'),
        ),
        migrations.AddField(
            model_name='historicalgoodpractice',
            name='short_title',
            field=models.CharField(blank=True, help_text='A faithful summary of the paragraph in at most 90 characters.', max_length=90, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short title'),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='short_title',
            field=models.CharField(blank=True, help_text='A faithful summary of the paragraph in at most 90 characters.', max_length=90, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short title'),
        ),
        migrations.RunPython(drop_sqlite_triggers, create_sqlite_triggers),
        migrations.AddField(
            model_name='recommendation',
            name='short_title',
            field=models.CharField(blank=True, help_text='A faithful summary of the paragraph in at most 90 characters.', max_length=90, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short title'),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers),
    ]
