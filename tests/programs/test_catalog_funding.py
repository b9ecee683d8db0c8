"""Funding-source pages (admin only) and the allocation form on the program page."""

from __future__ import annotations

import pytest

from bansos.core.models import AuditEvent
from bansos.programs.models import Allocation, FundingSource
from bansos.programs.services.funding import funding_source_create
from tests.programs.catalog_helpers import state

LIST, CREATE = "/program/dana/", "/program/dana/baru/"


def source_post(**extra) -> dict:
    data = {"name": "APBD Kelurahan 2026", "kind": "apbd", "agency": "", "shared": "on", "fiscal_year": "2026",
            "amount": "Rp 250.000.000", "note": ""}
    data.update(extra)
    return data


@pytest.fixture
def own_source(cast, agencies):
    """A source of the LSM that only the LSM's programs may use."""
    return funding_source_create(actor=cast["admin"], data={
        "name": "Dana Yayasan", "kind": "donor", "agency": agencies["lsm"], "shared": False, "fiscal_year": 2026,
        "amount": 40_000_000,
    })


def test_the_admin_sees_the_sources_with_their_figures(cast, make_program, source, own_source, client_for):
    make_program(budget=10_000_000)
    response = client_for(cast["admin"]).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("CSR Bank Contoh", "CSR perusahaan", "Rp 100.000.000", "Rp 10.000.000", "Rp 90.000.000",
                 "Ya, semua lembaga", "Dana Yayasan", "Yayasan Peduli Duri Kepa", "Hanya program pemberi dana",
                 "Kelurahan / pemerintah", "2026", "Rp 140.000.000", "Rp 130.000.000"):
        assert text in html, text


@pytest.mark.parametrize("who", ("officer", "officer_other", "surveyor", "cadre", "evaluator", "resident"))
def test_only_the_admin_manages_funding_sources(who, cast, source, client_for):
    client = client_for(cast[who])
    before = state()
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, source_post()).status_code == 403
    assert client.get(f"/program/dana/{source.pk}/ubah/").status_code == 403
    assert client.post(f"/program/dana/{source.pk}/ubah/", source_post(amount="1")).status_code == 403
    assert state() == before


def test_the_admin_records_a_source_with_a_printed_amount(cast, agencies, client_for):
    response = client_for(cast["admin"]).post(CREATE, source_post(agency=agencies["lsm"].pk, shared=""))
    assert response.status_code == 302 and response["Location"] == LIST
    source = FundingSource.objects.get()
    assert (source.name, source.amount, source.agency, source.shared) == (
        "APBD Kelurahan 2026", 250_000_000, agencies["lsm"], False)
    assert AuditEvent.objects.filter(action="funding.create").count() == 1


@pytest.mark.parametrize(("field", "value", "message"), [
    ("amount", "0", "Paling sedikit Rp 1."),
    ("amount", "Rp 2,5 juta", "Tulis jumlah Rupiah tanpa sen"),
    ("fiscal_year", "1999", "Pastikan nilai ini lebih besar dari atau sama dengan 2000."),
    ("kind", "", "Bidang ini tidak boleh kosong."),
])
def test_bad_source_input_changes_nothing(field, value, message, cast, client_for):
    before = state()
    response = client_for(cast["admin"]).post(CREATE, source_post(**{field: value}))
    assert response.status_code == 200 and message in response.content.decode()
    assert state() == before


def test_the_admin_edits_a_source_but_not_below_what_is_allocated(cast, make_program, source, client_for):
    make_program(budget=60_000_000)
    url = f"/program/dana/{source.pk}/ubah/"
    client = client_for(cast["admin"])
    page = client.get(url).content.decode()
    assert 'value="100.000.000"' in page
    assert "Pelatihan Menjahit Perempuan Kepala Keluarga" in page  # where the money went
    before = state()
    refused = client.post(url, source_post(name="CSR Bank Contoh", kind="csr", amount="50000000"))
    assert refused.status_code == 200
    assert "Jumlah dana tidak boleh lebih kecil dari yang sudah dialokasikan (Rp 60.000.000)." in refused.content.decode()
    assert state() == before
    assert client.post(url, source_post(name="CSR Bank Contoh", kind="csr", amount="Rp 120.000.000")).status_code == 302
    source.refresh_from_db()
    assert source.amount == 120_000_000


def test_an_unknown_source_is_404(cast, client_for):
    assert client_for(cast["admin"]).get("/program/dana/999999/ubah/").status_code == 404


