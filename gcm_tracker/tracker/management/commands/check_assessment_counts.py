from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from gcm_tracker.tracker.models import Recommendation
from gcm_tracker.tracker.services.assessment_counts import (
    Selection,
    assessment_counts_rebuild,
    expected_counts,
    stored_counts,
)
from gcm_tracker.tracker.services.assessment_flags import (
    assessment_flags_refresh,
    assessment_flags_wrong,
)

# Recommendation rows are compared this many recommendations at a time, so that memory stays
# bounded at scale (200,000 recommendations hold about 2,000,000 roll-up rows).
CHUNK = 5000


def selections():
    """Every roll-up row, in bounded pieces: recommendations a chunk at a time, then the
    per-objective rows, then the per-country totals."""
    ids = list(Recommendation.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        yield Selection(
            recommendation_ids=ids[start : start + CHUNK], objective_ids=[], country_ids=[]
        )
    yield Selection(recommendation_ids=[], objective_ids=None, country_ids=[])
    yield Selection(recommendation_ids=[], objective_ids=[], country_ids=None)


def recommendation_chunks():
    ids = list(Recommendation.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


class Command(BaseCommand):
    help = _(
        "Check the country-assessment roll-ups and the assessments' scope and disagreement flags "
        "against the assessments and scopes themselves; with --repair, rewrite the ones that "
        "differ. Exits with an error when they differ and are not repaired."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help=_("Rewrite the roll-ups that differ.")
        )

    def handle(self, *args, repair=False, **options):
        # The flags first: the roll-ups do not read them, but the public lists do.
        flags = 0
        for ids in recommendation_chunks():
            with transaction.atomic():
                if repair:
                    flags += assessment_flags_refresh(recommendation_ids=ids)
                else:
                    flags += assessment_flags_wrong(recommendation_ids=ids)
        if repair and flags:
            self.stdout.write(
                _("%(count)d assessments' scope or disagreement flags repaired.") % {"count": flags}
            )
        elif flags:
            self.stdout.write(
                _("%(count)d assessments have a wrong scope or disagreement flag.")
                % {"count": flags}
            )
        differing = 0
        for selection in selections():
            with transaction.atomic():
                if repair:
                    differing += assessment_counts_rebuild(selection)
                else:
                    differing += self._report(expected_counts(selection), stored_counts(selection))
        if repair:
            self.stdout.write(_("%(count)d roll-up rows repaired.") % {"count": differing})
        elif differing or flags:
            raise CommandError(
                _("%(count)d roll-up rows and %(flags)d assessments differ; run with --repair.")
                % {"count": differing, "flags": flags}
            )
        else:
            self.stdout.write(_("The roll-ups and flags match the assessments."))

    def _report(self, expected, stored) -> int:
        differing = sorted(
            (key for key in expected.keys() | stored.keys() if expected[key] != stored[key]),
            key=lambda key: tuple(str(part) for part in key),
        )
        for key in differing:
            recommendation, country, objective, voice, status = key
            if recommendation:
                where = _("recommendation %(id)s") % {"id": recommendation}
            elif objective:
                where = _("country %(country)s, objective %(objective)s") % {
                    "country": country,
                    "objective": objective,
                }
            else:
                where = _("country %(country)s") % {"country": country}
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
        return len(differing)
