from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils.translation import gettext as _

from gcm_tracker.tracker.models import Stakeholder


class Command(BaseCommand):
    help = _(
        "List the stakeholder organisations with their slugs (what create_contributor and the "
        "API's lead_stakeholder take), optionally only those whose slug or name contains SEARCH."
    )

    def add_arguments(self, parser):
        parser.add_argument("search", nargs="?", default="", help=_("Part of a slug or name."))

    def handle(self, *args, search, **options):
        organisations = Stakeholder.objects.order_by("slug")
        if search:
            organisations = organisations.filter(
                Q(slug__icontains=search) | Q(name__icontains=search)
            )
        rows = list(organisations.values_list("slug", "name"))
        if not rows:
            self.stdout.write(
                _("No organisation matches “%s”.") % search
                if search
                else _(
                    "No organisations yet: run python manage.py load_seed, or add them in the "
                    "admin (Stakeholders)."
                )
            )
            return
        width = max(len(slug) for slug, _name in rows)
        for slug, name in rows:
            self.stdout.write(f"{slug:<{width}}  {name}")
