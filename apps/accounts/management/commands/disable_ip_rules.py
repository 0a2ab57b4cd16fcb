"""manage.py disable_ip_rules: the way back in after a rule locked the operators out."""

from django.core.management.base import BaseCommand

from apps.accounts.services.ip_rules import ip_rules_disable


class Command(BaseCommand):
    help = "Disable every IP rule."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{ip_rules_disable()} IP rule(s) disabled.")
