"""Courses and their sessions: create, edit, schedule, start, finish (freezing outcomes), cancel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Agency, AgencyKind
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.audit import audit_log, diff, snapshot
from bansos.core.errors import DomainError, Errors, PermissionDeniedError, raise_if_errors
from bansos.programs.access import MSG_OTHER_AGENCY, program_in_agency
from bansos.programs.models import Program, ProgramKind, ProgramStatus
from bansos.training.access import require_manage_course
from bansos.training.models import (
    COURSE_TRANSITIONS, Course, CourseSession, CourseStatus, Outcome, SkillArea,
)
from bansos.training.services.common import (
    MSG_INVALID_CHOICE, MSG_REQUIRED, lock_course, reason_text, require_open, text, today, whole,
)

MSG_PROGRAM_KIND = _("Pelatihan hanya dapat dibuat di program pelatihan keterampilan atau program UMKM.")
MSG_PROGRAM_CLOSED = _("Program sudah selesai; tidak dapat menambah atau mengubah pelatihannya.")
MSG_PARTNER_KIND = _("Perusahaan mitra harus lembaga berjenis dunia usaha.")
MSG_PARTNER_INACTIVE = _("Perusahaan mitra ini tidak aktif.")
MSG_CAPACITY_BELOW = _("Kapasitas tidak boleh lebih kecil dari jumlah peserta aktif (%(count)s).")
MSG_RULE_LOCKED = _("Aturan kelulusan tidak dapat diubah setelah pelatihan selesai.")
MSG_SESSION_TAKEN = _("Absensi pertemuan ini sudah dicatat; pertemuan tidak dapat diubah atau dihapus.")
MSG_DATE = _("Tanggal tidak valid.")
MSG_TIME = _("Jam tidak valid.")
MSG_TRANSITION = _("Status pelatihan tidak dapat diubah dari “%(from)s” menjadi “%(to)s”.")
MSG_NO_SESSIONS = _("Jadwalkan paling sedikit satu pertemuan sebelum pelatihan dimulai.")
MSG_FUTURE_SESSIONS = _(
    "Masih ada pertemuan yang dijadwalkan sesudah hari ini; ubah tanggal atau hapus pertemuan itu dahulu."
)

COURSE_FIELDS = ("title", "skill_area", "description", "partner", "women_only", "youth_only", "capacity",
                 "min_attendance_pct", "pass_score")
SESSION_FIELDS = ("date", "start_time", "place", "trainer", "topic")
TRAINING_KINDS = (ProgramKind.TRAINING, ProgramKind.ENTERPRISE)


def _require_program(actor, program: Program) -> None:
    if not has_role_perm(actor, P.TRAINING_MANAGE):
        raise PermissionDeniedError()
    if not program_in_agency(actor, program):
        raise PermissionDeniedError(MSG_OTHER_AGENCY)


def _check_program(program: Program) -> None:
    if program.kind not in TRAINING_KINDS:
        raise DomainError("program_kind", MSG_PROGRAM_KIND, field="program")
    if program.status == ProgramStatus.CLOSED:
        raise DomainError("program_closed", MSG_PROGRAM_CLOSED, field="program")


def _clean_course(data: dict[str, Any], *, course: Course | None = None) -> dict[str, Any]:
    errors = Errors()
    clean: dict[str, Any] = {
        "title": text(errors, data, "title", 150),
        "description": text(errors, data, "description", 2000, required=False),
    }
    skill = data.get("skill_area") or ""
    if skill not in SkillArea.values:
        errors.add("skill_area", MSG_REQUIRED if not skill else MSG_INVALID_CHOICE)
    clean["skill_area"] = skill
    partner = data.get("partner")
    if partner is not None and not isinstance(partner, Agency):
        partner = Agency.objects.filter(pk=partner).first() if str(partner).isdigit() else None
        if partner is None:
            errors.add("partner", MSG_INVALID_CHOICE)
    if partner is not None:
        if partner.kind != AgencyKind.BUSINESS:
            errors.add("partner", MSG_PARTNER_KIND)
        elif not partner.is_active and (course is None or course.partner_id != partner.pk):
            errors.add("partner", MSG_PARTNER_INACTIVE)
    clean["partner"] = partner
    clean["women_only"] = bool(data.get("women_only"))
    clean["youth_only"] = bool(data.get("youth_only"))
    clean["capacity"] = whole(errors, data, "capacity", 1, 10_000)
    clean["min_attendance_pct"] = whole(errors, data, "min_attendance_pct", 0, 100)
    clean["pass_score"] = whole(errors, data, "pass_score", 0, 100, required=False)
    if course is not None and clean["capacity"] is not None:
        active = course.participants.filter(state="active").count()
        if clean["capacity"] < active:
            errors.add("capacity", MSG_CAPACITY_BELOW, count=active)
    raise_if_errors(errors)
    return clean


@transaction.atomic
def course_create(*, actor, program: Program, data: dict[str, Any]) -> Course:
    """Create a planned course under a training (or UMKM) program of the actor's agency."""
    _require_program(actor, program)
    program = Program.objects.select_for_update().get(pk=program.pk)
    _check_program(program)
    course = Course.objects.create(program=program, created_by=actor, **_clean_course(data))
    audit_log(actor=actor, action="training.course.create", obj=course,
              changes={k: [None, v] for k, v in snapshot(course, ("program", *COURSE_FIELDS)).items()})
    return course


