"""Make (or replace) a user's API token and print its key, which is shown only this once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gcm_tracker.tracker.services import api_token_create


class Command(BaseCommand):
    help = (
        "Create an API token for USERNAME, replacing any they had, and print its key (shown once; "
        "only its hash is stored)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user is called {username!r}.") from None
        key = api_token_create(user=user)
        self.stdout.write(f"Token for {username}: {key}")
