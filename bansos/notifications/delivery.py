"""Delivery of queued messages through the configured channels, with retries and safe claiming.

A worker run (``deliver_due``) claims a batch of due messages, sends each through its channel and
records the outcome; it repeats until nothing is due. Channels (``conf.delivery_config``):

- ``sms`` / ``whatsapp``: an HTTP gateway (POST JSON with a bearer token) when its URL is configured,
  otherwise the file channel;
- ``email``: Django's email backend when ``BANSOS_EMAIL_DELIVERY=django``, otherwise the file channel;
- the file channel appends one JSON line per message to the outbox file in the data dir. It is for the
  demo and for installations without a gateway: the message's status is LOGGED ("written to the file,
  not sent"), never SENT, so nobody believes a resident got an SMS that never left the building.

A failure (a non-2xx answer, a timeout, a refused connection, an email backend error) puts the message
back in the queue with a doubled delay and the error text; after ``max_attempts`` it is FAILED.

Claiming: two workers must never send one message twice. A claim moves due rows to SENDING with a
random token and a lease (``claimed_until``) in one conditional UPDATE: the row is only taken while it
is still due, so of two workers that both saw it, one updates it and the other finds nothing to take.
PostgreSQL also locks the candidates with ``FOR UPDATE SKIP LOCKED`` so workers take disjoint batches
instead of waiting for each other. SQLite has no row locks; there the claim is a single UPDATE with the
candidates as a subquery (a read followed by a write in one transaction would fail with a stale snapshot
under WAL when another worker wrote in between). A worker that dies leaves SENDING rows whose lease
runs out; the next run claims them again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from bansos.notifications.conf import DeliveryConfig, Gateway, delivery_config
from bansos.notifications.models import Channel, Message, MessageStatus

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 86_400
_ERROR_LIMIT = 300


@dataclass(frozen=True)
class Outcome:
    ok: bool
    via: str  # "gateway", "django-email", "file"
    logged: bool = False  # written to the outbox file only (not sent)
    ref: str = ""  # the gateway's id of the message
    error: str = ""


# --- Channels -------------------------------------------------------------------------------------


def send_gateway(message: Message, gateway: Gateway, *, timeout: int) -> Outcome:
    """POST the message as JSON to the gateway; any 2xx answer is success, everything else a failure."""
    payload = {
        "channel": message.channel,
        "to": message.address,
        "subject": message.subject,
        "body": message.body,
        # Lets a gateway that supports it drop a repeat after a timeout whose request did arrive.
        "reference": f"bansos-message-{message.pk}",
    }
    request = urllib.request.Request(
        gateway.url, data=json.dumps(payload).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json",
                 "Idempotency-Key": f"bansos-message-{message.pk}",
                 **({"Authorization": f"Bearer {gateway.token}"} if gateway.token else {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only: conf)
            status = response.status
            raw = response.read(4096)
    except urllib.error.HTTPError as exc:  # a non-2xx answer
        return Outcome(False, "gateway", error=f"HTTP {exc.code} dari gateway")
    except (urllib.error.URLError, OSError, ValueError) as exc:  # refused, DNS, timeout, bad URL
        reason = getattr(exc, "reason", exc)
        return Outcome(False, "gateway", error=f"gateway tidak dapat dihubungi: {reason}")
    if not 200 <= status < 300:
        return Outcome(False, "gateway", error=f"HTTP {status} dari gateway")
    ref = ""
    try:
        body = json.loads(raw or b"{}")
        if isinstance(body, dict):
            ref = str(body.get("id") or body.get("message_id") or "")[:100]
    except ValueError:
        pass
    return Outcome(True, "gateway", ref=ref)


def send_django_email(message: Message) -> Outcome:
    """Send through Django's configured email backend (SMTP in production, locmem in tests)."""
    try:
        email = EmailMessage(subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL,
                             to=[message.address], connection=get_connection())
        sent = email.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 (SMTP and backends raise many kinds; every one is a failed attempt)
        return Outcome(False, "django-email", error=f"email gagal: {exc}")
    if not sent:
        return Outcome(False, "django-email", error="email tidak diterima oleh backend")
    return Outcome(True, "django-email")


