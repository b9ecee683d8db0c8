"""Usul (nominations) and sanggah (objections): filed by residents, checked in the field, decided by staff.

Outcome of an accepted objection. The deciding staff member who may change the program's enrollments
(its agency's officer, the kelurahan admin) suspends an active participant rather than ending it: a
suspension pauses the benefit at once and can be resumed, so the agency keeps the last word after hearing
the household (its own review ends it with ``enrollment_exit`` or resumes it). A participant approved but
not started yet has received nothing, so the approval is withdrawn (exit, the place goes back). An RT/RW
officer may not change another agency's enrollments: the objection is recorded as a finding for the
program's agency, whose officers are told and close it with the same suspension or a note.

The objector is never named to the objected household: the objection's audit event belongs to the
objector's household, the decision's to staff, and messages to the objected household say only that a
field check took place.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role, User
from bansos.accounts.permissions import P
from bansos.community.access import require_decide_case, require_resident
from bansos.community.models import (
    CASE_TRANSITIONS, CaseStatus, Nomination, Objection, ObjectionOutcome, Relation,
)
from bansos.community.services.common import (
    MSG_CASE_CLOSED, MSG_CHECK_FIRST, MSG_INVALID_CHOICE, REASON_MIN, day, field_date, text,
)
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError
from bansos.notifications.services import notify
from bansos.programs.access import can_program
from bansos.programs.models import EnrollmentState, Participant, Program
from bansos.programs.services.enrollment import ACCEPTING, enrollment_apply, enrollment_transition
from bansos.registry.models import Household, HouseholdStatus, Relation as FamilyRelation, ResidentStatus

MSG_NOT_FOUND_HOUSEHOLD = _("Keluarga dengan nomor KK atau alamat itu tidak ditemukan di kelurahan ini.")
MSG_ADDRESS_AMBIGUOUS = _("Ada lebih dari satu keluarga di alamat itu; isi nomor KK-nya.")
MSG_FIND_HOW = _("Isi nomor KK, atau RT dan alamat keluarga yang diusulkan.")
MSG_KK_FORMAT = _("Nomor KK terdiri dari 16 angka.")
MSG_PROGRAM_NOT_OPEN = _("Program ini tidak sedang menerima pendaftaran.")
MSG_NOMINATION_DUPLICATE = _("Anda sudah mengusulkan keluarga ini untuk program ini; usul itu masih diproses.")
MSG_OWN_RELATION = _("Keluarga yang ditemukan bukan keluarga Anda; pilih hubungan kerabat atau tetangga.")
MSG_OBJECTION_DUPLICATE = _("Anda sudah pernah menyanggah penerima ini.")
MSG_OBJECTION_OWN = _("Anda tidak dapat menyanggah keluarga sendiri.")
MSG_OBJECTION_OTHER_RW = _("Anda hanya dapat menyanggah penerima di RW Anda sendiri.")
MSG_NOT_FINDING = _("Sanggah ini bukan temuan yang menunggu tindak lanjut lembaga.")
MSG_RESIDENT_OUTSIDE = _("Pilih anggota aktif keluarga yang diusulkan.")


# --- shared steps -----------------------------------------------------------------------------------------

def _check(case, *, actor, note: str, date) -> dict:
    if case.status not in (CaseStatus.SUBMITTED, CaseStatus.CHECKED):
        raise DomainError("case_closed", MSG_CASE_CLOSED)
    note = text(note, field="field_note", limit=2000, minimum=REASON_MIN)
    date = field_date(date)
    old = case.status
    case.status, case.field_note, case.field_date, case.field_by = CaseStatus.CHECKED, note, date, actor
    case.save(update_fields=["status", "field_note", "field_date", "field_by", "updated_at"])
    return {"status": [old, case.status], "field_date": date}


def _decide(case, *, actor, accept: bool, reason: str) -> tuple[str, dict]:
    if case.status not in CASE_TRANSITIONS or not CASE_TRANSITIONS[case.status] & {CaseStatus.ACCEPTED}:
        if case.status == CaseStatus.SUBMITTED:
            raise DomainError("check_first", MSG_CHECK_FIRST, field="field_note")
        raise DomainError("case_closed", MSG_CASE_CLOSED)
    reason = text(reason, field="reason", limit=2000, minimum=REASON_MIN)
    new = CaseStatus.ACCEPTED if accept else CaseStatus.REJECTED
    old = case.status
    case.status, case.decision_reason, case.decided_by, case.decided_at = new, reason, actor, timezone.now()
    return reason, {"status": [old, new]}


def _save_decision(case, *extra: str) -> None:
    case.save(update_fields=["status", "decision_reason", "decided_by", "decided_at", "updated_at", *extra])


# --- nominations ---------------------------------------------------------------------------------------

def household_find(*, kk_number: str = "", rt=None, address: str = "") -> Household:
    """An active household of the kelurahan by its KK number, or by RT and exact address (nothing else shown)."""
    kk_number = (kk_number or "").strip().replace(" ", "")
    address = " ".join((address or "").split())
    active = Household.objects.filter(status=HouseholdStatus.ACTIVE).select_related("rt__rw")
    if kk_number:
        if len(kk_number) != 16 or not kk_number.isdigit():
            raise DomainError("kk_format", MSG_KK_FORMAT, field="kk_number")
        found = active.filter(kk_number=kk_number).first()
        if found is None:
            raise DomainError("household_not_found", MSG_NOT_FOUND_HOUSEHOLD, field="kk_number")
        return found
    if rt is None or not address:
        raise DomainError("household_find", MSG_FIND_HOW, field="kk_number")
    found = list(active.filter(rt=rt, address__iexact=address)[:2])
    if not found:
        raise DomainError("household_not_found", MSG_NOT_FOUND_HOUSEHOLD, field="address")
    if len(found) > 1:
        raise DomainError("address_ambiguous", MSG_ADDRESS_AMBIGUOUS, field="kk_number")
    return found[0]


@transaction.atomic
def nomination_create(*, actor, program: Program, relation: str, reason: str, kk_number: str = "", rt=None,
                      address: str = "") -> Nomination:
    """A signed-in resident nominates a household (its own when no KK/address is given) for an open program."""
    require_resident(actor)
    if relation not in Relation.values:
        raise DomainError("invalid_choice", MSG_INVALID_CHOICE, field="relation")
    program = Program.objects.filter(pk=program.pk).first()
    if program is None or program.status not in ACCEPTING:
        raise DomainError("program_not_open", MSG_PROGRAM_NOT_OPEN, field="program")
    reason = text(reason, field="reason", limit=1000, minimum=REASON_MIN)
    if relation == Relation.OWN and not kk_number and not address:
        household = Household.objects.select_related("rt__rw").get(pk=actor.household_id)
    else:
        household = household_find(kk_number=kk_number, rt=rt, address=address)
    if (relation == Relation.OWN) != (household.pk == actor.household_id):
        raise DomainError("relation_mismatch", MSG_OWN_RELATION, field="relation")
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(program=program, household=household, relation=relation,
                                                   reason=reason, nominated_by=actor)
    except IntegrityError:
        raise DomainError("nomination_duplicate", MSG_NOMINATION_DUPLICATE) from None
    # The nominator's household's history (not the nominee's: a neighbour is not told who nominated them).
    audit_log(actor=actor, action="community.nomination.create", obj=nomination, household_id=actor.household_id,
              changes={"program": str(program), "relation": relation})
    return nomination


def _lock_nomination(nomination: Nomination) -> Nomination:
    found = (Nomination.objects.select_for_update(of=("self",))
             .select_related("program", "household__rt__rw", "nominated_by").filter(pk=nomination.pk).first())
    if found is None:
        raise NotFoundError()
    return found


@transaction.atomic
def nomination_check(*, actor, nomination: Nomination, note: str, date: dt.date) -> Nomination:
    """Record the field check (who, when, what was found); it may be recorded again until the decision."""
    nomination = _lock_nomination(nomination)
    require_decide_case(actor, nomination)
    changes = _check(nomination, actor=actor, note=note, date=date)
    audit_log(actor=actor, action="community.nomination.check", obj=nomination, household_id=nomination.household_id,
              changes={"program": str(nomination.program), **changes}, reason=nomination.field_note)
    return nomination


@transaction.atomic
def nomination_decide(*, actor, nomination: Nomination, accept: bool, reason: str, resident=None) -> Nomination:
    """Accept (the household applies to the program through the nomination channel) or reject, with a reason."""
    nomination = _lock_nomination(nomination)
    require_decide_case(actor, nomination)
    reason, changes = _decide(nomination, actor=actor, accept=accept, reason=reason)
    fields = []
    if accept:
        program, household = nomination.program, nomination.household
        if program.participant == Participant.RESIDENT:
            members = household.residents.filter(status=ResidentStatus.ACTIVE)
            if resident is None:
                resident = members.filter(relation=FamilyRelation.HEAD).first()
            elif not members.filter(pk=resident.pk).exists():
                raise DomainError("resident_outside", MSG_RESIDENT_OUTSIDE, field="resident")
        else:
            resident = None
        enrollment = enrollment_apply(actor=actor, program=program, household=household, resident=resident,
                                      channel="nomination", note=_t("Usul warga #%(id)s diterima: %(reason)s") % {
                                          "id": nomination.pk, "reason": reason})
        nomination.enrollment = enrollment
        fields.append("enrollment")
        changes["enrollment"] = enrollment.pk
    _save_decision(nomination, *fields)
    audit_log(actor=actor, action="community.nomination.decide", obj=nomination,
              household_id=nomination.household_id, changes={"program": str(nomination.program), **changes},
              reason=reason)
    if accept:
        body = _t("Usul Anda untuk program %(program)s diterima setelah cek lapangan. Keluarga yang diusulkan "
                  "telah didaftarkan dan akan diproses oleh lembaga pelaksana. Catatan petugas: %(reason)s")
    else:
        body = _t("Usul Anda untuk program %(program)s tidak diterima. Alasan: %(reason)s")
    notify(topic="community.nomination", user=nomination.nominated_by, actor=actor,
           subject=_t("Hasil usul: %(program)s") % {"program": nomination.program.name},
           body=body % {"program": nomination.program.name, "reason": reason}, reference=f"usul:{nomination.pk}")
    return nomination


# --- objections ----------------------------------------------------------------------------------------

@transaction.atomic
def objection_create(*, actor, enrollment, reason: str) -> Objection:
    """A signed-in resident objects to a beneficiary on its RW's list, with a reason; once per beneficiary."""
    from bansos.community.selectors import listed_enrollment

    require_resident(actor)
    enrollment = listed_enrollment(pk=enrollment.pk)
    own = Household.objects.select_related("rt").get(pk=actor.household_id)
    if enrollment.household_id == own.pk:
        raise DomainError("objection_own", MSG_OBJECTION_OWN)
    if enrollment.household.rt.rw_id != own.rt.rw_id:
        raise PermissionDeniedError(MSG_OBJECTION_OTHER_RW)
    reason = text(reason, field="reason", limit=1000, minimum=REASON_MIN)
    try:
        with transaction.atomic():
            objection = Objection.objects.create(enrollment=enrollment, program=enrollment.program,
                                                 household=enrollment.household, objector=actor, reason=reason)
    except IntegrityError:
        raise DomainError("objection_duplicate", MSG_OBJECTION_DUPLICATE) from None
    # In the objector's household's history: the objected household's history never shows who objected.
    audit_log(actor=actor, action="community.objection.create", obj=objection, household_id=own.pk,
              changes={"program": str(enrollment.program)})
    return objection


