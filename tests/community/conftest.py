"""Community fixtures: resident accounts with their person, a listed cash program with beneficiaries in RW 1."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.programs.conftest import enrol, households, make_program, source  # noqa: F401


def years_ago(years: int, *, days: int = 0) -> dt.date:
    on = timezone.localdate()
    try:
        born = on.replace(year=on.year - years)
    except ValueError:  # 29 February
        born = on.replace(year=on.year - years, day=28)
    return born + dt.timedelta(days=days)


@pytest.fixture
def people(cast):
    """The cast's residents with their household head as the account's person (the portal's activation)."""
    for key in ("resident", "resident_other"):
        user = cast[key]
        user.resident = user.household.residents.get(relation="head", status="active")
        user.save(update_fields=["resident"])
    return cast


@pytest.fixture
def cash(make_program):
    return make_program("dinsos", budget=10_000_000, status="running", name="BLT Uji Partisipasi")


@pytest.fixture
def beneficiaries(cast, cash, households, enrol):
    """Three active beneficiaries of the cash program in RW 1 (RT 1 and RT 2) and one in RW 2."""
    homes = households(2, "rt1") + households(1, "rt2") + households(1, "rt3")
    return [enrol(cash, h, "active") for h in homes]


@pytest.fixture
def listed(cast, cash, agencies, beneficiaries):
    from bansos.community.services.listing import listing_settings_update

    listing_settings_update(actor=cast["admin"], enabled=True, audience="residents", masking="stars",
                            programs=[cash], agencies=[agencies["dinsos"]])
    return beneficiaries


@pytest.fixture
def resident_in(cast, areas, people):
    """``resident_in("rt1", name="Ani Lestari", age=20)`` -> a new resident account of a new household."""
    from bansos.accounts.models import User
    from bansos.registry.services import household_create
    from tests.factories import household_data, person

    count = {"n": 0}

    def make(rt: str = "rt1", *, name: str = "Ani Lestari", age: int | None = 40, born: dt.date | None = None,
             sex: str = "P"):
        count["n"] += 1
        born = born or years_ago(age, days=-30)
        home = household_create(actor=cast["admin"], data=household_data(areas[rt]), reason="pendataan uji",
                                members=[person(name, sex, born, "head")])
        return User.objects.create_user(username=f"warga_uji_{count['n']}", password="x-uji-123456",
                                        role="resident", household=home, resident=home.residents.get(),
                                        first_name=name)

    return make
