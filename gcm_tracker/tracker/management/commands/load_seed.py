from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gcm_tracker.tracker.cache import public_data_changed
from gcm_tracker.tracker.models import ReportParagraph
from gcm_tracker.tracker.translation import add_missing_translations


class Command(BaseCommand):
    help = _(
        "Add the reference data and seed consultations in fixtures/ that the database does not "
        "hold yet. Rows already present are left exactly as they are, so running it again never "
        "undoes what staff edited (loaddata would overwrite them, statuses included). The "
        "exceptions: a paragraph whose short title is still empty gets the seed's title, and a "
        "translation still empty gets the seed's."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        added = kept = titled = translated = 0
        for path in sorted(Path(settings.FIXTURE_DIRS[0]).glob("*.json")):
            with path.open(encoding="utf-8") as stream:
                for item in serializers.deserialize("json", stream):
                    # Deserialising looks each object up by its natural key and sets its primary
                    # key when the row exists already.
                    if item.object.pk is not None:
                        kept += 1
                        titled += _add_missing_title(item.object)
                        translated += add_missing_translations(item.object)
                        continue
                    item.save()
                    added += 1
        if titled or translated:
            # update() sends no signal: public pages cached before show the titles too.
            public_data_changed()
        message = ngettext(
            "Seed data: %(added)d row added, ", "Seed data: %(added)d rows added, ", added
        ) % {"added": added} + ngettext(
            "%(kept)d already present and left unchanged.",
            "%(kept)d already present and left unchanged.",
            kept,
        ) % {"kept": kept}
        if titled:
            message += " " + ngettext(
                "%(titled)d empty short title was filled in.",
                "%(titled)d empty short titles were filled in.",
                titled,
            ) % {"titled": titled}
        if translated:
            message += " " + ngettext(
                "%(translated)d empty translation was filled in.",
                "%(translated)d empty translations were filled in.",
                translated,
            ) % {"translated": translated}
        self.stdout.write(message)


def _add_missing_title(seed_row) -> int:
    """Give an existing paragraph the seed's short title if it has none yet (databases loaded
    before short titles existed); a title staff wrote is never replaced. Returns 1 if one was
    added."""
    if not isinstance(seed_row, ReportParagraph) or not seed_row.short_title:
        return 0
    # One UPDATE whose condition is the check: no read-then-write race with an editor.
    return (
        type(seed_row)
        .objects.filter(pk=seed_row.pk, short_title="")
        .update(short_title=seed_row.short_title)
    )
