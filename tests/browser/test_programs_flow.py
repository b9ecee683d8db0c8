"""The officer's flow of the programs issue, in the browser (desktop and 360 px phone).

An NGO's program officer creates a sewing-training program for women heads of household, attaches
the CSR fund of a company and the agency's eligibility rule, opens it, enrols the rule run's
households in bulk, verifies them, and approves them one by one until the budget is used: the next
approval is refused with the budget message and changes nothing.
"""

import re

import pytest

from bansos.eligibility.services import rule_create, rule_run_execute, rule_run_start
from bansos.programs.models import Enrollment, EnrollmentState, Program
from bansos.programs.services.funding import funding_source_create
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def setting(cast, agencies):
    csr = funding_source_create(actor=cast["admin"], data={
        "name": "CSR PT Sinar Tekstil", "kind": "csr", "agency": None, "shared": True, "fiscal_year": 2026,
        "amount": 50_000_000,
    })
    rule = rule_create(actor=cast["officer_other"], name="Warga RW 01",
                       expression={"all": [{"p": "rw", "op": "in", "value": [1]}]})
    run = rule_run_start(actor=cast["officer_other"], rule=rule)
    run.refresh_from_db()
    if run.status != "done":
        rule_run_execute(run.pk)
    return {"csr": csr, "rule": rule}


def test_it_runs_the_officers_program_flow(page, live_server, cast, setting):
    url = live_server.url
    sign_in(page, live_server, "officer_other", PASSWORD)
    page.goto(f"{url}/program/")
    page.get_by_role("link", name=re.compile("Program baru")).click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Nama program").fill("Pelatihan Menjahit Perempuan Kepala Keluarga")
    page.get_by_label("Jenis program").select_option("training")
    page.get_by_label("Perempuan kepala keluarga").check()
    page.get_by_label("Aturan kelayakan").select_option(str(setting["rule"].pk))
    page.get_by_label("Bentuk manfaat").select_option("course")
    page.get_by_label("Biaya per peserta per periode").fill("Rp 1.500.000")
    page.get_by_label("Jumlah periode").fill("1")
    page.get_by_label("Tanggal mulai").fill("2026-01-05")
    page.get_by_label("Tanggal selesai").fill("2026-12-20")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state("networkidle")
    program = Program.objects.get()
    assert (program.agency_id, program.rule_id, program.participant) == (
        cast["officer_other"].agency_id, setting["rule"].pk, "resident")

    # Funding from the company's CSR: enough for one participant.
    page.get_by_label("Sumber dana").select_option(str(setting["csr"].pk))
    page.locator("#alokasi input[name=amount]").fill("1.500.000")
    page.get_by_role("button", name="Simpan alokasi").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Buka pendaftaran", exact=True).click()
    page.wait_for_load_state("networkidle")
    program.refresh_from_db()
    assert (program.budget_allocated, program.status) == (1_500_000, "open")

    # Bulk: the rule run's two RW 01 households (their heads), then one desk verification.
    page.goto(f"{url}/program/{program.pk}/massal/")
    page.get_by_label("Hasil penilaian aturan").select_option(index=0)
    page.get_by_role("button", name="Lihat").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name=re.compile(r"Daftarkan 2 keluarga")).click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Catatan pemeriksaan").fill("Dicocokkan dengan registri dan dikunjungi ketua RT.")
    page.get_by_role("button", name=re.compile(r"Verifikasi 2 pendaftaran")).click()
    page.wait_for_load_state("networkidle")
    assert Enrollment.objects.filter(program=program, state=EnrollmentState.VERIFIED).count() == 2

    # One by one: the first approval uses the whole budget, the second is refused.
    first, second = Enrollment.objects.filter(program=program).order_by("pk")
    page.goto(f"{url}/program/peserta/{first.pk}/")
    page.get_by_role("button", name=re.compile("^Setujui")).click()
    page.wait_for_load_state("networkidle")
    first.refresh_from_db()
    assert first.state == EnrollmentState.APPROVED
    page.goto(f"{url}/program/peserta/{second.pk}/")
    page.get_by_role("button", name=re.compile("^Setujui")).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text(re.compile("Anggaran program tidak cukup")).first.is_visible()
    second.refresh_from_db()
    program.refresh_from_db()
    assert second.state == EnrollmentState.VERIFIED
    assert (program.budget_committed, program.seats_taken) == (1_500_000, 1)
    page.screenshot(path=f"/tmp/programs-flow-{page.viewport_name}.png", full_page=True)
