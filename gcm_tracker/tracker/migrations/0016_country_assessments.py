"""The country dimension (tracker.country_models) and the scope of recommendations.

Adding a NOT NULL column and a constraint to tracker_recommendation makes Django rebuild the table
on SQLite (copy, drop, rename). Dropping it would drop the objective-count trigger on it, and the
triggers on the link table that read it would stop the rename, so on SQLite those triggers of
migration 0007 are dropped before and created again after (PostgreSQL alters in place).
"""

from importlib import import_module

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


OBJECTIVE_COUNTS = import_module("gcm_tracker.tracker.migrations.0007_objective_status_counts")


def _sqlite_triggers(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            with schema_editor.connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)

    return run


drop_sqlite_triggers = _sqlite_triggers(OBJECTIVE_COUNTS.SQLITE_REVERSE)
create_sqlite_triggers = _sqlite_triggers(OBJECTIVE_COUNTS.SQLITE_FORWARD)


class Migration(migrations.Migration):

    dependencies = [
        ("tracker", "0015_report_sub_items_and_document_symbol"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Assessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('no_information', 'No information'), ('not_started', 'Not started'), ('limited_progress', 'Limited progress'), ('substantial_progress', 'Substantial progress'), ('implemented', 'Implemented')], max_length=24, verbose_name='status')),
                ('summary', models.TextField(verbose_name='summary')),
                ('source_title', models.CharField(blank=True, max_length=300, verbose_name='source')),
                ('source_url', models.URLField(blank=True, max_length=500, validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='source link')),
                ('source_date', models.DateField(blank=True, null=True, verbose_name='source date')),
                ('effective_date', models.DateField(verbose_name='effective date')),
                ('voice', models.CharField(choices=[('official', 'Official'), ('civil_society', 'Civil society')], max_length=20, verbose_name='voice')),
                ('version', models.PositiveIntegerField(default=0, verbose_name='version')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
            ],
            options={
                'verbose_name': 'country assessment',
                'verbose_name_plural': 'country assessments',
                'ordering': ['recommendation_id', 'country_id', 'voice', 'stakeholder_id'],
                'permissions': [('record_official', 'Can record official country assessments')],
            },
        ),
        migrations.CreateModel(
            name='AssessmentChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('no_information', 'No information'), ('not_started', 'Not started'), ('limited_progress', 'Limited progress'), ('substantial_progress', 'Substantial progress'), ('implemented', 'Implemented')], max_length=24, verbose_name='status')),
                ('summary', models.TextField(verbose_name='summary')),
                ('source_title', models.CharField(blank=True, max_length=300, verbose_name='source')),
                ('source_url', models.URLField(blank=True, max_length=500, validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='source link')),
                ('source_date', models.DateField(blank=True, null=True, verbose_name='source date')),
                ('effective_date', models.DateField(verbose_name='effective date')),
                ('old_status', models.CharField(blank=True, choices=[('no_information', 'No information'), ('not_started', 'Not started'), ('limited_progress', 'Limited progress'), ('substantial_progress', 'Substantial progress'), ('implemented', 'Implemented')], max_length=24, verbose_name='from')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('changed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
            ],
            options={
                'verbose_name': 'assessment change',
                'verbose_name_plural': 'assessment changes',
                'ordering': ['-changed_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='AssessmentStatusCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('voice', models.CharField(choices=[('official', 'Official'), ('civil_society', 'Civil society')], max_length=20)),
                ('status', models.CharField(choices=[('no_information', 'No information'), ('not_started', 'Not started'), ('limited_progress', 'Limited progress'), ('substantial_progress', 'Substantial progress'), ('implemented', 'Implemented')], max_length=24)),
                ('count', models.IntegerField(default=0)),
            ],
            options={
                'verbose_name': 'assessment status count',
                'verbose_name_plural': 'assessment status counts',
            },
        ),
        migrations.CreateModel(
            name='AssessmentSubmission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('no_information', 'No information'), ('not_started', 'Not started'), ('limited_progress', 'Limited progress'), ('substantial_progress', 'Substantial progress'), ('implemented', 'Implemented')], max_length=24, verbose_name='status')),
                ('summary', models.TextField(verbose_name='summary')),
                ('source_title', models.CharField(blank=True, max_length=300, verbose_name='source')),
                ('source_url', models.URLField(blank=True, max_length=500, validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='source link')),
                ('source_date', models.DateField(blank=True, null=True, verbose_name='source date')),
                ('effective_date', models.DateField(verbose_name='effective date')),
                ('review_state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for review'), ('published', 'Published'), ('returned', 'Returned for changes')], default='draft', max_length=20, verbose_name='review state')),
                ('review_note', models.TextField(blank=True, verbose_name="reviewer's reason")),
                ('version', models.PositiveIntegerField(default=0, verbose_name='version')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published')),
            ],
            options={
                'verbose_name': 'civil-society assessment',
                'verbose_name_plural': 'civil-society assessments',
                'ordering': ['-updated_at', '-id'],
                'permissions': [('review_assessmentsubmission', 'Can publish or return civil-society assessments')],
            },
        ),
        migrations.CreateModel(
            name='RecommendationScopeArea',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subregion', models.CharField(blank=True, choices=[('east_north_east_asia', 'East and North-East Asia'), ('north_central_asia', 'North and Central Asia'), ('pacific', 'Pacific'), ('south_south_west_asia', 'South and South-West Asia'), ('south_east_asia', 'South-East Asia')], max_length=30, verbose_name='subregion')),
            ],
            options={
                'verbose_name': 'scope area',
                'verbose_name_plural': 'scope areas',
            },
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='scope',
            field=models.CharField(choices=[('escap', 'Every ESCAP member and associate member'), ('selected', 'Selected subregions or countries'), ('regional', 'Regional only')], default='escap', max_length=20, verbose_name='applies to'),
        ),
        migrations.RunPython(drop_sqlite_triggers, create_sqlite_triggers),
        migrations.AddField(
            model_name='recommendation',
            name='scope',
            field=models.CharField(choices=[('escap', 'Every ESCAP member and associate member'), ('selected', 'Selected subregions or countries'), ('regional', 'Regional only')], default='escap', max_length=20, verbose_name='applies to'),
        ),
        migrations.AddConstraint(
            model_name='recommendation',
            constraint=models.CheckConstraint(condition=models.Q(('scope__in', ['escap', 'selected', 'regional'])), name='tracker_recommendation_scope_valid'),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers),
        migrations.AddField(
            model_name='assessment',
            name='country',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='tracker.country', verbose_name='country'),
        ),
        migrations.AddField(
            model_name='assessment',
            name='recommendation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='tracker.recommendation', verbose_name='recommendation'),
        ),
        migrations.AddField(
            model_name='assessment',
            name='stakeholder',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='tracker.stakeholder', verbose_name='organisation'),
        ),
        migrations.AddField(
            model_name='assessmentchange',
            name='assessment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='changes', to='tracker.assessment', verbose_name='assessment'),
        ),
        migrations.AddField(
            model_name='assessmentchange',
            name='changed_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='changed by'),
        ),
        migrations.AddField(
            model_name='assessmentstatuscount',
            name='country',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tracker.country'),
        ),
        migrations.AddField(
            model_name='assessmentstatuscount',
            name='objective',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tracker.objective'),
        ),
        migrations.AddField(
            model_name='assessmentstatuscount',
            name='recommendation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tracker.recommendation'),
        ),
        migrations.AddField(
            model_name='assessmentsubmission',
            name='country',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tracker.country', verbose_name='country'),
        ),
        migrations.AddField(
            model_name='assessmentsubmission',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by'),
        ),
        migrations.AddField(
            model_name='assessmentsubmission',
            name='recommendation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessment_submissions', to='tracker.recommendation', verbose_name='recommendation'),
        ),
        migrations.AddField(
            model_name='assessmentsubmission',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by'),
        ),
        migrations.AddField(
            model_name='assessmentsubmission',
            name='stakeholder',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessment_submissions', to='tracker.stakeholder', verbose_name='organisation'),
        ),
        migrations.AddField(
            model_name='assessmentchange',
            name='submission',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tracker.assessmentsubmission', verbose_name='submission'),
        ),
        migrations.AddField(
            model_name='recommendationscopearea',
            name='country',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tracker.country', verbose_name='country'),
        ),
        migrations.AddField(
            model_name='recommendationscopearea',
            name='recommendation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scope_areas', to='tracker.recommendation', verbose_name='recommendation'),
        ),
        migrations.AddIndex(
            model_name='assessment',
            index=models.Index(fields=['country', 'recommendation'], name='tracker_assessment_country'),
        ),
        migrations.AddIndex(
            model_name='assessment',
            index=models.Index(fields=['-recorded_at', '-id'], name='tracker_assessment_latest'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('voice__in', ['official', 'civil_society'])), name='tracker_assessment_voice_valid'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['no_information', 'not_started', 'limited_progress', 'substantial_progress', 'implemented'])), name='tracker_assessment_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('voice', 'official'), ('stakeholder__isnull', True)), models.Q(('voice', 'civil_society'), ('stakeholder__isnull', False)), _connector='OR'), name='tracker_assessment_voice_stakeholder'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.UniqueConstraint(condition=models.Q(('voice', 'official')), fields=('recommendation', 'country'), name='tracker_assessment_unique_official'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.UniqueConstraint(condition=models.Q(('voice', 'civil_society')), fields=('recommendation', 'country', 'stakeholder'), name='tracker_assessment_unique_civil_society'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('source_url', ''), ('source_url__startswith', 'http://'), ('source_url__startswith', 'https://'), _connector='OR'), name='tracker_assessment_source_http'),
        ),
        migrations.AddConstraint(
            model_name='assessmentstatuscount',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('recommendation__isnull', False), ('country__isnull', True), ('objective__isnull', True)), models.Q(('recommendation__isnull', True), ('country__isnull', False), ('objective__isnull', False)), _connector='OR'), name='tracker_assesscount_one_kind'),
        ),
        migrations.AddConstraint(
            model_name='assessmentstatuscount',
            constraint=models.UniqueConstraint(condition=models.Q(('recommendation__isnull', False)), fields=('recommendation', 'voice', 'status'), name='tracker_assesscount_unique_rec'),
        ),
        migrations.AddConstraint(
            model_name='assessmentstatuscount',
            constraint=models.UniqueConstraint(condition=models.Q(('country__isnull', False)), fields=('country', 'objective', 'voice', 'status'), name='tracker_assesscount_unique_country'),
        ),
        migrations.AddIndex(
            model_name='assessmentsubmission',
            index=models.Index(fields=['review_state', 'submitted_at'], name='tracker_assesssub_queue'),
        ),
        migrations.AddIndex(
            model_name='assessmentsubmission',
            index=models.Index(fields=['stakeholder', 'review_state'], name='tracker_assesssub_org'),
        ),
        migrations.AddConstraint(
            model_name='assessmentsubmission',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['no_information', 'not_started', 'limited_progress', 'substantial_progress', 'implemented'])), name='tracker_assesssub_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='assessmentsubmission',
            constraint=models.CheckConstraint(condition=models.Q(('review_state__in', ['draft', 'submitted', 'published', 'returned'])), name='tracker_assesssub_review_state_valid'),
        ),
        migrations.AddConstraint(
            model_name='assessmentsubmission',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('review_state', 'returned'), _negated=True), models.Q(('review_note', ''), _negated=True), _connector='OR'), name='tracker_assesssub_returned_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='assessmentsubmission',
            constraint=models.CheckConstraint(condition=models.Q(('source_url', ''), ('source_url__startswith', 'http://'), ('source_url__startswith', 'https://'), _connector='OR'), name='tracker_assesssub_source_http'),
        ),
        migrations.AddIndex(
            model_name='assessmentchange',
            index=models.Index(fields=['assessment', 'changed_at'], name='tracker_assesschange_cell_at'),
        ),
        migrations.AddIndex(
            model_name='assessmentchange',
            index=models.Index(fields=['-changed_at', '-id'], name='tracker_assesschange_latest'),
        ),
        migrations.AddConstraint(
            model_name='assessmentchange',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['no_information', 'not_started', 'limited_progress', 'substantial_progress', 'implemented'])), name='tracker_assesschange_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='assessmentchange',
            constraint=models.CheckConstraint(condition=models.Q(('old_status', ''), ('old_status__in', ['no_information', 'not_started', 'limited_progress', 'substantial_progress', 'implemented']), _connector='OR'), name='tracker_assesschange_old_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='recommendationscopearea',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('subregion', ''), ('country__isnull', False)), models.Q(models.Q(('subregion', ''), _negated=True), ('country__isnull', True)), _connector='OR'), name='tracker_scopearea_one_kind'),
        ),
        migrations.AddConstraint(
            model_name='recommendationscopearea',
            constraint=models.CheckConstraint(condition=models.Q(('subregion', ''), ('subregion__in', ['east_north_east_asia', 'north_central_asia', 'pacific', 'south_south_west_asia', 'south_east_asia']), _connector='OR'), name='tracker_scopearea_subregion_valid'),
        ),
        migrations.AddConstraint(
            model_name='recommendationscopearea',
            constraint=models.UniqueConstraint(condition=models.Q(('subregion', ''), _negated=True), fields=('recommendation', 'subregion'), name='tracker_scopearea_unique_subregion'),
        ),
        migrations.AddConstraint(
            model_name='recommendationscopearea',
            constraint=models.UniqueConstraint(condition=models.Q(('country__isnull', False)), fields=('recommendation', 'country'), name='tracker_scopearea_unique_country'),
        ),
    ]