@transaction.atomic
def course_update(*, actor, course: Course, data: dict[str, Any]) -> Course:
    """Change a planned or running course's description, partner, restrictions, capacity and rule."""
    require_manage_course(actor, course)
    course = lock_course(course)
    require_open(course)
    _check_program(course.program)
    before = snapshot(course, COURSE_FIELDS)
    for name, value in _clean_course(data, course=course).items():
        setattr(course, name, value)
    course.save()
    changes = diff(before, snapshot(course, COURSE_FIELDS))
    if changes:
        audit_log(actor=actor, action="training.course.update", obj=course, changes=changes)
    return course


def _set_status(actor, course: Course, to: str) -> None:
    if to not in COURSE_TRANSITIONS[CourseStatus(course.status)]:
        raise DomainError("course_transition", MSG_TRANSITION, **{
            "from": CourseStatus(course.status).label, "to": CourseStatus(to).label})


@transaction.atomic
def course_start(*, actor, course: Course) -> Course:
    """Planned -> running: attendance can be taken from now on."""
    require_manage_course(actor, course)
    course = lock_course(course)
    _set_status(actor, course, CourseStatus.RUNNING)
    if not course.sessions.exists():
        raise DomainError("no_sessions", MSG_NO_SESSIONS)
    course.status = CourseStatus.RUNNING
    course.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="training.course.start", obj=course,
              changes={"status": [CourseStatus.PLANNED, CourseStatus.RUNNING]})
    return course


@transaction.atomic
def course_finish(*, actor, course: Course) -> Course:
    """Running -> finished: every participant's outcome is frozen by the course's rule."""
    from bansos.training.selectors import participant_verdicts

    require_manage_course(actor, course)
    course = lock_course(course)
    _set_status(actor, course, CourseStatus.FINISHED)
    if course.sessions.filter(date__gt=today()).exists():
        raise DomainError("future_sessions", MSG_FUTURE_SESSIONS)
    now = timezone.now()
    for row in participant_verdicts(course):
        participant = row["participant"]
        participant.outcome = row["verdict"].outcome
        participant.completed_at = now if participant.outcome == Outcome.COMPLETED else None
        participant.save(update_fields=["outcome", "completed_at"])
        audit_log(actor=actor, action="training.participant.outcome", obj=participant,
                  household_id=participant.household_id,
                  changes={"outcome": [None, participant.outcome], "attended": row["attended"],
                           "sessions": row["sessions"], "assessment_score": participant.assessment_score},
                  reason="; ".join(row["verdict"].reasons))
    course.status = CourseStatus.FINISHED
    course.finished_at = now
    course.save(update_fields=["status", "finished_at", "updated_at"])
    audit_log(actor=actor, action="training.course.finish", obj=course,
              changes={"status": [CourseStatus.RUNNING, CourseStatus.FINISHED]})
    return course


