"""Overlap policies at approval: forbid, warn with acknowledgement, periods, inactive policies, bulk."""

from __future__ import annotations

import datetime as dt

import pytest

from bansos.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from bansos.core.models import AuditEvent
from bansos.programs.models import OverlapPolicy
from bansos.programs.services import bulk, overlap
from bansos.programs.services import enrollment as svc
from tests.programs.conftest import budget_consistent, world

pytestmark = pytest.mark.django_db

COST = 900_000
OTHER_NAME = "BLT Yayasan Peduli"


def _policy(cast, effect="forbid", kind_a="cash", kind_b="cash", **extra):
    return overlap.overlap_policy_create(actor=cast["admin"], data={
        "kind_a": kind_a, "kind_b": kind_b, "effect": effect, "note": "", **extra})


@pytest.fixture
def receiving(cast, make_program, enrol):
    """Budi's family (RW 1) receives the NGO's cash program; the officer's program is also cash."""
    other = make_program("lsm", budget=10 * COST, name=OTHER_NAME)
    enrol(other, cast["households"]["rw1"], "active", actor=cast["officer_other"])
    own = make_program("dinsos", budget=10 * COST, name="BLT Dinsos")
    return {"other": other, "own": own,
            "waiting": enrol(own, cast["households"]["rw1"], "verified", actor=cast["officer"])}


def test_it_forbids_and_names_only_the_kind_to_another_agency(cast, receiving):
    _policy(cast, "forbid", note="Dua bantuan tunai pada periode yang sama tidak boleh")
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_approve(actor=cast["officer"], enrollment=receiving["waiting"],
                               acknowledge_warnings=True)
    assert caught.value.code == "overlap_forbidden"
    assert caught.value.text == (
        "Tidak dapat disetujui: keluarga ini sudah menerima Bantuan tunai (lembaga lain). "
        "Kebijakan kelurahan: Dua bantuan tunai pada periode yang sama tidak boleh.")
    assert OTHER_NAME not in caught.value.text and "Yayasan" not in caught.value.text
    assert world() == before


def test_it_shows_the_admin_the_other_programs_name_and_agency(cast, receiving):
    _policy(cast, "forbid")
    with pytest.raises(DomainError) as caught:
        svc.enrollment_approve(actor=cast["admin"], enrollment=receiving["waiting"])
    assert caught.value.text == (
        f"Tidak dapat disetujui: keluarga ini sudah menerima {OTHER_NAME} (Yayasan Peduli Duri Kepa). "
        "Kebijakan kelurahan: Bantuan tunai + Bantuan tunai: Tidak boleh.")


def test_it_shows_an_officer_the_name_of_an_own_agency_program(cast, make_program, enrol):
    _policy(cast, "forbid")
    first = make_program(budget=COST, name="BLT Tahap Satu")
    second = make_program(budget=COST, name="BLT Tahap Dua")
    enrol(first, cast["households"]["rw1"], "approved")
    waiting = enrol(second, cast["households"]["rw1"], "verified")
    with pytest.raises(DomainError) as caught:
        svc.enrollment_approve(actor=cast["officer"], enrollment=waiting)
    assert "BLT Tahap Satu (Suku Dinas Sosial Jakarta Barat)" in caught.value.text


def test_it_needs_and_records_the_acknowledgement_of_a_warning(cast, receiving):
    _policy(cast, "warn", note="Periksa apakah keluarga masih membutuhkan")
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_approve(actor=cast["officer"], enrollment=receiving["waiting"])
    warning = ("Perhatian: keluarga ini sudah menerima Bantuan tunai (lembaga lain). "
               "Kebijakan kelurahan: Periksa apakah keluarga masih membutuhkan.")
    assert (caught.value.code, caught.value.text) == ("overlap_warning", warning)
    assert world() == before

    approved = svc.enrollment_approve(actor=cast["officer"], enrollment=receiving["waiting"],
                                      acknowledge_warnings=True)
    assert approved.state == "approved"
    event = AuditEvent.objects.filter(action="enrollment.approve", object_id=str(approved.pk)).get()
    assert (event.changes["overlap_warning"], event.actor) == (warning, cast["officer"])
    budget_consistent(receiving["own"])


