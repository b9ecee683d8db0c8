""""Cek status" without sign-in: NIK + birth date -> the names and states of that person's programs.

What is shown (decided for the portal): the person's own enrollments and the household-level enrollments of
the person's household (cash, UMKM capital), since a family member asks "does our KK get the BLT?". Other
members' personal enrollments are not shown. Only program names and plain states: no amounts, no dates,
no names. An unknown NIK, a wrong birth date and a person without programs give the very same answer
(one query by NIK in every case, the date compared afterwards), so the page cannot tell which NIKs exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bansos.core.errors import Errors, raise_if_errors
from bansos.portal.conf import limits
from bansos.portal.services.common import MSG_NIK, birth_date, digits, require_within
from bansos.programs.models import Enrollment, EnrollmentState
from bansos.registry.models import HouseholdStatus, Resident, ResidentStatus

# Plain words for a resident, one per enrollment state.
PLAIN_STATES = {
    EnrollmentState.APPLIED: _("Pendaftaran diterima, menunggu pemeriksaan"),
    EnrollmentState.VERIFIED: _("Sudah diperiksa, menunggu keputusan"),
    EnrollmentState.APPROVED: _("Disetujui, segera dimulai"),
    EnrollmentState.REJECTED: _("Tidak diterima"),
    EnrollmentState.ACTIVE: _("Sedang menerima manfaat"),
    EnrollmentState.SUSPENDED: _("Dihentikan sementara"),
    EnrollmentState.GRADUATED: _("Selesai / lulus"),
    EnrollmentState.EXITED: _("Berhenti"),
}


def plain_state(state: str) -> str:
    return str(PLAIN_STATES.get(state, state))


def _identify(nik: str, born: dt.date) -> Resident | None:
    # Always the same query, whatever the input; the date is compared in Python afterwards.
    person = (Resident.objects.filter(nik=nik, status=ResidentStatus.ACTIVE)
              .select_related("household").order_by("pk").first())
    if person is None or person.birth_date != born or person.household.status != HouseholdStatus.ACTIVE:
        return None
    return person


def identify(nik: str, born: dt.date) -> Resident | None:
    """The active resident with this NIK and birth date in an active household, or None."""
    return _identify(nik, born)


def status_check(*, nik: str, birth_date_value, ip: str | None) -> dict[str, Any]:
    """{"items": [{"program", "state", "state_label", "participant"}], "message"}; raises Throttled."""
    errors = Errors()
    nik = digits(errors, "nik", nik, MSG_NIK)
    born = birth_date(errors, birth_date_value)
    raise_if_errors(errors)
    conf = limits()
    require_within("status", ip=ip, nik=nik, per_ip=conf.status_per_ip, per_nik=conf.status_per_nik)
    person = _identify(nik, born)
    items: list[dict[str, Any]] = []
    if person is not None:
        rows = (Enrollment.objects.filter(Q(resident=person) | Q(household_id=person.household_id,
                                                                 resident__isnull=True))
                .select_related("program").order_by("program__name", "-applied_at", "-pk"))
        seen = set()
        for e in rows:
            if (e.program_id, e.resident_id) in seen:
                continue  # the latest enrollment per program tells the state
            seen.add((e.program_id, e.resident_id))
            items.append({"program": e.program.name, "state": e.state, "state_label": plain_state(e.state),
                          "participant": _t("Anda") if e.resident_id else _t("Keluarga (KK)")})
    message = (_t("Program yang tercatat untuk data ini:") if items
               else _t("Tidak ada program yang tercatat untuk NIK dan tanggal lahir ini. Jika menurut Anda ini "
                       "keliru, hubungi kantor kelurahan atau ajukan pengaduan."))
    return {"items": items, "message": message}
