"""Reach: households that know about the programs."""

from __future__ import annotations


from bansos.monitoring.indicators import Cell, Context, computation
from bansos.monitoring.indicators.frame import active_households, household_in, household_share


@computation("reach.aware", backfill=True)
def aware(ctx: Context) -> list[Cell]:
    """Households that applied to or were enrolled in a program, or received a message from the platform."""
    from bansos.notifications.models import Message
    from bansos.programs.models import Enrollment

    enrolled = Enrollment.objects.filter(applied_at__lt=ctx.end)
    told = Message.objects.filter(household__isnull=False, created_at__lt=ctx.end)
    return household_share(ctx, population=active_households(ctx), hit=household_in(enrolled) | household_in(told))
