"""The officer's payment flow in the browser (desktop and 360 px phone).

An approved March cycle of a dinsos cash program: the officer makes the payment file, downloads the
CSV for the bank, uploads the bank's result with one failure, reads the counts, and sends the failed
one again in the next batch. Then the cash hand-out desk of a cycle paid at the kelurahan office.
Screenshots of the phone pages go to /tmp/shots_cash2/.
"""

from __future__ import annotations

import csv
import os
import re

import pytest

from bansos.cash.models import Batch, CashReceipt, Entitlement, EntitlementState, Payment
from tests.browser.conftest import sign_in
from tests.cash.conftest import (  # noqa: F401  (fixtures of the cash tests, used here too)
    bank, cash_cycle, cash_world, enrol, households, make_program, office, result_csv, source,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots_cash2"


def _shot(page, name: str, selector: str | None = None) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    path = f"{SHOTS}/{name}-{page.viewport_name}.png"
    if selector:
        page.locator(selector).screenshot(path=path)
    else:
        page.screenshot(path=path, full_page=True)


def _go(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def test_it_sends_a_batch_reconciles_it_and_retries_the_failure(page, live_server, cast, cash_cycle):
    _program, _e, cycle = cash_cycle(3, state="approved")
    url = live_server.url
    sign_in(page, live_server, "officer", PASSWORD)
    _go(page, f"{url}/bantuan-tunai/siklus/{cycle.pk}/")
    page.get_by_role("button", name="Buat berkas pembayaran").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Berkas pembayaran 1 dibuat: 3 penerima, Rp 900.000.").is_visible()
    batch = Batch.objects.get(cycle=cycle)

    with page.expect_download() as info:
        page.locator("#pembayaran").get_by_role("link", name="CSV", exact=True).click()
    download = info.value
    assert download.suggested_filename.endswith("-2026-03-b1.csv")
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == ["NO_REF", "NIK", "NAMA", "REKENING", "NOMINAL"]
    references = [row[0] for row in rows[1:]]
    assert references == list(Payment.objects.filter(batch=batch).order_by("pk").values_list("reference", flat=True))
    batch.refresh_from_db()
    assert batch.downloads == 1

    # The bank's answer: two paid, one failed.
    content = result_csv([(references[0], "BERHASIL", "", "05/03/2026", 300000),
                          (references[1], "GAGAL", "Rekening tidak aktif", "", 300000),
                          (references[2], "BERHASIL", "", "05/03/2026", 300000),
                          ("DK12345", "BERHASIL", "", "05/03/2026", "=1+1")])
    page.locator("#pembayaran input[name=file]").set_input_files(
        files=[{"name": "hasil-bank-dki.csv", "mimeType": "text/csv", "buffer": content}])
    page.get_by_role("button", name="Unggah dan cocokkan").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text(re.compile(r"Hasil dicocokkan: 2 dibayar, 1 gagal, 0 tidak berubah, 1 baris bermasalah")).is_visible()
    assert page.get_by_role("heading", name=re.compile("hasil-bank-dki.csv")).is_visible()
    assert page.locator("#masalah").get_by_text("Baris tidak terbaca").is_visible()
    _shot(page, "result")

    page.get_by_role("link", name="Ke daftar gagal").click()
    page.wait_for_load_state("networkidle")
    failed = Entitlement.objects.get(cycle=cycle, state=EntitlementState.FAILED)
    page.locator(f"#gagal-{failed.pk}").check()
    _shot(page, "cycle-payments", "#pembayaran")
    page.get_by_role("button", name="Kirim ulang di berkas berikutnya").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("1 penerima akan dikirim ulang di berkas pembayaran berikutnya.").is_visible()
    failed.refresh_from_db()
    assert failed.state == EntitlementState.DUE
    page.get_by_role("button", name="Buat berkas pembayaran").click()
    page.wait_for_load_state("networkidle")
    assert Batch.objects.get(cycle=cycle, number=2).line_count == 1


def test_the_cash_desk_hands_out_money(page, live_server, cast, cash_cycle, office):
    _program, _e, cycle = cash_cycle(3, state="paying", institution=office)
    payment = Payment.objects.filter(batch__cycle=cycle).select_related("entitlement").order_by("pk").first()
    sign_in(page, live_server, "officer", PASSWORD)
    _go(page, f"{live_server.url}/bantuan-tunai/siklus/{cycle.pk}/serah-terima/")
    page.get_by_label("Kode pengambilan, NIK atau nama").fill(payment.pickup_code)
    page.get_by_role("button", name="Cari").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("NIK yang menerima uang").fill(payment.entitlement.recipient_nik)
    page.get_by_label("Keterangan", exact=True).fill("diambil sendiri")
    _shot(page, "handout")
    page.get_by_role("button", name="Catat penyerahan").click()
    page.wait_for_load_state("networkidle")
    # Not checked: the browser keeps the form (the box is required), nothing is recorded.
    assert "/serah-terima/" in page.url and not CashReceipt.objects.exists()
    page.get_by_label("Identitas sudah dicocokkan").check()
    page.get_by_role("button", name="Catat penyerahan").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Tanda terima bantuan tunai").is_visible()
    _shot(page, "receipt")
    payment.refresh_from_db()
    assert payment.status == "paid"
