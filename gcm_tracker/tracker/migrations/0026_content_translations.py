"""Columns for staff's translations of public texts into French, Russian and Simplified Chinese
(translation.py), and which UN names are our own translation.

Every column has a constant default, also in the database, so PostgreSQL adds it without
rewriting the table (cheap at 200,000 recommendations), and raw inserts need not name it. Adding a
column to tracker_recommendation makes Django rebuild the table on SQLite, so the objective-count
triggers of migration 0007 are dropped before and created again after, as in migrations 0016 and
0025.
"""

from importlib import import_module

import gcm_tracker.tracker.translation
import gcm_tracker.tracker.validators

from django.db import migrations, models

COUNTRY_ASSESSMENTS = import_module("gcm_tracker.tracker.migrations.0016_country_assessments")
drop_sqlite_triggers = COUNTRY_ASSESSMENTS.drop_sqlite_triggers
create_sqlite_triggers = COUNTRY_ASSESSMENTS.create_sqlite_triggers


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0025_short_titles'),
    ]

    operations = [
        migrations.AddField(
            model_name='consultation',
            name='title_fr',
            field=models.CharField(blank=True, db_default='', default='', max_length=300, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='title (French)'),
        ),
        migrations.AddField(
            model_name='consultation',
            name='title_ru',
            field=models.CharField(blank=True, db_default='', default='', max_length=300, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='title (Russian)'),
        ),
        migrations.AddField(
            model_name='consultation',
            name='title_zh_hans',
            field=models.CharField(blank=True, db_default='', default='', max_length=300, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='title (Simplified Chinese)'),
        ),
        migrations.AddField(
            model_name='goodpractice',
            name='short_title_fr',
            field=models.CharField(blank=True, db_default='', default='', max_length=90, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short title (French)'),
        ),
        migrations.AddField(
            model_name='goodpractice',
            name='short_title_ru',
            field=models.CharField(blank=True, db_default='', default='', max_length=90, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short title (Russian)'),
        ),
        migrations.AddField(
            model_name='goodpractice',
            name='short_title_zh_hans',
            field=models.CharField(blank=True, db_default='', default='', max_length=90, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short title (Simplified Chinese)'),
        ),
        migrations.AddField(
            model_name='goodpractice',
            name='text_fr',
            field=models.TextField(blank=True, db_default='', default='', validators=[gcm_tracker.tracker.validators.ControlCharacterValidator(multi_line=True)], verbose_name='text (French)'),
        ),
        migrations.AddField(
            model_name='goodpractice',
            name='text_ru',
            field=models.TextField(blank=True, db_default='', default='', validators=[gcm_tracker.tracker.validators.ControlCharacterValidator(multi_line=True)], verbose_name='text (Russian)'),
        ),
        migrations.AddField(
            model_name='goodpractice',
            name='text_zh_hans',
            field=models.TextField(blank=True, db_default='', default='', validators=[gcm_tracker.tracker.validators.ControlCharacterValidator(multi_line=True)], verbose_name='text (Simplified Chinese)'),
        ),
        migrations.AddField(
            model_name='guidingprinciple',
            name='name_fr',
            field=models.CharField(blank=True, db_default='', default='', max_length=80, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='name (French)'),
        ),
        migrations.AddField(
            model_name='guidingprinciple',
            name='name_ru',
            field=models.CharField(blank=True, db_default='', default='', max_length=80, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='name (Russian)'),
        ),
        migrations.AddField(
            model_name='guidingprinciple',
            name='name_zh_hans',
            field=models.CharField(blank=True, db_default='', default='', max_length=80, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='name (Simplified Chinese)'),
        ),
        migrations.AddField(
            model_name='guidingprinciple',
            name='unofficial_languages',
            field=models.CharField(blank=True, db_default='', default='', help_text="Languages whose names here are our translation, not the UN's official wording. Untick a language once its names are replaced by the official wording.", max_length=40, validators=[gcm_tracker.tracker.translation.validate_language_list], verbose_name='unofficial translations'),
        ),
        migrations.AddField(
            model_name='historicalconsultation',
            name='title_fr',
            field=models.CharField(blank=True, db_default='', default='', max_length=300, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='title (French)'),
        ),
        migrations.AddField(
            model_name='historicalconsultation',
            name='title_ru',
            field=models.CharField(blank=True, db_default='', default='', max_length=300, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='title (Russian)'),
        ),
        migrations.AddField(
            model_name='historicalconsultation',
            name='title_zh_hans',
            field=models.CharField(blank=True, db_default='', default='', max_length=300, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='title (Simplified Chinese)'),
        ),
        migrations.AddField(
            model_name='historicalgoodpractice',
            name='short_title_fr',
            field=models.CharField(blank=True, db_default='', default='', max_length=90, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short title (French)'),
        ),
        migrations.AddField(
            model_name='historicalgoodpractice',
            name='short_title_ru',
            field=models.CharField(blank=True, db_default='', default='', max_length=90, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short title (Russian)'),
        ),
        migrations.AddField(
            model_name='historicalgoodpractice',
            name='short_title_zh_hans',
            field=models.CharField(blank=True, db_default='', default='', max_length=90, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short title (Simplified Chinese)'),
        ),
        migrations.AddField(
            model_name='historicalgoodpractice',
            name='text_fr',
            field=models.TextField(blank=True, db_default='', default='', validators=[gcm_tracker.tracker.validators.ControlCharacterValidator(multi_line=True)], verbose_name='text (French)'),
        ),
        migrations.AddField(
            model_name='historicalgoodpractice',
            name='text_ru',
            field=models.TextField(blank=True, db_default='', default='', validators=[gcm_tracker.tracker.validators.ControlCharacterValidator(multi_line=True)], verbose_name='text (Russian)'),
        ),
        migrations.AddField(
            model_name='historicalgoodpractice',
            name='text_zh_hans',
            field=models.TextField(blank=True, db_default='', default='', validators=[gcm_tracker.tracker.validators.ControlCharacterValidator(multi_line=True)], verbose_name='text (Simplified Chinese)'),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='short_title_fr',
            field=models.CharField(blank=True, db_default='', default='', max_length=90, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short title (French)'),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='short_title_ru',
            field=models.CharField(blank=True, db_default='', default='', max_length=90, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short title (Russian)'),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='short_title_zh_hans',
            field=models.CharField(blank=True, db_default='', default='', max_length=90, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short title (Simplified Chinese)'),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='text_fr',
            field=models.TextField(blank=True, db_default='', default='', validators=[gcm_tracker.tracker.validators.ControlCharacterValidator(multi_line=True)], verbose_name='text (French)'),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='text_ru',
            field=models.TextField(blank=True, db_default='', default='', validators=[gcm_tracker.tracker.validators.ControlCharacterValidator(multi_line=True)], verbose_name='text (Russian)'),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='text_zh_hans',
            field=models.TextField(blank=True, db_default='', default='', validators=[gcm_tracker.tracker.validators.ControlCharacterValidator(multi_line=True)], verbose_name='text (Simplified Chinese)'),
        ),
        migrations.AddField(
            model_name='objective',
            name='short_label_fr',
            field=models.CharField(blank=True, db_default='', default='', max_length=80, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short label (French)'),
        ),
        migrations.AddField(
            model_name='objective',
            name='short_label_ru',
            field=models.CharField(blank=True, db_default='', default='', max_length=80, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short label (Russian)'),
        ),
        migrations.AddField(
            model_name='objective',
            name='short_label_zh_hans',
            field=models.CharField(blank=True, db_default='', default='', max_length=80, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short label (Simplified Chinese)'),
        ),
        migrations.AddField(
            model_name='objective',
            name='title_fr',
            field=models.CharField(blank=True, db_default='', default='', max_length=255, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='title (French)'),
        ),
        migrations.AddField(
            model_name='objective',
            name='title_ru',
            field=models.CharField(blank=True, db_default='', default='', max_length=255, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='title (Russian)'),
        ),
        migrations.AddField(
            model_name='objective',
            name='title_zh_hans',
            field=models.CharField(blank=True, db_default='', default='', max_length=255, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='title (Simplified Chinese)'),
        ),
        migrations.AddField(
            model_name='objective',
            name='unofficial_languages',
            field=models.CharField(blank=True, db_default='', default='', help_text="Languages whose names here are our translation, not the UN's official wording. Untick a language once its names are replaced by the official wording.", max_length=40, validators=[gcm_tracker.tracker.translation.validate_language_list], verbose_name='unofficial translations'),
        ),
        migrations.RunPython(drop_sqlite_triggers, create_sqlite_triggers),
        migrations.AddField(
            model_name='recommendation',
            name='short_title_fr',
            field=models.CharField(blank=True, db_default='', default='', max_length=90, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short title (French)'),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='short_title_ru',
            field=models.CharField(blank=True, db_default='', default='', max_length=90, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short title (Russian)'),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='short_title_zh_hans',
            field=models.CharField(blank=True, db_default='', default='', max_length=90, validators=[gcm_tracker.tracker.validators.ControlCharacterValidator()], verbose_name='short title (Simplified Chinese)'),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='text_fr',
            field=models.TextField(blank=True, db_default='', default='', validators=[gcm_tracker.tracker.validators.ControlCharacterValidator(multi_line=True)], verbose_name='text (French)'),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='text_ru',
            field=models.TextField(blank=True, db_default='', default='', validators=[gcm_tracker.tracker.validators.ControlCharacterValidator(multi_line=True)], verbose_name='text (Russian)'),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='text_zh_hans',
            field=models.TextField(blank=True, db_default='', default='', validators=[gcm_tracker.tracker.validators.ControlCharacterValidator(multi_line=True)], verbose_name='text (Simplified Chinese)'),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers),
    ]
