"""Every write to the registry. Each runs in a transaction and writes its audit event there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, require, rt_in_scope
from bansos.core.audit import audit_log, diff, snapshot
from bansos.core.errors import DomainError, PermissionDeniedError, ValidationFailed, raise_if_errors
from bansos.registry.models import (
    DSR_TRANSITIONS, HOUSEHOLD_TRANSITIONS, DataSubjectRequest, DsrStatus, Household, HouseholdStatus, Relation,
    Resident, ResidentStatus,
)
from bansos.registry.names import name_key
from bansos.registry.validation import (
    HOUSEHOLD_FIELDS, RESIDENT_FIELDS, Errors, check_household, check_resident, count_heads,
)

MSG_REASON_REQUIRED = _("Tuliskan alasan perubahan.")
MSG_KK_TAKEN = _("Nomor KK ini sudah terdaftar pada keluarga aktif lain.")
MSG_NIK_TAKEN = _("NIK ini sudah terdaftar pada warga aktif lain.")
MSG_ONE_HEAD = _("Satu keluarga harus memiliki tepat satu kepala keluarga.")
MSG_HEAD_EXISTS = _("Keluarga ini sudah memiliki kepala keluarga.")
MSG_HEAD_CANNOT_LEAVE = _(
    "Kepala keluarga masih memiliki anggota aktif; tunjuk kepala keluarga baru terlebih dahulu."
)
MSG_STATUS_TRANSITION = _("Status tidak dapat diubah dari %(old)s menjadi %(new)s.")
MSG_DISSOLVE_MEMBERS = _("Keluarga masih memiliki anggota aktif; pindahkan anggotanya terlebih dahulu.")
MSG_RT_OUT_OF_SCOPE = _("RT ini di luar wilayah tugas Anda.")
MSG_NOT_ACTIVE_HOUSEHOLD = _("Keluarga ini tidak aktif; aktifkan kembali sebelum mengubah anggotanya.")
MSG_SAME_HOUSEHOLD = _("Warga sudah berada di keluarga ini.")
MSG_NOT_ACTIVE_RESIDENT = _("Warga ini tidak aktif.")
MSG_NEW_HEAD_MEMBER = _("Kepala keluarga baru harus anggota aktif keluarga ini.")

_HOUSEHOLD_AUDIT_FIELDS = tuple(HOUSEHOLD_FIELDS) + ("status",)
_RESIDENT_AUDIT_FIELDS = tuple(RESIDENT_FIELDS) + ("status",)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [str(MSG_REASON_REQUIRED)]})
    return reason


def _nik_taken(nik: str, *, exclude_pk: int | None = None) -> bool:
    qs = Resident.objects.filter(nik=nik, status=ResidentStatus.ACTIVE)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _kk_taken(kk: str, *, exclude_pk: int | None = None) -> bool:
    qs = Household.objects.filter(kk_number=kk, status=HouseholdStatus.ACTIVE)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _unique_race(exc: IntegrityError) -> ValidationFailed:
    # Two people saved the same NIK/KK at the same moment: the database constraint won the race.
    # PostgreSQL names the constraint, SQLite the columns of the partial unique index.
    text = str(exc).lower()
    if "household_active_kk_unique" in text or "registry_household.kk_number" in text:
        return ValidationFailed({"kk_number": [str(MSG_KK_TAKEN)]})
    if "resident_one_active_head" in text or "registry_resident.household_id" in text:
        return ValidationFailed({"relation": [str(MSG_HEAD_EXISTS)]})
    if "resident_active_nik_unique" in text or "registry_resident.nik" in text:
        return ValidationFailed({"nik": [str(MSG_NIK_TAKEN)]})
    raise exc


def _check_scope_rt(actor, rt) -> None:
    if not rt_in_scope(actor, rt):
        raise PermissionDeniedError(MSG_RT_OUT_OF_SCOPE)


def _new_resident(household: Household, data: dict[str, Any]) -> Resident:
    fields = {k: v for k, v in data.items() if k in RESIDENT_FIELDS and v is not None}
    resident = Resident(household=household, **fields)
    resident.name_key = name_key(resident.full_name)
    return resident


def household_create(
    *, actor, data: dict[str, Any], members: list[dict[str, Any]], reason: str = ""
) -> Household:
    """Register a household with its members (exactly one head)."""
    require(actor, P.HOUSEHOLD_CREATE)
    errors = Errors()
    clean = check_household({k: data.get(k) for k in HOUSEHOLD_FIELDS if k in data}, errors)
    if clean.get("rt") is not None:
        _check_scope_rt(actor, clean["rt"])
    if clean.get("kk_number") and "kk_number" not in errors and _kk_taken(clean["kk_number"]):
        errors.add("kk_number", MSG_KK_TAKEN)
    cleaned_members = []
    seen_nik: set[str] = set()
    for index, member in enumerate(members):
        member_errors = Errors()
        cleaned = check_resident(member, member_errors)
        nik = cleaned.get("nik")
        if nik and "nik" not in member_errors and (nik in seen_nik or _nik_taken(nik)):
            member_errors.add("nik", MSG_NIK_TAKEN)
        seen_nik.add(nik)
        for field, messages in member_errors.items():
            errors.setdefault(f"members.{index}.{field}", []).extend(messages)
        cleaned_members.append(cleaned)
    if count_heads(cleaned_members) != 1:
        errors.add("members", MSG_ONE_HEAD)
    raise_if_errors(errors)
    try:
        with transaction.atomic():
            household = Household.objects.create(**{k: v for k, v in clean.items() if v is not None})
            residents = Resident.objects.bulk_create([_new_resident(household, m) for m in cleaned_members])
            audit_log(
                actor=actor, action="household.create", obj=household, household_id=household.pk,
                changes={k: [None, v] for k, v in snapshot(household, _HOUSEHOLD_AUDIT_FIELDS).items() if v not in (None, "", False)},
                reason=reason,
            )
            for resident in residents:
                audit_log(
                    actor=actor, action="resident.create", obj=resident, household_id=household.pk,
                    changes={k: [None, v] for k, v in snapshot(resident, RESIDENT_FIELDS).items() if v not in (None, "", False)},
                    reason=reason,
                )
    except IntegrityError as exc:
        raise _unique_race(exc) from exc
    return household


def household_update(*, actor, household: Household, data: dict[str, Any], reason: str) -> Household:
    """Change a household's address, contact, consent or socio-economic attributes."""
    require(actor, P.HOUSEHOLD_CHANGE, household)
    reason = _require_reason(reason)
    errors = Errors()
    clean = check_household({k: v for k, v in data.items() if k in HOUSEHOLD_FIELDS}, errors)
    if clean.get("rt") is not None and clean["rt"].pk != household.rt_id:
        _check_scope_rt(actor, clean["rt"])
    if clean.get("kk_number") and "kk_number" not in errors and clean["kk_number"] != household.kk_number:
        if household.status == HouseholdStatus.ACTIVE and _kk_taken(clean["kk_number"], exclude_pk=household.pk):
            errors.add("kk_number", MSG_KK_TAKEN)
    raise_if_errors(errors)
    try:
        with transaction.atomic():
            locked = Household.objects.select_for_update().get(pk=household.pk)
            before = snapshot(locked, clean.keys())
            for key, value in clean.items():
                setattr(locked, key, value)
            changes = diff(before, snapshot(locked, clean.keys()))
            if changes:
                locked.save(update_fields=[*changes.keys(), "updated_at"])
                audit_log(actor=actor, action="household.update", obj=locked, household_id=locked.pk,
                          changes=changes, reason=reason)
    except IntegrityError as exc:
        raise _unique_race(exc) from exc
    return locked


