"""The household history as a person reads it: audit events with labels, Rupiah, dates, masked NIKs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bansos.core.audit import action_label, register_action_labels
from bansos.core.formats import mask_nik, rupiah, tanggal
from bansos.registry import selectors
from bansos.registry.panels import history_for

register_action_labels({
    "household.create": _("Keluarga didaftarkan"),
    "household.update": _("Data keluarga diubah"),
    "household.status": _("Status keluarga diubah"),
    "household.import_create": _("Keluarga didaftarkan lewat impor berkas"),
    "household.import_update": _("Data keluarga diperbarui lewat impor berkas"),
    "resident.create": _("Anggota keluarga ditambahkan"),
    "resident.update": _("Data warga diperbaiki"),
    "resident.status": _("Status warga diubah"),
    "resident.move_out": _("Warga pindah ke keluarga lain"),
    "resident.move_in": _("Warga pindah masuk dari keluarga lain"),
    "dsr.create": _("Permintaan data pribadi dicatat"),
    "dsr.status": _("Status permintaan data pribadi diubah"),
    "registry.export_access": _("Salinan data pribadi diberikan (permintaan akses)"),
    "registry.import": _("Data diimpor dari berkas"),
    "registry.export": _("Data pribadi diekspor"),
})

_EXTRA_FIELD_LABELS = {"household": _("keluarga"), "request": _("permintaan"), "members": _("anggota")}
# Money is integer Rupiah everywhere; these names are shown as Rp amounts in any model.
MONEY_FIELD_NAMES = {"monthly_income", "monthly_expenditure"}


def _model_for(object_type: str):
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None


def _display(model, name: str, value: Any, *, can_nik: bool, kk_numbers: dict[int, str]) -> str:
    if value is None or value == "":
        return "–"
    if name == "nik":
        return str(value) if can_nik else mask_nik(str(value))
    if name == "household":
        try:
            return f"KK {kk_numbers[int(value)]}"
        except (KeyError, ValueError):
            return _t("keluarga lain")
    if name in MONEY_FIELD_NAMES and isinstance(value, int):
        return rupiah(value)
    try:
        field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        field = None
    if isinstance(value, bool):
        return _t("Ya") if value else _t("Tidak")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return tanggal(dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return str(value)


def _field_label(model, name: str) -> str:
    if name in _EXTRA_FIELD_LABELS:
        return str(_EXTRA_FIELD_LABELS[name])
    try:
        return str(model._meta.get_field(name).verbose_name) if model else name
    except FieldDoesNotExist:
        return name


def history_entries(events, *, user, can_nik: bool) -> list[dict[str, Any]]:
    """Audit events ready for the template: who, when, what, which fields from what to what, why."""
    events = history_for(user=user, events=events)
    moved = {
        int(v) for e in events if e.action.startswith("resident.move") for v in e.changes.get("household", []) if v
    }
    kk_numbers = selectors.household_kk_numbers(user=user, ids=moved) if moved else {}
    entries = []
    for event in events:
        model = _model_for(event.object_type)
        # A new record has no "before": show its values alone rather than "– -> value" for each.
        created = event.action.endswith(".create") or event.action.endswith("_create")
        changes = []
        for name, pair in (event.changes or {}).items():
            old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            changes.append({
                "label": _field_label(model, name),
                "old": None if created else _display(model, name, old, can_nik=can_nik, kk_numbers=kk_numbers),
                "new": _display(model, name, new, can_nik=can_nik, kk_numbers=kk_numbers),
            })
        entries.append({
            "at": event.created_at,
            "actor": event.actor_name or _t("sistem"),
            "action": action_label(event.action),
            "code": event.action,
            "created": created,
            "subject": event.object_label,
            "changes": changes,
            "reason": event.reason,
        })
    return entries
