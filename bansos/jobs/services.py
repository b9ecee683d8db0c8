"""Every write of the jobs app: vacancies, referrals and their outcomes.

Each service checks its permission and rules, runs in one transaction and writes an audit event;
referral events carry the household, so they show in the family's history. A hire also records the
person's employment through the registry's service in the same transaction.

A company may hire more people than the openings it posted (it decides, not the platform): the
service records every hire, and the pages warn when the hires exceed the openings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, has_role_perm
from bansos.core.audit import audit_log, diff, snapshot
from bansos.core.errors import DomainError, Errors, PermissionDeniedError, ValidationFailed, raise_if_errors
from bansos.jobs.access import (
    can_refer, company_for_new_vacancy, require_manage_vacancy, require_record_outcome, vacancy_scope,
)
from bansos.jobs.matching import vacancy_candidates
from bansos.jobs.models import REFERRAL_TRANSITIONS, JobReferral, ReferralStatus, Vacancy, VacancyStatus
from bansos.registry.models import EmploymentStatus
from bansos.training.models import SkillArea

AGE_MIN, AGE_MAX = 15, 65  # working age for a vacancy (UU 13/2003: 15 with conditions; 65 a ceiling)

MSG_POSITION = _("Tuliskan nama posisi.")
MSG_POSITION_LONG = _("Nama posisi paling banyak 150 karakter.")
MSG_TEXT_LONG = _("Paling banyak %(n)s karakter.")
MSG_SKILLS = _("Pilih sedikitnya satu bidang keterampilan yang dibutuhkan.")
MSG_SKILL_UNKNOWN = _("Bidang keterampilan tidak dikenal: %(value)s.")
MSG_OPENINGS = _("Jumlah lowongan sedikitnya 1 orang.")
MSG_WAGE = _("Upah harus bilangan bulat Rupiah lebih dari 0.")
MSG_WAGE_RANGE = _("Upah minimum tidak boleh lebih besar dari upah maksimum.")
MSG_AGE = _("Usia harus antara 15 dan 65 tahun.")
MSG_AGE_RANGE = _("Usia minimum tidak boleh lebih besar dari usia maksimum.")
MSG_CLOSING_DATE = _("Isi batas lamaran dengan tanggal yang valid.")
MSG_CLOSING_PAST = _("Batas lamaran tidak boleh tanggal yang sudah lewat.")
MSG_VACANCY_CLOSED = _("Lowongan ini sudah ditutup.")
MSG_VACANCY_PAST = _("Batas lamaran lowongan ini sudah lewat; rujukan tidak dapat dikirim lagi.")
MSG_REASON = _("Tuliskan alasan penutupan lowongan.")
MSG_ALREADY_REFERRED = _("Warga ini sudah pernah dirujuk ke lowongan ini.")
MSG_NOT_CANDIDATE = _(
    "Warga ini bukan calon yang cocok untuk lowongan ini dalam lingkup Anda (pelatihan, usia, jenis kelamin "
    "atau status pekerjaan tidak sesuai)."
)
MSG_TRANSITION = _("Status rujukan tidak dapat diubah dari %(old)s menjadi %(new)s.")
MSG_STATUS_UNKNOWN = _("Pilih hasil rujukan yang tersedia.")
MSG_HIRE_WAGE = _("Isi upah per bulan (bilangan bulat Rupiah lebih dari 0) untuk warga yang diterima bekerja.")
MSG_HIRE_START = _("Isi tanggal mulai bekerja.")

VACANCY_FIELDS = ("position", "description", "skill_areas", "openings", "wage_min", "wage_max", "location",
                  "min_age", "max_age", "women_only", "closing_date")


def _int(value: Any) -> int | None:
    """An integer from a form or JSON value; floats, booleans and text like '1.5' are not Rupiah."""
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _text(errors: Errors, data: dict, name: str, limit: int) -> str:
    value = str(data.get(name) or "").strip()
    if len(value) > limit:
        errors.add(name, MSG_TEXT_LONG, n=limit)
    return value


def check_vacancy(data: dict[str, Any], *, creating: bool, old_closing: dt.date | None = None) -> dict[str, Any]:
    """Clean vacancy input or raise ValidationFailed listing every problem."""
    errors = Errors()
    clean: dict[str, Any] = {}
    position = str(data.get("position") or "").strip()
    if not position:
        errors.add("position", MSG_POSITION)
    elif len(position) > 150:
        errors.add("position", MSG_POSITION_LONG)
    clean["position"] = position
    clean["description"] = _text(errors, data, "description", 5000)
    clean["location"] = _text(errors, data, "location", 150)
    skills = data.get("skill_areas") or []
    if isinstance(skills, str):
        skills = [skills]
    seen: list[str] = []
    for value in skills:
        if value not in SkillArea.values:
            errors.add("skill_areas", MSG_SKILL_UNKNOWN, value=value)
        elif value not in seen:
            seen.append(value)
    if not skills:
        errors.add("skill_areas", MSG_SKILLS)
    clean["skill_areas"] = seen
    openings = _int(data.get("openings"))
    if openings is None or openings < 1:
        errors.add("openings", MSG_OPENINGS)
    clean["openings"] = openings
    for name in ("wage_min", "wage_max"):
        wage = _int(data.get(name))
        if wage is None or wage <= 0:
            errors.add(name, MSG_WAGE)
        clean[name] = wage
    if "wage_min" not in errors and "wage_max" not in errors and clean["wage_min"] > clean["wage_max"]:
        errors.add("wage_max", MSG_WAGE_RANGE)
    for name in ("min_age", "max_age"):
        age = _int(data.get(name))
        if age is None or not AGE_MIN <= age <= AGE_MAX:
            errors.add(name, MSG_AGE)
        clean[name] = age
    if "min_age" not in errors and "max_age" not in errors and clean["min_age"] > clean["max_age"]:
        errors.add("max_age", MSG_AGE_RANGE)
    clean["women_only"] = bool(data.get("women_only"))
    closing = data.get("closing_date")
    if isinstance(closing, str):
        try:
            closing = dt.date.fromisoformat(closing)
        except ValueError:
            closing = None
    if not isinstance(closing, dt.date) or isinstance(closing, dt.datetime):
        errors.add("closing_date", MSG_CLOSING_DATE)
    elif (creating or closing != old_closing) and closing < timezone.localdate():
        errors.add("closing_date", MSG_CLOSING_PAST)
    clean["closing_date"] = closing
    raise_if_errors(errors)
    return clean


def vacancy_create(*, actor, data: dict[str, Any]) -> Vacancy:
    """Post a company's vacancy (its officer for their own company; the admin for any)."""
    company = company_for_new_vacancy(actor, data.get("company"))
    clean = check_vacancy(data, creating=True)
    with transaction.atomic():
        vacancy = Vacancy.objects.create(company=company, created_by=actor, **clean)
        audit_log(actor=actor, action="jobs.vacancy.create", obj=vacancy,
                  changes={k: [None, v] for k, v in snapshot(vacancy, ("company", *VACANCY_FIELDS)).items()})
    return vacancy


