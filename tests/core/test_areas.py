"""Area configuration: the kelurahan row, RWs, RTs and posyandu; admin only, audited, no duplicates."""

from __future__ import annotations

import pytest

from bansos.core import services
from bansos.core.errors import PermissionDeniedError, ValidationFailed
from bansos.core.models import RT, RW, AuditEvent, Kelurahan, Posyandu

KELURAHAN = {"code": "31.73.05.1005", "name": "Duri Kepa", "kecamatan": "Kebon Jeruk", "city": "Jakarta Barat",
             "province": "DKI Jakarta"}


def _counts():
    return (Kelurahan.objects.count(), RW.objects.count(), RT.objects.count(), Posyandu.objects.count(),
            AuditEvent.objects.count())


def test_it_shows_the_tree_with_household_counts_per_rt(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast["admin"])
    with django_assert_max_num_queries(10):
        response = client.get("/wilayah/")
    assert response.status_code == 200
    tree = [(n["rw"].number, n["households"], [(rt.number, rt.household_count) for rt in n["rts"]])
            for n in response.context["tree"]]
    assert tree == [(1, 2, [(1, 1), (2, 1)]), (2, 1, [(1, 1)])]


def test_the_tree_query_count_does_not_grow_with_rts(cast, areas, client_for, django_assert_num_queries):
    from bansos.core.selectors import area_tree

    with django_assert_num_queries(2):
        small = area_tree()
    for number in range(3, 13):
        RT.objects.create(rw=areas["rw1"], number=number)
    with django_assert_num_queries(2):
        big = area_tree()
    assert [len(n["rts"]) for n in small] == [2, 1]
    assert [len(n["rts"]) for n in big] == [12, 1]


def test_it_creates_the_kelurahan_when_missing_then_updates_it(admin_only, client_for):
    client = client_for(admin_only)
    response = client.post("/wilayah/kelurahan/", KELURAHAN)
    assert response.status_code == 302
    assert Kelurahan.objects.count() == 1
    assert AuditEvent.objects.latest("id").action == "kelurahan.create"
    client.post("/wilayah/kelurahan/", {**KELURAHAN, "name": "Duri Kepa Baru"})
    assert list(Kelurahan.objects.values_list("name", flat=True)) == ["Duri Kepa Baru"]
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.changes) == ("kelurahan.update", {"name": ["Duri Kepa", "Duri Kepa Baru"]})


@pytest.fixture
def admin_only(db):
    from bansos.accounts.models import User

    return User.objects.create_user(username="admin2", password="x-rahasia-123", role="admin")


def test_it_refuses_a_badly_formatted_kemendagri_code(cast, client_for):
    before = _counts()
    response = client_for(cast["admin"]).post("/wilayah/kelurahan/", {**KELURAHAN, "code": "3173051005"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [str(services.MSG_CODE_FORMAT)]
    assert _counts() == before
    assert Kelurahan.objects.get().code == "31.73.05.1005"


def test_it_creates_and_renames_an_rw(cast, client_for):
    client = client_for(cast["admin"])
    assert client.post("/wilayah/rw/baru/", {"number": "3", "name": "Kompleks Hijau"}).status_code == 302
    rw = RW.objects.get(number=3)
    assert rw.name == "Kompleks Hijau"
    assert AuditEvent.objects.latest("id").action == "rw.create"
    assert client.post(f"/wilayah/rw/{rw.pk}/", {"number": "4", "name": ""}).status_code == 302
    rw.refresh_from_db()
    assert (rw.number, rw.name) == (4, "")
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.changes) == ("rw.update", {"number": [3, 4], "name": ["Kompleks Hijau", ""]})


def test_it_refuses_a_duplicate_rw(cast, client_for):
    before = _counts()
    response = client_for(cast["admin"]).post("/wilayah/rw/baru/", {"number": "2"})
    assert response.context["form"].errors["number"] == [str(services.MSG_RW_TAKEN)]
    assert _counts() == before


def test_it_creates_an_rt_and_refuses_a_duplicate_within_its_rw(cast, areas, client_for):
    client = client_for(cast["admin"])
    before = _counts()
    response = client.post("/wilayah/rt/baru/", {"rw": areas["rw1"].pk, "number": "2"})
    assert response.context["form"].errors["number"] == [str(services.MSG_RT_TAKEN)]
    assert str(services.MSG_RT_TAKEN) in response.content.decode()
    assert _counts() == before
    # The same number in another RW is a different RT.
    assert client.post("/wilayah/rt/baru/", {"rw": areas["rw2"].pk, "number": "2"}).status_code == 302
    assert RT.objects.filter(rw=areas["rw2"], number=2).count() == 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.changes) == ("rt.create", {"rw": [None, "RW 02"], "number": [None, 2]})