def household_set_status(*, actor, household: Household, status: str, reason: str) -> Household:
    """Mark a household moved or dissolved, or active again; members follow where needed."""
    require(actor, P.HOUSEHOLD_STATUS, household)
    reason = _require_reason(reason)
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        old = HouseholdStatus(locked.status)
        new = HouseholdStatus(status)
        if new not in HOUSEHOLD_TRANSITIONS[old]:
            raise DomainError("status_transition", MSG_STATUS_TRANSITION, field="status",
                              old=old.label, new=new.label)
        active = list(locked.residents.filter(status=ResidentStatus.ACTIVE))
        if new == HouseholdStatus.DISSOLVED and active:
            raise DomainError("household_has_members", MSG_DISSOLVE_MEMBERS, field="status")
        if new == HouseholdStatus.ACTIVE and _kk_taken(locked.kk_number, exclude_pk=locked.pk):
            raise ValidationFailed({"kk_number": [str(MSG_KK_TAKEN)]})
        locked.status = new
        locked.save(update_fields=["status", "updated_at"])
        audit_log(actor=actor, action="household.status", obj=locked, household_id=locked.pk,
                  changes={"status": [old.value, new.value]}, reason=reason)
        if new == HouseholdStatus.MOVED:
            # The family left together: its members leave the active registry with it, which
            # frees their NIKs should they register again elsewhere in the kelurahan.
            for resident in active:
                resident.status = ResidentStatus.MOVED_OUT
                resident.save(update_fields=["status", "updated_at"])
                audit_log(actor=actor, action="resident.status", obj=resident, household_id=locked.pk,
                          changes={"status": [ResidentStatus.ACTIVE.value, ResidentStatus.MOVED_OUT.value]},
                          reason=reason)
    return locked


