"""Delivery through the channels, with a fake gateway on 127.0.0.1: success, failures, retries, giving
up, the file channel, email through Django's backend, and no double sending by concurrent workers."""

from __future__ import annotations

import datetime as dt
import socket
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from bansos.notifications.delivery import backoff_seconds, claim_due, deliver_due
from bansos.notifications.models import Message, MessageStatus
from bansos.notifications.services import message_retry, notify
from tests.notifications.conftest import world

pytestmark = pytest.mark.django_db


def sms(n: int = 1, channel: str = "sms") -> list[Message]:
    made = []
    for i in range(n):
        made += notify(topic="uji", subject=f"Kode {i}", body=f"Kode Anda {i}", phone=f"08123456{i:04d}",
                       channels=(channel,))
    return made


def reload(message: Message) -> Message:
    return Message.objects.get(pk=message.pk)


def test_a_gateway_that_accepts_marks_the_message_sent(sms_gateway):
    [message] = sms()
    assert deliver_due() == 1
    message = reload(message)
    assert (message.status, message.attempts, message.delivered_via, message.provider_ref, message.last_error) == (
        MessageStatus.SENT, 1, "gateway", "gw-1", "")
    [request] = sms_gateway.requests
    assert request["auth"] == "Bearer token-uji-123"
    assert request["body"] == {"channel": "sms", "to": "081234560000", "subject": "Kode 0", "body": "Kode Anda 0",
                               "reference": f"bansos-message-{message.pk}"}


def test_whatsapp_goes_through_its_gateway(sms_gateway):
    [message] = sms(channel="whatsapp")
    deliver_due()
    assert reload(message).status == MessageStatus.SENT
    assert sms_gateway.requests[0]["body"]["channel"] == "whatsapp"


def test_a_non_2xx_answer_is_a_failure_retried_later_with_backoff(sms_gateway):
    [message] = sms()
    sms_gateway.plan = [503]
    now = timezone.now()
    deliver_due(now=now)
    message = reload(message)
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.QUEUED, 1, "HTTP 503 dari gateway")
    assert message.next_attempt_at == now + dt.timedelta(seconds=60)
    assert deliver_due(now=now + dt.timedelta(seconds=59)) == 0  # not due yet
    deliver_due(now=now + dt.timedelta(seconds=60))
    message = reload(message)
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.SENT, 2, "")
    assert len(sms_gateway.requests) == 2


def test_it_gives_up_after_the_last_attempt(sms_gateway):
    [message] = sms()
    sms_gateway.default = 500
    now = timezone.now()
    for step in (0, 60, 180):  # 60 s, then 120 s later (doubled)
        deliver_due(now=now + dt.timedelta(seconds=step))
    message = reload(message)
    assert (message.status, message.attempts, message.next_attempt_at) == (MessageStatus.FAILED, 3, None)
    assert message.last_error == "HTTP 500 dari gateway"
    assert deliver_due(now=now + dt.timedelta(days=30)) == 0
    assert len(sms_gateway.requests) == 3


def test_an_unreachable_gateway_is_a_failure(outbox_file, monkeypatch):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("BANSOS_SMS_GATEWAY_URL", f"http://127.0.0.1:{port}/kirim")
    [message] = sms()
    deliver_due(now=timezone.now())
    message = reload(message)
    assert message.status == MessageStatus.QUEUED and message.attempts == 1
    assert message.last_error.startswith("gateway tidak dapat dihubungi")


def test_a_slow_gateway_times_out(sms_gateway, monkeypatch):
    monkeypatch.setenv("BANSOS_NOTIFY_TIMEOUT_SECONDS", "1")
    sms_gateway.delay = 2.5
    [message] = sms()
    deliver_due(now=timezone.now())
    message = reload(message)
    assert message.status == MessageStatus.QUEUED and message.last_error.startswith("gateway tidak dapat dihubungi")


