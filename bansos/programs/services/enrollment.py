"""The enrollment workflow: apply -> verify -> approve/reject -> active -> graduate/exit/suspend -> resume.

Every transition is checked against ``ENROLLMENT_TRANSITIONS``, runs in a transaction, and writes an
audit event on the household (its history) with the actor and the reason. Approval commits the
program's cost per participant through ``funding.budget_commit`` and applies the overlap policies.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError
from bansos.programs.access import can_nominate, require_program
from bansos.programs.models import (
    ENROLLMENT_TRANSITIONS, REASON_REQUIRED, Channel, Enrollment, EnrollmentState, Participant, Program,
    ProgramStatus,
)
from bansos.programs.services import funding, overlap
from bansos.registry.models import HouseholdStatus, ResidentStatus

MSG_PROGRAM_NOT_OPEN = _("Program ini tidak sedang menerima peserta (status: %(status)s).")
MSG_HOUSEHOLD_INACTIVE = _("Keluarga ini tidak aktif di registri.")
MSG_RESIDENT_REQUIRED = _("Program ini untuk perorangan: pilih anggota keluarga yang menjadi peserta.")
MSG_RESIDENT_NOT_ALLOWED = _("Program ini untuk keluarga, bukan perorangan.")
MSG_RESIDENT_OUTSIDE = _("Warga ini bukan anggota aktif keluarga tersebut.")
MSG_ALREADY_ENROLLED = _("Peserta ini sudah terdaftar di program ini dan belum selesai.")
MSG_TRANSITION = _("Status kepesertaan tidak dapat diubah dari %(old)s menjadi %(new)s.")
MSG_REASON_REQUIRED = _("Alasan wajib diisi.")
MSG_NOTE_REQUIRED = _("Catat hasil pemeriksaan lapangan.")
MSG_NOT_OWN_HOUSEHOLD = _("Warga hanya dapat mendaftarkan keluarganya sendiri.")

ACTIONS = {
    EnrollmentState.VERIFIED: "enrollment.verify",
    EnrollmentState.APPROVED: "enrollment.approve",
    EnrollmentState.REJECTED: "enrollment.reject",
    EnrollmentState.ACTIVE: "enrollment.start",
    EnrollmentState.SUSPENDED: "enrollment.suspend",
    EnrollmentState.GRADUATED: "enrollment.graduate",
    EnrollmentState.EXITED: "enrollment.exit",
}
ACCEPTING = (ProgramStatus.OPEN, ProgramStatus.RUNNING)


def _require_apply(actor, program: Program, household, channel: str) -> None:
    if channel == Channel.RESIDENT:
        if actor is None or actor.role != Role.RESIDENT or actor.household_id != household.pk:
            raise PermissionDeniedError(MSG_NOT_OWN_HOUSEHOLD)
        return
    if channel == Channel.NOMINATION and actor is not None and actor.role == Role.SURVEYOR:
        if not can_nominate(actor, household):
            raise PermissionDeniedError()
        return
    require_program(actor, P.ENROLLMENT_MANAGE, program)


def _require_accepting(program: Program) -> None:
    if program.status not in ACCEPTING:
        raise DomainError("program_not_open", MSG_PROGRAM_NOT_OPEN, status=program.get_status_display())


def check_participant(program: Program, household, resident) -> None:
    if household.status != HouseholdStatus.ACTIVE:
        raise DomainError("household_inactive", MSG_HOUSEHOLD_INACTIVE)
    if program.participant == Participant.RESIDENT and resident is None:
        raise DomainError("resident_required", MSG_RESIDENT_REQUIRED, field="resident")
    if program.participant == Participant.HOUSEHOLD and resident is not None:
        raise DomainError("resident_not_allowed", MSG_RESIDENT_NOT_ALLOWED, field="resident")
    if resident is not None and (resident.household_id != household.pk or resident.status != ResidentStatus.ACTIVE):
        raise DomainError("resident_outside", MSG_RESIDENT_OUTSIDE, field="resident")


@transaction.atomic
def enrollment_apply(
    *, actor, program: Program, household, resident=None, channel: str = Channel.STAFF, note: str = ""
) -> Enrollment:
    """Record an application (by staff, an RT/RW nomination, the resident, or a referral)."""
    if channel not in Channel.values:
        raise DomainError("channel_invalid", _("Jalur pendaftaran tidak valid."))
    _require_apply(actor, program, household, channel)
    program = Program.objects.get(pk=program.pk)
    _require_accepting(program)
    check_participant(program, household, resident)
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                program=program, household=household, resident=resident, channel=channel, applied_by=actor,
            )
    except IntegrityError:
        raise DomainError("already_enrolled", MSG_ALREADY_ENROLLED) from None
    audit_log(
        actor=actor, action="enrollment.apply", obj=enrollment, household_id=household.pk,
        changes={"program": str(program), "state": [None, enrollment.state], "channel": channel,
                 **({"resident": str(resident)} if resident else {})},
        reason=note,
    )
    return enrollment


def _lock(enrollment: Enrollment) -> Enrollment:
    try:
        # of=("self",): lock the enrollment row only; the program row is locked before, on its own.
        return Enrollment.objects.select_for_update(of=("self",)).select_related("program").get(pk=enrollment.pk)
    except Enrollment.DoesNotExist:
        raise NotFoundError() from None


def _check_transition(enrollment: Enrollment, new: str, reason: str) -> str:
    if new not in ENROLLMENT_TRANSITIONS.get(enrollment.state, set()):
        raise DomainError(
            "enrollment_transition", MSG_TRANSITION,
            old=enrollment.get_state_display(), new=dict(EnrollmentState.choices).get(new, new),
        )
    reason = (reason or "").strip()
    if new in REASON_REQUIRED and not reason:
        message = MSG_NOTE_REQUIRED if new == EnrollmentState.VERIFIED else MSG_REASON_REQUIRED
        raise DomainError("reason_required", message, field="reason")
    return reason


@transaction.atomic
def enrollment_transition(
    *, actor, enrollment: Enrollment, to: str, reason: str = "", acknowledge_warnings: bool = False
) -> Enrollment:
    """Move one enrollment to state ``to`` (see ENROLLMENT_TRANSITIONS); raises and changes nothing if refused."""
    if not has_role_perm(actor, P.ENROLLMENT_MANAGE):
        raise PermissionDeniedError()
    # Lock order everywhere: program, then enrollment(s), then household(s); bulk steps take the
    # program first too, so a single decision and a bulk run on one program queue instead of deadlocking.
    program_id = Enrollment.objects.filter(pk=enrollment.pk).values_list("program_id", flat=True).first()
    if program_id is None:
        raise NotFoundError()
    program = Program.objects.select_for_update().get(pk=program_id)
    enrollment = _lock(enrollment)
    require_program(actor, P.ENROLLMENT_MANAGE, program)
    reason = _check_transition(enrollment, to, reason)
    old = enrollment.state
    now = timezone.now()
    changes: dict = {"state": [old, to]}
    fields = ["state", "updated_at"]
    if to in (EnrollmentState.VERIFIED, EnrollmentState.APPROVED, EnrollmentState.ACTIVE):
        _require_accepting(program)
    if to == EnrollmentState.VERIFIED:
        enrollment.verification_note, enrollment.verified_at = reason, now
        fields += ["verification_note", "verified_at"]
    elif to == EnrollmentState.APPROVED:
        overlap.lock_forbid_policies(program)
        check_participant(program, enrollment.household, enrollment.resident)
        forbidden, warnings = overlap.overlap_check(program=program, household_id=enrollment.household_id)
        if forbidden:
            raise DomainError("overlap_forbidden", overlap.conflict_message(forbidden, user=actor, forbid=True))
        if warnings:
            text = overlap.conflict_message(warnings, user=actor, forbid=False)
            if not acknowledge_warnings:
                raise DomainError("overlap_warning", text)
            changes["overlap_warning"] = text
        cost = program.cost_per_participant
        funding.budget_commit(actor=actor, program=program, amount=cost, seats=1, note=f"enrollment {enrollment.pk}")
        enrollment.committed_amount, enrollment.decided_at = cost, now
        fields += ["committed_amount", "decided_at"]
        changes["committed_amount"] = cost
    elif to == EnrollmentState.REJECTED:
        enrollment.decided_at = now
        fields.append("decided_at")
    elif to == EnrollmentState.ACTIVE and old == EnrollmentState.APPROVED:
        enrollment.started_at = now
        fields.append("started_at")
    elif to in (EnrollmentState.GRADUATED, EnrollmentState.EXITED):
        # Money that approved payments still need stays committed (they are paid, or released, later).
        held = funding.commitment_held(enrollment.pk)
        unspent = max(0, enrollment.committed_amount - enrollment.disbursed_amount - held)
        # A participant who never started gives the place back; one who took part keeps it counted.
        seats = 1 if old == EnrollmentState.APPROVED else 0
        funding.budget_release(actor=actor, program=program, amount=unspent, seats=seats,
                               note=f"enrollment {enrollment.pk}")
        enrollment.committed_amount -= unspent
        enrollment.ended_at = now
        fields += ["committed_amount", "ended_at"]
        if unspent:
            changes["released_amount"] = unspent
    if to in (EnrollmentState.REJECTED, EnrollmentState.SUSPENDED, EnrollmentState.EXITED):
        enrollment.reason = reason
        fields.append("reason")
    enrollment.state = to
    enrollment.save(update_fields=fields)
    action = "enrollment.resume" if old == EnrollmentState.SUSPENDED and to == EnrollmentState.ACTIVE else ACTIONS[to]
    audit_log(actor=actor, action=action, obj=enrollment, household_id=enrollment.household_id,
              changes={"program": str(program), **changes}, reason=reason)
    return enrollment


def enrollment_verify(*, actor, enrollment: Enrollment, note: str) -> Enrollment:
    return enrollment_transition(actor=actor, enrollment=enrollment, to=EnrollmentState.VERIFIED, reason=note)


def enrollment_approve(*, actor, enrollment: Enrollment, acknowledge_warnings: bool = False, note: str = "") -> Enrollment:
    return enrollment_transition(actor=actor, enrollment=enrollment, to=EnrollmentState.APPROVED, reason=note,
                                 acknowledge_warnings=acknowledge_warnings)


def enrollment_reject(*, actor, enrollment: Enrollment, reason: str) -> Enrollment:
    return enrollment_transition(actor=actor, enrollment=enrollment, to=EnrollmentState.REJECTED, reason=reason)


def enrollment_start(*, actor, enrollment: Enrollment, note: str = "") -> Enrollment:
    return enrollment_transition(actor=actor, enrollment=enrollment, to=EnrollmentState.ACTIVE, reason=note)


def enrollment_suspend(*, actor, enrollment: Enrollment, reason: str) -> Enrollment:
    return enrollment_transition(actor=actor, enrollment=enrollment, to=EnrollmentState.SUSPENDED, reason=reason)


@transaction.atomic
def enrollment_resume(*, actor, enrollment: Enrollment, note: str = "") -> Enrollment:
    if not has_role_perm(actor, P.ENROLLMENT_MANAGE):
        raise PermissionDeniedError()
    # The stored state decides, not the caller's copy: a stale "suspended" copy of an approved
    # enrollment would otherwise start it, and an up-to-date enrollment be refused.
    enrollment = _lock(enrollment)
    if enrollment.state != EnrollmentState.SUSPENDED:
        raise DomainError("enrollment_transition", MSG_TRANSITION, old=enrollment.get_state_display(),
                          new=EnrollmentState.ACTIVE.label)
    return enrollment_transition(actor=actor, enrollment=enrollment, to=EnrollmentState.ACTIVE, reason=note)


def enrollment_graduate(*, actor, enrollment: Enrollment, note: str = "") -> Enrollment:
    return enrollment_transition(actor=actor, enrollment=enrollment, to=EnrollmentState.GRADUATED, reason=note)


def enrollment_exit(*, actor, enrollment: Enrollment, reason: str) -> Enrollment:
    return enrollment_transition(actor=actor, enrollment=enrollment, to=EnrollmentState.EXITED, reason=reason)
