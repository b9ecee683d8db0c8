"""Users: list, create, edit, deactivate and reactivate; admin only, audited, never the password."""

from __future__ import annotations

import pytest

from bansos.accounts import services
from bansos.accounts.models import User
from bansos.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from bansos.core.models import AuditEvent

STRONG = "Kelapa-Muda-2025!"


def _post_user(**extra) -> dict:
    data = {
        "username": "pak_rt", "first_name": "Pak Harun", "phone": "081234567890", "role": "surveyor",
        "agency": "", "rw": "", "rt": "", "posyandu": "", "kk_number": "", "password": STRONG,
    }
    data.update(extra)
    return data


def test_it_lists_users_for_the_admin_with_filters(cast, client_for):
    client = client_for(cast["admin"])
    response = client.get("/akun/pengguna/", {"role": "surveyor", "active": "1"})
    assert response.status_code == 200
    names = [u.username for u in response.context["page"]]
    assert names == ["surveyor", "surveyor_other", "surveyor_rt"]


def test_it_filters_inactive_users(cast, client_for):
    services.user_set_active(actor=cast["admin"], user=cast["cadre_other"], active=False)
    response = client_for(cast["admin"]).get("/akun/pengguna/", {"active": "0"})
    assert [u.username for u in response.context["page"]] == ["cadre_other"]


def test_the_user_list_does_not_grow_queries_with_users(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast["admin"])
    with django_assert_max_num_queries(8):
        response = client.get("/akun/pengguna/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 11


@pytest.mark.parametrize("name", ["surveyor", "officer", "cadre", "evaluator", "resident"])
def test_it_refuses_the_user_pages_to_other_roles(cast, client_for, name):
    client = client_for(cast[name])
    assert client.get("/akun/pengguna/").status_code == 403
    assert client.get("/akun/pengguna/baru/").status_code == 403
    assert client.get(f"/akun/pengguna/{cast['cadre'].pk}/").status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(cast, client_for):
    response = client_for(None).get("/akun/pengguna/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")


def test_it_creates_a_surveyor_with_an_audit_event_without_the_password(cast, areas, client_for):
    client = client_for(cast["admin"])
    before = AuditEvent.objects.count()
    response = client.post("/akun/pengguna/baru/", _post_user(rw=areas["rw1"].pk, rt=areas["rt2"].pk))
    assert response.status_code == 302
    user = User.objects.get(username="pak_rt")
    assert (user.role, user.rw_id, user.rt_id, user.first_name, user.phone) == (
        "surveyor", areas["rw1"].pk, areas["rt2"].pk, "Pak Harun", "081234567890"
    )
    assert user.check_password(STRONG)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor_name, event.object_id) == ("user.create", "admin", str(user.pk))
    assert event.changes["rw"] == [None, "RW 01"]
    text = str(event.changes) + event.reason
    assert STRONG not in text and "password" not in event.changes
    assert user.password not in text


def test_it_refuses_creation_by_a_surveyor_and_changes_nothing(cast, areas, client_for):
    users, events = User.objects.count(), AuditEvent.objects.count()
    response = client_for(cast["surveyor"]).post("/akun/pengguna/baru/", _post_user(rw=areas["rw1"].pk))
    assert response.status_code == 403
    assert User.objects.count() == users
    assert AuditEvent.objects.count() == events


def test_the_service_refuses_a_non_admin(cast, areas):
    users, events = User.objects.count(), AuditEvent.objects.count()
    with pytest.raises(PermissionDeniedError):
        services.user_create(actor=cast["officer"], username="x", full_name="X", role="evaluator", password=STRONG)
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"role": "officer"}, "agency", services.MSG_AGENCY_REQUIRED),
        ({"role": "surveyor"}, "rw", services.MSG_RW_REQUIRED),
        ({"role": "cadre"}, "posyandu", services.MSG_POSYANDU_REQUIRED),
        ({"role": "resident"}, "kk_number", services.MSG_KK_REQUIRED),
        ({"role": "resident", "kk_number": "3173050203150999"}, "kk_number", services.MSG_KK_NOT_FOUND),
        ({"role": "evaluator", "username": "ADMIN"}, "username", services.MSG_USERNAME_TAKEN),
    ],
)
def test_it_refuses_a_user_without_the_scope_its_role_needs(cast, client_for, extra, field, message):
    users, events = User.objects.count(), AuditEvent.objects.count()
    response = client_for(cast["admin"]).post("/akun/pengguna/baru/", _post_user(**extra))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [str(message)]
    assert str(message) in response.content.decode()
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


def test_it_refuses_an_rt_outside_the_chosen_rw(cast, areas, client_for):
    users = User.objects.count()
    response = client_for(cast["admin"]).post(
        "/akun/pengguna/baru/", _post_user(rw=areas["rw2"].pk, rt=areas["rt1"].pk)
    )
    assert response.context["form"].errors["rt"] == [str(services.MSG_RT_NOT_IN_RW)]
    assert User.objects.count() == users


