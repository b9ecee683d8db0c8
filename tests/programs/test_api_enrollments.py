"""Programs API: enrollments of a program, applications, transitions, and bulk work from a rule run."""

from __future__ import annotations

import pytest

from bansos.core.formats import mask_nik
from bansos.core.models import AuditEvent
from bansos.programs.models import Channel, Enrollment, EnrollmentState
from bansos.programs.services import enrollment as svc
from bansos.programs.services.enrollment import MSG_REASON_REQUIRED, MSG_RESIDENT_OUTSIDE, MSG_TRANSITION
from bansos.programs.services.funding import MSG_BUDGET_EXHAUSTED
from bansos.programs.services.overlap import overlap_policy_create
from bansos.registry.models import Relation
from tests.programs.api_helpers import DENIED, OTHER_AGENCY, api, every_household_run, unchanged  # noqa: F401

pytestmark = pytest.mark.django_db


def _head(household):
    return household.residents.get(relation=Relation.HEAD)


@pytest.fixture
def cash(make_program):
    """An open cash program of the officer's agency with budget for two participants (2 x 900.000)."""
    return make_program(name="BLT Dinsos", budget=1_800_000)


def _applied(cash, cast, *keys):
    return [svc.enrollment_apply(actor=cast["admin"], program=cash, household=cast["households"][k]) for k in keys]


def _verified(cash, cast, *keys):
    out = []
    for item in _applied(cash, cast, *keys):
        out.append(svc.enrollment_verify(actor=cast["admin"], enrollment=item, note="Dikunjungi"))
    return out


# --- List ---------------------------------------------------------------------------------------


def test_an_officer_lists_their_programs_enrollments_with_masked_niks(cast, api, cash):
    first, second = _applied(cash, cast, "rw1", "rw2")
    svc.enrollment_verify(actor=cast["admin"], enrollment=second, note="Dikunjungi")
    body = api("officer").get(f"/programs/{cash.pk}/enrollments").json()
    assert [e["id"] for e in body["items"]] == [second.pk, first.pk]
    assert body["counts"] == {"applied": 1, "verified": 1, "approved": 0, "rejected": 0, "active": 0,
                              "suspended": 0, "graduated": 0, "exited": 0}
    assert (body["total"], body["pages"]) == (2, 1)
    row = body["items"][1]
    head = _head(cast["households"]["rw1"])
    assert (row["household_id"], row["participant_name"], row["nik"], row["rw"], row["rt"]) == (
        cast["households"]["rw1"].pk, "BUDI SANTOSO", mask_nik(head.nik), 1, 1)
    assert (row["state"], row["channel"], row["committed_amount"]) == ("applied", "staff", 0)
    assert api("admin").get(f"/programs/{cash.pk}/enrollments").json()["items"][1]["nik"] == head.nik


def test_the_enrollment_list_filters_by_state_and_pages(cast, api, cash):
    _applied(cash, cast, "rw1", "rw1_rt2")
    _verified(cash, cast, "rw2")
    client = api("officer")
    body = client.get(f"/programs/{cash.pk}/enrollments", {"state": "verified"}).json()
    assert [e["household_id"] for e in body["items"]] == [cast["households"]["rw2"].pk]
    assert body["counts"]["applied"] == 2
    page = client.get(f"/programs/{cash.pk}/enrollments", {"page_size": 2, "page": 2}).json()
    assert (page["total"], page["pages"], len(page["items"])) == (3, 2, 1)


@pytest.mark.parametrize(("name", "expected"), [
    ("officer_other", OTHER_AGENCY), ("evaluator", DENIED), ("surveyor", DENIED), ("resident", DENIED),
])
def test_it_refuses_the_enrollment_list_to_others(cast, api, cash, name, expected):
    _applied(cash, cast, "rw1")
    response = api(name).get(f"/programs/{cash.pk}/enrollments")
    assert (response.status_code, response.json()) == (403, expected)


# --- Apply --------------------------------------------------------------------------------------


def test_an_officer_applies_a_household(cast, api, cash):
    household = cast["households"]["rw2"]
    response = api("officer").post(f"/programs/{cash.pk}/enrollments", {"household": household.pk,
                                                                         "note": "datang ke kantor"})
    assert response.status_code == 201
    item = Enrollment.objects.get()
    assert response.json()["id"] == item.pk
    assert (item.household, item.state, item.channel, item.applied_by) == (
        household, "applied", "staff", cast["officer"])
    event = AuditEvent.objects.get(action="enrollment.apply")
    assert (event.actor, event.household_id, event.reason) == (cast["officer"], household.pk, "datang ke kantor")


