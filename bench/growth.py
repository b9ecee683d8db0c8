"""``growth``: z-scores and Permenkes classifications of N generated posyandu visits (default 100,000).

Visits are generated in memory from a fixed seed (both sexes, ages 0-1856 days, lying under 2 years and
standing from 2 years with some measured the other way, weights and lengths drawn around the WHO medians
with a realistic spread incl. stunted and wasted children). Timed: ``bansos.health.growth.compute`` for
every visit (the four indicators, the 0.7 cm rule, the restricted ±3 SD rule, plausibility flags and the
four classifications), including the one-off load of the WHO tables. No database is involved: the engine
is pure computation; ``db`` in the RESULT line names the configured kind for uniformity.
"""

from __future__ import annotations

import os
import random
import time

SEED = 2026


def _visits(n: int):
    from bansos.health.growth import curve

    rng = random.Random(SEED)
    out = []
    for _ in range(n):
        sex = rng.choice("LP")
        age = rng.randint(0, 1856)
        z_h = rng.gauss(-0.9, 1.2)
        z_w = rng.gauss(-0.6, 1.1)
        length = curve("hfa", sex, z_h, range(age, age + 1))[0][1]
        weight = curve("wfa", sex, z_w, range(age, age + 1))[0][1]
        lying = age < 731 if rng.random() > 0.1 else age >= 731
        out.append((sex, age, round(weight, 2), round(length, 1), lying))
    return out


def run(size: int) -> str:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bansos.settings")
    django.setup()
    from bench.common import result_line

    db = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    visits = _visits(size)
    from bansos.health import growth

    growth.tables.cache_clear()
    refused = 0
    stunted = 0
    start = time.perf_counter()
    compute, implausible = growth.compute, growth.GrowthInputError
    for sex, age, weight, length, lying in visits:
        try:
            result = compute(sex=sex, age_days=age, weight_kg=weight, length_cm=length, lying=lying)
        except implausible:
            refused += 1
            continue
        if result.haz_class in ("pendek", "sangat_pendek"):
            stunted += 1
    total = time.perf_counter() - start
    return result_line("growth", db=db, size=size, total_s=total, visits=size, refused=refused, stunted=stunted)
