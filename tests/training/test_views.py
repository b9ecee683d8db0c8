"""Training pages: every page renders for its users, the attendance taps (htmx and plain form), forms."""

from __future__ import annotations

import datetime as dt

from bansos.training.models import Attendance, Course, CourseSession, Participant
from tests.training.conftest import mark, today


def test_every_page_renders_for_the_officer(cast, course, with_people, client_for, trainee, program):
    from bansos.training.services.certificates import certificate_issue
    from bansos.training.services.courses import course_finish
    from bansos.training.services.participants import feedback_record

    c = course(sessions=3)
    a, b = with_people(c, 2)
    trainee("Nina Baru")  # a candidate to add
    feedback_record(actor=cast["officer"], participant=a, session=c.sessions.first(), rating=5, comment="Bagus")
    client = client_for(cast["officer"])
    s = c.sessions.first()
    for url in ["/pelatihan/", "/pelatihan/baru/", f"/pelatihan/{c.pk}/", f"/pelatihan/{c.pk}/ubah/",
                f"/pelatihan/{c.pk}/pertemuan/", f"/pelatihan/{c.pk}/peserta/", f"/pelatihan/{c.pk}/penilaian/",
                f"/pelatihan/{c.pk}/selesai/", f"/pelatihan/{c.pk}/batalkan/", f"/pelatihan/pertemuan/{s.pk}/absensi/",
                f"/pelatihan/peserta/{b.pk}/berhenti/", "/pelatihan/pelatih/", "/pelatihan/verifikasi/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get(f"/pelatihan/{c.pk}/peserta/").content.decode()
    assert "NINA BARU" in html and "ANI LESTARI" in html
    mark(cast["officer"], c, [a], 3)
    course_finish(actor=cast["officer"], course=c)
    a.refresh_from_db()
    cert = certificate_issue(actor=cast["officer"], participant=a)
    for url in [f"/pelatihan/{c.pk}/", f"/pelatihan/sertifikat/{cert.pk}/", f"/pelatihan/sertifikat/{cert.pk}/cabut/"]:
        assert client.get(url).status_code == 200, url


def test_course_create_and_edit_through_the_form(cast, program, company, client_for):
    client = client_for(cast["officer"])
    response = client.post("/pelatihan/baru/", {
        "program": program.pk, "title": "Tata Boga Dasar", "skill_area": "cooking", "capacity": "20",
        "min_attendance_pct": "80", "pass_score": "", "partner": company.pk, "women_only": "on"})
    assert response.status_code == 302
    c = Course.objects.get(title="Tata Boga Dasar")
    assert (c.capacity, c.min_attendance_pct, c.pass_score, c.women_only, c.partner_id) == (20, 80, None, True,
                                                                                           company.pk)
    response = client.post("/pelatihan/baru/", {"program": program.pk, "title": "", "skill_area": "cooking",
                                                "capacity": "0", "min_attendance_pct": "80"})
    assert response.status_code == 400 and Course.objects.count() == 1
    response = client.post(f"/pelatihan/{c.pk}/pertemuan/", {"date": today().isoformat(), "place": "Aula RW 03",
                                                             "trainer": "Chef Ratna"})
    assert response.status_code == 302 and c.sessions.count() == 1
    response = client.post(f"/pelatihan/{c.pk}/pertemuan/", {"date": "", "place": "", "trainer": ""})
    assert response.status_code == 400 and c.sessions.count() == 1


def test_add_participant_from_the_page(cast, course, trainee, client_for):
    c = course()
    e = trainee("Nina Baru")
    client = client_for(cast["officer"])
    response = client.post(f"/pelatihan/{c.pk}/peserta/", {"enrollment": e.pk})
    assert response.status_code == 302
    assert list(c.participants.values_list("resident__full_name", flat=True)) == ["NINA BARU"]
    client.post(f"/pelatihan/{c.pk}/peserta/", {"enrollment": e.pk})  # twice: a message, nothing new
    assert c.participants.count() == 1


def test_attendance_tap_with_htmx_returns_the_row_and_the_counts(cast, course, with_people, client_for):
    c = course()
    a, b, _c = with_people(c, 3)
    s = c.sessions.first()
    client = client_for(cast["officer"])
    url = f"/pelatihan/pertemuan/{s.pk}/absensi/{a.pk}/"
    for _ in range(2):  # the same tap twice: the same answer
        response = client.post(url, {"present": "1"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        html = response.content.decode()
        assert 'class="att-row is-present"' in html and 'hx-swap-oob="true"' in html
        assert '<strong data-count="present">1</strong>' in html
        assert '<strong data-count="absent">2</strong>' in html
    assert list(Attendance.objects.filter(session=s).values_list("participant_id", "present")) == [(a.pk, True)]
    response = client.post(url, {"present": "0"}, HTTP_HX_REQUEST="true")
    assert '<strong data-count="present">0</strong>' in response.content.decode()


def test_attendance_without_javascript_redirects_back(cast, course, with_people, client_for):
    c = course()
    (a,) = with_people(c, 1)
    s = c.sessions.first()
    response = client_for(cast["officer"]).post(f"/pelatihan/pertemuan/{s.pk}/absensi/{a.pk}/", {"present": "1"})
    assert response.status_code == 302 and response["Location"].endswith(f"/absensi/#p{a.pk}")
    html = client_for(cast["officer"]).get(f"/pelatihan/pertemuan/{s.pk}/absensi/").content.decode()
    assert 'aria-pressed="true"' in html


def test_attendance_tap_on_a_future_session_is_refused(cast, course, with_people, client_for):
    c = course(sessions=1, future=1)
    (a,) = with_people(c, 1)
    ahead = c.sessions.get(date__gt=today())
    response = client_for(cast["officer"]).post(f"/pelatihan/pertemuan/{ahead.pk}/absensi/{a.pk}/",
                                                {"present": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409 and "Absensi hanya untuk pertemuan hari ini" in response.content.decode()
    assert not Attendance.objects.exists()
    page = client_for(cast["officer"]).get(f"/pelatihan/pertemuan/{ahead.pk}/absensi/").content.decode()
    assert "belum berlangsung" in page and "disabled" in page


def test_bad_tap_value_is_a_bad_request(cast, course, with_people, client_for):
    c = course()
    (a,) = with_people(c, 1)
    s = c.sessions.first()
    response = client_for(cast["officer"]).post(f"/pelatihan/pertemuan/{s.pk}/absensi/{a.pk}/", {"present": "x"})
    assert response.status_code == 400 and not Attendance.objects.exists()


def test_finish_page_explains_who_does_not_complete(cast, course, with_people, client_for):
    c = course(sessions=4)
    a, b = with_people(c, 2)
    mark(cast["officer"], c, [a], 3)
    mark(cast["officer"], c, [b], 2)
    client = client_for(cast["officer"])
    html = client.get(f"/pelatihan/{c.pk}/selesai/").content.decode()
    assert "1 dari 2 peserta akan lulus." in html
    assert "Kehadiran 2 dari 4 pertemuan, di bawah minimum 75%" in html
    assert client.post(f"/pelatihan/{c.pk}/selesai/").status_code == 302
    assert dict(Participant.objects.values_list("pk", "outcome")) == {a.pk: "completed", b.pk: "not_completed"}


def test_household_panel_shows_courses_to_those_who_see_the_household(cast, course, with_people, client_for):
    c = course()
    (a,) = with_people(c, 1)
    mark(cast["officer"], c, [a], 2)
    url = f"/registri/keluarga/{a.household_id}/"
    html = client_for(cast["admin"]).get(url).content.decode()
    assert "Pemasaran Digital Uji" in html and "2 dari 4 (50%)" in html
    html = client_for(cast["officer"]).get(url).content.decode()
    assert "Pemasaran Digital Uji" in html
    html = client_for(cast["surveyor"]).get(url).content.decode()  # RW 1: the trainee lives in RT 1
    assert "Pemasaran Digital Uji" in html and f"/pelatihan/{c.pk}/" not in html


def test_session_edit_and_remove_pages(cast, course, client_for):
    c = course(sessions=2, start=False)
    s = c.sessions.get(number=2)
    client = client_for(cast["officer"])
    response = client.post(f"/pelatihan/pertemuan/{s.pk}/ubah/", {"date": (today() - dt.timedelta(days=1)).isoformat(),
                                                                    "place": "Masjid", "trainer": "Pak Tono"})
    assert response.status_code == 302
    assert CourseSession.objects.get(pk=s.pk).place == "Masjid"
    assert client.post(f"/pelatihan/pertemuan/{s.pk}/hapus/").status_code == 302
    assert c.sessions.count() == 1
