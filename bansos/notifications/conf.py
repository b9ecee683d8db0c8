"""Delivery settings of the notification outbox, read from the environment when a worker delivers.

Read at call time (never at import), through the typed helpers of ``bansos.core.env`` so a bad value
fails loudly with the variable's name. Secrets (gateway tokens) may come from ``<NAME>_FILE``.

- ``BANSOS_SMS_GATEWAY_URL`` / ``BANSOS_SMS_GATEWAY_TOKEN``: the HTTP gateway for SMS (POST JSON).
- ``BANSOS_WHATSAPP_GATEWAY_URL`` / ``BANSOS_WHATSAPP_GATEWAY_TOKEN``: the same for WhatsApp.
- ``BANSOS_EMAIL_DELIVERY``: ``django`` sends email through Django's configured email backend;
  ``file`` (the default) writes it to the outbox file like the other unconfigured channels.
- ``BANSOS_NOTIFY_MAX_ATTEMPTS`` (5), ``BANSOS_NOTIFY_RETRY_SECONDS`` (60, doubled per attempt, at most
  a day), ``BANSOS_NOTIFY_TIMEOUT_SECONDS`` (10, per gateway call), ``BANSOS_NOTIFY_BATCH`` (200 per claim),
  ``BANSOS_NOTIFY_LEASE_SECONDS`` (300: a claimed message whose worker died is claimable again after this).
- ``BANSOS_OUTBOX_FILE``: the file channel's file (default ``<data dir>/outbox.log``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from bansos.core.env import ConfigError, envchoice, envint, envstr


@dataclass(frozen=True)
class Gateway:
    url: str
    token: str


@dataclass(frozen=True)
class DeliveryConfig:
    sms: Gateway | None
    whatsapp: Gateway | None
    email_via_django: bool
    max_attempts: int
    retry_seconds: int
    timeout_seconds: int
    batch: int
    lease_seconds: int
    outbox_file: Path


def _gateway(prefix: str) -> Gateway | None:
    url = envstr(f"BANSOS_{prefix}_GATEWAY_URL")
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"BANSOS_{prefix}_GATEWAY_URL={url!r} must start with http:// or https://")
    return Gateway(url=url, token=envstr(f"BANSOS_{prefix}_GATEWAY_TOKEN", "") or "")


def delivery_config() -> DeliveryConfig:
    """The delivery settings as the environment says now."""
    outbox = envstr("BANSOS_OUTBOX_FILE")
    return DeliveryConfig(
        sms=_gateway("SMS"),
        whatsapp=_gateway("WHATSAPP"),
        email_via_django=envchoice("BANSOS_EMAIL_DELIVERY", ("django", "file"), "file") == "django",
        max_attempts=envint("BANSOS_NOTIFY_MAX_ATTEMPTS", 5, minimum=1, maximum=50),
        retry_seconds=envint("BANSOS_NOTIFY_RETRY_SECONDS", 60, minimum=0, maximum=86_400),
        timeout_seconds=envint("BANSOS_NOTIFY_TIMEOUT_SECONDS", 10, minimum=1, maximum=120),
        batch=envint("BANSOS_NOTIFY_BATCH", 200, minimum=1, maximum=10_000),
        lease_seconds=envint("BANSOS_NOTIFY_LEASE_SECONDS", 300, minimum=10, maximum=86_400),
        outbox_file=Path(outbox) if outbox else Path(settings.DATA_DIR) / "outbox.log",
    )
