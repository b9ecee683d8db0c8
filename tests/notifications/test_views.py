"""Pages: announcements (staff), reach, the outbox with masked addresses and retry, the resident's inbox
and the portal section, the public announcements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bansos.notifications.models import Announcement, Message, MessageStatus
from bansos.notifications.services import announcement_create, announcement_publish, notify
from tests.notifications.conftest import announcement_data, world

pytestmark = pytest.mark.django_db


def publish(actor, **data):
    return announcement_publish(actor=actor, announcement=announcement_create(actor=actor,
                                                                              data=announcement_data(**data)))


def test_staff_write_and_publish_an_announcement(cast, areas, client_for):
    client = client_for(cast["surveyor"])
    page = client.get(reverse("notifications:announcement_create"))
    assert page.status_code == 200 and "send_sms" not in page.content.decode()  # the admin's choice only
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("notifications:announcement_create"), {
        "title": "Kerja bakti", "body": "Minggu pagi pukul 07.00.", "publish_at": when, "target_kind": "rw",
        "rw": areas["rw1"].pk})
    ann = Announcement.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("notifications:announcement_detail",
                                                                            args=[ann.pk])
    response = client.post(reverse("notifications:announcement_publish", args=[ann.pk]), follow=True)
    assert "Pengumuman diterbitkan ke 2 keluarga." in response.content.decode()
    page = client.get(reverse("notifications:announcement_detail", args=[ann.pk])).content.decode()
    assert "Jangkauan per RW" in page and "RW 01" in page


def test_a_form_error_names_the_field_and_stores_nothing(cast, client_for):
    client = client_for(cast["admin"])
    before = world()
    response = client.post(reverse("notifications:announcement_create"), {
        "title": "", "body": "x", "publish_at": "2026-01-01T10:00", "target_kind": "group"})
    assert response.status_code == 400
    assert 'id="id_title"' in response.content.decode() and response.context["form"].errors["title"]
    response = client.post(reverse("notifications:announcement_create"), {
        "title": "T", "body": "x", "publish_at": "2026-01-01T10:00", "target_kind": "group"})
    assert response.status_code == 400
    assert response.context["form"].errors["group"] == ["Pilih kelompok sasaran."]
    assert world() == before


def test_a_surveyor_posting_to_another_rw_is_refused(cast, areas, client_for):
    before = world()
    response = client_for(cast["surveyor"]).post(reverse("notifications:announcement_create"), {
        "title": "T", "body": "B", "publish_at": "2026-01-01T10:00", "target_kind": "rw", "rw": areas["rw2"].pk})
    assert response.status_code in (400, 403)
    assert world() == before


def test_another_scopes_announcement_is_not_found(cast, areas, client_for):
    ann = announcement_create(actor=cast["admin"], data=announcement_data(target_kind="rw", rw=areas["rw2"].pk))
    assert client_for(cast["surveyor"]).get(reverse("notifications:announcement_detail", args=[ann.pk])).status_code == 404
    assert client_for(cast["surveyor_other"]).get(
        reverse("notifications:announcement_detail", args=[ann.pk])).status_code == 200
    before = world()
    assert client_for(cast["surveyor"]).post(
        reverse("notifications:announcement_publish", args=[ann.pk])).status_code == 404
    assert world() == before


def test_the_outbox_masks_addresses_and_retries(cast, client_for, outbox_file, django_capture_on_commit_callbacks):
    [sms] = notify(topic="uji", subject="Kode", body="123456", phone="081234567890", channels=("sms",))
    Message.objects.filter(pk=sms.pk).update(status=MessageStatus.FAILED, attempts=3, last_error="HTTP 500 dari gateway")
    client = client_for(cast["admin"])
    page = client.get(reverse("notifications:outbox")).content.decode()
    assert "0812*****890" in page and "081234567890" not in page and "HTTP 500 dari gateway" in page
    assert "berkas outbox (tidak benar-benar dikirim)" in page
    filtered = client.get(reverse("notifications:outbox"), {"status": "sent"}).content.decode()
    assert "Tidak ada pesan yang cocok." in filtered
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:message_retry", args=[sms.pk]))
    assert response.status_code == 302
    assert Message.objects.get(pk=sms.pk).status == MessageStatus.LOGGED  # tests deliver at once: to the file


@pytest.mark.parametrize("who", ["officer", "surveyor", "cadre", "evaluator", "resident"])
def test_the_outbox_is_the_admins(cast, client_for, who):
    assert client_for(cast[who]).get(reverse("notifications:outbox")).status_code == 403


def test_the_resident_reads_its_inbox_and_opening_marks_read(cast, areas, client_for):
    hh = cast["households"]
    mine = publish(cast["admin"], target_kind="rw", rw=areas["rw1"].pk, title="Untuk RW 1")
    publish(cast["admin"], target_kind="rw", rw=areas["rw2"].pk, title="Untuk RW 2")
    client = client_for(cast["resident"])
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Untuk RW 1" in page and "Untuk RW 2" not in page
    message = Message.objects.get(reference=mine.reference, household=hh["rw1"])
    assert client.get(reverse("notifications:inbox_message", args=[message.pk])).status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.READ and message.read_at is not None
    other = Message.objects.get(household=hh["rw2"])
    assert client.get(reverse("notifications:inbox_message", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_the_portal_section_shows_unread_and_latest(cast, areas):
    from bansos.notifications.selectors import portal_inbox_section

    publish(cast["admin"], title="Satu")
    publish(cast["admin"], title="Dua")
    section = portal_inbox_section(user=cast["resident"], household=cast["households"]["rw1"])
    assert section["unread"] == 2 and [m.subject for m in section["latest"]] == ["Dua", "Satu"]


def test_public_announcements_show_kelurahan_and_rw_ones_only(cast, areas, client_for, make_program, enrol):
    program = make_program("dinsos", budget=10_000_000)
    enrol(program, cast["households"]["rw1"], "active")
    kel = publish(cast["admin"], title="Untuk semua")
    publish(cast["admin"], target_kind="program", program=program.pk, title="Hanya peserta")
    publish(cast["admin"], target_kind="group", group="female_head", title="Hanya kelompok")
    publish(cast["admin"], title="Nanti", publish_at=timezone.now() + dt.timedelta(days=1))
    page = client_for(None).get(reverse("notifications:public_list")).content.decode()
    assert "Untuk semua" in page and "Hanya peserta" not in page and "Hanya kelompok" not in page
    assert "Nanti" not in page
    assert client_for(None).get(reverse("notifications:public_detail", args=[kel.pk])).status_code == 200
    hidden = Announcement.objects.get(title="Hanya peserta")
    assert client_for(None).get(reverse("notifications:public_detail", args=[hidden.pk])).status_code == 404


def test_reach_pages(cast, areas, client_for, make_program, enrol):
    program = make_program("dinsos", budget=10_000_000)
    enrol(program, cast["households"]["rw1"], "active")
    ann = publish(cast["admin"], target_kind="program", program=program.pk)
    admin = client_for(cast["admin"])
    assert "Menerima informasi" in admin.get(reverse("notifications:announcement_reach", args=[ann.pk])).content.decode()
    page = client_for(cast["officer"]).get(reverse("notifications:program_reach", args=[program.pk]))
    assert page.status_code == 200 and ann.title in page.content.decode()
    assert client_for(cast["officer_other"]).get(
        reverse("notifications:program_reach", args=[program.pk])).status_code == 403


def test_the_announcement_list_has_no_n_plus_one(cast, areas, client_for, django_assert_max_num_queries):
    for i in range(8):
        publish(cast["admin"], title=f"P{i}", target_kind="rw", rw=areas["rw1"].pk)
    client = client_for(cast["admin"])
    client.get(reverse("notifications:announcement_list"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notifications:announcement_list")).status_code == 200


def test_an_announcement_for_later_shows_as_scheduled(cast, client_for):
    ann = publish(cast["admin"], publish_at=timezone.now() + dt.timedelta(days=2))
    page = client_for(cast["admin"]).get(reverse("notifications:announcement_detail", args=[ann.pk])).content.decode()
    assert "Terjadwal: belum tampil bagi warga" in page
    assert list(client_for(cast["resident"]).get(reverse("notifications:inbox")).context["page"].object_list) == []
