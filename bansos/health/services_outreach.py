"""Writes of health education and free services: a posyandu's education sessions and their attendance from
the registry, free-service visits and referrals to the puskesmas or a hospital with their outcome.

Same habits as ``services_maternal``: one transaction each, ``bansos.health.access`` checked first, bad input
refused with a field message and nothing written, an audit event for every change.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, Errors, raise_if_errors
from bansos.health.access import require_household, require_posyandu, resident_in_posyandu
from bansos.health.models_maternal import (
    EducationAttendance, EducationSession, EducationTopic, Pregnancy, Referral, ReferralKind, ReferralOutcome,
    ReferredTo,
)
from bansos.health.services_maternal import MSG_NOT_ACTIVE, MSG_REQUIRED, clean_choice, clean_date

MSG_SESSION_FAR = _("Tanggal penyuluhan paling lambat 90 hari ke depan.")
MSG_NOT_IN_AREA = _("Warga ini tidak tinggal di wilayah RT yang dilayani posyandu ini.")
MSG_ATTENDED = _("Warga ini sudah tercatat hadir.")
MSG_NOT_YET = _("Kehadiran dicatat pada atau setelah hari penyuluhan.")
MSG_NOT_ATTENDING = _("Warga ini tidak tercatat hadir.")
MSG_FOLLOW_UP = _("Tanggal tindak lanjut tidak boleh sebelum tanggal rujukan.")
MSG_OUTCOME_DATE = _("Tanggal hasil tidak boleh sebelum tanggal rujukan.")
MSG_OUTCOME = _("Pilih hasil: datang, dirawat/diobati, atau tidak datang.")
MSG_PREGNANCY_OTHER = _("Kehamilan ini bukan milik warga yang dirujuk.")
SESSION_AHEAD_DAYS = 90


def _text(data: dict[str, Any], name: str, limit: int) -> str:
    return " ".join(str(data.get(name) or "").split())[:limit]


@transaction.atomic
def education_session_create(*, actor, posyandu, data: dict[str, Any]) -> EducationSession:
    """Plan or record a posyandu's health-education session (penyuluhan)."""
    require_posyandu(actor, P.HEALTH_RECORD, posyandu)
    errors = Errors()
    topic = clean_choice(data.get("topic"), "topic", EducationTopic, errors)
    date = clean_date(data.get("date"), "date", errors, allow_future=True)
    if date is not None and (date - timezone.localdate()).days > SESSION_AHEAD_DAYS:
        errors.add("date", MSG_SESSION_FAR)
    facilitator = _text(data, "facilitator", 120)
    if not facilitator:
        errors.add("facilitator", MSG_REQUIRED)
    raise_if_errors(errors)
    session = EducationSession.objects.create(
        posyandu=posyandu, topic=topic, title=_text(data, "title", 150), date=date, place=_text(data, "place", 150),
        facilitator=facilitator, notes=str(data.get("notes") or "").strip(), created_by=actor)
    audit_log(actor=actor, action="health.education.create", obj=session,
              changes={"topic": topic, "date": date, "facilitator": facilitator, "posyandu": posyandu.pk})
    return session


@transaction.atomic
def education_attendance_add(*, actor, session: EducationSession, resident) -> EducationAttendance:
    """Mark a resident of the posyandu's area present at a session.

    Audited in the platform's trail, not on the household's history: a tap per attendee per session would
    bury the family's other events (as training attendance does)."""
    from bansos.registry.models import Resident

    session = EducationSession.objects.select_for_update().select_related("posyandu").get(pk=session.pk)
    require_posyandu(actor, P.HEALTH_RECORD, session.posyandu)
    resident = Resident.objects.select_related("household").get(pk=resident.pk)
    if not resident_in_posyandu(resident, session.posyandu):
        raise DomainError("not_in_area", MSG_NOT_IN_AREA)
    if resident.status != "active":
        raise DomainError("not_active", MSG_NOT_ACTIVE)
    if session.date > timezone.localdate():
        raise DomainError("session_not_yet", MSG_NOT_YET)
    try:
        with transaction.atomic():
            row = EducationAttendance.objects.create(session=session, resident=resident,
                                                     household=resident.household, recorded_by=actor)
    except IntegrityError as exc:
        raise DomainError("already_attending", MSG_ATTENDED) from exc
    audit_log(actor=actor, action="health.education.attend", obj=session, changes={"resident": resident.pk})
    return row


