"""Who may see a household's index and who may decide its graduation.

- The index of a household (trajectory and components) is shown to whoever may view the household
  (``P.HOUSEHOLD_VIEW`` in scope; the resident: its own). The "under-fives growing normally" component
  comes from child health records (specific personal data): its value is shown only to those who may
  see the household's health data (``health.access.can_household``: the admin, the posyandu's cadre);
  everyone else sees that it exists, not its value.
- Graduation decisions (``P.GRADUATION_MANAGE``): the kelurahan admin decides for every household.
  A program officer decides only for households whose active cash enrollments are all in programs of
  its own agency, because confirming ends those enrollments (``enrollment_graduate`` refuses another
  agency's anyway); a household that also receives another agency's cash aid is the admin's decision.
  The officer's list of proposals shows only the households it may decide.
"""

from __future__ import annotations

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_perm, has_role_perm
from bansos.core.errors import PermissionDeniedError
from django.utils.translation import gettext_lazy as _

MSG_OTHER_AGENCY_CASH = _("Keluarga ini juga menerima bantuan tunai lembaga lain; kelulusannya diputuskan "
                          "admin kelurahan.")


def can_view_index(user, household) -> bool:
    return has_perm(user, P.HOUSEHOLD_VIEW, household)


def can_view_growth(user, household) -> bool:
    from bansos.health.access import can_household

    return can_household(user, P.HEALTH_VIEW, household)


def graduation_agencies(household_id: int) -> set[int]:
    """Agencies of the household's active cash enrollments (the ones a confirmation would end)."""
    from bansos.programs.models import Enrollment, EnrollmentState, ProgramKind

    return set(Enrollment.objects.filter(household_id=household_id, state=EnrollmentState.ACTIVE,
                                         program__kind=ProgramKind.CASH)
               .values_list("program__agency_id", flat=True))


def can_decide_graduation(user, graduation) -> bool:
    if not has_role_perm(user, P.GRADUATION_MANAGE):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.OFFICER or user.agency_id is None:
        return False
    agencies = graduation_agencies(graduation.household_id)
    return bool(agencies) and agencies == {user.agency_id}


def require_decide_graduation(user, graduation) -> None:
    if not has_role_perm(user, P.GRADUATION_MANAGE):
        raise PermissionDeniedError()
    if not can_decide_graduation(user, graduation):
        raise PermissionDeniedError(MSG_OTHER_AGENCY_CASH)
