"""Course, session, participant, attendance and feedback services: rules and refusals (nothing changed)."""

from __future__ import annotations

import datetime as dt

import pytest

from bansos.training.models import Attendance, CourseSession
from bansos.training.services import courses as course_services
from bansos.training.services import participants as people
from tests.training.conftest import refused, today, years_ago


# --- Courses -----------------------------------------------------------------------------------------


def test_course_is_created_planned_with_an_audit_event(cast, program, course_data):
    from bansos.core.models import AuditEvent

    c = course_services.course_create(actor=cast["officer"], program=program, data=course_data())
    assert (c.status, c.capacity, c.min_attendance_pct, c.pass_score) == ("planned", 10, 75, None)
    assert AuditEvent.objects.filter(action="training.course.create", object_id=str(c.pk)).count() == 1


def test_course_needs_a_training_or_enterprise_program(cast, make_program, course_data):
    cash = make_program("dinsos")
    refused("program_kind", course_services.course_create, actor=cast["officer"], program=cash, data=course_data())
    umkm = make_program("dinsos", kind="enterprise", benefit_kind="capital", benefit_amount=0)
    c = course_services.course_create(actor=cast["officer"], program=umkm, data=course_data(skill_area="business"))
    assert c.program_id == umkm.pk


def test_course_refused_in_a_closed_program(cast, make_program, course_data):
    closed = make_program("dinsos", kind="training", participant="resident", benefit_kind="course", status="closed")
    refused("program_closed", course_services.course_create, actor=cast["admin"], program=closed, data=course_data())


def test_partner_must_be_a_business(cast, program, course_data, agencies):
    err = refused("validation_failed", course_services.course_create, actor=cast["officer"], program=program,
                  data=course_data(partner=agencies["lsm"]))
    assert err.errors == {"partner": ["Perusahaan mitra harus lembaga berjenis dunia usaha."]}


def test_bad_course_input_lists_every_problem(cast, program, course_data):
    err = refused("validation_failed", course_services.course_create, actor=cast["officer"], program=program,
                  data=course_data(title=" ", skill_area="juggling", capacity=0, min_attendance_pct=101,
                                   pass_score=-1))
    assert set(err.errors) == {"title", "skill_area", "capacity", "min_attendance_pct", "pass_score"}


def test_capacity_cannot_drop_below_active_participants(cast, course, with_people, course_data):
    c = course(start=False)
    with_people(c, 3)
    err = refused("validation_failed", course_services.course_update, actor=cast["officer"], course=c,
                  data=course_data(capacity=2))
    assert err.errors["capacity"] == ["Kapasitas tidak boleh lebih kecil dari jumlah peserta aktif (3)."]


def test_course_cannot_start_without_sessions(cast, course):
    c = course(sessions=0, start=False)
    refused("no_sessions", course_services.course_start, actor=cast["officer"], course=c)


def test_finish_refused_with_sessions_still_ahead(cast, course):
    c = course(sessions=2, future=1)
    refused("future_sessions", course_services.course_finish, actor=cast["officer"], course=c)


def test_cancel_needs_a_reason_and_ends_the_course(cast, course):
    c = course()
    refused("reason_required", course_services.course_cancel, actor=cast["officer"], course=c, reason="  ")
    course_services.course_cancel(actor=cast["officer"], course=c, reason="Pelatih berhalangan")
    c.refresh_from_db()
    assert (c.status, c.cancel_reason) == ("cancelled", "Pelatih berhalangan")
    refused("course_transition", course_services.course_start, actor=cast["officer"], course=c)


# --- Sessions ----------------------------------------------------------------------------------------


def test_sessions_are_numbered_in_date_order(cast, course):
    c = course(sessions=2, start=False)
    course_services.session_add(actor=cast["officer"], course=c, data={
        "date": today() - dt.timedelta(days=30), "place": "Aula", "trainer": "Bu Rina"})
    assert list(c.sessions.order_by("number").values_list("date", flat=True)) == sorted(
        c.sessions.values_list("date", flat=True))
    assert list(c.sessions.order_by("number").values_list("number", flat=True)) == [1, 2, 3]


def test_session_needs_a_date_place_and_trainer(cast, course):
    c = course(sessions=1, start=False)
    err = refused("validation_failed", course_services.session_add, actor=cast["officer"], course=c, data={
        "date": "31-02-2026", "place": "", "trainer": " ", "start_time": "25:00"})
    assert set(err.errors) == {"date", "place", "trainer", "start_time"}


