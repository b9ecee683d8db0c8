"""Two-factor sign-in with a TOTP authenticator app (django-otp), for staff.

A staff member enrols from their account page (a QR code and the secret as text, confirmed with a
first code). From then on the sign-in asks for a code after the password: the password step only
leaves a "pending" mark in the session, and the account is signed in once the code is right. Wrong
codes are throttled by django-otp (the wait doubles after each one) and counted by axes like wrong
passwords, so the same lock-out applies. An admin can reset someone else's device (audited) when
the phone is lost. With ``BANSOS_REQUIRE_2FA_ADMIN`` (on in production) a kelurahan admin whose
session is not verified by a code is sent to the enrolment page before anything else.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from bansos.accounts.models import Role, User
from bansos.accounts.permissions import P, is_staff_role, require
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, PermissionDeniedError

ISSUER = "Bansos Duri Kepa"
PENDING_SECONDS = 300
_PENDING = "twofactor_pending"

MSG_CODE_FORMAT = _("Kode terdiri dari 6 angka dari aplikasi autentikator.")
MSG_CODE_WRONG = _("Kode salah atau sudah dipakai. Masukkan kode terbaru dari aplikasi autentikator.")
MSG_THROTTLED = _("Terlalu banyak kode salah. Tunggu %(seconds)s detik, lalu coba lagi dengan kode terbaru.")
MSG_ALREADY_ENROLLED = _("Verifikasi dua langkah sudah aktif untuk akun ini.")
MSG_NOT_ENROLLED = _("Verifikasi dua langkah belum aktif untuk akun ini.")
MSG_REQUIRED = _("Verifikasi dua langkah wajib untuk admin kelurahan dan tidak dapat dimatikan. "
                 "Jika ponsel hilang, minta admin lain mengatur ulang.")
MSG_REQUIRED_FIRST = _("Aktifkan verifikasi dua langkah di halaman akun Anda sebelum melanjutkan.")
MSG_REASON_REQUIRED = _("Tuliskan alasan pengaturan ulang (misalnya ponsel hilang).")
MSG_RESET_SELF = _("Anda tidak dapat mengatur ulang verifikasi dua langkah akun Anda sendiri; "
                   "gunakan halaman akun Anda.")


# --- reads ----------------------------------------------------------------------------------------


def confirmed_device(user) -> TOTPDevice | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def is_required(user) -> bool:
    required = bool(getattr(settings, "BANSOS_REQUIRE_2FA_ADMIN", False))
    return required and getattr(user, "role", None) == Role.ADMIN


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, as authenticator apps take it when typed, in groups of four."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


def provisioning_uri(device: TOTPDevice) -> str:
    label = quote(f"{ISSUER}:{device.user.get_username()}")
    params = {"secret": secret_text(device).replace(" ", ""), "issuer": ISSUER, "algorithm": "SHA1",
              "digits": device.digits, "period": device.step}
    return f"otpauth://totp/{label}?{urlencode(params, quote_via=quote)}"


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG (no style attribute, so the CSP allows it)."""
    return segno.make(provisioning_uri(device), error="m").svg_inline(scale=5, light="#fff", dark="#000")


# --- code checks ----------------------------------------------------------------------------------


@dataclass
class CodeCheck:
    ok: bool
    message: object = None


def _clean_code(code: str) -> str | None:
    code = "".join((code or "").split())
    return code if len(code) == 6 and code.isdigit() else None


def _check(device_pk: int, code: str) -> CodeCheck:
    """Verify ``code`` on the device, committing django-otp's throttle counters whatever the outcome.

    The device row is locked so that two requests with the same code cannot both pass: the first
    moves ``last_t`` on and the second then meets the replay check.
    """
    cleaned = _clean_code(code)
    if cleaned is None:
        return CodeCheck(False, MSG_CODE_FORMAT)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device_pk)
        allowed, info = device.verify_is_allowed()
        if not allowed:
            until = (info or {}).get("locked_until")
            seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
            return CodeCheck(False, MSG_THROTTLED % {"seconds": seconds})
        if device.verify_token(cleaned):
            return CodeCheck(True)
    return CodeCheck(False, MSG_CODE_WRONG)


def _count_failure(request, user) -> None:
    """Let axes count a wrong code like a wrong password (same lock-out)."""
    if request is not None:
        user_login_failed.send(sender=__name__, credentials={"username": user.get_username()},
                               request=request)


# --- writes -----------------------------------------------------------------------------------------


