"""Economy: households with a business, rising business revenue, employment after training."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, Subquery

from bansos.monitoring.indicators import Cell, Context, computation
from bansos.monitoring.indicators.frame import active_households, household_in, household_share, resident_share


def _running_businesses(ctx: Context):
    from bansos.umkm.models import Business, BusinessStatus

    return Business.objects.filter(started_on__lte=ctx.as_of).filter(
        Q(closed_on__isnull=True, status=BusinessStatus.ACTIVE) | Q(closed_on__gt=ctx.as_of))


@computation("economy.business_households", backfill=True)
def business_households(ctx: Context) -> list[Cell]:
    return household_share(ctx, population=active_households(ctx), hit=household_in(_running_businesses(ctx)))


@computation("economy.revenue_rising", backfill=True)
def revenue_rising(ctx: Context) -> list[Cell]:
    """Running businesses with two revenue logs or more in the window whose latest beats the earliest."""
    from bansos.umkm.models import RevenueLog

    months = int(ctx.params.get("window_months", 6))
    logs = RevenueLog.objects.filter(business_id=OuterRef("pk"), month__gte=ctx.months_back(months - 1),
                                     month__lte=ctx.as_of)
    population = (_running_businesses(ctx)
                  .annotate(first_month=Subquery(logs.order_by("month").values("month")[:1]),
                            last_month=Subquery(logs.order_by("-month").values("month")[:1]),
                            first_revenue=Subquery(logs.order_by("month").values("revenue")[:1]),
                            last_revenue=Subquery(logs.order_by("-month").values("revenue")[:1]))
                  .filter(last_month__gt=F("first_month")))
    return resident_share(ctx, population=population, hit=Q(last_revenue__gt=F("first_revenue")),
                          person_path="owner__")


@computation("economy.employed_after_training", backfill=True)
def employed_after_training(ctx: Context) -> list[Cell]:
    """Residents who completed a course and then were hired through a referral or run a business."""
    from bansos.jobs.models import JobReferral, ReferralStatus
    from bansos.registry.models import Resident
    from bansos.training.models import Outcome, Participant

    # IN (the few graduates) rather than EXISTS per resident: SQLite would test every one of a million
    # residents (7 s at 1M); PostgreSQL plans both as the same semi-join.
    completed = Participant.objects.filter(outcome=Outcome.COMPLETED, completed_at__lt=ctx.end).values("resident_id")
    hired = JobReferral.objects.filter(resident_id=OuterRef("pk"), status=ReferralStatus.HIRED,
                                       start_date__lte=ctx.as_of)
    owns = _running_businesses(ctx).filter(owner_id=OuterRef("pk"))
    population = Resident.objects.filter(pk__in=completed)
    return resident_share(ctx, population=population, hit=Exists(hired) | Exists(owns))
