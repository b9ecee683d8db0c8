"""Schools: create and edit (the kelurahan's reference list)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from bansos.core.audit import audit_log, diff, snapshot
from bansos.core.errors import Errors, ValidationFailed, raise_if_errors
from bansos.education.access import require_manage
from bansos.education.models import School, SchoolLevel

MSG_NAME = _("Nama sekolah wajib diisi (paling banyak 120 karakter).")
MSG_LEVEL = _("Pilih jenjang sekolah yang tersedia.")
MSG_NPSN = _("NPSN terdiri dari 8 angka; kosongkan bila belum diketahui.")
MSG_NPSN_TAKEN = _("NPSN ini sudah dipakai sekolah lain.")
MSG_NAME_TAKEN = _("Sekolah dengan nama dan jenjang ini sudah ada.")

FIELDS = ("name", "level", "is_private", "npsn", "address", "is_active")


def _clean(data: dict[str, Any], *, instance: School | None = None) -> dict[str, Any]:
    errors = Errors()
    name = " ".join(str(data.get("name") or "").split())
    if not name or len(name) > 120:
        errors.add("name", MSG_NAME)
    level = data.get("level") or ""
    if level not in SchoolLevel.values:
        errors.add("level", MSG_LEVEL)
    npsn = str(data.get("npsn") or "").strip() or None
    if npsn is not None and not (len(npsn) == 8 and npsn.isdigit()):
        errors.add("npsn", MSG_NPSN)
    elif npsn and School.objects.filter(npsn=npsn).exclude(pk=getattr(instance, "pk", None)).exists():
        errors.add("npsn", MSG_NPSN_TAKEN)
    if name and level and School.objects.filter(name__iexact=name, level=level).exclude(
            pk=getattr(instance, "pk", None)).exists():
        errors.add("name", MSG_NAME_TAKEN)
    raise_if_errors(errors)
    return {"name": name, "level": level, "is_private": bool(data.get("is_private")), "npsn": npsn,
            "address": str(data.get("address") or "").strip()[:200],
            "is_active": bool(data.get("is_active", True))}


def _taken(exc: IntegrityError) -> ValidationFailed:
    return ValidationFailed({"npsn" if "npsn" in str(exc) else "name": [MSG_NPSN_TAKEN if "npsn" in str(exc)
                                                                      else MSG_NAME_TAKEN]})


def school_create(*, actor, data: dict[str, Any]) -> School:
    """Add a school to the list."""
    require_manage(actor)
    clean = _clean(data)
    try:
        with transaction.atomic():
            school = School.objects.create(**clean)
            audit_log(actor=actor, action="education.school.create", obj=school,
                      changes={k: str(v) for k, v in clean.items()})
    except IntegrityError as exc:  # a twin request won the race for the NPSN or the name
        raise _taken(exc) from exc
    return school


def school_update(*, actor, school: School, data: dict[str, Any]) -> School:
    """Correct a school's data."""
    require_manage(actor)
    clean = _clean({**snapshot(school, FIELDS), **data}, instance=school)
    try:
        with transaction.atomic():
            locked = School.objects.select_for_update().get(pk=school.pk)
            before = snapshot(locked, FIELDS)
            for key, value in clean.items():
                setattr(locked, key, value)
            changes = diff(before, snapshot(locked, FIELDS))
            if changes:
                locked.save(update_fields=[*changes.keys(), "updated_at"])
                audit_log(actor=actor, action="education.school.update", obj=locked, changes=changes)
    except IntegrityError as exc:
        raise _taken(exc) from exc
    return locked
