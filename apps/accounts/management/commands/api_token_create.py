"""Create a named API token for a user and print it once."""

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import User
from apps.accounts.services import tokens


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print the key (shown only once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="Device or purpose of the token.")

    def handle(self, *args, username: str, name: str, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        _token, raw_key = tokens.api_token_create(user=user, name=name)
        self.stdout.write(raw_key)
