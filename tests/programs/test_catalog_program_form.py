"""Creating and editing programs, and moving them through their statuses, from the pages."""

from __future__ import annotations

import pytest

from bansos.core.models import AuditEvent
from bansos.programs.models import Program
from bansos.programs.services.enrollment import enrollment_apply, enrollment_transition
from tests.programs.catalog_helpers import families, form_post, state
from tests.programs.conftest import program_data

CREATE = "/program/baru/"


def post_data(agency=None, **extra) -> dict:
    data = form_post(program_data(agency, **extra))
    data["target_groups"] = data["target_groups"]  # a list: the test client sends each value
    return data


def test_an_officer_creates_a_program_for_their_own_agency(cast, agencies, client_for):
    data = post_data(None, benefit_amount="Rp 300.000")
    data.pop("agency")
    response = client_for(cast["officer"]).post(CREATE, data)
    program = Program.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/program/{program.pk}/"
    assert program.agency == agencies["dinsos"]
    assert program.benefit_amount == 300_000
    assert program.status == "draft"
    assert program.target_groups == ["female_head"]
    assert program.created_by == cast["officer"]
    assert AuditEvent.objects.filter(action="program.create", object_id=str(program.pk)).count() == 1


def test_an_officer_cannot_create_for_another_agency(cast, agencies, client_for):
    # The agency field is fixed for officers: whatever is sent, the program is their agency's.
    response = client_for(cast["officer"]).post(CREATE, post_data(agencies["lsm"]))
    assert response.status_code == 302
    assert Program.objects.get().agency == agencies["dinsos"]


def test_the_officers_form_shows_the_agency_fixed(cast, client_for):
    html = client_for(cast["officer"]).get(CREATE).content.decode()
    assert "Program dibuat untuk lembaga Anda." in html
    assert "Suku Dinas Sosial Jakarta Barat" in html
    assert "Yayasan Peduli Duri Kepa" not in html


def test_the_admin_chooses_the_agency(cast, agencies, client_for):
    client = client_for(cast["admin"])
    html = client.get(CREATE).content.decode()
    assert "Suku Dinas Sosial Jakarta Barat" in html and "Yayasan Peduli Duri Kepa" in html
    response = client.post(CREATE, post_data(agencies["lsm"], benefit_amount="450000"))
    assert response.status_code == 302
    program = Program.objects.get()
    assert program.agency == agencies["lsm"] and program.benefit_amount == 450_000


def test_the_admin_must_choose_an_agency(cast, client_for):
    before = state()
    response = client_for(cast["admin"]).post(CREATE, post_data(None))
    assert response.status_code == 200
    assert "Periksa isian yang ditandai merah" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("who", ("surveyor", "cadre", "evaluator", "resident"))
def test_roles_without_program_manage_cannot_create(who, cast, agencies, client_for):
    client = client_for(cast[who])
    before = state()
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, post_data(agencies["dinsos"])).status_code == 403
    assert state() == before


@pytest.mark.parametrize(("field", "value", "message"), [
    ("benefit_amount", "3.00000", "Tulis jumlah Rupiah tanpa sen"),
    ("benefit_amount", "Rp 300.000,50", "Tulis jumlah Rupiah tanpa sen"),
    ("benefit_amount", "tiga ratus ribu", "Tulis jumlah Rupiah tanpa sen"),
    ("end_date", "2025-12-31", "Tanggal selesai tidak boleh sebelum tanggal mulai."),
    ("name", "", "Bidang ini tidak boleh kosong."),
    ("benefit_periods", "0", "Pastikan nilai ini lebih besar dari atau sama dengan 1."),
    ("capacity", "0", "Pastikan nilai ini lebih besar dari atau sama dengan 1."),
])
def test_bad_input_is_refused_with_a_clear_message(field, value, message, cast, agencies, client_for):
    data = post_data(agencies["dinsos"])
    data[field] = value
    before = state()
    response = client_for(cast["admin"]).post(CREATE, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert state() == before


def test_rule_choices_are_the_agencys_and_the_kelurahans(cast, agencies, client_for):
    from bansos.eligibility.services import rule_create

    expression = {"all": [{"p": "female_head", "op": "is", "value": True}]}
    own = rule_create(actor=cast["officer"], name="Aturan Dinsos", expression=expression)
    kelurahan = rule_create(actor=cast["admin"], name="Aturan Kelurahan", expression=expression)
    other = rule_create(actor=cast["officer_other"], name="Aturan LSM", expression=expression)
    client = client_for(cast["officer"])
    html = client.get(CREATE).content.decode()
    assert "Aturan Dinsos" in html and "Aturan Kelurahan" in html and "Aturan LSM" not in html
    before = state()
    refused = client.post(CREATE, {**post_data(None), "rule": other.pk})
    assert refused.status_code == 200 and "Masukkan pilihan yang valid" in refused.content.decode()
    assert state() == before
    for rule in (own, kelurahan):
        assert client.post(CREATE, {**post_data(None), "rule": rule.pk}).status_code == 302
    assert sorted(Program.objects.values_list("rule__name", flat=True)) == ["Aturan Dinsos", "Aturan Kelurahan"]


def test_the_admin_cannot_attach_another_agencys_rule(cast, agencies, client_for):
    from bansos.eligibility.services import rule_create

    other = rule_create(actor=cast["officer_other"], name="Aturan LSM",
                        expression={"all": [{"p": "female_head", "op": "is", "value": True}]})
    before = state()
    response = client_for(cast["admin"]).post(CREATE, {**post_data(agencies["dinsos"]), "rule": other.pk})
    assert response.status_code == 200
    assert "Aturan kelayakan ini milik lembaga lain." in response.content.decode()
    assert state() == before


# --- Editing ---------------------------------------------------------------------------------


def test_an_officer_edits_their_agencys_program(cast, make_program, client_for):
    program = make_program("dinsos", name="BLT Lama")
    url = f"/program/{program.pk}/ubah/"
    client = client_for(cast["officer"])
    html = client.get(url).content.decode()
    assert 'value="BLT Lama"' in html and 'value="300.000"' in html
    data = post_data(None, name="BLT Baru", benefit_amount="Rp 350.000", capacity="40")
    response = client.post(url, data)
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.name, program.benefit_amount, program.capacity) == ("BLT Baru", 350_000, 40)
    event = AuditEvent.objects.get(action="program.update", object_id=str(program.pk))
    assert event.actor == cast["officer"]


