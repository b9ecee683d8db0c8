"""Cash pages, part 1: overview, institutions, schemes, cycles (list, create, detail, generate, approve,
cancel), payee accounts and the household panel. Every page and action both ways: allowed, and refused
with nothing changed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cash.conftest import BANK_COLUMNS, result_csv

pytestmark = pytest.mark.django_db

OVERVIEW = "/bantuan-tunai/"
NO_CASH_ROLES = ("surveyor", "cadre", "evaluator", "resident")


def cash_state() -> dict:
    """Everything the cash services write, to assert that a refusal changed nothing."""
    from bansos.cash.models import CashScheme, Cycle, Entitlement, PayeeAccount, PaymentInstitution
    from bansos.core.models import AuditEvent
    from bansos.programs.models import Enrollment, Program

    return {
        "cycles": list(Cycle.objects.order_by("pk").values()),
        "entitlements": list(Entitlement.objects.order_by("pk").values("pk", "cycle_id", "state", "amount")),
        "schemes": list(CashScheme.objects.order_by("pk").values()),
        "institutions": list(PaymentInstitution.objects.order_by("pk").values()),
        "accounts": list(PayeeAccount.objects.order_by("pk").values()),
        "programs": list(Program.objects.order_by("pk").values("pk", "budget_committed", "budget_disbursed")),
        "enrollments": list(Enrollment.objects.order_by("pk").values("pk", "committed_amount")),
        "events": AuditEvent.objects.count(),
    }


def html_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def world(cash_world):
    """A running dinsos cash program (Rp 300.000 a month, three households with bank accounts)."""
    program, enrollments = cash_world(3)
    return program, enrollments


@pytest.fixture
def draft_cycle(cast, world):
    from bansos.cash.services.cycles import cycle_create

    return cycle_create(actor=cast["officer"], program=world[0], period_start=dt.date(2026, 3, 1))


@pytest.fixture
def generated(cast, draft_cycle):
    from bansos.cash.services.cycles import cycle_generate

    return cycle_generate(actor=cast["officer"], cycle=draft_cycle)


# --- Overview and navigation -------------------------------------------------------------------------


def test_it_lists_the_officers_cash_programs_with_their_latest_cycle(cast, world, generated, client_for):
    html = html_of(client_for(cast["officer"]).get(OVERVIEW))
    assert world[0].name in html
    assert "Maret 2026" in html and "Daftar dibuat" in html
    assert "<span class=\"money\">Rp 300.000</span> per bulan" in html and "Bank DKI Cabang Kebon Jeruk" in html
    assert "Menunggu persetujuan Anda" not in html  # officers do not approve


def test_it_hides_other_agencies_programs_from_an_officer(cast, world, client_for):
    response = client_for(cast["officer_other"]).get(OVERVIEW)
    assert response.status_code == 200
    assert world[0].name not in html_of(response)
    assert "Belum ada program bantuan uang yang Anda kelola." in html_of(response)


def test_it_lists_cycles_waiting_for_the_admins_approval(cast, world, generated, client_for):
    html = html_of(client_for(cast["admin"]).get(OVERVIEW))
    assert "Menunggu persetujuan Anda" in html
    assert f"/bantuan-tunai/siklus/{generated.pk}/" in html
    assert "3 penerima · <span class=\"money\">Rp 900.000</span>" in html


def test_it_keeps_a_cycle_the_admin_generated_out_of_the_admins_queue(cast, draft_cycle, client_for):
    from bansos.cash.services.cycles import cycle_generate

    cycle_generate(actor=cast["admin"], cycle=draft_cycle)
    html = html_of(client_for(cast["admin"]).get(OVERVIEW))
    assert "Tidak ada siklus yang menunggu persetujuan Anda." in html
    assert "1 siklus yang daftarnya Anda buat menunggu persetujuan admin lain" in html


@pytest.mark.parametrize("who", NO_CASH_ROLES + ("officer_other",))
def test_the_overview_is_refused_without_cash_rights(who, cast, world, client_for):
    status = client_for(cast[who]).get(OVERVIEW).status_code
    assert status == (200 if who == "officer_other" else 403)


def test_anonymous_is_sent_to_sign_in(world, draft_cycle, client_for):
    client = client_for(None)
    for url in (OVERVIEW, f"/bantuan-tunai/program/{world[0].pk}/siklus/", f"/bantuan-tunai/siklus/{draft_cycle.pk}/",
                "/bantuan-tunai/lembaga-bayar/"):
        response = client.get(url)
        assert response.status_code == 302 and "/akun/" in response["Location"]
    before = cash_state()
    response = client.post(f"/bantuan-tunai/siklus/{draft_cycle.pk}/buat-daftar/")
    assert response.status_code == 302 and "/akun/" in response["Location"]
    assert cash_state() == before


def test_the_nav_links_the_cash_pages_for_cash_roles_only(cast, client_for):
    for who in ("admin", "officer", "officer_other"):
        assert 'href="/bantuan-tunai/"' in html_of(client_for(cast[who]).get("/"))
    for who in NO_CASH_ROLES:
        assert 'href="/bantuan-tunai/"' not in html_of(client_for(cast[who]).get("/"))


def test_the_program_page_links_its_cycles_for_its_managers(cast, world, client_for):
    url = f"/program/{world[0].pk}/"
    assert f"/bantuan-tunai/program/{world[0].pk}/siklus/" in html_of(client_for(cast["officer"]).get(url))
    assert f"/bantuan-tunai/program/{world[0].pk}/siklus/" not in html_of(client_for(cast["officer_other"]).get(url))


# --- Paying institutions ---------------------------------------------------------------------------------


INSTITUTION_POST = {
    "name": "Kantor Pos Kebon Jeruk", "kind": "post", "file_format": "xlsx", "csv_delimiter": ",",
    "columns": "reference=NO_REF\nnik\nname = NAMA PENERIMA\npickup_code\n\namount=NOMINAL\n", "is_active": "on",
}


def test_the_admin_lists_institutions(cast, bank, client_for):
    response = client_for(cast["admin"]).get("/bantuan-tunai/lembaga-bayar/")
    assert response.status_code == 200
    html = html_of(response)
    assert "Bank DKI Cabang Kebon Jeruk" in html and "NO_REF, NIK, NAMA, REKENING, NOMINAL" in html
    assert "Titik koma" in html


def test_the_admin_creates_an_institution_with_its_columns(cast, client_for):
    from bansos.cash.models import PaymentInstitution

    response = client_for(cast["admin"]).post("/bantuan-tunai/lembaga-bayar/baru/", INSTITUTION_POST)
    assert response.status_code == 302
    institution = PaymentInstitution.objects.get()
    assert (institution.name, institution.kind, institution.file_format) == ("Kantor Pos Kebon Jeruk", "post", "xlsx")
    assert institution.columns == [
        {"key": "reference", "header": "NO_REF"}, {"key": "nik", "header": "nik"},
        {"key": "name", "header": "NAMA PENERIMA"}, {"key": "pickup_code", "header": "kode_pengambilan"},
        {"key": "amount", "header": "NOMINAL"},
    ]


def test_the_institution_form_shows_the_column_keys_and_the_stored_columns(cast, bank, client_for):
    html = html_of(client_for(cast["admin"]).get(f"/bantuan-tunai/lembaga-bayar/{bank.pk}/ubah/"))
    assert "reference=NO_REF\nnik=NIK\nname=NAMA\naccount_number=REKENING\namount=NOMINAL" in html
    assert "kode_pengambilan" in html and "Kode pengambilan" in html  # the keys' table


def test_an_unknown_column_key_is_refused_on_the_form(cast, client_for):
    before = cash_state()
    data = {**INSTITUTION_POST, "columns": "reference\nrekening_bank\namount"}
    response = client_for(cast["admin"]).post("/bantuan-tunai/lembaga-bayar/baru/", data)
    assert response.status_code == 400
    assert "Kolom tidak dikenal: rekening_bank" in html_of(response)
    assert cash_state() == before


def test_the_admin_edits_an_institution(cast, bank, client_for):
    data = {"name": bank.name, "kind": "bank", "file_format": "csv", "csv_delimiter": "|",
            "columns": "reference\namount\naccount_number"}
    response = client_for(cast["admin"]).post(f"/bantuan-tunai/lembaga-bayar/{bank.pk}/ubah/", data)
    assert response.status_code == 302
    bank.refresh_from_db()
    assert (bank.csv_delimiter, bank.is_active) == ("|", False)
    assert [c["key"] for c in bank.columns] == ["reference", "amount", "account_number"]


@pytest.mark.parametrize("who", ["officer", "officer_other", "surveyor", "evaluator", "resident"])
def test_institutions_are_refused_to_everyone_but_the_admin(who, cast, bank, client_for):
    client = client_for(cast[who])
    before = cash_state()
    assert client.get("/bantuan-tunai/lembaga-bayar/").status_code == 403
    assert client.get(f"/bantuan-tunai/lembaga-bayar/{bank.pk}/ubah/").status_code == 403
    assert client.post("/bantuan-tunai/lembaga-bayar/baru/", INSTITUTION_POST).status_code == 403
    assert client.post(f"/bantuan-tunai/lembaga-bayar/{bank.pk}/ubah/", INSTITUTION_POST).status_code == 403
    assert cash_state() == before


# --- Schemes ------------------------------------------------------------------------------------------------


@pytest.fixture
def bare_program(make_program):
    """A running dinsos money program without a scheme yet."""
    return make_program("dinsos", budget=5_000_000, name="BLT Kelurahan", start_date=dt.date(2026, 1, 1),
                        end_date=dt.date(2026, 12, 31))


def test_the_officer_sets_a_flat_scheme_typed_as_printed(cast, bank, bare_program, client_for):
    from bansos.cash.models import CashScheme

    url = f"/bantuan-tunai/program/{bare_program.pk}/skema/"
    assert client_for(cast["officer"]).get(url).status_code == 200
    response = client_for(cast["officer"]).post(url, {
        "frequency": "quarterly", "amount_rule": "flat", "flat_amount": "Rp 300.000", "institution": bank.pk})
    assert response.status_code == 302
    scheme = CashScheme.objects.get(program=bare_program)
    assert (scheme.frequency, scheme.amount_rule, scheme.flat_amount, scheme.household_cap) == (
        "quarterly", "flat", 300_000, None)
    html = html_of(client_for(cast["officer"]).get(f"/bantuan-tunai/program/{bare_program.pk}/siklus/"))
    assert "Triwulanan (3 bulan)" in html and "Rp 300.000" in html and "Ubah skema" in html


def test_the_officer_sets_a_components_scheme_with_a_cap(cast, bank, bare_program, client_for):
    from bansos.cash.models import CashScheme

    response = client_for(cast["officer"]).post(f"/bantuan-tunai/program/{bare_program.pk}/skema/", {
        "frequency": "monthly", "amount_rule": "components", "per_child_sd": "250.000", "per_child_smp": "300000",
        "per_under_five": "Rp 150.000", "household_cap": "600.000", "institution": bank.pk})
    assert response.status_code == 302
    scheme = CashScheme.objects.get(program=bare_program)
    assert (scheme.per_child_sd, scheme.per_child_smp, scheme.per_under_five, scheme.per_elderly,
            scheme.household_cap, scheme.flat_amount) == (250_000, 300_000, 150_000, 0, 600_000, 0)


def test_a_flat_scheme_without_an_amount_is_refused_on_the_form(cast, bank, bare_program, client_for):
    before = cash_state()
    response = client_for(cast["officer"]).post(f"/bantuan-tunai/program/{bare_program.pk}/skema/", {
        "frequency": "monthly", "amount_rule": "flat", "flat_amount": "", "institution": bank.pk})
    assert response.status_code == 400
    assert "Isi nilai per peserta (lebih dari Rp 0)." in html_of(response)
    response = client_for(cast["officer"]).post(f"/bantuan-tunai/program/{bare_program.pk}/skema/", {
        "frequency": "monthly", "amount_rule": "flat", "flat_amount": "3.00000", "institution": bank.pk})
    assert response.status_code == 400 and "Tulis jumlah Rupiah tanpa sen" in html_of(response)
    assert cash_state() == before


def test_the_scheme_form_offers_active_institutions_only(cast, bank, office, bare_program, client_for):
    from bansos.cash.services.setup import institution_update

    institution_update(actor=cast["admin"], institution=office, data={
        "name": office.name, "kind": office.kind, "columns": office.columns, "is_active": False})
    html = html_of(client_for(cast["officer"]).get(f"/bantuan-tunai/program/{bare_program.pk}/skema/"))
    assert "Bank DKI Cabang Kebon Jeruk" in html and "Kas Kelurahan Duri Kepa" not in html


def test_the_scheme_is_locked_while_a_cycle_waits_for_approval(cast, bank, world, generated, client_for):
    before = cash_state()
    url = f"/bantuan-tunai/program/{world[0].pk}/skema/"
    assert "tidak dapat diubah sampai siklus itu disetujui" in html_of(client_for(cast["officer"]).get(url))
    response = client_for(cast["officer"]).post(url, {
        "frequency": "monthly", "amount_rule": "flat", "flat_amount": "500.000", "institution": bank.pk})
    assert response.status_code == 400 and "Skema tidak dapat diubah selama ada siklus" in html_of(response)
    assert cash_state() == before


@pytest.mark.parametrize("who", ["officer_other", "surveyor", "cadre", "evaluator", "resident"])
def test_the_scheme_is_refused_to_others(who, cast, bank, bare_program, client_for):
    client = client_for(cast[who])
    url = f"/bantuan-tunai/program/{bare_program.pk}/skema/"
    before = cash_state()
    assert client.get(url).status_code == 403
    response = client.post(url, {"frequency": "monthly", "amount_rule": "flat", "flat_amount": "300000",
                                 "institution": bank.pk})
    assert response.status_code == 403
    assert cash_state() == before


def test_cash_pages_of_a_program_that_pays_no_money_are_not_found(cast, make_program, client_for):
    training = make_program("dinsos", name="Kursus Menjahit", kind="training", benefit_kind="course",
                            benefit_amount=0)
    client = client_for(cast["admin"])
    assert client.get(f"/bantuan-tunai/program/{training.pk}/skema/").status_code == 404
    assert client.get(f"/bantuan-tunai/program/{training.pk}/siklus/").status_code == 404


# --- A program's cycles --------------------------------------------------------------------------------------


def test_the_cycle_list_shows_the_scheme_the_budget_and_the_cycles(cast, world, generated, client_for):
    response = client_for(cast["officer"]).get(f"/bantuan-tunai/program/{world[0].pk}/siklus/")
    assert response.status_code == 200
    html = html_of(response)
    assert "Bulanan" in html and "Sama untuk setiap peserta" in html and "Rp 300.000" in html
    assert "Sisa anggaran" in html and "Rp 2.700.000" in html  # allocated 2.7 M, committed by approval below
    assert f'href="/bantuan-tunai/siklus/{generated.pk}/"' in html and "Daftar dibuat" in html
    assert "Rp 900.000" in html
    # March is taken: the create form offers the other months, April first from this program's months.
    assert '<option value="2026-03-01"' not in html and '<option value="2026-04-01"' in html


def test_the_officer_creates_a_cycle_for_a_month(cast, world, client_for):
    from bansos.cash.models import Cycle

    response = client_for(cast["officer"]).post(f"/bantuan-tunai/program/{world[0].pk}/siklus/baru/",
                                                 {"period_start": "2026-05-01"})
    cycle = Cycle.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bantuan-tunai/siklus/{cycle.pk}/"
    assert (cycle.label, cycle.state, cycle.created_by_id) == ("Mei 2026", "draft", cast["officer"].pk)


def test_a_taken_or_invalid_period_is_refused_on_the_form(cast, world, draft_cycle, client_for):
    before = cash_state()
    url = f"/bantuan-tunai/program/{world[0].pk}/siklus/baru/"
    for value in ("2026-03-01", "2027-01-01", "kemarin", ""):
        response = client_for(cast["officer"]).post(url, {"period_start": value})
        assert response.status_code == 400
        html = html_of(response)
        assert 'name="period_start" aria-invalid="true"' in html
        assert ("Masukkan pilihan yang valid." in html) != ("Bidang ini tidak boleh kosong." in html)
    assert cash_state() == before


def test_a_one_off_cycle_takes_a_date(cast, cash_world, client_for):
    from bansos.cash.models import Cycle

    program, _enrollments = cash_world(1, frequency="one_off")
    url = f"/bantuan-tunai/program/{program.pk}/siklus/"
    assert 'type="date"' in html_of(client_for(cast["officer"]).get(url))
    response = client_for(cast["officer"]).post(f"{url}baru/", {"period_start": "2026-08-17"})
    assert response.status_code == 302
    assert Cycle.objects.get().label == "17 Agustus 2026"
    response = client_for(cast["officer"]).post(f"{url}baru/", {"period_start": "2027-02-01"})
    assert response.status_code == 400 and "Periode siklus harus berada dalam masa program" in html_of(response)


def test_creating_a_cycle_without_a_scheme_says_so(cast, bare_program, client_for):
    before = cash_state()
    response = client_for(cast["officer"]).post(f"/bantuan-tunai/program/{bare_program.pk}/siklus/baru/",
                                                {"period_start": "2026-03-01"}, follow=True)
    assert "Program ini belum punya skema bantuan tunai" in html_of(response)
    assert cash_state() == before


def test_the_admin_sees_a_programs_cycles_and_may_create_one(cast, world, client_for):
    html = html_of(client_for(cast["admin"]).get(f"/bantuan-tunai/program/{world[0].pk}/siklus/"))
    assert "Buat siklus" in html


@pytest.mark.parametrize("who", ["officer_other", "surveyor", "cadre", "evaluator", "resident"])
def test_a_programs_cycles_are_refused_to_others(who, cast, world, client_for):
    client = client_for(cast[who])
    before = cash_state()
    assert client.get(f"/bantuan-tunai/program/{world[0].pk}/siklus/").status_code == 403
    response = client.post(f"/bantuan-tunai/program/{world[0].pk}/siklus/baru/", {"period_start": "2026-03-01"})
    assert response.status_code == 403
    assert cash_state() == before


# --- One cycle ------------------------------------------------------------------------------------------------


def test_the_cycle_page_shows_figures_timeline_report_and_entitlements(cast, world, generated, client_for):
    response = client_for(cast["officer"]).get(f"/bantuan-tunai/siklus/{generated.pk}/")
    assert response.status_code == 200
    html = html_of(response)
    assert "Maret 2026" in html and "Daftar dibuat" in html
    assert "Siklus dibuat" in html and "Daftar penerima dibuat" in html and "oleh Officer" in html
    assert "<strong>3</strong> penerima masuk daftar, seluruhnya <strong>Rp 900.000</strong>." in html
    assert "AHMAD UJI" in html and "BAMBANG UJI" in html and "CAHYA UJI" in html
    assert "3 penerima" in html and 'max="900000" value="0"' in html
    assert "Sisa anggaran" in html
    # The officer generates again but does not approve; the page says who does.
    assert "Buat ulang daftar penerima" in html and "Setujui siklus" not in html
    assert "Menunggu persetujuan admin kelurahan" in html


def test_the_cycle_page_masks_the_nik_for_officers_not_for_the_admin(cast, world, generated, client_for):
    from bansos.cash.models import Entitlement

    nik = Entitlement.objects.filter(cycle=generated).first().recipient_nik
    assert nik not in html_of(client_for(cast["officer"]).get(f"/bantuan-tunai/siklus/{generated.pk}/"))
    assert nik[:6] + "******" + nik[12:] in html_of(client_for(cast["officer"]).get(
        f"/bantuan-tunai/siklus/{generated.pk}/"))
    assert nik in html_of(client_for(cast["admin"]).get(f"/bantuan-tunai/siklus/{generated.pk}/"))


def test_the_entitlements_are_searched_by_name_nik_and_kk(cast, world, generated, client_for):
    from bansos.cash.models import Entitlement

    client = client_for(cast["officer"])
    url = f"/bantuan-tunai/siklus/{generated.pk}/"
    html = html_of(client.get(url, {"q": "bambang"}))
    assert "BAMBANG UJI" in html and "AHMAD UJI" not in html and "1 penerima" in html
    target = Entitlement.objects.get(cycle=generated, recipient_name="CAHYA UJI")
    html = html_of(client.get(url, {"q": target.recipient_nik}))
    assert "CAHYA UJI" in html and "BAMBANG UJI" not in html
    html = html_of(client.get(url, {"q": target.kk_number}))
    assert "CAHYA UJI" in html and "AHMAD UJI" not in html
    html = html_of(client.get(url, {"state": "paid"}))
    assert "Tidak ada penerima yang cocok." in html


def test_the_breakdown_of_a_components_amount_is_shown_on_demand(cast, cash_world, client_for):
    from bansos.cash.services.cycles import cycle_create, cycle_generate

    program, _enrollments = cash_world(1, amount_rule="components", flat_amount=0, per_child_smp=300_000,
                                       per_under_five=150_000, household_cap=400_000)
    cycle = cycle_create(actor=cast["officer"], program=program, period_start=dt.date(2026, 3, 1))
    cycle_generate(actor=cast["officer"], cycle=cycle)
    html = html_of(client_for(cast["officer"]).get(f"/bantuan-tunai/siklus/{cycle.pk}/"))
    assert '<details class="breakdown"><summary class="money">Rp 400.000</summary>' in html
    assert "1 × anak usia SMP (Rp 300.000) = Rp 300.000" in html
    assert "1 × balita (Rp 150.000) = Rp 150.000" in html
    assert "dipotong batas per keluarga: -Rp 50.000" in html


def test_the_report_names_why_participants_were_left_out(cast, world, draft_cycle, client_for):
    from bansos.cash.services.cycles import cycle_generate
    from bansos.programs.services.enrollment import enrollment_transition

    enrollment_transition(actor=cast["admin"], enrollment=world[1][0], to="suspended", reason="Pindah sementara")
    cycle_generate(actor=cast["officer"], cycle=draft_cycle)
    html = html_of(client_for(cast["officer"]).get(f"/bantuan-tunai/siklus/{draft_cycle.pk}/"))
    assert "1 peserta tidak dimasukkan:" in html
    assert "<b>1</b> Kepesertaan sedang ditangguhkan" in html


def test_the_cycle_page_counts_queries_independently_of_its_size(cast, cash_world, client_for):
    from bansos.cash.services.cycles import cycle_create, cycle_generate

    counts = []
    client = client_for(cast["admin"])
    for n in (1, 4):
        program, _enrollments = cash_world(n, amount_rule="components", flat_amount=0, per_under_five=150_000)
        cycle = cycle_create(actor=cast["officer"], program=program, period_start=dt.date(2026, 3, 1))
        cycle_generate(actor=cast["officer"], cycle=cycle)
        client.get(f"/bantuan-tunai/siklus/{cycle.pk}/")  # warm caches (session, kelurahan)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/bantuan-tunai/siklus/{cycle.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("who", ["officer_other", "surveyor", "cadre", "evaluator", "resident"])
def test_the_cycle_page_is_refused_to_others(who, cast, generated, client_for):
    assert client_for(cast[who]).get(f"/bantuan-tunai/siklus/{generated.pk}/").status_code == 403


def test_a_missing_cycle_is_not_found(cast, client_for):
    assert client_for(cast["admin"]).get("/bantuan-tunai/siklus/999999/").status_code == 404


# --- Generate -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "admin"])
def test_a_cash_manager_generates_the_list(who, cast, draft_cycle, client_for):
    response = client_for(cast[who]).post(f"/bantuan-tunai/siklus/{draft_cycle.pk}/buat-daftar/", follow=True)
    draft_cycle.refresh_from_db()
    assert (draft_cycle.state, draft_cycle.planned_count, draft_cycle.generated_by_id) == (
        "generated", 3, cast[who].pk)
    assert "Daftar penerima dibuat: 3 penerima, seluruhnya Rp 900.000. Menunggu persetujuan." in html_of(response)


@pytest.mark.parametrize("who", ["officer_other", "surveyor", "cadre", "evaluator", "resident"])
def test_generating_is_refused_to_others(who, cast, draft_cycle, client_for):
    before = cash_state()
    response = client_for(cast[who]).post(f"/bantuan-tunai/siklus/{draft_cycle.pk}/buat-daftar/")
    assert response.status_code == 403
    assert cash_state() == before


def test_actions_accept_post_only(cast, draft_cycle, client_for):
    client = client_for(cast["admin"])
    before = cash_state()
    for action in ("buat-daftar", "setujui", "batalkan"):
        assert client.get(f"/bantuan-tunai/siklus/{draft_cycle.pk}/{action}/").status_code == 405
    assert cash_state() == before


def test_generating_an_approved_cycle_is_refused_with_a_message(cast, generated, client_for):
    from bansos.cash.services.cycles import cycle_approve

    cycle_approve(actor=cast["admin"], cycle=generated)
    before = cash_state()
    response = client_for(cast["officer"]).post(f"/bantuan-tunai/siklus/{generated.pk}/buat-daftar/", follow=True)
    assert "Siklus berstatus \u201cDisetujui\u201d; tindakan ini tidak dapat dilakukan." in html_of(response)
    assert cash_state() == before


# --- Approve ----------------------------------------------------------------------------------------------------


def test_the_admin_approves_a_cycle_someone_else_generated(cast, generated, client_for):
    client = client_for(cast["admin"])
    html = html_of(client.get(f"/bantuan-tunai/siklus/{generated.pk}/"))
    assert "Setujui siklus" in html and "daftar dibuat oleh Officer" in html
    response = client.post(f"/bantuan-tunai/siklus/{generated.pk}/setujui/", follow=True)
    generated.refresh_from_db()
    assert (generated.state, generated.approved_by_id) == ("approved", cast["admin"].pk)
    html = html_of(response)
    assert "Siklus Maret 2026 disetujui: 3 penerima, Rp 900.000." in html
    assert "Disetujui" in html and "oleh Admin" in html
    assert "Langkah berikutnya: buat berkas pembayaran di bagian Pembayaran." in html


def test_the_admin_cannot_approve_a_list_he_generated(cast, draft_cycle, client_for):
    from bansos.cash.services.cycles import cycle_generate

    cycle_generate(actor=cast["admin"], cycle=draft_cycle)
    client = client_for(cast["admin"])
    html = html_of(client.get(f"/bantuan-tunai/siklus/{draft_cycle.pk}/"))
    assert "Setujui siklus" not in html
    assert "Anda yang membuat daftar penerima siklus ini, jadi Anda tidak dapat menyetujuinya" in html
    before = cash_state()
    response = client.post(f"/bantuan-tunai/siklus/{draft_cycle.pk}/setujui/", follow=True)
    assert "Siklus harus disetujui orang lain, bukan yang membuat daftar penerimanya." in html_of(response)
    assert cash_state() == before


@pytest.mark.parametrize("who", ["officer", "officer_other", "surveyor", "cadre", "evaluator", "resident"])
def test_approving_is_refused_to_everyone_but_the_checker(who, cast, generated, client_for):
    before = cash_state()
    assert client_for(cast[who]).post(f"/bantuan-tunai/siklus/{generated.pk}/setujui/").status_code == 403
    assert cash_state() == before


def test_approval_beyond_the_budget_is_refused_with_the_figures(cast, cash_world, client_for):
    from bansos.cash.services.cycles import cycle_create, cycle_generate

    # Each enrollment commits Rp 100.000 x 3 periods, the whole budget; the cycle pays Rp 500.000 each.
    program, _enrollments = cash_world(2, amount=100_000, budget=600_000, flat_amount=500_000)
    cycle = cycle_create(actor=cast["officer"], program=program, period_start=dt.date(2026, 3, 1))
    cycle_generate(actor=cast["officer"], cycle=cycle)
    before = cash_state()
    response = client_for(cast["admin"]).post(f"/bantuan-tunai/siklus/{cycle.pk}/setujui/", follow=True)
    assert "Anggaran program tidak menutup siklus ini" in html_of(response)
    assert cash_state() == before


# --- Cancel ------------------------------------------------------------------------------------------------------


def test_the_officer_cancels_a_cycle_with_a_reason(cast, generated, client_for):
    response = client_for(cast["officer"]).post(f"/bantuan-tunai/siklus/{generated.pk}/batalkan/",
                                                {"reason": "Data penerima salah periode"}, follow=True)
    generated.refresh_from_db()
    assert (generated.state, generated.cancel_reason, generated.cancelled_by_id) == (
        "cancelled", "Data penerima salah periode", cast["officer"].pk)
    html = html_of(response)
    assert "Siklus Maret 2026 dibatalkan." in html and "Alasan: Data penerima salah periode" in html
    assert set(generated.entitlements.values_list("state", flat=True)) == {"cancelled"}


def test_cancelling_without_a_reason_is_refused_on_the_form(cast, generated, client_for):
    before = cash_state()
    response = client_for(cast["officer"]).post(f"/bantuan-tunai/siklus/{generated.pk}/batalkan/", {"reason": "  "})
    assert response.status_code == 400
    html = html_of(response)
    assert '<details class="cancel-box" open>' in html and "Bidang ini tidak boleh kosong." in html
    assert cash_state() == before


def test_cancelling_a_paying_cycle_is_refused_with_a_message(cast, generated, client_for):
    from bansos.cash.services.cycles import cycle_approve
    from bansos.cash.services.payments import batch_create

    cycle_approve(actor=cast["admin"], cycle=generated)
    batch_create(actor=cast["officer"], cycle=generated)
    html = html_of(client_for(cast["officer"]).get(f"/bantuan-tunai/siklus/{generated.pk}/"))
    assert "Batalkan siklus" not in html
    before = cash_state()
    response = client_for(cast["officer"]).post(f"/bantuan-tunai/siklus/{generated.pk}/batalkan/",
                                                {"reason": "Terlambat"}, follow=True)
    assert "Siklus yang pembayarannya sudah dikirim tidak dapat dibatalkan" in html_of(response)
    assert cash_state() == before


@pytest.mark.parametrize("who", ["officer_other", "surveyor", "cadre", "evaluator", "resident"])
def test_cancelling_is_refused_to_others(who, cast, generated, client_for):
    before = cash_state()
    response = client_for(cast[who]).post(f"/bantuan-tunai/siklus/{generated.pk}/batalkan/", {"reason": "Coba"})
    assert response.status_code == 403
    assert cash_state() == before


# --- The household panel and payee accounts -------------------------------------------------------------------


@pytest.fixture
def paid_world(cast, world):
    """March: household 0 paid on 5 March, household 1 failed, household 2 still sent; April approved."""
    from bansos.cash.models import Payment
    from bansos.cash.services.cycles import cycle_approve, cycle_create, cycle_generate
    from bansos.cash.services.payments import batch_create
    from bansos.cash.services.reconcile import result_upload

    program, enrollments = world
    officer, admin = cast["officer"], cast["admin"]
    march = cycle_create(actor=officer, program=program, period_start=dt.date(2026, 3, 1))
    cycle_generate(actor=officer, cycle=march)
    cycle_approve(actor=admin, cycle=march)
    batch = batch_create(actor=officer, cycle=march).batch
    refs = {p.entitlement.household_id: p.reference for p in Payment.objects.filter(batch=batch)
            .select_related("entitlement")}
    h0, h1 = enrollments[0].household, enrollments[1].household
    lines = [(refs[h0.pk], "BERHASIL", "", "05/03/2026", 300000), (refs[h1.pk], "GAGAL", "Rekening tidak aktif", "",
                                                                    300000)]
    result_upload(actor=officer, cycle=march, fileobj=io.BytesIO(result_csv(lines)), file_name="hasil.csv")
    april = cycle_create(actor=officer, program=program, period_start=dt.date(2026, 4, 1))
    cycle_generate(actor=officer, cycle=april)
    return program, enrollments, march, april


def test_the_household_panel_says_paid_failed_and_scheduled(cast, paid_world, client_for):
    program, enrollments, march, april = paid_world
    client = client_for(cast["admin"])
    html = html_of(client.get(f"/registri/keluarga/{enrollments[0].household_id}/"))
    assert 'id="bantuan-tunai"' in html and program.name in html
    assert "Dibayar 5 Maret 2026" in html and "Menunggu persetujuan siklus" in html
    assert f'href="/bantuan-tunai/siklus/{march.pk}/"' in html
    assert "Rekening penerima" in html and "1234500000" in html and "Catat rekening" in html
    html = html_of(client.get(f"/registri/keluarga/{enrollments[1].household_id}/"))
    assert "Gagal: Rekening tidak aktif" in html
    html = html_of(client.get(f"/registri/keluarga/{enrollments[2].household_id}/"))
    assert "Dijadwalkan" in html and "1 kali dikirim" in html


def test_a_resident_reads_the_panel_of_their_own_household(cast, cash_world, enrol, client_for):
    from bansos.cash.services.cycles import cycle_create, cycle_generate
    from bansos.cash.services.setup import payee_account_set

    program, _enrollments = cash_world(1, budget=1_800_000)
    household = cast["households"]["rw1"]
    enrol(program, household, "active")
    payee_account_set(actor=cast["admin"], household=household, institution=program.cash_scheme.institution,
                      account_number="9876543210", account_name="Budi Santoso")
    cycle = cycle_create(actor=cast["officer"], program=program, period_start=dt.date(2026, 3, 1))
    cycle_generate(actor=cast["officer"], cycle=cycle)
    html = html_of(client_for(cast["resident"]).get(f"/registri/keluarga/{household.pk}/"))
    assert "Bantuan tunai" in html and "Menunggu persetujuan siklus" in html and "Rp 300.000" in html
    assert '<span class="mono">9876543210</span>' in html  # their own account, as in their history
    assert "Catat rekening" not in html and "/bantuan-tunai/siklus/" not in html


def test_another_agencys_officer_does_not_see_the_payments(cast, paid_world, client_for):
    program, enrollments, _march, _april = paid_world
    household = enrollments[0].household
    html = html_of(client_for(cast["officer_other"]).get(f"/registri/keluarga/{household.pk}/"))
    # Outside the other agency's households altogether: the household page is not found.
    assert program.name not in html


def test_the_admin_records_an_account_from_the_household_page(cast, world, bank, client_for):
    from bansos.cash.models import PayeeAccount

    household = cast["households"]["rw2"]
    client = client_for(cast["admin"])
    url = f"/bantuan-tunai/keluarga/{household.pk}/rekening/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"institution": bank.pk, "account_number": "0012-3456-789",
                                 "account_name": "Joko Susilo"})
    assert response.status_code == 302 and response["Location"] == f"/registri/keluarga/{household.pk}/#bantuan-tunai"
    account = PayeeAccount.objects.get(household=household)
    assert (account.account_number, account.account_name, account.updated_by_id) == (
        "00123456789", "Joko Susilo", cast["admin"].pk)


def test_the_account_form_corrects_an_existing_account(cast, world, bank, client_for):
    from bansos.cash.models import PayeeAccount

    household = world[1][0].household
    client = client_for(cast["officer"])
    url = f"/bantuan-tunai/keluarga/{household.pk}/rekening/"
    html = html_of(client.get(url, {"lembaga": bank.pk}))
    assert 'value="1234500000"' in html
    assert client.post(url, {"institution": bank.pk, "account_number": "55556666",
                             "account_name": "Ahmad Uji"}).status_code == 302
    assert PayeeAccount.objects.get(household=household).account_number == "55556666"


def test_a_bad_account_number_is_refused_on_the_form(cast, world, bank, client_for):
    household = world[1][0].household
    before = cash_state()
    response = client_for(cast["admin"]).post(f"/bantuan-tunai/keluarga/{household.pk}/rekening/", {
        "institution": bank.pk, "account_number": "12ab", "account_name": "Ahmad Uji"})
    assert response.status_code == 400
    assert "Nomor rekening hanya angka" in html_of(response)
    assert cash_state() == before


def test_the_surveyor_of_the_area_records_an_account_and_reads_it_masked(cast, world, bank, client_for):
    from bansos.cash.models import PayeeAccount

    household = cast["households"]["rw1"]
    client = client_for(cast["surveyor"])
    response = client.post(f"/bantuan-tunai/keluarga/{household.pk}/rekening/", {
        "institution": bank.pk, "account_number": "7777888899", "account_name": "Budi Santoso"})
    assert response.status_code == 302
    assert PayeeAccount.objects.get(household=household).updated_by_id == cast["surveyor"].pk
    html = html_of(client.get(f"/registri/keluarga/{household.pk}/"))
    assert '<span class="mono">******8899</span>' in html and "7777888899" not in html
    html = html_of(client.get(f"/bantuan-tunai/keluarga/{household.pk}/rekening/", {"lembaga": bank.pk}))
    assert "******8899" in html and "7777888899" not in html and 'value="Budi Santoso"' in html


@pytest.mark.parametrize(("who", "status"), [
    ("officer_other", 404), ("surveyor_other", 404), ("cadre", 403), ("evaluator", 403), ("resident", 403),
])
def test_recording_an_account_is_refused_to_others(who, status, cast, world, bank, client_for):
    household = world[1][0].household if who != "resident" else cast["households"]["rw1"]
    client = client_for(cast[who])
    url = f"/bantuan-tunai/keluarga/{household.pk}/rekening/"
    before = cash_state()
    assert client.get(url).status_code == status
    response = client.post(url, {"institution": bank.pk, "account_number": "1111222233", "account_name": "X"})
    assert response.status_code == status
    assert cash_state() == before


def test_the_bank_columns_fixture_matches_what_the_form_shows(cast, bank):
    from bansos.cash.forms_setup import columns_to_text, text_to_columns

    assert text_to_columns(columns_to_text(bank.columns)) == BANK_COLUMNS


def test_the_overview_counts_queries_independently_of_the_number_of_programs(cast, cash_world, client_for):
    from bansos.cash.services.cycles import cycle_create, cycle_generate

    client = client_for(cast["admin"])
    counts = []
    for _round in range(2):
        program, _enrollments = cash_world(1)
        cycle = cycle_create(actor=cast["officer"], program=program, period_start=dt.date(2026, 3, 1))
        cycle_generate(actor=cast["officer"], cycle=cycle)
        client.get(OVERVIEW)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(OVERVIEW).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
