"""The kelurahan's overlap policies, and the check an approval makes against them.

A policy names two program kinds and says whether a household may receive both at once (``warn``)
or not (``forbid``), optionally only when the two programs' periods overlap. The check looks at the
household's enrollments in other programs that it is receiving (approved, active, suspended).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log, diff, snapshot
from bansos.core.errors import DomainError, Errors, raise_if_errors
from bansos.programs.access import can_see_program_details
from bansos.programs.models import (
    RECEIVING_STATES, Enrollment, OverlapPolicy, PolicyEffect, Program, ProgramKind,
)

MSG_INVALID_CHOICE = _("Pilihan tidak valid.")
MSG_POLICY_EXISTS = _("Sudah ada kebijakan untuk pasangan jenis program ini; ubah kebijakan itu.")
MSG_FORBIDDEN = _("Tidak dapat disetujui: keluarga ini sudah menerima %(others)s. Kebijakan kelurahan: %(policy)s.")
MSG_WARNING = _("Perhatian: keluarga ini sudah menerima %(others)s. Kebijakan kelurahan: %(policy)s.")
MSG_OTHER_AGENCY = _("lembaga lain")

POLICY_FIELDS = ("kind_a", "kind_b", "effect", "same_period", "note", "is_active")


@dataclass(frozen=True)
class Conflict:
    policy: OverlapPolicy
    other: Program
    enrollment_id: int

    def other_text(self, user) -> str:
        """What the user may know of the other program: its name, or only its kind and 'another agency'."""
        if can_see_program_details(user, self.other):
            return f"{self.other.name} ({self.other.agency})"
        return f"{self.other.get_kind_display()} ({MSG_OTHER_AGENCY})"

    def policy_text(self) -> str:
        return self.policy.note or str(self.policy)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    errors = Errors()
    kinds = sorted([data.get("kind_a") or "", data.get("kind_b") or ""])
    if any(k not in ProgramKind.values for k in kinds):
        errors.add("kind_a", MSG_INVALID_CHOICE)
    effect = data.get("effect") or ""
    if effect not in PolicyEffect.values:
        errors.add("effect", MSG_INVALID_CHOICE)
    raise_if_errors(errors)
    return {
        "kind_a": kinds[0], "kind_b": kinds[1], "effect": effect, "same_period": bool(data.get("same_period", True)),
        "note": (data.get("note") or "").strip()[:200], "is_active": bool(data.get("is_active", True)),
    }


@transaction.atomic
def overlap_policy_create(*, actor, data: dict[str, Any]) -> OverlapPolicy:
    require(actor, P.OVERLAP_POLICY_MANAGE)
    clean = _clean(data)
    if OverlapPolicy.objects.filter(kind_a=clean["kind_a"], kind_b=clean["kind_b"]).exists():
        raise DomainError("policy_exists", MSG_POLICY_EXISTS, field="kind_a")
    try:
        with transaction.atomic():
            policy = OverlapPolicy.objects.create(**clean, created_by=actor)
    except IntegrityError:
        raise DomainError("policy_exists", MSG_POLICY_EXISTS, field="kind_a") from None
    audit_log(actor=actor, action="overlap_policy.create", obj=policy,
              changes={k: [None, v] for k, v in snapshot(policy, POLICY_FIELDS).items()})
    return policy


@transaction.atomic
def overlap_policy_update(*, actor, policy: OverlapPolicy, data: dict[str, Any]) -> OverlapPolicy:
    require(actor, P.OVERLAP_POLICY_MANAGE)
    policy = OverlapPolicy.objects.select_for_update().get(pk=policy.pk)
    clean = _clean(data)
    clash = OverlapPolicy.objects.filter(kind_a=clean["kind_a"], kind_b=clean["kind_b"]).exclude(pk=policy.pk)
    if clash.exists():
        raise DomainError("policy_exists", MSG_POLICY_EXISTS, field="kind_a")
    before = snapshot(policy, POLICY_FIELDS)
    for name, value in clean.items():
        setattr(policy, name, value)
    policy.save()
    changes = diff(before, snapshot(policy, POLICY_FIELDS))
    if changes:
        audit_log(actor=actor, action="overlap_policy.update", obj=policy, changes=changes)
    return policy


def policies_for(program: Program) -> list[OverlapPolicy]:
    return list(OverlapPolicy.objects.filter(Q(kind_a=program.kind) | Q(kind_b=program.kind), is_active=True))


def lock_forbid_policies(program: Program) -> None:
    """Queue approvals that a "forbid" policy could refuse, on that policy's row, until commit.

    Two approvals of one family into two programs the policy pairs would otherwise each check before
    the other commits, and both pass. Holding the policy row (the program row is locked before it)
    serialises exactly those approvals, one row lock whatever the batch size; approvals of kinds no
    forbid policy names never wait. SQLite serialises all writers anyway.
    """
    list(OverlapPolicy.objects.select_for_update()
         .filter(Q(kind_a=program.kind) | Q(kind_b=program.kind), is_active=True, effect=PolicyEffect.FORBID)
         .order_by("pk").values_list("pk", flat=True))


def conflicting_enrollments(program: Program, policy: OverlapPolicy) -> Q:
    """A filter on Enrollment: receiving another program that ``policy`` pairs with ``program``."""
    other_kind = policy.kind_b if policy.kind_a == program.kind else policy.kind_a
    q = Q(state__in=RECEIVING_STATES, program__kind=other_kind) & ~Q(program_id=program.pk)
    if policy.same_period:
        q &= Q(program__start_date__lte=program.end_date, program__end_date__gte=program.start_date)
    return q


def overlap_check(*, program: Program, household_id: int) -> tuple[list[Conflict], list[Conflict]]:
    """(forbidden, warnings) for approving ``household_id`` into ``program``."""
    forbidden: list[Conflict] = []
    warnings: list[Conflict] = []
    for policy in policies_for(program):
        rows = Enrollment.objects.filter(conflicting_enrollments(program, policy), household_id=household_id)
        for enrollment in rows.select_related("program__agency"):
            conflict = Conflict(policy=policy, other=enrollment.program, enrollment_id=enrollment.pk)
            (forbidden if policy.effect == PolicyEffect.FORBID else warnings).append(conflict)
    return forbidden, warnings


def conflict_message(conflicts: list[Conflict], *, user, forbid: bool) -> str:
    others = "; ".join(sorted({c.other_text(user) for c in conflicts}))
    policy = "; ".join(sorted({c.policy_text() for c in conflicts}))
    return str(MSG_FORBIDDEN if forbid else MSG_WARNING) % {"others": others, "policy": policy}


def households_with_conflict(program: Program, effect: str):
    """Household ids that a policy with ``effect`` blocks (forbid) or flags (warn) for ``program``."""
    q = Q(pk__in=[])
    for policy in policies_for(program):
        if policy.effect == effect:
            q |= conflicting_enrollments(program, policy)
    return Enrollment.objects.filter(q).values("household_id")
