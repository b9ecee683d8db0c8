"""Targeting errors: poor households left out, better-off households included."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from bansos.monitoring.indicators import Cell, Context, computation
from bansos.monitoring.indicators.frame import active_households, household_share

# Enrollments that mean "this household gets a program's benefit now".
RECEIVING = ("approved", "active", "suspended")


def _receiving():
    from bansos.programs.models import Enrollment

    return Enrollment.objects.filter(household_id=OuterRef("pk"), state__in=RECEIVING)


@computation("targeting.exclusion", backfill=False)
def exclusion(ctx: Context) -> list[Cell]:
    """Households ranked in deciles 1..``max_decile`` that receive no program (today's deciles and states)."""
    top = int(ctx.params.get("max_decile", 4))
    population = active_households(ctx).filter(welfare__decile__lte=top)
    return household_share(ctx, population=population, hit=~Exists(_receiving()))


@computation("targeting.inclusion", backfill=False)
def inclusion(ctx: Context) -> list[Cell]:
    """Households ranked in deciles ``min_decile``..10 that receive a program (today's deciles and states)."""
    low = int(ctx.params.get("min_decile", 8))
    population = active_households(ctx).filter(welfare__decile__gte=low)
    return household_share(ctx, population=population, hit=Exists(_receiving()))
