"""In-kind equipment, mentoring sessions and monthly revenue logs of a business."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.core.audit import audit_log
from bansos.core.errors import Errors, raise_if_errors
from bansos.core.formats import rupiah
from bansos.umkm.access import require_business, require_umkm_role
from bansos.umkm.arithmetic import first_of_month
from bansos.umkm.models import Business, EquipmentSupport, Mentoring, RevenueLog
from bansos.umkm.services import is_int
from bansos.umkm.services.businesses import (
    MSG_DATE, MSG_DATE_FUTURE, MSG_REQUIRED, MSG_TOO_LONG, _text, require_open,
)

MSG_VALUE = _("Nilai harus Rp 0 atau lebih.")
MSG_MONTH_FUTURE = _("Bulan yang belum berjalan tidak dapat dicatat.")
MSG_MONTH_BEFORE_START = _("Bulan ini sebelum usaha dimulai.")
MSG_MONTH_AFTER_CLOSE = _("Bulan ini sesudah usaha tutup.")
MSG_REVENUE = _("Omzet harus Rp 0 atau lebih.")
MSG_PROFIT = _("Laba harus berupa bilangan bulat Rupiah (boleh negatif bila rugi).")
MSG_PROFIT_ABOVE_REVENUE = _("Laba tidak boleh lebih besar dari omzet.")
MAX_MONEY = 10**13


def _date(errors: Errors, name: str, value) -> dt.date | None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors.add(name, MSG_REQUIRED if value is None else MSG_DATE)
        return None
    if value > timezone.localdate():
        errors.add(name, MSG_DATE_FUTURE)
    return value


def _business(actor, business: Business) -> Business:
    require_umkm_role(actor)
    # The business row is locked: a month's revenue entered twice at once updates, never collides.
    business = Business.objects.select_for_update().select_related("program").get(pk=business.pk)
    require_business(actor, business)
    return business


@transaction.atomic
def equipment_record(*, actor, business: Business, data: dict[str, Any]) -> EquipmentSupport:
    """Record equipment handed over to a business (a sewing machine, a cart)."""
    business = _business(actor, business)
    require_open(business)
    errors = Errors()
    item = _text(errors, data, "item", 150, required=True)
    value = data.get("value") or 0
    if not is_int(value) or not 0 <= value <= MAX_MONEY:
        errors.add("value", MSG_VALUE)
    given_on = _date(errors, "given_on", data.get("given_on"))
    note = _text(errors, data, "note", 200, required=False)
    raise_if_errors(errors)
    row = EquipmentSupport.objects.create(business=business, item=item, value=value, given_on=given_on, note=note,
                                          recorded_by=actor)
    audit_log(actor=actor, action="umkm.equipment.record", obj=row, object_label=f"{business}: {item}",
              household_id=business.household_id, changes={"item": item, "value": value, "given_on": given_on},
              reason=note)
    return row


@transaction.atomic
def mentoring_record(*, actor, business: Business, data: dict[str, Any]) -> Mentoring:
    """Record a mentoring session with the business owner."""
    business = _business(actor, business)
    require_open(business)
    errors = Errors()
    date = _date(errors, "date", data.get("date"))
    topic = _text(errors, data, "topic", 150, required=True)
    mentor = _text(errors, data, "mentor", 120, required=True)
    notes = data.get("notes") or ""
    notes = notes.strip() if isinstance(notes, str) else ""
    if len(notes) > 5000:
        errors.add("notes", MSG_TOO_LONG, max=5000)
    raise_if_errors(errors)
    row = Mentoring.objects.create(business=business, date=date, topic=topic, mentor=mentor, notes=notes,
                                   recorded_by=actor)
    audit_log(actor=actor, action="umkm.mentoring.record", obj=row, object_label=f"{business}: {topic}",
              household_id=business.household_id, changes={"date": date, "topic": topic, "mentor": mentor})
    return row


@transaction.atomic
def revenue_log_set(*, actor, business: Business, month: dt.date, revenue: int, profit: int,
                    note: str = "") -> RevenueLog:
    """Record a month's revenue and profit; the same month again updates it (old → new in the audit)."""
    business = _business(actor, business)
    errors = Errors()
    if not isinstance(month, dt.date):
        errors.add("month", MSG_REQUIRED if month is None else MSG_DATE)
    else:
        month = first_of_month(month)
        if month > first_of_month(timezone.localdate()):
            errors.add("month", MSG_MONTH_FUTURE)
        elif month < first_of_month(business.started_on):
            errors.add("month", MSG_MONTH_BEFORE_START)
        elif business.closed_on is not None and month > first_of_month(business.closed_on):
            errors.add("month", MSG_MONTH_AFTER_CLOSE)
    if not is_int(revenue) or not 0 <= revenue <= MAX_MONEY:
        errors.add("revenue", MSG_REVENUE)
    if not is_int(profit) or abs(profit) > MAX_MONEY:
        errors.add("profit", MSG_PROFIT)
    elif is_int(revenue) and revenue >= 0 and profit > revenue:
        errors.add("profit", MSG_PROFIT_ABOVE_REVENUE)
    note = (note or "").strip() if isinstance(note, str) else ""
    if len(note) > 200:
        errors.add("note", MSG_TOO_LONG, max=200)
    raise_if_errors(errors)
    row = RevenueLog.objects.select_for_update().filter(business=business, month=month).first()
    label = f"{business}: {month:%Y-%m}"
    if row is None:
        row = RevenueLog.objects.create(business=business, month=month, revenue=revenue, profit=profit, note=note,
                                        recorded_by=actor)
        audit_log(actor=actor, action="umkm.revenue.record", obj=row, object_label=label,
                  household_id=business.household_id,
                  changes={"month": month, "revenue": [None, revenue], "profit": [None, profit]})
        return row
    changes = {name: [getattr(row, name), new] for name, new in (("revenue", revenue), ("profit", profit),
                                                                   ("note", note)) if getattr(row, name) != new}
    if changes:
        for name, (_old, new) in changes.items():
            setattr(row, name, new)
        row.recorded_by = actor
        row.save()
        audit_log(actor=actor, action="umkm.revenue.update", obj=row, object_label=label,
                  household_id=business.household_id, changes={"month": month, **changes},
                  reason=f"{rupiah(changes['revenue'][0])} → {rupiah(changes['revenue'][1])}"
                  if "revenue" in changes else "")
    return row
