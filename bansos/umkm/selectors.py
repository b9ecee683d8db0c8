"""Reads of the umkm app: the overview with indicators, a business's detail, a household's businesses.

Indicators are computed for many businesses at once with a fixed number of queries (one per kind of
record), never one query per business.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Min, Prefetch, Q, Sum
from django.utils import timezone

from bansos.core.errors import NotFoundError
from bansos.core.formats import _month_name
from bansos.umkm import arithmetic as ar
from bansos.umkm.access import business_scope
from bansos.umkm.models import (
    Business, BusinessStatus, CapitalSupport, EquipmentSupport, Installment, Repayment, RevenueLog, SupportKind,
)


@dataclass
class LoanState:
    capital: CapitalSupport
    days_overdue: int
    status: str
    overdue_amount: int = 0

    @property
    def outstanding(self) -> int:
        return self.capital.total_due - self.capital.repaid


@dataclass
class Indicators:
    months_active: int
    trend: ar.Trend
    repayment_status: str  # "" when the business has no loan
    days_overdue: int
    bucket: str
    capital_disbursed: int
    equipment_value: int
    outstanding: int
    loans: list[LoanState] = field(default_factory=list)

    @property
    def total_support(self) -> int:
        return self.capital_disbursed + self.equipment_value


def _worst(states: list[LoanState]) -> tuple[str, int]:
    disbursed = [s for s in states if s.status != ar.BELUM_CAIR]
    if not states:
        return "", 0
    if not disbursed:
        return ar.BELUM_CAIR, 0
    days = max(s.days_overdue for s in disbursed)
    if days > 0:
        return ar.MENUNGGAK, days
    if all(s.status == ar.LUNAS for s in disbursed):
        return ar.LUNAS, 0
    return ar.LANCAR, 0


def indicators_for(businesses: list[Business], *, on: dt.date | None = None) -> dict[int, Indicators]:
    """Indicators of each business as of ``on`` (today by default), in five queries."""
    on = on or timezone.localdate()
    ids = [b.pk for b in businesses]
    if not ids:
        return {}
    revenues: dict[int, list[int]] = defaultdict(list)
    for bid, revenue in (RevenueLog.objects.filter(business_id__in=ids, month__lte=on).order_by("business_id", "-month")
                         .values_list("business_id", "revenue")):
        revenues[bid].append(revenue)
    capital: dict[int, list[CapitalSupport]] = defaultdict(list)
    for c in CapitalSupport.objects.filter(business_id__in=ids).order_by("approved_on", "pk"):
        capital[c.business_id].append(c)
    # Per loan: the oldest due date before ``on`` not fully paid, and what is late.
    late = {row["loan_id"]: row for row in Installment.objects.filter(
        loan__business_id__in=ids, due_date__lt=on).filter(amount_paid__lt=F("amount_due")).values(
        "loan_id").annotate(oldest=Min("due_date"), due=Sum("amount_due"), paid=Sum("amount_paid"))}
    equipment = dict(EquipmentSupport.objects.filter(business_id__in=ids).values("business_id").annotate(
        s=Sum("value")).values_list("business_id", "s"))
    out = {}
    for b in businesses:
        states = []
        disbursed_total = 0
        for c in capital.get(b.pk, []):
            if c.disbursed_on is not None and c.disbursed_on <= on:
                disbursed_total += c.amount
            if c.kind != SupportKind.LOAN:
                continue
            row = late.get(c.pk)
            days = (on - row["oldest"]).days if row else 0
            status = ar.repayment_status(total_due=c.total_due, repaid=c.repaid,
                                         disbursed=c.disbursed_on is not None, overdue_days=days)
            states.append(LoanState(c, days if status == ar.MENUNGGAK else 0, status,
                                    (row["due"] - row["paid"]) if row else 0))
        status, days = _worst(states)
        end = b.closed_on if b.closed_on and b.closed_on < on else on
        out[b.pk] = Indicators(
            months_active=ar.months_between(b.started_on, end), trend=ar.revenue_trend(revenues.get(b.pk, [])),
            repayment_status=status, days_overdue=days, bucket=ar.bucket_of(days),
            capital_disbursed=disbursed_total, equipment_value=equipment.get(b.pk) or 0,
            outstanding=sum(s.outstanding for s in states if s.status != ar.BELUM_CAIR), loans=states,
        )
    return out


# --- The overview -----------------------------------------------------------------------------------


@dataclass
class Filters:
    rw: int | None = None
    sector: str = ""
    status: str = ""
    trend: str = ""
    bucket: str = ""  # an arrears bucket code, or "any" for every business in arrears
    women: bool = False
    youth: bool = False
    q: str = ""
    on: dt.date | None = None


def business_queryset(user):
    return (Business.objects.filter(business_scope(user))
            .select_related("owner", "household", "program", "rt__rw"))


def overview(user, filters: Filters) -> tuple[list[tuple[Business, Indicators]], dict]:
    """Businesses the user manages that pass ``filters``, with indicators, and the counts of the summary."""
    qs = business_queryset(user)
    if filters.rw:
        qs = qs.filter(Q(rt__rw__number=filters.rw) | Q(rt__isnull=True, household__rt__rw__number=filters.rw))
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.women:
        qs = qs.filter(women_owned=True)
    if filters.youth:
        qs = qs.filter(youth_owned=True)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(owner__full_name__icontains=filters.q))
    businesses = list(qs.order_by("name", "pk")[:5000])
    found = indicators_for(businesses, on=filters.on)
    rows = []
    for b in businesses:
        ind = found[b.pk]
        if filters.trend and ind.trend.code != filters.trend:
            continue
        if filters.bucket == "any" and ind.days_overdue == 0:
            continue
        if filters.bucket and filters.bucket != "any" and ind.bucket != filters.bucket:
            continue
        rows.append((b, ind))
    summary = {
        "total": len(rows),
        "active": sum(1 for b, _i in rows if b.status == BusinessStatus.ACTIVE),
        "closed": sum(1 for b, _i in rows if b.status == BusinessStatus.CLOSED),
        "growing": sum(1 for _b, i in rows if i.trend.code == ar.NAIK),
        "declining": sum(1 for _b, i in rows if i.trend.code == ar.TURUN),
        "arrears": sum(1 for _b, i in rows if i.days_overdue > 0),
        "buckets": {code: sum(1 for _b, i in rows if i.bucket == code) for code, _l, _h in ar.BUCKETS},
        "support": sum(i.total_support for _b, i in rows),
        "outstanding": sum(i.outstanding for _b, i in rows),
    }
    return rows, summary


# --- One business -----------------------------------------------------------------------------------


def business_get(user, pk: int) -> Business:
    business = business_queryset(user).filter(pk=pk).first()
    if business is None:
        raise NotFoundError()
    return business


def business_detail(business: Business, *, on: dt.date | None = None) -> dict:
    """Everything the detail page shows of one business (a fixed number of queries)."""
    capital = list(CapitalSupport.objects.filter(business=business).select_related("enrollment").prefetch_related(
        Prefetch("installments", queryset=Installment.objects.order_by("number")),
        Prefetch("repayments", queryset=Repayment.objects.select_related("recorded_by", "reversed_by")
                 .order_by("-paid_on", "-pk")),
    ))
    revenue = list(business.revenue.order_by("-month")[:24])
    return {
        "indicators": indicators_for([business], on=on)[business.pk],
        "capital": capital,
        "equipment": list(business.equipment.select_related("recorded_by")),
        "mentoring": list(business.mentoring.select_related("recorded_by")),
        "revenue": revenue,
        "chart": revenue_chart(revenue[:12]),
        "training": owner_training(business.owner_id),
    }


def revenue_chart(rows_newest_first: list[RevenueLog]) -> dict | None:
    """Bars of an inline SVG (oldest left): coordinates computed here, no style attributes, no script."""
    rows = list(reversed(rows_newest_first))
    if not rows:
        return None
    width, height, gap = 300, 120, 4
    top = max(max(r.revenue for r in rows), 1)
    bar = (width - gap * (len(rows) + 1)) / len(rows)
    bars = []
    for i, r in enumerate(rows):
        h = round(r.revenue * (height - 20) / top, 1)
        x = round(gap + i * (bar + gap), 1)
        bars.append({"x": x, "y": round(height - 14 - h, 1), "w": round(bar, 1), "h": h, "row": r,
                     "label_x": round(x + bar / 2, 1), "label": _month_name(r.month.month)[:3],
                     "loss": r.profit < 0})
    return {"width": width, "height": height, "bars": bars, "base_y": height - 14, "label_y": height - 2}


def owner_training(resident_id: int) -> list:
    """The owner's course places in business-management training (or courses of enterprise programs).

    Reads the training app's models only (its services are not called from here).
    """
    try:
        from bansos.training.models import Participant, SkillArea
    except ImportError:  # pragma: no cover - the training app is always installed with this one
        return []
    return list(Participant.objects.filter(resident_id=resident_id).filter(
        Q(course__skill_area=SkillArea.BUSINESS) | Q(course__program__kind="enterprise"))
        .select_related("course").order_by("-added_at"))


def household_businesses(household) -> list[Business]:
    return list(Business.objects.filter(household=household).select_related("owner", "program"))
