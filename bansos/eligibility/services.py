"""Writes of eligibility rules: create, new versions, status, runs. Each audited in its transaction."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from bansos.eligibility import engine
from bansos.eligibility.models import (
    EligibilityRule,
    RuleRun,
    RuleRunMember,
    RuleStatus,
    RuleVersion,
    RunStatus,
)
from bansos.eligibility.selectors import rule_can_manage, rule_latest_version

logger = logging.getLogger(__name__)

MSG_NAME_REQUIRED = _("Nama aturan wajib diisi.")
MSG_NAME_TOO_LONG = _("Nama aturan paling banyak 150 karakter.")
MSG_OTHER_AGENCY = _("Petugas hanya dapat membuat aturan untuk lembaganya sendiri.")
MSG_BAD_STATUS = _("Status aturan tidak dapat diubah dari %(old)s menjadi %(new)s.")
MSG_NO_VERSION = _("Aturan ini belum punya rumusan untuk dijalankan.")
MSG_RUN_FAILED = _("Penilaian gagal karena kesalahan sistem; daftar keluarga tidak disimpan. Jalankan ulang.")

STATUS_TRANSITIONS = {
    RuleStatus.DRAFT: {RuleStatus.ACTIVE, RuleStatus.ARCHIVED},
    RuleStatus.ACTIVE: {RuleStatus.DRAFT, RuleStatus.ARCHIVED},
    RuleStatus.ARCHIVED: {RuleStatus.ACTIVE},
}
RUN_CHUNK = 5000


def _require_manage(actor, rule: EligibilityRule) -> None:
    if not rule_can_manage(actor, rule):
        raise PermissionDeniedError()


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": [str(MSG_NAME_REQUIRED)]})
    if len(name) > 150:
        raise ValidationFailed({"name": [str(MSG_NAME_TOO_LONG)]})
    return name


def _clean_expression(expression: Any) -> dict:
    clean, errors = engine.expression_validate(expression)
    if errors:
        raise ValidationFailed({f"expression.{path}": messages for path, messages in errors.items()})
    return clean


def rule_create(*, actor, name: str, description: str = "", agency=None, expression: Any) -> EligibilityRule:
    """Create a rule (draft) with its first version."""
    require(actor, P.RULES_MANAGE)
    if actor.role != Role.ADMIN:
        if agency is not None and agency.pk != actor.agency_id:
            raise PermissionDeniedError(MSG_OTHER_AGENCY)
        agency = actor.agency
    errors: dict[str, list[str]] = {}
    try:
        name = _clean_name(name)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    try:
        clean = _clean_expression(expression)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        rule = EligibilityRule.objects.create(name=name, description=(description or "").strip(), agency=agency,
                                              created_by=actor)
        version = RuleVersion.objects.create(rule=rule, number=1, expression=clean, created_by=actor)
        audit_log(actor=actor, action="eligibility.rule_create", obj=rule, changes={
            "name": [None, rule.name], "agency": [None, str(agency) if agency else None],
            "expression": [None, engine.describe(version.expression)],
        })
    return rule


def rule_update(*, actor, rule: EligibilityRule, name: str, description: str = "") -> EligibilityRule:
    """Rename a rule or change its description (the expression changes through new versions)."""
    _require_manage(actor, rule)
    name = _clean_name(name)
    with transaction.atomic():
        rule = EligibilityRule.objects.select_for_update().get(pk=rule.pk)
        before = {"name": rule.name, "description": rule.description}
        rule.name, rule.description = name, (description or "").strip()
        after = {"name": rule.name, "description": rule.description}
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changes:
            rule.save(update_fields=["name", "description", "updated_at"])
            audit_log(actor=actor, action="eligibility.rule_update", obj=rule, changes=changes)
    return rule


def rule_version_save(*, actor, rule: EligibilityRule, expression: Any) -> RuleVersion:
    """Save the expression as the rule's next version (versions are never edited); same text, same version."""
    _require_manage(actor, rule)
    clean = _clean_expression(expression)
    with transaction.atomic():
        # The lock on the rule serialises two saves that would both pick the same next number.
        rule = EligibilityRule.objects.select_for_update().get(pk=rule.pk)
        latest = rule_latest_version(rule)
        if latest is not None and latest.expression == clean:
            return latest
        version = RuleVersion.objects.create(rule=rule, number=(latest.number + 1) if latest else 1,
                                             expression=clean, created_by=actor)
        rule.save(update_fields=["updated_at"])
        audit_log(actor=actor, action="eligibility.version_create", obj=rule, changes={
            "version": [latest.number if latest else None, version.number],
            "expression": [engine.describe(latest.expression) if latest else None, engine.describe(clean)],
        })
    return version