def _lock_objection(objection: Objection) -> Objection:
    found = (Objection.objects.select_for_update(of=("self",))
             .select_related("program", "household__rt__rw", "enrollment", "objector")
             .filter(pk=objection.pk).first())
    if found is None:
        raise NotFoundError()
    return found


@transaction.atomic
def objection_check(*, actor, objection: Objection, note: str, date: dt.date) -> Objection:
    """Record the field check of an objection."""
    objection = _lock_objection(objection)
    require_decide_case(actor, objection)
    changes = _check(objection, actor=actor, note=note, date=date)
    audit_log(actor=actor, action="community.objection.check", obj=objection, household_id=objection.household_id,
              changes={"program": str(objection.program), **changes}, reason=objection.field_note)
    return objection


def _enforce(actor, objection: Objection, reason: str) -> str:
    """Suspend (active) or withdraw (approved, not started) the enrollment; the outcome code."""
    enrollment = objection.enrollment
    enrollment.refresh_from_db(fields=["state"])
    note = _t("Sanggah warga terbukti setelah cek lapangan %(date)s: %(reason)s") % {
        "date": day(objection.field_date), "reason": reason}
    if enrollment.state == EnrollmentState.ACTIVE:
        enrollment_transition(actor=actor, enrollment=enrollment, to=EnrollmentState.SUSPENDED, reason=note)
        outcome = ObjectionOutcome.SUSPENDED
    elif enrollment.state == EnrollmentState.APPROVED:
        enrollment_transition(actor=actor, enrollment=enrollment, to=EnrollmentState.EXITED, reason=note)
        outcome = ObjectionOutcome.EXITED
    else:
        return ObjectionOutcome.NO_CHANGE
    # The household is told what happened and why, never by whom it was raised.
    body = _t("Kepesertaan keluarga Anda di program %(program)s %(what)s setelah pemeriksaan lapangan oleh "
              "petugas. Alasan: %(reason)s Jika Anda tidak setuju, hubungi kantor kelurahan atau ajukan pengaduan.")
    what = _t("ditangguhkan sementara") if outcome == ObjectionOutcome.SUSPENDED else _t("dibatalkan")
    notify(topic="community.objection.outcome", household=objection.household, actor=actor,
           subject=_t("Perubahan kepesertaan: %(program)s") % {"program": objection.program.name},
           body=body % {"program": objection.program.name, "what": what, "reason": reason},
           reference=f"kepesertaan:{enrollment.pk}")
    return outcome


