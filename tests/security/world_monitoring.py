"""Objects of the monitoring app for the authorization world."""

from __future__ import annotations


def add_kinds(w, admin, h, h2, pos, pos2) -> None:
    """Adds this app's kinds to ``w.kinds`` (see ``world.Kind``)."""
    from bansos.accounts.models import Agency
    from bansos.monitoring.models import Indicator
    from bansos.programs.models import FundingSource
    from tests.security.world import Kind

    mine, other = w.household_agency, w.other_household_agency
    w.kinds["mon_agency"] = Kind(Agency.objects.get(pk=mine), Agency.objects.get(pk=other), mine, other)
    sources = []
    for agency in (mine, other):
        source = FundingSource.objects.filter(agency_id=agency).first() or FundingSource.objects.create(
            name=f"Dana uji lembaga {agency}", kind="csr", agency_id=agency, fiscal_year=2026, amount=1_000_000)
        sources.append(source)
    w.kinds["mon_funding"] = Kind(sources[0], sources[1], mine, other)
    w.kinds["mon_indicator"] = Kind(Indicator.objects.order_by("order").first().code)
    w.kinds["mon_fmt"] = Kind("csv")
    w.kinds["mon_kind_program"] = Kind("program")