def rule_status_set(*, actor, rule: EligibilityRule, status: str) -> EligibilityRule:
    """Activate, return to draft, or archive a rule."""
    _require_manage(actor, rule)
    with transaction.atomic():
        rule = EligibilityRule.objects.select_for_update().get(pk=rule.pk)
        if status == rule.status:
            return rule
        if status not in STATUS_TRANSITIONS.get(rule.status, set()):
            raise DomainError("bad_status", MSG_BAD_STATUS, field="status", old=rule.get_status_display(),
                              new=dict(RuleStatus.choices).get(status, status))
        old = rule.status
        rule.status = status
        rule.save(update_fields=["status", "updated_at"])
        audit_log(actor=actor, action="eligibility.rule_status", obj=rule, changes={"status": [old, status]})
    return rule


def rule_run_start(*, actor, rule: EligibilityRule, reference_date: dt.date | None = None) -> RuleRun:
    """Queue an evaluation of the rule's latest version over the whole registry."""
    from bansos.eligibility.tasks import rule_run_task

    _require_manage(actor, rule)
    version = rule_latest_version(rule)
    if version is None:
        raise DomainError("no_version", MSG_NO_VERSION)
    with transaction.atomic():
        run = RuleRun.objects.create(rule=rule, version=version, actor=actor,
                                     reference_date=reference_date or timezone.localdate())
        audit_log(actor=actor, action="eligibility.run", obj=rule, changes={
            "version": [None, version.number], "reference_date": [None, run.reference_date],
        })
        run_id = run.pk
        transaction.on_commit(lambda: rule_run_task.enqueue(run_id))
    return run


def rule_run_execute(run_id: int) -> None:
    """Evaluate a queued run by the database and store its list in chunks, keeping progress up to date."""
    run = RuleRun.objects.select_related("version").get(pk=run_id)
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return
    RuleRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now(), stored=0, error="")
    RuleRunMember.objects.filter(run=run).delete()  # a retried run starts clean
    stored = 0
    try:
        # One query by the database; ids only (a few MB for a whole city), then stored in chunks.
        qs = engine.eligible_households(run.version.expression, run.reference_date)
        ids = list(qs.order_by("pk").values_list("pk", flat=True))
        RuleRun.objects.filter(pk=run.pk).update(total=len(ids))
        for start in range(0, len(ids), RUN_CHUNK):
            batch = [RuleRunMember(run_id=run.pk, household_id=pk) for pk in ids[start:start + RUN_CHUNK]]
            stored += _store(run.pk, batch, stored)
    except Exception:
        logger.exception("eligibility run %s failed", run.pk)
        RuleRunMember.objects.filter(run_id=run.pk).delete()
        RuleRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=str(MSG_RUN_FAILED),
                                                 finished_at=timezone.now(), stored=0)
        raise
    RuleRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, eligible_count=stored, stored=stored,
                                             total=stored, finished_at=timezone.now())


def _store(run_id: int, batch: list[RuleRunMember], before: int) -> int:
    with transaction.atomic():
        RuleRunMember.objects.bulk_create(batch, batch_size=1000)
        RuleRun.objects.filter(pk=run_id).update(stored=before + len(batch))
    return len(batch)
