"""Every write of the health app: open a session, record or correct a visit, resolve an alert, export.

Each service runs in one transaction, checks the rules (``bansos.health.access``), writes the rows and
an audit event on the child's household. A visit's z-scores come from ``bansos.health.growth``; an
impossible measurement is refused with the engine's message and nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, Errors, NotFoundError, raise_if_errors
from bansos.health import growth
from bansos.health.access import child_in_posyandu, require_child, require_posyandu
from bansos.health.models import AlertKind, ChildVisit, GrowthAlert, Immunization, Position, PosyanduSession, VitaminA

MSG_SESSION_EXISTS = _("Sesi posyandu bulan ini sudah dibuka.")
MSG_VISIT_EXISTS = _("Anak ini sudah diukur pada sesi ini; ubah kunjungan yang ada.")
MSG_NOT_IN_AREA = _("Anak ini tidak tinggal di wilayah RT yang dilayani posyandu ini.")
MSG_NOT_ACTIVE = _("Anak ini tidak lagi tercatat aktif di registri.")
MSG_DATE_MONTH = _("Tanggal kunjungan harus di bulan sesi (%(month)s).")
MSG_DATE_FUTURE = _("Tanggal kunjungan tidak boleh di masa depan.")
MSG_REQUIRED = _("Wajib diisi.")
MSG_NUMBER = _("Isi dengan angka, misalnya 8,5.")
MSG_RANGE = _("Di luar rentang yang mungkin (%(low)s–%(high)s %(unit)s).")
MSG_POSITION = _("Pilih cara ukur: berbaring atau berdiri.")
MSG_IMMUNIZATION = _("Jenis imunisasi tidak dikenal: %(value)s.")
MSG_NEED_MEASUREMENT = _("Isi berat badan atau panjang/tinggi badan.")
MSG_REASON = _("Tuliskan alasan perubahan.")
MSG_ALERT_RESOLVED = _("Peringatan ini sudah ditindaklanjuti.")
MSG_RESOLUTION = _("Tuliskan tindak lanjutnya (misalnya: dirujuk ke puskesmas tanggal …).")

# Broad physical limits on the raw inputs (kg / cm); the WHO plausibility flags do the finer check.
LIMITS = {"weight_kg": (Decimal("0.5"), Decimal("40"), "kg"), "length_cm": (Decimal("35"), Decimal("130"), "cm"),
          "head_cm": (Decimal("25"), Decimal("60"), "cm"), "muac_cm": (Decimal("6"), Decimal("30"), "cm")}
PLACES = {"weight_kg": Decimal("0.01"), "length_cm": Decimal("0.1"), "head_cm": Decimal("0.1"),
          "muac_cm": Decimal("0.1")}
MEASURED_FIELDS = ("visit_date", "weight_kg", "length_cm", "position", "head_cm", "muac_cm", "oedema",
                   "immunizations", "vitamin_a", "notes")
COMPUTED_FIELDS = ("age_days", "length_used_cm", "waz", "haz", "whz", "baz", "waz_class", "haz_class",
                   "whz_class", "baz_class")
SEVERE_MUAC_CM = Decimal("11.5")  # WHO: MUAC < 11.5 cm at 6-59 months is severe acute malnutrition
MUAC_FROM_DAYS = 183


def _decimal(value: Any, name: str, errors: Errors) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.add(name, MSG_NUMBER)
        return None
    if not number.is_finite():
        errors.add(name, MSG_NUMBER)
        return None
    low, high, unit = LIMITS[name]
    if not (low <= number <= high):
        errors.add(name, MSG_RANGE, low=str(low).replace(".", ","), high=str(high), unit=unit)
        return None
    return number.quantize(PLACES[name])


def _clean(session: PosyanduSession, data: dict[str, Any]) -> dict[str, Any]:
    errors = Errors()
    visit_date = data.get("visit_date") or session.date
    if isinstance(visit_date, str):
        try:
            visit_date = dt.date.fromisoformat(visit_date)
        except ValueError:
            errors.add("visit_date", _("Tanggal tidak valid."))
    out: dict[str, Any] = {"visit_date": visit_date}
    if isinstance(visit_date, dt.date):
        if (visit_date.year, visit_date.month) != (session.month.year, session.month.month):
            errors.add("visit_date", MSG_DATE_MONTH, month=f"{session.month:%m/%Y}")
        elif visit_date > timezone.localdate():
            errors.add("visit_date", MSG_DATE_FUTURE)
    for name in LIMITS:
        out[name] = _decimal(data.get(name), name, errors)
    position = data.get("position") or ""
    if position not in Position.values and position != "":
        errors.add("position", MSG_POSITION)
    if out["length_cm"] is not None and not position:
        errors.add("position", MSG_POSITION)
    out["position"] = position if out["length_cm"] is not None else ""
    if out["weight_kg"] is None and out["length_cm"] is None and not errors:
        errors.add("weight_kg", MSG_NEED_MEASUREMENT)
    given = data.get("immunizations") or []
    for value in given:
        if value not in Immunization.values:
            errors.add("immunizations", MSG_IMMUNIZATION, value=str(value)[:20])
    out["immunizations"] = [v for v in Immunization.values if v in given]
    vitamin_a = data.get("vitamin_a") or ""
    if vitamin_a not in VitaminA.values:
        errors.add("vitamin_a", _("Pilihan vitamin A tidak dikenal."))
    out["vitamin_a"] = vitamin_a
    out["oedema"] = bool(data.get("oedema"))
    out["notes"] = (data.get("notes") or "").strip()
    raise_if_errors(errors)
    return out


def _score(child, clean: dict[str, Any]) -> dict[str, Any]:
    """The computed columns for a cleaned measurement; an impossible value becomes the field's error."""
    age_days = (clean["visit_date"] - child.birth_date).days
    try:
        result = growth.compute(
            sex=child.sex, age_days=age_days,
            weight_kg=float(clean["weight_kg"]) if clean["weight_kg"] is not None else None,
            length_cm=float(clean["length_cm"]) if clean["length_cm"] is not None else None,
            lying=None if clean["length_cm"] is None else clean["position"] == Position.LYING,
            oedema=clean["oedema"])
    except growth.GrowthInputError as exc:
        raise_if_errors({exc.field: [exc.message]})

    def dec(z):
        return None if z is None else Decimal(f"{z:.2f}")

    return {"age_days": age_days, "length_used_cm": dec(result.length_used), "waz": dec(result.waz),
            "haz": dec(result.haz), "whz": dec(result.whz), "baz": dec(result.baz), "waz_class": result.waz_class,
            "haz_class": result.haz_class, "whz_class": result.whz_class, "baz_class": result.baz_class}