def _tell_agency(actor, objection: Objection) -> None:
    officers = User.objects.filter(role=Role.OFFICER, agency_id=objection.program.agency_id, is_active=True)
    for officer in officers.order_by("pk"):
        notify(topic="community.objection.finding", user=officer, actor=actor,
               subject=_t("Temuan sanggah untuk program %(program)s") % {"program": objection.program.name},
               body=_t("Petugas RT/RW menerima sanggah atas seorang penerima program %(program)s setelah cek "
                       "lapangan. Tindak lanjuti di antrean usul/sanggah.") % {"program": objection.program.name},
               reference=f"sanggah:{objection.pk}")


@transaction.atomic
def objection_decide(*, actor, objection: Objection, accept: bool, reason: str) -> Objection:
    """Accept (suspend, or a finding for the program's agency) or reject an objection, with a reason."""
    objection = _lock_objection(objection)
    require_decide_case(actor, objection)
    reason, changes = _decide(objection, actor=actor, accept=accept, reason=reason)
    if accept:
        if can_program(actor, P.ENROLLMENT_MANAGE, objection.program):
            objection.outcome = _enforce(actor, objection, reason)
        else:
            objection.outcome = ObjectionOutcome.FINDING
            _tell_agency(actor, objection)
        changes["outcome"] = objection.outcome
    _save_decision(objection, "outcome")
    audit_log(actor=actor, action="community.objection.decide", obj=objection, household_id=objection.household_id,
              changes={"program": str(objection.program), **changes}, reason=reason)
    if accept:
        body = _t("Sanggah Anda atas penerima program %(program)s diterima setelah cek lapangan (%(outcome)s). "
                  "Catatan petugas: %(reason)s")
    else:
        body = _t("Sanggah Anda atas penerima program %(program)s tidak diterima. Alasan: %(reason)s")
    notify(topic="community.objection", user=objection.objector, actor=actor,
           subject=_t("Hasil sanggah: %(program)s") % {"program": objection.program.name},
           body=body % {"program": objection.program.name, "reason": reason,
                        "outcome": objection.get_outcome_display()}, reference=f"sanggah:{objection.pk}")
    return objection


@transaction.atomic
def objection_finding_close(*, actor, objection: Objection, suspend: bool, note: str) -> Objection:
    """The program's agency closes a finding: suspend the participant as found, or keep it with a note."""
    objection = _lock_objection(objection)
    if objection.outcome != ObjectionOutcome.FINDING or objection.finding_closed_at is not None:
        if not can_program(actor, P.ENROLLMENT_MANAGE, objection.program):
            raise PermissionDeniedError()
        raise DomainError("not_finding", MSG_NOT_FINDING)
    if not can_program(actor, P.ENROLLMENT_MANAGE, objection.program):
        raise PermissionDeniedError()
    note = text(note, field="note", limit=2000, minimum=REASON_MIN)
    outcome = _enforce(actor, objection, note) if suspend else ObjectionOutcome.NO_CHANGE
    objection.finding_note, objection.finding_closed_by, objection.finding_closed_at = note, actor, timezone.now()
    objection.save(update_fields=["finding_note", "finding_closed_by", "finding_closed_at", "updated_at"])
    audit_log(actor=actor, action="community.objection.finding", obj=objection, household_id=objection.household_id,
              changes={"program": str(objection.program), "result": outcome}, reason=note)
    return objection
