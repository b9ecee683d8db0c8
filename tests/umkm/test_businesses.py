"""Business profiles: create, update, close, reopen; their rules and permissions."""

from __future__ import annotations

import datetime as dt

import pytest

from bansos.core.models import AuditEvent
from bansos.umkm.models import Business
from bansos.umkm.services.businesses import (
    MSG_NIB_FORMAT, MSG_NIB_TAKEN, business_close, business_create, business_reopen, business_update,
)
from tests.umkm.conftest import business_data, days_ago, owner_of, refused, today

pytestmark = pytest.mark.django_db


def test_it_creates_a_business_with_flags_from_the_owner(cast, umkm):
    program, _e, business = umkm()
    household = cast["households"]["rw1"]
    assert (business.owner, business.household, business.program) == (owner_of(household), household, program)
    assert business.women_owned is True  # Siti Aminah
    assert business.youth_owned is False  # born 1982
    event = AuditEvent.objects.get(action="umkm.business.create")
    assert event.household_id == household.pk


def test_the_flags_are_editable(cast, umkm_program, enrol):
    program = umkm_program()
    household = cast["households"]["rw1"]
    enrol(program, household, "applied")  # any open enrollment state will do
    business = business_create(actor=cast["officer"], owner=owner_of(household), program=program,
                               data=business_data(women_owned=False, youth_owned=True))
    assert (business.women_owned, business.youth_owned) == (False, True)


def test_a_young_man_owns_a_youth_business(cast, umkm_program, enrol, family):
    from tests.factories import person

    young = family(person("Rizky Maulana", "L", today().replace(year=today().year - 22, day=1), "head"))
    program = umkm_program()
    enrol(program, young, "approved")
    business = business_create(actor=cast["officer"], owner=young.residents.get(), program=program,
                               data=business_data())
    assert (business.women_owned, business.youth_owned) == (False, True)


@pytest.fixture
def family(cast, areas):
    from bansos.registry.services import household_create
    from tests.factories import household_data

    def make(*members):
        return household_create(actor=cast["admin"], data=household_data(areas["rt1"]), members=list(members),
                                reason="pendataan uji")

    return make


def test_it_refuses_a_household_not_in_the_program(cast, umkm_program):
    program = umkm_program()
    refused("not_enrolled", business_create, actor=cast["admin"],
            owner=owner_of(cast["households"]["rw1"]), program=program, data=business_data())


def test_it_refuses_an_ended_enrollment(cast, umkm_program, enrol):
    program = umkm_program()
    enrol(program, cast["households"]["rw1"], "graduated")
    refused("not_enrolled", business_create, actor=cast["admin"],
            owner=owner_of(cast["households"]["rw1"]), program=program, data=business_data())


def test_it_refuses_a_program_of_another_kind(cast, make_program, enrol):
    program = make_program("dinsos", budget=1_000_000)
    enrol(program, cast["households"]["rw1"], "active")
    refused("not_enterprise", business_create, actor=cast["admin"],
            owner=owner_of(cast["households"]["rw1"]), program=program, data=business_data())


def test_it_refuses_an_owner_who_moved_out(cast, umkm_program, enrol):
    program = umkm_program()
    household = cast["households"]["rw1"]
    enrol(program, household, "active")
    owner = owner_of(household)
    owner.status = "moved_out"
    owner.save()
    refused("owner_inactive", business_create, actor=cast["admin"], owner=owner, program=program,
            data=business_data())


@pytest.mark.parametrize("nib, ok", [("1234567890123", True), ("123456789012", False), ("12345678901234", False),
                                     ("12345678901a3", False), ("", True)])
def test_nib_is_exactly_13_digits(cast, umkm_program, enrol, nib, ok):
    program = umkm_program()
    household = cast["households"]["rw1"]
    enrol(program, household, "active")
    call = (business_create, {"actor": cast["admin"], "owner": owner_of(household), "program": program,
                              "data": business_data(nib=nib)})
    if ok:
        assert call[0](**call[1]).nib == nib
    else:
        error = refused("validation_failed", call[0], **call[1])
        assert error.errors == {"nib": [str(MSG_NIB_FORMAT)]}


def test_nib_is_unique(cast, umkm):
    program, _e, _b = umkm(nib="1234567890123")
    household = cast["households"]["rw2"]

    _p, _e2, other = umkm(household=household, program=program, name="Jahit Bu Joko")
    error = refused("validation_failed", business_update, actor=cast["admin"], business=other,
                    data={"nib": "1234567890123"})
    assert error.errors == {"nib": [str(MSG_NIB_TAKEN)]}


