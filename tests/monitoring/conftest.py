"""A small hand-built kelurahan with known answers for the default indicators."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.programs.conftest import enrol, households, make_program, source  # noqa: F401


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def month_before(day: dt.date, months: int = 1) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


@pytest.fixture
def known(cast, areas, make_program, enrol):
    """Three households (two in RW 1, one female-headed; one in RW 2) with known facts.

    - school age (7-18): Andi (RW 1, in school), Rina (RW 1, female head, in school), Andi (RW 2, dropped out)
    - deciles: both RW 1 households decile 2, the RW 2 household decile 9; RW 1's Budi family is enrolled
      (active) in a cash program with Rp 1.000.000 allocated
    - under-fives measured this month: Dewi of RW 1 (HAZ -2.5, stunted) and Dewi of RW 2 (HAZ -1.0)
    - a running business of the RW 1 Budi family
    """
    from bansos.core.models import Posyandu
    from bansos.health.models import ChildVisit, PosyanduSession
    from bansos.registry.models import Resident
    from bansos.umkm.models import Business
    from bansos.welfare.models import HouseholdWelfare, WelfareModel

    hh = cast["households"]
    Resident.objects.filter(household=hh["rw2"], relation="child", birth_date__year=2010).update(
        school_enrolment="dropped_out")
    model = WelfareModel.objects.filter(status="published").first() or WelfareModel.objects.create(
        version=99, name="uji", status="published", base_amount=500_000)
    now = timezone.now()
    for key, decile in (("rw1", 2), ("rw1_rt2", 2), ("rw2", 9)):
        HouseholdWelfare.objects.create(household=hh[key], model=model, per_capita=1, score=1.0, decile=decile,
                                        rank=decile, computed_at=now)
    cash = make_program("dinsos", budget=1_000_000, kind="cash", name="BLT Uji")
    enrol(cash, hh["rw1"], "active")
    today = timezone.localdate()
    for key, haz, pos in (("rw1", -2.5, areas["pos1"]), ("rw2", -1.0, areas["pos2"])):
        child = Resident.objects.get(household=hh[key], birth_date=dt.date(2023, 1, 9))
        session = PosyanduSession.objects.create(posyandu=Posyandu.objects.get(pk=pos.pk), month=this_month(),
                                                 date=today)
        ChildVisit.objects.create(session=session, child=child, household=hh[key], visit_date=today,
                                  age_days=(today - child.birth_date).days, haz=haz)
    umkm = make_program("dinsos", kind="enterprise", name="UMKM Uji")
    head = Resident.objects.get(household=hh["rw1"], relation="head")
    Business.objects.create(owner=head, household=hh["rw1"], program=umkm, name="Warung Budi", sector="retail",
                            products="sembako", started_on=dt.date(2020, 1, 1))
    return {"cash": cash, "umkm": umkm, **hh}


def cells(code: str, period: dt.date | None = None) -> dict[tuple[str, str], object]:
    from bansos.monitoring.models import SnapshotValue

    period = period or this_month()
    return {(v.breakdown, v.key): v for v in SnapshotValue.objects.filter(indicator__code=code, period=period)}
