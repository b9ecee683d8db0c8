"""Who may do what: officers on their own agency's programs only, surveyors nominate in their area,
residents apply for their own family; officers see the households their agency's programs reach."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansos.accounts.permissions import household_scope
from bansos.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from bansos.core.models import AuditEvent
from bansos.programs.models import Enrollment, Program
from bansos.programs.services import enrollment as svc
from bansos.programs.services import funding, referrals
from bansos.programs.services.programs import program_create, program_status_set, program_update
from bansos.registry.models import Household
from tests.programs.conftest import REASON, program_data, world

pytestmark = pytest.mark.django_db

COST = 900_000


def _visible(user) -> set[int]:
    return set(Household.objects.filter(household_scope(user)).values_list("pk", flat=True))


# --- Officers act on their own agency's programs only ---------------------------------------------

STEPS = {  # action -> (state the enrollment starts in, call)
    "verify": ("applied", lambda u, e: svc.enrollment_verify(actor=u, enrollment=e, note=REASON)),
    "approve": ("verified", lambda u, e: svc.enrollment_approve(actor=u, enrollment=e,
                                                                acknowledge_warnings=True)),
    "reject": ("verified", lambda u, e: svc.enrollment_reject(actor=u, enrollment=e, reason=REASON)),
    "start": ("approved", lambda u, e: svc.enrollment_start(actor=u, enrollment=e)),
    "suspend": ("active", lambda u, e: svc.enrollment_suspend(actor=u, enrollment=e, reason=REASON)),
    "resume": ("suspended", lambda u, e: svc.enrollment_resume(actor=u, enrollment=e)),
    "graduate": ("active", lambda u, e: svc.enrollment_graduate(actor=u, enrollment=e)),
    "exit": ("active", lambda u, e: svc.enrollment_exit(actor=u, enrollment=e, reason=REASON)),
    "disburse": ("active", lambda u, e: funding.enrollment_disburse(actor=u, enrollment=e, amount=100_000)),
}


@pytest.mark.parametrize("action", list(STEPS))
def test_it_refuses_an_officer_work_on_another_agencys_enrollment(cast, make_program, enrol, action):
    state, call = STEPS[action]
    program = make_program("lsm", budget=COST)
    enrollment = enrol(program, cast["households"]["rw1"], state, actor=cast["officer_other"])
    before = world()
    with pytest.raises(PermissionDeniedError) as caught:
        call(cast["officer"], enrollment)
    assert caught.value.text == (
        "Program ini milik lembaga lain; Anda hanya dapat mengelola program lembaga Anda.")
    assert world() == before
    # The owning agency's officer may.
    call(cast["officer_other"], enrollment)
    assert world() != before


@pytest.mark.parametrize("action", list(STEPS))
@pytest.mark.parametrize("who", ["surveyor", "cadre", "evaluator", "resident"])
def test_it_refuses_enrollment_work_to_roles_without_the_right(cast, make_program, enrol, action, who):
    state, call = STEPS[action]
    enrollment = enrol(make_program(budget=COST), cast["households"]["rw1"], state)
    before = world()
    with pytest.raises(PermissionDeniedError):
        call(cast[who], enrollment)
    assert world() == before


@pytest.mark.parametrize("channel", ["staff", "nomination", "referral", "rule_run"])
def test_it_refuses_an_officer_applying_to_another_agencys_program(cast, make_program, channel):
    program = make_program("lsm")
    before = world()
    with pytest.raises(PermissionDeniedError):
        svc.enrollment_apply(actor=cast["officer"], program=program, household=cast["households"]["rw1"],
                             channel=channel)
    assert world() == before


def test_it_refuses_an_officer_allocating_to_another_agencys_program(cast, make_program, source):
    program = make_program("lsm")
    before = world()
    with pytest.raises(PermissionDeniedError):
        funding.funding_allocate(actor=cast["officer"], source=source, program=program, amount=1_000_000)
    assert world() == before
    funding.funding_allocate(actor=cast["officer_other"], source=source, program=program, amount=1_000_000)


def test_it_refuses_an_officer_editing_another_agencys_program(cast, agencies, make_program):
    program = make_program("lsm")
    before = world()
    with pytest.raises(PermissionDeniedError):
        program_update(actor=cast["officer"], program=program, data=program_data(agencies["lsm"],
                                                                                 name="Diubah"))
    with pytest.raises(PermissionDeniedError):
        program_status_set(actor=cast["officer"], program=program, status="running")
    assert world() == before
    program_update(actor=cast["officer_other"], program=program, data=program_data(agencies["lsm"],
                                                                                   name="Diubah"))
    program_status_set(actor=cast["officer_other"], program=program, status="running")


def test_it_gives_an_officers_new_program_to_the_officers_agency(cast, agencies):
    program = program_create(actor=cast["officer"], data=program_data(None))
    assert program.agency == agencies["dinsos"]
    before = world()
    with pytest.raises(ValidationFailed) as caught:
        program_create(actor=cast["officer"], data=program_data(agencies["lsm"]))
    assert caught.value.errors["agency"] == [
        "Program ini milik lembaga lain; Anda hanya dapat mengelola program lembaga Anda."]
    assert world() == before


@pytest.mark.parametrize("who", ["surveyor", "cadre", "evaluator", "resident"])
def test_it_refuses_programs_to_roles_without_program_rights(cast, agencies, who):
    before = world()
    with pytest.raises(PermissionDeniedError):
        program_create(actor=cast[who], data=program_data(agencies["dinsos"]))
    assert world() == before
    assert Program.objects.count() == 0


# --- Nominations by RT/RW officers ----------------------------------------------------------------


@pytest.mark.parametrize(("who", "household", "allowed"), [
    ("surveyor", "rw1", True), ("surveyor", "rw1_rt2", True), ("surveyor", "rw2", False),
    ("surveyor_rt", "rw1_rt2", True), ("surveyor_rt", "rw1", False), ("surveyor_rt", "rw2", False),
    ("surveyor_other", "rw2", True), ("surveyor_other", "rw1", False),
])
def test_it_lets_surveyors_nominate_only_households_of_their_area(cast, make_program, who, household,
                                                                   allowed):
    program = make_program("lsm")
    family = cast["households"][household]
    if allowed:
        enrollment = svc.enrollment_apply(actor=cast[who], program=program, household=family,
                                          channel="nomination",
                                          note="Usulan musyawarah RW")
        assert (enrollment.state, enrollment.channel, enrollment.applied_by) == ("applied", "nomination",
                                                                                 cast[who])
        event = AuditEvent.objects.get(action="enrollment.apply")
        assert (event.actor, event.household_id, event.reason) == (cast[who], family.pk,
                                                                   "Usulan musyawarah RW")
    else:
        before = world()
        with pytest.raises(PermissionDeniedError):
            svc.enrollment_apply(actor=cast[who], program=program, household=family, channel="nomination")
        assert world() == before


@pytest.mark.parametrize("channel", ["staff", "resident", "referral", "rule_run"])
def test_it_lets_surveyors_only_nominate(cast, make_program, channel):
    program = make_program()
    before = world()
    with pytest.raises(PermissionDeniedError):
        svc.enrollment_apply(actor=cast["surveyor"], program=program, household=cast["households"]["rw1"],
                             channel=channel)
    assert world() == before


def test_it_needs_a_program_that_accepts_for_a_nomination(cast, make_program):
    program = make_program(status="draft")
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_apply(actor=cast["surveyor"], program=program, household=cast["households"]["rw1"],
                             channel="nomination")
    assert caught.value.code == "program_not_open"
    assert world() == before


# --- Residents apply for their own family ---------------------------------------------------------


def test_it_lets_a_resident_apply_for_the_own_family(cast, make_program):
    program = make_program("lsm")
    enrollment = svc.enrollment_apply(actor=cast["resident"], program=program,
                                      household=cast["households"]["rw1"],
                                      channel="resident")
    assert (enrollment.channel, enrollment.applied_by) == ("resident", cast["resident"])


def test_it_lets_a_resident_apply_for_a_person_of_the_own_family(cast, make_program):
    program = make_program(kind="training", participant="resident", benefit_kind="course")
    family = cast["households"]["rw1"]
    member = family.residents.get(relation="spouse")
    enrollment = svc.enrollment_apply(actor=cast["resident"], program=program, household=family,
                                      resident=member,
                                      channel="resident")
    assert enrollment.resident == member
    stranger = cast["households"]["rw2"].residents.get(relation="head")
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_apply(actor=cast["resident"], program=program, household=family, resident=stranger,
                             channel="resident")
    assert caught.value.code == "resident_outside"
    assert world() == before


@pytest.mark.parametrize(("who", "household", "channel"), [
    ("resident", "rw2", "resident"),  # another family
    ("resident_other", "rw1", "resident"),
    ("resident", "rw1", "staff"),  # the own family, but not as staff
    ("resident", "rw1", "nomination"),
    ("admin", "rw1", "resident"),  # staff do not apply as a resident
    ("officer", "rw1", "resident"),
    (None, "rw1", "resident"),
])
def test_it_lets_residents_apply_only_for_their_own_family(cast, make_program, who, household, channel):
    program = make_program()
    before = world()
    with pytest.raises(PermissionDeniedError):
        svc.enrollment_apply(actor=cast[who] if who else None, program=program,
                             household=cast["households"][household], channel=channel)
    assert world() == before


@pytest.mark.parametrize("who", ["evaluator", "cadre", "cadre_other"])
@pytest.mark.parametrize("channel", ["staff", "nomination", "resident", "referral", "rule_run"])
def test_it_refuses_applications_by_evaluators_and_cadres(cast, make_program, who, channel):
    program = make_program()
    before = world()
    with pytest.raises(PermissionDeniedError):
        svc.enrollment_apply(actor=cast[who], program=program, household=cast["households"]["rw1"],
                             channel=channel)
    assert world() == before


def test_it_refuses_an_unknown_channel(cast, make_program):
    program = make_program()
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_apply(actor=cast["admin"], program=program, household=cast["households"]["rw1"],
                             channel="telepon")
    assert caught.value.code == "channel_invalid"
    assert world() == before


# --- Officers see the households their agency's programs reach ------------------------------------


def test_it_shows_officers_only_households_their_agency_reaches(cast, make_program,
                                                                                     enrol):
    hh = cast["households"]
    own, other = make_program("dinsos", budget=COST), make_program("lsm", budget=COST)
    assert _visible(cast["officer"]) == _visible(cast["officer_other"]) == set()

    enrol(other, hh["rw2"], "active")  # helped by the other agency only
    rejected = enrol(own, hh["rw1"], "rejected")
    assert _visible(cast["officer"]) == {hh["rw1"].pk}  # applied, even if rejected
    assert _visible(cast["officer_other"]) == {hh["rw2"].pk}

    referrals.referral_send(actor=cast["officer"], household=hh["rw1"], from_program=own, to_program=other,
                            note="Lanjut ke program LSM")
    assert rejected.household_id == hh["rw1"].pk
    assert _visible(cast["officer_other"]) == {hh["rw1"].pk, hh["rw2"].pk}
    assert _visible(cast["officer"]) == {hh["rw1"].pk}
    assert hh["rw1_rt2"].pk not in _visible(cast["officer"]) | _visible(cast["officer_other"])


def test_it_lists_an_officer_only_the_agencys_households(cast, make_program, enrol,
                                                                        client_for):
    hh = cast["households"]
    enrol(make_program("dinsos"), hh["rw1"])
    enrol(make_program("lsm"), hh["rw2"])
    response = client_for(cast["officer"]).get(reverse("registry:household_list"))
    assert response.status_code == 200
    assert sorted(h.kk_number for h in response.context["rows"]) == [hh["rw1"].kk_number]


def test_it_shows_a_referred_household_before_it_applies(cast, make_program, enrol):
    hh = cast["households"]
    own, other = make_program("dinsos"), make_program("lsm", budget=COST)
    enrol(other, hh["rw2"], "active")
    referrals.referral_send(actor=cast["officer_other"], household=hh["rw2"], from_program=other,
                            to_program=own)
    assert _visible(cast["officer"]) == {hh["rw2"].pk}
    assert Enrollment.objects.filter(program=own).count() == 0
