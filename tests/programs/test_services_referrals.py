"""Referrals between programs: send, accept, decline, enrol; what is refused; who sees the family."""

from __future__ import annotations

import pytest

from bansos.accounts.permissions import household_scope
from bansos.core.errors import DomainError, PermissionDeniedError
from bansos.core.models import AuditEvent
from bansos.programs.models import REFERRAL_TRANSITIONS, Enrollment, Referral, ReferralStatus
from bansos.programs.services import referrals as ref
from bansos.registry.models import Household
from tests.programs.conftest import world

pytestmark = pytest.mark.django_db

COST = 900_000


@pytest.fixture
def path(cast, make_program, enrol):
    """Budi's family receives the Dinsos cash program; the NGO runs a sewing course for households."""
    cash = make_program("dinsos", budget=COST, name="BLT Dinsos")
    enrol(cash, cast["households"]["rw1"], "active")
    sewing = make_program("lsm", kind="training", name="Kursus Menjahit", benefit_kind="course",
                          benefit_amount=0)
    return {"cash": cash, "sewing": sewing, "household": cast["households"]["rw1"]}


def _send(cast, path, **extra):
    return ref.referral_send(actor=cast["officer"], household=path["household"], from_program=path["cash"],
                             to_program=path["sewing"], note="Siap belajar menjahit", **extra)


def test_it_lets_an_officer_refer_from_the_own_program(cast, path):
    referral = _send(cast, path)
    assert (referral.status, referral.from_program, referral.to_program, referral.created_by,
            referral.note) == (
        "sent", path["cash"], path["sewing"], cast["officer"], "Siap belajar menjahit")
    event = AuditEvent.objects.get(action="referral.send")
    assert (event.actor, event.household_id, event.reason, event.changes) == (
        cast["officer"], path["household"].pk, "Siap belajar menjahit",
        {"from_program": "BLT Dinsos", "to_program": "Kursus Menjahit"})


def test_it_shows_the_family_to_the_receiving_agency_from_then_on(cast, path):
    def sees():
        return Household.objects.filter(household_scope(cast["officer_other"]),
                                        pk=path["household"].pk).exists()

    assert sees() is False
    _send(cast, path)
    assert sees() is True


@pytest.mark.parametrize("state", ["applied", "verified", "approved", "active", "graduated", "exited"])
def test_it_allows_a_referral_from_any_enrollment_in_the_sender(cast, make_program, enrol, state):
    cash = make_program(budget=COST)
    enrol(cash, cast["households"]["rw2"], state)
    referral = ref.referral_send(actor=cast["officer"], household=cast["households"]["rw2"],
                                 from_program=cash,
                                 to_program=make_program("lsm"))
    assert referral.status == "sent"


def test_it_refuses_a_household_not_in_the_sending_program(cast, path):
    before = world()
    with pytest.raises(DomainError) as caught:
        ref.referral_send(actor=cast["officer"], household=cast["households"]["rw2"],
                          from_program=path["cash"],
                          to_program=path["sewing"])
    assert (caught.value.code, caught.value.text) == (
        "referral_not_enrolled", "Keluarga ini tidak terdaftar di program asal rujukan.")
    assert world() == before


def test_it_refuses_a_referral_from_another_agencys_program(cast, path, make_program, enrol):
    other_cash = make_program("lsm", budget=COST)
    enrol(other_cash, path["household"], "applied")
    before = world()
    with pytest.raises(PermissionDeniedError):
        ref.referral_send(actor=cast["officer"], household=path["household"], from_program=other_cash,
                          to_program=path["cash"])
    assert world() == before


@pytest.mark.parametrize("who", ["officer", "officer_other", "surveyor", "evaluator", "resident"])
def test_it_lets_only_the_admin_refer_without_a_program(cast, path, who):
    before = world()
    with pytest.raises(PermissionDeniedError):
        ref.referral_send(actor=cast[who], household=path["household"], to_program=path["sewing"])
    assert world() == before
    referral = ref.referral_send(actor=cast["admin"], household=path["household"], to_program=path["sewing"])
    assert referral.from_program is None


@pytest.mark.parametrize("who", ["surveyor", "cadre", "evaluator", "resident"])
def test_it_refuses_referrals_to_roles_without_referral_rights(cast, path, who):
    before = world()
    with pytest.raises(PermissionDeniedError):
        ref.referral_send(actor=cast[who], household=path["household"], from_program=path["cash"],
                          to_program=path["sewing"])
    assert world() == before


