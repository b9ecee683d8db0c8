"""One enrollment's page: what it shows, every transition through its form, refusals that change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansos.core.models import AuditEvent
from bansos.programs.models import Enrollment, EnrollmentState, Program
from bansos.programs.services import enrollment as svc
from bansos.programs.services.overlap import overlap_policy_create


@pytest.fixture
def program(make_program):
    return make_program(budget=900_000)  # room for one participant (3 x Rp 300.000)


@pytest.fixture
def applied(cast, program):
    return svc.enrollment_apply(actor=cast["officer"], program=program, household=cast["households"]["rw1"],
                                note="Datang ke kantor kelurahan")


def _detail(e):
    return reverse("programs:enrollment_detail", args=[e.pk])


def _move(client, e, to, **data):
    return client.post(reverse("programs:enrollment_transition", args=[e.pk]), {"to": to, **{
        f"t-{to}-{k}": v for k, v in data.items()}})


def _state(e):
    return Enrollment.objects.get(pk=e.pk).state


def test_it_shows_the_participant_money_history_and_allowed_transitions(cast, client_for, applied):
    html = client_for(cast["officer"]).get(_detail(applied)).content.decode()
    assert "BUDI SANTOSO" in html and applied.household.kk_number in html
    assert "Rp 900.000" in html  # cost per participant
    assert "Mendaftar program" in html and "Datang ke kantor kelurahan" in html  # history with reason
    assert 'name="to" value="verified"' in html and 'name="to" value="rejected"' in html
    assert 'value="approved"' not in html
    assert "Hasil pemeriksaan lapangan" in html


@pytest.mark.parametrize("who", ["officer_other", "surveyor", "cadre", "evaluator", "resident"])
def test_it_refuses_the_page_and_the_transitions_to_others(who, cast, client_for, applied):
    client = client_for(cast[who])
    assert client.get(_detail(applied)).status_code == 403
    assert _move(client, applied, "verified", reason="Dikunjungi").status_code == 403
    assert _state(applied) == EnrollmentState.APPLIED
    assert not AuditEvent.objects.filter(action="enrollment.verify").exists()


def test_it_answers_404_for_a_missing_enrollment(cast, client_for, db):
    assert client_for(cast["admin"]).get(reverse("programs:enrollment_detail", args=[999999])).status_code == 404


def test_verification_needs_the_field_check_note(cast, client_for, applied):
    client = client_for(cast["officer"])
    response = _move(client, applied, "verified", reason="  ")
    assert response.status_code == 422
    assert "Catat hasil pemeriksaan lapangan." in response.content.decode()
    assert _state(applied) == EnrollmentState.APPLIED
    response = _move(client, applied, "verified", reason="Dikunjungi 3 Maret, sesuai data")
    assert response.status_code == 302 and response["Location"] == _detail(applied)
    e = Enrollment.objects.get(pk=applied.pk)
    assert (e.state, e.verification_note) == (EnrollmentState.VERIFIED, "Dikunjungi 3 Maret, sesuai data")


def test_rejection_needs_a_reason(cast, client_for, applied):
    client = client_for(cast["officer"])
    response = _move(client, applied, "rejected")
    assert response.status_code == 422 and "Alasan wajib diisi." in response.content.decode()
    assert _state(applied) == EnrollmentState.APPLIED
    _move(client, applied, "rejected", reason="Penghasilan di atas batas")
    e = Enrollment.objects.get(pk=applied.pk)
    assert (e.state, e.reason) == (EnrollmentState.REJECTED, "Penghasilan di atas batas")
    html = client.get(_detail(applied)).content.decode()
    assert "sudah berakhir" in html and "Pendaftaran ditolak" in html


def test_it_walks_approve_start_suspend_resume_graduate_with_history_newest_first(cast, client_for, applied, program):
    client = client_for(cast["officer"])
    _move(client, applied, "verified", reason="Dikunjungi")
    html = client.get(_detail(applied)).content.decode()
    assert "Menyetujui memakai Rp 900.000 dari sisa anggaran Rp 900.000." in html
    _move(client, applied, "approved")
    program.refresh_from_db()
    assert (_state(applied), program.budget_committed, program.seats_taken) == (EnrollmentState.APPROVED, 900_000, 1)
    _move(client, applied, "active")
    assert _move(client, applied, "suspended").status_code == 422
    _move(client, applied, "suspended", reason="Tidak hadir verifikasi ulang")
    html = client.get(_detail(applied)).content.decode()
    assert "Lanjutkan kepesertaan" in html
    _move(client, applied, "active", reason="Sudah hadir")
    _move(client, applied, "graduated", reason="Usaha berjalan")
    assert _state(applied) == EnrollmentState.GRADUATED
    html = client.get(_detail(applied)).content.decode()
    labels = ["Lulus dari program", "Kepesertaan dilanjutkan", "Kepesertaan ditangguhkan", "Kepesertaan dimulai",
              "Kepesertaan disetujui", "Pendaftaran diverifikasi", "Mendaftar program"]
    positions = [html.index(label) for label in labels]
    assert positions == sorted(positions)
    assert "Dana dikomitmenkan: <span class=\"new\">Rp 900.000</span>" in html
    assert "Status: <span class=\"old\">Ditangguhkan</span>" in html


def test_approval_beyond_the_budget_shows_the_service_message_and_changes_nothing(cast, client_for, program):
    client = client_for(cast["officer"])
    hh = cast["households"]
    first = svc.enrollment_apply(actor=cast["officer"], program=program, household=hh["rw1"])
    second = svc.enrollment_apply(actor=cast["officer"], program=program, household=hh["rw2"])
    for e in (first, second):
        svc.enrollment_verify(actor=cast["officer"], enrollment=e, note="Dikunjungi")
    svc.enrollment_approve(actor=cast["officer"], enrollment=first)
    response = _move(client, second, "approved")
    assert response.status_code == 422
    assert "Anggaran program tidak cukup" in response.content.decode()
    program.refresh_from_db()
    assert (_state(second), program.budget_committed, program.seats_taken) == (EnrollmentState.VERIFIED, 900_000, 1)


@pytest.fixture
def receiving_elsewhere(cast, make_program):
    """Budi's family already receives a cash program of the other agency (LSM)."""
    other = make_program(agency_key="lsm", name="Bantuan Tunai Yayasan", budget=900_000)
    e = svc.enrollment_apply(actor=cast["officer_other"], program=other, household=cast["households"]["rw1"])
    svc.enrollment_verify(actor=cast["officer_other"], enrollment=e, note="Dikunjungi")
    svc.enrollment_approve(actor=cast["officer_other"], enrollment=e)
    return other


