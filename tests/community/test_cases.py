"""Usul and sanggah: filing, field check, decision, outcomes, scope both ways, objector anonymity."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from bansos.community.models import CaseStatus, Nomination, Objection, ObjectionOutcome
from bansos.community.services import cases
from bansos.core.errors import DomainError, PermissionDeniedError
from bansos.programs.models import Enrollment

pytestmark = pytest.mark.django_db

NOTE = "Dikunjungi bersama Ketua RT; keterangan benar."
REASON = "Keluarga ini layak dibantu menurut cek lapangan."


def state():
    from bansos.core.models import AuditEvent
    from bansos.notifications.models import Message

    return {"nominations": list(Nomination.objects.values_list("pk", "status")),
            "objections": list(Objection.objects.values_list("pk", "status", "outcome")),
            "enrollments": list(Enrollment.objects.values_list("pk", "state").order_by("pk")),
            "audit": AuditEvent.objects.count(), "messages": Message.objects.count()}


def today():
    return timezone.localdate()


# --- nominations ---------------------------------------------------------------------------------------

def test_it_nominates_a_neighbour_by_kk_number(people, cash, listed):
    neighbour = people["households"]["rw1_rt2"]
    n = cases.nomination_create(actor=people["resident"], program=cash, relation="neighbour",
                                reason="Ibu ini janda dengan dua anak.", kk_number=neighbour.kk_number)
    assert (n.household_id, n.status, n.nominated_by_id) == (neighbour.pk, "submitted", people["resident"].pk)


def test_it_finds_a_household_by_rt_and_address(people, cash, areas):
    neighbour = people["households"]["rw1_rt2"]
    n = cases.nomination_create(actor=people["resident"], program=cash, relation="neighbour", reason="Alasan uji yang cukup.",
                                rt=areas["rt2"], address="  jl. duri raya   no. 12 ")
    assert n.household_id == neighbour.pk


def test_it_refuses_an_unknown_kk_without_telling_more(people, cash):
    before = state()
    with pytest.raises(DomainError) as exc:
        cases.nomination_create(actor=people["resident"], program=cash, relation="neighbour",
                                reason="Alasan uji yang cukup.", kk_number="3173050000000000")
    assert (exc.value.code, exc.value.field) == ("household_not_found", "kk_number")
    assert state() == before


def test_it_nominates_its_own_household_without_kk(people, cash):
    n = cases.nomination_create(actor=people["resident"], program=cash, relation="own", reason="Kami kesulitan.....")
    assert n.household_id == people["resident"].household_id


def test_it_refuses_own_relation_for_another_household(people, cash):
    with pytest.raises(DomainError) as exc:
        cases.nomination_create(actor=people["resident"], program=cash, relation="own", reason="Alasan uji yang cukup.",
                                kk_number=people["households"]["rw2"].kk_number)
    assert exc.value.code == "relation_mismatch"


def test_it_refuses_a_duplicate_open_nomination(people, cash):
    kk = people["households"]["rw1_rt2"].kk_number
    cases.nomination_create(actor=people["resident"], program=cash, relation="neighbour", reason="Alasan uji yang cukup.",
                            kk_number=kk)
    with pytest.raises(DomainError) as exc:
        cases.nomination_create(actor=people["resident"], program=cash, relation="neighbour",
                                reason="Alasan uji yang cukup.", kk_number=kk)
    assert exc.value.code == "nomination_duplicate"
    assert Nomination.objects.count() == 1


def test_it_refuses_a_program_not_open(people, make_program):
    draft = make_program("dinsos", status="draft", name="Draf")
    with pytest.raises(DomainError) as exc:
        cases.nomination_create(actor=people["resident"], program=draft, relation="own", reason="Alasan uji yang cukup.")
    assert exc.value.field == "program"


def test_staff_cannot_file_a_nomination(people, cash):
    with pytest.raises(PermissionDeniedError):
        cases.nomination_create(actor=people["surveyor"], program=cash, relation="own", reason="Alasan uji yang cukup.")


@pytest.fixture
def nomination(people, cash):
    return cases.nomination_create(actor=people["resident"], program=cash, relation="neighbour",
                                   reason="Ibu ini janda dengan dua anak.",
                                   kk_number=people["households"]["rw1_rt2"].kk_number)


def test_it_requires_a_field_check_before_the_decision(people, nomination):
    with pytest.raises(DomainError) as exc:
        cases.nomination_decide(actor=people["admin"], nomination=nomination, accept=True, reason=REASON)
    assert exc.value.code == "check_first"


def test_it_refuses_a_field_date_in_the_future(people, nomination):
    with pytest.raises(DomainError) as exc:
        cases.nomination_check(actor=people["admin"], nomination=nomination, note=NOTE,
                               date=today() + dt.timedelta(days=1))
    assert exc.value.field == "field_date"


@pytest.mark.parametrize("who", ["admin", "surveyor", "officer"])
def test_deciders_in_scope_accept_and_the_household_applies(people, nomination, who):
    from bansos.notifications.models import Message

    actor = people[who]
    cases.nomination_check(actor=actor, nomination=nomination, note=NOTE, date=today())
    n = cases.nomination_decide(actor=actor, nomination=nomination, accept=True, reason=REASON)
    assert n.status == CaseStatus.ACCEPTED
    assert (n.enrollment.channel, n.enrollment.state, n.enrollment.household_id) == (
        "nomination", "applied", nomination.household_id)
    assert (n.field_by, n.decided_by) == (actor, actor)
    msg = Message.objects.get(topic="community.nomination")
    assert msg.user == people["resident"] and "diterima" in msg.body


@pytest.mark.parametrize("who", ["surveyor_other", "officer_other", "cadre", "evaluator", "resident"])
def test_deciders_out_of_scope_are_refused_and_nothing_changes(people, nomination, who):
    before = state()
    with pytest.raises(PermissionDeniedError):
        cases.nomination_check(actor=people[who], nomination=nomination, note=NOTE, date=today())
    assert state() == before


def test_a_rejection_tells_the_nominator_and_creates_no_application(people, nomination):
    from bansos.notifications.models import Message

    cases.nomination_check(actor=people["surveyor"], nomination=nomination, note=NOTE, date=today())
    cases.nomination_decide(actor=people["surveyor"], nomination=nomination, accept=False,
                            reason="Sudah menerima bantuan serupa.")
    nomination.refresh_from_db()
    assert (nomination.status, nomination.enrollment) == ("rejected", None)
    assert "tidak diterima" in Message.objects.get(topic="community.nomination").body
    with pytest.raises(DomainError) as exc:
        cases.nomination_decide(actor=people["admin"], nomination=nomination, accept=True, reason=REASON)
    assert exc.value.code == "case_closed"


# --- objections ----------------------------------------------------------------------------------------

def test_it_files_an_objection_once(people, listed):
    target = listed[0]
    o = cases.objection_create(actor=people["resident"], enrollment=target, reason="Punya mobil dan toko besar.")
    assert (o.household_id, o.program_id, o.status) == (target.household_id, target.program_id, "submitted")
    before = state()
    with pytest.raises(DomainError) as exc:
        cases.objection_create(actor=people["resident"], enrollment=target, reason="Sekali lagi, punya mobil.")
    assert exc.value.code == "objection_duplicate"
    assert state() == before


def test_it_refuses_an_objection_in_another_rw(people, listed):
    before = state()
    with pytest.raises(PermissionDeniedError):
        cases.objection_create(actor=people["resident_other"], enrollment=listed[0], reason="Alasan uji yang cukup.")
    assert state() == before


def test_it_refuses_an_objection_to_an_unlisted_program(people, beneficiaries):
    from bansos.core.errors import NotFoundError

    with pytest.raises(NotFoundError):
        cases.objection_create(actor=people["resident"], enrollment=beneficiaries[0], reason="Alasan uji yang cukup.")


def _objection(people, listed):
    o = cases.objection_create(actor=people["resident"], enrollment=listed[0], reason="Punya mobil dan toko besar.")
    return o


def test_an_officer_of_the_agency_accepts_and_the_participant_is_suspended(people, listed):
    o = _objection(people, listed)
    cases.objection_check(actor=people["officer"], objection=o, note=NOTE, date=today())
    o = cases.objection_decide(actor=people["officer"], objection=o, accept=True, reason=REASON)
    listed[0].refresh_from_db()
    assert (o.outcome, listed[0].state) == (ObjectionOutcome.SUSPENDED, "suspended")


def test_a_surveyor_accepts_and_a_finding_goes_to_the_agency(people, listed):
    from bansos.notifications.models import Message

    o = _objection(people, listed)
    cases.objection_check(actor=people["surveyor"], objection=o, note=NOTE, date=today())
    o = cases.objection_decide(actor=people["surveyor"], objection=o, accept=True, reason=REASON)
    listed[0].refresh_from_db()
    assert (o.outcome, listed[0].state) == (ObjectionOutcome.FINDING, "active")
    assert Message.objects.filter(topic="community.objection.finding", user=people["officer"]).count() == 1
    # The surveyor may not close it; the agency's officer suspends.
    with pytest.raises(PermissionDeniedError):
        cases.objection_finding_close(actor=people["surveyor"], objection=o, suspend=True, note=NOTE)
    with pytest.raises(PermissionDeniedError):
        cases.objection_finding_close(actor=people["officer_other"], objection=o, suspend=True, note=NOTE)
    cases.objection_finding_close(actor=people["officer"], objection=o, suspend=True, note=NOTE)
    listed[0].refresh_from_db()
    assert listed[0].state == "suspended"


def test_an_approved_not_started_beneficiary_is_withdrawn(people, cash, households, enrol, listed):
    approved = enrol(cash, households(1, "rt1")[0], "approved")
    o = cases.objection_create(actor=people["resident"], enrollment=approved, reason="Sudah pindah ke Tangerang.")
    cases.objection_check(actor=people["admin"], objection=o, note=NOTE, date=today())
    o = cases.objection_decide(actor=people["admin"], objection=o, accept=True, reason=REASON)
    approved.refresh_from_db()
    assert (o.outcome, approved.state) == (ObjectionOutcome.EXITED, "exited")


@pytest.mark.parametrize("who", ["surveyor_other", "officer_other", "cadre", "evaluator", "resident_other"])
def test_objection_deciders_out_of_scope_are_refused(people, listed, who):
    o = _objection(people, listed)
    before = state()
    with pytest.raises(PermissionDeniedError):
        cases.objection_check(actor=people[who], objection=o, note=NOTE, date=today())
    assert state() == before


def test_the_objected_household_never_learns_who_objected(people, listed, client_for):
    """Pages, API answers and messages that reach the objected household carry no trace of the objector."""
    from bansos.accounts.models import User
    from bansos.notifications.models import Message

    objector = people["resident"]
    objector.first_name, objector.username = "Penyanggah Rahasia Sekali", "penyanggah_rahasia"
    objector.save(update_fields=["first_name", "username"])
    target = listed[0]
    o = cases.objection_create(actor=objector, enrollment=target, reason="Alasan rahasia: punya mobil mewah.")
    cases.objection_check(actor=people["officer"], objection=o, note=NOTE, date=today())
    cases.objection_decide(actor=people["officer"], objection=o, accept=True, reason=REASON)
    objected = User.objects.create_user(username="warga_disanggah", password="x-uji-123456", role="resident",
                                        household=target.household)
    secrets = [objector.username, objector.first_name, objector.household.kk_number, "Alasan rahasia"]
    client = client_for(objected)
    seen = []
    for url in (reverse("registry:household_detail", args=[target.household_id]),
                reverse("community:my_cases"), reverse("core:home"),
                reverse("community:beneficiary_rw", args=[target.household.rt.rw.number])):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        seen.append(response.content.decode())
    for path in (f"/api/households/{target.household_id}/history", "/api/community/objections/mine",
                 "/api/community/nominations/mine"):
        response = client.get(path)
        assert response.status_code == 200, path
        seen.append(json.dumps(response.json()))
    told = Message.objects.filter(household=target.household) | Message.objects.filter(user=objected)
    assert told.count() == 1  # the household is told its enrollment was suspended
    seen += [m.subject + m.body for m in told]
    for text in seen:
        for secret in secrets:
            assert secret not in text
    # Staff of the agency read it: the objection is not lost, only hidden from the household.
    staff = client_for(people["officer"]).get(reverse("community:objection_detail", args=[o.pk])).content.decode()
    assert objector.first_name in staff
