"""Education programs: the attendance condition, and enrolling students as participants."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, Errors, raise_if_errors
from bansos.education.access import require_program
from bansos.education.models import EducationTerms

MSG_NOT_EDUCATION = _("Program ini bukan program pendidikan untuk perorangan.")
MSG_MIN = _("Kehadiran minimal antara 1 dan 100 persen.")
MSG_MISSES = _("Jumlah bulan antara 1 dan 12.")


def _require_education(program) -> None:
    if program.kind != "education" or program.participant != "resident":
        raise DomainError("not_education", MSG_NOT_EDUCATION)


@transaction.atomic
def terms_set(*, actor, program, min_attendance: int, misses_to_suspend: int, resume_on_pass: bool) -> EducationTerms:
    """Set the attendance condition of an education program."""
    require_program(actor, program)
    _require_education(program)
    errors = Errors()
    if not isinstance(min_attendance, int) or not 1 <= min_attendance <= 100:
        errors.add("min_attendance", MSG_MIN)
    if not isinstance(misses_to_suspend, int) or not 1 <= misses_to_suspend <= 12:
        errors.add("misses_to_suspend", MSG_MISSES)
    raise_if_errors(errors)
    terms, _created = EducationTerms.objects.select_for_update().get_or_create(program=program)
    before = [terms.min_attendance, terms.misses_to_suspend, terms.resume_on_pass]
    terms.min_attendance, terms.misses_to_suspend, terms.resume_on_pass = (
        min_attendance, misses_to_suspend, bool(resume_on_pass))
    terms.save()
    audit_log(actor=actor, action="education.terms.set", obj=program,
              changes={"min_attendance": [before[0], min_attendance],
                       "misses_to_suspend": [before[1], misses_to_suspend],
                       "resume_on_pass": [before[2], bool(resume_on_pass)]})
    return terms


def student_apply(*, actor, program, resident, note: str = ""):
    """Apply for a child in an education program (staff channel, through the enrollment workflow)."""
    from bansos.programs.services.enrollment import enrollment_apply

    require_program(actor, program)
    _require_education(program)
    return enrollment_apply(actor=actor, program=program, household=resident.household, resident=resident,
                            note=note or str(_("Didaftarkan dari daftar anak tidak sekolah.")))