@pytest.mark.parametrize("state", ["applied", "verified", "rejected", "graduated", "exited"])
def test_it_counts_only_programs_the_household_is_receiving(cast, make_program, enrol, state):
    _policy(cast, "forbid")
    other = make_program("lsm", budget=10 * COST, name=OTHER_NAME)
    enrol(other, cast["households"]["rw1"], state)
    waiting = enrol(make_program(budget=COST), cast["households"]["rw1"], "verified")
    assert svc.enrollment_approve(actor=cast["officer"], enrollment=waiting).state == "approved"


@pytest.mark.parametrize("state", ["approved", "active", "suspended"])
def test_it_counts_approved_active_and_suspended_as_receiving(cast, make_program, enrol, state):
    _policy(cast, "forbid")
    enrol(make_program("lsm", budget=COST), cast["households"]["rw1"], state)
    waiting = enrol(make_program(budget=COST), cast["households"]["rw1"], "verified")
    with pytest.raises(DomainError) as caught:
        svc.enrollment_approve(actor=cast["officer"], enrollment=waiting)
    assert caught.value.code == "overlap_forbidden"


def test_it_does_not_concern_another_household(cast, receiving, make_program, enrol):
    _policy(cast, "forbid")
    other_family = enrol(receiving["own"], cast["households"]["rw2"], "verified")
    assert svc.enrollment_approve(actor=cast["officer"], enrollment=other_family).state == "approved"


@pytest.mark.parametrize(("same_period", "refused"), [(True, False), (False, True)])
def test_it_ignores_programs_in_other_periods_when_same_period(cast, make_program, enrol, same_period,
                                                                   refused):
    _policy(cast, "forbid", same_period=same_period)
    last_year = make_program("lsm", budget=COST, start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12,
                                                                                                  31))
    enrol(last_year, cast["households"]["rw1"], "active")
    waiting = enrol(make_program(budget=COST), cast["households"]["rw1"], "verified")  # 2026
    if refused:
        with pytest.raises(DomainError):
            svc.enrollment_approve(actor=cast["officer"], enrollment=waiting)
    else:
        assert svc.enrollment_approve(actor=cast["officer"], enrollment=waiting).state == "approved"


def test_it_counts_periods_sharing_one_day_as_overlapping(cast, make_program, enrol):
    _policy(cast, "forbid", same_period=True)
    ending = make_program("lsm", budget=COST, start_date=dt.date(2025, 7, 1), end_date=dt.date(2026, 1, 1))
    enrol(ending, cast["households"]["rw1"], "active")
    waiting = enrol(make_program(budget=COST), cast["households"]["rw1"], "verified")  # from 1 January 2026
    with pytest.raises(DomainError) as caught:
        svc.enrollment_approve(actor=cast["officer"], enrollment=waiting)
    assert caught.value.code == "overlap_forbidden"


def test_it_ignores_an_inactive_policy(cast, receiving):
    policy = _policy(cast, "forbid", is_active=False)
    assert policy.is_active is False
    assert svc.enrollment_approve(actor=cast["officer"], enrollment=receiving["waiting"]).state == "approved"


def test_it_pairs_kinds_whichever_order_they_are_given(cast, make_program, enrol):
    policy = _policy(cast, "forbid", kind_a="training", kind_b="cash")
    assert (policy.kind_a, policy.kind_b) == ("cash", "training")
    enrol(make_program("lsm", budget=COST, kind="training"), cast["households"]["rw1"], "active")
    waiting = enrol(make_program(budget=COST, kind="cash"), cast["households"]["rw1"], "verified")
    with pytest.raises(DomainError) as caught:
        svc.enrollment_approve(actor=cast["officer"], enrollment=waiting)
    assert "Pelatihan keterampilan (lembaga lain)" in caught.value.text


def test_it_does_not_apply_a_policy_on_other_kinds(cast, receiving):
    _policy(cast, "forbid", kind_a="cash", kind_b="training")
    assert svc.enrollment_approve(actor=cast["officer"], enrollment=receiving["waiting"]).state == "approved"