def test_bad_input_shows_every_problem(cast, umkm_program, enrol):
    program = umkm_program()
    household = cast["households"]["rw1"]
    enrol(program, household, "active")
    error = refused("validation_failed", business_create, actor=cast["admin"], owner=owner_of(household),
                    program=program, data={"name": " ", "sector": "spaceships", "products": "",
                                           "started_on": today() + dt.timedelta(days=1)})
    assert set(error.errors) == {"name", "sector", "products", "started_on"}


def test_update_is_audited_old_to_new(cast, umkm):
    _p, _e, business = umkm()
    business = business_update(actor=cast["officer"], business=business, data={"name": "Keripik Bu Siti Jaya"})
    assert business.name == "Keripik Bu Siti Jaya"
    event = AuditEvent.objects.get(action="umkm.business.update")
    assert event.changes == {"name": ["Keripik Singkong Bu Siti", "Keripik Bu Siti Jaya"]}


def test_close_and_reopen(cast, umkm):
    _p, _e, business = umkm()
    business = business_close(actor=cast["officer"], business=business, closed_on=days_ago(3),
                              reason="Pindah ke luar kota")
    assert (business.status, business.closed_on, business.closed_reason) == ("closed", days_ago(3),
                                                                           "Pindah ke luar kota")
    refused("already_closed", business_close, actor=cast["officer"], business=business, closed_on=days_ago(1),
            reason="lagi")
    business = business_reopen(actor=cast["officer"], business=business, reason="Kembali berjualan")
    assert (business.status, business.closed_on) == ("active", None)
    assert list(AuditEvent.objects.filter(action__startswith="umkm.business.").order_by("pk").values_list(
        "action", flat=True)) == ["umkm.business.create", "umkm.business.close", "umkm.business.reopen"]


def test_close_needs_a_reason_and_a_sensible_date(cast, umkm):
    _p, _e, business = umkm()
    refused("reason_required", business_close, actor=cast["officer"], business=business, closed_on=days_ago(1),
            reason=" ")
    refused("date_future", business_close, actor=cast["officer"], business=business,
            closed_on=today() + dt.timedelta(days=1), reason="x")
    refused("close_before_start", business_close, actor=cast["officer"], business=business,
            closed_on=dt.date(2024, 2, 1), reason="x")


REFUSED = ["officer_other", "surveyor", "cadre", "evaluator", "resident"]


@pytest.mark.parametrize("who", ["admin", "officer"])
def test_managers_of_the_program_create(cast, umkm_program, enrol, who):
    program = umkm_program()
    enrol(program, cast["households"]["rw1"], "active")
    business_create(actor=cast[who], owner=owner_of(cast["households"]["rw1"]), program=program,
                    data=business_data())
    assert Business.objects.count() == 1


@pytest.mark.parametrize("who", REFUSED + ["anonymous"])
def test_others_are_refused_with_nothing_changed(cast, umkm, who):
    from django.contrib.auth.models import AnonymousUser

    program, _e, business = umkm()
    actor = AnonymousUser() if who == "anonymous" else cast[who]
    refused("permission_denied", business_create, actor=actor, owner=owner_of(cast["households"]["rw1"]),
            program=program, data=business_data(name="Lain"))
    refused("permission_denied", business_update, actor=actor, business=business, data={"name": "X"})
    refused("permission_denied", business_close, actor=actor, business=business, closed_on=days_ago(1),
            reason="x")


def test_an_officer_of_the_owning_agency_manages_another_agencys_program_never(cast, umkm):
    _p, _e, business = umkm(agency_key="lsm")
    refused("permission_denied", business_update, actor=cast["officer"], business=business, data={"name": "X"})
    business_update(actor=cast["officer_other"], business=business, data={"name": "Y"})


@pytest.mark.parametrize("years, youth", [(15, False), (16, True), (30, True), (31, False)])
def test_youth_is_16_to_30_on_the_day(years, youth):
    from bansos.registry.models import Resident
    from bansos.umkm.services.businesses import owner_defaults

    born = today().replace(year=today().year - years) if not (today().month == 2 and today().day == 29) \
        else dt.date(today().year - years, 2, 28)
    owner = Resident(sex="L", birth_date=born)
    assert owner_defaults(owner) == {"women_owned": False, "youth_owned": youth}
    # A day before the 31st birthday is still 30.
    if years == 31:
        owner.birth_date = born + dt.timedelta(days=1)
        assert owner_defaults(owner)["youth_owned"] is True