@transaction.atomic
def course_cancel(*, actor, course: Course, reason: str) -> Course:
    """Planned or running -> cancelled, with the reason; participants keep no outcome."""
    require_manage_course(actor, course)
    reason = reason_text(reason)
    course = lock_course(course)
    before = course.status
    _set_status(actor, course, CourseStatus.CANCELLED)
    course.status = CourseStatus.CANCELLED
    course.cancel_reason = reason
    course.save(update_fields=["status", "cancel_reason", "updated_at"])
    audit_log(actor=actor, action="training.course.cancel", obj=course,
              changes={"status": [before, CourseStatus.CANCELLED]}, reason=reason)
    return course


# --- Sessions -----------------------------------------------------------------------------------------


def _parse_date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _parse_time(value):
    if value in (None, ""):
        return None
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        return False


def _clean_session(course: Course, data: dict[str, Any]) -> dict[str, Any]:
    errors = Errors()
    clean: dict[str, Any] = {
        "place": text(errors, data, "place", 150),
        "trainer": text(errors, data, "trainer", 120),
        "topic": text(errors, data, "topic", 200, required=False),
    }
    raw = data.get("date")
    day = _parse_date(raw) if raw not in (None, "") else None
    if raw in (None, ""):
        errors.add("date", MSG_REQUIRED)
    elif day is None:
        errors.add("date", MSG_DATE)
    clean["date"] = day
    start = _parse_time(data.get("start_time"))
    if start is False:
        errors.add("start_time", MSG_TIME)
    clean["start_time"] = start or None
    raise_if_errors(errors)
    return clean


def _session_snapshot(session: CourseSession) -> dict[str, Any]:
    values = snapshot(session, SESSION_FIELDS)
    values["start_time"] = session.start_time.strftime("%H:%M") if session.start_time else None  # JSON has no time
    return values


def _renumber(course: Course) -> None:
    """Number the sessions 1..n in date order (one UPDATE per session that moves; n is small)."""
    sessions = list(course.sessions.order_by("date", "start_time", "pk"))
    # Out of the way first, so that no two rows ever share a number (the unique constraint holds throughout).
    course.sessions.update(number=F("number") + 1000)
    for number, session in enumerate(sessions, start=1):
        CourseSession.objects.filter(pk=session.pk).update(number=number)


@transaction.atomic
def session_add(*, actor, course: Course, data: dict[str, Any]) -> CourseSession:
    """Schedule a session (numbered in date order)."""
    require_manage_course(actor, course)
    course = lock_course(course)
    require_open(course)
    clean = _clean_session(course, data)
    last = course.sessions.aggregate(m=Max("number"))["m"] or 0
    session = CourseSession.objects.create(course=course, number=last + 1, **clean)
    _renumber(course)
    session.refresh_from_db()
    audit_log(actor=actor, action="training.session.add", obj=session,
              changes={k: [None, v] for k, v in _session_snapshot(session).items()})
    return session


@transaction.atomic
def session_update(*, actor, session: CourseSession, data: dict[str, Any]) -> CourseSession:
    """Change a session's date, place, trainer or topic (not once attendance was taken)."""
    require_manage_course(actor, session.course)
    course = lock_course(session.course)
    require_open(course)
    session = CourseSession.objects.get(pk=session.pk)
    if session.attendance_taken_at is not None:
        raise DomainError("session_taken", MSG_SESSION_TAKEN)
    before = _session_snapshot(session)
    for name, value in _clean_session(course, data).items():
        setattr(session, name, value)
    session.save()
    _renumber(course)
    session.refresh_from_db()
    changes = diff(before, _session_snapshot(session))
    if changes:
        audit_log(actor=actor, action="training.session.update", obj=session, changes=changes)
    return session


@transaction.atomic
def session_remove(*, actor, session: CourseSession) -> None:
    """Remove a session not yet taken; the others are renumbered."""
    require_manage_course(actor, session.course)
    course = lock_course(session.course)
    require_open(course)
    session = CourseSession.objects.get(pk=session.pk)
    if session.attendance_taken_at is not None or session.attendance.exists():
        raise DomainError("session_taken", MSG_SESSION_TAKEN)
    audit_log(actor=actor, action="training.session.remove", obj=session,
              changes={k: [v, None] for k, v in _session_snapshot(session).items()})
    session.delete()
    _renumber(course)
