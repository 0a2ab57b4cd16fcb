"""Create the `admin` superuser when no superuser exists yet (run by `make run`)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.accounts.services import users


class Command(BaseCommand):
    help = "Create the admin user (password from REVENGE_ADMIN_PASSWORD, or generated and printed once)."

    def handle(self, *args, **options) -> None:
        user, password = users.admin_ensure(password=settings.ADMIN_PASSWORD)
        if user is None:
            self.stdout.write("An admin user exists already.")
        elif settings.ADMIN_PASSWORD:
            self.stdout.write(self.style.SUCCESS("Created user 'admin' with the password from REVENGE_ADMIN_PASSWORD."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Created user 'admin' with password: {password}"))
            self.stdout.write("It is shown only this once; change it in the admin.")
