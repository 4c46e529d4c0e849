"""The partial indexes of published actions of one type, one progress or about one objective
(migrations 0046, 0047) include the columns the list's other kinds of filter test (type,
progress, objective bits): the public list filtered by two or three kinds counts and pages from
one of them alone, an index-only scan, instead of reading every action of the first kind from
the table (type and progress at 2,000,000 actions: 214 ms; docs/performance.md, "Twentieth
round"). Each index is dropped and made again under its name.
"""

import django.db.models.expressions
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0053_country_link_facets'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_type_pub',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_progress_pub',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o1',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o2',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o3',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o4',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o5',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o6',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o7',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o8',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o9',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o10',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o11',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o12',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o13',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o14',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o15',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o16',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o17',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o18',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o19',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o20',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o21',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o22',
        ),
        migrations.RemoveIndex(
            model_name='followupaction',
            name='tracker_action_pub_o23',
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published')), fields=['action_type', '-published_at', '-id'], include=('progress', 'objective_mask'), name='tracker_action_type_pub'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published')), fields=['progress', '-published_at', '-id'], include=('action_type', 'objective_mask'), name='tracker_action_progress_pub'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(2)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o1'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(4)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o2'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(8)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o3'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(16)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o4'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(32)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o5'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(64)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o6'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(128)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o7'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(256)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o8'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(512)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o9'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(1024)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o10'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(2048)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o11'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(4096)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o12'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(8192)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o13'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(16384)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o14'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(32768)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o15'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(65536)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o16'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(131072)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o17'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(262144)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o18'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(524288)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o19'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(1048576)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o20'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(2097152)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o21'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(4194304)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o22'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(condition=models.Q(('review_state', 'published'), django.db.models.lookups.GreaterThan(django.db.models.expressions.CombinedExpression(models.F('objective_mask'), '&', models.Value(8388608)), 0)), fields=['-published_at', '-id'], include=('action_type', 'progress'), name='tracker_action_pub_o23'),
        ),
    ]
