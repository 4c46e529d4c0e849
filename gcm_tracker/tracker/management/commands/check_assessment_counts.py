from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from gcm_tracker.tracker.services.assessment_counts import (
    assessment_counts_rebuild,
    expected_counts,
    stored_counts,
)


class Command(BaseCommand):
    help = _(
        "Check the country-assessment roll-ups against the assessments themselves; with --repair, "
        "rewrite the ones that differ. Exits with an error when they differ and are not repaired."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help=_("Rewrite the roll-ups that differ.")
        )

    def handle(self, *args, repair=False, **options):
        with transaction.atomic():
            if repair:
                fixed = assessment_counts_rebuild()
                self.stdout.write(_("%(count)d roll-up rows repaired.") % {"count": fixed})
                return
            expected, stored = expected_counts(), stored_counts()
        differing = sorted(
            (key for key in expected.keys() | stored.keys() if expected[key] != stored[key]),
            key=lambda key: tuple(str(part) for part in key),
        )
        for recommendation, country, objective, voice, status in differing:
            where = (
                _("recommendation %(id)s") % {"id": recommendation}
                if recommendation
                else _("country %(country)s, objective %(objective)s")
                % {"country": country, "objective": objective}
            )
            key = (recommendation, country, objective, voice, status)
            self.stdout.write(
                _("%(where)s, %(voice)s, %(status)s: stored %(stored)d, should be %(expected)d")
                % {
                    "where": where,
                    "voice": voice,
                    "status": status,
                    "stored": stored[key],
                    "expected": expected[key],
                }
            )
        if differing:
            raise CommandError(
                _("%(count)d roll-up rows differ; run with --repair to rewrite them.")
                % {"count": len(differing)}
            )
        self.stdout.write(_("The roll-ups match the assessments."))
