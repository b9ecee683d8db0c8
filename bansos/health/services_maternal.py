"""Every write of maternal care: open a pregnancy (and set the registry's ``pregnant`` flag), correct its
expected delivery date, record antenatal visits with their risk flags, the delivery, postnatal visits, end a
pregnancy otherwise, record a maternal or child death for monitoring, export the area's pregnancies.

Each service runs in one transaction, checks the rules of ``bansos.health.access`` (the kelurahan admin, or
a cadre of the posyandu serving the woman's RT), refuses bad or implausible input with a field message and
nothing written, and writes an audit event on the woman's household. Health education and referrals are in
``services_outreach.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, Errors, raise_if_errors
from bansos.health import maternal
from bansos.health.access import require_household, require_posyandu
from bansos.health.models_maternal import (
    NOT_PREGNANT_ANY_MORE, PREGNANCY_TRANSITIONS, AntenatalVisit, Attendant, BirthOutcome, CarePlace, DeathCause,
    DeathKind, Delivery, HealthDeath, PostnatalVisit, Pregnancy, PregnancyStatus,
)

MSG_REQUIRED = _("Wajib diisi.")
MSG_DATE = _("Tanggal tidak valid.")
MSG_FUTURE = _("Tanggal tidak boleh di masa depan.")
MSG_NUMBER = _("Isi dengan angka, misalnya 23,5.")
MSG_WHOLE = _("Isi dengan bilangan bulat.")
MSG_RANGE = _("Di luar rentang yang mungkin (%(low)s–%(high)s %(unit)s).")
MSG_CHOICE = _("Pilih salah satu pilihan yang tersedia.")
MSG_REASON = _("Tuliskan alasan perubahan.")
MSG_NOT_WOMAN = _("Kehamilan hanya dapat dicatat untuk warga perempuan.")
MSG_MOTHER_AGE = _("Umur ibu pada HPHT harus antara 10 dan 60 tahun.")
MSG_NOT_ACTIVE = _("Warga ini tidak lagi tercatat aktif di registri.")
MSG_ONGOING_EXISTS = _("Ibu ini sudah tercatat sedang hamil; buka kehamilan yang ada.")
MSG_LMP_OLD = _("HPHT lebih dari 44 minggu yang lalu: periksa kembali tanggalnya.")
MSG_EDD_RANGE = _("HPL harus 34–44 minggu setelah HPHT.")
MSG_EDD_REASON = _("HPL berbeda dari perhitungan Naegele (%(edd)s): tuliskan alasannya, misalnya hasil USG.")
MSG_PARA = _("Jumlah persalinan (P) harus lebih kecil dari kehamilan ke- (G).")
MSG_NOT_ONGOING = _("Kehamilan ini sudah tidak berjalan (%(status)s).")
MSG_BEFORE_LMP = _("Tanggal tidak boleh sebelum HPHT (%(lmp)s).")
MSG_TOO_LATE = _("Tanggal lebih dari 44 minggu setelah HPHT: periksa kembali tanggalnya.")
MSG_VISIT_EXISTS = _("Pemeriksaan pada tanggal ini sudah dicatat.")
MSG_NEED_MEASUREMENT = _("Isi minimal satu hasil pemeriksaan: berat badan, tekanan darah, LiLA atau Hb.")
MSG_BP_BOTH = _("Isi tekanan darah sistolik dan diastolik.")
MSG_BP_ORDER = _("Tekanan diastolik harus lebih rendah dari sistolik.")
MSG_DELIVERY_EARLY = _("Persalinan sebelum usia kehamilan 20 minggu dicatat sebagai keguguran.")
MSG_BABY_STILLBIRTH = _("Bayi lahir mati tidak ditautkan ke warga registri.")
MSG_BABY_BIRTH = _("Tanggal lahir bayi di registri (%(birth)s) tidak sama dengan tanggal persalinan.")
MSG_BABY_UNKNOWN = _("Bayi tidak ditemukan di registri.")
MSG_NOT_DELIVERED = _("Kunjungan nifas dicatat setelah persalinan dicatat.")
MSG_POSTNATAL_RANGE = _("Kunjungan nifas harus antara hari persalinan dan 42 hari sesudahnya.")
MSG_END_STATUS = _("Pilih cara kehamilan berakhir: keguguran, aborsi, lainnya, atau pindah wilayah.")
MSG_DEATH_PERSON = _("Warga ini bukan anggota keluarga tersebut.")
MSG_DEATH_AGE = _("Umur saat meninggal (%(age)s) tidak sesuai dengan jenis kematian ini.")
MSG_DEATH_MOTHER = _("Kematian ibu dicatat untuk warga perempuan.")
MSG_DEATH_RECORDED = _("Kematian warga ini sudah dicatat.")

# Plausibility limits of an antenatal measurement (low, high, unit): outside them is a typing error.
LIMITS: dict[str, tuple[Decimal, Decimal, str]] = {
    "weight_kg": (Decimal("30"), Decimal("200"), "kg"),
    "systolic": (Decimal("60"), Decimal("250"), "mmHg"),
    "diastolic": (Decimal("30"), Decimal("150"), "mmHg"),
    "muac_cm": (Decimal("15"), Decimal("45"), "cm"),
    "hb_g_dl": (Decimal("3"), Decimal("20"), "g/dL"),
    "birth_weight_g": (Decimal("300"), Decimal("7000"), "g"),
    "gravida": (Decimal("1"), Decimal("20"), ""),
    "para": (Decimal("0"), Decimal("19"), ""),
}
WHOLE = {"systolic", "diastolic", "birth_weight_g", "gravida", "para"}
EDD_MIN_DAYS, EDD_MAX_DAYS = 34 * 7, 44 * 7
DELIVERY_MIN_DAYS = 20 * 7
POSTNATAL_DAYS = 42
ANC_FIELDS = ("visit_date", "gestational_days", "place", "weight_kg", "systolic", "diastolic", "muac_cm", "hb_g_dl",
              "kek", "high_bp", "anaemia")
END_STATUSES = (PregnancyStatus.MISCARRIAGE, PregnancyStatus.ABORTION, PregnancyStatus.ENDED_OTHER,
                PregnancyStatus.MOVED)


# -- input cleaning (shared with services_outreach) ---------------------------------------------------------

def clean_date(value: Any, name: str, errors: Errors, *, required: bool = True,
               allow_future: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            errors.add(name, MSG_REQUIRED)
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            errors.add(name, MSG_DATE)
            return None
    if not isinstance(value, dt.date):
        errors.add(name, MSG_DATE)
        return None
    if not allow_future and value > timezone.localdate():
        errors.add(name, MSG_FUTURE)
        return None
    return value


def clean_number(value: Any, name: str, errors: Errors) -> Decimal | int | None:
    """A measurement within its plausibility limits (``LIMITS``); "23,5" and "23.5" both read."""
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
    if name in WHOLE and number != number.to_integral_value():
        errors.add(name, MSG_WHOLE)
        return None
    low, high, unit = LIMITS[name]
    if not (low <= number <= high):
        errors.add(name, MSG_RANGE, low=str(low), high=str(high), unit=unit)
        return None
    return int(number) if name in WHOLE else number.quantize(Decimal("0.1"))


def clean_choice(value: Any, name: str, choices, errors: Errors, *, required: bool = True) -> str:
    value = (value or "").strip() if isinstance(value, str) else (value or "")
    if not value:
        if required:
            errors.add(name, MSG_REQUIRED)
        return ""
    if value not in choices.values:
        errors.add(name, MSG_CHOICE)
        return ""
    return value


def _text(data: dict[str, Any], name: str, limit: int | None = None) -> str:
    text = " ".join(str(data.get(name) or "").split()) if limit else str(data.get(name) or "").strip()
    return text[:limit] if limit else text


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise_if_errors({"reason": [str(MSG_REASON)]})
    return reason[:250]


def _lock(pregnancy: Pregnancy) -> Pregnancy:
    # One writer at a time per pregnancy: the status check and the visit/delivery rows depend on it.
    return (Pregnancy.objects.select_for_update().select_related("mother__household")
            .get(pk=pregnancy.pk))


def _require_ongoing(pregnancy: Pregnancy) -> None:
    if pregnancy.status != PregnancyStatus.ONGOING:
        raise DomainError("pregnancy_not_ongoing", MSG_NOT_ONGOING,
                          status=str(PregnancyStatus(pregnancy.status).label))


def _set_registry_flag(*, actor, mother, pregnant: bool, reason: str) -> None:
    from bansos.registry.services import resident_pregnancy_set

    resident_pregnancy_set(actor=actor, resident=mother, pregnant=pregnant, reason=reason)


# -- pregnancies ------------------------------------------------------------------------------------------

@transaction.atomic
def pregnancy_open(*, actor, mother, data: dict[str, Any]) -> Pregnancy:
    """Open a woman's pregnancy (LMP, EDD by Naegele unless given with a reason) and flag her pregnant."""
    from bansos.registry.models import Resident

    mother = Resident.objects.select_for_update().select_related("household").get(pk=mother.pk)
    require_household(actor, P.HEALTH_RECORD, mother.household)
    if mother.status != "active":
        raise DomainError("not_active", MSG_NOT_ACTIVE)
    if mother.sex != "P":
        raise DomainError("not_woman", MSG_NOT_WOMAN, field="mother")
    if Pregnancy.objects.filter(mother=mother, status=PregnancyStatus.ONGOING).exists():
        raise DomainError("pregnancy_exists", MSG_ONGOING_EXISTS)
    errors = Errors()
    today = timezone.localdate()
    lmp = clean_date(data.get("lmp"), "lmp", errors)
    if lmp is not None:
        if (today - lmp).days > maternal.MAX_GESTATION_DAYS:
            errors.add("lmp", MSG_LMP_OLD)
        elif not (10 <= maternal.age_on(mother.birth_date, lmp) <= 60):
            errors.add("lmp", MSG_MOTHER_AGE)
    edd = clean_date(data.get("edd"), "edd", errors, required=False, allow_future=True)
    edd_reason = _text(data, "edd_reason", 250)
    if lmp is not None and "lmp" not in errors:
        naegele = maternal.edd_from_lmp(lmp)
        if edd is None or edd == naegele:
            edd, edd_reason = naegele, ""
        elif not (EDD_MIN_DAYS <= (edd - lmp).days <= EDD_MAX_DAYS):
            errors.add("edd", MSG_EDD_RANGE)
        elif not edd_reason:
            errors.add("edd_reason", MSG_EDD_REASON, edd=f"{naegele:%d/%m/%Y}")
    gravida = clean_number(data.get("gravida"), "gravida", errors)
    para = clean_number(data.get("para"), "para", errors)
    if gravida is not None and para is not None and para >= gravida:
        errors.add("para", MSG_PARA)
    raise_if_errors(errors)
    try:
        with transaction.atomic():
            pregnancy = Pregnancy.objects.create(mother=mother, household=mother.household, lmp=lmp, edd=edd,
                                                 edd_reason=edd_reason, gravida=gravida, para=para,
                                                 opened_by=actor)
    except IntegrityError as exc:  # a second cadre opened the same woman's pregnancy at the same moment
        raise DomainError("pregnancy_exists", MSG_ONGOING_EXISTS) from exc
    audit_log(actor=actor, action="health.pregnancy.open", obj=pregnancy, household_id=mother.household_id,
              changes={"lmp": lmp, "edd": edd, "gravida": gravida, "para": para}, reason=edd_reason)
    _set_registry_flag(actor=actor, mother=mother, pregnant=True, reason=str(_("Kehamilan dicatat di posyandu")))
    return pregnancy


