import difflib

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gcm_tracker.tracker.models import Stakeholder
from gcm_tracker.tracker.services import contributor_create

WHERE_SLUGS_ARE = gettext_lazy(
    "python manage.py list_organisations [SEARCH] lists the organisations and their slugs (so "
    "does the admin, under Stakeholders, and each organisation's address: "
    "/stakeholders/<slug>/)."
)


def close_matches(wanted: str, limit: int = 5) -> list[tuple[str, str]]:
    """(slug, name) of the organisations whose slug is spelt like `wanted` or whose slug or name
    contains it, best first."""
    slugs = dict(Stakeholder.objects.values_list("slug", "name"))
    found = difflib.get_close_matches(wanted.lower(), slugs, n=limit, cutoff=0.6)
    containing = Stakeholder.objects.filter(Q(slug__icontains=wanted) | Q(name__icontains=wanted))
    for slug in containing.order_by("slug").values_list("slug", flat=True)[:limit]:
        if slug not in found:
            found.append(slug)
    return [(slug, slugs[slug]) for slug in found[:limit]]


class Command(BaseCommand):
    help = _(
        "Create a civil society contributor for a stakeholder organisation and e-mail them a "
        "link to choose their password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument(
            "stakeholder",
            nargs="?",
            default="",
            help=_("The organisation's slug; python manage.py list_organisations lists them."),
        )

    def handle(self, *args, username, email, stakeholder, **options):
        if not stakeholder.strip():
            raise CommandError(
                _("Give the organisation's slug after the e-mail address.")
                + " "
                + str(WHERE_SLUGS_ARE)
            )
        try:
            organisation = Stakeholder.objects.get(slug=stakeholder)
        except Stakeholder.DoesNotExist:
            message = _("No organisation has the slug “%s”.") % stakeholder
            matches = close_matches(stakeholder)
            if matches:
                message += " " + _("Did you mean: %s?") % "; ".join(
                    f"{slug} ({name})" for slug, name in matches
                )
            raise CommandError(message + " " + str(WHERE_SLUGS_ARE)) from None
        try:
            user = contributor_create(
                created_by=None, username=username, email=email, stakeholder=organisation
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            _("Created %(username)s, a contributor of %(organisation)s; e-mailed %(email)s.")
            % {"username": user.username, "organisation": organisation.name, "email": user.email}
        )