def _changes(visit: ChildVisit) -> dict[str, Any]:
    return {name: getattr(visit, name) for name in MEASURED_FIELDS + COMPUTED_FIELDS}


@transaction.atomic
def session_open(*, actor, posyandu, date: dt.date, place: str = "", notes: str = "") -> PosyanduSession:
    """Open the posyandu's session for the month of ``date`` (one per month)."""
    require_posyandu(actor, P.HEALTH_RECORD, posyandu)
    month = date.replace(day=1)
    if PosyanduSession.objects.filter(posyandu=posyandu, month=month).exists():
        raise DomainError("session_exists", MSG_SESSION_EXISTS)
    session = PosyanduSession.objects.create(posyandu=posyandu, month=month, date=date, place=place.strip()[:150],
                                             notes=notes.strip(), opened_by=actor)
    audit_log(actor=actor, action="health.session.open", obj=session,
              changes={"date": date, "place": session.place})
    return session


def _lock_child(child):
    from bansos.registry.models import Resident

    # One writer at a time per child: the alert rules read the child's earlier visits and open alerts.
    return Resident.objects.select_for_update().select_related("household").get(pk=child.pk)


@transaction.atomic
def visit_record(*, actor, session: PosyanduSession, child, data: dict[str, Any]) -> ChildVisit:
    """Record a child's measurement at a session, with its z-scores, and raise the alerts it calls for."""
    require_posyandu(actor, P.HEALTH_RECORD, session.posyandu)
    child = _lock_child(child)
    require_child(actor, P.HEALTH_RECORD, child)
    if not child_in_posyandu(child, session.posyandu):
        raise DomainError("not_in_area", MSG_NOT_IN_AREA)
    if child.status != "active":
        raise DomainError("not_active", MSG_NOT_ACTIVE)
    if ChildVisit.objects.filter(session=session, child=child).exists():
        raise DomainError("visit_exists", MSG_VISIT_EXISTS)
    clean = _clean(session, data)
    computed = _score(child, clean)
    visit = ChildVisit.objects.create(session=session, child=child, household=child.household,
                                      recorded_by=actor, **clean, **computed)
    audit_log(actor=actor, action="health.visit.record", obj=visit, household_id=child.household_id,
              changes=_changes(visit))
    _raise_alerts(actor=actor, visit=visit)
    return visit


@transaction.atomic
def visit_correct(*, actor, visit: ChildVisit, data: dict[str, Any], reason: str) -> ChildVisit:
    """Correct a recorded visit: z-scores and the visit's open alerts are computed again."""
    visit = ChildVisit.objects.select_for_update().select_related("session__posyandu").get(pk=visit.pk)
    require_posyandu(actor, P.HEALTH_RECORD, visit.session.posyandu)
    child = _lock_child(visit.child)
    require_child(actor, P.HEALTH_RECORD, child)
    if not (reason or "").strip():
        raise_if_errors({"reason": [str(MSG_REASON)]})
    clean = _clean(visit.session, data)
    computed = _score(child, clean)
    before = _changes(visit)
    for name, value in {**clean, **computed}.items():
        setattr(visit, name, value)
    visit.save()
    visit.refresh_from_db()
    after = _changes(visit)
    audit_log(actor=actor, action="health.visit.correct", obj=visit, household_id=visit.household_id,
              changes={k: [before[k], after[k]] for k in after if before[k] != after[k]}, reason=reason.strip())
    visit.alerts.filter(resolved=False).delete()
    _raise_alerts(actor=actor, visit=visit)
    return visit


