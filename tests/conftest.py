"""The shared cast: one user per role, an out-of-scope user of the same role, residents of two
households, and anonymous, over a small kelurahan with two RWs."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_household


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache (throttle counters, remembered counts), as a new
    process would: nothing one test left there decides another's outcome."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def areas(db):
    from bansos.core.models import RT, RW, Kelurahan, Posyandu

    Kelurahan.objects.create(code="31.73.05.1005", name="Duri Kepa", kecamatan="Kebon Jeruk",
                             city="Jakarta Barat", province="DKI Jakarta")
    rw1 = RW.objects.create(number=1)
    rw2 = RW.objects.create(number=2)
    rts = {
        "rt1": RT.objects.create(rw=rw1, number=1),
        "rt2": RT.objects.create(rw=rw1, number=2),
        "rt3": RT.objects.create(rw=rw2, number=1),
    }
    pos1 = Posyandu.objects.create(name="Posyandu Mawar", rw=rw1)
    pos1.rts.set([rts["rt1"], rts["rt2"]])
    pos2 = Posyandu.objects.create(name="Posyandu Melati", rw=rw2)
    pos2.rts.set([rts["rt3"]])
    return {"rw1": rw1, "rw2": rw2, **rts, "pos1": pos1, "pos2": pos2}


@pytest.fixture
def agencies(db):
    from bansos.accounts.models import Agency

    return {
        "dinsos": Agency.objects.create(name="Suku Dinas Sosial Jakarta Barat", kind="government"),
        "lsm": Agency.objects.create(name="Yayasan Peduli Duri Kepa", kind="ngo"),
    }


PASSWORD = "rahasia-uji-123"


def _user(username: str, role: str, **scope):
    from bansos.accounts.models import User

    return User.objects.create_user(username=username, password=PASSWORD, role=role,
                                    first_name=username.replace("_", " ").title(), **scope)


@pytest.fixture
def cast(areas, agencies):
    """Users by name. ``households`` holds one household in RW 1 (RT 1) and one in RW 2."""
    admin = _user("admin", "admin")
    households = {
        "rw1": make_household(actor=admin, rt=areas["rt1"], head_name="Budi Santoso"),
        "rw1_rt2": make_household(actor=admin, rt=areas["rt2"], head_name="Sri Wahyuni", female_head=True),
        "rw2": make_household(actor=admin, rt=areas["rt3"], head_name="Joko Susilo"),
    }
    users = {
        "admin": admin,
        "officer": _user("officer", "officer", agency=agencies["dinsos"]),
        "officer_other": _user("officer_other", "officer", agency=agencies["lsm"]),
        "surveyor": _user("surveyor", "surveyor", rw=areas["rw1"]),
        "surveyor_rt": _user("surveyor_rt", "surveyor", rw=areas["rw1"], rt=areas["rt2"]),
        "surveyor_other": _user("surveyor_other", "surveyor", rw=areas["rw2"]),
        "cadre": _user("cadre", "cadre", posyandu=areas["pos1"]),
        "cadre_other": _user("cadre_other", "cadre", posyandu=areas["pos2"]),
        "evaluator": _user("evaluator", "evaluator"),
        "resident": _user("resident", "resident", household=households["rw1"]),
        "resident_other": _user("resident_other", "resident", household=households["rw2"]),
    }
    users["households"] = households
    return users


@pytest.fixture
def client_for():
    """A logged-in test client for a user of the cast (None for anonymous)."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make