def _require_staff(actor) -> None:
    if not is_staff_role(actor):
        raise PermissionDeniedError()


def twofactor_setup_start(*, actor) -> TOTPDevice:
    """The actor's unconfirmed device, made on first call (the secret stays until confirmed)."""
    _require_staff(actor)
    if confirmed_device(actor):
        raise DomainError("twofactor_enrolled", MSG_ALREADY_ENROLLED)
    with transaction.atomic():
        device = (TOTPDevice.objects.select_for_update().filter(user_id=actor.pk, confirmed=False)
                  .order_by("pk").first())
        if device is None:
            device = TOTPDevice.objects.create(user=actor, name="authenticator", confirmed=False)
    return device


def twofactor_confirm(*, actor, code: str, request=None) -> TOTPDevice:
    """Confirm the actor's new device with a first code; from now on sign-in asks for a code."""
    device = twofactor_setup_start(actor=actor)
    result = _check(device.pk, code)
    if not result.ok:
        raise DomainError("twofactor_code", result.message, field="code")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user_id=actor.pk).exclude(pk=device.pk).delete()
        audit_log(actor=actor, action="account.twofactor_enable", obj=actor)
    if request is not None:
        from django_otp import login as otp_login

        otp_login(request, device)
    return device


def twofactor_disable(*, actor, code: str, request=None) -> None:
    """Turn the actor's own two-factor sign-in off, proven with a current code."""
    _require_staff(actor)
    if is_required(actor):
        raise DomainError("twofactor_required", MSG_REQUIRED)
    device = confirmed_device(actor)
    if device is None:
        raise DomainError("twofactor_not_enrolled", MSG_NOT_ENROLLED)
    result = _check(device.pk, code)
    if not result.ok:
        _count_failure(request, actor)
        raise DomainError("twofactor_code", result.message, field="code")
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=actor.pk).delete()
        audit_log(actor=actor, action="account.twofactor_disable", obj=actor)


def twofactor_reset(*, actor, user: User, reason: str) -> int:
    """Remove another user's authenticator (lost phone); they sign in with the password and enrol again."""
    require(actor, P.USERS_MANAGE)
    if user.pk == actor.pk:
        raise DomainError("twofactor_reset_self", MSG_RESET_SELF)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", MSG_REASON_REQUIRED, field="reason")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        had = TOTPDevice.objects.filter(user_id=locked.pk, confirmed=True).exists()
        deleted, _ = TOTPDevice.objects.filter(user_id=locked.pk).delete()
        audit_log(actor=actor, action="account.twofactor_reset", obj=locked,
                  changes={"twofactor": [had, False]}, reason=reason)
    return deleted


# --- the sign-in's second step ------------------------------------------------------------------------


def pending_begin(request, user, *, next_url: str) -> None:
    """The password was right: remember who is half signed in, not signed in yet."""
    request.session.cycle_key()
    request.session[_PENDING] = {"user": user.pk, "backend": user.backend, "next": next_url,
                                 "at": time.time()}


def pending_user(request) -> tuple[User, dict] | None:
    data = request.session.get(_PENDING)
    if not isinstance(data, dict) or time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(_PENDING, None)
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None:
        request.session.pop(_PENDING, None)
        return None
    return user, data


def pending_clear(request) -> None:
    request.session.pop(_PENDING, None)


def sign_in_check(*, request, user) -> tuple[TOTPDevice | None, object]:
    """Check the code typed at sign-in: (device, None) when right, (None, message) when refused."""
    device = confirmed_device(user)
    if device is None:
        return None, MSG_NOT_ENROLLED
    result = _check(device.pk, request.POST.get("code", ""))
    if result.ok:
        return TOTPDevice.objects.get(pk=device.pk), None
    if result.message is not MSG_CODE_FORMAT:
        _count_failure(request, user)
    return None, result.message


# --- middleware --------------------------------------------------------------------------------------


class RequireAdminTwoFactorMiddleware:
    """Sends a signed-in kelurahan admin whose session is not verified by a code to the enrolment page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_required(user):
            verified = getattr(user, "is_verified", None)
            if not (verified and verified()) and not self._exempt(request.path_info):
                if request.path_info.startswith("/api/"):
                    return JsonResponse({"detail": str(MSG_REQUIRED_FIRST)}, status=403)
                setup = reverse("accounts:twofactor_setup")
                return redirect(f"{setup}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        allowed = (reverse("accounts:twofactor_setup"), reverse("accounts:logout"))
        return path in allowed or path.startswith("/" + settings.STATIC_URL.lstrip("/"))

