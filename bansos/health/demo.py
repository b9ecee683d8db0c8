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


# -- maternal care, health education, referrals ----------------------------------------------------------------

# Ongoing pregnancies per posyandu: (weeks pregnant today, risk case). The visits follow the Kemenkes 2020
# schedule except where the case says otherwise, so the list shows every flag next to women without one.
ONGOING_CASES = ((9, None), (16, "kek"), (22, "missed"), (30, "high_bp"), (34, "anaemia"), (37, None))
DELIVERED_WEEKS_AGO = (3, 6)  # two deliveries per posyandu, that many weeks ago
EDUCATION_TOPICS = ("nutrition_preg", "breastfeeding", "stunting")


def _anc_dates(lmp: dt.date, today: dt.date, *, skip_second: bool) -> list[dt.date]:
    """Visit days on the schedule up to today: weeks 8 and 12, 20, then 29, 33 and 37."""
    weeks = [8, 12] + ([] if skip_second else [20]) + [29, 33, 37]
    return [lmp + dt.timedelta(weeks=w, days=2) for w in weeks if lmp + dt.timedelta(weeks=w, days=2) < today]


def demo_maternal_create(*, actor, seed: int = 2026) -> dict[str, Any] | None:
    """Pregnancies (with risk cases), antenatal and postnatal visits, deliveries, an education session and
    referrals for every posyandu, through the real services; None when there is no posyandu or the data exists."""
    from bansos.health.models_maternal import Pregnancy
    from bansos.health.services_maternal import antenatal_record, delivery_record, pregnancy_open, postnatal_record
    from bansos.health.services_outreach import (
        education_attendance_add, education_session_create, referral_create, referral_outcome_set,
    )
    from bansos.registry.models import Resident

    posyandus = list(Posyandu.objects.all())
    if not posyandus or Pregnancy.objects.exists():
        return None
    rng = random.Random(seed)
    today = timezone.localdate()
    made = {"pregnancies": 0, "visits": 0, "deliveries": 0, "sessions": 0, "attendance": 0, "referrals": 0,
            "refused": 0}
    for posyandu in posyandus:
        women = list(Resident.objects.filter(
            status="active", sex="P", household__status="active", household__rt__posyandus=posyandu,
            birth_date__gte=dt.date(today.year - 40, 1, 1), birth_date__lte=dt.date(today.year - 17, 12, 31),
        ).exclude(pregnancies__isnull=False).order_by("-pregnant", "pk")[:60])
        rng.shuffle(women)
        women.sort(key=lambda w: not w.pregnant)  # women the registry already flags pregnant come first
        cases = list(ONGOING_CASES) + [(w, "delivered") for w in DELIVERED_WEEKS_AGO]
        for mother, (weeks, case) in zip(women, cases, strict=False):
            if case == "delivered":
                lmp = today - dt.timedelta(weeks=weeks + 39)
            else:
                lmp = today - dt.timedelta(weeks=weeks, days=rng.randint(0, 6))
            try:
                pregnancy = pregnancy_open(actor=actor, mother=mother, data={
                    "lmp": lmp, "gravida": rng.choice([1, 2, 2, 3]), "para": None})
            except DomainError:
                made["refused"] += 1
                continue
            made["pregnancies"] += 1
            end = min(today, lmp + dt.timedelta(weeks=39))
            for n, day in enumerate(_anc_dates(lmp, end, skip_second=case == "missed")):
                data = {"visit_date": day, "place": rng.choice(["posyandu", "posyandu", "puskesmas", "bidan"]),
                        "weight_kg": f"{52 + n * 1.6 + rng.uniform(-3, 3):.1f}",
                        "systolic": rng.randint(105, 125), "diastolic": rng.randint(65, 80),
                        "muac_cm": f"{rng.uniform(24.5, 28.5):.1f}"}
                if n in (0, 3):
                    data["hb_g_dl"] = f"{rng.uniform(11.3, 13):.1f}"
                last = day == _anc_dates(lmp, end, skip_second=case == "missed")[-1]
                if case == "kek":
                    data["muac_cm"] = f"{rng.uniform(21.8, 23.3):.1f}"
                if case == "high_bp" and last:
                    data["systolic"], data["diastolic"] = 150, 96
                if case == "anaemia" and last:
                    data["hb_g_dl"] = "10.1"
                try:
                    antenatal_record(actor=actor, pregnancy=pregnancy, data=data)
                    made["visits"] += 1
                except DomainError:
                    made["refused"] += 1
            if case in ("high_bp", "anaemia"):
                referral = referral_create(actor=actor, resident=mother, data={
                    "date": today - dt.timedelta(days=5), "pregnancy_id": pregnancy.pk, "referred_to": "puskesmas",
                    "reason": "Tekanan darah tinggi" if case == "high_bp" else "Hb rendah, perlu tablet tambah darah",
                    "facility": "Puskesmas Kecamatan Kebon Jeruk", "follow_up_date": today + dt.timedelta(days=9)})
                made["referrals"] += 1
                if case == "anaemia":
                    referral_outcome_set(actor=actor, referral=referral, data={
                        "outcome": "treated", "outcome_date": today - dt.timedelta(days=3),
                        "follow_up_date": today + dt.timedelta(days=25), "notes": "Diberi tablet tambah darah"})
            if case == "delivered":
                born = lmp + dt.timedelta(weeks=39)
                delivery_record(actor=actor, pregnancy=pregnancy, data={
                    "date": born, "place": rng.choice(["puskesmas", "bidan", "hospital"]), "attendant": "midwife",
                    "outcome": "live", "birth_weight_g": rng.randint(2600, 3700)})
                made["deliveries"] += 1
                for days_after in (2, 7, 29):
                    if born + dt.timedelta(days=days_after) <= today:
                        postnatal_record(actor=actor, pregnancy=pregnancy, data={
                            "visit_date": born + dt.timedelta(days=days_after), "place": "home",
                            "mother_notes": "Sehat, ASI lancar", "baby_notes": "Menyusu baik, tali pusat kering"})
        session = education_session_create(actor=actor, posyandu=posyandu, data={
            "topic": EDUCATION_TOPICS[made["sessions"] % len(EDUCATION_TOPICS)], "date": today - dt.timedelta(days=7),
            "place": f"Balai warga {posyandu.rw}", "facilitator": "Bidan puskesmas kelurahan"})
        made["sessions"] += 1
        for mother in women[:10]:
            education_attendance_add(actor=actor, session=session, resident=mother)
            made["attendance"] += 1
        for person in women[len(cases):len(cases) + 2]:
            referral = referral_create(actor=actor, resident=person, data={
                "kind": "free_service", "date": today - dt.timedelta(days=20), "referred_to": "puskesmas",
                "reason": "Pemeriksaan kesehatan gratis (cek gula darah dan tensi)"})
            referral_outcome_set(actor=actor, referral=referral, data={
                "outcome": rng.choice(["attended", "not_attended"]), "outcome_date": today - dt.timedelta(days=18)})
            made["referrals"] += 1
    return made
