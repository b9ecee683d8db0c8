"""Residents' ratings: of a training session they attended (the training app's Feedback) and of a program
their household takes part in (ProgramFeedback, one per person and program, editable)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from bansos.core.audit import audit_log
from bansos.core.errors import Errors, PermissionDeniedError, raise_if_errors
from bansos.forums import content
from bansos.forums.access import person_of, takes_part
from bansos.forums.models import ProgramFeedback

MSG_NO_PERSON = _("Akun Anda belum terhubung dengan data warga; hubungi kantor kelurahan.")
MSG_NOT_PARTICIPANT_COURSE = _("Anda bukan peserta pelatihan pertemuan ini.")
MSG_NOT_PARTICIPANT_PROGRAM = _("Keluarga Anda tidak tercatat sebagai peserta program ini.")
MSG_RATING = _("Pilih nilai 1 sampai 5.")


def _rating(errors: Errors, value) -> int | None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        errors.add("rating", MSG_RATING)
        return None
    return value


def _person(actor):
    person = person_of(actor)
    if person is None:
        raise PermissionDeniedError(MSG_NO_PERSON)
    return person


def session_feedback_record(*, actor, session, rating, comment: str = ""):
    """A resident's rating of a session of a course he takes part in and attended (recorded again: replaced)."""
    from bansos.training.models import Participant
    from bansos.training.services.participants import feedback_record

    person = _person(actor)
    participant = Participant.objects.filter(course_id=session.course_id, resident=person).first()
    if participant is None:
        raise PermissionDeniedError(MSG_NOT_PARTICIPANT_COURSE)
    errors = Errors()
    note = content.clean_text(errors, "comment", comment, low=0, high=content.COMMENT_MAX, required=False,
                              phones=True)
    raise_if_errors(errors)
    return feedback_record(actor=actor, participant=participant, rating=rating, comment=note, session=session)


@transaction.atomic
def program_feedback_record(*, actor, program, rating, comment: str = "") -> ProgramFeedback:
    """A resident's rating of a program his household takes part in; a second rating edits the first."""
    person = _person(actor)
    if not takes_part(person.household_id, program.pk):
        raise PermissionDeniedError(MSG_NOT_PARTICIPANT_PROGRAM)
    errors = Errors()
    value = _rating(errors, rating)
    note = content.clean_text(errors, "comment", comment, low=0, high=content.COMMENT_MAX, required=False)
    raise_if_errors(errors)
    existing = ProgramFeedback.objects.select_for_update().filter(program=program, resident=person).first()
    if existing is None:
        try:
            with transaction.atomic():
                feedback = ProgramFeedback.objects.create(program=program, resident=person,
                                                          household_id=person.household_id, rating=value,
                                                          comment=note, recorded_by=actor)
            before = [None, None]
        except IntegrityError:  # the same form sent twice at once: the other request inserted the row
            existing = ProgramFeedback.objects.select_for_update().get(program=program, resident=person)
    if existing is not None:
        before = [existing.rating, existing.comment]
        existing.rating, existing.comment, existing.recorded_by = value, note, actor
        existing.save(update_fields=["rating", "comment", "recorded_by", "updated_at"])
        feedback = existing
    audit_log(actor=actor, action="forums.program_feedback.record", obj=feedback, household_id=person.household_id,
              object_label=str(program.name), changes={"rating": [before[0], value], "comment": [before[1], note]})
    return feedback