# --- Allocation on the program page -----------------------------------------------------------


def allocate(client, program, source, amount, direction="add", note="tahap 1"):
    return client.post(f"/program/{program.pk}/alokasi/",
                       {"source": source.pk, "direction": direction, "amount": amount, "note": note})


def test_an_officer_allocates_and_withdraws_on_their_program(cast, make_program, source, client_for):
    program = make_program("dinsos")
    client = client_for(cast["officer"])
    response = allocate(client, program, source, "Rp 5.000.000")
    assert response.status_code == 302 and response["Location"] == f"/program/{program.pk}/"
    program.refresh_from_db()
    source.refresh_from_db()
    assert (program.budget_allocated, source.allocated) == (5_000_000, 5_000_000)
    response = allocate(client, program, source, "2000000", direction="withdraw", note="dipindah")
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.budget_allocated == 3_000_000
    assert list(Allocation.objects.order_by("pk").values_list("amount", "note", "actor")) == [
        (5_000_000, "tahap 1", cast["officer"].pk), (-2_000_000, "dipindah", cast["officer"].pk)]
    html = client.get(f"/program/{program.pk}/").content.decode()
    assert "ditarik" in html and "-Rp 2.000.000" in html


def test_the_source_choice_holds_only_sources_the_officer_may_use(cast, make_program, source, own_source,
                                                                  client_for):
    program = make_program("dinsos")
    html = client_for(cast["officer"]).get(f"/program/{program.pk}/").content.decode()
    assert "CSR Bank Contoh (2026) — tersedia Rp 100.000.000" in html
    assert "Dana Yayasan" not in html
    before = state()
    response = allocate(client_for(cast["officer"]), program, own_source, "1000000")
    assert response.status_code == 400
    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert state() == before
    # The funder's own officer may use it for the LSM's programs.
    lsm_program = make_program("lsm")
    assert allocate(client_for(cast["officer_other"]), lsm_program, own_source, "1000000").status_code == 302


@pytest.mark.parametrize(("amount", "direction", "message"), [
    ("Rp 200.000.000", "add", "Sisa sumber dana tidak cukup: tersedia Rp 100.000.000."),
    ("0", "add", "Paling sedikit Rp 1."),
    ("abc", "add", "Tulis jumlah Rupiah tanpa sen"),
    ("1000000", "withdraw", "Paling banyak Rp 0 dapat ditarik dari program ini dari sumber ini."),
])
def test_allocation_errors_are_shown_and_change_nothing(amount, direction, message, cast, make_program, source,
                                                        client_for):
    program = make_program("dinsos")
    before = state()
    response = allocate(client_for(cast["officer"]), program, source, amount, direction=direction)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'id="alokasi"' in html  # the page comes back with the form and its errors
    assert state() == before


def test_money_committed_to_participants_cannot_be_withdrawn(cast, areas, make_program, source, client_for):
    from bansos.programs.services.enrollment import enrollment_apply, enrollment_transition
    from tests.programs.catalog_helpers import families

    program = make_program(budget=1_000_000)
    enrollment = enrollment_apply(actor=cast["admin"], program=program, household=families(cast, areas, 1)[0])
    enrollment_transition(actor=cast["admin"], enrollment=enrollment, to="verified", reason="dikunjungi")
    enrollment_transition(actor=cast["admin"], enrollment=enrollment, to="approved")
    before = state()
    response = allocate(client_for(cast["officer"]), program, source, "500000", direction="withdraw")
    assert response.status_code == 400
    assert ("Dana yang sudah menjadi komitmen peserta tidak dapat ditarik; sisa anggaran Rp 100.000."
            in response.content.decode())
    assert state() == before


@pytest.mark.parametrize("who", ("officer_other", "surveyor", "evaluator", "resident"))
def test_others_cannot_allocate_to_the_program(who, cast, make_program, source, client_for):
    program = make_program("dinsos")
    before = state()
    assert allocate(client_for(cast[who]), program, source, "1000000").status_code == 403
    assert state() == before


def test_a_closed_program_has_no_allocation_form_and_refuses_money(cast, make_program, source, client_for):
    program = make_program(status="closed")
    client = client_for(cast["admin"])
    assert f"/program/{program.pk}/alokasi/" not in client.get(f"/program/{program.pk}/").content.decode()
    before = state()
    response = allocate(client, program, source, "1000000")
    assert "Program yang sudah selesai tidak menerima alokasi." in response.content.decode()
    assert state() == before