def test_it_renumbers_an_rt_but_not_onto_a_taken_number(cast, areas, client_for):
    client = client_for(cast["admin"])
    rt = areas["rt2"]
    before = _counts()
    response = client.post(f"/wilayah/rt/{rt.pk}/", {"number": "1"})
    assert response.context["form"].errors["number"] == [str(services.MSG_RT_TAKEN)]
    assert _counts() == before
    assert client.post(f"/wilayah/rt/{rt.pk}/", {"number": "5"}).status_code == 302
    rt.refresh_from_db()
    assert rt.number == 5
    assert AuditEvent.objects.latest("id").changes == {"number": [2, 5]}


def test_it_creates_and_updates_a_posyandu_with_its_rts(cast, areas, client_for):
    client = client_for(cast["admin"])
    response = client.post("/wilayah/posyandu/baru/", {"name": "Posyandu Anggrek", "rw": areas["rw2"].pk,
                                                       "rts": [areas["rt3"].pk]})
    assert response.status_code == 302
    posyandu = Posyandu.objects.get(name="Posyandu Anggrek")
    assert [rt.pk for rt in posyandu.rts.all()] == [areas["rt3"].pk]
    event = AuditEvent.objects.latest("id")
    assert event.changes["rts"] == [None, ["RT 01/RW 02"]]
    client.post(f"/wilayah/posyandu/{posyandu.pk}/", {"name": "Posyandu Anggrek", "rw": areas["rw2"].pk,
                                                      "rts": [areas["rt3"].pk, areas["rt1"].pk]})
    assert sorted(rt.pk for rt in posyandu.rts.all()) == sorted([areas["rt1"].pk, areas["rt3"].pk])
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.changes) == (
        "posyandu.update", {"rts": [["RT 01/RW 02"], ["RT 01/RW 01", "RT 01/RW 02"]]}
    )


def test_it_refuses_a_duplicate_posyandu_name(cast, areas, client_for):
    before = _counts()
    response = client_for(cast["admin"]).post("/wilayah/posyandu/baru/", {"name": "posyandu mawar",
                                                                          "rw": areas["rw1"].pk})
    assert response.context["form"].errors["name"] == [str(services.MSG_POSYANDU_TAKEN)]
    assert _counts() == before


@pytest.mark.parametrize("name", ["surveyor", "officer", "cadre", "evaluator", "resident"])
def test_it_refuses_area_pages_to_other_roles_and_changes_nothing(cast, areas, client_for, name):
    client = client_for(cast[name])
    before = _counts()
    assert client.get("/wilayah/").status_code == 403
    assert client.post("/wilayah/kelurahan/", {**KELURAHAN, "name": "X"}).status_code == 403
    assert client.post("/wilayah/rw/baru/", {"number": "9"}).status_code == 403
    assert client.post(f"/wilayah/rw/{areas['rw1'].pk}/", {"number": "9"}).status_code == 403
    assert client.post("/wilayah/rt/baru/", {"rw": areas["rw1"].pk, "number": "9"}).status_code == 403
    assert client.post(f"/wilayah/rt/{areas['rt1'].pk}/", {"number": "9"}).status_code == 403
    assert client.post("/wilayah/posyandu/baru/", {"name": "P", "rw": areas["rw1"].pk}).status_code == 403
    assert client.post(f"/wilayah/posyandu/{areas['pos1'].pk}/", {"name": "P", "rw": areas["rw1"].pk}).status_code == 403
    assert _counts() == before
    assert Kelurahan.objects.get().name == "Duri Kepa"
    assert sorted(RW.objects.values_list("number", flat=True)) == [1, 2]


def test_the_services_refuse_a_surveyor(cast, areas):
    before = _counts()
    with pytest.raises(PermissionDeniedError):
        services.rw_create(actor=cast["surveyor"], number=7)
    with pytest.raises(PermissionDeniedError):
        services.rt_create(actor=cast["surveyor"], rw=areas["rw1"], number=7)
    assert _counts() == before


def test_the_service_refuses_a_number_below_one(cast):
    with pytest.raises(ValidationFailed) as info:
        services.rw_create(actor=cast["admin"], number=0)
    assert info.value.errors == {"number": [str(services.MSG_NUMBER_POSITIVE)]}