def send_file(message: Message, path: Path) -> Outcome:
    """Append the message to the outbox file: a record of what would have been sent, not a delivery."""
    line = json.dumps({
        "at": timezone.now().isoformat(), "id": message.pk, "channel": message.channel, "to": message.address,
        "subject": message.subject, "body": message.body, "note": "TIDAK DIKIRIM: saluran berkas (tanpa gateway)",
    }, ensure_ascii=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # One write of one line in append mode: lines of concurrent workers do not interleave.
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    except OSError as exc:
        return Outcome(False, "file", error=f"berkas outbox tidak dapat ditulis: {exc}")
    return Outcome(True, "file", logged=True)


def send(message: Message, config: DeliveryConfig) -> Outcome:
    """Deliver one message through the channel its kind and the configuration choose."""
    if message.channel in (Channel.SMS, Channel.WHATSAPP):
        gateway = config.sms if message.channel == Channel.SMS else config.whatsapp
        if gateway is not None:
            return send_gateway(message, gateway, timeout=config.timeout_seconds)
    elif message.channel == Channel.EMAIL and config.email_via_django:
        return send_django_email(message)
    return send_file(message, config.outbox_file)


def channel_label(channel: str, config: DeliveryConfig | None = None) -> str:
    """How a channel is delivered now (for the outbox page): gateway, Django email or file."""
    config = config or delivery_config()
    if channel == Channel.INBOX:
        return "inbox"
    if channel == Channel.SMS:
        return "gateway" if config.sms else "file"
    if channel == Channel.WHATSAPP:
        return "gateway" if config.whatsapp else "file"
    return "django-email" if config.email_via_django else "file"


# --- Claiming and recording ---------------------------------------------------------------------------


def _due(now: dt.datetime) -> Q:
    return (Q(status=MessageStatus.QUEUED, next_attempt_at__lte=now)
            | Q(status=MessageStatus.SENDING, claimed_until__lt=now)) & ~Q(channel=Channel.INBOX)


def claim_due(*, now: dt.datetime, batch: int, lease_seconds: int) -> list[Message]:
    """Take up to ``batch`` due messages for this worker; no other worker gets them until the lease ends."""
    token = secrets.token_hex(16)
    due = _due(now)
    claimed = {"status": MessageStatus.SENDING, "claim": token,
               "claimed_until": now + dt.timedelta(seconds=lease_seconds)}
    candidates = Message.objects.filter(due).order_by("next_attempt_at", "pk")
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(candidates.select_for_update(skip_locked=True).values_list("pk", flat=True)[:batch])
            if ids:
                Message.objects.filter(due, pk__in=ids).update(**claimed)
    else:
        Message.objects.filter(due, pk__in=candidates.values("pk")[:batch]).update(**claimed)
    return list(Message.objects.filter(claim=token, status=MessageStatus.SENDING).order_by("pk"))


def backoff_seconds(attempts: int, base: int) -> int:
    """Delay before the next attempt after ``attempts`` failed ones: base, 2x, 4x, ... at most a day."""
    return min(base * (2 ** max(attempts - 1, 0)), MAX_BACKOFF_SECONDS)


def record(message: Message, outcome: Outcome, config: DeliveryConfig, *, now: dt.datetime) -> str:
    """Write the attempt's outcome, only while this worker still holds the claim; returns the new status."""
    attempts = message.attempts + 1
    fields: dict = {"attempts": attempts, "claim": "", "claimed_until": None, "delivered_via": outcome.via}
    if outcome.ok:
        status = MessageStatus.LOGGED if outcome.logged else MessageStatus.SENT
        fields.update(status=status, sent_at=now, last_error="", next_attempt_at=None,
                      provider_ref=outcome.ref)
    elif attempts >= config.max_attempts:
        status = MessageStatus.FAILED
        fields.update(status=status, last_error=outcome.error[:_ERROR_LIMIT], next_attempt_at=None)
    else:
        status = MessageStatus.QUEUED
        delay = backoff_seconds(attempts, config.retry_seconds)
        fields.update(status=status, last_error=outcome.error[:_ERROR_LIMIT],
                      next_attempt_at=now + dt.timedelta(seconds=delay))
    Message.objects.filter(pk=message.pk, claim=message.claim, status=MessageStatus.SENDING).update(**fields)
    return status


def deliver_due(*, now: dt.datetime | None = None, config: DeliveryConfig | None = None) -> int:
    """Delivers every queued message whose attempt is due; returns how many were tried."""
    config = config or delivery_config()
    tried = 0
    while True:
        moment = now or timezone.now()
        batch = claim_due(now=moment, batch=config.batch, lease_seconds=config.lease_seconds)
        if not batch:
            break
        for message in batch:
            outcome = send(message, config)
            record(message, outcome, config, now=now or timezone.now())
            if not outcome.ok:
                log.warning("notification %s via %s failed: %s", message.pk, outcome.via, outcome.error)
        tried += len(batch)
        if now is not None and config.retry_seconds == 0:
            # A fixed clock with no backoff would retry the same failures at once: one round per call.
            break
    _schedule_next()
    return tried


def _schedule_next() -> None:
    """Ask the task backend to run again when the next retry is due (backends that can defer only)."""
    from django_tasks import default_task_backend

    from bansos.notifications.tasks import deliver_due_task

    if not getattr(default_task_backend, "supports_defer", False):
        return
    upcoming = (Message.objects.filter(status=MessageStatus.QUEUED, next_attempt_at__gt=timezone.now())
                .order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first())
    if upcoming is not None:
        deliver_due_task.using(run_after=upcoming).enqueue()
