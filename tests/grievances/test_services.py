"""Grievance services: filing, anonymity, service levels, the state machine, notifications, escalation, scope."""

from __future__ import annotations

import datetime as dt

import pytest

from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError, ValidationFailed
from bansos.core.models import AuditEvent
from bansos.grievances import services as s
from bansos.grievances.models import Grievance, GrievanceEvent, State
from bansos.notifications.models import Message
from tests.grievances.conftest import JKT, MONDAY, at

pytestmark = pytest.mark.django_db


def counts():
    return (Grievance.objects.count(), GrievanceEvent.objects.count(), AuditEvent.objects.count(),
            Message.objects.count())


# --- filing -----------------------------------------------------------------------------------------------

def test_it_files_a_public_grievance_with_deadlines_and_a_code(cast, file):
    g = file()
    assert g.state == State.RECEIVED and g.channel == "portal" and g.track == "complaint"
    assert g.complainant_name == "Siti Aminah" and g.complainant_phone == "081234567890"
    assert len(g.code) == 12 and s.normalize_code(s.display_code(g.code).lower()) == g.code
    assert g.first_response_due_at.astimezone(JKT).date() == dt.date(2026, 3, 5)
    assert g.resolution_due_at.astimezone(JKT).date() == dt.date(2026, 3, 9)
    assert list(g.events.values_list("kind", "public")) == [("received", True)]
    sms = Message.objects.get(reference=g.code)
    assert (sms.channel, sms.address, sms.topic) == ("sms", "081234567890", "grievance")
    assert AuditEvent.objects.filter(action="grievances.grievance.file", object_id=str(g.pk)).count() == 1


def test_it_gives_every_grievance_its_own_code(file):
    assert len({file().code for _ in range(20)}) == 20


@pytest.mark.parametrize(("data", "field"), [
    ({"category": ""}, "category"),
    ({"category": "nope"}, "category"),
    ({"subject": ""}, "subject"),
    ({"description": " "}, "description"),
    ({"name": ""}, "name"),
    ({"phone": ""}, "phone"),
    ({"phone": "12345"}, "phone"),
    ({"subject": "x" * 151}, "subject"),
    ({"anonymous": True}, "anonymous"),  # aid_not_received: anonymous is for fraud only
])
def test_it_refuses_bad_input_naming_the_field_and_changes_nothing(cast, file, data, field):
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        file(**data)
    assert field in exc.value.errors
    assert counts() == before


def test_it_keeps_no_identity_for_an_anonymous_fraud_report(cast, file):
    g = file(category="fraud", anonymous=True, name="Nama Terketik", phone="081200000000")
    assert (g.anonymous, g.complainant_name, g.complainant_phone, g.track) == (True, "", "", "field")
    assert not Message.objects.filter(reference=g.code).exists()  # nobody is told anything
    assert AuditEvent.objects.get(action="grievances.grievance.file", object_id=str(g.pk)).actor_id is None


def test_it_hides_an_anonymous_residents_identity_but_lists_it_for_the_reporter(cast, file):
    from bansos.grievances.selectors import resident_list

    resident = cast["resident"]
    g = file(actor=resident, category="fraud", anonymous=True, name="", phone="")
    assert g.complainant_user_id == resident.pk and g.complainant_household_id is None and g.rw_id is None
    assert list(resident_list(user=resident)) == [g]
    assert not Message.objects.filter(reference=g.code).exists()
    assert AuditEvent.objects.get(action="grievances.grievance.file", object_id=str(g.pk)).actor_id is None
    g2 = file(actor=resident, category="fraud", anonymous=True)
    s.grievance_resolve(actor=cast["admin"], grievance=g2, resolution="Sudah diperiksa.")
    assert not Message.objects.filter(reference=g2.code).exists()


def test_a_residents_grievance_is_linked_to_its_household_and_rw_and_told_in_the_inbox(cast, file):
    resident = cast["resident"]
    g = file(actor=resident, name="", phone="")
    home = cast["households"]["rw1"]
    assert (g.complainant_user_id, g.complainant_household_id, g.rw_id, g.rt_id) == (
        resident.pk, home.pk, home.rt.rw_id, home.rt_id)
    assert g.complainant_name == "Resident"  # the account has no resident: its own name
    inbox = Message.objects.get(reference=g.code)
    assert (inbox.channel, inbox.user_id) == ("inbox", resident.pk)


