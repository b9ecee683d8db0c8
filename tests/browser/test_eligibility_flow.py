"""An officer builds a two-predicate rule on the builder (htmx, desktop and 360 px phone), saves it
and runs it over the registry; an explanation is then read per predicate.

Officers have no household scope until the programs issue lands (they reach households through
their agency's programs), so the run page shows them counts per RW only; the admin, who may see
a run's households (rules.results), opens the explanation of one of them.
"""

import re

import pytest

from bansos.eligibility.models import EligibilityRule, RuleRun
from tests.browser.conftest import htmx_swap, sign_in, sign_out
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_it_builds_saves_runs_and_explains_a_rule(page, live_server, cast):
    sign_in(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/kelayakan/")
    page.get_by_role("link", name=re.compile("Aturan baru")).click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Nama aturan").fill("BLT balita")

    # First row: household income at most Rp 3.000.000 (each choice redraws the builder through htmx).
    htmx_swap(page, lambda: page.locator('select[name="0.0:p"]').select_option(label="Penghasilan keluarga per bulan"))
    htmx_swap(page, lambda: page.locator('select[name="0.0:op"]').select_option("lte"))
    page.locator('input[name="0.0:a"]').fill("3.000.000")
    # Second row: has an under-five.
    htmx_swap(page, lambda: page.get_by_role("button", name="+ Syarat").first.click())
    htmx_swap(page, lambda: page.locator('select[name="0.1:p"]').select_option(label="Ada balita"))
    page.locator('input[name="0.1:v"][value="1"]').wait_for()
    assert page.locator('input[name="0.0:a"]').input_value() == "3.000.000"
    page.get_by_role("button", name="Simpan aturan").click()
    page.wait_for_load_state("networkidle")

    rule = EligibilityRule.objects.get()
    assert rule.versions.get().expression == {"all": [
        {"p": "monthly_income", "op": "lte", "value": 3_000_000}, {"p": "has_under_five", "op": "is", "value": True},
    ]}
    assert page.get_by_text("Penghasilan keluarga per bulan paling banyak Rp 3.000.000 DAN Ada balita").is_visible()

    page.get_by_role("button", name="Jalankan atas seluruh registri").click()
    page.wait_for_load_state("networkidle")
    page.get_by_text("keluarga layak").first.wait_for()
    run = RuleRun.objects.get()
    assert (run.status, run.eligible_count) == ("done", 2)
    assert page.locator("table.per-rw").get_by_text("RW 01").is_visible()

    sign_out(page)
    sign_in(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/kelayakan/penilaian/{run.pk}/")
    page.get_by_role("link", name="Lihat alasan").first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Memenuhi aturan ini").is_visible()
    assert page.get_by_text(re.compile(r"Rp 2\.500\.000")).first.is_visible()
    assert page.locator(".explain-row.met").count() == 2
