"""Write the whole database as portable JSON, to move it between SQLite and PostgreSQL.

    python manage.py export_data -o data.json           # on the source
    python manage.py migrate && python manage.py loaddata data.json   # on an empty target

Primary keys are kept, because history tables (django-simple-history) refer to rows by primary
key in a plain column that loaddata cannot translate; references to content types, permissions,
users and other rows with a natural key are written as natural keys (--natural-foreign), so
they resolve to whatever ids `migrate` gave them on the target. Left out: content types and
permissions (`migrate` creates them), sessions (everyone signs in again), the summary rows the
target's triggers rebuild as recommendations, actions, their links, their status history and
assessments are loaded (the objective breakdown, the counts by scope and of disagreements, the
regional status changes per day, the assessments per block of recommendations, the SELECTED
recommendations per country and subregion, the published actions of each type, progress
and objective and of each combination, in all and per country, and about each objective per
day), the public-data generation,
which the target starts afresh (tracker.cache), and briefing packs (a cache of files: asked for
again, they are rebuilt).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "tracker.ObjectiveStatusCount",
    "tracker.ScopeStatusCount",
    "tracker.ObjectiveScopeCount",
    "tracker.DisagreementCount",
    "tracker.RegionalChangeDayCount",
    "tracker.RegionalChangeScopeDayCount",
    "tracker.RegionalChangeObjectiveDayCount",
    "tracker.AssessmentBlockCount",
    "tracker.RecommendationBlockCount",
    "tracker.SelectedAreaCount",
    "tracker.PublishedActionCount",
    "tracker.PublishedActionObjectiveDayCount",
    "tracker.CountryActionCount",
    "tracker.PublicGeneration",
    # Briefing packs are a cache of files made on request; asked for again, they are rebuilt.
    "briefings",
]


class Command(BaseCommand):
    help = "Write every row as JSON with natural foreign keys, for loaddata on another database."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="File to write (JSON).")

    def handle(self, *args, output, **options):
        call_command(
            "dumpdata",
            natural_foreign=True,
            exclude=EXCLUDED,
            indent=1,
            output=output,
            verbosity=options["verbosity"],
        )
