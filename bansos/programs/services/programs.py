"""Create and edit programs, and move them through draft -> open -> running -> closed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Agency
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.audit import audit_log, diff, snapshot
from bansos.core.errors import DomainError, Errors, PermissionDeniedError, raise_if_errors
from bansos.programs.access import agency_for_new_program, require_program
from bansos.programs.models import (
    DEFAULT_PARTICIPANT, PROGRAM_TRANSITIONS, BenefitKind, Participant, Program, ProgramKind, ProgramStatus,
    TargetGroup,
)

MSG_REQUIRED = _("Wajib diisi.")
MSG_TOO_LONG = _("Paling banyak %(max)s karakter.")
MSG_INVALID_CHOICE = _("Pilihan tidak valid.")
MSG_PERIOD_ORDER = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
MSG_NOT_NEGATIVE = _("Tidak boleh negatif.")
MSG_AT_LEAST_ONE = _("Paling sedikit 1.")
MSG_AGENCY_INACTIVE = _("Lembaga ini tidak aktif.")
MSG_STATUS_TRANSITION = _("Status program tidak dapat diubah dari %(old)s menjadi %(new)s.")
MSG_CLOSED = _("Program yang sudah selesai tidak dapat diubah.")
MSG_CAPACITY_BELOW_TAKEN = _("Kuota tidak boleh lebih kecil dari peserta yang sudah disetujui (%(taken)s).")
MSG_COST_LOCKED = _(
    "Nilai manfaat tidak dapat diubah setelah ada peserta yang disetujui; buat program baru untuk nilai lain."
)
MSG_RULE_OTHER_AGENCY = _("Aturan kelayakan ini milik lembaga lain.")

PROGRAM_FIELDS = (
    "name", "kind", "agency", "description", "target_groups", "rule", "participant", "benefit_kind",
    "benefit_description", "benefit_amount", "benefit_periods", "start_date", "end_date", "capacity",
    "how_to_apply", "contact", "resident_applications",
)
# The portal's public fields: a caller that does not send them (an older API client) keeps their values.
PUBLIC_FIELDS = {"how_to_apply": 2000, "contact": 200}


def _clean(data: dict[str, Any], *, actor, instance: Program | None = None) -> dict[str, Any]:
    errors = Errors()
    clean: dict[str, Any] = {}
    for name, max_length, required in (
        ("name", 150, True), ("description", 4000, False), ("benefit_description", 200, False),
    ):
        value = (data.get(name) or "").strip()
        if required and not value:
            errors.add(name, MSG_REQUIRED)
        elif len(value) > max_length:
            errors.add(name, MSG_TOO_LONG, max=max_length)
        clean[name] = value
    for name, max_length in PUBLIC_FIELDS.items():
        value = data.get(name, getattr(instance, name, "")) or ""
        value = value.strip() if isinstance(value, str) else ""
        if len(value) > max_length:
            errors.add(name, MSG_TOO_LONG, max=max_length)
        clean[name] = value
    clean["resident_applications"] = bool(data.get("resident_applications",
                                                   getattr(instance, "resident_applications", False)))
    for name, enum in (("kind", ProgramKind), ("benefit_kind", BenefitKind)):
        value = data.get(name) or ""
        if value not in enum.values:
            errors.add(name, MSG_REQUIRED if not value else MSG_INVALID_CHOICE)
        clean[name] = value
    participant = data.get("participant") or DEFAULT_PARTICIPANT.get(clean["kind"], "")
    if participant not in Participant.values:
        errors.add("participant", MSG_INVALID_CHOICE)
    clean["participant"] = participant
    groups = data.get("target_groups") or []
    if isinstance(groups, str):
        groups = [groups]
    if any(g not in TargetGroup.values for g in groups):
        errors.add("target_groups", MSG_INVALID_CHOICE)
    clean["target_groups"] = [g for g in TargetGroup.values if g in groups]
    for name, minimum in (("benefit_amount", 0), ("benefit_periods", 1)):
        value = data.get(name, 0 if name == "benefit_amount" else 1)
        if not isinstance(value, int) or isinstance(value, bool):
            errors.add(name, MSG_REQUIRED)
        elif value < minimum:
            errors.add(name, MSG_NOT_NEGATIVE if minimum == 0 else MSG_AT_LEAST_ONE)
        clean[name] = value
    capacity = data.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or capacity < 1):
        errors.add("capacity", MSG_AT_LEAST_ONE)
    clean["capacity"] = capacity
    for name in ("start_date", "end_date"):
        value = data.get(name)
        if not isinstance(value, dt.date):
            errors.add(name, MSG_REQUIRED)
        clean[name] = value
    if isinstance(clean["start_date"], dt.date) and isinstance(clean["end_date"], dt.date):
        if clean["end_date"] < clean["start_date"]:
            errors.add("end_date", MSG_PERIOD_ORDER)
    agency = data.get("agency") if instance is None else instance.agency
    if instance is None:
        try:
            agency = agency_for_new_program(actor, agency)
        except PermissionDeniedError as exc:
            errors.add("agency", exc.message)
        if agency is None:
            errors.add("agency", MSG_REQUIRED)
        elif isinstance(agency, Agency) and not agency.is_active:
            errors.add("agency", MSG_AGENCY_INACTIVE)
    clean["agency"] = agency
    rule = data.get("rule")
    if rule is not None and agency is not None and rule.agency_id not in (None, getattr(agency, "pk", None)):
        errors.add("rule", MSG_RULE_OTHER_AGENCY)
    clean["rule"] = rule
    if instance is not None:
        if capacity is not None and capacity < instance.seats_taken:
            errors.add("capacity", MSG_CAPACITY_BELOW_TAKEN, taken=instance.seats_taken)
        cost_changed = (clean["benefit_amount"], clean["benefit_periods"]) != (
            instance.benefit_amount, instance.benefit_periods,
        )
        if cost_changed and instance.seats_taken:
            errors.add("benefit_amount", MSG_COST_LOCKED)
    raise_if_errors(errors)
    return clean


@transaction.atomic
def program_create(*, actor, data: dict[str, Any]) -> Program:
    """A new program in draft. An officer's program always belongs to the officer's agency."""
    if not has_role_perm(actor, P.PROGRAM_MANAGE):
        raise PermissionDeniedError()
    clean = _clean(data, actor=actor)
    program = Program.objects.create(**clean, created_by=actor)
    audit_log(
        actor=actor, action="program.create", obj=program,
        changes={k: [None, v] for k, v in snapshot(program, PROGRAM_FIELDS).items() if v not in (None, "", [])},
    )
    return program


@transaction.atomic
def program_update(*, actor, program: Program, data: dict[str, Any]) -> Program:
    program = Program.objects.select_for_update().get(pk=program.pk)
    require_program(actor, P.PROGRAM_MANAGE, program)
    if program.status == ProgramStatus.CLOSED:
        raise DomainError("program_closed", MSG_CLOSED)
    before = snapshot(program, PROGRAM_FIELDS)
    clean = _clean(data, actor=actor, instance=program)
    clean.pop("agency")  # a program never changes agency: its enrollments and money belong there
    for name, value in clean.items():
        setattr(program, name, value)
    program.save()
    changes = diff(before, snapshot(program, PROGRAM_FIELDS))
    if changes:
        audit_log(actor=actor, action="program.update", obj=program, changes=changes)
    return program


@transaction.atomic
def program_status_set(*, actor, program: Program, status: str, reason: str = "") -> Program:
    program = Program.objects.select_for_update().get(pk=program.pk)
    require_program(actor, P.PROGRAM_MANAGE, program)
    if status not in PROGRAM_TRANSITIONS.get(program.status, set()):
        raise DomainError(
            "program_status_transition", MSG_STATUS_TRANSITION,
            old=program.get_status_display(), new=dict(ProgramStatus.choices).get(status, status),
        )
    old = program.status
    program.status = status
    program.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="program.status", obj=program, changes={"status": [old, status]}, reason=reason)
    return program