@transaction.atomic
def education_attendance_remove(*, actor, session: EducationSession, resident) -> None:
    """Undo a mistaken attendance tap."""
    session = EducationSession.objects.select_for_update().select_related("posyandu").get(pk=session.pk)
    require_posyandu(actor, P.HEALTH_RECORD, session.posyandu)
    deleted, _rows = EducationAttendance.objects.filter(session=session, resident=resident).delete()
    if not deleted:
        raise DomainError("not_attending", MSG_NOT_ATTENDING)
    audit_log(actor=actor, action="health.education.unattend", obj=session, changes={"resident": resident.pk})


@transaction.atomic
def referral_create(*, actor, resident, data: dict[str, Any]) -> Referral:
    """Refer a resident to the puskesmas or a hospital, or record a free-service visit arranged for them."""
    from bansos.registry.models import Resident

    resident = Resident.objects.select_related("household").get(pk=resident.pk)
    require_household(actor, P.HEALTH_RECORD, resident.household)
    if resident.status != "active":
        raise DomainError("not_active", MSG_NOT_ACTIVE)
    errors = Errors()
    kind = clean_choice(data.get("kind") or ReferralKind.REFERRAL, "kind", ReferralKind, errors)
    date = clean_date(data.get("date") or timezone.localdate(), "date", errors)
    reason = _text(data, "reason", 250)
    if not reason:
        errors.add("reason", MSG_REQUIRED)
    referred_to = clean_choice(data.get("referred_to"), "referred_to", ReferredTo, errors)
    follow_up = clean_date(data.get("follow_up_date"), "follow_up_date", errors, required=False, allow_future=True)
    if follow_up is not None and date is not None and follow_up < date:
        errors.add("follow_up_date", MSG_FOLLOW_UP)
    pregnancy = None
    if data.get("pregnancy_id") not in (None, ""):
        pregnancy = Pregnancy.objects.filter(pk=data["pregnancy_id"], mother=resident).first()
        if pregnancy is None:
            errors.add("pregnancy_id", MSG_PREGNANCY_OTHER)
    raise_if_errors(errors)
    referral = Referral.objects.create(
        resident=resident, household=resident.household, pregnancy=pregnancy, kind=kind, date=date, reason=reason,
        referred_to=referred_to, facility=_text(data, "facility", 150), follow_up_date=follow_up,
        notes=str(data.get("notes") or "").strip(), created_by=actor)
    audit_log(actor=actor, action="health.referral.create", obj=referral, object_label=str(_("Rujukan kesehatan")),
              household_id=resident.household_id,
              changes={"kind": kind, "date": date, "referred_to": referred_to, "facility": referral.facility,
                       "reason": reason, "follow_up_date": follow_up})
    return referral


@transaction.atomic
def referral_outcome_set(*, actor, referral: Referral, data: dict[str, Any]) -> Referral:
    """Record what came of a referral (attended, treated, not attended) and the next follow-up date."""
    referral = Referral.objects.select_for_update().select_related("resident__household").get(pk=referral.pk)
    require_household(actor, P.HEALTH_RECORD, referral.resident.household)
    errors = Errors()
    outcome = data.get("outcome") or ""
    if outcome not in (ReferralOutcome.ATTENDED, ReferralOutcome.TREATED, ReferralOutcome.NOT_ATTENDED):
        errors.add("outcome", MSG_OUTCOME)
    outcome_date = clean_date(data.get("outcome_date") or timezone.localdate(), "outcome_date", errors)
    if outcome_date is not None and outcome_date < referral.date:
        errors.add("outcome_date", MSG_OUTCOME_DATE)
    follow_up = clean_date(data.get("follow_up_date"), "follow_up_date", errors, required=False, allow_future=True)
    if follow_up is not None and follow_up < referral.date:
        errors.add("follow_up_date", MSG_FOLLOW_UP)
    raise_if_errors(errors)
    before = {"outcome": referral.outcome, "outcome_date": referral.outcome_date,
              "follow_up_date": referral.follow_up_date}
    referral.outcome, referral.outcome_date, referral.follow_up_date = outcome, outcome_date, follow_up
    notes = str(data.get("notes") or "").strip()
    if notes:
        referral.notes = f"{referral.notes}\n{notes}".strip()
    referral.save(update_fields=["outcome", "outcome_date", "follow_up_date", "notes"])
    after = {"outcome": outcome, "outcome_date": outcome_date, "follow_up_date": follow_up}
    audit_log(actor=actor, action="health.referral.outcome", obj=referral, object_label=str(_("Rujukan kesehatan")),
              household_id=referral.household_id,
              changes={k: [before[k], after[k]] for k in after if before[k] != after[k]}, reason=notes[:250])
    return referral

