"""API of the training app: courses, sessions, participants, attendance, finish, certificates, feedback.

Operations look objects up, hand typed input to one service and render the result; the permission
rules (a course's agency manages it, its partner company may take attendance) are the services' and
``training.access``'s, shared with the pages. Verification of a certificate code is public.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router


from bansos.accounts.permissions import P, has_role_perm
from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import NotFoundError, PermissionDeniedError
from bansos.training import selectors
from bansos.training.access import require_attendance, require_manage_course
from bansos.training.models import Certificate, Course, Feedback, ParticipantState
from bansos.training.schemas import (
    CertificateOut, CourseAttendanceIn, CourseAttendanceOut, CourseDetailOut, CourseOut, CourseSessionOut,
    CourseStatusEnum, FeedbackIn, FeedbackOut, FeedbackSummaryOut, ParticipantOut, SkillAreaEnum, TrainingReasonIn,
    VerifyOut,
)
from bansos.training.services import certificates as cert_services
from bansos.training.services import courses as course_services
from bansos.training.services import participants as people

router = Router(tags=["training"])


def _role(user) -> None:
    if not has_role_perm(user, P.TRAINING_MANAGE):
        raise PermissionDeniedError()


def _course_out(c: Course, *, active=None, dropped=None, sessions=None) -> dict:
    if active is None:
        counts = c.participants.aggregate(a=Count("pk", filter=Q(state=ParticipantState.ACTIVE)),
                                          d=Count("pk", filter=Q(state=ParticipantState.DROPPED)))
        active, dropped, sessions = counts["a"], counts["d"], c.sessions.count()
    return {
        "id": c.pk, "title": c.title, "skill_area": c.skill_area, "program_id": c.program_id,
        "program": c.program.name, "agency": c.program.agency.name, "partner": c.partner.name if c.partner else None,
        "status": c.status, "women_only": c.women_only, "youth_only": c.youth_only, "capacity": c.capacity,
        "min_attendance_pct": c.min_attendance_pct, "pass_score": c.pass_score, "participants_active": active,
        "participants_dropped": dropped, "sessions": sessions, "finished_at": c.finished_at,
    }


def _sessions_out(course: Course) -> list[dict]:
    return [{"id": s.pk, "number": s.number, "date": s.date, "start_time": s.start_time, "place": s.place,
             "trainer": s.trainer, "topic": s.topic, "attendance_taken": s.attendance_taken_at is not None,
             "present": s.n_present} for s in selectors.course_detail(course)["sessions"]]


def _participants_out(course: Course) -> list[dict]:
    out = []
    for r in selectors.participant_verdicts(course):
        p, cert = r["participant"], r["certificate"]
        out.append({
            "id": p.pk, "resident_id": p.resident_id, "household_id": p.household_id, "name": p.resident.full_name,
            "state": p.state, "dropped_reason": p.dropped_reason, "attended": r["attended"], "sessions": r["sessions"],
            "attendance_pct": r["pct"], "assessment_score": p.assessment_score, "outcome": r["outcome"],
            "outcome_frozen": r["frozen"], "reasons": r["verdict"].reasons if r["outcome"] != "dropped" else [],
            "certificate_id": cert.pk if cert else None, "certificate_code": cert.display_code if cert else None,
        })
    return out


def _detail(course: Course) -> dict:
    return {**_course_out(course), "session_list": _sessions_out(course), "participant_list": _participants_out(course)}


def _certificate_out(request, cert: Certificate) -> dict:
    return {"id": cert.pk, "participant_id": cert.participant_id, "code": cert.display_code,
            "issued_at": cert.issued_at, "revoked_at": cert.revoked_at, "revoked_reason": cert.revoked_reason,
            "verify_url": request.build_absolute_uri(reverse("training:verify", args=[cert.code]))}


def _feedback_out(f: Feedback) -> dict:
    return {"id": f.pk, "participant_id": f.participant_id, "session_id": f.session_id, "rating": f.rating,
            "comment": f.comment}


@router.get("/training/courses", response={200: list[CourseOut], **ERROR_RESPONSES}, operation_id="training_course_list",
            summary="Courses the caller may see (own agency's, partnered, or all for the admin)")
def training_course_list(request, status: CourseStatusEnum | None = Query(None),
                         skill_area: SkillAreaEnum | None = Query(None)):
    _role(request.auth)
    qs = selectors.course_list(user=request.auth, status=status.value if status else "",
                               skill_area=skill_area.value if skill_area else "")
    return [_course_out(c, active=c.n_active, dropped=c.n_dropped, sessions=c.n_sessions) for c in qs[:500]]


@router.get("/training/courses/{int:course_id}", response={200: CourseDetailOut, **ERROR_RESPONSES},
            operation_id="training_course_read", summary="A course with its sessions and participants' progress")
def training_course_read(request, course_id: int):
    _role(request.auth)
    return _detail(selectors.course_get(user=request.auth, pk=course_id))


@router.get("/training/courses/{int:course_id}/sessions", response={200: list[CourseSessionOut], **ERROR_RESPONSES},
            operation_id="training_session_list", summary="A course's sessions with how many were present")
def training_session_list(request, course_id: int):
    _role(request.auth)
    return _sessions_out(selectors.course_get(user=request.auth, pk=course_id))


@router.get("/training/courses/{int:course_id}/participants", response={200: list[ParticipantOut], **ERROR_RESPONSES},
            operation_id="training_participant_list",
            summary="Participants with attended/total sessions and the outcome so far (or frozen)")
def training_participant_list(request, course_id: int):
    _role(request.auth)
    return _participants_out(selectors.course_get(user=request.auth, pk=course_id))


@router.post("/training/sessions/{int:session_id}/attendance", response={200: CourseAttendanceOut, **ERROR_RESPONSES},
             operation_id="training_attendance_mark",
             summary="Mark a participant present or absent at a session (idempotent: the wanted state is sent)")
def training_attendance_mark(request, session_id: int, payload: CourseAttendanceIn):
    user = request.auth
    _role(user)
    session = selectors.session_get(user=user, pk=session_id)
    require_attendance(user, session.course)
    participant = session.course.participants.filter(pk=payload.participant_id).first()
    if participant is None:
        raise NotFoundError()
    row = people.attendance_mark(actor=user, session=session, participant=participant, present=payload.present)
    counts = selectors.attendance_counts(session)
    return {"session_id": session.pk, "participant_id": participant.pk, "present": row.present,
            "present_count": counts["present"], "absent_count": counts["absent"], "total": counts["total"]}


@router.post("/training/courses/{int:course_id}/finish", response={200: CourseDetailOut, **ERROR_RESPONSES},
             operation_id="training_course_finish", summary="Finish a running course: outcomes are frozen by its rule")
def training_course_finish(request, course_id: int):
    user = request.auth
    _role(user)
    course = selectors.course_get(user=user, pk=course_id)
    return _detail(course_services.course_finish(actor=user, course=course))


@router.post("/training/participants/{int:participant_id}/certificate",
             response={201: CertificateOut, **ERROR_RESPONSES}, operation_id="training_certificate_issue",
             summary="Issue the certificate of a completed participant (again: the same certificate)")
def training_certificate_issue(request, participant_id: int):
    user = request.auth
    _role(user)
    participant = selectors.participant_get(user=user, pk=participant_id)
    return Status(201, _certificate_out(request, cert_services.certificate_issue(actor=user, participant=participant)))


@router.post("/training/certificates/{int:certificate_id}/revoke", response={200: CertificateOut, **ERROR_RESPONSES},
             operation_id="training_certificate_revoke", summary="Revoke a certificate with a reason")
def training_certificate_revoke(request, certificate_id: int, payload: TrainingReasonIn):
    user = request.auth
    _role(user)
    certificate = selectors.certificate_get(user=user, pk=certificate_id)
    return _certificate_out(request, cert_services.certificate_revoke(actor=user, certificate=certificate,
                                                                      reason=payload.reason))


@router.get("/training/verify/{code}", response={200: VerifyOut}, auth=None, operation_id="training_certificate_verify",
            summary="Public: is this certificate code genuine, revoked or not valid (initials, course, date only)")
def training_certificate_verify(request, code: str):
    result = selectors.certificate_verify(code)
    if result["status"] == "invalid":
        return {"status": "invalid"}

    def day(value):
        return timezone.localtime(value).date() if value else None

    return {"status": result["status"], "initials": result["initials"], "course": result["course"],
            "completed_on": day(result["completed_on"]), "revoked_on": day(result["revoked_on"])}


@router.post("/training/participants/{int:participant_id}/feedback", response={201: FeedbackOut, **ERROR_RESPONSES},
             operation_id="training_feedback_record",
             summary="Record a participant's 1-5 rating and comment on a session or the course")
def training_feedback_record(request, participant_id: int, payload: FeedbackIn):
    user = request.auth
    _role(user)
    participant = selectors.participant_get(user=user, pk=participant_id)
    require_manage_course(user, participant.course)
    session = None
    if payload.session_id is not None:
        session = participant.course.sessions.filter(pk=payload.session_id).first()
        if session is None:
            raise NotFoundError()
    feedback = people.feedback_record(actor=user, participant=participant, session=session, rating=payload.rating,
                                      comment=payload.comment)
    return Status(201, _feedback_out(feedback))


@router.get("/training/courses/{int:course_id}/feedback", response={200: FeedbackSummaryOut, **ERROR_RESPONSES},
            operation_id="training_feedback_summary", summary="Ratings of a course: average, per trainer, comments")
def training_feedback_summary(request, course_id: int):
    user = request.auth
    _role(user)
    course = selectors.course_get(user=user, pk=course_id)
    require_manage_course(user, course)
    s = selectors.feedback_summary(course)
    return {"average": float(s["avg"]) if s["avg"] is not None else None, "count": s["count"],
            "trainers": [{"trainer": t["trainer"], "average": float(t["avg"]), "count": t["count"]}
                         for t in s["trainers"]],
            "comments": [_feedback_out(f) for f in s["comments"]]}
