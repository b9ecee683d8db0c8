"""Participants of a course: add from the program's enrollments, drop, score, attendance, feedback."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, Errors, raise_if_errors
from bansos.core.formats import age_on
from bansos.programs.models import Enrollment, EnrollmentState
from bansos.registry.models import Resident
from bansos.training.access import require_attendance, require_manage_course
from bansos.training.models import (
    Attendance, CourseSession, CourseStatus, Feedback, Participant, ParticipantState,
)
from bansos.training.services.common import (
    MSG_COURSE_NOT_RUNNING, lock_course, reason_text, require_open, text, today, whole,
)

YOUTH_MIN_AGE, YOUTH_MAX_AGE = 16, 30

MSG_ENROLLMENT_PROGRAM = _("Pendaftaran ini bukan dari program pelatihan ini.")
MSG_ENROLLMENT_STATE = _("Hanya peserta program yang sudah disetujui atau aktif yang dapat ikut pelatihan.")
MSG_MEMBER_NEEDED = _("Pilih anggota keluarga yang akan ikut pelatihan.")
MSG_MEMBER_OTHER = _("Warga ini bukan anggota aktif keluarga yang terdaftar di program.")
MSG_MEMBER_INACTIVE = _("Warga ini tidak lagi tercatat aktif.")
MSG_ALREADY_IN = _("Warga ini sudah terdaftar di pelatihan ini.")
MSG_FULL = _("Kapasitas pelatihan sudah penuh (%(capacity)s peserta).")
MSG_WOMEN_ONLY = _("Pelatihan ini khusus perempuan.")
MSG_YOUTH_ONLY = _("Pelatihan ini khusus pemuda usia 16–30 tahun; pada pertemuan pertama (%(date)s) "
                   "warga ini berusia %(age)s tahun.")
MSG_NOT_ACTIVE = _("Peserta ini sudah berhenti.")
MSG_WRONG_COURSE = _("Peserta ini bukan peserta pelatihan pertemuan ini.")
MSG_FUTURE_SESSION = _("Absensi hanya untuk pertemuan hari ini atau sebelumnya (pertemuan ini %(date)s).")
MSG_FROZEN = _("Hasil pelatihan sudah ditetapkan; nilai tidak dapat diubah.")
MSG_FEEDBACK_SESSION = _("Pertemuan ini bukan bagian dari pelatihan peserta.")
MSG_FEEDBACK_NOT_ATTENDED = _("Anda hanya dapat menilai pertemuan yang Anda hadiri.")


def _person_for(enrollment: Enrollment, resident: Resident | None) -> Resident:
    if enrollment.resident_id:
        if resident is not None and resident.pk != enrollment.resident_id:
            raise DomainError("member_other", MSG_MEMBER_OTHER, field="resident")
        person = enrollment.resident
    else:
        if resident is None:
            raise DomainError("member_needed", MSG_MEMBER_NEEDED, field="resident")
        if resident.household_id != enrollment.household_id:
            raise DomainError("member_other", MSG_MEMBER_OTHER, field="resident")
        person = resident
    if person.status != "active":
        raise DomainError("member_inactive", MSG_MEMBER_INACTIVE, field="resident")
    return person


@transaction.atomic
def participant_add(*, actor, course, enrollment: Enrollment, resident: Resident | None = None) -> Participant:
    """Add a participant from an approved or active enrollment of the course's program."""
    require_manage_course(actor, course)
    course = lock_course(course)
    require_open(course)
    enrollment = Enrollment.objects.select_related("resident").get(pk=enrollment.pk)
    if enrollment.program_id != course.program_id:
        raise DomainError("enrollment_program", MSG_ENROLLMENT_PROGRAM, field="enrollment")
    if enrollment.state not in (EnrollmentState.APPROVED, EnrollmentState.ACTIVE):
        raise DomainError("enrollment_state", MSG_ENROLLMENT_STATE, field="enrollment")
    person = _person_for(enrollment, resident)
    if course.participants.filter(resident=person).exists():
        raise DomainError("already_in", MSG_ALREADY_IN, field="resident")
    errors = Errors()
    if course.women_only and person.sex != "P":
        errors.add("resident", MSG_WOMEN_ONLY)
    if course.youth_only:
        first = course.sessions.order_by("date").values_list("date", flat=True).first() or today()
        age = age_on(person.birth_date, first)
        if age is None or not (YOUTH_MIN_AGE <= age <= YOUTH_MAX_AGE):
            from bansos.core.formats import tanggal

            errors.add("resident", MSG_YOUTH_ONLY, date=tanggal(first), age=age)
    raise_if_errors(errors)
    active = course.participants.filter(state=ParticipantState.ACTIVE).count()
    if active >= course.capacity:
        raise DomainError("course_full", MSG_FULL, capacity=course.capacity)
    try:
        with transaction.atomic():
            participant = Participant.objects.create(course=course, enrollment=enrollment, resident=person,
                                                     household_id=enrollment.household_id, added_by=actor)
    except IntegrityError:
        raise DomainError("already_in", MSG_ALREADY_IN, field="resident") from None
    audit_log(actor=actor, action="training.participant.add", obj=participant, household_id=participant.household_id,
              changes={"course": [None, course.title], "enrollment": [None, enrollment.pk]})
    return participant