def test_it_lets_forbid_win_over_an_acknowledged_warning(cast, make_program, enrol):
    enrol(make_program("lsm", budget=COST, kind="training"), cast["households"]["rw1"], "active")
    enrol(make_program("lsm", budget=COST, kind="cash"), cast["households"]["rw1"], "active")
    _policy(cast, "warn", kind_a="cash", kind_b="training")
    _policy(cast, "forbid", kind_a="cash", kind_b="cash")
    waiting = enrol(make_program(budget=COST), cast["households"]["rw1"], "verified")
    with pytest.raises(DomainError) as caught:
        svc.enrollment_approve(actor=cast["officer"], enrollment=waiting, acknowledge_warnings=True)
    assert caught.value.code == "overlap_forbidden"


# --- Bulk approval --------------------------------------------------------------------------------


def test_it_skips_and_counts_forbidden_and_warned_households_in_bulk(cast, make_program, enrol,
                                                                             households):
    _policy(cast, "forbid", kind_a="cash", kind_b="cash")
    _policy(cast, "warn", kind_a="cash", kind_b="training")
    hh = cast["households"]
    extra = households(1)[0]
    enrol(make_program("lsm", budget=COST, kind="cash"), hh["rw1"], "active")
    enrol(make_program("lsm", budget=COST, kind="training"), hh["rw2"], "active")
    program = make_program(budget=10 * COST)
    for household in (hh["rw1"], hh["rw2"], hh["rw1_rt2"], extra):
        enrol(program, household, "verified")

    result = bulk.enrollment_bulk_approve(actor=cast["officer"], program=program)
    assert (result.done, result.skipped) == (2, {"overlap_forbidden": 1, "overlap_warning": 1})
    approved = set(program.enrollments.filter(state="approved").values_list("household_id", flat=True))
    assert approved == {hh["rw1_rt2"].pk, extra.pk}

    acknowledged = bulk.enrollment_bulk_approve(actor=cast["officer"], program=program,
                                                acknowledge_warnings=True)
    assert (acknowledged.done, acknowledged.skipped) == (1, {"overlap_forbidden": 1})
    warned = program.enrollments.get(household=hh["rw2"])
    assert warned.state == "approved"
    event = AuditEvent.objects.filter(action="enrollment.approve", object_id=str(warned.pk)).get()
    assert "overlap_warning" in event.changes
    assert program.enrollments.get(household=hh["rw1"]).state == "verified"
    budget_consistent(program)


def test_it_ignores_inactive_policies_in_bulk_approval(cast, make_program, enrol):
    _policy(cast, "forbid", is_active=False)
    enrol(make_program("lsm", budget=COST), cast["households"]["rw1"], "active")
    program = make_program(budget=COST)
    enrol(program, cast["households"]["rw1"], "verified")
    assert bulk.enrollment_bulk_approve(actor=cast["officer"], program=program).done == 1


# --- Managing the policies ------------------------------------------------------------------------


def test_it_lets_the_admin_create_and_update_a_policy_with_audit(cast):
    policy = _policy(cast, "warn", note="Cek ulang")
    updated = overlap.overlap_policy_update(actor=cast["admin"], policy=policy, data={
        "kind_a": "cash", "kind_b": "cash", "effect": "forbid", "note": "Cek ulang", "is_active": True})
    assert updated.effect == "forbid"
    actions = list(AuditEvent.objects.filter(object_type="programs.overlappolicy").order_by("pk")
                   .values_list("action", flat=True))
    assert actions == ["overlap_policy.create", "overlap_policy.update"]


def test_it_refuses_a_second_policy_for_the_same_pair(cast):
    _policy(cast, "forbid", kind_a="cash", kind_b="training")
    before = world()
    with pytest.raises(DomainError) as caught:
        _policy(cast, "warn", kind_a="training", kind_b="cash")
    assert caught.value.code == "policy_exists"
    assert world() == before


@pytest.mark.parametrize("data", [
    {"kind_a": "cash", "kind_b": "lottery", "effect": "forbid"},
    {"kind_a": "cash", "kind_b": "cash", "effect": "maybe"},
])
def test_it_refuses_a_policy_with_bad_choices(cast, data):
    before = world()
    with pytest.raises(ValidationFailed):
        overlap.overlap_policy_create(actor=cast["admin"], data=data)
    assert world() == before


@pytest.mark.parametrize("who", ["officer", "surveyor", "cadre", "evaluator", "resident"])
def test_it_lets_only_the_admin_manage_policies(cast, who):
    before = world()
    with pytest.raises(PermissionDeniedError):
        _policy({"admin": cast[who]})
    assert world() == before
    assert OverlapPolicy.objects.count() == 0