def test_a_person_program_takes_a_member_of_the_household(cast, api, make_program):
    training = make_program(kind="training", participant="resident", benefit_kind="course")
    household = cast["households"]["rw1_rt2"]
    member = household.residents.exclude(relation=Relation.HEAD).get()
    client = api("officer")
    response = client.post(f"/programs/{training.pk}/enrollments", {"household": household.pk})
    assert (response.status_code, response.json()["code"]) == (400, "resident_required")
    other_member = cast["households"]["rw2"].residents.first()
    response = client.post(f"/programs/{training.pk}/enrollments",
                           {"household": household.pk, "resident": other_member.pk})
    assert (response.status_code, response.json()["errors"]) == (422, {"resident": [str(MSG_RESIDENT_OUTSIDE)]})
    response = client.post(f"/programs/{training.pk}/enrollments",
                           {"household": household.pk, "resident": member.pk})
    assert response.status_code == 201
    assert (response.json()["resident_id"], response.json()["participant_name"]) == (member.pk, member.full_name)


def test_a_surveyor_nominates_a_household_of_their_area(cast, api, cash):
    household = cast["households"]["rw1"]
    response = api("surveyor").post(f"/programs/{cash.pk}/enrollments",
                                    {"household": household.pk, "channel": "nomination"})
    assert response.status_code == 201
    assert Enrollment.objects.get().channel == Channel.NOMINATION


def test_a_resident_applies_for_their_own_household(cast, api, cash):
    household = cast["households"]["rw1"]
    response = api("resident").post(f"/programs/{cash.pk}/enrollments",
                                    {"household": household.pk, "channel": "resident"})
    assert response.status_code == 201
    assert (Enrollment.objects.get().channel, Enrollment.objects.get().household) == ("resident", household)


@pytest.mark.parametrize(("name", "household", "channel", "expected"), [
    ("officer_other", "rw1", "staff", DENIED),
    ("evaluator", "rw1", "staff", DENIED),
    ("cadre", "rw1", "nomination", DENIED),
    ("surveyor_other", "rw1", "nomination", DENIED),
    ("surveyor", "rw1", "staff", DENIED),
    ("resident", "rw2", "resident", None),
    ("officer", "rw1", "resident", DENIED),
])
def test_it_refuses_applications_without_the_right(cast, api, cash, unchanged, name, household, channel, expected):
    client = api(name)
    with unchanged():
        response = client.post(f"/programs/{cash.pk}/enrollments",
                                {"household": cast["households"][household].pk, "channel": channel})
    assert response.status_code == 403
    if expected is not None:
        assert response.json() == expected
    else:
        assert response.json()["code"] == "permission_denied"


def test_a_refused_caller_learns_nothing_about_household_ids(cast, api, cash):
    response = api("evaluator").post(f"/programs/{cash.pk}/enrollments", {"household": 987654})
    assert (response.status_code, response.json()) == (403, DENIED)
    response = api("officer").post(f"/programs/{cash.pk}/enrollments", {"household": 987654})
    assert (response.status_code, response.json()["errors"]) == (422, {"household": ["Keluarga tidak ditemukan."]})


def test_a_second_open_application_is_refused(cast, api, cash, unchanged):
    _applied(cash, cast, "rw1")
    client = api("officer")
    with unchanged():
        response = client.post(f"/programs/{cash.pk}/enrollments", {"household": cast["households"]["rw1"].pk})
    assert (response.status_code, response.json()["code"]) == (400, "already_enrolled")


# --- Read and transitions -----------------------------------------------------------------------


def test_an_officer_reads_an_enrollment_of_their_program_only(cast, api, cash):
    (item,) = _applied(cash, cast, "rw1")
    assert api("officer").get(f"/programs/enrollments/{item.pk}").json()["state"] == "applied"
    response = api("officer_other").get(f"/programs/enrollments/{item.pk}")
    assert (response.status_code, response.json()) == (403, OTHER_AGENCY)
    assert api("officer").get("/programs/enrollments/987654").status_code == 404


def test_an_officer_walks_an_enrollment_through_the_workflow(cast, api, cash):
    (item,) = _applied(cash, cast, "rw1")
    client = api("officer")
    url = f"/programs/enrollments/{item.pk}/transition"
    steps = [("verified", "Dikunjungi 3 Maret"), ("approved", ""), ("active", ""), ("suspended", "Pindah sementara"),
             ("active", "Kembali"), ("graduated", "Usaha berjalan")]
    for to, reason in steps:
        response = client.post(url, {"to": to, "reason": reason})
        assert (response.status_code, response.json()["state"]) == (200, to)
    item.refresh_from_db()
    assert (item.verification_note, item.committed_amount) == ("Dikunjungi 3 Maret", 0)  # released at graduation
    actions = list(AuditEvent.objects.filter(object_type="programs.enrollment", object_id=str(item.pk))
                   .order_by("pk").values_list("action", "actor__username"))
    assert actions == [("enrollment.apply", "admin"), ("enrollment.verify", "officer"),
                       ("enrollment.approve", "officer"), ("enrollment.start", "officer"),
                       ("enrollment.suspend", "officer"), ("enrollment.resume", "officer"),
                       ("enrollment.graduate", "officer")]


