"""Health: stunting among under-fives, antenatal care coverage."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from bansos.monitoring.indicators import Cell, Context, computation
from bansos.monitoring.indicators.frame import resident_share, years_before


@computation("health.stunting", backfill=True)
def stunting(ctx: Context) -> list[Cell]:
    """Under-fives measured in the window whose latest height-for-age z-score is below the cut-off."""
    from bansos.health.models import ChildVisit
    from bansos.registry.models import Resident

    months = int(ctx.params.get("window_months", 3))
    cutoff = float(ctx.params.get("haz_below", -2))
    measured = ChildVisit.objects.filter(child_id=OuterRef("pk"), haz__isnull=False,
                                         visit_date__gte=ctx.months_back(months - 1), visit_date__lte=ctx.as_of)
    # The measured children drive the query (IN), not every resident tested with EXISTS (SQLite's plan).
    window = ChildVisit.objects.filter(haz__isnull=False, visit_date__gte=ctx.months_back(months - 1),
                                       visit_date__lte=ctx.as_of)
    population = (Resident.objects.filter(birth_date__gt=years_before(ctx.as_of, 5), birth_date__lte=ctx.as_of)
                  .filter(pk__in=window.values("child_id"))
                  .annotate(latest_haz=Subquery(measured.order_by("-visit_date", "-pk").values("haz")[:1])))
    return resident_share(ctx, population=population, hit=Q(latest_haz__lt=cutoff))


@computation("health.antenatal_coverage", backfill=True)
def antenatal_coverage(ctx: Context) -> list[Cell]:
    """Pregnancies that ended in a delivery in the window with at least ``min_visits`` antenatal visits."""
    from bansos.health.models_maternal import AntenatalVisit, Pregnancy

    months = int(ctx.params.get("window_months", 12))
    needed = int(ctx.params.get("min_visits", 6))
    visits = (AntenatalVisit.objects.filter(pregnancy_id=OuterRef("pk")).order_by()
              .values("pregnancy_id").annotate(n=Count("pk")).values("n"))
    population = (Pregnancy.objects.filter(delivery__date__gte=ctx.months_back(months - 1),
                                           delivery__date__lte=ctx.as_of)
                  .annotate(anc_visits=Coalesce(Subquery(visits, output_field=IntegerField()), 0)))
    return resident_share(ctx, population=population, hit=Q(anc_visits__gte=needed), person_path="mother__")
