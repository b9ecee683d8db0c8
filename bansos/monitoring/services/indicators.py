"""Indicators: the default set and the admin's edits of targets and definitions."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log, diff, snapshot
from bansos.core.errors import ValidationFailed
from bansos.monitoring.models import Indicator

MSG_NAME_REQUIRED = _("Nama indikator wajib diisi.")
MSG_DEFINITION_REQUIRED = _("Definisi indikator wajib diisi.")
MSG_TARGET_DATE = _("Tanggal target tidak boleh sebelum tanggal baseline.")

EDITABLE = ("name", "definition", "baseline", "baseline_date", "target", "target_date", "is_active")


def default_specs():
    """Every registered default indicator (the built-in ones and other apps')."""
    from bansos.monitoring import defaults
    from bansos.monitoring.indicators import DEFAULT_INDICATORS, load_builtin

    load_builtin()
    defaults.register()
    return DEFAULT_INDICATORS


def indicators_ensure() -> int:
    """Create the default indicators that do not exist yet; return how many were created."""
    specs = default_specs()
    existing = set(Indicator.objects.values_list("code", flat=True))
    fresh = [
        Indicator(code=s.code, name=str(s.name), definition=str(s.definition), area=s.area,
                  computation=s.computation, unit=s.unit, direction=s.direction, breakdowns=list(s.breakdowns),
                  params=dict(s.params), target=s.target, target_date=s.target_date, order=s.order)
        for code, s in specs.items() if code not in existing
    ]
    Indicator.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, name: str, definition: str, baseline: float | None,
                     baseline_date: dt.date | None, target: float | None, target_date: dt.date | None,
                     is_active: bool) -> Indicator:
    """Change an indicator's wording, baseline and target (its computation stays in code)."""
    require(actor, P.MONITORING_MANAGE)
    errors: dict[str, list] = {}
    if not (name or "").strip():
        errors["name"] = [MSG_NAME_REQUIRED]
    if not (definition or "").strip():
        errors["definition"] = [MSG_DEFINITION_REQUIRED]
    if baseline_date and target_date and target_date < baseline_date:
        errors["target_date"] = [MSG_TARGET_DATE]
    if errors:
        raise ValidationFailed(errors)
    current = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = snapshot(current, EDITABLE)
    current.name, current.definition = name.strip(), definition.strip()
    current.baseline, current.baseline_date = baseline, baseline_date
    current.target, current.target_date, current.is_active = target, target_date, is_active
    current.save(update_fields=[*EDITABLE, "updated_at"])
    audit_log(actor=actor, action="monitoring.indicator.update", obj=current,
              changes=diff(before, snapshot(current, EDITABLE)))
    return current