@transaction.atomic
def pregnancy_set_edd(*, actor, pregnancy: Pregnancy, edd: Any, reason: str) -> Pregnancy:
    """Correct the expected delivery date (e.g. after an ultrasound), with a reason."""
    pregnancy = _lock(pregnancy)
    require_household(actor, P.HEALTH_RECORD, pregnancy.mother.household)
    _require_ongoing(pregnancy)
    errors = Errors()
    new = clean_date(edd, "edd", errors, allow_future=True)
    if new is not None and not (EDD_MIN_DAYS <= (new - pregnancy.lmp).days <= EDD_MAX_DAYS):
        errors.add("edd", MSG_EDD_RANGE)
    if not (reason or "").strip():
        errors.add("reason", MSG_REASON)
    raise_if_errors(errors)
    old = pregnancy.edd
    pregnancy.edd, pregnancy.edd_reason = new, reason.strip()[:250]
    pregnancy.save(update_fields=["edd", "edd_reason", "updated_at"])
    audit_log(actor=actor, action="health.pregnancy.edd", obj=pregnancy, household_id=pregnancy.mother.household_id,
              changes={"edd": [old, new]}, reason=pregnancy.edd_reason)
    return pregnancy


def _clean_anc(pregnancy: Pregnancy, data: dict[str, Any]) -> dict[str, Any]:
    errors = Errors()
    visit_date = clean_date(data.get("visit_date") or timezone.localdate(), "visit_date", errors)
    if visit_date is not None:
        if visit_date < pregnancy.lmp:
            errors.add("visit_date", MSG_BEFORE_LMP, lmp=f"{pregnancy.lmp:%d/%m/%Y}")
        elif (visit_date - pregnancy.lmp).days > maternal.MAX_GESTATION_DAYS:
            errors.add("visit_date", MSG_TOO_LATE)
    out: dict[str, Any] = {"visit_date": visit_date}
    out["place"] = clean_choice(data.get("place") or CarePlace.POSYANDU, "place", CarePlace, errors)
    for name in ("weight_kg", "systolic", "diastolic", "muac_cm", "hb_g_dl"):
        out[name] = clean_number(data.get(name), name, errors)
    if "systolic" not in errors and "diastolic" not in errors:
        if (out["systolic"] is None) != (out["diastolic"] is None):
            errors.add("diastolic" if out["diastolic"] is None else "systolic", MSG_BP_BOTH)
        elif out["systolic"] is not None and out["diastolic"] >= out["systolic"]:
            errors.add("diastolic", MSG_BP_ORDER)
    if not errors and all(out[n] is None for n in ("weight_kg", "systolic", "muac_cm", "hb_g_dl")):
        errors.add("weight_kg", MSG_NEED_MEASUREMENT)
    out["notes"] = _text(data, "notes")
    raise_if_errors(errors)
    out["gestational_days"] = maternal.gestational_days(pregnancy.lmp, visit_date)
    out.update(maternal.visit_flags(muac_cm=out["muac_cm"], systolic=out["systolic"], diastolic=out["diastolic"],
                                    hb_g_dl=out["hb_g_dl"]))
    return out


