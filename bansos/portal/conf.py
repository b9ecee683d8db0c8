"""The portal's limits, read from the environment through the typed helpers of ``bansos.core.env``.

Read when used (never at import time), so a deployment changes them by environment and tests by
``monkeypatch.setenv``. A bad value fails loudly (``ConfigError``).

| variable | default | meaning |
|---|---|---|
| PORTAL_THROTTLE_WINDOW_MINUTES | 60 | the window the limits below count in |
| PORTAL_STATUS_PER_IP | 30 | status checks per client address per window |
| PORTAL_STATUS_PER_NIK | 5 | status checks per NIK per window (whoever asks) |
| PORTAL_ACTIVATION_PER_IP | 10 | activation starts and code entries per client address per window |
| PORTAL_ACTIVATION_PER_NIK | 3 | activation starts per NIK per window |
| PORTAL_LOGIN_PER_IP | 30 | portal sign-in attempts per client address per window (django-axes also locks per account) |
| PORTAL_OTP_MINUTES | 10 | lifetime of an SMS code |
| PORTAL_OTP_ATTEMPTS | 5 | wrong codes before an activation must start again |
| PORTAL_OFFICE_CODE_DAYS | 14 | lifetime of a code issued at the kelurahan office |
"""

from __future__ import annotations

from dataclasses import dataclass

from bansos.core.env import envint


@dataclass(frozen=True)
class Limits:
    window_s: int
    status_per_ip: int
    status_per_nik: int
    activation_per_ip: int
    activation_per_nik: int
    login_per_ip: int
    otp_minutes: int
    otp_attempts: int
    office_code_days: int


def limits() -> Limits:
    return Limits(
        window_s=envint("PORTAL_THROTTLE_WINDOW_MINUTES", 60, minimum=1, maximum=24 * 60) * 60,
        status_per_ip=envint("PORTAL_STATUS_PER_IP", 30, minimum=1),
        status_per_nik=envint("PORTAL_STATUS_PER_NIK", 5, minimum=1),
        activation_per_ip=envint("PORTAL_ACTIVATION_PER_IP", 10, minimum=1),
        activation_per_nik=envint("PORTAL_ACTIVATION_PER_NIK", 3, minimum=1),
        login_per_ip=envint("PORTAL_LOGIN_PER_IP", 30, minimum=1),
        otp_minutes=envint("PORTAL_OTP_MINUTES", 10, minimum=1, maximum=60),
        otp_attempts=envint("PORTAL_OTP_ATTEMPTS", 5, minimum=1, maximum=20),
        office_code_days=envint("PORTAL_OFFICE_CODE_DAYS", 14, minimum=1, maximum=90),
    )
