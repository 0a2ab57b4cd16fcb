"""manage.py setup_roles: create or repair the built-in roles (idempotent)."""

from django.core.management.base import BaseCommand

from apps.accounts.services.roles import roles_setup


class Command(BaseCommand):
    help = "Create or repair the built-in roles admin, moderator, user and guest."

    def handle(self, *args, **options) -> None:
        for role in roles_setup():
            self.stdout.write(f"{role.name}: rank {role.rank}, {role.group.permissions.count()} permissions")