def test_staff_record_phone_and_office_grievances_but_not_as_portal(cast, program):
    officer = cast["officer"]
    g = s.grievance_record(actor=officer, now=MONDAY, data={
        "channel": "phone", "category": "aid_not_received", "subject": "Telepon warga", "description": "Belum cair",
        "name": "Pak Darto", "phone": "081298765432", "program": program.pk})
    assert (g.channel, g.agency_id, g.recorded_by_id) == ("phone", officer.agency_id, officer.pk)
    with pytest.raises(ValidationFailed) as exc:
        s.grievance_record(actor=officer, data={"channel": "portal", "category": "other", "subject": "a",
                                               "description": "b", "name": "c"})
    assert "channel" in exc.value.errors


def test_those_without_grievance_record_cannot_record(cast):
    for who in ("cadre", "evaluator", "resident"):
        before = counts()
        with pytest.raises(PermissionDeniedError):
            s.grievance_record(actor=cast[who], data={"channel": "office", "category": "other", "subject": "a",
                                                     "description": "b", "name": "c"})
        assert counts() == before


def test_a_surveyor_records_only_households_of_its_rw(cast):
    data = {"channel": "rtrw", "category": "wrongly_excluded", "subject": "Tidak terdaftar", "description": "x",
            "complainant_household": cast["households"]["rw2"].pk}
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        s.grievance_record(actor=cast["surveyor"], data=data)
    assert "complainant_household" in exc.value.errors and counts() == before
    g = s.grievance_record(actor=cast["surveyor"], data={**data, "complainant_household": cast["households"]["rw1"].pk})
    assert g.rw_id == cast["households"]["rw1"].rt.rw_id and g.complainant_name == "BUDI SANTOSO"


# --- the state machine ------------------------------------------------------------------------------------

def test_the_first_response_moves_it_in_progress_once(cast, file):
    g = file()
    g = s.grievance_respond(actor=cast["admin"], grievance=g, message="Sedang kami periksa.", now=at(3))
    assert (g.state, g.first_response_at) == (State.IN_PROGRESS, at(3))
    g = s.grievance_respond(actor=cast["admin"], grievance=g, message="Masih diperiksa.", now=at(4))
    assert g.first_response_at == at(3)
    assert Message.objects.filter(reference=g.code, channel="sms").count() == 3


def test_resolve_accept_closes_with_timestamps(cast, file):
    g = file()
    g = s.grievance_resolve(actor=cast["admin"], grievance=g, resolution="Sudah dicairkan.", now=at(4))
    assert (g.state, g.first_response_at, g.resolved_at) == (State.RESOLVED, at(4), at(4))
    g = s.grievance_accept(actor=None, grievance=g, phone="+62 812 3456 7890", now=at(5))
    assert (g.state, g.closed_at) == (State.CLOSED, at(5))
    kinds = list(g.events.values_list("kind", flat=True))
    assert kinds == ["received", "resolved", "accepted"]


def test_the_complainant_appeals_once_and_gets_a_new_deadline(cast, file):
    g = file()
    g = s.grievance_resolve(actor=cast["admin"], grievance=g, resolution="Selesai.", now=at(4))
    g = s.grievance_appeal(actor=None, grievance=g, phone="081234567890", reason="Belum juga sampai.", now=at(6))
    assert (g.state, g.appeal_count, g.appealed_at) == (State.APPEALED, 1, at(6))
    assert g.resolution_due_at.astimezone(JKT).date() == dt.date(2026, 3, 13)  # 5 working days after Friday
    g = s.grievance_resolve(actor=cast["admin"], grievance=g, resolution="Sudah dicairkan ulang.", now=at(10))
    before = counts()
    with pytest.raises(DomainError) as exc:
        s.grievance_appeal(actor=None, grievance=g, phone="081234567890", reason="Lagi.", now=at(11))
    assert exc.value.code == "appeal_once" and counts() == before
    g.refresh_from_db()
    assert g.state == State.RESOLVED
    g = s.grievance_accept(actor=None, grievance=g, phone="081234567890")
    assert g.state == State.CLOSED


def test_a_wrong_phone_cannot_answer_for_the_complainant(cast, file):
    g = s.grievance_resolve(actor=cast["admin"], grievance=file(), resolution="Selesai.")
    before = counts()
    with pytest.raises(DomainError) as exc:
        s.grievance_accept(actor=None, grievance=g, phone="081299999999")
    assert exc.value.field == "phone" and counts() == before
    with pytest.raises(PermissionDeniedError):
        s.grievance_appeal(actor=None, grievance=g, phone=None, reason="x")


def test_only_the_filing_resident_answers_an_account_grievance(cast, file):
    g = file(actor=cast["resident"])
    g = s.grievance_resolve(actor=cast["admin"], grievance=g, resolution="Selesai.")
    before = counts()
    with pytest.raises(NotFoundError):
        s.grievance_accept(actor=cast["resident_other"], grievance=g)
    with pytest.raises(DomainError) as exc:
        s.grievance_accept(actor=None, grievance=g, phone="081234567890")
    assert exc.value.code == "use_account" and counts() == before
    assert s.grievance_accept(actor=cast["resident"], grievance=g).state == State.CLOSED