def vacancy_update(*, actor, vacancy: Vacancy, data: dict[str, Any], reason: str = "") -> Vacancy:
    """Change an open vacancy (a closing date moved must not be in the past)."""
    require_manage_vacancy(actor, vacancy)
    clean = check_vacancy({**snapshot(vacancy, VACANCY_FIELDS), **data}, creating=False,
                          old_closing=vacancy.closing_date)
    with transaction.atomic():
        locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        if locked.status != VacancyStatus.OPEN:
            raise DomainError("vacancy_closed", MSG_VACANCY_CLOSED)
        before = snapshot(locked, VACANCY_FIELDS)
        for key, value in clean.items():
            setattr(locked, key, value)
        changes = diff(before, snapshot(locked, VACANCY_FIELDS))
        if changes:
            locked.save(update_fields=[*changes.keys(), "updated_at"])
            audit_log(actor=actor, action="jobs.vacancy.update", obj=locked, changes=changes,
                      reason=(reason or "").strip())
    return locked


def vacancy_close(*, actor, vacancy: Vacancy, reason: str) -> Vacancy:
    """Close a vacancy (filled, or withdrawn by the company); its referrals keep their outcomes."""
    require_manage_vacancy(actor, vacancy)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [str(MSG_REASON)]})
    with transaction.atomic():
        locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        if locked.status != VacancyStatus.OPEN:
            raise DomainError("vacancy_closed", MSG_VACANCY_CLOSED)
        locked.status = VacancyStatus.CLOSED
        locked.save(update_fields=["status", "updated_at"])
        audit_log(actor=actor, action="jobs.vacancy.close", obj=locked,
                  changes={"status": [VacancyStatus.OPEN.value, VacancyStatus.CLOSED.value]}, reason=reason)
    return locked


