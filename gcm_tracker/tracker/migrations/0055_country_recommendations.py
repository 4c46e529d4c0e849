"""The recommendations acted on in each country (CountryRecommendation), kept as those each
organisation acted on are (migration 0024): the list of recommendations filtered by a country
reads the country's rows instead of joining every action link (docs/performance.md, "Twentieth
round"). The migration fills the table from the published actions' links (the same SQL on both
databases); services.actions.published_action_counts_add adds to it from then on.
"""

import django.db.models.deletion
from django.db import migrations, models


FILL = """
INSERT INTO tracker_countryrecommendation (country_id, recommendation_id, action_count)
SELECT ac.country_id, ar.recommendation_id, count(*)
FROM tracker_actioncountry ac
JOIN tracker_followupaction a ON a.id = ac.action_id
JOIN tracker_actionrecommendation ar ON ar.action_id = a.id
WHERE a.review_state = 'published'
GROUP BY ac.country_id, ar.recommendation_id
"""


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0054_kinds_in_published_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='CountryRecommendation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action_count', models.PositiveIntegerField(default=0)),
                ('country', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tracker.country')),
                ('recommendation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tracker.recommendation')),
            ],
            options={
                'verbose_name': 'recommendation acted on in a country',
                'verbose_name_plural': 'recommendations acted on in each country',
                'constraints': [models.UniqueConstraint(fields=('country', 'recommendation'), name='tracker_countryrec_unique')],
            },
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