def test_it_refuses_transitions_the_table_does_not_allow(cast, file):
    g = file()
    with pytest.raises(DomainError):
        s.grievance_accept(actor=None, grievance=g, phone="081234567890")  # not resolved yet
    g = s.grievance_reject(actor=cast["admin"], grievance=g, reason="Bukan wewenang kelurahan.")
    assert g.state == State.REJECTED and g.closed_at is not None
    before = counts()
    for call in (lambda: s.grievance_respond(actor=cast["admin"], grievance=g, message="x"),
                 lambda: s.grievance_resolve(actor=cast["admin"], grievance=g, resolution="x")):
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.code == "transition"
    assert counts() == before


def test_it_marks_a_duplicate(cast, file):
    first, second = file(), file()
    g = s.grievance_reject(actor=cast["admin"], grievance=second, reason="Sama.", duplicate_of=first)
    assert (g.state, g.duplicate_of_id) == (State.DUPLICATE, first.pk)
    with pytest.raises(DomainError):
        s.grievance_reject(actor=cast["admin"], grievance=first, reason="x", duplicate_of=first)


def test_internal_notes_are_not_public(cast, file):
    g = file()
    s.grievance_note(actor=cast["admin"], grievance=g, message="Catatan rahasia petugas")
    assert g.events.get(kind="note").public is False
    assert not Message.objects.filter(body__contains="rahasia").exists()


def test_reclassify_recomputes_the_resolution_deadline(cast, file):
    g = file(category="wrongly_excluded")
    assert g.resolution_due_at.astimezone(JKT).date() == dt.date(2026, 3, 20)
    g = s.grievance_reclassify(actor=cast["admin"], grievance=g, track="field", reason="Perlu cek lapangan")
    assert g.resolution_due_at.astimezone(JKT).date() == dt.date(2026, 5, 25)
    with pytest.raises(DomainError):
        s.grievance_reclassify(actor=cast["admin"], grievance=g, track="field", reason="lagi")


# --- assignment and scope ---------------------------------------------------------------------------------

def test_officers_see_and_handle_their_agencys_grievances_only(cast, file, program, other_program):
    mine, theirs = file(program=program.pk), file(program=other_program.pk)
    officer = cast["officer"]
    assert mine.agency_id == officer.agency_id
    s.grievance_respond(actor=officer, grievance=mine, message="Kami tangani.")
    before = counts()
    with pytest.raises(NotFoundError):
        s.grievance_respond(actor=officer, grievance=theirs, message="x")
    assert counts() == before
    # Assigned to dinsos by the admin, the other agency's grievance becomes the officer's.
    s.grievance_assign(actor=cast["admin"], grievance=theirs, agency=officer.agency)
    theirs.refresh_from_db()
    s.grievance_respond(actor=officer, grievance=theirs, message="Diambil alih.")


def test_surveyors_handle_their_rws_grievances_only(cast, file):
    g1 = file(actor=cast["resident"])
    g2 = file(actor=cast["resident_other"])
    s.grievance_respond(actor=cast["surveyor"], grievance=g1, message="Kami cek.")
    before = counts()
    with pytest.raises(NotFoundError):
        s.grievance_respond(actor=cast["surveyor"], grievance=g2, message="x")
    with pytest.raises(NotFoundError):  # an RT-scoped officer: only its RT (g1 is RT 1, the officer RT 2)
        s.grievance_respond(actor=cast["surveyor_rt"], grievance=g1, message="x")
    assert counts() == before


def test_roles_without_grievance_handle_are_refused(cast, file):
    g = file()
    before = counts()
    for who in ("cadre", "evaluator", "resident"):
        with pytest.raises(PermissionDeniedError):
            s.grievance_resolve(actor=cast[who], grievance=g, resolution="x")
    assert counts() == before


def test_an_officer_assigns_only_within_its_agency(cast, file, program, agencies):
    from tests.conftest import _user

    g = file(program=program.pk)
    officer = cast["officer"]
    colleague = _user("officer_colleague", "officer", agency=agencies["dinsos"])
    g = s.grievance_assign(actor=officer, grievance=g, assignee=colleague)
    assert (g.agency_id, g.assignee_id) == (agencies["dinsos"].pk, colleague.pk)
    assert Message.objects.filter(user=colleague, channel="inbox").count() == 1
    before = counts()
    with pytest.raises(DomainError) as exc:
        s.grievance_assign(actor=officer, grievance=g, agency=agencies["lsm"])
    assert exc.value.code == "assign_other_agency"
    with pytest.raises(DomainError) as exc:
        s.grievance_assign(actor=cast["admin"], grievance=g, agency=agencies["lsm"], assignee=colleague)
    assert exc.value.code == "assignee_agency"
    assert counts() == before