def referral_create(*, actor, vacancy: Vacancy, resident, note: str = "") -> JobReferral:
    """Refer a matching resident to an open vacancy; the reasons of the match are kept with it."""
    if not has_role_perm(actor, P.JOBS_REFER) or not can_refer(actor, vacancy):
        raise PermissionDeniedError()
    if not Vacancy.objects.filter(vacancy_scope(actor), pk=vacancy.pk).exists():
        raise PermissionDeniedError()
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationFailed({"note": [str(MSG_TEXT_LONG % {"n": 2000})]})
    with transaction.atomic():
        # The vacancy row is the lock: a close or a second referral of the same person waits here.
        locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        if locked.status != VacancyStatus.OPEN:
            raise DomainError("vacancy_closed", MSG_VACANCY_CLOSED)
        if locked.closing_date < timezone.localdate():
            raise DomainError("vacancy_past", MSG_VACANCY_PAST)
        found = vacancy_candidates(user=actor, vacancy=locked, resident_id=resident.pk)
        if not found:
            raise DomainError("not_candidate", MSG_NOT_CANDIDATE, field="resident")
        candidate = found[0]
        if candidate.referred:
            raise DomainError("already_referred", MSG_ALREADY_REFERRED, field="resident")
        try:
            with transaction.atomic():
                referral = JobReferral.objects.create(
                    vacancy=locked, resident_id=candidate.resident_id, household_id=candidate.household_id,
                    referring_agency_id=actor.agency_id, match_reasons=candidate.reasons(), note=note,
                    referred_by=actor,
                )
        except IntegrityError as exc:  # the unique constraint, should a referral slip past the lock
            raise DomainError("already_referred", MSG_ALREADY_REFERRED, field="resident") from exc
        audit_log(actor=actor, action="jobs.referral.create", obj=referral, household_id=referral.household_id,
                  changes={"vacancy": [None, str(locked)], "status": [None, ReferralStatus.REFERRED.value]},
                  reason=note)
    return referral


def referral_outcome(*, actor, referral: JobReferral, status: str, wage: Any = None,
                     start_date: dt.date | None = None, note: str = "") -> JobReferral:
    """Record what came of a referral; a hire sets the person's work through the registry."""
    require_record_outcome(actor, referral)
    if status not in ReferralStatus.values or status == ReferralStatus.REFERRED:
        raise ValidationFailed({"status": [str(MSG_STATUS_UNKNOWN)]})
    new = ReferralStatus(status)
    note = (note or "").strip()
    hire_wage = None
    if new == ReferralStatus.HIRED:
        errors = Errors()
        hire_wage = _int(wage)
        if hire_wage is None or hire_wage <= 0:
            errors.add("wage", MSG_HIRE_WAGE)
        if not isinstance(start_date, dt.date):
            errors.add("start_date", MSG_HIRE_START)
        raise_if_errors(errors)
    from bansos.registry.services import resident_employment_set

    with transaction.atomic():
        locked = JobReferral.objects.select_for_update().select_related(
            "vacancy__company", "resident").get(pk=referral.pk)
        old = ReferralStatus(locked.status)
        if new not in REFERRAL_TRANSITIONS[old]:
            raise DomainError("status_transition", MSG_TRANSITION, field="status", old=old.label, new=new.label)
        locked.status = new
        locked.outcome_note = note
        changes: dict[str, Any] = {"status": [old.value, new.value]}
        if new == ReferralStatus.HIRED:
            locked.wage, locked.start_date = hire_wage, start_date
            changes.update(wage=[None, hire_wage], start_date=[None, start_date])
        locked.save(update_fields=["status", "outcome_note", "wage", "start_date", "updated_at"])
        audit_log(actor=actor, action=f"jobs.referral.{new.value}", obj=locked, household_id=locked.household_id,
                  changes=changes, reason=note)
        if new == ReferralStatus.HIRED:
            vacancy = locked.vacancy
            with translation.override("id"):  # the history keeps the registry's language
                why = str(_("Diterima bekerja sebagai %(position)s di %(company)s (rujukan kerja)")
                          % {"position": vacancy.position, "company": vacancy.company.name})
            resident_employment_set(
                actor=actor, resident=locked.resident, employment_status=EmploymentStatus.EMPLOYEE,
                occupation=vacancy.position[:80], reason=why,
            )
    return locked
