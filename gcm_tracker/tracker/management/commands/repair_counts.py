"""Check every summary count against a fresh COUNT, and repair the wrong ones.

python manage.py repair_counts --check   # lists each wrong count; exits 1 if there is one
python manage.py repair_counts           # sets each wrong count to a fresh COUNT
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gcm_tracker.tracker.services.counts import summary_count_drift, summary_counts_repair


class Command(BaseCommand):
    help = _(
        "Compare the summary counts (published actions per recommendation, country and "
        "organisation; the objective breakdown; recommendations by scope; disagreements) with "
        "a fresh count and repair those that differ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("Only list the wrong counts, and exit with status 1 if there is one."),
        )

    def handle(self, *args, check, **options):
        if check:
            drift = summary_count_drift()
            for wrong in drift:
                self.stdout.write(str(wrong))
            if drift:
                raise CommandError(
                    ngettext(
                        "%(count)d summary count is wrong; run repair_counts to repair it.",
                        "%(count)d summary counts are wrong; run repair_counts to repair them.",
                        len(drift),
                    )
                    % {"count": len(drift)}
                )
            self.stdout.write(_("Every summary count equals a fresh count."))
            return
        repaired = summary_counts_repair()
        for wrong in repaired:
            self.stdout.write(
                _("%(what)s: was %(recorded)d, now %(fresh)d")
                % {"what": wrong.what, "recorded": wrong.recorded, "fresh": wrong.fresh}
            )
        self.stdout.write(
            ngettext(
                "Repaired %(count)d summary count.",
                "Repaired %(count)d summary counts.",
                len(repaired),
            )
            % {"count": len(repaired)}
        )
