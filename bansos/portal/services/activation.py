"""Resident activation: identity (NIK + KK + birth date) -> a code (SMS or office) -> a password.

Non-enumeration: the identity step always answers the same, and always creates a challenge; a challenge
whose data did not match has no resident and can never be completed, but its code step counts attempts
and refuses exactly as a real one does. Throttles count every attempt per address and per NIK. A resident
who already has an account may go through activation again to set a new password (a forgotten password).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role, User
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, Errors, NotFoundError, PermissionDeniedError, raise_if_errors
from bansos.core.formats import mask_nik
from bansos.portal import codes, throttle
from bansos.portal.conf import limits
from bansos.portal.models import ActivationChallenge, OfficeCode
from bansos.portal.services.common import MSG_KK, MSG_NIK, birth_date, digits, require_within
from bansos.portal.services.status import identify
from bansos.registry.models import HouseholdStatus, ResidentStatus

MSG_CODE_INVALID = _("Kode salah, sudah dipakai, atau sudah kedaluwarsa. Periksa kodenya, atau mulai aktivasi "
                     "dari awal.")
MSG_SESSION = _("Langkah aktivasi ini sudah berakhir. Silakan mulai aktivasi dari awal.")
MSG_ACCOUNT_INACTIVE = _("Akun ini dinonaktifkan. Hubungi kantor kelurahan.")
MSG_CODE_REQUIRED = _("Masukkan kode 6 angka dari SMS atau kode dari kantor kelurahan.")
MSG_RESIDENT_INACTIVE = _("Warga ini tidak aktif di registri; kode aktivasi tidak dapat diterbitkan.")
# How long after the right code the password may be set.
PASSWORD_STEP = dt.timedelta(minutes=30)


def _phone_on_record(person) -> str:
    account = User.objects.filter(resident=person, role=Role.RESIDENT).exclude(phone="").first()
    return (account.phone if account else "") or person.household.phone or ""


@transaction.atomic
def activation_start(*, nik: str, kk_number: str, birth_date_value, ip: str | None) -> str:
    """The identity step; returns the token of the new challenge (kept by the caller, e.g. in the session)."""
    errors = Errors()
    nik = digits(errors, "nik", nik, MSG_NIK)
    kk_number = digits(errors, "kk_number", kk_number, MSG_KK)
    born = birth_date(errors, birth_date_value)
    raise_if_errors(errors)
    conf = limits()
    # The counters commit on their own: a refused attempt still counts.
    require_within("activation", ip=ip, nik=nik, per_ip=conf.activation_per_ip, per_nik=conf.activation_per_nik)
    person = identify(nik, born)
    if person is not None and person.household.kk_number != kk_number:
        person = None
    now = timezone.now()
    token = codes.new_token()
    code = ""
    phone = _phone_on_record(person) if person is not None else ""
    if phone:
        code = codes.new_otp()
    challenge = ActivationChallenge.objects.create(
        token_hash=codes.digest("token", token), resident=person,
        code_hash=codes.digest("otp", code) if code else "",
        expires_at=now + dt.timedelta(minutes=conf.otp_minutes),
    )
    audit_log(actor=None, action="portal.activation.start", obj=challenge,
              object_label=_t("Aktivasi portal NIK %(nik)s") % {"nik": mask_nik(nik)},
              household_id=person.household_id if person else None,
              changes={"matched": person is not None, "sms": bool(code)})
    if code:
        from bansos.notifications.services import notify

        notify(topic="portal.activation", channels=("sms",), phone=phone, household=person.household,
               subject=_t("Kode aktivasi portal warga"),
               body=_t("Kode aktivasi portal warga Duri Kepa: %(code)s. Berlaku %(minutes)s menit. Jangan berikan "
                       "kode ini kepada siapa pun, termasuk petugas.") % {"code": code, "minutes": conf.otp_minutes},
               reference=f"portal-activation-{challenge.pk}")
    if challenge.pk % 50 == 0:
        throttle.prune()
    return token


def _challenge(token: str, *, lock: bool = True) -> ActivationChallenge:
    rows = ActivationChallenge.objects.select_related("resident__household")
    if lock:
        rows = rows.select_for_update(of=("self",))
    challenge = rows.filter(token_hash=codes.digest("token", token or "")).first()
    if challenge is None or challenge.used_at is not None:
        raise DomainError("activation_expired", MSG_SESSION)
    return challenge


def activation_verify(*, token: str, code: str, ip: str | None) -> None:
    """The code step: an SMS code (6 digits) or an office code. Raises with the same message for every miss."""
    code = (code or "").strip()
    if not code:
        raise DomainError("code_required", MSG_CODE_REQUIRED, field="code")
    conf = limits()
    require_within("activation-code", ip=ip, nik=None, per_ip=conf.activation_per_ip * 3, per_nik=None)
    ok = False
    with transaction.atomic():
        challenge = _challenge(token)
        now = timezone.now()
        usable = challenge.expires_at > now and challenge.attempts < conf.otp_attempts
        challenge.attempts += 1
        fields = ["attempts"]
        office = None
        if usable and challenge.resident is not None:
            if code.isdigit() and len(code) == 6:
                ok = codes.matches("otp", code, challenge.code_hash)
            else:
                office = (OfficeCode.objects.select_for_update()
                          .filter(code_hash=codes.digest("office", codes.normalize_office_code(code)),
                                  resident=challenge.resident, used_at__isnull=True, revoked_at__isnull=True,
                                  expires_at__gt=now).first())
                ok = office is not None
        if ok:
            challenge.verified_at = now
            fields.append("verified_at")
            if office is not None:
                office.used_at = now
                office.save(update_fields=["used_at"])
                challenge.office_code = office
                fields.append("office_code")
        challenge.save(update_fields=fields)
        audit_log(actor=None, action="portal.activation.verify" if ok else "portal.activation.code_wrong",
                  obj=challenge, object_label=_t("Aktivasi portal"),
                  household_id=challenge.resident.household_id if ok else None,
                  changes={"channel": "office" if office is not None else "sms", "attempts": challenge.attempts})
    if not ok:
        raise DomainError("code_invalid", MSG_CODE_INVALID, field="code")


def activation_ready(token: str) -> bool:
    """Whether the challenge behind ``token`` passed the code step and may set a password now."""
    challenge = ActivationChallenge.objects.filter(token_hash=codes.digest("token", token or "")).first()
    return bool(challenge and challenge.used_at is None and challenge.verified_at
                and challenge.verified_at + PASSWORD_STEP > timezone.now() and challenge.resident_id)


@transaction.atomic
def activation_complete(*, token: str, password: str) -> User:
    """The password step: creates the resident's account (or sets a new password on it) and ends the challenge."""
    challenge = _challenge(token)
    now = timezone.now()
    if (challenge.verified_at is None or challenge.resident is None
            or challenge.verified_at + PASSWORD_STEP <= now):
        raise DomainError("activation_expired", MSG_SESSION)
    person = challenge.resident
    household = person.household
    if person.status != ResidentStatus.ACTIVE or household.status != HouseholdStatus.ACTIVE:
        raise DomainError("activation_expired", MSG_SESSION)
    user = (User.objects.select_for_update().filter(resident=person, role=Role.RESIDENT).order_by("pk").first())
    created = user is None
    if created:
        user = User(username=f"warga.{person.pk}", role=Role.RESIDENT, household=household, resident=person,
                    first_name=person.full_name[:150], phone=household.phone)
    elif not user.is_active:
        raise DomainError("account_inactive", MSG_ACCOUNT_INACTIVE)
    try:
        validate_password(password or "", user)
    except DjangoValidationError as exc:
        raise_if_errors({"password": [str(m) for m in exc.messages]})
    user.household = household
    user.set_password(password)
    user.save()
    challenge.used_at = now
    challenge.save(update_fields=["used_at"])
    audit_log(actor=user, action="portal.activation.complete", obj=user, household_id=household.pk,
              object_label=_t("Akun portal %(name)s") % {"name": person.full_name},
              changes={"account": "created" if created else "password_set",
                       "via": "office" if challenge.office_code_id else "sms"})
    return user


