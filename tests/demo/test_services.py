"""The demo seed: areas, agencies, households and one account per role."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bansos.accounts.models import Agency, Role, User
from bansos.core.errors import DomainError
from bansos.core.models import RT, RW, AuditEvent, Kelurahan, Posyandu
from bansos.demo.areas import duri_kepa_create, plan_layout
from bansos.demo.generator import generate_households
from bansos.demo.services import (
    DEMO_AGENCIES, MSG_NOT_EMPTY, PASSWORD_UNCHANGED, demo_accounts_create, demo_agencies_create, demo_password,
    demo_prepare, demo_seed,
)
from bansos.registry.identifiers import check_nik_matches, parse_kk, parse_nik
from bansos.registry.models import Household, Resident
from bansos.registry.names import name_key

pytestmark = pytest.mark.django_db

SIZE = 150


def test_it_creates_duri_kepa_with_seventeen_rws_and_posyandu_over_every_rt():
    summary = duri_kepa_create(2400)
    kelurahan = Kelurahan.objects.get()
    assert (kelurahan.code, kelurahan.name, kelurahan.kecamatan) == ("31.73.05.1005", "Duri Kepa", "Kebon Jeruk")
    assert list(RW.objects.values_list("number", flat=True)) == list(range(1, 18))
    assert summary.rts == RT.objects.count() == sum(plan_layout(2400).values()) == 20
    served = Posyandu.rts.through.objects.values_list("rt_id", flat=True)
    assert sorted(served) == sorted(RT.objects.values_list("pk", flat=True))
    for posyandu in Posyandu.objects.all():
        assert {rt.rw_id for rt in posyandu.rts.all()} == {posyandu.rw_id}


def test_creating_the_areas_again_changes_nothing():
    duri_kepa_create(2400)
    before = (RT.objects.count(), Posyandu.objects.count(), Posyandu.rts.through.objects.count())
    summary = duri_kepa_create(2400)
    assert summary.created_rts == 0
    assert (RT.objects.count(), Posyandu.objects.count(), Posyandu.rts.through.objects.count()) == before


def test_it_seeds_an_empty_registry_with_the_generated_population():
    calls = []
    summary = demo_seed(households=SIZE, seed=11, progress=lambda done, total: calls.append((done, total)))
    expected = list(generate_households(seed=11, count=SIZE, areas=sorted(
        (rw, rt) for rw, rt in RT.objects.values_list("rw__number", "number"))))
    assert summary["households"] == Household.objects.count() == SIZE
    assert summary["residents"] == Resident.objects.count() == sum(len(h.members) for h in expected)
    assert calls[-1] == (SIZE, SIZE)
    event = AuditEvent.objects.get(action="registry.seed")
    assert event.changes == {"households": [None, SIZE], "residents": [None, summary["residents"]],
                             "seed": [None, 11]}
    assert AuditEvent.objects.count() == 1
    first = Household.objects.order_by("pk").first()
    assert first.kk_number == expected[0].household["kk_number"]
    assert (first.rt.rw.number, first.rt.number) == (expected[0].rw, expected[0].rt)
    assert sorted(first.residents.values_list("nik", flat=True)) == sorted(m["nik"] for m in expected[0].members)


def test_seeded_rows_hold_valid_identifiers_and_search_keys():
    demo_seed(households=SIZE, seed=11)
    for kk in Household.objects.values_list("kk_number", flat=True):
        parse_kk(kk)
    for resident in Resident.objects.all():
        check_nik_matches(parse_nik(resident.nik), sex=resident.sex, birth_date=resident.birth_date)
        assert resident.name_key == name_key(resident.full_name)
        assert resident.created_at is not None


def test_rows_added_after_the_seed_get_fresh_ids():
    demo_seed(households=SIZE, seed=11)
    rt = RT.objects.first()
    household = Household.objects.create(kk_number="3173050101200001", rt=rt, address="Jl. Duri Raya No. 1")
    assert household.pk == Household.objects.count()


def test_it_refuses_to_seed_twice_and_changes_nothing():
    demo_seed(households=SIZE, seed=11)
    counts = (Household.objects.count(), Resident.objects.count(), AuditEvent.objects.count(), RT.objects.count())
    with pytest.raises(DomainError) as caught:
        demo_seed(households=SIZE, seed=12)
    assert caught.value.code == "registry_not_empty"
    assert caught.value.text == str(MSG_NOT_EMPTY) % {"count": SIZE}
    assert (Household.objects.count(), Resident.objects.count(), AuditEvent.objects.count(),
            RT.objects.count()) == counts


def test_demo_prepare_seeds_once_then_returns_none():
    assert demo_prepare(households=SIZE, seed=11)["households"] == SIZE
    assert demo_prepare(households=SIZE, seed=11) is None
    assert Household.objects.count() == SIZE
    assert Agency.objects.count() == len(DEMO_AGENCIES)


def test_it_creates_the_demo_agencies_once():
    demo_agencies_create()
    demo_agencies_create()
    assert sorted(Agency.objects.values_list("kind", flat=True)) == sorted(k for _n, k, _c in DEMO_AGENCIES)
    assert AuditEvent.objects.filter(action="agency.create").count() == len(DEMO_AGENCIES)


def test_it_creates_one_account_per_role_with_a_valid_scope():
    demo_seed(households=SIZE, seed=11)
    demo_agencies_create()
    accounts = demo_accounts_create()
    users = {u.username: u for u in User.objects.all()}
    assert sorted(u.role for u in users.values()) == sorted(Role.values)
    assert [a.username for a in accounts] == list(users)
    for account in accounts:
        user = users[account.username]
        assert user.check_password(account.password)
        assert account.password == demo_password(account.username)
        assert account.scope == user.scope_label
    by_role = {u.role: u for u in users.values()}
    assert by_role[Role.OFFICER].agency.name == "Suku Dinas Sosial Jakarta Barat"
    assert by_role[Role.SURVEYOR].rw.number == 1
    assert by_role[Role.CADRE].posyandu.rw.number == 1
    household = by_role[Role.RESIDENT].household
    assert household.rt.rw.number == 1
    members = list(household.residents.all())
    head = next(m for m in members if m.relation == "head")
    assert head.sex == "P"
    assert any(m.relation == "child" for m in members)


def test_running_the_accounts_again_resets_nothing():
    demo_seed(households=SIZE, seed=11)
    demo_agencies_create()
    first = demo_accounts_create()
    admin = User.objects.get(username="admin")
    admin.set_password("kata-sandi-baru-saya-99")
    admin.save()
    events = AuditEvent.objects.count()
    again = demo_accounts_create()
    assert [a.username for a in again] == [a.username for a in first]
    assert again[0].password == str(PASSWORD_UNCHANGED)
    assert [a.password for a in again[1:]] == [a.password for a in first[1:]]
    assert User.objects.get(username="admin").check_password("kata-sandi-baru-saya-99")
    assert AuditEvent.objects.count() == events


def test_the_seed_command_prints_the_result_and_refuses_a_second_run(capsys):
    call_command("seed", households=40, seed=3)
    out = capsys.readouterr().out
    assert "Data demo dibuat: 40 keluarga" in out
    assert "warga.rw01" in out
    with pytest.raises(CommandError):
        call_command("seed", households=40, seed=3)
    assert Household.objects.count() == 40
