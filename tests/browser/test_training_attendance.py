"""Attendance on a phone (360 px): tap participants, the counts follow, a reload shows the same state.

Also screenshots of the training pages at phone and desktop width into /tmp/shots_training/.
"""

from __future__ import annotations

import os

import pytest

from bansos.training.models import Attendance
from tests.browser.conftest import VIEWPORTS, sign_in
from tests.conftest import PASSWORD
from tests.training.conftest import (  # noqa: F401  (fixtures of the training tests, used here too)
    company, course, course_data, enrol, households, make_program, mark, partner_officer, program, source, trainee,
    with_people,
)

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots_training"


def _context(browser, viewport: str):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.viewport_name = viewport
    return context, page


def _shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_name}.png", full_page=True)


def _count(page, key: str) -> str:
    return page.locator(f'#att-counts [data-count="{key}"]').inner_text()


def test_attendance_taps_on_a_phone(browser, live_server, cast, partner_officer, course, with_people):
    c = course(sessions=3)
    people = with_people(c, 5)
    session = c.sessions.order_by("number").last()
    context, page = _context(browser, "phone")
    from playwright.sync_api import expect

    try:
        sign_in(page, live_server, "officer_partner", PASSWORD)  # the partner company hosts the session
        page.goto(f"{live_server.url}/pelatihan/pertemuan/{session.pk}/absensi/")
        page.wait_for_load_state("networkidle")
        assert (_count(page, "present"), _count(page, "absent"), _count(page, "total")) == ("0", "5", "5")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the page scrolls sideways ({width} px)"
        rows = page.locator(".att-row")
        for i in (0, 1, 3):
            rows.nth(i).get_by_role("button").click()
            expect(page.locator(".att-row.is-present")).to_have_count([0, 1, 3].index(i) + 1)
        assert (_count(page, "present"), _count(page, "absent")) == ("3", "2")
        rows.nth(1).get_by_role("button").click()  # a mistake, tapped again: absent
        expect(page.locator(".att-row.is-present")).to_have_count(2)
        assert (_count(page, "present"), _count(page, "absent")) == ("2", "3")
        _shot(page, "attendance")
        page.reload()
        page.wait_for_load_state("networkidle")
        assert page.locator(".att-row.is-present").count() == 2
        assert (_count(page, "present"), _count(page, "absent")) == ("2", "3")
        assert rows.nth(0).get_by_role("button").get_attribute("aria-pressed") == "true"
        assert rows.nth(1).get_by_role("button").get_attribute("aria-pressed") == "false"
    finally:
        context.close()
    present = set(Attendance.objects.filter(session=session, present=True).values_list("participant_id", flat=True))
    names = sorted(p.resident.full_name for p in people)
    by_name = {p.resident.full_name: p.pk for p in people}
    assert present == {by_name[names[0]], by_name[names[3]]}


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_training_pages_look_right(browser, live_server, cast, course, with_people, viewport):
    from bansos.training.services.certificates import certificate_issue
    from bansos.training.services.courses import course_finish
    from bansos.training.services.participants import feedback_record, participant_drop

    running = course(sessions=3, future=1, title="Pemasaran Digital Angkatan 2")
    for p in with_people(running, 4):
        feedback_record(actor=cast["officer"], participant=p, session=running.sessions.first(), rating=4,
                        comment="Materinya jelas.")
    done = course(sessions=4, title="Menjahit Dasar", women_only=True, pass_score=60)
    people = with_people(done, 3)
    mark(cast["officer"], done, people[:2], 4)
    participant_drop(actor=cast["officer"], participant=people[2], reason="Pindah ke Bekasi")
    course_finish(actor=cast["officer"], course=done)
    people[0].refresh_from_db()
    context, page = _context(browser, viewport)
    try:
        sign_in(page, live_server, "officer", PASSWORD)
        url = live_server.url
        # The first participant has no score and a pass score is set: not completed, with the reason shown.
        pages = {"list": "/pelatihan/", "detail": f"/pelatihan/{running.pk}/", "finished": f"/pelatihan/{done.pk}/",
                 "participants": f"/pelatihan/{running.pk}/peserta/", "sessions": f"/pelatihan/{running.pk}/pertemuan/",
                 "feedback": f"/pelatihan/{running.pk}/penilaian/", "finish": f"/pelatihan/{running.pk}/selesai/"}
        for name, path in pages.items():
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            assert page.locator("h1").count() >= 1
            _shot(page, name)
        from bansos.training.models import Outcome, Participant

        Participant.objects.filter(pk=people[0].pk).update(outcome=Outcome.COMPLETED)
        people[0].refresh_from_db()
        cert = certificate_issue(actor=cast["officer"], participant=people[0])
        page.goto(f"{url}/pelatihan/sertifikat/{cert.pk}/")
        _shot(page, "certificate")
        page.emulate_media(media="print")
        _shot(page, "certificate-print")
        page.emulate_media(media="screen")
        page.context.clear_cookies()
        page.goto(f"{url}/pelatihan/verifikasi/{cert.code}/")
        assert page.get_by_text("Sertifikat asli").is_visible()
        _shot(page, "verify")
    finally:
        context.close()
