"""Who may do what to a course, both ways; every refusal changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from bansos.training.services import certificates as certs
from bansos.training.services import courses as course_services
from bansos.training.services import participants as people
from tests.training.conftest import mark, refused, today

OUTSIDERS = ["officer_other", "surveyor", "cadre", "evaluator", "resident", "anonymous"]


def actor_for(cast, partner_officer, name):
    if name == "anonymous":
        return AnonymousUser()
    if name == "partner":
        return partner_officer
    return cast[name]


@pytest.fixture
def running(cast, course, with_people):
    c = course(sessions=3)
    return c, with_people(c, 2)


def _calls(cast, running, trainee, course_data, program):
    c, (a, b) = running
    newcomer = trainee("Wulan Sari")
    return {
        "course_create": lambda u: course_services.course_create(actor=u, program=program, data=course_data()),
        "course_update": lambda u: course_services.course_update(actor=u, course=c, data=course_data(capacity=12)),
        "session_add": lambda u: course_services.session_add(actor=u, course=c, data={
            "date": today(), "place": "Aula", "trainer": "Bu Rina"}),
        "participant_add": lambda u: people.participant_add(actor=u, course=c, enrollment=newcomer),
        "participant_drop": lambda u: people.participant_drop(actor=u, participant=b, reason="Pindah"),
        "participant_score": lambda u: people.participant_score_set(actor=u, participant=a, score=80),
        "feedback": lambda u: people.feedback_record(actor=u, participant=a, rating=4),
        "course_cancel": lambda u: course_services.course_cancel(actor=u, course=c, reason="Hujan"),
        "course_finish": lambda u: course_services.course_finish(actor=u, course=c),
    }


@pytest.mark.parametrize("who", [*OUTSIDERS, "partner"])
def test_managing_a_course_is_refused_outside_its_agency(cast, partner_officer, running, trainee, course_data, program,
                                                         who):
    user = actor_for(cast, partner_officer, who)
    for name, call in _calls(cast, running, trainee, course_data, program).items():
        err = refused("permission_denied", call, user)
        assert err.status == 403, name


@pytest.mark.parametrize("who", ["admin", "officer"])
def test_the_programs_agency_and_the_admin_manage(cast, partner_officer, running, trainee, course_data, program, who):
    user = actor_for(cast, partner_officer, who)
    calls = _calls(cast, running, trainee, course_data, program)
    for name in ("course_create", "course_update", "session_add", "participant_add", "participant_drop",
                 "participant_score", "feedback", "course_finish"):
        calls[name](user)
    c, _people = running
    c.refresh_from_db()
    assert c.status == "finished"


@pytest.mark.parametrize("who", ["admin", "officer", "partner"])
def test_attendance_by_the_agency_and_the_partner_company(cast, partner_officer, running, who):
    c, (a, _b) = running
    row = people.attendance_mark(actor=actor_for(cast, partner_officer, who), session=c.sessions.first(),
                                 participant=a, present=True)
    assert row.present is True


@pytest.mark.parametrize("who", OUTSIDERS)
def test_attendance_refused_to_everyone_else(cast, partner_officer, running, who):
    c, (a, _b) = running
    refused("permission_denied", people.attendance_mark, actor=actor_for(cast, partner_officer, who),
            session=c.sessions.first(), participant=a, present=True)


def test_partner_of_another_course_cannot_take_attendance(cast, partner_officer, course, with_people):
    c = course(partner=None)
    (a,) = with_people(c, 1)
    refused("permission_denied", people.attendance_mark, actor=partner_officer, session=c.sessions.first(),
            participant=a, present=True)


@pytest.mark.parametrize("who", [*OUTSIDERS, "partner"])
def test_certificates_only_by_the_agency(cast, partner_officer, running, who):
    c, (a, _b) = running
    mark(cast["officer"], c, [a], 3)
    course_services.course_finish(actor=cast["officer"], course=c)
    a.refresh_from_db()
    user = actor_for(cast, partner_officer, who)
    refused("permission_denied", certs.certificate_issue, actor=user, participant=a)
    cert = certs.certificate_issue(actor=cast["officer"], participant=a)
    refused("permission_denied", certs.certificate_revoke, actor=user, certificate=cert, reason="Salah")
    assert certs.certificate_revoke(actor=cast["admin"], certificate=cert, reason="Salah").revoked_at


# --- Pages ---------------------------------------------------------------------------------------------


def test_pages_by_role(cast, partner_officer, running, client_for):
    c, (a, _b) = running
    s = c.sessions.first()
    pages = [f"/pelatihan/{c.pk}/", f"/pelatihan/pertemuan/{s.pk}/absensi/"]
    for who in ("admin", "officer", "partner"):
        client = client_for(actor_for(cast, partner_officer, who))
        for url in pages:
            assert client.get(url).status_code == 200, (who, url)
    partner = client_for(partner_officer)
    assert partner.get(f"/pelatihan/{c.pk}/ubah/").status_code == 403
    assert partner.get(f"/pelatihan/{c.pk}/selesai/").status_code == 403
    assert partner.post(f"/pelatihan/{c.pk}/mulai/").status_code == 403
    for who in ("officer_other",):
        client = client_for(cast[who])
        for url in pages:
            assert client.get(url).status_code == 403, (who, url)
    for who in ("surveyor", "cadre", "resident"):
        client = client_for(cast[who])
        assert client.get("/pelatihan/").status_code == 403
        for url in pages:
            assert client.get(url).status_code == 403, (who, url)
    anonymous = client_for(None)
    for url in ["/pelatihan/", *pages]:
        assert anonymous.get(url).status_code == 302


def test_course_list_shows_own_and_partnered_courses_only(cast, partner_officer, course, client_for):
    own = course(title="Kelas Dinsos Bermitra")
    alone = course(title="Kelas Dinsos Sendiri", partner=None)
    html = client_for(partner_officer).get("/pelatihan/").content.decode()
    assert own.title in html and alone.title not in html
    html = client_for(cast["officer_other"]).get("/pelatihan/").content.decode()
    assert own.title not in html and alone.title not in html
    html = client_for(cast["officer"]).get("/pelatihan/", {"status": "running"}).content.decode()
    assert own.title in html and alone.title in html
