"""Reads of the training pages, the household panel and the jobs app.

Attendance figures come from one grouped count per course (participants x sessions is small), never
a query per participant.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Prefetch, Q
from django.utils.translation import gettext as _

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import NotFoundError, PermissionDeniedError
from bansos.training.access import can_manage_course, can_view_course
from bansos.training.certificates import checksum_ok, initials, normalize
from bansos.training.models import (
    Attendance, Certificate, Course, CourseSession, Feedback, Outcome, Participant, ParticipantState,
)
from bansos.training.rules import attendance_pct, verdict


def visible_courses(user):
    """Courses the user may open: all for the admin; an officer's agency's, and those it partners."""
    qs = Course.objects.all()
    if not has_role_perm(user, P.TRAINING_MANAGE):
        return qs.none()
    if user.role == Role.ADMIN:
        return qs
    if user.agency_id is None:
        return qs.none()
    return qs.filter(Q(program__agency_id=user.agency_id) | Q(partner_id=user.agency_id))


def course_list(*, user, status: str = "", skill_area: str = ""):
    qs = visible_courses(user).select_related("program", "program__agency", "partner").annotate(
        n_active=Count("participants", filter=Q(participants__state=ParticipantState.ACTIVE), distinct=True),
        n_dropped=Count("participants", filter=Q(participants__state=ParticipantState.DROPPED), distinct=True),
        n_sessions=Count("sessions", distinct=True),
        n_taken=Count("sessions", filter=Q(sessions__attendance_taken_at__isnull=False), distinct=True),
    )
    if status:
        qs = qs.filter(status=status)
    if skill_area:
        qs = qs.filter(skill_area=skill_area)
    return qs.order_by("-created_at", "-pk")


def course_get(*, user, pk: int) -> Course:
    """A course the user may view (404 when unknown, 403 when not theirs)."""
    course = Course.objects.select_related("program", "program__agency", "partner").filter(pk=pk).first()
    if course is None:
        raise NotFoundError()
    if not can_view_course(user, course):
        raise PermissionDeniedError()
    return course


def session_get(*, user, pk: int) -> CourseSession:
    session = CourseSession.objects.select_related("course", "course__program", "course__partner").filter(
        pk=pk).first()
    if session is None:
        raise NotFoundError()
    if not can_view_course(user, session.course):
        raise PermissionDeniedError()
    return session


def participant_get(*, user, pk: int) -> Participant:
    participant = Participant.objects.select_related(
        "course", "course__program", "course__partner", "resident").filter(pk=pk).first()
    if participant is None:
        raise NotFoundError()
    if not can_view_course(user, participant.course):
        raise PermissionDeniedError()
    return participant


def attended_counts(course: Course) -> dict[int, int]:
    """Sessions attended per participant id (one grouped query)."""
    return dict(Attendance.objects.filter(participant__course=course, present=True)
                .values_list("participant_id").annotate(n=Count("pk")).values_list("participant_id", "n"))


def provisional_label(outcome: str) -> str:
    """How the outcome so far reads while the course runs (not yet "passed" or "failed")."""
    return {Outcome.COMPLETED: _("Memenuhi syarat"), Outcome.NOT_COMPLETED: _("Belum memenuhi syarat"),
            Outcome.DROPPED: Outcome.DROPPED.label}[outcome]


def participant_verdicts(course: Course) -> list[dict[str, Any]]:
    """Every participant with attended/total, the share, and the outcome by the rule (or the frozen one)."""
    sessions = course.sessions.count()
    counts = attended_counts(course)
    rows = []
    participants = (course.participants.select_related("resident", "household", "certificate")
                    .order_by("state", "resident__full_name", "pk"))
    for p in participants:
        attended = counts.get(p.pk, 0)
        v = verdict(state=p.state, attended=attended, sessions=sessions, min_pct=course.min_attendance_pct,
                    pass_score=course.pass_score, score=p.assessment_score)
        certificate = getattr(p, "certificate", None)  # a missing reverse one-to-one raises an AttributeError
        rows.append({
            "participant": p, "attended": attended, "sessions": sessions, "pct": attendance_pct(attended, sessions),
            "verdict": v, "outcome": p.outcome or v.outcome, "frozen": bool(p.outcome),
            "outcome_label": Outcome(p.outcome).label if p.outcome else provisional_label(v.outcome),
            "certificate": certificate,
        })
    return rows


def course_detail(course: Course) -> dict[str, Any]:
    rows = participant_verdicts(course)
    sessions = list(course.sessions.annotate(
        n_present=Count("attendance", filter=Q(attendance__present=True))).order_by("number"))
    active = [r for r in rows if r["participant"].state == ParticipantState.ACTIVE]
    return {
        "rows": rows, "sessions": sessions, "active_count": len(active),
        "dropped_count": len(rows) - len(active),
        "completing": sum(1 for r in rows if r["outcome"] == Outcome.COMPLETED),
        "seats_left": max(0, course.capacity - len(active)),
        "untaken": [s for s in sessions if s.attendance_taken_at is None],
    }


def session_attendance(session: CourseSession) -> dict[str, Any]:
    """The phone page: active participants with present/absent at this session, and the counts."""
    marks = dict(Attendance.objects.filter(session=session).values_list("participant_id", "present"))
    people = list(session.course.participants.filter(state=ParticipantState.ACTIVE)
                  .select_related("resident").order_by("resident__full_name", "pk"))
    rows = [{"participant": p, "present": marks.get(p.pk, False), "marked": p.pk in marks} for p in people]
    present = sum(1 for r in rows if r["present"])
    return {"rows": rows, "present": present, "absent": len(rows) - present, "total": len(rows)}


def attendance_row(session: CourseSession, participant: Participant) -> dict[str, Any]:
    mark = Attendance.objects.filter(session=session, participant=participant).values_list("present", flat=True).first()
    return {"participant": participant, "present": bool(mark), "marked": mark is not None}


def attendance_counts(session: CourseSession) -> dict[str, int]:
    """Present / absent / total active participants of a session, in one query."""
    figures = session.course.participants.filter(state=ParticipantState.ACTIVE).aggregate(
        total=Count("pk", distinct=True),
        present=Count("attendance", filter=Q(attendance__session=session, attendance__present=True)))
    return {"present": figures["present"], "absent": figures["total"] - figures["present"], "total": figures["total"]}


def eligible_enrollments(course: Course):
    """Approved or active enrollments of the course's program, not yet in the course (residents) ."""
    from bansos.programs.models import Enrollment, EnrollmentState

    taken = course.participants.values("resident_id")
    return (Enrollment.objects.filter(program=course.program,
                                      state__in=(EnrollmentState.APPROVED, EnrollmentState.ACTIVE))
            .exclude(resident_id__in=taken)
            .select_related("household", "resident")
            .prefetch_related("household__residents")
            .order_by("household__kk_number", "pk"))


