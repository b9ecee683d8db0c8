"""Writes to the kelurahan's area configuration: the kelurahan row, RWs, RTs and posyandu."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log, diff, snapshot
from bansos.core.errors import ValidationFailed, raise_if_errors
from bansos.core.models import RT, RW, Kelurahan, Posyandu, kemendagri_code

MSG_REQUIRED = _("Kolom ini wajib diisi.")
MSG_CODE_FORMAT = _("Kode Kemendagri kelurahan berformat 31.73.05.1005.")
MSG_NUMBER_POSITIVE = _("Nomor harus bilangan bulat 1 atau lebih.")
MSG_RW_TAKEN = _("RW dengan nomor ini sudah ada.")
MSG_RT_TAKEN = _("RT dengan nomor ini sudah ada di RW tersebut.")
MSG_POSYANDU_TAKEN = _("Posyandu dengan nama ini sudah ada.")

_KELURAHAN_FIELDS = ("code", "name", "kecamatan", "city", "province")


def _check_number(number, errors: dict[str, list[str]]) -> None:
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        errors.setdefault("number", []).append(str(MSG_NUMBER_POSITIVE))


def kelurahan_update(*, actor, code: str, name: str, kecamatan: str, city: str, province: str) -> Kelurahan:
    """Set the kelurahan this installation serves, creating its one row when missing."""
    require(actor, P.AREAS_MANAGE)
    values = {
        "code": (code or "").strip(), "name": " ".join((name or "").split()),
        "kecamatan": " ".join((kecamatan or "").split()), "city": " ".join((city or "").split()),
        "province": " ".join((province or "").split()),
    }
    errors: dict[str, list[str]] = {}
    for field, value in values.items():
        if not value:
            errors.setdefault(field, []).append(str(MSG_REQUIRED))
    if values["code"]:
        try:
            kemendagri_code(values["code"])
        except ValidationError:
            errors.setdefault("code", []).append(str(MSG_CODE_FORMAT))
    raise_if_errors(errors)
    with transaction.atomic():
        # One row: lock it so two admins saving at once do not create a second one.
        kelurahan = Kelurahan.objects.select_for_update().order_by("id").first()
        if kelurahan is None:
            kelurahan = Kelurahan.objects.create(**values)
            audit_log(actor=actor, action="kelurahan.create", obj=kelurahan,
                      changes={k: [None, v] for k, v in values.items()})
            return kelurahan
        before = snapshot(kelurahan, _KELURAHAN_FIELDS)
        for key, value in values.items():
            setattr(kelurahan, key, value)
        changes = diff(before, snapshot(kelurahan, _KELURAHAN_FIELDS))
        if changes:
            kelurahan.save(update_fields=list(changes.keys()))
            audit_log(actor=actor, action="kelurahan.update", obj=kelurahan, changes=changes)
    return kelurahan


def rw_create(*, actor, number: int, name: str = "") -> RW:
    """Add an RW to the kelurahan."""
    require(actor, P.AREAS_MANAGE)
    errors: dict[str, list[str]] = {}
    _check_number(number, errors)
    if not errors and RW.objects.filter(number=number).exists():
        errors["number"] = [str(MSG_RW_TAKEN)]
    raise_if_errors(errors)
    try:
        with transaction.atomic():
            rw = RW.objects.create(number=number, name=(name or "").strip())
            audit_log(actor=actor, action="rw.create", obj=rw,
                      changes={"number": [None, number], **({"name": [None, rw.name]} if rw.name else {})})
    except IntegrityError as exc:
        raise ValidationFailed({"number": [str(MSG_RW_TAKEN)]}) from exc
    return rw


def rw_update(*, actor, rw: RW, number: int, name: str = "") -> RW:
    """Renumber or rename an RW."""
    require(actor, P.AREAS_MANAGE)
    errors: dict[str, list[str]] = {}
    _check_number(number, errors)
    if not errors and RW.objects.filter(number=number).exclude(pk=rw.pk).exists():
        errors["number"] = [str(MSG_RW_TAKEN)]
    raise_if_errors(errors)
    try:
        with transaction.atomic():
            locked = RW.objects.select_for_update().get(pk=rw.pk)
            before = snapshot(locked, ("number", "name"))
            locked.number, locked.name = number, (name or "").strip()
            changes = diff(before, snapshot(locked, ("number", "name")))
            if changes:
                locked.save(update_fields=list(changes.keys()))
                audit_log(actor=actor, action="rw.update", obj=locked, changes=changes)
    except IntegrityError as exc:
        raise ValidationFailed({"number": [str(MSG_RW_TAKEN)]}) from exc
    return locked


def rt_create(*, actor, rw: RW, number: int) -> RT:
    """Add an RT to an RW; RT numbers are unique within their RW."""
    require(actor, P.AREAS_MANAGE)
    errors: dict[str, list[str]] = {}
    _check_number(number, errors)
    if not errors and RT.objects.filter(rw=rw, number=number).exists():
        errors["number"] = [str(MSG_RT_TAKEN)]
    raise_if_errors(errors)
    try:
        with transaction.atomic():
            rt = RT.objects.create(rw=rw, number=number)
            audit_log(actor=actor, action="rt.create", obj=rt, changes={"rw": [None, str(rw)], "number": [None, number]})
    except IntegrityError as exc:
        raise ValidationFailed({"number": [str(MSG_RT_TAKEN)]}) from exc
    return rt


def rt_update(*, actor, rt: RT, number: int) -> RT:
    """Renumber an RT within its RW.

    Moving an RT to another RW is deliberately not offered: surveyors scoped to "RW x, RT y" and
    the households' history would silently change meaning. Create a new RT instead.
    """
    require(actor, P.AREAS_MANAGE)
    errors: dict[str, list[str]] = {}
    _check_number(number, errors)
    if not errors and RT.objects.filter(rw_id=rt.rw_id, number=number).exclude(pk=rt.pk).exists():
        errors["number"] = [str(MSG_RT_TAKEN)]
    raise_if_errors(errors)
    try:
        with transaction.atomic():
            locked = RT.objects.select_for_update().select_related("rw").get(pk=rt.pk)
            old = locked.number
            if old != number:
                locked.number = number
                locked.save(update_fields=["number"])
                audit_log(actor=actor, action="rt.update", obj=locked, changes={"number": [old, number]})
    except IntegrityError as exc:
        raise ValidationFailed({"number": [str(MSG_RT_TAKEN)]}) from exc
    return locked


def _rt_labels(rts: Iterable[RT]) -> list[str]:
    return sorted(str(rt) for rt in rts)


def posyandu_create(*, actor, name: str, rw: RW, rts: Iterable[RT] = ()) -> Posyandu:
    """Add a posyandu and the RTs it serves."""
    require(actor, P.AREAS_MANAGE)
    name = " ".join((name or "").split())
    rts = list(rts)
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [str(MSG_REQUIRED)]
    elif Posyandu.objects.filter(name__iexact=name).exists():
        errors["name"] = [str(MSG_POSYANDU_TAKEN)]
    raise_if_errors(errors)
    try:
        with transaction.atomic():
            posyandu = Posyandu.objects.create(name=name, rw=rw)
            posyandu.rts.set(rts)
            audit_log(actor=actor, action="posyandu.create", obj=posyandu,
                      changes={"name": [None, name], "rw": [None, str(rw)], "rts": [None, _rt_labels(rts)]})
    except IntegrityError as exc:
        raise ValidationFailed({"name": [str(MSG_POSYANDU_TAKEN)]}) from exc
    return posyandu


def posyandu_update(*, actor, posyandu: Posyandu, name: str, rw: RW, rts: Iterable[RT] = ()) -> Posyandu:
    """Rename a posyandu or change its RW and the RTs it serves (cadres follow its area)."""
    require(actor, P.AREAS_MANAGE)
    name = " ".join((name or "").split())
    rts = list(rts)
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [str(MSG_REQUIRED)]
    elif Posyandu.objects.filter(name__iexact=name).exclude(pk=posyandu.pk).exists():
        errors["name"] = [str(MSG_POSYANDU_TAKEN)]
    raise_if_errors(errors)
    try:
        with transaction.atomic():
            locked = Posyandu.objects.select_for_update().get(pk=posyandu.pk)
            before = {**snapshot(locked, ("name", "rw")),
                      "rts": _rt_labels(locked.rts.select_related("rw"))}
            locked.name, locked.rw = name, rw
            after = {**snapshot(locked, ("name", "rw")), "rts": _rt_labels(rts)}
            changes = diff(before, after)
            if changes:
                locked.save(update_fields=["name", "rw"])
                locked.rts.set(rts)
                audit_log(actor=actor, action="posyandu.update", obj=locked, changes=changes)
    except IntegrityError as exc:
        raise ValidationFailed({"name": [str(MSG_POSYANDU_TAKEN)]}) from exc
    return locked
