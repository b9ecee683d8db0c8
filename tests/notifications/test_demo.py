"""The demo: announcements published once, the RW's SMS written to the outbox file (not sent)."""

from __future__ import annotations

import pytest

from bansos.notifications.demo import demo_notifications_create
from bansos.notifications.models import Announcement, Message

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_once_and_logs_sms_to_the_file(cast, areas, make_program, enrol, outbox_file,
                                                         django_capture_on_commit_callbacks):
    from bansos.registry.models import Household

    hh = cast["households"]
    Household.objects.filter(pk=hh["rw1"].pk).update(phone="081299990001")
    program = make_program("dinsos", budget=10_000_000, name="BLT Uji")
    enrol(program, hh["rw2"], "active")
    with django_capture_on_commit_callbacks(execute=True):
        result = demo_notifications_create(actor=cast["admin"], seed=7)
    # kelurahan 3 + RW 1: 2 + the program: 1 + youth (both Andi Pratama, 16): 2
    assert result["line"] == ("4 pengumuman diterbitkan (8 pesan kotak masuk, 1 SMS dicatat di outbox.log, "
                              "tidak dikirim), 1 draf.")
    assert Announcement.objects.filter(status="published").count() == 4
    assert list(Message.objects.filter(channel="sms").values_list("status", flat=True)) == ["logged"]
    assert "081299990001" in outbox_file.read_text()
    assert demo_notifications_create(actor=cast["admin"], seed=7) is None
