"""Domain checks on household and resident data, shared by pages, the API and the import.

Input arrives typed (forms, API schemas and the import parser convert text first); these
functions check the rules that need the registry or several fields at once and collect every
problem as {field: [message, ...]} so a user sees all of them at once.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.core.errors import DomainError, Errors
from bansos.registry.identifiers import check_nik_matches, parse_kk, parse_nik
from bansos.registry.models import ASSET_FIELDS, Relation, Sex
from bansos.registry.names import clean_name

MSG_REQUIRED = _("Wajib diisi.")
MSG_BIRTH_FUTURE = _("Tanggal lahir tidak boleh di masa depan.")
MSG_BIRTH_TOO_OLD = _("Tanggal lahir sebelum tahun 1900 tidak mungkin benar.")
MSG_PREGNANT_SEX = _("Hanya perempuan yang dapat ditandai sedang hamil.")
MSG_PREGNANT_AGE = _("Status hamil hanya untuk perempuan berusia 10-60 tahun.")
MSG_PHONE = _("Nomor HP harus 8-15 angka, diawali 08 atau +62.")
MSG_CONSENT_DATE = _("Tanggal persetujuan wajib diisi bila dasar pemrosesan adalah persetujuan.")
MSG_CONSENT_FUTURE = _("Tanggal persetujuan tidak boleh di masa depan.")
MSG_NEGATIVE = _("Tidak boleh negatif.")
MSG_NAME_CHARS = _("Nama hanya boleh berisi huruf, spasi, titik, koma, apostrof dan tanda hubung.")
MSG_DECILE = _("Desil harus antara 1 dan 10.")
MSG_FLOOR_AREA = _("Luas lantai harus antara 1 dan 5.000 m².")

RESIDENT_FIELDS = (
    "nik", "full_name", "sex", "birth_place", "birth_date", "relation", "marital_status", "education",
    "school_enrolment", "occupation", "employment_status", "monthly_income", "disability", "pregnant",
    "chronic_illness",
)
HOUSEHOLD_FIELDS = (
    "kk_number", "rt", "address", "phone", "legal_basis", "consent_date",
    "floor_area_m2", "floor_material", "wall_material", "roof_material", "water_source", "toilet",
    "lighting", "electricity_va", "cooking_fuel", "house_ownership", "land_ownership",
    *(name for name, _label in ASSET_FIELDS),
    "monthly_income", "monthly_expenditure", "dtsen_decile",
)

_PHONE = re.compile(r"^(\+62|62|0)8\d{6,12}$")
_NAME = re.compile(r"^[A-Z][A-Z .,'\-]*$")


_PHONE_NOISE = re.compile(r"[\s\-()]")


def normalize_phone(value: str) -> str:
    return _PHONE_NOISE.sub("", value or "")


def check_resident(data: dict[str, Any], errors: Errors, *, today: dt.date | None = None) -> dict[str, Any]:
    """Check one person's data on its own (no registry look-ups); return the cleaned copy."""
    today = today or timezone.localdate()
    out = dict(data)
    name = clean_name(out.get("full_name") or "")
    out["full_name"] = name
    if not name:
        errors.add("full_name", MSG_REQUIRED)
    elif not _NAME.match(name):
        errors.add("full_name", MSG_NAME_CHARS)
    for field in ("sex", "relation", "birth_date"):
        if not out.get(field):
            errors.add(field, MSG_REQUIRED)
    birth = out.get("birth_date")
    if birth:
        if birth > today:
            errors.add("birth_date", MSG_BIRTH_FUTURE)
        elif birth.year < 1900:
            errors.add("birth_date", MSG_BIRTH_TOO_OLD)
    nik_raw = out.get("nik")
    if not nik_raw:
        errors.add("nik", MSG_REQUIRED)
    else:
        try:
            info = parse_nik(nik_raw)
            out["nik"] = info.nik
            if out.get("sex") and birth:
                check_nik_matches(info, sex=out["sex"], birth_date=birth)
        except DomainError as exc:
            errors.add_domain(exc)
    if out.get("pregnant"):
        if out.get("sex") != Sex.FEMALE:
            errors.add("pregnant", MSG_PREGNANT_SEX)
        elif birth and not (10 <= (today.year - birth.year) <= 60):
            errors.add("pregnant", MSG_PREGNANT_AGE)
    income = out.get("monthly_income")
    if income is not None and income < 0:
        errors.add("monthly_income", MSG_NEGATIVE)
    for text_field in ("birth_place", "occupation", "chronic_illness"):
        if out.get(text_field) is not None:
            out[text_field] = " ".join(str(out[text_field]).split())
    return out


def check_household(data: dict[str, Any], errors: Errors, *, today: dt.date | None = None) -> dict[str, Any]:
    """Check a household's own fields (no registry look-ups); return the cleaned copy."""
    today = today or timezone.localdate()
    out = dict(data)
    if "kk_number" in out:
        if not out.get("kk_number"):
            errors.add("kk_number", MSG_REQUIRED)
        else:
            try:
                out["kk_number"] = parse_kk(out["kk_number"])
            except DomainError as exc:
                errors.add_domain(exc)
    if "rt" in out and not out.get("rt"):
        errors.add("rt", MSG_REQUIRED)
    if "address" in out:
        out["address"] = " ".join(str(out.get("address") or "").split())
        if not out["address"]:
            errors.add("address", MSG_REQUIRED)
    if out.get("phone"):
        out["phone"] = normalize_phone(out["phone"])
        if not _PHONE.match(out["phone"]):
            errors.add("phone", MSG_PHONE)
    if out.get("legal_basis") == "consent" and not out.get("consent_date"):
        errors.add("consent_date", MSG_CONSENT_DATE)
    if out.get("consent_date") and out["consent_date"] > today:
        errors.add("consent_date", MSG_CONSENT_FUTURE)
    for money in ("monthly_income", "monthly_expenditure"):
        if out.get(money) is not None and out[money] < 0:
            errors.add(money, MSG_NEGATIVE)
    if out.get("dtsen_decile") is not None and not 1 <= out["dtsen_decile"] <= 10:
        errors.add("dtsen_decile", MSG_DECILE)
    if out.get("floor_area_m2") is not None and not 1 <= out["floor_area_m2"] <= 5000:
        errors.add("floor_area_m2", MSG_FLOOR_AREA)
    return out


def count_heads(members: list[dict[str, Any]]) -> int:
    return sum(1 for m in members if m.get("relation") == Relation.HEAD)
