"""Targeting data for the demo: welfare scores, musyawarah per RW, and example eligibility rules."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def demo_targeting_create(*, actor, seed: int = 2026) -> dict[str, Any]:
    """Score every household, record demo meetings, and publish the example rules (once)."""
    from bansos.eligibility.bench import BENCH_RULES
    from bansos.eligibility.models import EligibilityRule, RuleStatus
    from bansos.eligibility.services import rule_create, rule_run_start, rule_status_set
    from bansos.meetings.demo import demo_meetings_create
    from bansos.meetings.models import Meeting
    from bansos.welfare.services import welfare_rescore_all

    summary: dict[str, Any] = {"scored": welfare_rescore_all(actor=None)}
    if not Meeting.objects.exists():
        summary["meetings"] = demo_meetings_create(seed)
    if not EligibilityRule.objects.exists():
        rules = []
        for name, expression in BENCH_RULES:
            with transaction.atomic():
                rule = rule_create(actor=actor, name=name, expression=expression,
                                   description="Contoh aturan kelayakan untuk demo.")
                rule_status_set(actor=actor, rule=rule, status=RuleStatus.ACTIVE)
            rule_run_start(actor=actor, rule=rule)
            rules.append(rule.name)
        summary["rules"] = rules
    return summary