def alert_conditions(visit: ChildVisit, earlier: list[ChildVisit]) -> list[str]:
    """The alert kinds a visit calls for, given the child's earlier visits (newest first)."""
    kinds = []
    if visit.weight_kg is not None and len(earlier) >= 2:
        p1, p2 = earlier[0], earlier[1]

        def month_index(v):
            return v.visit_date.year * 12 + v.visit_date.month

        consecutive = month_index(visit) - month_index(p1) == 1 and month_index(p1) - month_index(p2) == 1
        if consecutive and p1.weight_kg is not None and p2.weight_kg is not None \
                and visit.weight_kg <= p1.weight_kg and p1.weight_kg <= p2.weight_kg:
            kinds.append(AlertKind.NO_GAIN_2T)
    if visit.haz is not None and visit.haz < -2:
        before = next((v for v in earlier if v.haz is not None), None)
        if before is None or before.haz >= -2:
            kinds.append(AlertKind.NEWLY_STUNTED)
    severe_muac = (visit.muac_cm is not None and visit.muac_cm < SEVERE_MUAC_CM
                   and visit.age_days >= MUAC_FROM_DAYS)
    if (visit.whz is not None and visit.whz < -3) or visit.oedema or severe_muac:
        kinds.append(AlertKind.SEVERE_WASTING)
    return kinds


def _raise_alerts(*, actor, visit: ChildVisit) -> list[GrowthAlert]:
    earlier = list(ChildVisit.objects.filter(child_id=visit.child_id, visit_date__lt=visit.visit_date)
                   .order_by("-visit_date")[:12])
    open_kinds = set(GrowthAlert.objects.filter(child_id=visit.child_id, resolved=False)
                     .values_list("kind", flat=True))
    raised = []
    for kind in alert_conditions(visit, earlier):
        if kind in open_kinds:
            continue  # already open: one open alert per kind until it is followed up
        alert = GrowthAlert.objects.create(kind=kind, child_id=visit.child_id, visit=visit)
        audit_log(actor=actor, action="health.alert.raise", obj=alert, household_id=visit.household_id,
                  changes={"kind": kind, "visit": visit.pk})
        raised.append(alert)
    return raised


@transaction.atomic
def alert_resolve(*, actor, alert: GrowthAlert, resolution: str) -> GrowthAlert:
    """Mark an alert as followed up, with what was done."""
    alert = GrowthAlert.objects.select_for_update().select_related("child__household", "visit").get(pk=alert.pk)
    require_child(actor, P.HEALTH_RECORD, alert.child)
    if alert.resolved:
        raise DomainError("alert_resolved", MSG_ALERT_RESOLVED)
    resolution = (resolution or "").strip()
    if not resolution:
        raise_if_errors({"resolution": [str(MSG_RESOLUTION)]})
    alert.resolved, alert.resolved_at, alert.resolved_by = True, timezone.now(), actor
    alert.resolution = resolution[:250]
    alert.save(update_fields=["resolved", "resolved_at", "resolved_by", "resolution"])
    audit_log(actor=actor, action="health.alert.resolve", obj=alert, household_id=alert.visit.household_id,
              changes={"kind": alert.kind}, reason=alert.resolution)
    return alert


EXPORT_COLUMNS = ("tanggal", "nama", "jenis_kelamin", "tanggal_lahir", "umur_hari", "rt_rw", "berat_kg",
                  "panjang_tinggi_cm", "cara_ukur", "lingkar_kepala_cm", "lila_cm", "edema", "bb_u_z", "bb_u",
                  "pb_tb_u_z", "pb_tb_u", "bb_pb_tb_z", "bb_pb_tb", "imt_u_z", "imt_u", "imunisasi", "vitamin_a")


@transaction.atomic
def session_export(*, actor, session: PosyanduSession) -> str:
    """The session's measurements as CSV (specific personal data leaves the platform: audited)."""
    require_posyandu(actor, P.HEALTH_EXPORT, session.posyandu)
    if session.pk is None:
        raise NotFoundError()
    visits = (ChildVisit.objects.filter(session=session).select_related("child", "household__rt__rw")
              .order_by("child__full_name"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for v in visits:
        count += 1
        writer.writerow([
            v.visit_date.isoformat(), v.child.full_name, v.child.sex, v.child.birth_date.isoformat(), v.age_days,
            v.household.rt.label, v.weight_kg or "", v.length_cm or "", v.position, v.head_cm or "",
            v.muac_cm or "", "ya" if v.oedema else "tidak",
            v.waz if v.waz is not None else "", growth.class_label(v.waz_class),
            v.haz if v.haz is not None else "", growth.class_label(v.haz_class),
            v.whz if v.whz is not None else "", growth.class_label(v.whz_class),
            v.baz if v.baz is not None else "", growth.class_label(v.baz_class),
            " ".join(v.immunizations), v.vitamin_a,
        ])
    audit_log(actor=actor, action="health.session.export", obj=session, changes={"rows": count})
    return out.getvalue()