def resident_add(*, actor, household: Household, data: dict[str, Any], reason: str = "") -> Resident:
    """Add a member to a household (birth, marriage, moving in)."""
    require(actor, P.RESIDENT_CHANGE, household)
    if household.status != HouseholdStatus.ACTIVE:
        raise DomainError("household_not_active", MSG_NOT_ACTIVE_HOUSEHOLD)
    errors = Errors()
    clean = check_resident({k: data.get(k) for k in RESIDENT_FIELDS if k in data}, errors)
    if clean.get("nik") and "nik" not in errors and _nik_taken(clean["nik"]):
        errors.add("nik", MSG_NIK_TAKEN)
    if clean.get("relation") == Relation.HEAD and household.residents.filter(
        status=ResidentStatus.ACTIVE, relation=Relation.HEAD
    ).exists():
        errors.add("relation", MSG_HEAD_EXISTS)
    raise_if_errors(errors)
    try:
        with transaction.atomic():
            resident = _new_resident(household, clean)
            resident.save()
            audit_log(actor=actor, action="resident.create", obj=resident, household_id=household.pk,
                      changes={k: [None, v] for k, v in snapshot(resident, RESIDENT_FIELDS).items() if v not in (None, "", False)},
                      reason=reason)
    except IntegrityError as exc:
        raise _unique_race(exc) from exc
    return resident


def resident_update(*, actor, resident: Resident, data: dict[str, Any], reason: str) -> Resident:
    """Correct a person's data; the reason is kept in the household's history."""
    require(actor, P.RESIDENT_CHANGE, resident.household)
    reason = _require_reason(reason)
    errors = Errors()
    merged = snapshot_values(resident)
    merged.update({k: v for k, v in data.items() if k in RESIDENT_FIELDS})
    clean = check_resident(merged, errors)
    if clean.get("nik") and "nik" not in errors and clean["nik"] != resident.nik and _nik_taken(
        clean["nik"], exclude_pk=resident.pk
    ):
        errors.add("nik", MSG_NIK_TAKEN)
    if (
        clean.get("relation") == Relation.HEAD
        and resident.relation != Relation.HEAD
        and resident.household.residents.filter(status=ResidentStatus.ACTIVE, relation=Relation.HEAD)
        .exclude(pk=resident.pk)
        .exists()
    ):
        errors.add("relation", MSG_HEAD_EXISTS)
    if resident.relation == Relation.HEAD and clean.get("relation") != Relation.HEAD:
        errors.add("relation", MSG_ONE_HEAD)
    raise_if_errors(errors)
    try:
        with transaction.atomic():
            locked = Resident.objects.select_for_update().get(pk=resident.pk)
            before = snapshot(locked, RESIDENT_FIELDS)
            for key in RESIDENT_FIELDS:
                if key in clean:
                    setattr(locked, key, clean[key])
            locked.name_key = name_key(locked.full_name)
            changes = diff(before, snapshot(locked, RESIDENT_FIELDS))
            if changes:
                locked.save(update_fields=[*changes.keys(), "name_key", "updated_at"])
                audit_log(actor=actor, action="resident.update", obj=locked, household_id=locked.household_id,
                          changes=changes, reason=reason)
    except IntegrityError as exc:
        raise _unique_race(exc) from exc
    return locked