def _lock_participant(participant: Participant):
    course = lock_course(participant.course)
    return course, Participant.objects.select_related("resident").get(pk=participant.pk)


@transaction.atomic
def participant_drop(*, actor, participant: Participant, reason: str) -> Participant:
    """Record that a participant left the course (a dropout, visible as such)."""
    require_manage_course(actor, participant.course)
    reason = reason_text(reason)
    course, participant = _lock_participant(participant)
    require_open(course)
    if participant.state != ParticipantState.ACTIVE:
        raise DomainError("participant_dropped", MSG_NOT_ACTIVE)
    participant.state = ParticipantState.DROPPED
    participant.dropped_reason = reason
    participant.save(update_fields=["state", "dropped_reason"])
    audit_log(actor=actor, action="training.participant.drop", obj=participant, household_id=participant.household_id,
              changes={"state": [ParticipantState.ACTIVE, ParticipantState.DROPPED]}, reason=reason)
    return participant


@transaction.atomic
def participant_score_set(*, actor, participant: Participant, score) -> Participant:
    """Record the assessment score (0-100; empty clears it) before the course is finished."""
    require_manage_course(actor, participant.course)
    course, participant = _lock_participant(participant)
    if course.status == CourseStatus.FINISHED:
        raise DomainError("outcome_frozen", MSG_FROZEN, field="score")
    require_open(course)
    errors = Errors()
    value = whole(errors, {"score": score}, "score", 0, 100, required=False)
    raise_if_errors(errors)
    before = participant.assessment_score
    if before != value:
        participant.assessment_score = value
        participant.save(update_fields=["assessment_score"])
        audit_log(actor=actor, action="training.participant.score", obj=participant,
                  household_id=participant.household_id, changes={"assessment_score": [before, value]})
    return participant


# --- Attendance ---------------------------------------------------------------------------------------


def _attendance_checks(course, session: CourseSession) -> None:
    if course.status != CourseStatus.RUNNING:
        raise DomainError("course_not_running", MSG_COURSE_NOT_RUNNING)
    if session.date > today():
        from bansos.core.formats import tanggal

        raise DomainError("session_future", MSG_FUTURE_SESSION, date=tanggal(session.date))