@transaction.atomic
def antenatal_record(*, actor, pregnancy: Pregnancy, data: dict[str, Any]) -> AntenatalVisit:
    """Record an antenatal visit; its risk flags (KEK, high blood pressure, anaemia) are computed and stored."""
    pregnancy = _lock(pregnancy)
    require_household(actor, P.HEALTH_RECORD, pregnancy.mother.household)
    _require_ongoing(pregnancy)
    clean = _clean_anc(pregnancy, data)
    if AntenatalVisit.objects.filter(pregnancy=pregnancy, visit_date=clean["visit_date"]).exists():
        raise DomainError("visit_exists", MSG_VISIT_EXISTS, field="visit_date")
    visit = AntenatalVisit.objects.create(pregnancy=pregnancy, recorded_by=actor, **clean)
    audit_log(actor=actor, action="health.anc.record", obj=visit, object_label=str(_("Pemeriksaan kehamilan")),
              household_id=pregnancy.mother.household_id, changes={k: clean[k] for k in ANC_FIELDS})
    return visit


@transaction.atomic
def delivery_record(*, actor, pregnancy: Pregnancy, data: dict[str, Any]) -> Delivery:
    """Record the delivery: the pregnancy ends as delivered and the registry's pregnant flag is cleared."""
    from bansos.registry.models import Resident

    pregnancy = _lock(pregnancy)
    require_household(actor, P.HEALTH_RECORD, pregnancy.mother.household)
    _require_ongoing(pregnancy)
    errors = Errors()
    date = clean_date(data.get("date"), "date", errors)
    if date is not None:
        days = (date - pregnancy.lmp).days
        if days < DELIVERY_MIN_DAYS:
            errors.add("date", MSG_DELIVERY_EARLY)
        elif days > maternal.MAX_GESTATION_DAYS + 7:
            errors.add("date", MSG_TOO_LATE)
    place = clean_choice(data.get("place"), "place", CarePlace, errors)
    attendant = clean_choice(data.get("attendant"), "attendant", Attendant, errors)
    outcome = clean_choice(data.get("outcome"), "outcome", BirthOutcome, errors)
    weight = clean_number(data.get("birth_weight_g"), "birth_weight_g", errors)
    baby = None
    baby_id = data.get("baby_id")
    if baby_id not in (None, ""):
        baby = Resident.objects.select_related("household").filter(pk=baby_id).first()
        if baby is None:
            errors.add("baby_id", MSG_BABY_UNKNOWN)
        elif outcome == BirthOutcome.STILLBIRTH:
            errors.add("baby_id", MSG_BABY_STILLBIRTH)
        elif date is not None and baby.birth_date != date:
            errors.add("baby_id", MSG_BABY_BIRTH, birth=f"{baby.birth_date:%d/%m/%Y}")
    raise_if_errors(errors)
    if baby is not None:
        require_household(actor, P.HEALTH_RECORD, baby.household)
    delivery = Delivery.objects.create(pregnancy=pregnancy, date=date, gestational_days=(date - pregnancy.lmp).days,
                                       place=place, attendant=attendant, outcome=outcome, birth_weight_g=weight,
                                       baby=baby, notes=_text(data, "notes"), recorded_by=actor)
    pregnancy.status, pregnancy.ended_on = PregnancyStatus.DELIVERED, date
    pregnancy.save(update_fields=["status", "ended_on", "updated_at"])
    audit_log(actor=actor, action="health.delivery.record", obj=delivery, object_label=str(_("Persalinan")),
              household_id=pregnancy.mother.household_id,
              changes={"date": date, "place": place, "attendant": attendant, "outcome": outcome,
                       "birth_weight_g": weight, "baby": baby.pk if baby else None})
    _set_registry_flag(actor=actor, mother=pregnancy.mother, pregnant=False, reason=str(_("Persalinan dicatat")))
    return delivery


