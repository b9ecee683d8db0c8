"""Every write to accounts and partner agencies. Each runs in a transaction with its audit event."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Agency, AgencyKind, Role, User
from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log, diff, snapshot
from bansos.core.errors import DomainError, Errors, PermissionDeniedError, ValidationFailed, raise_if_errors
from bansos.core.models import RT, RW, Posyandu

MSG_USERNAME_REQUIRED = _("Isi nama pengguna.")
MSG_USERNAME_TAKEN = _("Nama pengguna ini sudah dipakai.")
MSG_NAME_REQUIRED = _("Isi nama lengkap.")
MSG_ROLE_INVALID = _("Pilih peran yang tersedia.")
MSG_AGENCY_REQUIRED = _("Petugas program harus terhubung ke satu lembaga mitra.")
MSG_AGENCY_INACTIVE = _("Lembaga ini tidak aktif; aktifkan dulu sebelum menugaskan petugas.")
MSG_RW_REQUIRED = _("Petugas RT/RW harus memiliki wilayah tugas RW.")
MSG_RT_NOT_IN_RW = _("RT ini tidak berada di RW yang dipilih.")
MSG_POSYANDU_REQUIRED = _("Kader kesehatan harus terhubung ke satu posyandu.")
MSG_KK_REQUIRED = _("Isi nomor KK keluarga warga ini.")
MSG_KK_NOT_FOUND = _("Nomor KK ini tidak ditemukan pada keluarga aktif.")
MSG_SELF_DEACTIVATE = _("Anda tidak dapat menonaktifkan akun Anda sendiri.")
MSG_SELF_ROLE = _("Anda tidak dapat mengubah peran akun Anda sendiri.")
MSG_ALREADY = _("Status akun sudah seperti itu.")
MSG_AGENCY_NAME_REQUIRED = _("Isi nama lembaga.")
MSG_AGENCY_NAME_TAKEN = _("Lembaga dengan nama ini sudah terdaftar.")
MSG_AGENCY_KIND_INVALID = _("Pilih jenis lembaga yang tersedia.")
MSG_AGENCY_HAS_STAFF = _(
    "Lembaga ini masih memiliki petugas aktif; pindahkan atau nonaktifkan petugasnya terlebih dahulu."
)

# What an audit event of a user records. The password (and its hash) never goes in.
_USER_AUDIT_FIELDS = ("username", "first_name", "phone", "role", "agency", "rw", "rt", "posyandu", "household",
                      "is_active")
_AGENCY_AUDIT_FIELDS = ("name", "kind", "contact", "is_active")


def _clean_scope(
    *, role: str, agency: Agency | None, rw: RW | None, rt: RT | None, posyandu: Posyandu | None,
    kk_number: str, errors: Errors, current_agency_id: int | None = None,
) -> dict[str, Any]:
    """The scope fields for ``role``; fields the role does not use are cleared so none linger."""
    scope: dict[str, Any] = {"agency": None, "rw": None, "rt": None, "posyandu": None, "household": None}
    if role == Role.OFFICER:
        if agency is None:
            errors.add("agency", MSG_AGENCY_REQUIRED)
        elif not agency.is_active and agency.pk != current_agency_id:
            errors.add("agency", MSG_AGENCY_INACTIVE)
        scope["agency"] = agency
    elif role == Role.SURVEYOR:
        if rw is None:
            errors.add("rw", MSG_RW_REQUIRED)
        elif rt is not None and rt.rw_id != rw.pk:
            errors.add("rt", MSG_RT_NOT_IN_RW)
        scope["rw"] = rw
        scope["rt"] = rt
    elif role == Role.CADRE:
        if posyandu is None:
            errors.add("posyandu", MSG_POSYANDU_REQUIRED)
        scope["posyandu"] = posyandu
    elif role == Role.RESIDENT:
        from bansos.registry.models import Household, HouseholdStatus

        kk = "".join((kk_number or "").split())
        if not kk:
            errors.add("kk_number", MSG_KK_REQUIRED)
        else:
            household = Household.objects.filter(kk_number=kk, status=HouseholdStatus.ACTIVE).first()
            if household is None:
                errors.add("kk_number", MSG_KK_NOT_FOUND)
            scope["household"] = household
    return scope


def _check_role(role: str, errors: Errors) -> None:
    if role not in Role.values:
        errors.add("role", MSG_ROLE_INVALID)


def user_create(
    *,
    actor,
    username: str,
    full_name: str,
    role: str,
    password: str,
    phone: str = "",
    agency: Agency | None = None,
    rw: RW | None = None,
    rt: RT | None = None,
    posyandu: Posyandu | None = None,
    kk_number: str = "",
) -> User:
    """Create an account with one role and the scope that role needs."""
    require(actor, P.USERS_MANAGE)
    errors = Errors()
    username = (username or "").strip()
    full_name = (full_name or "").strip()
    if not username:
        errors.add("username", MSG_USERNAME_REQUIRED)
    else:
        try:
            User.username_validator(username)
        except ValidationError as exc:
            for message in exc.messages:
                errors.add("username", message)
        if User.objects.filter(username__iexact=username).exists():
            errors.add("username", MSG_USERNAME_TAKEN)
    if not full_name:
        errors.add("first_name", MSG_NAME_REQUIRED)
    _check_role(role, errors)
    scope = _clean_scope(role=role, agency=agency, rw=rw, rt=rt, posyandu=posyandu, kk_number=kk_number,
                         errors=errors)
    user = User(username=username, first_name=full_name, phone=(phone or "").strip(), role=role, **scope)
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        for message in exc.messages:
            errors.add("password", message)
    raise_if_errors(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            audit_log(
                actor=actor, action="user.create", obj=user,
                changes={k: [None, v] for k, v in snapshot(user, _USER_AUDIT_FIELDS).items() if v not in (None, "")},
            )
    except IntegrityError as exc:
        # Two admins created the same username at the same moment; the unique index won.
        raise ValidationFailed({"username": [str(MSG_USERNAME_TAKEN)]}) from exc
    return user


def user_update(
    *,
    actor,
    user: User,
    full_name: str,
    role: str,
    phone: str = "",
    agency: Agency | None = None,
    rw: RW | None = None,
    rt: RT | None = None,
    posyandu: Posyandu | None = None,
    kk_number: str = "",
) -> User:
    """Change a user's name, phone, role and scope."""
    require(actor, P.USERS_MANAGE)
    errors = Errors()
    full_name = (full_name or "").strip()
    if not full_name:
        errors.add("first_name", MSG_NAME_REQUIRED)
    _check_role(role, errors)
    if user.pk == actor.pk and role != user.role:
        # Otherwise the last admin could lock everyone out of the admin pages by accident.
        errors.add("role", MSG_SELF_ROLE)
    scope = _clean_scope(role=role, agency=agency, rw=rw, rt=rt, posyandu=posyandu, kk_number=kk_number,
                         errors=errors, current_agency_id=user.agency_id)
    raise_if_errors(errors)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = snapshot(locked, _USER_AUDIT_FIELDS)
        locked.first_name = full_name
        locked.phone = (phone or "").strip()
        locked.role = role
        for key, value in scope.items():
            setattr(locked, key, value)
        changes = diff(before, snapshot(locked, _USER_AUDIT_FIELDS))
        if changes:
            locked.save(update_fields=["first_name", "phone", "role", "agency", "rw", "rt", "posyandu", "household"])
            audit_log(actor=actor, action="user.update", obj=locked, changes=changes)
    return locked


