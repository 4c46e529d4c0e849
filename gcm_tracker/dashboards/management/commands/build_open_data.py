from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gcm_tracker.dashboards import open_data


class Command(BaseCommand):
    help = _(
        "Build the bulk open-data files (CSV, XLSX and JSON of every public table) now. The task "
        "queue's scheduler does it by itself a few minutes after public data changes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help=_("Build only if public data changed since the newest files."),
        )

    def handle(self, *args, if_changed=False, **options):
        manifest = open_data.build_if_changed(force=not if_changed)
        if manifest is None:
            self.stdout.write(
                _("Nothing built: the newest files are up to date, or another build is running.")
            )
            return
        self.stdout.write(
            _("Built version %(version)s in %(directory)s:")
            % {"version": manifest["version"], "directory": open_data.directory()}
        )
        for table in manifest["tables"]:
            self.stdout.write(f"  {table['name']}: {table['rows']}")
