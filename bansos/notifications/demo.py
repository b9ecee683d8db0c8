"""Demo data of the notifications app, made through its services.

Four published announcements: kelurahan-wide (public), one RW with SMS to its households with a phone
(the admin's choice), the participants of a cash program, and youth 16-30 about the youth training; one
draft. The SMS go through the delivery worker's code at once: with no gateway configured they land in
the outbox file of the data dir (status "written, not sent"). A share of the households "open" their
inbox so the reach pages show something, and the demo resident reads its messages through the service.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils import timezone

from bansos.accounts.models import User
from bansos.core.models import RW
from bansos.notifications.conf import delivery_config
from bansos.notifications.delivery import deliver_due
from bansos.notifications.models import Announcement, Channel, Message, MessageStatus
from bansos.notifications.selectors import inbox_list
from bansos.notifications.services import announcement_create, announcement_publish, message_read
from bansos.programs.models import RECEIVING_STATES, Program


def _program(**filters) -> Program | None:
    return (Program.objects.filter(enrollments__state__in=RECEIVING_STATES, **filters).distinct()
            .order_by("pk").first())


def demo_notifications_create(*, actor, seed: int) -> dict[str, Any] | None:
    """Creates the app's demo data once; None when it exists already."""
    if Announcement.objects.exists():
        return None
    now = timezone.now()
    rw = RW.objects.order_by("number").first()
    cash = _program(kind="cash") or _program()
    # The program for youth: one whose target groups name youth (read in Python: SQLite has no JSON contains).
    youth = next((p for p in Program.objects.order_by("pk") if "youth" in (p.target_groups or [])), None)
    plans = [
        {"title": "Pemutakhiran data keluarga bulan ini",
         "body": "Petugas RT/RW akan berkunjung untuk memperbarui data keluarga. Siapkan KK dan KTP. "
                 "Data dipakai untuk menentukan bantuan dan dilindungi UU PDP.",
         "target_kind": "kelurahan", "publish_at": now - dt.timedelta(days=6)},
        {"title": f"Posyandu dan pemeriksaan lansia di {rw}" if rw else "Posyandu",
         "body": "Hari Sabtu pukul 08.00-11.00 di balai warga. Bawa buku KIA untuk balita dan kartu lansia.",
         "target_kind": "rw", "rw": rw, "send_sms": True, "publish_at": now - dt.timedelta(days=3)},
    ]
    if cash is not None:
        plans.append({"title": f"Jadwal penyaluran {cash.name}",
                      "body": "Penyaluran tahap berikutnya dijadwalkan minggu depan. Cek status di portal warga; "
                              "bawa KTP dan KK asli saat pengambilan.",
                      "target_kind": "program", "program": cash, "publish_at": now - dt.timedelta(days=2)})
    plans.append({"title": "Pendaftaran program untuk pemuda 16-30 tahun dibuka",
                  "body": (f"{youth.name}: kuota terbatas. " if youth else "")
                  + "Daftar lewat portal warga atau kantor kelurahan.",
                  "target_kind": "group", "group": "youth", "program": youth, "publish_at": now - dt.timedelta(days=1)})
    published = []
    for plan in plans:
        if plan.get("target_kind") == "rw" and plan.get("rw") is None:
            continue
        announcement = announcement_create(actor=actor, data=plan)
        published.append(announcement_publish(actor=actor, announcement=announcement))
    announcement_create(actor=actor, data={
        "title": "Musyawarah perencanaan program tahun depan (draf)",
        "body": "Undangan untuk pengurus RT/RW dan perwakilan pemuda dan perempuan.", "target_kind": "kelurahan",
        "publish_at": now + dt.timedelta(days=7)})
    # Residents open some of their messages: every third household by a seeded stride (deterministic).
    refs = [a.reference for a in published]
    stride = 3 + seed % 2
    opened = (Message.objects.filter(reference__in=refs, channel=Channel.INBOX)
              .annotate(k=F("household_id") % stride).filter(k=0))
    opened.update(read_at=now, status=MessageStatus.READ)
    resident = User.objects.filter(username="warga.rw01").first()
    if resident is not None:
        for message in list(inbox_list(user=resident)[:2]):
            message_read(actor=resident, message=message)
    deliver_due()  # the worker's run: the RW's SMS to the outbox file (no gateway in the demo)
    inbox = sum(a.recipients for a in published)
    sms = sum(a.sms_queued for a in published)
    path = delivery_config().outbox_file
    return {"line": f"{len(published)} pengumuman diterbitkan ({inbox} pesan kotak masuk, {sms} SMS dicatat di "
                    f"{path.name}, tidak dikirim), 1 draf.",
            "announcements": len(published), "inbox": inbox, "sms": sms, "outbox_file": str(path)}