def test_it_refuses_a_referral_to_the_same_program(cast, path):
    before = world()
    with pytest.raises(DomainError) as caught:
        ref.referral_send(actor=cast["officer"], household=path["household"], from_program=path["cash"],
                          to_program=path["cash"])
    assert (caught.value.code, caught.value.field) == ("referral_same_program", "to_program")
    assert world() == before


def test_it_refuses_a_referral_to_a_closed_program(cast, path):
    from bansos.programs.services.programs import program_status_set

    program_status_set(actor=cast["admin"], program=path["sewing"], status="closed")
    before = world()
    with pytest.raises(DomainError) as caught:
        _send(cast, path)
    assert (caught.value.code, caught.value.text) == ("program_closed", "Program tujuan sudah selesai.")
    assert world() == before


def test_it_needs_the_person_for_a_person_program(cast, path, make_program):
    course = make_program("lsm", kind="training", participant="resident", benefit_kind="course",
                          name="Kursus")
    before = world()
    with pytest.raises(DomainError) as caught:
        ref.referral_send(actor=cast["officer"], household=path["household"], from_program=path["cash"],
                          to_program=course)
    assert caught.value.code == "resident_required"
    assert world() == before
    member = path["household"].residents.get(relation="spouse")
    referral = ref.referral_send(actor=cast["officer"], household=path["household"],
                                 from_program=path["cash"],
                                 to_program=course, resident=member)
    enrollment = ref.referral_enroll(actor=cast["officer_other"], referral=referral)
    assert (enrollment.resident, enrollment.channel) == (member, "referral")


def test_it_refuses_a_second_pending_referral(cast, path):
    first = _send(cast, path)
    before = world()
    with pytest.raises(DomainError) as caught:
        _send(cast, path)
    assert caught.value.code == "referral_pending"
    assert world() == before
    ref.referral_accept(actor=cast["officer_other"], referral=first)
    with pytest.raises(DomainError) as caught:
        ref.referral_send(actor=cast["admin"], household=path["household"], to_program=path["sewing"])
    assert caught.value.code == "referral_pending"
    # Once answered, the family may be referred again.
    ref.referral_decline(actor=cast["officer_other"], referral=first, response="Kelas penuh")
    assert _send(cast, path).status == "sent"


# --- Answers --------------------------------------------------------------------------------------


def test_it_lets_the_receiving_agency_accept(cast, path):
    referral = ref.referral_accept(actor=cast["officer_other"], referral=_send(cast, path),
                                   response=" Jadwal Senin ")
    assert (referral.status, referral.response) == ("accepted", "Jadwal Senin")
    event = AuditEvent.objects.get(action="referral.accept")
    assert (event.actor, event.household_id, event.reason, event.changes["status"]) == (
        cast["officer_other"], path["household"].pk, "Jadwal Senin", ["sent", "accepted"])


@pytest.mark.parametrize("who", ["officer", "surveyor", "evaluator", "resident"])
def test_it_lets_only_the_receiving_agency_answer(cast, path, who):
    referral = _send(cast, path)
    before = world()
    with pytest.raises(PermissionDeniedError):
        ref.referral_accept(actor=cast[who], referral=referral)
    with pytest.raises(PermissionDeniedError):
        ref.referral_decline(actor=cast[who], referral=referral, response="Tidak")
    with pytest.raises(PermissionDeniedError):
        ref.referral_enroll(actor=cast[who], referral=referral)
    assert world() == before


def test_it_lets_the_admin_answer_for_any_agency(cast, path):
    assert ref.referral_accept(actor=cast["admin"], referral=_send(cast, path)).status == "accepted"


@pytest.mark.parametrize("response", ["", "   "])
def test_it_requires_a_reason_to_decline(cast, path, response):
    referral = _send(cast, path)
    before = world()
    with pytest.raises(DomainError) as caught:
        ref.referral_decline(actor=cast["officer_other"], referral=referral, response=response)
    assert (caught.value.code, caught.value.field, caught.value.text) == (
        "reason_required", "response", "Alasan wajib diisi.")
    assert world() == before


