"""Reach: households that know about the programs."""

from __future__ import annotations

from django.db.models import Q

from bansos.monitoring.indicators import Cell, Context, computation
from bansos.monitoring.indicators.frame import active_households, household_share


@computation("reach.aware", backfill=True)
def aware(ctx: Context) -> list[Cell]:
    """Households that applied to or were enrolled in a program, or received a message from the platform."""
    from bansos.notifications.models import Message
    from bansos.programs.models import Enrollment

    # IN (subquery) rather than EXISTS per household: see the participation module.
    enrolled = Enrollment.objects.filter(applied_at__lt=ctx.end).values("household_id")
    told = Message.objects.filter(household__isnull=False, created_at__lt=ctx.end).values("household_id")
    return household_share(ctx, population=active_households(ctx), hit=Q(pk__in=enrolled) | Q(pk__in=told))
