"""Who an announcement reaches: households, computed by the database from the registry.

Target groups come from the registry's derived groups (``registry.models.household``: the ages and
relations that define women heads, youth 16-30, under-fives, elderly 60+ ...), evaluated through the
eligibility predicates' ``Q`` builders so "youth" means the same here as in a program's rule and on
the household page.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.registry.models.choices import HouseholdStatus

# group code -> (label, eligibility predicate that says "the household has such a member")
GROUPS = {
    "female_head": (_("Perempuan kepala keluarga"), "female_head"),
    "youth": (_("Keluarga dengan pemuda (16-30)"), "has_youth"),
    "under_five": (_("Orang tua balita"), "has_under_five"),
    "elderly": (_("Keluarga dengan lansia (60+)"), "has_elderly"),
    "pregnant": (_("Keluarga dengan ibu hamil"), "has_pregnant"),
    "school_age": (_("Keluarga dengan anak usia sekolah (7-18)"), "has_school_age"),
    "disability": (_("Keluarga dengan penyandang disabilitas"), "has_disability"),
}
GROUP_CHOICES = [(code, label) for code, (label, _p) in GROUPS.items()]


def group_label(code: str) -> str:
    return str(GROUPS[code][0]) if code in GROUPS else code


def target_households(*, target_kind: str, rw_id: int | None = None, program_id: int | None = None,
                      group: str = "", on: dt.date | None = None) -> QuerySet:
    """Active households of the audience, as one queryset (not evaluated)."""
    from bansos.eligibility.predicates import CATALOG
    from bansos.programs.models import RECEIVING_STATES, Enrollment
    from bansos.registry.models import Household

    qs = Household.objects.filter(status=HouseholdStatus.ACTIVE)
    if rw_id is not None:
        qs = qs.filter(rt__rw_id=rw_id)
    if target_kind == "program":
        qs = qs.filter(Exists(Enrollment.objects.filter(household_id=OuterRef("pk"), program_id=program_id,
                                                        state__in=RECEIVING_STATES)))
    elif target_kind == "group":
        qs = qs.filter(CATALOG[GROUPS[group][1]].q("is", True, on or timezone.localdate()))
    return qs