def snapshot_values(resident: Resident) -> dict[str, Any]:
    return {k: getattr(resident, k) for k in RESIDENT_FIELDS}


def resident_set_status(*, actor, resident: Resident, status: str, reason: str) -> Resident:
    """Record that a person moved out of the kelurahan or died."""
    require(actor, P.RESIDENT_CHANGE, resident.household)
    reason = _require_reason(reason)
    new = ResidentStatus(status)
    with transaction.atomic():
        locked = Resident.objects.select_for_update().select_related("household").get(pk=resident.pk)
        if locked.status != ResidentStatus.ACTIVE or new == ResidentStatus.ACTIVE:
            raise DomainError("status_transition", MSG_STATUS_TRANSITION, field="status",
                              old=ResidentStatus(locked.status).label, new=new.label)
        if locked.relation == Relation.HEAD and locked.household.residents.filter(
            status=ResidentStatus.ACTIVE
        ).exclude(pk=locked.pk).exists():
            raise DomainError("head_has_members", MSG_HEAD_CANNOT_LEAVE, field="status")
        old = locked.status
        locked.status = new
        locked.save(update_fields=["status", "updated_at"])
        audit_log(actor=actor, action="resident.status", obj=locked, household_id=locked.household_id,
                  changes={"status": [old, new.value]}, reason=reason)
    return locked


def household_change_head(*, actor, household: Household, new_head: Resident, old_head_relation: str,
                          reason: str) -> Household:
    """Make another active member the head; the old head takes ``old_head_relation``."""
    require(actor, P.RESIDENT_CHANGE, household)
    reason = _require_reason(reason)
    if new_head.household_id != household.pk or new_head.status != ResidentStatus.ACTIVE:
        raise DomainError("new_head_not_member", MSG_NEW_HEAD_MEMBER, field="new_head")
    if old_head_relation == Relation.HEAD:
        raise ValidationFailed({"old_head_relation": [str(MSG_ONE_HEAD)]})
    with transaction.atomic():
        Household.objects.select_for_update().get(pk=household.pk)
        old_head = household.residents.filter(status=ResidentStatus.ACTIVE, relation=Relation.HEAD).first()
        if old_head and old_head.pk != new_head.pk:
            old_head.relation = old_head_relation
            old_head.save(update_fields=["relation", "updated_at"])
            audit_log(actor=actor, action="resident.update", obj=old_head, household_id=household.pk,
                      changes={"relation": [Relation.HEAD.value, old_head_relation]}, reason=reason)
        if new_head.relation != Relation.HEAD:
            previous = new_head.relation
            new_head.relation = Relation.HEAD
            new_head.save(update_fields=["relation", "updated_at"])
            audit_log(actor=actor, action="resident.update", obj=new_head, household_id=household.pk,
                      changes={"relation": [previous, Relation.HEAD.value]}, reason=reason)
    return household


def resident_move(*, actor, resident: Resident, to_household: Household, relation: str, reason: str) -> Resident:
    """Move a person into another household (marriage, a child setting up a new KK)."""
    require(actor, P.RESIDENT_CHANGE, resident.household)
    require(actor, P.RESIDENT_CHANGE, to_household)
    reason = _require_reason(reason)
    if to_household.pk == resident.household_id:
        raise DomainError("same_household", MSG_SAME_HOUSEHOLD, field="to_household")
    if to_household.status != HouseholdStatus.ACTIVE:
        raise DomainError("household_not_active", MSG_NOT_ACTIVE_HOUSEHOLD, field="to_household")
    if resident.status != ResidentStatus.ACTIVE:
        raise DomainError("resident_not_active", MSG_NOT_ACTIVE_RESIDENT)
    with transaction.atomic():
        # Lock both households in id order so two opposite moves cannot deadlock.
        for pk in sorted({resident.household_id, to_household.pk}):
            Household.objects.select_for_update().get(pk=pk)
        locked = Resident.objects.select_for_update().get(pk=resident.pk)
        source_id = locked.household_id
        if locked.relation == Relation.HEAD and Resident.objects.filter(
            household_id=source_id, status=ResidentStatus.ACTIVE
        ).exclude(pk=locked.pk).exists():
            raise DomainError("head_has_members", MSG_HEAD_CANNOT_LEAVE, field="relation")
        if relation == Relation.HEAD and to_household.residents.filter(
            status=ResidentStatus.ACTIVE, relation=Relation.HEAD
        ).exists():
            raise ValidationFailed({"relation": [str(MSG_HEAD_EXISTS)]})
        old_relation = locked.relation
        locked.household = to_household
        locked.relation = relation
        locked.save(update_fields=["household", "relation", "updated_at"])
        changes = {"household": [str(source_id), str(to_household.pk)], "relation": [old_relation, relation]}
        audit_log(actor=actor, action="resident.move_out", obj=locked, household_id=source_id,
                  changes=changes, reason=reason)
        audit_log(actor=actor, action="resident.move_in", obj=locked, household_id=to_household.pk,
                  changes=changes, reason=reason)
    return locked


