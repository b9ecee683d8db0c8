"""Notifications fixtures: a fake SMS/WhatsApp gateway (a real HTTP server on 127.0.0.1), programs and
participants, and delivery settings pointed at the gateway and a temporary outbox file."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.programs.conftest import enrol, households, make_program, source  # noqa: F401


class FakeGateway:
    """Answers POSTs with the next status of ``plan`` (then ``default``); records every request it got."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.plan: list[int] = []
        self.default = 200
        self.delay = 0.0
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with gateway.lock:
                    gateway.requests.append({"body": body, "auth": self.headers.get("Authorization"),
                                             "path": self.path})
                    status = gateway.plan.pop(0) if gateway.plan else gateway.default
                    number = len(gateway.requests)
                if gateway.delay:
                    import time

                    time.sleep(gateway.delay)
                answer = json.dumps({"id": f"gw-{number}"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/kirim"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def references(self) -> list[str]:
        return [r["body"]["reference"] for r in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    fake = FakeGateway()
    yield fake
    fake.close()


@pytest.fixture
def outbox_file(tmp_path, monkeypatch):
    path = tmp_path / "outbox.log"
    monkeypatch.setenv("BANSOS_OUTBOX_FILE", str(path))
    monkeypatch.delenv("BANSOS_SMS_GATEWAY_URL", raising=False)
    monkeypatch.delenv("BANSOS_WHATSAPP_GATEWAY_URL", raising=False)
    monkeypatch.setenv("BANSOS_NOTIFY_RETRY_SECONDS", "60")
    monkeypatch.setenv("BANSOS_NOTIFY_MAX_ATTEMPTS", "3")
    return path


@pytest.fixture
def sms_gateway(gateway, outbox_file, monkeypatch):
    """SMS and WhatsApp pointed at the fake gateway with a token."""
    monkeypatch.setenv("BANSOS_SMS_GATEWAY_URL", gateway.url)
    monkeypatch.setenv("BANSOS_SMS_GATEWAY_TOKEN", "token-uji-123")
    monkeypatch.setenv("BANSOS_WHATSAPP_GATEWAY_URL", gateway.url)
    monkeypatch.setenv("BANSOS_WHATSAPP_GATEWAY_TOKEN", "token-uji-123")
    monkeypatch.setenv("BANSOS_NOTIFY_TIMEOUT_SECONDS", "2")
    return gateway


def announcement_data(**extra) -> dict:
    data = {"title": "Pembagian sembako", "body": "Sembako dibagikan Sabtu pukul 09.00 di balai RW.",
            "target_kind": "kelurahan"}
    data.update(extra)
    return data


def world() -> dict:
    """Everything the app writes, to assert that a refusal changed nothing."""
    from bansos.core.models import AuditEvent
    from bansos.notifications.models import Announcement, Message

    return {
        "announcements": list(Announcement.objects.order_by("pk").values()),
        "messages": list(Message.objects.order_by("pk").values()),
        "audit": AuditEvent.objects.count(),
    }