def test_a_fraud_report_about_a_household_is_never_shown_to_it(cast, file):
    from bansos.grievances.selectors import resident_list

    accused = cast["households"]["rw1"]
    g = s.grievance_record(actor=cast["admin"], data={
        "channel": "office", "category": "fraud", "subject": "Penerima fiktif", "description": "x",
        "anonymous": True, "household": accused.pk})
    assert g.household_id == accused.pk and g.rw_id == accused.rt.rw_id
    assert g not in resident_list(user=cast["resident"])
    assert not AuditEvent.objects.filter(household_id=accused.pk, action__startswith="grievances.").exists()
    assert not Message.objects.filter(household=accused).exists()


# --- escalation -------------------------------------------------------------------------------------------

def test_escalation_flags_notifies_and_audits_once(cast, file):
    late = file()
    answered = file()
    s.grievance_respond(actor=cast["admin"], grievance=answered, message="Ditangani.", now=at(3))
    assert s.grievances_escalate(now=at(5, 23)) == {"response": 0, "resolution": 0, "closed": 0}
    result = s.grievances_escalate(now=at(6))  # Friday: the 3 working days ended on Thursday
    assert result == {"response": 1, "resolution": 0, "closed": 0}
    late.refresh_from_db()
    assert late.response_escalated_at == at(6)
    assert Message.objects.filter(topic="grievance_escalation", user=cast["admin"]).count() == 1
    assert AuditEvent.objects.filter(action="grievances.grievance.escalate").count() == 1
    assert late.events.filter(kind="escalated", public=False).count() == 1
    before = counts()
    assert s.grievances_escalate(now=at(6, 12)) == {"response": 0, "resolution": 0, "closed": 0}  # idempotent
    assert counts() == before
    # Monday 9 March ended the 5-day resolution window of both: each is escalated once more.
    assert s.grievances_escalate(now=at(10)) == {"response": 0, "resolution": 2, "closed": 0}
    assert s.grievances_escalate(now=at(11)) == {"response": 0, "resolution": 0, "closed": 0}


def test_an_appeal_opens_a_new_resolution_deadline_that_can_be_escalated_again(cast, file):
    g = file()
    s.grievances_escalate(now=at(10))
    g.refresh_from_db()
    assert g.resolution_escalated_at == at(10)
    g = s.grievance_resolve(actor=cast["admin"], grievance=g, resolution="Selesai.", now=at(11))
    g = s.grievance_appeal(actor=None, grievance=g, phone="081234567890", reason="Tidak benar.", now=at(12))
    assert g.resolution_escalated_at is None
    assert s.grievances_escalate(now=at(19, 23)) == {"response": 0, "resolution": 0, "closed": 0}
    assert s.grievances_escalate(now=at(20)) == {"response": 0, "resolution": 1, "closed": 0}


def test_an_unanswered_resolution_is_closed_after_ten_working_days(cast, file):
    g = s.grievance_resolve(actor=cast["admin"], grievance=file(), resolution="Selesai.", now=at(3))
    assert s.grievances_escalate(now=at(17, 23))["closed"] == 0
    assert s.grievances_escalate(now=at(18))["closed"] == 1
    g.refresh_from_db()
    assert (g.state, g.closed_at) == (State.CLOSED, at(18))
    assert s.grievances_escalate(now=at(19))["closed"] == 0


def test_the_command_runs_the_escalation(cast, file):
    from io import StringIO

    from django.core.management import call_command

    file()
    out = StringIO()
    call_command("grievances-escalate", "--now", "2026-03-06T10:00:00+07:00", stdout=out)
    assert "Eskalasi tanggapan pertama: 1" in out.getvalue()
    out = StringIO()
    call_command("grievances-escalate", "--now", "2026-03-06T11:00:00+07:00", stdout=out)
    assert "Eskalasi tanggapan pertama: 0" in out.getvalue()


def test_the_task_runs_the_escalation(cast, file):
    from bansos.grievances.tasks import grievances_escalate_task

    g = file(now=MONDAY - dt.timedelta(days=30))
    result = grievances_escalate_task.enqueue()
    assert result.return_value == {"response": 1, "resolution": 1, "closed": 0}
    g.refresh_from_db()
    assert g.response_escalated_at is not None