# --- Data-subject requests (UU PDP) ----------------------------------------------------------

# UU PDP gives the controller 3 x 24 hours to act on most requests (access, correction, stopping
# processing after consent is withdrawn).
DSR_DEADLINE = dt.timedelta(hours=72)


def dsr_create(*, actor, household: Household, kind: str, requester_name: str, description: str,
               resident: Resident | None = None) -> DataSubjectRequest:
    """Record a resident's request about their personal data; the deadline starts now."""
    require(actor, P.DSR_MANAGE, household)
    errors = Errors()
    if not (requester_name or "").strip():
        errors.add("requester_name", _("Wajib diisi."))
    if not (description or "").strip():
        errors.add("description", _("Wajib diisi."))
    if resident is not None and resident.household_id != household.pk:
        errors.add("resident", _("Warga bukan anggota keluarga ini."))
    raise_if_errors(errors)
    with transaction.atomic():
        request = DataSubjectRequest.objects.create(
            household=household, resident=resident, kind=kind, requester_name=requester_name.strip(),
            description=description.strip(), due_at=timezone.now() + DSR_DEADLINE,
        )
        audit_log(actor=actor, action="dsr.create", obj=request, object_label=f"{request.get_kind_display()}",
                  household_id=household.pk, changes={"kind": [None, kind]}, reason=description.strip())
    return request


def dsr_set_status(*, actor, request: DataSubjectRequest, status: str, resolution: str = "") -> DataSubjectRequest:
    """Move a data-subject request on; closing it needs a resolution text."""
    require(actor, P.DSR_MANAGE, request.household)
    new = DsrStatus(status)
    with transaction.atomic():
        locked = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
        old = DsrStatus(locked.status)
        if new not in DSR_TRANSITIONS[old]:
            raise DomainError("status_transition", MSG_STATUS_TRANSITION, field="status",
                              old=old.label, new=new.label)
        if new in (DsrStatus.DONE, DsrStatus.REFUSED) and not resolution.strip():
            raise ValidationFailed({"resolution": [str(_("Tuliskan penyelesaian atau alasan penolakan."))]})
        locked.status = new
        locked.handled_by = actor
        if resolution.strip():
            locked.resolution = resolution.strip()
        if new in (DsrStatus.DONE, DsrStatus.REFUSED):
            locked.closed_at = timezone.now()
        locked.save()
        audit_log(actor=actor, action="dsr.status", obj=locked, object_label=locked.get_kind_display(),
                  household_id=locked.household_id, changes={"status": [old.value, new.value]},
                  reason=resolution.strip())
    return locked


MSG_EMPLOYMENT_STATUS = _("Pilih status pekerjaan yang tersedia.")
MSG_OCCUPATION_LONG = _("Pekerjaan paling banyak 80 karakter.")


