"""Django's `changepassword`, saving through passwords.password_set so old sessions and tokens end too."""

import getpass

from django.contrib.auth.management.commands.changepassword import Command as DjangoCommand
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from apps.accounts.models import User
from apps.accounts.services.passwords import password_set

MAX_TRIES = 3


class Command(DjangoCommand):
    help = "Change USERNAME's password; their sessions and API tokens are ended."

    def handle(self, *args, username: str | None = None, **options) -> str:
        username = username or getpass.getuser()  # as Django's: the shell's user by default
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"user {username!r} does not exist")
        self.stdout.write(f"Changing password for user '{user}'")
        for _ in range(MAX_TRIES):
            first, again = self._get_pass(), self._get_pass("Password (again): ")
            if first != again:
                self.stdout.write("Passwords do not match. Please try again.")
                continue
            try:
                validate_password(first, user)
            except ValidationError as err:
                self.stderr.write("\n".join(err.messages))
                continue
            ended = password_set(user=user, password=first, by=None)
            return (
                f"Password changed successfully for user '{user}'; "
                f"{ended['sessions']} sessions and {ended['tokens']} API tokens ended."
            )
        raise CommandError(f"Aborting password change for user '{user}' after {MAX_TRIES} attempts")
