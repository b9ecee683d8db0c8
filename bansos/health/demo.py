"""Demo posyandu data through the real services: a session a month for the last 12 months per posyandu, and
monthly visits of (up to) 15 under-fives of each posyandu's area with realistic growth.

Each child keeps their own place on the WHO curves (a height and a weight z drawn once, with a little noise a
month), so most grow normally, about one in six is stunted, a few are wasted, one is severely wasted (an
urgent-referral alert) and one stops gaining weight for the last three months (a 2T alert). Dates are relative
to today, so the current month's session is always there.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from bansos.core.errors import DomainError
from bansos.core.models import Posyandu
from bansos.health import growth
from bansos.health.models import PosyanduSession
from bansos.health.selectors import under_fives
from bansos.health.services import session_open, visit_record

MONTHS = 12
CHILDREN_PER_POSYANDU = 15
IMMUNIZATION_AT_MONTH = {0: ["HB0", "BCG", "POLIO1"], 2: ["DPT1", "POLIO2", "PCV1"], 3: ["DPT2", "POLIO3", "PCV2"],
                         4: ["DPT3", "POLIO4", "IPV1"], 9: ["MR1", "IPV2"], 12: ["PCV3"], 18: ["DPT4", "MR2"]}


def _month_date(today: dt.date, back: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - back
    return min(dt.date(index // 12, index % 12 + 1, 10), today)


def _value(indicator: str, sex: str, z: float, age: int) -> float:
    return growth.curve(indicator, sex, z, range(age, age + 1))[0][1]


def demo_health_create(*, actor, seed: int = 2026) -> dict[str, Any] | None:
    """Sessions and visits for every posyandu; None when there is no posyandu or health data exists already."""
    posyandus = list(Posyandu.objects.all())
    if not posyandus or PosyanduSession.objects.exists():
        return None
    rng = random.Random(seed)
    today = timezone.localdate()
    made = {"sessions": 0, "visits": 0, "refused": 0}
    flat_done = severe_done = False
    for posyandu in posyandus:
        sessions = []
        for back in range(MONTHS - 1, -1, -1):
            date = _month_date(today, back)
            sessions.append(session_open(actor=actor, posyandu=posyandu, date=date, place=f"Balai warga {posyandu.rw}"))
            made["sessions"] += 1
        children = list(under_fives(posyandu, today)[:CHILDREN_PER_POSYANDU])
        for child in children:
            roll = rng.random()
            z_h = rng.gauss(-2.6, 0.4) if roll < 0.17 else rng.gauss(-0.4, 0.8)
            z_w = 0.75 * z_h + rng.gauss(0, 0.5)
            if 0.17 <= roll < 0.22:
                z_w = rng.gauss(-2.4, 0.3)  # wasted
            severe = not severe_done and roll >= 0.9
            flat = not flat_done and not severe and roll >= 0.8
            severe_done |= severe
            flat_done |= flat
            for i, session in enumerate(sessions):
                age = (session.date - child.birth_date).days
                skip = rng.random() < 0.12 and not ((flat or severe) and i >= len(sessions) - 4)
                if age < 0 or age > growth.MAX_AGE_DAYS or skip:
                    continue
                zw = z_w + rng.gauss(0, 0.08)
                if severe and i == len(sessions) - 1:
                    zw = z_h - 3.6
                weight = _value(growth.WFA, child.sex, zw, age)
                if flat and i >= len(sessions) - 3:
                    weight = _value(growth.WFA, child.sex, z_w, (sessions[-4].date - child.birth_date).days)
                lying = age < growth.UNDER_TWO_DAYS
                length = _value(growth.HFA, child.sex, z_h + rng.gauss(0, 0.05), age)
                months = int(age / 30.4375)
                data = {"visit_date": session.date, "weight_kg": f"{weight:.2f}", "length_cm": f"{length:.1f}",
                        "position": "lying" if lying else "standing",
                        "immunizations": IMMUNIZATION_AT_MONTH.get(months, []),
                        "vitamin_a": ("blue" if months < 12 else "red") if session.date.month in (2, 8)
                        and months >= 6 else ""}
                if months >= 6:
                    data["muac_cm"] = f"{13.5 + 0.4 * zw + rng.gauss(0, 0.2):.1f}"
                try:
                    visit_record(actor=actor, session=session, child=child, data=data)
                    made["visits"] += 1
                except DomainError:
                    made["refused"] += 1
    return made
