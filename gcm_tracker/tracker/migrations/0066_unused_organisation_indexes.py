"""Two indexes nothing reads since StakeholderAction (migration 0065) lists each organisation's
published actions: the organisation's newest led actions (tracker_action_org_published, on
2,000,000 actions at N = 200,000) and its newest partner links (tracker_actionpartner_newest).
The stakeholder page's newest actions merged the two; it now reads the kept list's index as the
list of actions filtered by the organisation does. Every write of an action or a partner link
kept them up to date for nothing.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0065_organisation_actions"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="actionpartner",
            name="tracker_actionpartner_newest",
        ),
        migrations.RemoveIndex(
            model_name="followupaction",
            name="tracker_action_org_published",
        ),
    ]