def test_a_taken_session_cannot_be_edited_or_removed(cast, course, with_people):
    c = course(sessions=2)
    (p,) = with_people(c, 1)
    first = c.sessions.get(number=1)
    people.attendance_mark(actor=cast["officer"], session=first, participant=p, present=True)
    first.refresh_from_db()
    refused("session_taken", course_services.session_remove, actor=cast["officer"], session=first)
    refused("session_taken", course_services.session_update, actor=cast["officer"], session=first,
            data={"date": first.date, "place": "Lain", "trainer": "X"})
    second = c.sessions.get(number=2)
    course_services.session_remove(actor=cast["officer"], session=second)
    assert list(c.sessions.values_list("number", flat=True)) == [1]


# --- Participants ------------------------------------------------------------------------------------


def test_participant_comes_from_an_approved_or_active_enrollment(cast, course, trainee):
    c = course()
    p = people.participant_add(actor=cast["officer"], course=c, enrollment=trainee("Ani Lestari", state="approved"))
    assert (p.resident.full_name, p.household_id, p.state) == ("ANI LESTARI", p.enrollment.household_id, "active")
    refused("enrollment_state", people.participant_add, actor=cast["officer"], course=c,
            enrollment=trainee("Bunga Lestari", state="verified"))


def test_enrollment_of_another_program_is_refused(cast, course, trainee, make_program):
    other = make_program("dinsos", kind="training", participant="resident", benefit_kind="course",
                         benefit_amount=0, status="running", name="Program Lain")
    c = course()
    refused("enrollment_program", people.participant_add, actor=cast["officer"], course=c,
            enrollment=trainee("Ani Lestari", in_program=other))


def test_the_same_resident_is_refused_twice(cast, course, trainee):
    c = course()
    e = trainee("Ani Lestari")
    people.participant_add(actor=cast["officer"], course=c, enrollment=e)
    refused("already_in", people.participant_add, actor=cast["officer"], course=c, enrollment=e)


def test_household_enrollment_needs_an_active_member(cast, make_program, enrol, course_data, households):
    program = make_program("dinsos", kind="enterprise", benefit_kind="capital", benefit_amount=0, status="running",
                           start_date=today() - dt.timedelta(days=100), end_date=today() + dt.timedelta(days=100))
    c = course_services.course_create(actor=cast["officer"], program=program, data=course_data(skill_area="business"))
    home, other = households(2)
    e = enrol(program, home, "active")
    refused("member_needed", people.participant_add, actor=cast["officer"], course=c, enrollment=e)
    refused("member_other", people.participant_add, actor=cast["officer"], course=c, enrollment=e,
            resident=other.residents.first())
    spouse = home.residents.get(relation="spouse")
    p = people.participant_add(actor=cast["officer"], course=c, enrollment=e, resident=spouse)
    assert p.resident_id == spouse.pk and p.household_id == home.pk


def test_capacity_is_enforced_and_a_dropout_frees_the_place(cast, course, trainee, with_people):
    c = course(capacity=2)
    a, _b = with_people(c, 2)
    err = refused("course_full", people.participant_add, actor=cast["officer"], course=c,
                  enrollment=trainee("Citra Lestari"))
    assert err.text == "Kapasitas pelatihan sudah penuh (2 peserta)."
    people.participant_drop(actor=cast["officer"], participant=a, reason="Bekerja di pabrik")
    people.participant_add(actor=cast["officer"], course=c, enrollment=trainee("Citra Lestari"))
    assert c.participants.filter(state="active").count() == 2


def test_women_only_course_refuses_men(cast, course, trainee):
    c = course(women_only=True)
    err = refused("validation_failed", people.participant_add, actor=cast["officer"], course=c,
                  enrollment=trainee("Budi Santoso", sex="L"))
    assert err.errors == {"resident": ["Pelatihan ini khusus perempuan."]}
    assert people.participant_add(actor=cast["officer"], course=c, enrollment=trainee("Sri Wahyuni", sex="P"))


def test_youth_course_checks_age_at_the_first_session(cast, course, trainee):
    c = course(youth_only=True)
    first = c.sessions.order_by("date").first().date
    ok = [trainee("Ani Muda", born=years_ago(16, on=first)), trainee("Bunga Tua", born=years_ago(31, on=first, days=1))]
    for e in ok:
        people.participant_add(actor=cast["officer"], course=c, enrollment=e)
    too_young = trainee("Citra Kecil", born=years_ago(16, on=first, days=1))
    err = refused("validation_failed", people.participant_add, actor=cast["officer"], course=c, enrollment=too_young)
    assert "berusia 15 tahun" in err.errors["resident"][0]
    too_old = trainee("Dina Dewasa", born=years_ago(31, on=first))
    err = refused("validation_failed", people.participant_add, actor=cast["officer"], course=c, enrollment=too_old)
    assert "berusia 31 tahun" in err.errors["resident"][0]