def test_an_overlap_warning_needs_the_officers_confirmation(cast, client_for, applied, program, receiving_elsewhere):
    overlap_policy_create(actor=cast["admin"], data={"kind_a": "cash", "kind_b": "cash", "effect": "warn",
                                                     "note": "Dua bantuan tunai sekaligus"})
    client = client_for(cast["officer"])
    svc.enrollment_verify(actor=cast["officer"], enrollment=applied, note="Dikunjungi")
    response = _move(client, applied, "approved")
    html = response.content.decode()
    assert response.status_code == 422
    assert "Perhatian: keluarga ini sudah menerima Bantuan tunai (lembaga lain)" in html
    assert "Bantuan Tunai Yayasan" not in html  # the other agency's program stays unnamed
    assert "Saya sudah memeriksa dan tetap menyetujui" in html
    assert _state(applied) == EnrollmentState.VERIFIED
    response = _move(client, applied, "approved", acknowledge_warnings="on")
    assert response.status_code == 302
    assert _state(applied) == EnrollmentState.APPROVED
    event = AuditEvent.objects.get(action="enrollment.approve", object_id=str(applied.pk))
    assert "lembaga lain" in event.changes["overlap_warning"]


def test_the_warning_is_shown_before_the_first_press(cast, client_for, applied, receiving_elsewhere):
    overlap_policy_create(actor=cast["admin"], data={"kind_a": "cash", "kind_b": "cash", "effect": "warn"})
    svc.enrollment_verify(actor=cast["officer"], enrollment=applied, note="Dikunjungi")
    html = client_for(cast["officer"]).get(_detail(applied)).content.decode()
    assert "Perhatian: keluarga ini sudah menerima" in html
    assert "Saya sudah memeriksa dan tetap menyetujui" in html