@transaction.atomic
def postnatal_record(*, actor, pregnancy: Pregnancy, data: dict[str, Any]) -> PostnatalVisit:
    """Record a postnatal visit (kunjungan nifas) within 42 days of the delivery."""
    pregnancy = _lock(pregnancy)
    require_household(actor, P.HEALTH_RECORD, pregnancy.mother.household)
    delivery = Delivery.objects.filter(pregnancy=pregnancy).first()
    if delivery is None:
        raise DomainError("not_delivered", MSG_NOT_DELIVERED)
    errors = Errors()
    visit_date = clean_date(data.get("visit_date") or timezone.localdate(), "visit_date", errors)
    if visit_date is not None and not (0 <= (visit_date - delivery.date).days <= POSTNATAL_DAYS):
        errors.add("visit_date", MSG_POSTNATAL_RANGE)
    place = clean_choice(data.get("place") or CarePlace.HOME, "place", CarePlace, errors)
    raise_if_errors(errors)
    if PostnatalVisit.objects.filter(pregnancy=pregnancy, visit_date=visit_date).exists():
        raise DomainError("visit_exists", MSG_VISIT_EXISTS, field="visit_date")
    visit = PostnatalVisit.objects.create(pregnancy=pregnancy, visit_date=visit_date, place=place,
                                          days_after=(visit_date - delivery.date).days,
                                          mother_notes=_text(data, "mother_notes"), baby_notes=_text(data, "baby_notes"),
                                          recorded_by=actor)
    audit_log(actor=actor, action="health.pnc.record", obj=visit, object_label=str(_("Kunjungan nifas")),
              household_id=pregnancy.mother.household_id,
              changes={"visit_date": visit_date, "days_after": visit.days_after, "place": place})
    return visit