def test_score_range(cast, course, with_people):
    c = course()
    (p,) = with_people(c, 1)
    for bad in (101, -1, "tujuh"):
        refused("validation_failed", people.participant_score_set, actor=cast["officer"], participant=p, score=bad)
    people.participant_score_set(actor=cast["officer"], participant=p, score=0)
    p.refresh_from_db()
    assert p.assessment_score == 0


# --- Attendance --------------------------------------------------------------------------------------


def test_attendance_is_idempotent(cast, course, with_people):
    from bansos.core.models import AuditEvent

    c = course()
    (p,) = with_people(c, 1)
    s = c.sessions.get(number=1)
    people.attendance_mark(actor=cast["officer"], session=s, participant=p, present=True)
    events = AuditEvent.objects.count()
    row = people.attendance_mark(actor=cast["officer"], session=s, participant=p, present=True)
    assert row.present is True
    assert Attendance.objects.filter(session=s, participant=p).count() == 1
    assert AuditEvent.objects.count() == events  # nothing changed, nothing logged
    people.attendance_mark(actor=cast["officer"], session=s, participant=p, present=False)
    assert list(Attendance.objects.filter(session=s).values_list("present", flat=True)) == [False]
    assert CourseSession.objects.get(pk=s.pk).attendance_taken_at is not None


def test_attendance_refused_for_a_future_session(cast, course, with_people):
    c = course(sessions=1, future=1)
    (p,) = with_people(c, 1)
    ahead = c.sessions.get(date__gt=today())
    err = refused("session_future", people.attendance_mark, actor=cast["officer"], session=ahead, participant=p,
                  present=True)
    assert err.text.startswith("Absensi hanya untuk pertemuan hari ini atau sebelumnya")


def test_attendance_today_is_allowed(cast, course, with_people):
    c = course(sessions=1)
    (p,) = with_people(c, 1)
    s = course_services.session_add(actor=cast["officer"], course=c, data={
        "date": today(), "place": "Aula", "trainer": "Bu Rina"})
    assert people.attendance_mark(actor=cast["officer"], session=s, participant=p, present=True).present


@pytest.mark.parametrize("status", ["planned", "finished", "cancelled"])
def test_attendance_refused_unless_running(cast, course, with_people, status):
    c = course(start=False)
    (p,) = with_people(c, 1)
    if status != "planned":
        course_services.course_start(actor=cast["officer"], course=c)
    if status == "finished":
        course_services.course_finish(actor=cast["officer"], course=c)
    if status == "cancelled":
        course_services.course_cancel(actor=cast["officer"], course=c, reason="Banjir")
    refused("course_not_running", people.attendance_mark, actor=cast["officer"], session=c.sessions.first(),
            participant=p, present=True)


def test_attendance_refused_for_dropouts_and_strangers(cast, course, with_people):
    c, other = course(), course(title="Kelas Lain")
    a, b = with_people(c, 2)
    (stranger,) = with_people(other, 1)
    people.participant_drop(actor=cast["officer"], participant=b, reason="Sakit")
    b.refresh_from_db()
    s = c.sessions.first()
    refused("participant_dropped", people.attendance_mark, actor=cast["officer"], session=s, participant=b,
            present=True)
    refused("wrong_course", people.attendance_mark, actor=cast["officer"], session=s, participant=stranger,
            present=True)


# --- Feedback ----------------------------------------------------------------------------------------


def test_feedback_recorded_again_replaces(cast, course, with_people):
    from bansos.training.models import Feedback
    from bansos.training.selectors import feedback_summary

    c = course()
    a, b = with_people(c, 2)
    s1, s2 = c.sessions.order_by("number")[:2]
    people.feedback_record(actor=cast["officer"], participant=a, session=s1, rating=5, comment="Jelas sekali")
    people.feedback_record(actor=cast["officer"], participant=a, session=s1, rating=4, comment="Cukup jelas")
    people.feedback_record(actor=cast["officer"], participant=b, session=s2, rating=2, comment="")
    people.feedback_record(actor=cast["officer"], participant=b, rating=3, comment="Tempat sempit")
    assert Feedback.objects.count() == 3
    summary = feedback_summary(c)
    assert summary["count"] == 3 and summary["avg"] == pytest.approx(3.0)
    assert summary["trainers"] == [{"trainer": "Bu Rina", "avg": pytest.approx(4.0), "count": 1},
                                   {"trainer": "Pak Tono", "avg": pytest.approx(2.0), "count": 1}]
    assert [f.comment for f in summary["comments"]] == ["Tempat sempit", "Cukup jelas"]
    for bad in (0, 6, None):
        refused("validation_failed", people.feedback_record, actor=cast["officer"], participant=a, rating=bad)
