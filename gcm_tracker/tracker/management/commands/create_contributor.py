from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gcm_tracker.tracker.models import Stakeholder
from gcm_tracker.tracker.services import contributor_create


class Command(BaseCommand):
    help = _(
        "Create a civil society contributor for a stakeholder organisation and e-mail them a "
        "link to choose their password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("stakeholder", help=_("The organisation's slug."))

    def handle(self, *args, username, email, stakeholder, **options):
        try:
            organisation = Stakeholder.objects.get(slug=stakeholder)
        except Stakeholder.DoesNotExist:
            raise CommandError(_("No stakeholder has the slug “%s”.") % stakeholder) from None
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
