"""Sub-items of report paragraphs (86(a)) as rows of their own, and a consultation's document
symbol.

SQLite rebuilds a table to change its unique constraint, and its triggers on the recommendation
table (migration 0007) stop the rebuild: they are dropped first and created again after, with
the counts they keep unchanged (no row changes here). PostgreSQL alters the table in place.
"""

import importlib

from django.db import migrations, models

_COUNTS = importlib.import_module("gcm_tracker.tracker.migrations.0007_objective_status_counts")


def _sqlite_triggers(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


DROP_TRIGGERS = _sqlite_triggers(_COUNTS.SQLITE_REVERSE)
CREATE_TRIGGERS = _sqlite_triggers(_COUNTS.SQLITE_FORWARD)


class Migration(migrations.Migration):

    dependencies = [
        ("tracker", "0014_links_are_uris"),
    ]

    operations = [
        migrations.RunPython(DROP_TRIGGERS, CREATE_TRIGGERS),
        migrations.AlterModelOptions(
            name='goodpractice',
            options={'ordering': ['consultation_id', 'paragraph', 'sub_item'], 'verbose_name': 'good practice', 'verbose_name_plural': 'good practices'},
        ),
        migrations.AlterModelOptions(
            name='recommendation',
            options={'ordering': ['consultation_id', 'paragraph', 'sub_item'], 'permissions': [('set_status', 'Can set the implementation status')], 'verbose_name': 'recommendation', 'verbose_name_plural': 'recommendations'},
        ),
        migrations.RemoveConstraint(
            model_name='goodpractice',
            name='tracker_goodpractice_unique_paragraph',
        ),
        migrations.RemoveConstraint(
            model_name='recommendation',
            name='tracker_recommendation_unique_paragraph',
        ),
        migrations.AddField(
            model_name='consultation',
            name='document_symbol',
            field=models.CharField(blank=True, help_text="The report's UN document symbol, such as A/75/183.", max_length=60, verbose_name='document symbol'),
        ),
        migrations.AddField(
            model_name='goodpractice',
            name='sub_item',
            field=models.CharField(blank=True, default='', help_text='The letter or number of an item of the paragraph, such as “a” of 86(a).', max_length=8, verbose_name='sub-item'),
        ),
        migrations.AddField(
            model_name='historicalconsultation',
            name='document_symbol',
            field=models.CharField(blank=True, help_text="The report's UN document symbol, such as A/75/183.", max_length=60, verbose_name='document symbol'),
        ),
        migrations.AddField(
            model_name='historicalgoodpractice',
            name='sub_item',
            field=models.CharField(blank=True, default='', help_text='The letter or number of an item of the paragraph, such as “a” of 86(a).', max_length=8, verbose_name='sub-item'),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='sub_item',
            field=models.CharField(blank=True, default='', help_text='The letter or number of an item of the paragraph, such as “a” of 86(a).', max_length=8, verbose_name='sub-item'),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='sub_item',
            field=models.CharField(blank=True, default='', help_text='The letter or number of an item of the paragraph, such as “a” of 86(a).', max_length=8, verbose_name='sub-item'),
        ),
        migrations.AddConstraint(
            model_name='goodpractice',
            constraint=models.UniqueConstraint(fields=('consultation', 'paragraph', 'sub_item'), name='tracker_goodpractice_unique_paragraph'),
        ),
        migrations.AddConstraint(
            model_name='recommendation',
            constraint=models.UniqueConstraint(fields=('consultation', 'paragraph', 'sub_item'), name='tracker_recommendation_unique_paragraph'),
        ),
        migrations.RunPython(CREATE_TRIGGERS, DROP_TRIGGERS),
]
