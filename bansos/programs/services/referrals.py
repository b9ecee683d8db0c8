"""Referrals between programs: a family's path from cash aid to training to business capital.

The sending program's agency (or the kelurahan admin) sends; the receiving program's agency
accepts, declines with a reason, or enrols the family, which links the new enrollment.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, has_role_perm
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, PermissionDeniedError
from bansos.programs.access import require_program
from bansos.programs.models import (
    REFERRAL_TRANSITIONS, Channel, Enrollment, Program, ProgramStatus, Referral, ReferralStatus,
)
from bansos.programs.services.enrollment import check_participant, enrollment_apply

MSG_FROM_NOT_ENROLLED = _("Keluarga ini tidak terdaftar di program asal rujukan.")
MSG_TO_CLOSED = _("Program tujuan sudah selesai.")
MSG_SAME_PROGRAM = _("Program tujuan harus berbeda dari program asal.")
MSG_ALREADY_REFERRED = _("Keluarga ini sudah dirujuk ke program tersebut dan rujukannya belum dijawab.")
MSG_TRANSITION = _("Rujukan tidak dapat diubah dari %(old)s menjadi %(new)s.")
MSG_REASON_REQUIRED = _("Alasan wajib diisi.")


@transaction.atomic
def referral_send(
    *, actor, household, to_program: Program, from_program: Program | None = None, resident=None, note: str = ""
) -> Referral:
    """Refer a household (or one member) to another program. Officers refer from their own programs."""
    if not has_role_perm(actor, P.REFERRAL_MANAGE):
        raise PermissionDeniedError()
    if from_program is None:
        if actor.role != "admin":  # only the kelurahan refers without a program of its own
            raise PermissionDeniedError()
    else:
        require_program(actor, P.REFERRAL_MANAGE, from_program)
        if from_program.pk == to_program.pk:
            raise DomainError("referral_same_program", MSG_SAME_PROGRAM, field="to_program")
        if not Enrollment.objects.filter(program=from_program, household=household).exists():
            raise DomainError("referral_not_enrolled", MSG_FROM_NOT_ENROLLED)
    # The stored program decides (the caller's copy may predate its closing or a change of participant).
    to_program = Program.objects.get(pk=to_program.pk)
    if to_program.status == ProgramStatus.CLOSED:
        raise DomainError("program_closed", MSG_TO_CLOSED, field="to_program")
    check_participant(to_program, household, resident)
    pending = Referral.objects.filter(household=household, to_program=to_program,
                                      status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED))
    if pending.exists():
        raise DomainError("referral_pending", MSG_ALREADY_REFERRED)
    try:
        with transaction.atomic():
            referral = Referral.objects.create(household=household, resident=resident, from_program=from_program,
                                               to_program=to_program, note=(note or "").strip(), created_by=actor)
    except IntegrityError:  # referral_pending_unique: another officer's referral got in first
        raise DomainError("referral_pending", MSG_ALREADY_REFERRED) from None
    audit_log(actor=actor, action="referral.send", obj=referral, household_id=household.pk,
              changes={"from_program": str(from_program or "-"), "to_program": str(to_program)}, reason=note)
    return referral


def _answer(actor, referral: Referral, status: str, response: str) -> Referral:
    referral = Referral.objects.select_for_update().select_related("to_program").get(pk=referral.pk)
    require_program(actor, P.REFERRAL_MANAGE, referral.to_program)
    if status not in REFERRAL_TRANSITIONS[referral.status]:
        raise DomainError("referral_transition", MSG_TRANSITION, old=referral.get_status_display(),
                          new=dict(ReferralStatus.choices)[status])
    old = referral.status
    referral.status = status
    referral.response = (response or "").strip()
    referral.save(update_fields=["status", "response", "updated_at"])
    action = {ReferralStatus.ACCEPTED: "referral.accept", ReferralStatus.DECLINED: "referral.decline",
              ReferralStatus.ENROLLED: "referral.enroll"}[status]
    audit_log(actor=actor, action=action, obj=referral, household_id=referral.household_id,
              changes={"status": [old, status], "to_program": str(referral.to_program)}, reason=referral.response)
    return referral


@transaction.atomic
def referral_accept(*, actor, referral: Referral, response: str = "") -> Referral:
    return _answer(actor, referral, ReferralStatus.ACCEPTED, response)


@transaction.atomic
def referral_decline(*, actor, referral: Referral, response: str) -> Referral:
    if not (response or "").strip():
        raise DomainError("reason_required", MSG_REASON_REQUIRED, field="response")
    return _answer(actor, referral, ReferralStatus.DECLINED, response)


@transaction.atomic
def referral_enroll(*, actor, referral: Referral, resident=None, note: str = "") -> Enrollment:
    """Create the application in the receiving program from the referral and close the referral."""
    referral = _answer(actor, referral, ReferralStatus.ENROLLED, note)
    enrollment = enrollment_apply(
        actor=actor, program=referral.to_program, household=referral.household,
        resident=resident if resident is not None else referral.resident, channel=Channel.REFERRAL, note=note,
    )
    referral.enrollment = enrollment
    referral.save(update_fields=["enrollment", "updated_at"])
    return enrollment
