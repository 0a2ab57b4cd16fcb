"""manage.py disable_ip_rules: the way back in after a rule locked the operators out."""

from django.core.management.base import BaseCommand

from apps.accounts.models import IPRule


class Command(BaseCommand):
    help = "Disable every IP rule."

    def handle(self, *args, **options) -> None:
        count = 0
        for rule in IPRule.objects.filter(enabled=True):
            rule.enabled = False
            rule.save(update_fields=["enabled"])  # save() so the cached rules are forgotten
            count += 1
        self.stdout.write(f"{count} IP rule(s) disabled.")
