"""Reads of eligibility rules and runs, scoped to who may see them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_perm, has_role_perm, household_scope
from bansos.core.errors import NotFoundError
from bansos.eligibility import engine
from bansos.eligibility.models import (
    EligibilityRule,
    RuleRun,
    RuleRunMember,
    RuleStatus,
    RuleVersion,
    RunStatus,
)
from bansos.registry.models import Household, Relation, Resident, ResidentStatus


def rules_visible(user) -> QuerySet[EligibilityRule]:
    """Rules the user may read: admin all; officers their agency's and the kelurahan's."""
    if not has_role_perm(user, P.RULES_MANAGE):
        return EligibilityRule.objects.none()
    qs = EligibilityRule.objects.select_related("agency")
    if user.role == Role.ADMIN:
        return qs
    return qs.filter(Q(agency_id=user.agency_id) | Q(agency__isnull=True)) if user.agency_id else qs.none()


def rule_can_manage(user, rule: EligibilityRule) -> bool:
    """Officers change their own agency's rules; the admin changes every rule."""
    if not has_role_perm(user, P.RULES_MANAGE):
        return False
    if user.role == Role.ADMIN:
        return True
    return rule.agency_id is not None and rule.agency_id == user.agency_id


def rule_get(*, user, pk: int) -> EligibilityRule:
    rule = rules_visible(user).filter(pk=pk).first()
    if rule is None:
        raise NotFoundError()
    return rule


def rule_latest_version(rule: EligibilityRule) -> RuleVersion | None:
    return rule.versions.order_by("-number").first()


def latest_versions(rules) -> dict[int, RuleVersion]:
    """The newest version of each rule, in one query."""
    out: dict[int, RuleVersion] = {}
    for version in RuleVersion.objects.filter(rule__in=list(rules)).order_by("rule_id", "-number"):
        out.setdefault(version.rule_id, version)
    return out


def rule_list(*, user) -> list[dict[str, Any]]:
    rules = list(rules_visible(user).annotate(run_count=Count("runs")))
    versions = latest_versions(rules)
    last_runs: dict[int, RuleRun] = {}
    for run in RuleRun.objects.filter(rule__in=rules, status=RunStatus.DONE).order_by("rule_id", "-pk"):
        last_runs.setdefault(run.rule_id, run)
    return [
        {"rule": rule, "version": versions.get(rule.pk), "last_run": last_runs.get(rule.pk),
         "text": engine.describe(versions[rule.pk].expression) if rule.pk in versions else "",
         "can_manage": rule_can_manage(user, rule)}
        for rule in rules
    ]


def run_get(*, user, pk: int) -> RuleRun:
    run = RuleRun.objects.select_related("rule__agency", "version", "actor").filter(pk=pk).first()
    if run is None or not rules_visible(user).filter(pk=run.rule_id).exists():
        raise NotFoundError()
    return run


def rule_runs(rule: EligibilityRule, limit: int = 20) -> QuerySet[RuleRun]:
    return rule.runs.select_related("version", "actor").order_by("-pk")[:limit]


def run_counts_per_rw(run: RuleRun) -> list[dict[str, int]]:
    """Eligible households per RW (aggregates only, no personal data)."""
    rows = (RuleRunMember.objects.filter(run=run).values("household__rt__rw__number")
            .annotate(n=Count("pk")).order_by("household__rt__rw__number"))
    return [{"rw": r["household__rt__rw__number"], "count": r["n"]} for r in rows]


def run_previous(run: RuleRun) -> RuleRun | None:
    return (RuleRun.objects.filter(rule_id=run.rule_id, status=RunStatus.DONE, pk__lt=run.pk)
            .select_related("version").order_by("-pk").first())


@dataclass(frozen=True)
class RunComparison:
    previous: RuleRun
    newly: int  # eligible now, not in the previous run
    no_longer: int  # eligible in the previous run, not now
    still: int


def run_compare(run: RuleRun) -> RunComparison | None:
    """How this run differs from the previous finished run of the same rule (counted by the database)."""
    previous = run_previous(run)
    if previous is None or run.status != RunStatus.DONE:
        return None
    now_ids = RuleRunMember.objects.filter(run=run).values("household_id")
    before_ids = RuleRunMember.objects.filter(run=previous).values("household_id")
    newly = RuleRunMember.objects.filter(run=run).exclude(household_id__in=before_ids).count()
    no_longer = RuleRunMember.objects.filter(run=previous).exclude(household_id__in=now_ids).count()
    return RunComparison(previous=previous, newly=newly, no_longer=no_longer, still=(run.eligible_count or 0) - newly)


def run_households(*, user, run: RuleRun) -> QuerySet[Household]:
    """The households a run found that this user may see: all with RULES_RESULTS, else their scope."""
    qs = Household.objects.filter(pk__in=RuleRunMember.objects.filter(run=run).values("household_id"))
    if not has_perm(user, P.RULES_RESULTS):
        qs = qs.filter(household_scope(user))
    heads = Resident.objects.filter(relation=Relation.HEAD, status=ResidentStatus.ACTIVE)
    from django.db.models import Prefetch

    return (qs.select_related("rt__rw").prefetch_related(Prefetch("residents", queryset=heads, to_attr="heads"))
            .order_by("rt__rw__number", "rt__number", "kk_number", "pk"))


def household_for_explanation(*, user, pk: int) -> Household:
    """A household the user may read an explanation for: in their scope, or any with RULES_RESULTS."""
    household = Household.objects.select_related("rt__rw").filter(pk=pk).first()
    if household is None:
        raise NotFoundError()
    if has_perm(user, P.HOUSEHOLD_VIEW, household) or has_perm(user, P.RULES_RESULTS):
        return household
    raise NotFoundError()


def rule_for_explanation(*, user, pk: int) -> EligibilityRule:
    """Active rules for anyone who may see the household; other rules only for those who may read them."""
    rule = EligibilityRule.objects.select_related("agency").filter(pk=pk).first()
    if rule is None:
        raise NotFoundError()
    if rule.status == RuleStatus.ACTIVE or rules_visible(user).filter(pk=pk).exists():
        return rule
    raise NotFoundError()


def rule_explanation(*, rule: EligibilityRule, household: Household, version: RuleVersion | None = None,
                     reference_date: dt.date | None = None) -> dict[str, Any] | None:
    """The rule's latest version (or ``version``) explained for one household."""
    version = version or rule_latest_version(rule)
    if version is None:
        return None
    reference = reference_date or timezone.localdate()
    facts = engine.facts_load(household.pk, reference)
    tree = engine.explain(version.expression, facts)
    active = facts.household["status"] == "active"
    return {"rule": rule, "version": version, "tree": tree, "met": tree["met"] and active, "active": active,
            "reference_date": reference, "text": engine.describe(version.expression)}


def household_rules_met(*, household: Household, reference_date: dt.date | None = None) -> list[dict[str, Any]]:
    """Active rules this household meets now, evaluated on facts fetched once for all rules."""
    rules = list(EligibilityRule.objects.filter(status=RuleStatus.ACTIVE).select_related("agency"))
    if not rules:
        return []
    versions = latest_versions(rules)
    facts = engine.facts_load(household.pk, reference_date or timezone.localdate())
    if facts is None:
        return []
    out = []
    for rule in rules:
        version = versions.get(rule.pk)
        if version is not None and engine.evaluate(version.expression, facts):
            out.append({"rule": rule, "version": version})
    return out
