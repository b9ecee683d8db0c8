"""The household page's "Program & bantuan" panel and what the household history shows of programs.

Each role's view is tested both ways: what it may see is there, what it may not is absent from the
whole page (panel and history alike).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from bansos.programs.models import Referral
from bansos.programs.panels import household_programs
from bansos.programs.services import enrollment as svc
from bansos.programs.services.programs import program_create, program_status_set
from bansos.programs.services.referrals import referral_send
from tests.programs.conftest import program_data

OWN_NAME = "Bantuan Tunai Dinsos Uji"
OTHER_NAME = "Pelatihan Rahasia Yayasan Uji"
OTHER_AGENCY = "Yayasan Peduli Duri Kepa"
OWN_MONEY = "Rp 900.000"  # 3 x Rp 300.000
OTHER_MONEY = "Rp 1.234.000"
OTHER_REASON = "Catatan internal yayasan tentang keluarga"


def _enrol(actor, program, household, *, to=("verified", "approved"), resident=None):
    enrollment = svc.enrollment_apply(actor=actor, program=program, household=household, resident=resident)
    for state in to:
        enrollment = svc.enrollment_transition(actor=actor, enrollment=enrollment, to=state, reason=OTHER_REASON
                                               if program.name == OTHER_NAME else "Dikunjungi petugas")
    return enrollment


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@pytest.fixture
def family(cast, make_program):
    """Household rw1 in a Dinsos cash program (approved) and a Yayasan training (active, one member)."""
    admin = cast["admin"]
    household = cast["households"]["rw1"]
    own = make_program("dinsos", budget=9_000_000, name=OWN_NAME)
    other = make_program("lsm", budget=9_000_000, name=OTHER_NAME, kind="training", participant="resident",
                         benefit_kind="course", benefit_amount=1_234_000, benefit_periods=1)
    member = household.residents.get(relation="spouse")
    own_enrollment = _enrol(admin, own, household)
    other_enrollment = _enrol(admin, other, household, to=("verified", "approved", "active"), resident=member)
    return {"household": household, "own": own, "other": other, "member": member,
            "own_enrollment": own_enrollment, "other_enrollment": other_enrollment}


def _page(client_for, user, household):
    return client_for(user).get(reverse("registry:household_detail", args=[household.pk]))


def test_it_shows_the_admin_every_program_with_agency_state_period_and_money(cast, family, client_for):
    response = _page(client_for, cast["admin"], family["household"])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Program & bantuan" in html
    for text in (OWN_NAME, OTHER_NAME, OTHER_AGENCY, "Suku Dinas Sosial Jakarta Barat", OWN_MONEY, OTHER_MONEY,
                 "Disetujui", "Aktif", family["member"].full_name, "1 Januari 2026", "31 Desember 2026"):
        assert text in html, text
    assert "Rujuk ke program lain" in html


def test_it_shows_the_last_transition_with_its_date_label_and_reason(cast, family):
    data = household_programs(user=cast["admin"], household=family["household"])
    rows = {row["program"]["name"]: row for row in data["enrollments"]}
    assert rows[OWN_NAME]["last"]["label"] == "Kepesertaan disetujui"
    assert rows[OWN_NAME]["last"]["reason"] == "Dikunjungi petugas"
    assert rows[OTHER_NAME]["last"]["label"] == "Kepesertaan dimulai"
    assert rows[OTHER_NAME]["last"]["at"] is not None
    assert rows[OTHER_NAME]["participant"] == family["member"].full_name
    assert rows[OWN_NAME]["participant"] == "Seluruh keluarga"
    assert rows[OWN_NAME]["money"] == {"committed": 900_000, "disbursed": 0}


def test_it_shows_an_officer_another_agencys_program_only_as_its_kind(cast, family, client_for):
    response = _page(client_for, cast["officer"], family["household"])
    html = response.content.decode()
    assert response.status_code == 200
    # Own agency's program: in full.
    assert OWN_NAME in html and OWN_MONEY in html
    # The other agency's program: kind and "lembaga lain" only, nowhere on the page (history included).
    assert "Pelatihan keterampilan" in html and "lembaga lain" in html
    for secret in (OTHER_NAME, OTHER_AGENCY, OTHER_MONEY, OTHER_REASON):
        assert secret not in html, secret
    data = household_programs(user=cast["officer"], household=family["household"])
    hidden = next(row for row in data["enrollments"] if row["level"] == "kind")
    assert hidden["program"] == {"kind": "Pelatihan keterampilan", "level": "kind", "name": None,
                                 "agency": "lembaga lain"}
    assert hidden["state_label"] == "Aktif"
    assert "money" not in hidden and "participant" not in hidden and "last" not in hidden and "url" not in hidden


def test_it_hides_the_other_direction_just_the_same(cast, family, client_for):
    html = _page(client_for, cast["officer_other"], family["household"]).content.decode()
    assert OTHER_NAME in html and OTHER_MONEY in html
    assert "Bantuan tunai" in html
    for secret in (OWN_NAME, "Suku Dinas Sosial Jakarta Barat", OWN_MONEY):
        assert secret not in html, secret


def test_it_links_only_the_enrollments_the_user_may_manage(cast, family):
    detail = _url("programs:enrollment_detail", family["own_enrollment"].pk)
    rows = household_programs(user=cast["officer"], household=family["household"])["enrollments"]
    own = next(row for row in rows if row["level"] == "full")
    other = next(row for row in rows if row["level"] == "kind")
    assert own.get("url") == detail
    assert "url" not in other
    for name in ("surveyor", "cadre", "resident"):
        rows = household_programs(user=cast[name], household=family["household"])["enrollments"]
        assert all(row.get("url") is None for row in rows), name


def test_it_shows_residents_their_own_familys_programs_by_name(cast, family, client_for):
    response = _page(client_for, cast["resident"], family["household"])
    html = response.content.decode()
    assert response.status_code == 200
    assert OWN_NAME in html and OTHER_NAME in html and OWN_MONEY in html
    assert "Rujuk ke program lain" not in html


def test_it_never_shows_another_family_to_a_resident(cast, family, client_for):
    assert _page(client_for, cast["resident_other"], family["household"]).status_code == 404
    assert household_programs(user=cast["resident_other"], household=family["household"]) is None


@pytest.mark.parametrize("name", ["surveyor", "cadre"])
def test_it_shows_local_helpers_names_and_states_but_no_money(cast, family, client_for, name):
    response = _page(client_for, cast[name], family["household"])
    html = response.content.decode()
    assert response.status_code == 200
    assert OWN_NAME in html and OTHER_NAME in html and "Disetujui" in html and "Aktif" in html
    # No money in the panel, nor in the history's enrollment events.
    for money in (OWN_MONEY, OTHER_MONEY, "Nilai manfaat"):
        assert money not in html, money
    assert "Rujuk ke program lain" not in html


@pytest.mark.parametrize("name", ["surveyor_other", "cadre_other", "officer_other"])
def test_it_gives_users_outside_the_scope_no_panel(cast, make_program, client_for, name):
    household = cast["households"]["rw1"]
    program = make_program("dinsos", budget=9_000_000, name=OWN_NAME)
    _enrol(cast["admin"], program, household)
    assert household_programs(user=cast[name], household=household) is None
    assert _page(client_for, cast[name], household).status_code == 404


def test_it_never_gives_evaluators_the_household_page_or_the_panel(cast, family, client_for):
    assert _page(client_for, cast["evaluator"], family["household"]).status_code in (403, 404)
    assert household_programs(user=cast["evaluator"], household=family["household"]) is None


def test_it_says_so_when_the_family_has_no_program(cast, client_for):
    html = _page(client_for, cast["admin"], cast["households"]["rw2"]).content.decode()
    assert "Keluarga ini belum terdaftar di program mana pun." in html
    assert "Belum ada rujukan untuk keluarga ini." in html


def test_it_shows_the_referral_path_in_order(cast, family, make_program):
    admin = cast["admin"]
    umkm = make_program("dinsos", budget=9_000_000, name="Modal UMKM Dinsos Uji", kind="enterprise",
                        benefit_kind="capital")
    first = referral_send(actor=admin, household=family["household"], from_program=family["own"],
                          to_program=family["other"], resident=family["member"], note="Siap ikut pelatihan")
    second = referral_send(actor=admin, household=family["household"], from_program=family["other"],
                           to_program=umkm, note="Lulus pelatihan")
    rows = household_programs(user=admin, household=family["household"])["referrals"]
    assert [(r["from"]["name"], r["to"]["name"], r["status_label"]) for r in rows] == [
        (OWN_NAME, OTHER_NAME, "Dikirim"), (OTHER_NAME, "Modal UMKM Dinsos Uji", "Dikirim"),
    ]
    assert rows[0]["note"] == "Siap ikut pelatihan"
    assert rows[0]["participant"] == family["member"].full_name
    assert rows[0].get("url") == reverse("programs:referral_detail", args=[first.pk])
    assert rows[1].get("url") == reverse("programs:referral_detail", args=[second.pk])


def test_it_shows_involved_officers_both_ends_of_a_referral_and_masks_the_others(cast, family, make_program,
                                                                                     agencies, client_for):
    from bansos.accounts.models import Agency, User

    admin = cast["admin"]
    referral_send(actor=admin, household=family["household"], from_program=family["own"],
                  to_program=family["other"], resident=family["member"], note="Siap ikut pelatihan")
    # Dinsos sent it: it sees where the family went.
    rows = household_programs(user=cast["officer"], household=family["household"])["referrals"]
    assert (rows[0]["from"]["name"], rows[0]["to"]["name"]) == (OWN_NAME, OTHER_NAME)
    # A third agency with a program of the family sees the path only as kinds.
    third = Agency.objects.create(name="Karang Taruna Duri Kepa", kind="community")
    officer_third = User.objects.create_user(username="officer_third", password="x" * 12, role="officer",
                                             agency=third)
    program = program_create(actor=admin, data=program_data(third, name="Program Karang Taruna Uji", kind="community"))
    program_status_set(actor=admin, program=program, status="open")
    _enrol(admin, program, family["household"], to=())
    rows = household_programs(user=officer_third, household=family["household"])["referrals"]
    assert rows[0]["from"]["name"] is None and rows[0]["to"]["name"] is None
    assert (rows[0]["from"]["kind"], rows[0]["to"]["kind"]) == ("Bantuan tunai", "Pelatihan keterampilan")
    assert rows[0]["note"] == "" and rows[0]["participant"] == "" and "url" not in rows[0]
    html = _page(client_for, officer_third, family["household"]).content.decode()
    for secret in (OWN_NAME, OTHER_NAME, "Siap ikut pelatihan", OTHER_AGENCY):
        assert secret not in html, secret


def test_it_offers_the_referral_form_to_staff_who_can_refer(cast, family, make_program):
    household = family["household"]
    assert household_programs(user=cast["admin"], household=household)["refer_url"] == reverse(
        "programs:referral_create", args=[household.pk])
    assert household_programs(user=cast["officer"], household=household)["refer_url"] is not None
    for name in ("surveyor", "cadre", "resident"):
        assert household_programs(user=cast[name], household=household)["refer_url"] is None, name


def test_it_offers_no_referral_form_to_an_officer_whose_agency_only_received_a_referral(cast, make_program):
    household = cast["households"]["rw2"]
    own = make_program("lsm", budget=9_000_000, name=OTHER_NAME)
    target = make_program("dinsos", budget=9_000_000, name=OWN_NAME)
    _enrol(cast["admin"], own, household)
    referral_send(actor=cast["admin"], household=household, from_program=own, to_program=target)
    data = household_programs(user=cast["officer"], household=household)
    assert data is not None  # the referral puts the family in the officer's scope
    assert data["refer_url"] is None


def _count_queries(user, household) -> int:
    with CaptureQueriesContext(connection) as ctx:
        household_programs(user=user, household=household)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["admin", "officer", "resident", "surveyor"])
def test_it_reads_the_whole_panel_in_two_queries_however_many_programs(cast, family, make_program, name):
    household = family["household"]
    before = _count_queries(cast[name], household)
    for i in range(4):
        program = make_program("dinsos" if i % 2 else "lsm", budget=9_000_000, name=f"Program Tambahan {i}")
        _enrol(cast["admin"], program, household)
        if i == 0:
            referral_send(actor=cast["admin"], household=household, from_program=program, to_program=family["own"])
        if i == 1:
            referral_send(actor=cast["admin"], household=household, from_program=program, to_program=family["other"],
                          resident=family["member"])
    assert Referral.objects.filter(household=household).count() == 2
    assert _count_queries(cast[name], household) == before == 2


def test_it_shows_the_officer_history_of_other_agencies_without_details(cast, family, client_for):
    from bansos.registry.panels import history_for
    from bansos.registry.selectors import household_history

    events = history_for(user=cast["officer"], events=household_history(household=family["household"]))
    other = [e for e in events if e.object_type == "programs.enrollment"
             and e.object_id == str(family["other_enrollment"].pk)]
    assert other and all(e.object_label == "Pelatihan keterampilan (lembaga lain)" for e in other)
    assert all(set(e.changes) <= {"state"} and e.reason == "" for e in other)
    # The stored events are untouched.
    from bansos.core.models import AuditEvent

    stored = AuditEvent.objects.get(pk=other[0].pk)
    assert OTHER_NAME in stored.object_label


def test_it_hides_history_details_in_the_api_as_on_the_page(cast, family):
    from bansos.registry.panels import history_for
    from bansos.registry.selectors import household_history

    # The admin reads everything, the officer only kinds for the other agency (same filter as the API).
    admin_labels = {e.object_label for e in history_for(user=cast["admin"],
                                                        events=household_history(household=family["household"]))}
    assert any(OTHER_NAME in label for label in admin_labels)
    officer_labels = {e.object_label for e in history_for(user=cast["officer"],
                                                          events=household_history(household=family["household"]))}
    assert not any(OTHER_NAME in label for label in officer_labels)


def test_it_keeps_an_admins_overlap_warning_from_naming_another_agencys_program(cast, make_program, client_for):
    from bansos.programs.services.overlap import overlap_policy_create

    admin = cast["admin"]
    household = cast["households"]["rw2"]
    overlap_policy_create(actor=admin, data={"kind_a": "cash", "kind_b": "training", "effect": "warn"})
    own = make_program("dinsos", budget=9_000_000, name=OWN_NAME)
    other = make_program("lsm", budget=9_000_000, name=OTHER_NAME, kind="training")
    _enrol(admin, own, household)
    enrollment = _enrol(admin, other, household, to=("verified",))
    svc.enrollment_approve(actor=admin, enrollment=enrollment, acknowledge_warnings=True)
    # The stored warning names the Dinsos program (the admin may know it) ...
    from bansos.core.models import AuditEvent

    stored = AuditEvent.objects.get(action="enrollment.approve", object_id=str(enrollment.pk))
    assert OWN_NAME in stored.changes["overlap_warning"]
    # ... the Yayasan officer reads its own approval without it.
    html = _page(client_for, cast["officer_other"], household).content.decode()
    assert OTHER_NAME in html
    assert OWN_NAME not in html
    assert "peringatan tumpang tindih dikonfirmasi" in html
