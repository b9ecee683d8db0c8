"""Business profiles: create, update, close and reopen."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.core.audit import audit_log, diff, snapshot
from bansos.core.errors import DomainError, Errors, raise_if_errors
from bansos.core.models import RT
from bansos.programs.models import OPEN_STATES, Enrollment, Program, ProgramKind
from bansos.registry.models import HouseholdStatus, Resident, ResidentStatus, Sex
from bansos.registry.models.household import YOUTH_AGES
from bansos.umkm.access import require_business, require_umkm_program, require_umkm_role
from bansos.umkm.models import Business, BusinessStatus, Sector

MSG_REQUIRED = _("Wajib diisi.")
MSG_TOO_LONG = _("Paling banyak %(max)s karakter.")
MSG_INVALID_CHOICE = _("Pilihan tidak valid.")
MSG_OWNER_INACTIVE = _("Pemilik usaha harus warga aktif dari keluarga yang aktif di registri.")
MSG_NOT_ENTERPRISE = _("Pilih program usaha mikro (UMKM); program ini berjenis lain.")
MSG_NOT_ENROLLED = _("Keluarga pemilik belum terdaftar di program ini; daftarkan dahulu melalui halaman program.")
MSG_NIB_FORMAT = _("NIB harus tepat 13 angka.")
MSG_NIB_TAKEN = _("NIB ini sudah tercatat untuk usaha lain.")
MSG_DATE_FUTURE = _("Tanggal tidak boleh di masa depan.")
MSG_DATE = _("Tanggal tidak valid.")
MSG_CLOSE_BEFORE_START = _("Tanggal tutup tidak boleh sebelum usaha dimulai (%(start)s).")
MSG_ALREADY_CLOSED = _("Usaha ini sudah tercatat tutup.")
MSG_NOT_CLOSED = _("Usaha ini masih berjalan.")
MSG_REASON_REQUIRED = _("Alasan wajib diisi.")
MSG_BUSINESS_CLOSED = _("Usaha ini sudah tutup; buka kembali dahulu untuk mencatat bantuan baru.")

PROFILE_FIELDS = ("name", "sector", "products", "started_on", "rt", "address", "nib", "women_owned", "youth_owned")
NIB_RE = re.compile(r"^[0-9]{13}$")


def _text(errors: Errors, data: dict, name: str, max_len: int, *, required: bool) -> str:
    value = data.get(name)
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        errors.add(name, MSG_INVALID_CHOICE)
        return ""
    if required and not value:
        errors.add(name, MSG_REQUIRED)
    elif len(value) > max_len:
        errors.add(name, MSG_TOO_LONG, max=max_len)
    return value


def owner_defaults(owner: Resident, on: dt.date | None = None) -> dict[str, bool]:
    """The flags a business of ``owner`` starts with: women-owned by sex, youth-owned at age 16-30."""
    age = owner.age(on)
    return {"women_owned": owner.sex == Sex.FEMALE,
            "youth_owned": age is not None and YOUTH_AGES[0] <= age <= YOUTH_AGES[1]}


def _clean_profile(data: dict[str, Any], *, instance: Business | None, owner: Resident) -> dict[str, Any]:
    errors = Errors()
    clean: dict[str, Any] = {
        "name": _text(errors, data, "name", 150, required=True),
        "products": _text(errors, data, "products", 250, required=True),
        "address": _text(errors, data, "address", 250, required=False),
    }
    sector = data.get("sector") or ""
    if sector not in Sector.values:
        errors.add("sector", MSG_REQUIRED if not sector else MSG_INVALID_CHOICE)
    clean["sector"] = sector
    started = data.get("started_on")
    if not isinstance(started, dt.date) or isinstance(started, dt.datetime):
        errors.add("started_on", MSG_REQUIRED if started is None else MSG_DATE)
    elif started > timezone.localdate():
        errors.add("started_on", MSG_DATE_FUTURE)
    clean["started_on"] = started
    rt = data.get("rt")
    if rt is not None and not isinstance(rt, RT):
        errors.add("rt", MSG_INVALID_CHOICE)
    clean["rt"] = rt
    nib = data.get("nib") or ""
    nib = nib.strip() if isinstance(nib, str) else ""
    if nib and not NIB_RE.match(nib):
        errors.add("nib", MSG_NIB_FORMAT)
    elif nib and Business.objects.filter(nib=nib).exclude(pk=instance.pk if instance else None).exists():
        errors.add("nib", MSG_NIB_TAKEN)
    clean["nib"] = nib
    defaults = owner_defaults(owner)
    for flag in ("women_owned", "youth_owned"):
        value = data.get(flag)
        if value is None:
            value = getattr(instance, flag) if instance is not None else defaults[flag]
        clean[flag] = bool(value)
    raise_if_errors(errors)
    return clean


def _owner_enrollment_check(owner: Resident, program: Program) -> None:
    if program.kind != ProgramKind.ENTERPRISE:
        raise DomainError("not_enterprise", MSG_NOT_ENTERPRISE, field="program")
    if not Enrollment.objects.filter(program=program, household_id=owner.household_id,
                                     state__in=OPEN_STATES).exists():
        raise DomainError("not_enrolled", MSG_NOT_ENROLLED, field="program")


@transaction.atomic
def business_create(*, actor, owner: Resident, program: Program, data: dict[str, Any]) -> Business:
    """Record a micro-business of an active resident whose household is in the enterprise program."""
    require_umkm_role(actor)
    require_umkm_program(actor, program)
    owner = Resident.objects.select_related("household").filter(pk=owner.pk).first() if owner else None
    if owner is None or owner.status != ResidentStatus.ACTIVE or owner.household.status != HouseholdStatus.ACTIVE:
        raise DomainError("owner_inactive", MSG_OWNER_INACTIVE, field="owner")
    _owner_enrollment_check(owner, program)
    clean = _clean_profile(data, instance=None, owner=owner)
    business = Business.objects.create(owner=owner, household=owner.household, program=program, created_by=actor,
                                       **clean)
    changes = {k: [None, v] for k, v in snapshot(business, ("owner", "program", *PROFILE_FIELDS)).items()
               if v not in (None, "", False)}
    audit_log(actor=actor, action="umkm.business.create", obj=business, household_id=business.household_id,
              changes=changes)
    return business


def _locked(business: Business) -> Business:
    return Business.objects.select_for_update().select_related("program", "owner").get(pk=business.pk)


@transaction.atomic
def business_update(*, actor, business: Business, data: dict[str, Any]) -> Business:
    """Change a business's profile (the owner and the program stay: capital is tied to them)."""
    require_umkm_role(actor)
    business = _locked(business)
    require_business(actor, business)
    before = snapshot(business, PROFILE_FIELDS)
    merged = {**before, "rt": business.rt, "started_on": business.started_on, **data}
    for name, value in _clean_profile(merged, instance=business, owner=business.owner).items():
        setattr(business, name, value)
    business.save()
    changes = diff(before, snapshot(business, PROFILE_FIELDS))
    if changes:
        audit_log(actor=actor, action="umkm.business.update", obj=business, household_id=business.household_id,
                  changes=changes)
    return business


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", MSG_REASON_REQUIRED, field="reason")
    return reason[:200]


