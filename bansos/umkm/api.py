"""UMKM API: businesses, capital and its schedule, repayments, mentoring, equipment, revenue, indicators.

Operations look objects up, hand typed input to one service and render the result; the rules and the
audit are the services', shared with the pages. A caller whose role cannot manage businesses is refused
before any id it sent is looked up; a business of another agency's program is refused (403) by the
same object rule the pages use.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router


from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import NotFoundError, ValidationFailed
from bansos.core.models import RT
from bansos.programs.models import Program
from bansos.registry.models import Resident
from bansos.umkm import selectors
from bansos.umkm.access import require_business, require_umkm_role
from bansos.umkm.models import Business, CapitalSupport, Repayment, SupportKind
from bansos.umkm.schemas import (
    BusinessIn, BusinessOut, BusinessPage, BusinessUpdateIn, CapitalIn, CapitalOut, CloseIn, DisburseIn,
    EquipmentIn, EquipmentOut, IndicatorsOut, MentoringIn, MentoringOut, RepaymentIn, RepaymentOut, RevenueIn,
    RevenueOut, ScheduleOut, UmkmReasonIn,
)
from bansos.umkm.services import businesses, capital, records

router = Router(tags=["umkm"])

MSG_RESIDENT_UNKNOWN = _("Warga tidak ditemukan.")
MSG_PROGRAM_UNKNOWN = _("Program tidak ditemukan.")
MSG_RT_UNKNOWN = _("RT tidak ditemukan.")
MSG_NOT_LOAN = capital.MSG_NOT_LOAN


def _lookup(qs, pk, field: str, message):
    found = qs.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ValidationFailed({field: [str(message)]})
    return found


def _business(user, pk: int) -> Business:
    require_umkm_role(user)
    business = Business.objects.select_related("owner", "program", "household").filter(pk=pk).first()
    if business is None:
        raise NotFoundError()
    require_business(user, business)
    return business


def _capital(user, pk: int) -> CapitalSupport:
    require_umkm_role(user)
    found = CapitalSupport.objects.select_related("business__program").filter(pk=pk).first()
    if found is None:
        raise NotFoundError()
    require_business(user, found.business)
    return found


def _business_out(b: Business) -> dict[str, Any]:
    return {"id": b.pk, "name": b.name, "sector": b.sector, "products": b.products, "started_on": b.started_on,
            "owner": {"id": b.owner_id, "name": b.owner.full_name}, "household_id": b.household_id,
            "program": {"id": b.program_id, "name": b.program.name}, "rt_id": b.rt_id, "address": b.address,
            "nib": b.nib, "women_owned": b.women_owned, "youth_owned": b.youth_owned, "status": b.status,
            "closed_on": b.closed_on, "closed_reason": b.closed_reason}


def _indicators_out(ind: selectors.Indicators, on) -> dict[str, Any]:
    t = ind.trend
    return {"on": on, "months_active": ind.months_active,
            "trend": {"code": t.code, "recent_avg": t.recent_avg, "before_avg": t.before_avg,
                      "pct": round(float(t.pct), 1) if t.pct is not None else None},
            "repayment_status": ind.repayment_status, "days_overdue": ind.days_overdue,
            "arrears_bucket": ind.bucket, "capital_disbursed": ind.capital_disbursed,
            "equipment_value": ind.equipment_value, "total_support": ind.total_support,
            "outstanding": ind.outstanding}


def _capital_out(c: CapitalSupport) -> dict[str, Any]:
    return {"id": c.pk, "business_id": c.business_id, "enrollment_id": c.enrollment_id, "kind": c.kind,
            "amount": c.amount, "interest_bp_year": c.interest_bp_year, "term_months": c.term_months,
            "first_due_date": c.first_due_date, "total_due": c.total_due, "repaid": c.repaid,
            "approved_on": c.approved_on, "disbursed_on": c.disbursed_on, "note": c.note}


def _repayment_out(r: Repayment) -> dict[str, Any]:
    return {"id": r.pk, "loan_id": r.loan_id, "paid_on": r.paid_on, "amount": r.amount, "note": r.note,
            "reversed": r.reversed_at is not None, "reversed_reason": r.reversed_reason}


# --- Businesses ---------------------------------------------------------------------------------


@router.get("/umkm/businesses", response={200: BusinessPage, **ERROR_RESPONSES}, operation_id="umkm_business_list",
            summary="Businesses the caller manages, with indicators, filtered like the overview page")
def umkm_business_list(request, rw: int | None = None, sector: str = "", status: str = "", trend: str = "",
                       bucket: str = Query("", description="1-30, 31-90, 90+ or any"), women: bool = False,
                       youth: bool = False, q: str = "", on: str | None = Query(None, description="YYYY-MM-DD"),
                       page: int = Query(1, ge=1), page_size: int = Query(25, ge=1, le=100)):
    user = request.auth
    require_umkm_role(user)
    day = None
    if on:
        try:
            day = dt.date.fromisoformat(on)
        except ValueError:
            raise ValidationFailed({"on": [str(_("Tanggal tidak valid; gunakan format TTTT-BB-HH."))]}) from None
    rows, _summary = selectors.overview(user, selectors.Filters(
        rw=rw, sector=sector, status=status, trend=trend, bucket=bucket, women=women, youth=youth, q=q.strip(),
        on=day))
    start = (page - 1) * page_size
    items = [{**_business_out(b), "indicators": _indicators_out(i, day or timezone.localdate())}
             for b, i in rows[start:start + page_size]]
    return {"total": len(rows), "page": page, "page_size": page_size,
            "pages": math.ceil(len(rows) / page_size), "items": items}


@router.post("/umkm/businesses", response={201: BusinessOut, **ERROR_RESPONSES},
             operation_id="umkm_business_create", summary="Record a micro-business of an enrolled household")
def umkm_business_create(request, payload: BusinessIn):
    user = request.auth
    require_umkm_role(user)
    data = payload.dict()
    owner = _lookup(Resident.objects.all(), data.pop("owner"), "owner", MSG_RESIDENT_UNKNOWN)
    program = _lookup(Program.objects.all(), data.pop("program"), "program", MSG_PROGRAM_UNKNOWN)
    data["sector"] = payload.sector.value
    data["rt"] = _lookup(RT.objects.all(), payload.rt, "rt", MSG_RT_UNKNOWN) if payload.rt is not None else None
    business = businesses.business_create(actor=user, owner=owner, program=program, data=data)
    return Status(201, _business_out(business))


@router.get("/umkm/businesses/{int:business_id}", response={200: BusinessOut, **ERROR_RESPONSES},
            operation_id="umkm_business_read", summary="A business's profile")
def umkm_business_read(request, business_id: int):
    return _business_out(_business(request.auth, business_id))


@router.patch("/umkm/businesses/{int:business_id}", response={200: BusinessOut, **ERROR_RESPONSES},
              operation_id="umkm_business_update", summary="Change a business's profile (the fields sent)")
def umkm_business_update(request, business_id: int, payload: BusinessUpdateIn):
    user = request.auth
    business = _business(user, business_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "rt"}
    if "sector" in data:
        data["sector"] = payload.sector.value
    if "rt" in data:
        data["rt"] = _lookup(RT.objects.all(), payload.rt, "rt", MSG_RT_UNKNOWN) if payload.rt is not None else None
    return _business_out(businesses.business_update(actor=user, business=business, data=data))


@router.post("/umkm/businesses/{int:business_id}/close", response={200: BusinessOut, **ERROR_RESPONSES},
             operation_id="umkm_business_close", summary="Record that a business closed (date and reason)")
def umkm_business_close(request, business_id: int, payload: CloseIn):
    user = request.auth
    business = _business(user, business_id)
    return _business_out(businesses.business_close(actor=user, business=business, closed_on=payload.closed_on,
                                                   reason=payload.reason))


@router.post("/umkm/businesses/{int:business_id}/reopen", response={200: BusinessOut, **ERROR_RESPONSES},
             operation_id="umkm_business_reopen", summary="Record that a closed business trades again")
def umkm_business_reopen(request, business_id: int, payload: UmkmReasonIn):
    user = request.auth
    business = _business(user, business_id)
    return _business_out(businesses.business_reopen(actor=user, business=business, reason=payload.reason))


@router.get("/umkm/businesses/{int:business_id}/indicators", response={200: IndicatorsOut, **ERROR_RESPONSES},
            operation_id="umkm_business_indicators",
            summary="Months active, revenue trend, repayment status and days overdue, total support")
def umkm_business_indicators(request, business_id: int, on: str | None = Query(None, description="YYYY-MM-DD")):
    business = _business(request.auth, business_id)
    try:
        day = dt.date.fromisoformat(on) if on else timezone.localdate()
    except ValueError:
        raise ValidationFailed({"on": [str(_("Tanggal tidak valid; gunakan format TTTT-BB-HH."))]}) from None
    return _indicators_out(selectors.indicators_for([business], on=day)[business.pk], day)


# --- Capital and repayments ---------------------------------------------------------------------


@router.get("/umkm/businesses/{int:business_id}/capital", response={200: list[CapitalOut], **ERROR_RESPONSES},
            operation_id="umkm_capital_list", summary="A business's grants and loans")
def umkm_capital_list(request, business_id: int):
    business = _business(request.auth, business_id)
    return [_capital_out(c) for c in CapitalSupport.objects.filter(business=business)]


@router.post("/umkm/businesses/{int:business_id}/capital", response={201: CapitalOut, **ERROR_RESPONSES},
             operation_id="umkm_capital_record",
             summary="Record an approved grant or loan (a loan's schedule is created); not paid out yet")
def umkm_capital_record(request, business_id: int, payload: CapitalIn):
    user = request.auth
    business = _business(user, business_id)
    data = {**payload.dict(), "kind": payload.kind.value}
    return Status(201, _capital_out(capital.capital_record(actor=user, business=business, data=data)))


@router.post("/umkm/capital/{int:capital_id}/disburse", response={200: CapitalOut, **ERROR_RESPONSES},
             operation_id="umkm_capital_disburse",
             summary="Pay out a grant or loan: the program's budget moves committed → disbursed")
def umkm_capital_disburse(request, capital_id: int, payload: DisburseIn):
    user = request.auth
    found = _capital(user, capital_id)
    return _capital_out(capital.capital_disburse(actor=user, capital=found, disbursed_on=payload.disbursed_on,
                                                 note=payload.note))


@router.get("/umkm/capital/{int:capital_id}/schedule", response={200: ScheduleOut, **ERROR_RESPONSES},
            operation_id="umkm_loan_schedule", summary="A loan's instalments: due dates, amounts due and paid")
def umkm_loan_schedule(request, capital_id: int):
    loan = _capital(request.auth, capital_id)
    if loan.kind != SupportKind.LOAN:
        raise ValidationFailed({"capital": [str(MSG_NOT_LOAN)]})
    rows = list(loan.installments.order_by("number").values("number", "due_date", "amount_due", "amount_paid"))
    return {"loan": _capital_out(loan), "interest": loan.total_due - loan.amount, "installments": rows}


@router.get("/umkm/capital/{int:capital_id}/repayments", response={200: list[RepaymentOut], **ERROR_RESPONSES},
            operation_id="umkm_repayment_list", summary="A loan's repayments, reversed ones included")
def umkm_repayment_list(request, capital_id: int):
    loan = _capital(request.auth, capital_id)
    return [_repayment_out(r) for r in loan.repayments.all()]


@router.post("/umkm/capital/{int:capital_id}/repayments", response={201: RepaymentOut, **ERROR_RESPONSES},
             operation_id="umkm_repayment_record", summary="Record a repayment; it fills the oldest instalment first")
def umkm_repayment_record(request, capital_id: int, payload: RepaymentIn):
    user = request.auth
    loan = _capital(user, capital_id)
    done = capital.repayment_record(actor=user, loan=loan, paid_on=payload.paid_on, amount=payload.amount,
                                    note=payload.note)
    return Status(201, _repayment_out(done))


@router.post("/umkm/repayments/{int:repayment_id}/reverse", response={200: RepaymentOut, **ERROR_RESPONSES},
             operation_id="umkm_repayment_reverse", summary="Reverse a mistaken repayment (reason required)")
def umkm_repayment_reverse(request, repayment_id: int, payload: UmkmReasonIn):
    user = request.auth
    require_umkm_role(user)
    found = Repayment.objects.filter(pk=repayment_id).first()
    if found is None:
        raise NotFoundError()
    _capital(user, found.loan_id)
    return _repayment_out(capital.repayment_reverse(actor=user, repayment=found, reason=payload.reason))


# --- Mentoring, equipment, revenue --------------------------------------------------------------


@router.get("/umkm/businesses/{int:business_id}/mentoring", response={200: list[MentoringOut], **ERROR_RESPONSES},
            operation_id="umkm_mentoring_list", summary="A business's mentoring sessions")
def umkm_mentoring_list(request, business_id: int):
    business = _business(request.auth, business_id)
    return list(business.mentoring.values("id", "date", "topic", "mentor", "notes"))


@router.post("/umkm/businesses/{int:business_id}/mentoring", response={201: MentoringOut, **ERROR_RESPONSES},
             operation_id="umkm_mentoring_record", summary="Record a mentoring session")
def umkm_mentoring_record(request, business_id: int, payload: MentoringIn):
    user = request.auth
    business = _business(user, business_id)
    row = records.mentoring_record(actor=user, business=business, data=payload.dict())
    return Status(201, {"id": row.pk, "date": row.date, "topic": row.topic, "mentor": row.mentor, "notes": row.notes})


@router.post("/umkm/businesses/{int:business_id}/equipment", response={201: EquipmentOut, **ERROR_RESPONSES},
             operation_id="umkm_equipment_record", summary="Record in-kind equipment handed over")
def umkm_equipment_record(request, business_id: int, payload: EquipmentIn):
    user = request.auth
    business = _business(user, business_id)
    row = records.equipment_record(actor=user, business=business, data=payload.dict())
    return Status(201, {"id": row.pk, "item": row.item, "value": row.value, "given_on": row.given_on,
                        "note": row.note})


@router.get("/umkm/businesses/{int:business_id}/revenue", response={200: list[RevenueOut], **ERROR_RESPONSES},
            operation_id="umkm_revenue_list", summary="Monthly revenue and profit, newest first")
def umkm_revenue_list(request, business_id: int):
    business = _business(request.auth, business_id)
    return list(business.revenue.order_by("-month").values("month", "revenue", "profit", "note"))


@router.put("/umkm/businesses/{int:business_id}/revenue", response={200: RevenueOut, **ERROR_RESPONSES},
            operation_id="umkm_revenue_set", summary="Record a month's revenue and profit (again: update it)")
def umkm_revenue_set(request, business_id: int, payload: RevenueIn):
    user = request.auth
    business = _business(user, business_id)
    row = records.revenue_log_set(actor=user, business=business, month=payload.month, revenue=payload.revenue,
                                  profit=payload.profit, note=payload.note)
    return {"month": row.month, "revenue": row.revenue, "profit": row.profit, "note": row.note}