@transaction.atomic
def attendance_mark(*, actor, session: CourseSession, participant: Participant, present: bool) -> Attendance:
    """Record one participant present or absent at one session; the same request twice changes nothing.

    The request carries the wanted state, not "toggle", so a tap sent twice (a retry on a weak phone
    connection) leaves the same answer. Only the participant's row is written and locked; the course
    row is read, not locked, so taps on the same session do not queue behind each other.
    """
    course = session.course
    require_attendance(actor, course)
    # The status is read again: a caller's course object may predate a start, finish or cancel.
    course.refresh_from_db(fields=["status"])
    _attendance_checks(course, session)
    if participant.course_id != session.course_id:
        raise DomainError("wrong_course", MSG_WRONG_COURSE)
    if participant.state != ParticipantState.ACTIVE:
        raise DomainError("participant_dropped", MSG_NOT_ACTIVE)
    present = bool(present)
    row = Attendance.objects.select_for_update().filter(session=session, participant=participant).first()
    created = row is None
    if created:
        try:
            with transaction.atomic():
                row = Attendance.objects.create(session=session, participant=participant, present=present,
                                                recorded_by=actor)
        except IntegrityError:  # the same tap arrived twice at once: the other one inserted the row
            row = Attendance.objects.select_for_update().get(session=session, participant=participant)
            created = False
    if not created:
        if row.present == present:
            return row
        row.present = present
        row.recorded_by = actor
        row.save(update_fields=["present", "recorded_by", "recorded_at"])
    if session.attendance_taken_at is None:
        CourseSession.objects.filter(pk=session.pk, attendance_taken_at__isnull=True).update(
            attendance_taken_at=timezone.now())
    # In the platform's audit trail, not the household's history: one event per tap per session would bury
    # the family's other events there, and the household page shows the attendance share anyway.
    audit_log(actor=actor, action="training.attendance.mark", obj=participant,
              changes={"session": session.number, "present": [None if created else not present, present]})
    return row


@transaction.atomic
def session_attendance_close(*, actor, session: CourseSession) -> CourseSession:
    """Mark a session's attendance as taken (also when nobody came: then everyone is absent)."""
    course = session.course
    require_attendance(actor, course)
    course.refresh_from_db(fields=["status"])
    _attendance_checks(course, session)
    if session.attendance_taken_at is None:
        session.attendance_taken_at = timezone.now()
        CourseSession.objects.filter(pk=session.pk, attendance_taken_at__isnull=True).update(
            attendance_taken_at=session.attendance_taken_at)
        audit_log(actor=actor, action="training.session.taken", obj=session,
                  changes={"present": Attendance.objects.filter(session=session, present=True).count()})
    return session


# --- Feedback -----------------------------------------------------------------------------------------


def _own_place(actor, participant: Participant) -> bool:
    """Whether ``actor`` is the resident account of the participant himself."""
    return (getattr(actor, "is_authenticated", False) and actor.is_active and actor.role == "resident"
            and actor.resident_id is not None and actor.resident_id == participant.resident_id
            and actor.household_id == participant.household_id)


@transaction.atomic
def feedback_record(*, actor, participant: Participant, rating, comment: str = "",
                    session: CourseSession | None = None) -> Feedback:
    """A participant's 1-5 rating and comment on a session or the course (recorded again: replaced).

    Staff of the course record it; a resident records his own (the forums app's resident pages), on a
    session only when he was marked present at it.
    """
    own = _own_place(actor, participant)
    if not own:
        require_manage_course(actor, participant.course)
    course, participant = _lock_participant(participant)
    if session is not None and session.course_id != course.pk:
        raise DomainError("feedback_session", MSG_FEEDBACK_SESSION, field="session")
    if own and session is not None and not Attendance.objects.filter(
            session=session, participant=participant, present=True).exists():
        raise DomainError("feedback_not_attended", MSG_FEEDBACK_NOT_ATTENDED, field="session")
    errors = Errors()
    value = whole(errors, {"rating": rating}, "rating", 1, 5)
    note = text(errors, {"comment": comment}, "comment", 1000, required=False)
    raise_if_errors(errors)
    existing = Feedback.objects.select_for_update().filter(participant=participant, session=session).first()
    if existing is None:
        feedback = Feedback.objects.create(participant=participant, session=session, rating=value, comment=note,
                                           recorded_by=actor)
        before = [None, None]
    else:
        before = [existing.rating, existing.comment]
        existing.rating, existing.comment, existing.recorded_by = value, note, actor
        existing.save(update_fields=["rating", "comment", "recorded_by"])
        feedback = existing
    audit_log(actor=actor, action="training.feedback.record", obj=participant, household_id=participant.household_id,
              changes={"session": session.number if session else None, "rating": [before[0], value],
                       "comment": [before[1], note]})
    return feedback
