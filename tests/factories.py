"""Test data built with the real services where that is as easy as a factory."""

from __future__ import annotations

import datetime as dt
import itertools

from bansos.registry.identifiers import build_kk, build_nik

_serial = itertools.count(1)


def nik_for(birth_date: dt.date, sex: str, region: str = "317305") -> str:
    return build_nik(region=region, birth_date=birth_date, sex=sex, serial=next(_serial) % 9999 + 1)


def kk_number(region: str = "317305", registered: dt.date = dt.date(2015, 3, 2)) -> str:
    return build_kk(region=region, registered=registered, serial=next(_serial) % 9999 + 1)


def person(name: str, sex: str, birth_date: dt.date, relation: str, **extra) -> dict:
    data = {
        "nik": nik_for(birth_date, sex),
        "full_name": name,
        "sex": sex,
        "birth_place": "Jakarta",
        "birth_date": birth_date,
        "relation": relation,
        "marital_status": "married" if relation in ("head", "spouse") else "single",
    }
    data.update(extra)
    return data


def family_members(head_name: str = "Budi Santoso", *, female_head: bool = False) -> list[dict]:
    if female_head:
        return [
            person(head_name, "P", dt.date(1980, 5, 17), "head", marital_status="widowed"),
            person("Rina Lestari", "P", dt.date(2012, 8, 1), "child", school_enrolment="enrolled"),
        ]
    return [
        person(head_name, "L", dt.date(1978, 8, 17), "head", occupation="Pedagang"),
        person("Siti Aminah", "P", dt.date(1982, 2, 3), "spouse"),
        person("Andi Pratama", "L", dt.date(2010, 11, 20), "child", school_enrolment="enrolled"),
        person("Dewi Anggraini", "P", dt.date(2023, 1, 9), "child"),
    ]


def household_data(rt, **extra) -> dict:
    data = {
        "kk_number": kk_number(),
        "rt": rt,
        "address": "Jl. Duri Raya No. 12",
        "legal_basis": "public_task",
        "monthly_income": 2_500_000,
    }
    data.update(extra)
    return data


def make_household(*, actor, rt, head_name: str = "Budi Santoso", female_head: bool = False, **extra):
    from bansos.registry.services import household_create

    return household_create(
        actor=actor,
        data=household_data(rt, **extra),
        members=family_members(head_name, female_head=female_head),
        reason="pendataan awal",
    )