@pytest.mark.parametrize(("name", "expected"), [
    ("officer_other", OTHER_AGENCY), ("evaluator", DENIED), ("surveyor", DENIED), ("resident", DENIED),
])
def test_it_refuses_transitions_without_the_right(cast, api, cash, unchanged, name, expected):
    (item,) = _verified(cash, cast, "rw1")
    client = api(name)
    with unchanged():
        response = client.post(f"/programs/enrollments/{item.pk}/transition", {"to": "approved"})
    assert (response.status_code, response.json()) == (403, expected)


def test_refused_transitions_answer_with_the_service_code(cast, api, cash, unchanged):
    (item,) = _applied(cash, cast, "rw1")
    client = api("officer")
    url = f"/programs/enrollments/{item.pk}/transition"
    with unchanged():
        response = client.post(url, {"to": "active"})
    assert (response.status_code, response.json()) == (400, {
        "code": "enrollment_transition", "errors": {},
        "message": str(MSG_TRANSITION) % {"old": "Mendaftar", "new": "Aktif"}})
    with unchanged():
        response = client.post(url, {"to": "rejected", "reason": "  "})
    assert (response.status_code, response.json()) == (400, {
        "code": "reason_required", "message": str(MSG_REASON_REQUIRED),
        "errors": {"reason": [str(MSG_REASON_REQUIRED)]}})
    with unchanged():
        response = client.post(url, {"to": "promoted"})
    assert (response.status_code, response.json()["code"]) == (422, "validation_failed")
    assert api("officer").post("/programs/enrollments/987654/transition", {"to": "verified"}).status_code == 404


def test_approval_beyond_the_budget_is_refused(cast, api, make_program, unchanged):
    cash = make_program(budget=900_000)
    first, second = _verified(cash, cast, "rw1", "rw2")
    client = api("officer")
    assert client.post(f"/programs/enrollments/{first.pk}/transition", {"to": "approved"}).status_code == 200
    with unchanged():
        response = client.post(f"/programs/enrollments/{second.pk}/transition", {"to": "approved"})
    assert (response.status_code, response.json()) == (400, {
        "code": "budget_exhausted", "errors": {},
        "message": str(MSG_BUDGET_EXHAUSTED) % {"remaining": "Rp 0", "needed": "Rp 900.000"}})


def test_overlap_policies_warn_or_forbid_at_approval(cast, api, cash, make_program, unchanged):
    other = make_program("lsm", name="BLT Yayasan", budget=1_800_000)
    (elsewhere,) = _verified(other, cast, "rw1")
    svc.enrollment_approve(actor=cast["admin"], enrollment=elsewhere)
    (item,) = _verified(cash, cast, "rw1")
    policy = overlap_policy_create(actor=cast["admin"], data={"kind_a": "cash", "kind_b": "cash", "effect": "warn",
                                                               "note": "Dua bantuan tunai"})
    client = api("officer")
    url = f"/programs/enrollments/{item.pk}/transition"
    with unchanged():
        response = client.post(url, {"to": "approved"})
    assert response.status_code == 400
    assert response.json()["code"] == "overlap_warning"
    # The officer of another agency learns the kind of the other program, not its name or agency.
    assert "Bantuan tunai (lembaga lain)" in response.json()["message"]
    assert "BLT Yayasan" not in response.json()["message"]
    response = client.post(url, {"to": "approved", "acknowledge_warnings": True})
    assert (response.status_code, response.json()["state"]) == (200, "approved")
    event = AuditEvent.objects.get(action="enrollment.approve", object_id=str(item.pk))
    assert "lembaga lain" in event.changes["overlap_warning"]

    policy.effect = "forbid"
    policy.save()
    (blocked,) = _verified(cash, cast, "rw2")
    svc.enrollment_approve(actor=cast["admin"], enrollment=_verified(other, cast, "rw2")[0])
    with unchanged():
        response = client.post(f"/programs/enrollments/{blocked.pk}/transition",
                               {"to": "approved", "acknowledge_warnings": True})
    assert (response.status_code, response.json()["code"]) == (400, "overlap_forbidden")


# --- Bulk ---------------------------------------------------------------------------------------


