"""The index's indicators in monitoring's registry (imported from ``hooks.register``).

Both read the stored monthly index (``IndexScore``) of the snapshot's month, so a past month is
reproduced as it was stored; the threshold is the published model's.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from bansos.monitoring.indicators import Cell, Context, IndicatorSpec, computation, register_indicator
from bansos.monitoring.indicators.frame import household_share


def _threshold() -> int:
    from bansos.selfreliance.selectors import published_model

    model = published_model()
    return model.threshold if model else 70


@computation("selfreliance.above_threshold", backfill=True)
def above_threshold(ctx: Context) -> list[Cell]:
    """Households scored in the month whose index is at or above the threshold."""
    from bansos.registry.models import Household
    from bansos.selfreliance.models import IndexScore

    scored = IndexScore.objects.filter(household_id=OuterRef("pk"), month=ctx.period)
    population = Household.objects.filter(Exists(scored))
    return household_share(ctx, population=population, hit=Exists(scored.filter(score__gte=_threshold())))


@computation("selfreliance.graduates_stay_out", backfill=True)
def graduates_stay_out(ctx: Context) -> list[Cell]:
    """Households graduated before the month's end whose index that month is still at or above the threshold."""
    from bansos.registry.models import Household
    from bansos.selfreliance.models import Graduation, IndexScore

    graduated = Graduation.objects.filter(household_id=OuterRef("pk"), state="confirmed", decided_at__lt=ctx.end)
    scored = IndexScore.objects.filter(household_id=OuterRef("pk"), month=ctx.period)
    population = Household.objects.filter(Exists(graduated), Exists(scored))
    return household_share(ctx, population=population, hit=Exists(scored.filter(score__gte=_threshold())))


def register() -> None:
    register_indicator(IndicatorSpec(
        code="selfreliance-above-threshold", name="Keluarga di atas ambang kemandirian",
        definition="Bagian keluarga aktif yang skor indeks kemandiriannya bulan itu paling sedikit ambang model "
                   "yang berlaku (bawaan 70 dari 100).",
        area="selfreliance", computation="selfreliance.above_threshold", unit="percent",
        breakdowns=("rw", "decile", "female_head"), order=800))
    register_indicator(IndicatorSpec(
        code="selfreliance-graduates-stay-out", name="Keluarga lulus yang tetap mandiri",
        definition="Dari keluarga yang sudah dikonfirmasi lulus dari bantuan tunai, bagian yang skor indeksnya "
                   "bulan itu masih paling sedikit ambang (tidak turun lagi).",
        area="selfreliance", computation="selfreliance.graduates_stay_out", unit="percent",
        breakdowns=("rw",), order=810))
