"""Certificates of completed participants: issue (once), revoke with a reason."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.core.audit import audit_log
from bansos.core.errors import DomainError
from bansos.training.access import require_manage_course
from bansos.training.certificates import display, new_code
from bansos.training.models import Certificate, CourseStatus, Outcome, Participant
from bansos.training.services.common import lock_course, reason_text

MSG_NOT_COMPLETED = _("Sertifikat hanya untuk peserta yang lulus pelatihan yang sudah selesai.")
MSG_ALREADY_REVOKED = _("Sertifikat ini sudah dicabut.")


def _issue(actor, participant: Participant) -> tuple[Certificate, bool]:
    existing = Certificate.objects.filter(participant=participant).first()
    if existing is not None:
        return existing, False
    for _attempt in range(5):  # a clash of 40 random bits is rare; try again rather than fail
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(participant=participant, code=new_code(), issued_by=actor)
            break
        except IntegrityError:
            existing = Certificate.objects.filter(participant=participant).first()
            if existing is not None:
                return existing, False
    else:  # pragma: no cover
        raise RuntimeError("could not draw a free certificate code")
    audit_log(actor=actor, action="training.certificate.issue", obj=participant, household_id=participant.household_id,
              changes={"code": display(certificate.code)})
    return certificate, True


@transaction.atomic
def certificate_issue(*, actor, participant: Participant) -> Certificate:
    """Issue the certificate of a completed participant; issuing again returns the same certificate."""
    require_manage_course(actor, participant.course)
    course = lock_course(participant.course)
    participant = Participant.objects.select_related("resident").get(pk=participant.pk)
    if course.status != CourseStatus.FINISHED or participant.outcome != Outcome.COMPLETED:
        raise DomainError("not_completed", MSG_NOT_COMPLETED)
    return _issue(actor, participant)[0]


@transaction.atomic
def certificate_issue_course(*, actor, course) -> int:
    """Issue the certificates of every completed participant of a finished course; returns how many are new."""
    require_manage_course(actor, course)
    course = lock_course(course)
    if course.status != CourseStatus.FINISHED:
        raise DomainError("not_completed", MSG_NOT_COMPLETED)
    made = 0
    for participant in course.participants.filter(outcome=Outcome.COMPLETED).select_related("resident"):
        made += _issue(actor, participant)[1]
    return made


@transaction.atomic
def certificate_revoke(*, actor, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate (it then verifies as revoked, with the date)."""
    participant = certificate.participant
    require_manage_course(actor, participant.course)
    reason = reason_text(reason)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise DomainError("already_revoked", MSG_ALREADY_REVOKED)
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.revoked_by = actor
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    audit_log(actor=actor, action="training.certificate.revoke", obj=participant,
              household_id=participant.household_id, changes={"code": display(certificate.code)}, reason=reason)
    return certificate
