"""A signed-in resident applies to a program that is open for resident applications."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError
from bansos.programs.models import Channel, Enrollment, Participant, Program, ProgramStatus
from bansos.programs.services.enrollment import enrollment_apply
from bansos.registry.models import Resident, ResidentStatus

MSG_NOT_OPEN_FOR_RESIDENTS = _("Program ini tidak menerima pendaftaran lewat portal. Lihat cara mendaftar di "
                               "halaman program.")
MSG_MEMBER_REQUIRED = _("Pilih anggota keluarga yang akan ikut program ini.")
MSG_MEMBER_NOT_ALLOWED = _("Program ini untuk seluruh keluarga; tidak perlu memilih anggota.")

# Programs a resident may apply to from the portal.
APPLYING = (ProgramStatus.OPEN, ProgramStatus.RUNNING)


def open_for_residents(program: Program) -> bool:
    return program.resident_applications and program.status in APPLYING


def application_create(*, actor, program: Program, resident_id: int | None = None) -> Enrollment:
    """Apply for the actor's own household (household programs) or one of its active members (person programs)."""
    if actor is None or not actor.is_authenticated or actor.role != Role.RESIDENT or not actor.household_id:
        raise PermissionDeniedError()
    if not open_for_residents(program):
        raise DomainError("program_not_open_for_residents", MSG_NOT_OPEN_FOR_RESIDENTS)
    resident = None
    if program.participant == Participant.RESIDENT:
        if not resident_id:
            raise DomainError("resident_required", MSG_MEMBER_REQUIRED, field="resident")
        # Another household's member is "not found", never "not yours": ids tell nothing.
        resident = Resident.objects.filter(pk=resident_id, household_id=actor.household_id,
                                           status=ResidentStatus.ACTIVE).first()
        if resident is None:
            raise NotFoundError()
    elif resident_id:
        raise DomainError("resident_not_allowed", MSG_MEMBER_NOT_ALLOWED, field="resident")
    with transaction.atomic():
        return enrollment_apply(actor=actor, program=program, household=actor.household, resident=resident,
                                channel=Channel.RESIDENT, note=str(_("Didaftarkan warga lewat portal")))