def test_staff_retry_now_gives_a_failed_message_new_attempts(cast, sms_gateway):
    [message] = sms()
    sms_gateway.default = 500
    now = timezone.now()
    for step in (0, 60, 180):
        deliver_due(now=now + dt.timedelta(seconds=step))
    assert reload(message).status == MessageStatus.FAILED
    sms_gateway.default = 200
    message_retry(actor=cast["admin"], message=reload(message))
    deliver_due()
    message = reload(message)
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)


@pytest.mark.parametrize("who", ["officer", "surveyor", "resident", "evaluator"])
def test_only_outbox_staff_retry(cast, sms_gateway, who):
    [message] = sms()
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED)
    before = world()
    from bansos.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        message_retry(actor=cast[who], message=message)
    assert world() == before


def test_without_a_gateway_the_file_channel_records_but_does_not_claim_sending(outbox_file):
    [message] = sms()
    deliver_due()
    message = reload(message)
    assert (message.status, message.delivered_via, message.get_status_display()) == (
        MessageStatus.LOGGED, "file", "Dicatat di berkas, tidak dikirim")
    text = outbox_file.read_text()
    assert '"to": "081234560000"' in text and "TIDAK DIKIRIM" in text


def test_email_goes_through_djangos_backend_when_chosen(outbox_file, monkeypatch, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monkeypatch.setenv("BANSOS_EMAIL_DELIVERY", "django")
    [message] = notify(topic="uji", subject="Status pengaduan", body="Sedang ditangani.", email="warga@contoh.id",
                       channels=("email",))
    deliver_due()
    assert reload(message).status == MessageStatus.SENT
    assert [(m.subject, m.to) for m in mail.outbox] == [("Status pengaduan", ["warga@contoh.id"])]


def test_email_backend_errors_are_failures(outbox_file, monkeypatch, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    monkeypatch.setenv("BANSOS_EMAIL_DELIVERY", "django")
    [message] = notify(topic="uji", subject="S", body="B", email="warga@contoh.id", channels=("email",))
    deliver_due(now=timezone.now())
    message = reload(message)
    assert message.status == MessageStatus.QUEUED and message.last_error.startswith("email gagal")


def test_a_bad_setting_fails_loudly(monkeypatch):
    from bansos.core.env import ConfigError

    monkeypatch.setenv("BANSOS_SMS_GATEWAY_URL", "ftp://gateway")
    with pytest.raises(ConfigError, match="BANSOS_SMS_GATEWAY_URL"):
        deliver_due()
    monkeypatch.setenv("BANSOS_SMS_GATEWAY_URL", "http://127.0.0.1:1/")
    monkeypatch.setenv("BANSOS_NOTIFY_MAX_ATTEMPTS", "banyak")
    with pytest.raises(ConfigError, match="BANSOS_NOTIFY_MAX_ATTEMPTS"):
        deliver_due()


def test_a_claim_takes_a_message_once_until_its_lease_runs_out(outbox_file):
    [message] = sms()
    now = timezone.now()
    assert [m.pk for m in claim_due(now=now, batch=10, lease_seconds=300)] == [message.pk]
    assert claim_due(now=now, batch=10, lease_seconds=300) == []
    # The worker died: after the lease another run takes it.
    assert [m.pk for m in claim_due(now=now + dt.timedelta(seconds=301), batch=10, lease_seconds=300)] == [message.pk]


def test_inbox_messages_are_never_claimed(cast):
    notify(topic="uji", subject="S", body="B", household=cast["households"]["rw1"])
    assert claim_due(now=timezone.now(), batch=10, lease_seconds=300) == []


def test_backoff_doubles_and_is_capped():
    assert [backoff_seconds(n, 60) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff_seconds(40, 60) == 86_400


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_never_send_a_message_twice(sms_gateway, monkeypatch):
    monkeypatch.setenv("BANSOS_NOTIFY_BATCH", "7")
    sms_gateway.delay = 0.005
    made = sms(60)
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            deliver_due()
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    refs = sms_gateway.references()
    assert sorted(refs) == sorted(f"bansos-message-{m.pk}" for m in made)  # each once, none missing
    assert Message.objects.filter(status=MessageStatus.SENT).count() == 60
    assert connection.vendor in ("sqlite", "postgresql")
