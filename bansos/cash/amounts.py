"""What one participant is entitled to in one cycle, from the scheme and the members' facts.

Pure functions over plain values so that generation can work through 100,000 households without
model instances. Ages are taken on the first day of the cycle's period. A school child's level is
inferred from age while the child is recorded as "still in school" (6-12 SD, 13-15 SMP, 16-18
SMA/SMK), unless a registered school-level provider (the education app) gives the real level and
whether the school is private: that level decides, whatever the age.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from bansos.registry.models import Disability, SchoolEnrolment, Sex

COMPONENTS = {
    "per_child_sd": _("anak usia SD"),
    "per_child_smp": _("anak usia SMP"),
    "per_child_sma": _("anak usia SMA/SMK"),
    "per_child_smk": _("siswa SMK"),
    "per_child_pkbm": _("warga belajar PKBM"),
    "per_child_private": _("tambahan sekolah swasta"),
    "per_pregnant": _("ibu hamil"),
    "per_under_five": _("balita"),
    "per_elderly": _("lansia 60+"),
    "per_disability": _("penyandang disabilitas"),
}
ELDERLY_AGE = 60


@dataclass(frozen=True)
class Member:
    birth_date: dt.date
    sex: str
    pregnant: bool
    disability: str
    school_enrolment: str
    # (level, private) from a school-level provider: level is "sd", "smp", "sma" or "pkbm".
    school: tuple[str, bool] | None = None


LEVEL_COMPONENTS = {"sd": "per_child_sd", "smp": "per_child_smp", "sma": "per_child_sma", "smk": "per_child_smk",
                    "pkbm": "per_child_pkbm"}
# A scheme without its own SMK amount pays SMK students the SMA/SMK amount.
FALLBACK_COMPONENTS = {"per_child_smk": "per_child_sma"}

# Providers answer provider(resident_ids, day) -> {resident_id: (level, private)} for the residents
# given (a queryset of ids, so that one query serves a whole cycle), as of ``day``.
_SCHOOL_PROVIDERS: list[Callable] = []


def register_school_levels(provider: Callable) -> None:
    """Let another app (education) give the real school level of residents; registered once."""
    if provider not in _SCHOOL_PROVIDERS:
        _SCHOOL_PROVIDERS.append(provider)


def school_levels(resident_ids, day: dt.date) -> dict[int, tuple[str, bool]]:
    """{resident_id: (level, private)} from the registered providers (the first to answer wins)."""
    found: dict[int, tuple[str, bool]] = {}
    for provider in _SCHOOL_PROVIDERS:
        for rid, facts in provider(resident_ids, day).items():
            found.setdefault(rid, facts)
    return found


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def member_components(member: Member, day: dt.date) -> list[str]:
    """The scheme components one member counts for (a member may count for several)."""
    if member.birth_date > day:
        return []  # born after the period began (a cycle generated late): not a member in that period yet
    age = age_on(member.birth_date, day)
    found = []
    if age < 5:
        found.append("per_under_five")
    if member.school is not None:
        level, private = member.school
        if level in LEVEL_COMPONENTS:
            found.append(LEVEL_COMPONENTS[level])
            if private:
                found.append("per_child_private")
    elif member.school_enrolment == SchoolEnrolment.ENROLLED:
        if 6 <= age <= 12:
            found.append("per_child_sd")
        elif 13 <= age <= 15:
            found.append("per_child_smp")
        elif 16 <= age <= 18:
            found.append("per_child_sma")
    if member.pregnant and member.sex == Sex.FEMALE:
        found.append("per_pregnant")
    if age >= ELDERLY_AGE:
        found.append("per_elderly")
    if member.disability and member.disability != Disability.NONE:
        found.append("per_disability")
    return found


def components_amount(units: dict[str, int], members: list[Member], day: dt.date, months: int,
                      cap_per_month: int | None) -> tuple[int, list[dict]]:
    """(amount for the cycle, breakdown) under a components scheme; amount 0 when nobody counts."""
    counts: dict[str, int] = {}
    for member in members:
        for code in member_components(member, day):
            if not units.get(code) and code in FALLBACK_COMPONENTS:
                code = FALLBACK_COMPONENTS[code]
            if units.get(code):
                counts[code] = counts.get(code, 0) + 1
    breakdown = [
        {"code": code, "count": count, "unit": units[code] * months, "amount": units[code] * months * count}
        for code, count in sorted(counts.items())
    ]
    total = sum(item["amount"] for item in breakdown)
    if cap_per_month is not None and total > cap_per_month * months:
        breakdown.append({"code": "cap", "count": 1, "unit": cap_per_month * months,
                          "amount": cap_per_month * months - total})
        total = cap_per_month * months
    return total, breakdown


def scheme_units(scheme) -> dict[str, int]:
    return {code: getattr(scheme, code) for code in COMPONENTS}