@transaction.atomic
def business_close(*, actor, business: Business, closed_on: dt.date, reason: str) -> Business:
    """Record that a business stopped trading (its loans stay owed)."""
    require_umkm_role(actor)
    business = _locked(business)
    require_business(actor, business)
    if business.status == BusinessStatus.CLOSED:
        raise DomainError("already_closed", MSG_ALREADY_CLOSED)
    if not isinstance(closed_on, dt.date):
        raise DomainError("date_invalid", MSG_DATE, field="closed_on")
    if closed_on > timezone.localdate():
        raise DomainError("date_future", MSG_DATE_FUTURE, field="closed_on")
    if closed_on < business.started_on:
        from bansos.core.formats import tanggal

        raise DomainError("close_before_start", MSG_CLOSE_BEFORE_START, field="closed_on",
                          start=tanggal(business.started_on))
    reason = _reason(reason)
    business.status, business.closed_on, business.closed_reason = BusinessStatus.CLOSED, closed_on, reason
    business.save(update_fields=["status", "closed_on", "closed_reason", "updated_at"])
    audit_log(actor=actor, action="umkm.business.close", obj=business, household_id=business.household_id,
              changes={"status": [BusinessStatus.ACTIVE, BusinessStatus.CLOSED], "closed_on": closed_on},
              reason=reason)
    return business


@transaction.atomic
def business_reopen(*, actor, business: Business, reason: str = "") -> Business:
    """Record that a closed business trades again."""
    require_umkm_role(actor)
    business = _locked(business)
    require_business(actor, business)
    if business.status != BusinessStatus.CLOSED:
        raise DomainError("not_closed", MSG_NOT_CLOSED)
    old = business.closed_on
    business.status, business.closed_on, business.closed_reason = BusinessStatus.ACTIVE, None, ""
    business.save(update_fields=["status", "closed_on", "closed_reason", "updated_at"])
    audit_log(actor=actor, action="umkm.business.reopen", obj=business, household_id=business.household_id,
              changes={"status": [BusinessStatus.CLOSED, BusinessStatus.ACTIVE], "closed_on": [old, None]},
              reason=(reason or "").strip()[:200])
    return business


def require_open(business: Business) -> None:
    if business.status == BusinessStatus.CLOSED:
        raise DomainError("business_closed", MSG_BUSINESS_CLOSED)