def user_set_active(*, actor, user: User, active: bool, reason: str = "") -> User:
    """Deactivate or reactivate an account; accounts are never deleted so the audit trail keeps its actor."""
    require(actor, P.USERS_MANAGE)
    if user.pk == actor.pk and not active:
        raise DomainError("self_deactivate", MSG_SELF_DEACTIVATE)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_active == active:
            raise DomainError("status_unchanged", MSG_ALREADY)
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        audit_log(actor=actor, action="user.reactivate" if active else "user.deactivate", obj=locked,
                  changes={"is_active": [not active, active]}, reason=(reason or "").strip())
    return locked


def user_password_change(*, actor, new_password: str) -> User:
    """Set the signed-in user's own new password (the caller has checked the old one)."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDeniedError()
    try:
        password_validation.validate_password(new_password, user=actor)
    except ValidationError as exc:
        raise ValidationFailed({"new_password1": list(exc.messages)}) from exc
    with transaction.atomic():
        actor.set_password(new_password)
        actor.save(update_fields=["password"])
        audit_log(actor=actor, action="account.password_change", obj=actor)
    return actor


def _check_agency(*, name: str, kind: str, errors: Errors, exclude_pk: int | None = None) -> None:
    if not name:
        errors.add("name", MSG_AGENCY_NAME_REQUIRED)
    else:
        taken = Agency.objects.filter(name__iexact=name)
        if exclude_pk:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            errors.add("name", MSG_AGENCY_NAME_TAKEN)
    if kind not in AgencyKind.values:
        errors.add("kind", MSG_AGENCY_KIND_INVALID)


def agency_create(*, actor, name: str, kind: str, contact: str = "", is_active: bool = True) -> Agency:
    """Register a partner agency."""
    require(actor, P.AGENCIES_MANAGE)
    name = " ".join((name or "").split())
    errors = Errors()
    _check_agency(name=name, kind=kind, errors=errors)
    raise_if_errors(errors)
    try:
        with transaction.atomic():
            agency = Agency.objects.create(name=name, kind=kind, contact=(contact or "").strip(),
                                           is_active=is_active)
            audit_log(actor=actor, action="agency.create", obj=agency,
                      changes={k: [None, v] for k, v in snapshot(agency, _AGENCY_AUDIT_FIELDS).items()
                               if v not in (None, "")})
    except IntegrityError as exc:
        raise ValidationFailed({"name": [str(MSG_AGENCY_NAME_TAKEN)]}) from exc
    return agency


def agency_update(*, actor, agency: Agency, name: str, kind: str, contact: str = "", is_active: bool = True) -> Agency:
    """Change a partner agency's name, kind, contact or whether it is active."""
    require(actor, P.AGENCIES_MANAGE)
    name = " ".join((name or "").split())
    errors = Errors()
    _check_agency(name=name, kind=kind, errors=errors, exclude_pk=agency.pk)
    if not is_active and agency.is_active and agency.staff.filter(is_active=True).exists():
        errors.add("is_active", MSG_AGENCY_HAS_STAFF)
    raise_if_errors(errors)
    try:
        with transaction.atomic():
            locked = Agency.objects.select_for_update().get(pk=agency.pk)
            before = snapshot(locked, _AGENCY_AUDIT_FIELDS)
            locked.name, locked.kind, locked.contact, locked.is_active = name, kind, (contact or "").strip(), is_active
            changes = diff(before, snapshot(locked, _AGENCY_AUDIT_FIELDS))
            if changes:
                locked.save(update_fields=list(changes.keys()))
                audit_log(actor=actor, action="agency.update", obj=locked, changes=changes)
    except IntegrityError as exc:
        raise ValidationFailed({"name": [str(MSG_AGENCY_NAME_TAKEN)]}) from exc
    return locked