# --- Feedback -----------------------------------------------------------------------------------------


def feedback_summary(course: Course) -> dict[str, Any]:
    """Average and count for the course and per trainer (sessions' trainers), and the comments."""
    items = Feedback.objects.filter(participant__course=course)
    overall = items.aggregate(avg=Avg("rating"), n=Count("pk"))
    trainers = list(items.filter(session__isnull=False).values("session__trainer").annotate(
        avg=Avg("rating"), n=Count("pk")).order_by("session__trainer"))
    comments = list(items.exclude(comment="").select_related("session").order_by("-created_at")[:100])
    return {"avg": overall["avg"], "count": overall["n"],
            "trainers": [{"trainer": t["session__trainer"], "avg": t["avg"], "count": t["n"]} for t in trainers],
            "comments": comments}


def trainer_summary(*, user) -> list[dict[str, Any]]:
    """Per trainer over every course the user may see: average, count of ratings, courses."""
    rows = (Feedback.objects.filter(participant__course__in=visible_courses(user), session__isnull=False)
            .values("session__trainer").annotate(avg=Avg("rating"), n=Count("pk"),
                                                 courses=Count("participant__course", distinct=True))
            .order_by("session__trainer"))
    return [{"trainer": r["session__trainer"], "avg": r["avg"], "count": r["n"], "courses": r["courses"]}
            for r in rows]


# --- A resident's and a household's courses -----------------------------------------------------------


def resident_courses(resident) -> list[dict[str, Any]]:
    """A resident's course places with attendance, outcome and certificate (the jobs app reads this)."""
    return _places(Participant.objects.filter(resident=resident))


def resident_certificates(resident):
    """Valid (not revoked) certificates of a resident, with their courses' skill areas."""
    return (Certificate.objects.filter(participant__resident=resident, revoked_at__isnull=True)
            .select_related("participant__course"))


def household_courses(household) -> list[dict[str, Any]]:
    return _places(Participant.objects.filter(household=household))


def _places(qs) -> list[dict[str, Any]]:
    places = list(qs.select_related("course", "course__program", "course__partner", "resident")
                  .prefetch_related(Prefetch("certificate", queryset=Certificate.objects.all()))
                  .order_by("-course__created_at", "pk"))
    if not places:
        return []
    course_ids = {p.course_id for p in places}
    totals = dict(CourseSession.objects.filter(course_id__in=course_ids).values_list("course_id")
                  .annotate(n=Count("pk")).values_list("course_id", "n"))
    attended = dict(Attendance.objects.filter(participant__in=[p.pk for p in places], present=True)
                    .values_list("participant_id").annotate(n=Count("pk")).values_list("participant_id", "n"))
    rows = []
    for p in places:
        sessions, got = totals.get(p.course_id, 0), attended.get(p.pk, 0)
        course = p.course
        v = verdict(state=p.state, attended=got, sessions=sessions, min_pct=course.min_attendance_pct,
                    pass_score=course.pass_score, score=p.assessment_score)
        try:
            certificate = p.certificate
        except Certificate.DoesNotExist:
            certificate = None
        rows.append({"participant": p, "course": course, "attended": got, "sessions": sessions,
                     "pct": attendance_pct(got, sessions), "outcome": p.outcome or "",
                     "outcome_so_far": v.outcome, "certificate": certificate,
                     "skill_area": course.skill_area, "completed_at": p.completed_at})
    return rows


# --- Public verification ------------------------------------------------------------------------------

GENUINE, REVOKED, INVALID = "genuine", "revoked", "invalid"


def certificate_verify(code: str) -> dict[str, Any]:
    """What the public page shows: status, and for a known code only initials, course title, date."""
    code = normalize(code)
    if not checksum_ok(code):
        return {"status": INVALID, "code": code}
    certificate = (Certificate.objects.select_related("participant__resident", "participant__course")
                   .filter(code=code).first())
    if certificate is None:
        return {"status": INVALID, "code": code}
    participant = certificate.participant
    return {
        "status": REVOKED if certificate.revoked_at else GENUINE, "code": code,
        "initials": initials(participant.resident.full_name), "course": participant.course.title,
        "completed_on": participant.completed_at or participant.course.finished_at,
        "revoked_on": certificate.revoked_at,
    }


def certificate_get(*, user, pk: int) -> Certificate:
    certificate = Certificate.objects.select_related(
        "participant__resident", "participant__course__program__agency", "participant__course__partner").filter(
        pk=pk).first()
    if certificate is None:
        raise NotFoundError()
    if not can_manage_course(user, certificate.participant.course):
        raise PermissionDeniedError()
    return certificate

