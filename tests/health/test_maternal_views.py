"""Maternal-care, education and referral pages: a cadre's flow, and refusals of everyone outside the area
(pages, forms, CSV) with nothing changed; the household panel and history only for those allowed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bansos.health.models_maternal import AntenatalVisit, EducationAttendance, Pregnancy, Referral
from bansos.health.services_maternal import antenatal_record, pregnancy_open
from bansos.health.services_outreach import education_session_create, referral_create
from tests.health.conftest import maternal_state

pytestmark = pytest.mark.django_db


def ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def test_a_cadre_finds_a_woman_opens_her_pregnancy_and_records_a_visit(cast, woman, client_for, areas):
    mother = woman(name="Ratna Sari")
    client = client_for(cast["cadre"])
    page = client.get(f"/kesehatan/posyandu/{areas['pos1'].pk}/ibu-hamil/?q=ratna")
    assert page.status_code == 200 and f"/kesehatan/ibu/{mother.pk}/kehamilan-baru/" in page.content.decode()
    opened = client.post(f"/kesehatan/ibu/{mother.pk}/kehamilan-baru/", {"lmp": ago(100).isoformat()})
    p = Pregnancy.objects.get()
    assert opened.url == f"/kesehatan/kehamilan/{p.pk}/"
    bad = client.post(f"/kesehatan/kehamilan/{p.pk}/periksa/", {"visit_date": ago(0).isoformat(), "place": "posyandu",
                                                               "systolic": "120", "diastolic": "130"})
    assert bad.status_code == 400 and "lebih rendah dari sistolik" in bad.content.decode()
    assert AntenatalVisit.objects.count() == 0
    saved = client.post(f"/kesehatan/kehamilan/{p.pk}/periksa/", {
        "visit_date": ago(0).isoformat(), "place": "posyandu", "weight_kg": "52,5", "systolic": "145",
        "diastolic": "92", "muac_cm": "22,9"}, follow=True)
    body = saved.content.decode()
    assert saved.status_code == 200 and "Pemeriksaan disimpan." in body
    assert "KEK: LiLA di bawah 23,5 cm" in body and "Tekanan darah tinggi" in body and "style=" not in body
    listing = client.get(f"/kesehatan/posyandu/{areas['pos1'].pk}/ibu-hamil/").content.decode()
    assert "RATNA SARI" in listing and "14 minggu 2 hari" in listing and "Kunjungan kurang dari jadwal" in listing


def test_education_session_and_attendance_from_the_area(cast, woman, client_for, areas):
    inside, outside = woman(name="Ratna Sari"), woman("rw2", name="Wati Ningsih")
    client = client_for(cast["cadre"])
    made = client.post(f"/kesehatan/posyandu/{areas['pos1'].pk}/penyuluhan/", {
        "topic": "nutrition_preg", "date": ago(0).isoformat(), "facilitator": "Bidan Rina", "place": "Balai RW"})
    url = made.url
    page = client.get(url + "?q=ratna").content.decode()
    assert "RATNA SARI" in page
    client.post(url, {"resident_id": inside.pk})
    after = client.post(url, {"resident_id": outside.pk}, follow=True).content.decode()
    assert "tidak tinggal di wilayah RT" in after
    assert list(EducationAttendance.objects.values_list("resident_id", flat=True)) == [inside.pk]
    client.post(url, {"resident_id": inside.pk, "action": "remove"})
    assert EducationAttendance.objects.count() == 0


def test_referral_and_its_outcome(cast, woman, client_for, areas):
    person = woman(name="Ratna Sari")
    client = client_for(cast["cadre"])
    made = client.post(f"/kesehatan/warga/{person.pk}/rujukan-baru/", {
        "kind": "referral", "date": ago(2).isoformat(), "reason": "Hb rendah", "referred_to": "puskesmas",
        "facility": "Puskesmas Kebon Jeruk", "follow_up_date": ago(-5).isoformat()})
    assert made.status_code == 302
    r = Referral.objects.get()
    listing = client.get(f"/kesehatan/posyandu/{areas['pos1'].pk}/rujukan/").content.decode()
    assert "Puskesmas Kebon Jeruk" in listing and "Belum ada kabar" in listing
    bad = client.post(f"/kesehatan/rujukan/{r.pk}/hasil/", {"outcome": "treated", "outcome_date": ago(3).isoformat()})
    assert bad.status_code == 400
    client.post(f"/kesehatan/rujukan/{r.pk}/hasil/", {"outcome": "treated", "outcome_date": ago(1).isoformat()})
    r.refresh_from_db()
    assert r.outcome == "treated" and r.outcome_date == ago(1)


@pytest.mark.parametrize("who,status", [("admin", 200), ("cadre", 200), ("cadre_other", 403), ("officer", 403),
                                        ("surveyor", 403), ("evaluator", 403), ("resident", 403), (None, 302)])
def test_maternal_pages_only_for_the_posyandu_area(cast, woman, client_for, areas, who, status):
    mother = woman()
    p = pregnancy_open(actor=cast["cadre"], mother=mother, data={"lmp": ago(100)})
    antenatal_record(actor=cast["cadre"], pregnancy=p, data={"weight_kg": "55"})
    session = education_session_create(actor=cast["cadre"], posyandu=areas["pos1"],
                                       data={"topic": "stunting", "date": ago(0), "facilitator": "Bidan"})
    referral = referral_create(actor=cast["cadre"], resident=mother, data={"reason": "cek", "referred_to": "puskesmas"})
    client = client_for(cast[who] if who else None)
    pos = areas["pos1"].pk
    for url in (f"/kesehatan/posyandu/{pos}/ibu-hamil/", f"/kesehatan/kehamilan/{p.pk}/",
                f"/kesehatan/posyandu/{pos}/penyuluhan/", f"/kesehatan/penyuluhan/{session.pk}/",
                f"/kesehatan/posyandu/{pos}/rujukan/", f"/kesehatan/posyandu/{pos}/ibu-hamil/unduh.csv",
                f"/kesehatan/kehamilan/{p.pk}/periksa/", f"/kesehatan/rujukan/{referral.pk}/hasil/"):
        assert client.get(url).status_code == status, url
    before = maternal_state()
    posts = {
        f"/kesehatan/kehamilan/{p.pk}/periksa/": {"visit_date": ago(1).isoformat(), "place": "posyandu",
                                                  "weight_kg": "56"},
        f"/kesehatan/kehamilan/{p.pk}/selesai/": {"status": "miscarriage", "date": ago(1).isoformat(), "reason": "x"},
        f"/kesehatan/penyuluhan/{session.pk}/": {"resident_id": mother.pk},
        f"/kesehatan/rujukan/{referral.pk}/hasil/": {"outcome": "treated", "outcome_date": ago(0).isoformat()},
        f"/kesehatan/keluarga/{mother.household_id}/kematian/": {"kind": "maternal", "cause": "other",
                                                                 "place": "home", "date": ago(0).isoformat()},
    }
    for url, data in posts.items():
        answer = client.post(url, data)
        assert answer.status_code == (302 if status in (200, 302) else 403), url
    if status != 200:
        assert maternal_state() == before


@pytest.mark.parametrize("who,shown", [("admin", True), ("cadre", True), ("cadre_other", False),
                                       ("surveyor", False), ("resident", False)])
def test_the_mother_panel_and_history_only_for_those_allowed(cast, woman, client_for, who, shown):
    mother = woman()
    p = pregnancy_open(actor=cast["cadre"], mother=mother, data={"lmp": ago(100)})
    antenatal_record(actor=cast["cadre"], pregnancy=p, data={"weight_kg": "55", "hb_g_dl": "9,7"})
    response = client_for(cast[who]).get(f"/registri/keluarga/{mother.household_id}/")
    if response.status_code != 200:
        assert not shown
        return
    page = response.content.decode()
    assert ('id="kesehatan-ibu"' in page) is shown
    assert ("Anemia" in page) is shown
    assert ("9.7" in page or "9,7" in page) is shown


def test_the_pregnancy_list_takes_two_queries_however_many_women(cast, woman, areas, django_assert_num_queries):
    from bansos.health.selectors_maternal import pregnancy_rows

    for i in range(4):
        p = pregnancy_open(actor=cast["cadre"], mother=woman(name=f"Ibu {'ABCD'[i]}"), data={"lmp": ago(100 + i)})
        antenatal_record(actor=cast["cadre"], pregnancy=p, data={"visit_date": ago(i), "weight_kg": "55"})
    with django_assert_num_queries(2):
        rows = pregnancy_rows(areas["pos1"])
    assert len(rows) == 4 and all(len(r.visits) == 1 for r in rows)