def test_it_refuses_a_weak_password(cast, areas, client_for):
    users, events = User.objects.count(), AuditEvent.objects.count()
    response = client_for(cast["admin"]).post(
        "/akun/pengguna/baru/", _post_user(role="evaluator", password="12345678")
    )
    errors = response.context["form"].errors["password"]
    assert len(errors) == 3  # too short, too common, entirely numeric
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


def test_it_links_a_resident_account_by_kk_number(cast, client_for):
    household = cast["households"]["rw1_rt2"]
    response = client_for(cast["admin"]).post(
        "/akun/pengguna/baru/", _post_user(username="bu_sri", role="resident", kk_number=household.kk_number)
    )
    assert response.status_code == 302
    assert User.objects.get(username="bu_sri").household_id == household.pk


def test_it_clears_scope_fields_the_role_does_not_use(cast, areas, agencies):
    user = services.user_create(
        actor=cast["admin"], username="kader_baru", full_name="Kader Baru", role="cadre", password=STRONG,
        posyandu=areas["pos1"], agency=agencies["lsm"], rw=areas["rw1"],
    )
    assert (user.posyandu_id, user.agency_id, user.rw_id) == (areas["pos1"].pk, None, None)


def test_it_changes_role_and_scope(cast, areas, agencies, client_for):
    target = cast["surveyor"]
    data = _post_user(role="officer", agency=agencies["lsm"].pk, first_name="Pak Surveyor")
    del data["username"], data["password"]
    response = client_for(cast["admin"]).post(f"/akun/pengguna/{target.pk}/", data)
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.role, target.agency_id, target.rw_id, target.rt_id) == ("officer", agencies["lsm"].pk, None, None)
    event = AuditEvent.objects.latest("id")
    assert event.action == "user.update"
    assert event.changes["role"] == ["surveyor", "officer"]
    assert event.changes["rw"] == ["RW 01", None]


def test_it_refuses_an_edit_by_a_surveyor_and_changes_nothing(cast, agencies, client_for):
    target = cast["cadre"]
    events = AuditEvent.objects.count()
    data = _post_user(role="admin")
    response = client_for(cast["surveyor"]).post(f"/akun/pengguna/{target.pk}/", data)
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.role == "cadre"
    assert AuditEvent.objects.count() == events


def test_it_refuses_an_admin_changing_their_own_role(cast):
    with pytest.raises(ValidationFailed) as info:
        services.user_update(actor=cast["admin"], user=cast["admin"], full_name="Admin", role="evaluator")
    assert info.value.errors == {"role": [str(services.MSG_SELF_ROLE)]}
    cast["admin"].refresh_from_db()
    assert cast["admin"].role == "admin"


def test_it_deactivates_and_reactivates_with_audit(cast, client_for):
    client = client_for(cast["admin"])
    target = cast["officer"]
    response = client.post(f"/akun/pengguna/{target.pk}/nonaktifkan/", {"active": "0", "reason": "pindah tugas"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_active is False
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.changes, event.reason) == ("user.deactivate", {"is_active": [True, False]},
                                                           "pindah tugas")
    client.post(f"/akun/pengguna/{target.pk}/nonaktifkan/", {"active": "1"})
    target.refresh_from_db()
    assert target.is_active is True
    assert AuditEvent.objects.latest("id").action == "user.reactivate"
    assert User.objects.filter(pk=target.pk).exists()


def test_it_refuses_an_admin_deactivating_themself(cast, client_for):
    events = AuditEvent.objects.count()
    client = client_for(cast["admin"])
    response = client.post(f"/akun/pengguna/{cast['admin'].pk}/nonaktifkan/", {"active": "0"}, follow=True)
    assert str(services.MSG_SELF_DEACTIVATE) in response.content.decode()
    cast["admin"].refresh_from_db()
    assert cast["admin"].is_active is True
    assert AuditEvent.objects.count() == events


def test_it_refuses_deactivation_by_a_surveyor_and_changes_nothing(cast, client_for):
    events = AuditEvent.objects.count()
    response = client_for(cast["surveyor"]).post(f"/akun/pengguna/{cast['cadre'].pk}/nonaktifkan/", {"active": "0"})
    assert response.status_code == 403
    cast["cadre"].refresh_from_db()
    assert cast["cadre"].is_active is True
    assert AuditEvent.objects.count() == events


def test_it_refuses_to_deactivate_twice(cast):
    services.user_set_active(actor=cast["admin"], user=cast["cadre"], active=False)
    with pytest.raises(DomainError) as info:
        services.user_set_active(actor=cast["admin"], user=cast["cadre"], active=False)
    assert info.value.code == "status_unchanged"


def test_it_answers_404_for_a_missing_user(cast, client_for):
    assert client_for(cast["admin"]).get("/akun/pengguna/999999/").status_code == 404
