"""An RT/RW officer fills and submits a household's survey on a 360 px phone: sections one by one,
a follow-up question that appears through htmx when "Lainnya" is ticked, per-member questions,
and the registry updated on submission."""

from __future__ import annotations

import pytest

from bansos.surveys.models import Response
from tests.browser.conftest import VIEWPORTS, sign_in
from tests.conftest import PASSWORD
from tests.surveys.conftest import survey_form, survey_round  # noqa: F401 - fixtures used below

pytestmark = pytest.mark.browser


def test_it_fills_and_submits_a_survey_on_a_phone(browser, live_server, cast, survey_round):
    household = cast["households"]["rw1"]
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, "surveyor", PASSWORD)
        page.goto(f"{live_server.url}/survei/putaran/{survey_round.pk}/isi/")
        page.get_by_label("Nomor KK atau nama").fill("BUDI")
        page.get_by_role("button", name="Cari").click()
        page.wait_for_load_state("networkidle")
        page.get_by_role("link", name=household.kk_number).first.click()
        page.wait_for_load_state("networkidle")

        # Section 1: "Next" without answers is refused next to the question.
        page.get_by_role("button", name="Berikutnya").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_text("Pertanyaan ini wajib dijawab.").first.is_visible()
        page.get_by_label("Kayu/papan").check()
        page.get_by_label("900 VA").check()
        page.locator("fieldset", has_text="Memiliki sepeda motor?").get_by_label("Ya").check()
        page.get_by_role("button", name="Berikutnya").click()
        page.wait_for_load_state("networkidle")

        # Section 2: ticking "Lainnya" brings the follow-up question in without a page load.
        assert page.get_by_label("Sebutkan kebutuhan lainnya").count() == 0
        with page.expect_response(lambda r: "segarkan" in r.url):
            page.get_by_label("Lainnya").check()
        page.get_by_label("Sebutkan kebutuhan lainnya").fill("Air bersih")
        page.get_by_label("Penghasilan keluarga per bulan (Rp)").fill("1.750.000")
        page.get_by_role("button", name="Berikutnya").click()
        page.wait_for_load_state("networkidle")

        # Section 3: a question for each member.
        # Each answer re-renders the section (the job question depends on it): one member at a time.
        for index in range(page.locator("details.survey-member").count()):
            with page.expect_response(lambda r: "segarkan" in r.url):
                page.locator("details.survey-member").nth(index).get_by_label("Belum usia kerja").check()
            page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
            assert page.locator("details.survey-member").nth(index).get_by_label("Pekerjaan utama").is_visible()
        page.screenshot(path="/tmp/surveys-phone-entry.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS["phone"]["width"]
        page.get_by_role("button", name="Kirim").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_text("terkirim").first.is_visible()
    finally:
        context.close()

    household.refresh_from_db()
    assert (household.floor_material, household.electricity_va, household.asset_motorbike,
            household.monthly_income) == ("wood", 900, True, 1_750_000)
    assert Response.objects.get().status == "submitted"