def test_it_records_the_reason_of_a_decline(cast, path):
    referral = ref.referral_decline(actor=cast["officer_other"], referral=_send(cast, path),
                                    response="Kelas penuh")
    assert (referral.status, referral.response) == ("declined", "Kelas penuh")
    event = AuditEvent.objects.get(action="referral.decline")
    assert (event.reason, event.household_id) == ("Kelas penuh", path["household"].pk)


@pytest.mark.parametrize("accept_first", [False, True])
def test_it_enrols_by_creating_the_application_and_linking_it(cast, path, accept_first):
    referral = _send(cast, path)
    if accept_first:
        referral = ref.referral_accept(actor=cast["officer_other"], referral=referral)
    enrollment = ref.referral_enroll(actor=cast["officer_other"], referral=referral, note="Kelas Maret")
    referral.refresh_from_db()
    assert (referral.status, referral.enrollment, referral.response) == ("enrolled", enrollment,
                                                                         "Kelas Maret")
    assert (enrollment.program, enrollment.household, enrollment.state, enrollment.channel,
            enrollment.applied_by) == (
        path["sewing"], path["household"], "applied", "referral", cast["officer_other"])
    actions = list(AuditEvent.objects.filter(household_id=path["household"].pk, action__in=(
        "referral.enroll", "enrollment.apply")).order_by("pk").values_list("action", "object_id"))
    assert actions[-2:] == [("referral.enroll", str(referral.pk)), ("enrollment.apply", str(enrollment.pk))]


def test_it_changes_nothing_enrolling_a_family_already_in(cast, path, enrol):
    referral = _send(cast, path)
    enrol(path["sewing"], path["household"], "applied", actor=cast["officer_other"])
    before = world()
    with pytest.raises(DomainError) as caught:
        ref.referral_enroll(actor=cast["officer_other"], referral=referral)
    assert caught.value.code == "already_enrolled"
    assert world() == before
    referral.refresh_from_db()
    assert (referral.status, referral.enrollment) == ("sent", None)


def test_it_changes_nothing_enrolling_into_a_program_not_accepting(cast, path):
    from bansos.programs.services.programs import program_status_set

    referral = _send(cast, path)
    program_status_set(actor=cast["admin"], program=path["sewing"], status="draft")
    before = world()
    with pytest.raises(DomainError) as caught:
        ref.referral_enroll(actor=cast["officer_other"], referral=referral)
    assert caught.value.code == "program_not_open"
    assert world() == before


ANSWERS = {
    "accepted": lambda u, r: ref.referral_accept(actor=u, referral=r),
    "declined": lambda u, r: ref.referral_decline(actor=u, referral=r, response="Tidak sesuai"),
    "enrolled": lambda u, r: ref.referral_enroll(actor=u, referral=r),
}
REFUSED = [(old,
            new) for old in ReferralStatus.values for new in ANSWERS if new not in REFERRAL_TRANSITIONS[old]]


@pytest.mark.parametrize(("old", "new"), REFUSED, ids=[f"{a}->{b}" for a, b in REFUSED])
def test_it_refuses_other_answers(cast, path, old, new):
    referral = _send(cast, path)
    if old != "sent":
        ANSWERS[old](cast["officer_other"], referral)
        referral.refresh_from_db()
    before = world()
    with pytest.raises(DomainError) as caught:
        ANSWERS[new](cast["officer_other"], referral)
    assert caught.value.code == "referral_transition"
    assert caught.value.text == (
        f"Rujukan tidak dapat diubah dari {ReferralStatus(old).label} menjadi {ReferralStatus(new).label}.")
    assert world() == before


def test_it_refuses_answers_only_to_ended_or_accepted_referrals():
    assert sorted(REFUSED) == sorted([
        ("accepted", "accepted"), ("declined", "accepted"), ("declined", "declined"), ("declined",
                                                                                       "enrolled"),
        ("enrolled", "accepted"), ("enrolled", "declined"), ("enrolled", "enrolled"),
    ])


def test_it_keeps_the_path_from_cash_to_training_on_record(cast, path):
    referral = _send(cast, path)
    enrollment = ref.referral_enroll(actor=cast["officer_other"], referral=referral)
    assert Enrollment.objects.filter(household=path["household"]).count() == 2
    assert Referral.objects.get(enrollment=enrollment).from_program == path["cash"]
