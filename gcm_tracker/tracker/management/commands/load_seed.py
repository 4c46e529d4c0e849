from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class Command(BaseCommand):
    help = _(
        "Add the reference data and seed consultations in fixtures/ that the database does not "
        "hold yet. Rows already present are left exactly as they are, so running it again never "
        "undoes what staff edited (loaddata would overwrite them, statuses included)."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        added = kept = 0
        for path in sorted(Path(settings.FIXTURE_DIRS[0]).glob("*.json")):
            with path.open(encoding="utf-8") as stream:
                for item in serializers.deserialize("json", stream):
                    # Deserialising looks each object up by its natural key and sets its primary
                    # key when the row exists already.
                    if item.object.pk is not None:
                        kept += 1
                        continue
                    item.save()
                    added += 1
        self.stdout.write(
            ngettext("Seed data: %(added)d row added, ", "Seed data: %(added)d rows added, ", added)
            % {"added": added}
            + ngettext(
                "%(kept)d already present and left unchanged.",
                "%(kept)d already present and left unchanged.",
                kept,
            )
            % {"kept": kept}
        )
