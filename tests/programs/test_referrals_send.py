"""Sending a family to another program from the household page ("Rujuk ke program lain")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansos.core.models import AuditEvent
from bansos.programs.models import Referral, ReferralStatus
from bansos.programs.services import enrollment as svc
from bansos.programs.services.referrals import referral_send

CASH = "Bantuan Tunai Dinsos Uji"
TRAINING = "Pelatihan Menjahit Yayasan Uji"
OTHER_CASH = "Bantuan Tunai Yayasan Uji"


def _snapshot():
    return list(Referral.objects.order_by("pk").values()), AuditEvent.objects.count()


@pytest.fixture
def setup(cast, make_program):
    admin = cast["admin"]
    household = cast["households"]["rw1"]
    cash = make_program("dinsos", budget=9_000_000, name=CASH)
    training = make_program("lsm", name=TRAINING, kind="training", participant="resident", benefit_kind="course",
                            benefit_amount=0)
    other_cash = make_program("lsm", name=OTHER_CASH)
    svc.enrollment_apply(actor=admin, program=cash, household=household)
    svc.enrollment_apply(actor=admin, program=other_cash, household=household)
    return {"household": household, "cash": cash, "training": training, "other_cash": other_cash,
            "member": household.residents.get(relation="spouse")}


def _url(household):
    return reverse("programs:referral_create", args=[household.pk])


def _send(client_for, user, household, **data):
    return client_for(user).post(_url(household), data)


def test_it_shows_the_officer_the_form_with_own_programs_as_origin(cast, setup, client_for):
    response = client_for(cast["officer"]).get(_url(setup["household"]))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["from_program"].queryset) == [setup["cash"]]
    assert form.fields["from_program"].required is True
    # Every open or running program of every agency is a target: the catalog is public.
    assert set(form.fields["to_program"].queryset) == {setup["cash"], setup["training"], setup["other_cash"]}
    assert {m.full_name for m in form.fields["resident"].queryset} == {
        r.full_name for r in setup["household"].residents.all()}


def test_it_sends_a_referral_from_an_officers_own_program(cast, setup, client_for):
    response = _send(client_for, cast["officer"], setup["household"], from_program=setup["cash"].pk,
                     to_program=setup["training"].pk, resident=setup["member"].pk, note="Ingin menjahit")
    assert response.status_code == 302
    assert response["Location"].endswith("#program-bantuan")
    referral = Referral.objects.get()
    assert (referral.from_program, referral.to_program, referral.resident, referral.status, referral.note) == (
        setup["cash"], setup["training"], setup["member"], ReferralStatus.SENT, "Ingin menjahit")
    event = AuditEvent.objects.get(action="referral.send")
    assert (event.actor, event.household_id) == (cast["officer"], setup["household"].pk)
    # The receiving agency now reaches the family.
    page = client_for(cast["officer_other"]).get(reverse("registry:household_detail", args=[setup["household"].pk]))
    assert page.status_code == 200


def test_it_refuses_another_agencys_program_as_origin_and_changes_nothing(cast, setup, client_for):
    before = _snapshot()
    response = _send(client_for, cast["officer"], setup["household"], from_program=setup["other_cash"].pk,
                     to_program=setup["training"].pk, resident=setup["member"].pk)
    assert response.status_code == 422
    assert "Pilih program asal: program lembaga Anda yang diikuti keluarga ini." in response.content.decode()
    assert _snapshot() == before


def test_it_requires_an_origin_from_an_officer(cast, setup, client_for):
    before = _snapshot()
    response = _send(client_for, cast["officer"], setup["household"], to_program=setup["training"].pk,
                     resident=setup["member"].pk)
    assert response.status_code == 422
    assert _snapshot() == before


def test_it_lets_the_admin_refer_without_an_origin(cast, setup, client_for):
    response = client_for(cast["admin"]).get(_url(setup["household"]))
    assert response.context["form"].fields["from_program"].required is False
    assert set(response.context["form"].fields["from_program"].queryset) == {setup["cash"], setup["other_cash"]}
    response = _send(client_for, cast["admin"], setup["household"], to_program=setup["training"].pk,
                     resident=setup["member"].pk)
    assert response.status_code == 302
    assert Referral.objects.get().from_program is None


def test_it_requires_the_member_for_a_person_program(cast, setup, client_for):
    before = _snapshot()
    response = _send(client_for, cast["officer"], setup["household"], from_program=setup["cash"].pk,
                     to_program=setup["training"].pk)
    assert response.status_code == 422
    assert "Program ini untuk perorangan: pilih anggota keluarga yang menjadi peserta." in response.content.decode()
    assert _snapshot() == before


def test_it_ignores_a_member_chosen_for_a_household_program(cast, setup, make_program, client_for):
    savings = make_program("lsm", name="Tabungan Keluarga Uji", kind="community", participant="household",
                           benefit_kind="service", benefit_amount=0)
    response = _send(client_for, cast["officer"], setup["household"], from_program=setup["cash"].pk,
                     to_program=savings.pk, resident=setup["member"].pk)
    assert response.status_code == 302
    assert Referral.objects.get().resident is None


def test_it_refuses_a_second_pending_referral_to_the_same_program(cast, setup, client_for):
    referral_send(actor=cast["officer"], household=setup["household"], from_program=setup["cash"],
                  to_program=setup["training"], resident=setup["member"])
    before = _snapshot()
    response = _send(client_for, cast["officer"], setup["household"], from_program=setup["cash"].pk,
                     to_program=setup["training"].pk, resident=setup["member"].pk)
    assert response.status_code == 422
    assert "sudah dirujuk ke program tersebut" in response.content.decode()
    assert _snapshot() == before


def test_it_refuses_referring_to_the_origin_itself(cast, setup, client_for):
    before = _snapshot()
    response = _send(client_for, cast["officer"], setup["household"], from_program=setup["cash"].pk,
                     to_program=setup["cash"].pk)
    assert response.status_code == 422
    assert "Program tujuan harus berbeda dari program asal." in response.content.decode()
    assert _snapshot() == before


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_it_offers_only_programs_that_accept_participants(cast, setup, make_program, client_for, status):
    idle = make_program("lsm", name="Program Tidak Aktif Uji", status=status)
    form = client_for(cast["officer"]).get(_url(setup["household"])).context["form"]
    assert idle not in set(form.fields["to_program"].queryset)
    before = _snapshot()
    response = _send(client_for, cast["officer"], setup["household"], from_program=setup["cash"].pk,
                     to_program=idle.pk)
    assert response.status_code == 422
    assert "Pilih program tujuan yang sedang menerima peserta." in response.content.decode()
    assert _snapshot() == before


def test_it_refuses_an_officer_whose_agency_has_no_program_with_the_family(cast, setup, make_program, client_for):
    household = cast["households"]["rw2"]
    target = make_program("dinsos", name="Program Dinsos Lain")
    source = make_program("lsm", name="Program Yayasan Asal")
    svc.enrollment_apply(actor=cast["admin"], program=source, household=household)
    referral_send(actor=cast["admin"], household=household, from_program=source, to_program=target)
    before = _snapshot()
    # The family is in the officer's scope (referred to Dinsos) but Dinsos has no program of it to refer from.
    assert client_for(cast["officer"]).get(_url(household)).status_code == 403
    assert _send(client_for, cast["officer"], household, to_program=setup["training"].pk).status_code == 403
    assert _snapshot() == before


def test_it_hides_families_outside_the_officers_scope(cast, setup, client_for):
    household = cast["households"]["rw2"]  # no program of Dinsos, no referral to it
    assert client_for(cast["officer"]).get(_url(household)).status_code == 404


@pytest.mark.parametrize("name", ["surveyor", "cadre", "resident", "evaluator"])
def test_it_refuses_roles_that_do_not_refer(cast, setup, client_for, name):
    before = _snapshot()
    assert client_for(cast[name]).get(_url(setup["household"])).status_code == 403
    response = _send(client_for, cast[name], setup["household"], from_program=setup["cash"].pk,
                     to_program=setup["training"].pk, resident=setup["member"].pk)
    assert response.status_code == 403
    assert _snapshot() == before


def test_it_refuses_an_inactive_family(cast, setup, client_for):
    from bansos.registry.services import household_set_status

    household_set_status(actor=cast["admin"], household=setup["household"], status="moved", reason="Pindah")
    before = _snapshot()
    response = _send(client_for, cast["admin"], setup["household"], to_program=setup["other_cash"].pk)
    assert response.status_code == 422
    assert "Keluarga ini tidak aktif di registri." in response.content.decode()
    assert _snapshot() == before
