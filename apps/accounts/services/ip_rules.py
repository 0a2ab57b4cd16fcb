"""Writes of IP rules: the console's form and `manage.py disable_ip_rules` save through here."""

from __future__ import annotations

from django.db import transaction

from apps.accounts.models import IPRule


def ip_rule_save(*, rule: IPRule, by=None) -> IPRule:
    """Validate and store a rule; the cached rules are forgotten when the row changes (accounts.signals)."""
    rule.full_clean()
    with transaction.atomic():
        rule.save()
    return rule


def ip_rule_delete(*, rule: IPRule, by=None) -> None:
    rule.delete()


def ip_rules_disable(*, by=None) -> int:
    """Turn every rule off (the way back in after a rule locked the operators out); returns how many were on."""
    count = 0
    for rule in IPRule.objects.filter(enabled=True):
        rule.enabled = False
        ip_rule_save(rule=rule, by=by)
        count += 1
    return count
