"""Demo data of the selfreliance app, made through its services.

Twelve months of the index are computed, back-filled up to the current month: businesses, job placements,
loan instalments and repayments, posyandu visits and cash enrollments are read as of each month from their
dates; household income, who works and who is in school have no dated history in the registry, so every
back-filled month uses today's values for those three. Graduation proposals follow from the rule of the
published model for the current month; the first one (in household order) is confirmed by the admin.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def demo_selfreliance_create(*, actor, seed: int) -> dict[str, Any] | None:
    """Creates the app's demo data once; None when it exists already."""
    from bansos.selfreliance.models import Graduation, GraduationState, IndexScore
    from bansos.selfreliance.services.graduation import graduation_confirm, months_back
    from bansos.selfreliance.services.index import index_compute_range

    if IndexScore.objects.exists():
        return None
    del seed  # deterministic from the data the earlier demo steps made
    last = timezone.localdate().replace(day=1)
    summary = index_compute_range(actor=actor, first=months_back(last, 11), last=last)
    proposals = list(Graduation.objects.filter(state=GraduationState.PROPOSED).order_by("household_id"))
    confirmed = 0
    if proposals:
        graduation_confirm(actor=actor, graduation=proposals[0],
                           note="Demo: usaha keluarga berjalan dan penghasilan di atas garis kemiskinan.")
        confirmed = 1
    return {
        "line": f"Indeks kemandirian 12 bulan untuk {summary['households']} keluarga, "
                f"{len(proposals)} usulan lulus, {confirmed} dikonfirmasi.",
        "households": summary["households"], "proposals": len(proposals), "confirmed": confirmed,
    }