@pytest.fixture
def ruled(cast, make_program):
    rule, run = every_household_run(cast)
    program = make_program(name="BLT Massal", budget=1_800_000, rule=rule)
    return program, run


def test_an_officer_enrols_a_rule_run_in_bulk(cast, api, ruled):
    program, run = ruled
    client = api("officer")
    base = f"/programs/{program.pk}/enrollments"
    preview = client.get(f"{base}/bulk-preview", {"run": run.pk}).json()
    assert preview == {"eligible": 3, "inactive": 0, "already": 0, "new": 3, "without_head": 0,
                       "person_program": False}
    assert client.post(f"{base}/bulk-apply", {"run": run.pk}).json() == {"done": 3, "skipped": {}}
    assert client.post(f"{base}/bulk-apply", {"run": run.pk}).json() == {
        "done": 0, "skipped": {"already_or_inactive": 3}}
    assert client.post(f"{base}/bulk-verify", {"note": "Cek data registri"}).json() == {"done": 3, "skipped": {}}
    # Budget for two: the third is left verified.
    assert client.post(f"{base}/bulk-approve", {}).json() == {"done": 2, "skipped": {"budget_or_capacity": 1}}
    states = sorted(Enrollment.objects.filter(program=program).values_list("state", flat=True))
    assert states == ["approved", "approved", "verified"]
    assert AuditEvent.objects.filter(action="enrollment.approve", actor=cast["officer"]).count() == 2


def test_bulk_verify_and_approve_can_take_chosen_ids(cast, api, ruled):
    program, run = ruled
    client = api("officer")
    base = f"/programs/{program.pk}/enrollments"
    client.post(f"{base}/bulk-apply", {"run": run.pk})
    first, second, third = Enrollment.objects.filter(program=program).order_by("pk")
    response = client.post(f"{base}/bulk-verify", {"note": "Cek", "ids": [first.pk, second.pk]})
    assert response.json() == {"done": 2, "skipped": {}}
    response = client.post(f"{base}/bulk-approve", {"ids": [first.pk, third.pk]})
    assert response.json() == {"done": 1, "skipped": {"not_verified": 1}}
    assert dict(Enrollment.objects.filter(program=program).values_list("pk", "state")) == {
        first.pk: "approved", second.pk: "verified", third.pk: "applied"}


@pytest.mark.parametrize(("name", "expected"), [
    ("officer_other", OTHER_AGENCY), ("evaluator", DENIED), ("surveyor", DENIED), ("resident", DENIED),
])
def test_it_refuses_bulk_work_without_the_right(cast, api, ruled, unchanged, name, expected):
    program, run = ruled
    base = f"/programs/{program.pk}/enrollments"
    api("admin").post(f"{base}/bulk-apply", {"run": run.pk})
    client = api(name)
    with unchanged():
        responses = [
            client.get(f"{base}/bulk-preview", {"run": run.pk}),
            client.post(f"{base}/bulk-apply", {"run": run.pk}),
            client.post(f"{base}/bulk-verify", {"note": "Cek"}),
            client.post(f"{base}/bulk-approve", {"acknowledge_warnings": True}),
            # Refused before the run is looked up: an unknown id reads the same.
            client.post(f"{base}/bulk-apply", {"run": 987654}),
        ]
    assert [(r.status_code, r.json()) for r in responses] == [(403, expected)] * 5


def test_bulk_refusals_answer_with_the_service_code(cast, api, cash, ruled, unchanged):
    program, run = ruled
    client = api("officer")
    with unchanged():
        response = client.post(f"/programs/{cash.pk}/enrollments/bulk-apply", {"run": run.pk})
    assert (response.status_code, response.json()["code"]) == (400, "program_no_rule")
    with unchanged():
        response = client.post(f"/programs/{program.pk}/enrollments/bulk-apply", {"run": 987654})
    assert (response.status_code, response.json()["errors"]) == (
        422, {"run": ["Hasil penilaian aturan tidak ditemukan."]})
    with unchanged():
        response = client.post(f"/programs/{program.pk}/enrollments/bulk-verify", {"note": " "})
    assert (response.status_code, response.json()["code"]) == (400, "reason_required")


def test_bulk_approval_reports_enrollments_left_in_other_states(cast, api, ruled):
    program, run = ruled
    client = api("officer")
    base = f"/programs/{program.pk}/enrollments"
    client.post(f"{base}/bulk-apply", {"run": run.pk})
    assert EnrollmentState.APPLIED in set(Enrollment.objects.values_list("state", flat=True))
    assert client.post(f"{base}/bulk-approve", {}).json() == {"done": 0, "skipped": {}}
