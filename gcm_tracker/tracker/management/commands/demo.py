import io

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _

from gcm_tracker.tracker.demo import CONSULTATION, demo_build
from gcm_tracker.tracker.models import Consultation


class Command(BaseCommand):
    help = _(
        "On a development database: create or reset demo accounts (a staff member and two "
        "contributors of different organisations) with new random passwords, add a few "
        "statuses, follow-up actions and country assessments, and print how to sign in. "
        "Refused while DJANGO_DEBUG is off, and on a database other than SQLite without "
        "--any-database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--any-database",
            action="store_true",
            help=_("Also run on a database other than SQLite (a local PostgreSQL, say)."),
        )

    def handle(self, *args, any_database, **options):
        # Known passwords on real accounts are a risk; the demo is for a developer's own copy.
        if not settings.DEBUG:
            raise CommandError(
                _(
                    "The demo accounts are only for a development database: refused while "
                    "DJANGO_DEBUG is off."
                )
            )
        if connection.vendor != "sqlite" and not any_database:
            raise CommandError(
                _(
                    "This is not the development SQLite database (it is %(vendor)s). If it is "
                    "a database of your own for development, run again with --any-database."
                )
                % {"vendor": connection.vendor}
            )
        if not Consultation.objects.filter(slug=CONSULTATION).exists():
            call_command("load_seed", stdout=io.StringIO())
        personas = demo_build()
        sign_in = settings.SITE_URL.rstrip("/") + reverse("accounts:login")
        self.stdout.write(
            _("Demo accounts (new passwords, shown only now; run again for new ones):")
        )
        for persona in personas:
            role = (
                _("staff member (admin, review queue, statuses, official assessments)")
                if persona.role == "staff"
                else _("contributor of %(organisation)s") % {"organisation": persona.organisation}
            )
            self.stdout.write(f"  {persona.username:<20} {persona.password}   {role}")
        self.stdout.write(_("Sign in at %(url)s") % {"url": sign_in})