@pytest.mark.parametrize("who", ("officer_other", "surveyor", "evaluator"))
def test_others_cannot_edit_the_program(who, cast, make_program, client_for):
    program = make_program("dinsos")
    url = f"/program/{program.pk}/ubah/"
    client = client_for(cast[who])
    before = state()
    assert client.get(url).status_code == 403
    assert client.post(url, post_data(None, name="Dibajak")).status_code == 403
    assert state() == before


def test_a_closed_program_cannot_be_edited(cast, make_program, client_for):
    program = make_program(status="closed")
    before = state()
    response = client_for(cast["admin"]).post(f"/program/{program.pk}/ubah/", post_data(None, name="X"), follow=True)
    assert "Program yang sudah selesai tidak dapat diubah." in response.content.decode()
    assert state() == before


def test_the_cost_is_locked_once_someone_is_approved(cast, areas, make_program, client_for):
    program = make_program(budget=1_000_000)
    enrollment = enrollment_apply(actor=cast["admin"], program=program, household=families(cast, areas, 1)[0])
    enrollment_transition(actor=cast["admin"], enrollment=enrollment, to="verified", reason="dikunjungi")
    enrollment_transition(actor=cast["admin"], enrollment=enrollment, to="approved")
    before = state()
    response = client_for(cast["officer"]).post(f"/program/{program.pk}/ubah/",
                                                post_data(None, benefit_amount="500000"))
    assert response.status_code == 200
    assert "Nilai manfaat tidak dapat diubah setelah ada peserta yang disetujui" in response.content.decode()
    assert state() == before


# --- Status ----------------------------------------------------------------------------------


def test_an_officer_moves_their_program_through_its_statuses(cast, make_program, client_for):
    program = make_program(status="draft")
    client = client_for(cast["officer"])
    url = f"/program/{program.pk}/status/"
    for target, label in (("open", "Menerima pendaftaran"), ("running", "Berjalan"), ("closed", "Selesai")):
        response = client.post(url, {"status": target, "reason": "rapat koordinasi"}, follow=True)
        assert f"Status program sekarang: {label}." in response.content.decode()
        program.refresh_from_db()
        assert program.status == target
    event = AuditEvent.objects.filter(action="program.status", object_id=str(program.pk)).latest("pk")
    assert event.reason == "rapat koordinasi"


def test_a_transition_the_table_does_not_allow_is_refused(cast, make_program, client_for):
    program = make_program(status="draft")
    before = state()
    response = client_for(cast["admin"]).post(f"/program/{program.pk}/status/", {"status": "running"}, follow=True)
    assert "Status program tidak dapat diubah dari Draf menjadi Berjalan." in response.content.decode()
    assert state() == before


def test_a_bogus_status_is_refused(cast, make_program, client_for):
    program = make_program(status="draft")
    before = state()
    response = client_for(cast["admin"]).post(f"/program/{program.pk}/status/", {"status": "x"}, follow=True)
    assert "Status tidak valid." in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("who", ("officer_other", "surveyor", "evaluator", "resident"))
def test_others_cannot_change_the_status(who, cast, make_program, client_for):
    program = make_program(status="draft")
    before = state()
    assert client_for(cast[who]).post(f"/program/{program.pk}/status/", {"status": "open"}).status_code == 403
    assert state() == before


def test_status_changes_need_post(cast, make_program, client_for):
    program = make_program(status="draft")
    assert client_for(cast["admin"]).get(f"/program/{program.pk}/status/").status_code == 405
