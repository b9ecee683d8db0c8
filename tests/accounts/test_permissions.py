"""The permission table and household scope, checked for every member of the cast both ways."""

import pytest

from bansos.accounts.permissions import P, has_perm, household_scope
from bansos.core.errors import PermissionDeniedError
from bansos.core.models import AuditEvent
from bansos.registry import services
from bansos.registry.models import Household
from tests.factories import family_members, household_data

# Who may see which household of the cast: rw1 (RT 1/RW 1), rw1_rt2 (RT 2/RW 1), rw2 (RT 1/RW 2).
VISIBLE = {
    "admin": {"rw1", "rw1_rt2", "rw2"},
    "surveyor": {"rw1", "rw1_rt2"},
    "surveyor_rt": {"rw1_rt2"},
    "surveyor_other": {"rw2"},
    "cadre": {"rw1", "rw1_rt2"},
    "cadre_other": {"rw2"},
    "officer": set(),
    "officer_other": set(),
    "evaluator": set(),
    "resident": {"rw1"},
    "resident_other": {"rw2"},
}

MAY_CHANGE = {
    "admin": {"rw1", "rw1_rt2", "rw2"},
    "surveyor": {"rw1", "rw1_rt2"},
    "surveyor_rt": {"rw1_rt2"},
    "surveyor_other": {"rw2"},
}


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_it_scopes_household_visibility(cast, who):
    user = cast[who]
    households = cast["households"]
    visible = set(Household.objects.filter(household_scope(user)).values_list("pk", flat=True))
    assert visible == {households[name].pk for name in VISIBLE[who]}
    for name, household in households.items():
        assert has_perm(user, P.HOUSEHOLD_VIEW, household) is (name in VISIBLE[who])


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_it_allows_changes_only_to_staff_in_scope(cast, who):
    for name, household in cast["households"].items():
        expected = name in MAY_CHANGE.get(who, set())
        assert has_perm(cast[who], P.RESIDENT_CHANGE, household) is expected
        assert has_perm(cast[who], P.HOUSEHOLD_CHANGE, household) is expected


@pytest.mark.parametrize("who, full", [("admin", True), ("surveyor", True), ("cadre", False), ("resident", False),
                                       ("officer", False), ("evaluator", False)])
def test_it_shows_full_nik_only_to_roles_that_need_it(cast, who, full):
    assert has_perm(cast[who], P.NIK_FULL, cast["households"]["rw1"]) is full


def test_it_refuses_everything_to_anonymous_and_inactive_users(cast):
    from django.contrib.auth.models import AnonymousUser

    admin = cast["admin"]
    admin.is_active = False
    for user in (AnonymousUser(), admin, None):
        assert has_perm(user, P.HOUSEHOLD_VIEW) is False
        assert not Household.objects.filter(household_scope(user)).exists()


@pytest.mark.parametrize("who, rt, allowed", [
    ("admin", "rt3", True), ("surveyor", "rt2", True), ("surveyor", "rt3", False),
    ("surveyor_rt", "rt2", True), ("surveyor_rt", "rt1", False), ("cadre", "rt1", False),
    ("officer", "rt1", False), ("evaluator", "rt1", False), ("resident", "rt1", False),
])
def test_it_lets_only_scoped_staff_register_households(cast, areas, who, rt, allowed):
    households = Household.objects.count()
    events = AuditEvent.objects.count()
    data = household_data(areas[rt])
    if allowed:
        household = services.household_create(actor=cast[who], data=data, members=family_members())
        assert household.rt == areas[rt]
        assert Household.objects.count() == households + 1
    else:
        with pytest.raises(PermissionDeniedError):
            services.household_create(actor=cast[who], data=data, members=family_members())
        assert Household.objects.count() == households
        assert AuditEvent.objects.count() == events
