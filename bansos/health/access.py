"""Who may see and record child health data (specific personal data under UU PDP).

A health cadre works in one posyandu: they see and record the children whose household lives in an RT
that posyandu serves, and open that posyandu's sessions. The kelurahan admin sees and records all.
Every other role (officers, RT/RW officers, evaluators, residents, a cadre of another posyandu) is refused,
also when the household itself is visible to them.
"""

from __future__ import annotations

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import PermissionDeniedError


def _posyandu_rt_ids(posyandu_id: int) -> set[int]:
    from bansos.core.models import RT

    return set(RT.objects.filter(posyandus=posyandu_id).values_list("pk", flat=True))


def can_posyandu(user, perm: str, posyandu) -> bool:
    """``perm`` on a posyandu's sessions: the admin for any, a cadre for their own."""
    if not has_role_perm(user, perm):
        return False
    return user.role == Role.ADMIN or (user.posyandu_id is not None and user.posyandu_id == posyandu.pk)


def require_posyandu(user, perm: str, posyandu) -> None:
    if not can_posyandu(user, perm, posyandu):
        raise PermissionDeniedError()


def can_household(user, perm: str, household) -> bool:
    """``perm`` on the children of a household: the admin, or a cadre whose posyandu serves its RT."""
    if not has_role_perm(user, perm):
        return False
    if user.role == Role.ADMIN:
        return True
    return user.posyandu_id is not None and household.rt_id in _posyandu_rt_ids(user.posyandu_id)


def can_child(user, perm: str, child) -> bool:
    return can_household(user, perm, child.household)


def require_child(user, perm: str, child) -> None:
    if not can_child(user, perm, child):
        raise PermissionDeniedError()


def child_in_posyandu(child, posyandu) -> bool:
    """Whether the child's household lives in an RT the posyandu serves (a session records only those)."""
    return child.household.rt_id in _posyandu_rt_ids(posyandu.pk)


def visible_posyandu_ids(user) -> list[int] | None:
    """Posyandu whose data ``user`` may see: None means all (admin), [] none."""
    if not has_role_perm(user, P.HEALTH_VIEW):
        return []
    if user.role == Role.ADMIN:
        return None
    return [user.posyandu_id] if user.posyandu_id else []


def require_household(user, perm: str, household) -> None:
    """``perm`` on the health records of a household's members (mothers, referrals, deaths)."""
    if not can_household(user, perm, household):
        raise PermissionDeniedError()


def resident_in_posyandu(resident, posyandu) -> bool:
    """Whether the person's household lives in an RT the posyandu serves (attendance, the area's lists)."""
    return child_in_posyandu(resident, posyandu)
