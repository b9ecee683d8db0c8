"""Health API, maternal care: pregnancies (open, list, read), antenatal visits, delivery, postnatal visits, ending
a pregnancy; health-education sessions and attendance; referrals and their outcomes.

Operations sit on the health router (``bansos.health.api``). The same access rules as the pages: a caller
outside the posyandu's area is refused (403) with nothing changed; writes are the services'.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P
from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import NotFoundError, ValidationFailed
from bansos.core.models import Posyandu
from bansos.health import selectors_maternal as sel
from bansos.health import services_maternal, services_outreach
from bansos.health.access import require_household, require_posyandu
from bansos.health.api import _role, router
from bansos.health.models_maternal import EducationSession, PregnancyStatus, Referral
from bansos.health.schemas import (
    AntenatalIn, AntenatalOut, AttendanceIn, DeliveryIn, EducationSessionIn, EducationSessionOut, PostnatalIn,
    PostnatalOut, PregnancyEndIn, PregnancyIn, PregnancyOut, ReferralIn, ReferralOut, ReferralOutcomeIn,
)

MSG_PERSON_UNKNOWN = _("Warga tidak ditemukan.")


def _resident(pk: int, field: str):
    from bansos.registry.models import Resident

    found = Resident.objects.select_related("household").filter(pk=pk).first()
    if found is None:
        raise ValidationFailed({field: [str(MSG_PERSON_UNKNOWN)]})
    return found


def _pregnancy(user, pk: int, perm: str):
    _role(user, perm)
    found = sel.pregnancy_get(pk)
    if found is None:
        raise NotFoundError()
    require_household(user, perm, found.mother.household)
    return found


def _anc_out(v) -> dict[str, Any]:
    return {"id": v.pk, "visit_date": v.visit_date, "gestational_days": v.gestational_days, "week": v.week,
            "place": v.place, "weight_kg": v.weight_kg, "systolic": v.systolic, "diastolic": v.diastolic,
            "muac_cm": v.muac_cm, "hb_g_dl": v.hb_g_dl, "kek": v.kek, "high_bp": v.high_bp, "anaemia": v.anaemia}


def _pregnancy_out(pk: int) -> dict[str, Any]:
    p = sel.pregnancy_get(pk)
    row = sel.pregnancy_row(p, list(p.visits.all()))
    d = getattr(p, "delivery", None) if p.status == PregnancyStatus.DELIVERED else None
    return {"id": p.pk, "mother_id": p.mother_id, "name": p.mother.full_name, "lmp": p.lmp, "edd": p.edd,
            "gravida": p.gravida, "para": p.para, "status": p.status, "ended_on": p.ended_on,
            "gestational_days": row.days, "flags": row.flags, "next_visit_due": row.next_due,
            "visits": [_anc_out(v) for v in row.visits],
            "delivery": None if d is None else {
                "date": d.date, "gestational_days": d.gestational_days, "place": d.place, "attendant": d.attendant,
                "outcome": d.outcome, "birth_weight_g": d.birth_weight_g, "baby_id": d.baby_id},
            "postnatal": [{"id": n.pk, "visit_date": n.visit_date, "days_after": n.days_after, "place": n.place,
                           "mother_notes": n.mother_notes, "baby_notes": n.baby_notes}
                          for n in p.postnatal_visits.order_by("visit_date")]}


@router.get("/health/posyandu/{posyandu_id}/pregnancies", response={200: list[PregnancyOut], **ERROR_RESPONSES},
            operation_id="health_pregnancy_list",
            summary="A posyandu area's ongoing pregnancies with risk flags and the next expected visit")
def health_pregnancy_list(request, posyandu_id: int):
    user = request.auth
    _role(user)
    posyandu = Posyandu.objects.filter(pk=posyandu_id).first()
    if posyandu is None:
        raise NotFoundError()
    require_posyandu(user, P.HEALTH_VIEW, posyandu)
    return [_pregnancy_out(r.pregnancy.pk) for r in sel.pregnancy_rows(posyandu)]


@router.post("/health/pregnancies", response={201: PregnancyOut, **ERROR_RESPONSES},
             operation_id="health_pregnancy_open",
             summary="Open a woman's pregnancy (EDD by Naegele unless given with a reason); sets the registry flag")
def health_pregnancy_open(request, payload: PregnancyIn):
    user = request.auth
    _role(user, P.HEALTH_RECORD)
    mother = _resident(payload.mother_id, "mother_id")
    data = payload.dict()
    data.pop("mother_id")
    pregnancy = services_maternal.pregnancy_open(actor=user, mother=mother, data=data)
    return Status(201, _pregnancy_out(pregnancy.pk))


@router.get("/health/pregnancies/{pregnancy_id}", response={200: PregnancyOut, **ERROR_RESPONSES},
            operation_id="health_pregnancy_get", summary="A pregnancy: visits, risk flags, delivery, postnatal visits")
def health_pregnancy_get(request, pregnancy_id: int):
    pregnancy = _pregnancy(request.auth, pregnancy_id, P.HEALTH_VIEW)
    return _pregnancy_out(pregnancy.pk)


@router.post("/health/pregnancies/{pregnancy_id}/visits", response={201: AntenatalOut, **ERROR_RESPONSES},
             operation_id="health_antenatal_record",
             summary="Record an antenatal visit; answers with the gestational week and the risk flags")
def health_antenatal_record(request, pregnancy_id: int, payload: AntenatalIn):
    user = request.auth
    pregnancy = _pregnancy(user, pregnancy_id, P.HEALTH_RECORD)
    visit = services_maternal.antenatal_record(actor=user, pregnancy=pregnancy, data=payload.dict())
    return Status(201, _anc_out(visit))


@router.post("/health/pregnancies/{pregnancy_id}/delivery", response={201: PregnancyOut, **ERROR_RESPONSES},
             operation_id="health_delivery_record",
             summary="Record the delivery; the pregnancy ends and the registry flag is cleared")
def health_delivery_record(request, pregnancy_id: int, payload: DeliveryIn):
    user = request.auth
    pregnancy = _pregnancy(user, pregnancy_id, P.HEALTH_RECORD)
    services_maternal.delivery_record(actor=user, pregnancy=pregnancy, data=payload.dict())
    return Status(201, _pregnancy_out(pregnancy.pk))


@router.post("/health/pregnancies/{pregnancy_id}/postnatal", response={201: PostnatalOut, **ERROR_RESPONSES},
             operation_id="health_postnatal_record", summary="Record a postnatal visit (within 42 days)")
def health_postnatal_record(request, pregnancy_id: int, payload: PostnatalIn):
    user = request.auth
    pregnancy = _pregnancy(user, pregnancy_id, P.HEALTH_RECORD)
    n = services_maternal.postnatal_record(actor=user, pregnancy=pregnancy, data=payload.dict())
    return Status(201, {"id": n.pk, "visit_date": n.visit_date, "days_after": n.days_after, "place": n.place,
                        "mother_notes": n.mother_notes, "baby_notes": n.baby_notes})


@router.post("/health/pregnancies/{pregnancy_id}/end", response={200: PregnancyOut, **ERROR_RESPONSES},
             operation_id="health_pregnancy_end",
             summary="End a pregnancy otherwise than by delivery (miscarriage, abortion, other, moved)")
def health_pregnancy_end(request, pregnancy_id: int, payload: PregnancyEndIn):
    user = request.auth
    pregnancy = _pregnancy(user, pregnancy_id, P.HEALTH_RECORD)
    services_maternal.pregnancy_end(actor=user, pregnancy=pregnancy, status=payload.status, date=payload.date,
                                    reason=payload.reason)
    return _pregnancy_out(pregnancy.pk)


def _session_out(s: EducationSession) -> dict[str, Any]:
    return {"id": s.pk, "posyandu_id": s.posyandu_id, "topic": s.topic, "title": s.title, "date": s.date,
            "place": s.place, "facilitator": s.facilitator,
            "attendees": sorted(s.attendance.values_list("resident_id", flat=True))}


@router.post("/health/education-sessions", response={201: EducationSessionOut, **ERROR_RESPONSES},
             operation_id="health_education_create", summary="Record a posyandu's health-education session")
def health_education_create(request, payload: EducationSessionIn):
    user = request.auth
    _role(user, P.HEALTH_RECORD)
    posyandu = Posyandu.objects.filter(pk=payload.posyandu_id).first()
    if posyandu is None:
        raise NotFoundError()
    data = payload.dict()
    data.pop("posyandu_id")
    session = services_outreach.education_session_create(actor=user, posyandu=posyandu, data=data)
    return Status(201, _session_out(session))


@router.post("/health/education-sessions/{session_id}/attendance",
             response={201: EducationSessionOut, **ERROR_RESPONSES}, operation_id="health_education_attend",
             summary="Mark a resident of the posyandu's area present")
def health_education_attend(request, session_id: int, payload: AttendanceIn):
    user = request.auth
    _role(user, P.HEALTH_RECORD)
    session = EducationSession.objects.select_related("posyandu").filter(pk=session_id).first()
    if session is None:
        raise NotFoundError()
    require_posyandu(user, P.HEALTH_RECORD, session.posyandu)
    services_outreach.education_attendance_add(actor=user, session=session,
                                               resident=_resident(payload.resident_id, "resident_id"))
    return Status(201, _session_out(session))


def _referral_out(r: Referral) -> dict[str, Any]:
    return {"id": r.pk, "resident_id": r.resident_id, "kind": r.kind, "date": r.date, "reason": r.reason,
            "referred_to": r.referred_to, "facility": r.facility, "outcome": r.outcome,
            "outcome_date": r.outcome_date, "follow_up_date": r.follow_up_date}


@router.get("/health/referrals", response={200: list[ReferralOut], **ERROR_RESPONSES},
            operation_id="health_referral_list", summary="Referrals in the caller's posyandu area, newest first")
def health_referral_list(request, outcome: str = ""):
    user = request.auth
    _role(user)
    return [_referral_out(r) for r in sel.referrals(user=user, outcome=outcome, limit=500)]


@router.post("/health/referrals", response={201: ReferralOut, **ERROR_RESPONSES},
             operation_id="health_referral_create",
             summary="Refer a resident to the puskesmas or a hospital, or record a free-service visit")
def health_referral_create(request, payload: ReferralIn):
    user = request.auth
    _role(user, P.HEALTH_RECORD)
    resident = _resident(payload.resident_id, "resident_id")
    data = payload.dict()
    data.pop("resident_id")
    return Status(201, _referral_out(services_outreach.referral_create(actor=user, resident=resident, data=data)))


@router.post("/health/referrals/{referral_id}/outcome", response={200: ReferralOut, **ERROR_RESPONSES},
             operation_id="health_referral_outcome", summary="Record a referral's outcome and follow-up date")
def health_referral_outcome(request, referral_id: int, payload: ReferralOutcomeIn):
    user = request.auth
    _role(user, P.HEALTH_RECORD)
    referral = Referral.objects.select_related("resident__household").filter(pk=referral_id).first()
    if referral is None:
        raise NotFoundError()
    require_household(user, P.HEALTH_RECORD, referral.resident.household)
    return _referral_out(services_outreach.referral_outcome_set(actor=user, referral=referral, data=payload.dict()))