@transaction.atomic
def pregnancy_end(*, actor, pregnancy: Pregnancy, status: str, date: Any, reason: str) -> Pregnancy:
    """End a pregnancy other than by a delivery (miscarriage, abortion, other, moved away), with a reason.

    The registry's pregnant flag is cleared, except when she moved away: she is still pregnant."""
    pregnancy = _lock(pregnancy)
    require_household(actor, P.HEALTH_RECORD, pregnancy.mother.household)
    _require_ongoing(pregnancy)
    errors = Errors()
    if status not in END_STATUSES:
        errors.add("status", MSG_END_STATUS)
    ended = clean_date(date, "date", errors)
    if ended is not None and ended < pregnancy.lmp:
        errors.add("date", MSG_BEFORE_LMP, lmp=f"{pregnancy.lmp:%d/%m/%Y}")
    if not (reason or "").strip():
        errors.add("reason", MSG_REASON)
    raise_if_errors(errors)
    new = PregnancyStatus(status)
    assert new in PREGNANCY_TRANSITIONS[PregnancyStatus.ONGOING]
    pregnancy.status, pregnancy.ended_on, pregnancy.end_notes = new, ended, reason.strip()[:250]
    pregnancy.save(update_fields=["status", "ended_on", "end_notes", "updated_at"])
    audit_log(actor=actor, action="health.pregnancy.end", obj=pregnancy, household_id=pregnancy.mother.household_id,
              changes={"status": ["ongoing", new.value], "date": ended}, reason=pregnancy.end_notes)
    if new in NOT_PREGNANT_ANY_MORE:
        _set_registry_flag(actor=actor, mother=pregnancy.mother, pregnant=False,
                           reason=str(_("Kehamilan berakhir")))
    return pregnancy