def resident_employment_set(*, actor, resident: Resident, employment_status: str, occupation: str,
                            reason: str) -> Resident:
    """Record a person's work (status and occupation only), e.g. a hire through a job referral.

    Allowed to whoever may change the person's data, and to staff who record the outcomes of job
    referrals (``P.JOBS_MANAGE``): those two fields only, and the jobs service checks first that the
    referral is theirs. Audited on the household's history like ``resident_update``.
    """
    from bansos.accounts.permissions import has_perm, has_role_perm

    if not (has_perm(actor, P.RESIDENT_CHANGE, resident.household) or has_role_perm(actor, P.JOBS_MANAGE)):
        raise PermissionDeniedError()
    reason = _require_reason(reason)
    from bansos.registry.models import EmploymentStatus

    errors = Errors()
    if employment_status not in EmploymentStatus.values:
        errors.add("employment_status", MSG_EMPLOYMENT_STATUS)
    occupation = (occupation or "").strip()
    if len(occupation) > 80:
        errors.add("occupation", MSG_OCCUPATION_LONG)
    raise_if_errors(errors)
    with transaction.atomic():
        locked = Resident.objects.select_for_update().get(pk=resident.pk)
        if locked.status != ResidentStatus.ACTIVE:
            raise DomainError("resident_inactive", MSG_NOT_ACTIVE_RESIDENT)
        before = snapshot(locked, ("employment_status", "occupation"))
        locked.employment_status = employment_status
        locked.occupation = occupation
        changes = diff(before, snapshot(locked, ("employment_status", "occupation")))
        if changes:
            locked.save(update_fields=[*changes.keys(), "updated_at"])
            audit_log(actor=actor, action="resident.employment", obj=locked, household_id=locked.household_id,
                      changes=changes, reason=reason)
    return locked


MSG_SCHOOL_ENROLMENT = _("Pilih status sekolah yang tersedia.")


def resident_school_enrolment_set(*, actor, resident: Resident, school_enrolment: str, reason: str) -> Resident:
    """Record whether a person is in school, e.g. when the education app enrolls or drops a student.

    Allowed to whoever may change the person's data, and to staff who keep student records
    (``P.EDUCATION_MANAGE``): this one field only; the education service checks its own object rules
    first. Audited on the household's history like ``resident_update``.
    """
    from bansos.accounts.permissions import has_perm, has_role_perm
    from bansos.registry.models import SchoolEnrolment

    if not (has_perm(actor, P.RESIDENT_CHANGE, resident.household) or has_role_perm(actor, P.EDUCATION_MANAGE)):
        raise PermissionDeniedError()
    reason = _require_reason(reason)
    if school_enrolment not in SchoolEnrolment.values:
        raise ValidationFailed({"school_enrolment": [MSG_SCHOOL_ENROLMENT]})
    with transaction.atomic():
        locked = Resident.objects.select_for_update().get(pk=resident.pk)
        if locked.status != ResidentStatus.ACTIVE:
            raise DomainError("resident_inactive", MSG_NOT_ACTIVE_RESIDENT)
        if locked.school_enrolment != school_enrolment:
            changes = {"school_enrolment": [locked.school_enrolment, school_enrolment]}
            locked.school_enrolment = school_enrolment
            locked.save(update_fields=["school_enrolment", "updated_at"])
            audit_log(actor=actor, action="resident.school", obj=locked, household_id=locked.household_id,
                      changes=changes, reason=reason)
    return locked


def resident_pregnancy_set(*, actor, resident: Resident, pregnant: bool, reason: str) -> Resident:
    """Set or clear a woman's ``pregnant`` flag as a pregnancy opens or ends (that field only).

    Allowed to whoever may change the person's data, and to health staff who may record the health of the
    woman's household (``bansos.health.access``: the kelurahan admin, a cadre of the posyandu serving her RT).
    Audited on the household's history like ``resident_update``, without the pregnancy's health details.
    """
    from bansos.accounts.permissions import has_perm
    from bansos.health.access import can_household

    if not (has_perm(actor, P.RESIDENT_CHANGE, resident.household)
            or can_household(actor, P.HEALTH_RECORD, resident.household)):
        raise PermissionDeniedError()
    reason = _require_reason(reason)
    with transaction.atomic():
        locked = Resident.objects.select_for_update().get(pk=resident.pk)
        if pregnant and locked.sex != "P":
            raise ValidationFailed({"pregnant": [str(_("Hanya perempuan yang dapat ditandai hamil."))]})
        if locked.pregnant != pregnant:
            locked.pregnant = pregnant
            locked.save(update_fields=["pregnant", "updated_at"])
            audit_log(actor=actor, action="resident.pregnant", obj=locked, household_id=locked.household_id,
                      changes={"pregnant": [not pregnant, pregnant]}, reason=reason)
    return locked
