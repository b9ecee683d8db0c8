"""Monitoring and evaluation: indicators, monthly snapshots, dashboards, reports.

Indicators are data (``models.Indicator``); each names a *computation*, a Python function registered
in ``bansos.monitoring.indicators`` that returns the indicator's cells (total and breakdowns) with a
few aggregate queries. Every month ``snapshot_run`` stores every active indicator with its breakdowns
in ``SnapshotValue`` (a long table), and the dashboards read only those rows.

Registering an indicator from another app (for example ``selfreliance``) takes a computation and a
spec, usually in a module that the app's ``AppConfig.ready`` imports::

    from bansos.monitoring.indicators import Cell, Context, IndicatorSpec, computation, register_indicator
    from bansos.monitoring.indicators.frame import household_share

    @computation("selfreliance.above_threshold", backfill=True)
    def above_threshold(ctx: Context) -> list[Cell]:
        # share of active households whose latest index (as of ctx.as_of) is above the threshold;
        # household_share groups by RW / decile / female-headed household in one query
        return household_share(ctx, population=<Household queryset>, hit=<Q or Exists on Household>)

    register_indicator(IndicatorSpec(
        code="selfreliance-above-threshold", name="Keluarga di atas ambang kemandirian",
        definition="...", area="selfreliance", computation="selfreliance.above_threshold",
        unit="percent", breakdowns=("rw", "decile", "female_head"), order=800))

``indicators_ensure()`` (run by ``migrate``'s post-migrate hook, the demo and every snapshot) then
creates the ``Indicator`` row once; admins may edit its name, target and params afterwards.
A computation may also return ``Cell`` rows itself (``Cell(breakdown, key, numerator, denominator,
households)``); ``households`` is the number of distinct households behind the cell, and cells with
1-4 households are suppressed outside the staff interface.
"""