# -- deaths (monitoring) ----------------------------------------------------------------------------------

DEATH_AGE_DAYS = {  # age at death in days, inclusive, for the child kinds
    DeathKind.NEONATAL: (0, 28),
    DeathKind.INFANT: (29, 364),
}


@transaction.atomic
def death_record(*, actor, household, data: dict[str, Any]) -> HealthDeath:
    """Record a maternal or child death of a household for monitoring (reports show only counts)."""
    from bansos.registry.models import Resident

    require_household(actor, P.HEALTH_RECORD, household)
    errors = Errors()
    kind = clean_choice(data.get("kind"), "kind", DeathKind, errors)
    cause = clean_choice(data.get("cause"), "cause", DeathCause, errors)
    place = clean_choice(data.get("place"), "place", CarePlace, errors)
    date = clean_date(data.get("date"), "date", errors)
    resident = None
    if data.get("resident_id") not in (None, ""):
        resident = Resident.objects.filter(pk=data["resident_id"]).first()
        if resident is None or resident.household_id != household.pk:
            errors.add("resident_id", MSG_DEATH_PERSON)
            resident = None
    if resident is not None and date is not None and kind:
        days = (date - resident.birth_date).days
        years = maternal.age_on(resident.birth_date, date)
        if kind == DeathKind.MATERNAL and resident.sex != "P":
            errors.add("kind", MSG_DEATH_MOTHER)
        elif kind in DEATH_AGE_DAYS and not (DEATH_AGE_DAYS[kind][0] <= days <= DEATH_AGE_DAYS[kind][1]):
            errors.add("kind", MSG_DEATH_AGE, age=days)
        elif kind == DeathKind.UNDER_FIVE and not (1 <= years <= 4):
            errors.add("kind", MSG_DEATH_AGE, age=years)
    if resident is not None and HealthDeath.objects.filter(resident=resident).exists():
        errors.add("resident_id", MSG_DEATH_RECORDED)
    raise_if_errors(errors)
    pregnancy = None
    if resident is not None and kind == DeathKind.MATERNAL:
        pregnancy = Pregnancy.objects.filter(mother=resident).order_by("-lmp").first()
    death = HealthDeath.objects.create(kind=kind, cause=cause, place=place, date=date, household=household,
                                       resident=resident, pregnancy=pregnancy, recorded_by=actor)
    audit_log(actor=actor, action="health.death.record", obj=death, object_label=str(_("Kematian ibu/anak")),
              household_id=household.pk, changes={"kind": kind, "cause": cause, "place": place, "date": date})
    return death


# -- export -----------------------------------------------------------------------------------------------

EXPORT_COLUMNS = ("nama_ibu", "tanggal_lahir", "rt_rw", "hpht", "hpl", "usia_kehamilan_minggu", "gravida", "para",
                  "jumlah_kunjungan", "risiko", "kunjungan_berikut")


@transaction.atomic
def pregnancies_export(*, actor, posyandu) -> str:
    """The posyandu area's ongoing pregnancies with their risk flags as CSV (leaves the platform: audited)."""
    from bansos.health.selectors_maternal import pregnancy_rows

    require_posyandu(actor, P.HEALTH_EXPORT, posyandu)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    rows = pregnancy_rows(posyandu)
    for r in rows:
        p = r.pregnancy
        writer.writerow([p.mother.full_name, p.mother.birth_date.isoformat(), p.mother.household.rt.label,
                         p.lmp.isoformat(), p.edd.isoformat(), r.days // 7, p.gravida or "", p.para if p.para is not None else "",
                         len(r.visits), " ".join(r.flags), r.next_due.isoformat()])
    audit_log(actor=actor, action="health.pregnancy.export", obj=posyandu, changes={"rows": len(rows)})
    return out.getvalue()