# --- Office codes (staff with portal.activation) ----------------------------------------------------------


@transaction.atomic
def office_code_issue(*, actor, resident) -> str:
    """A new single-use office code for ``resident`` (any earlier open one is revoked); returns it once."""
    if not has_role_perm(actor, P.PORTAL_ACTIVATION):
        raise PermissionDeniedError()
    from bansos.registry.models import Resident

    person = Resident.objects.select_related("household").select_for_update(of=("self",)).filter(
        pk=resident.pk).first()
    if person is None:
        raise NotFoundError()
    if person.status != ResidentStatus.ACTIVE or person.household.status != HouseholdStatus.ACTIVE:
        raise DomainError("resident_inactive", MSG_RESIDENT_INACTIVE)
    now = timezone.now()
    revoked = OfficeCode.objects.filter(resident=person, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now)
    code = codes.new_office_code()
    office = OfficeCode.objects.create(resident=person, code_hash=codes.digest("office", code), issued_by=actor,
                                       expires_at=now + dt.timedelta(days=limits().office_code_days))
    audit_log(actor=actor, action="portal.office_code.issue", obj=office, household_id=person.household_id,
              object_label=_t("Kode aktivasi kantor untuk %(name)s") % {"name": person.full_name},
              changes={"expires_at": office.expires_at, "revoked_earlier": revoked})
    return code