def test_a_forbidden_overlap_is_refused_even_when_acknowledged(cast, client_for, applied, program, receiving_elsewhere):
    overlap_policy_create(actor=cast["admin"], data={"kind_a": "cash", "kind_b": "cash", "effect": "forbid",
                                                     "note": "Satu bantuan tunai per keluarga"})
    svc.enrollment_verify(actor=cast["officer"], enrollment=applied, note="Dikunjungi")
    response = _move(client_for(cast["officer"]), applied, "approved", acknowledge_warnings="on")
    html = response.content.decode()
    assert response.status_code == 422
    assert "Tidak dapat disetujui: keluarga ini sudah menerima Bantuan tunai (lembaga lain)" in html
    assert "Satu bantuan tunai per keluarga" in html
    program.refresh_from_db()
    assert (_state(applied), program.budget_committed) == (EnrollmentState.VERIFIED, 0)


def test_a_transition_the_state_does_not_allow_is_refused_with_a_message(cast, client_for, applied):
    client = client_for(cast["officer"])
    response = _move(client, applied, "graduated", reason="Langsung lulus")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "tidak dapat diubah dari Mendaftar menjadi Lulus/mandiri" in page
    assert _state(applied) == EnrollmentState.APPLIED
    assert _move(client, applied, "nonsense").status_code == 302
    assert _state(applied) == EnrollmentState.APPLIED


def test_approval_is_refused_when_the_program_is_closed(cast, client_for, applied, program):
    svc.enrollment_verify(actor=cast["officer"], enrollment=applied, note="Dikunjungi")
    Program.objects.filter(pk=program.pk).update(status="closed")
    response = _move(client_for(cast["officer"]), applied, "approved")
    assert response.status_code == 422
    assert "tidak sedang menerima peserta" in response.content.decode()
    assert _state(applied) == EnrollmentState.VERIFIED


def test_transitions_accept_get_only_for_the_page(cast, client_for, applied):
    response = client_for(cast["officer"]).get(reverse("programs:enrollment_transition", args=[applied.pk]))
    assert response.status_code == 405


def test_the_detail_page_reads_a_bounded_number_of_queries(cast, client_for, applied, django_assert_max_num_queries):
    client = client_for(cast["officer"])
    _move(client, applied, "verified", reason="Dikunjungi")
    _move(client, applied, "rejected", reason="Tidak memenuhi")
    client.get(_detail(applied))
    with django_assert_max_num_queries(11):
        response = client.get(_detail(applied))
    assert response.status_code == 200


def test_an_admins_warning_naming_another_agencys_program_stays_hidden_from_the_officer(
        cast, client_for, applied, receiving_elsewhere):
    overlap_policy_create(actor=cast["admin"], data={"kind_a": "cash", "kind_b": "cash", "effect": "warn"})
    svc.enrollment_verify(actor=cast["officer"], enrollment=applied, note="Dikunjungi")
    svc.enrollment_approve(actor=cast["admin"], enrollment=applied, acknowledge_warnings=True)
    stored = AuditEvent.objects.get(action="enrollment.approve", object_id=str(applied.pk))
    assert "Bantuan Tunai Yayasan" in stored.changes["overlap_warning"]  # written for the admin
    officer_html = client_for(cast["officer"]).get(_detail(applied)).content.decode()
    assert "Bantuan Tunai Yayasan" not in officer_html
    assert "peringatan tumpang tindih dikonfirmasi" in officer_html
    assert "Bantuan Tunai Yayasan" in client_for(cast["admin"]).get(_detail(applied)).content.decode()
