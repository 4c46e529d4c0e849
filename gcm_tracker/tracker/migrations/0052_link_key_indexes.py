"""The country and partner links are indexed by country (or organisation) with the action, in
place of the country (organisation) alone: a country's action keys are read from the index alone.
The list of actions filtered by a country and an organisation finds the keys the two have in
common (tracker.filters.ActionFilter.filter_queryset); from the old index PostgreSQL read every
one of Thailand's 32,258 links from the table first (docs/performance.md, "Nineteenth round").

The foreign keys' own indexes are dropped by name, not by altering the fields: on SQLite Django
alters a field by making the table again, which would drop the triggers on it (migrations 0040,
0048, 0049) and break those on other tables that name it.
"""

import django.db.models.deletion
from django.db import migrations, models


# The indexes Django made for the foreign keys (their names are the same on every database).
OLD_INDEXES = [
    ("tracker_actioncountry_country_id_16843ec7", "tracker_actioncountry", "country_id"),
    ("tracker_actionpartner_stakeholder_id_4a552ed5", "tracker_actionpartner", "stakeholder_id"),
]


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0051_published_index_with_key'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='actioncountry',
            index=models.Index(fields=['country', 'action'], name='tracker_actioncountry_keys'),
        ),
        migrations.AddIndex(
            model_name='actionpartner',
            index=models.Index(fields=['stakeholder', 'action'], name='tracker_actionpartner_keys'),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='actioncountry',
                    name='country',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tracker.country'),
                ),
                migrations.AlterField(
                    model_name='actionpartner',
                    name='stakeholder',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tracker.stakeholder'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX {index}",
                    f"CREATE INDEX {index} ON {table} ({column})",
                )
                for index, table, column in OLD_INDEXES
            ],
        ),
    ]
