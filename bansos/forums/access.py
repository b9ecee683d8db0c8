"""Who may read, write and moderate which forum.

Moderation (``P.FORUM_MODERATE``): the kelurahan admin every forum; an officer the forums of its own
agency's programs; a surveyor (RW/RT officer) its RW's forum. Moderators also write in their forums
(their replies may be marked official).

Residents, signed in with a household:
- the RW forum of their own household's RW: read and write;
- a program forum: read and write only when the household takes part in the program (an approved,
  active, suspended or graduated enrollment). Program forums are not open to every resident: a post
  there shows that its author's family receives that aid (for cash aid, financial data under UU PDP),
  so only fellow participants and the program's staff see them;
- a group forum (women, youth): read and write when the account's own person belongs to the group
  (a woman; aged 16-30 today). The group is derived from the registry, never claimed.
Cadres and evaluators have no forum.
"""

from __future__ import annotations

from django.utils import timezone

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import NotFoundError, PermissionDeniedError
from bansos.core.formats import age_on
from bansos.forums.models import Forum, ForumGroup, ForumKind
from bansos.programs.models import EnrollmentState

YOUTH_MIN_AGE, YOUTH_MAX_AGE = 16, 30
# Enrollment states in which a household "takes part in" a program (may use and rate its forum).
PARTICIPATING = (EnrollmentState.APPROVED, EnrollmentState.ACTIVE, EnrollmentState.SUSPENDED,
                 EnrollmentState.GRADUATED)


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def user_rw_id(user) -> int | None:
    """The RW of a surveyor's scope or of a resident's household."""
    if user.role == Role.SURVEYOR:
        return user.rw_id or (user.rt.rw_id if user.rt_id else None)
    if user.role == Role.RESIDENT and user.household_id:
        household = user.household
        return household.rt.rw_id if household and household.status == "active" else None
    return None


def person_of(user):
    """The resident an account belongs to (active, of the account's household), or None."""
    if not _active(user) or user.role != Role.RESIDENT or not user.resident_id or not user.household_id:
        return None
    person = user.resident
    if person is None or person.household_id != user.household_id or person.status != "active":
        return None
    return person


def in_group(person, group: str) -> bool:
    if person is None:
        return False
    if group == ForumGroup.WOMEN:
        return person.sex == "P"
    if group == ForumGroup.YOUTH:
        age = age_on(person.birth_date, timezone.localdate())
        return age is not None and YOUTH_MIN_AGE <= age <= YOUTH_MAX_AGE
    return False


def takes_part(household_id: int | None, program_id: int) -> bool:
    from bansos.programs.models import Enrollment

    return bool(household_id) and Enrollment.objects.filter(
        household_id=household_id, program_id=program_id, state__in=PARTICIPATING).exists()


def participating_program_ids(household_id: int | None) -> list[int]:
    from bansos.programs.models import Enrollment

    if not household_id:
        return []
    return list(Enrollment.objects.filter(household_id=household_id, state__in=PARTICIPATING)
                .values_list("program_id", flat=True).distinct())


def can_moderate(user, forum: Forum) -> bool:
    if not has_role_perm(user, P.FORUM_MODERATE):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.OFFICER:
        return forum.kind == ForumKind.PROGRAM and user.agency_id is not None \
            and forum.program.agency_id == user.agency_id
    if user.role == Role.SURVEYOR:
        return forum.kind == ForumKind.RW and forum.rw_id == user_rw_id(user)
    return False


def is_member(user, forum: Forum) -> bool:
    """Whether a resident account belongs to the forum's public (RW, participants, group)."""
    if not _active(user) or user.role != Role.RESIDENT or not user.household_id:
        return False
    if forum.kind == ForumKind.RW:
        return forum.rw_id == user_rw_id(user)
    if forum.kind == ForumKind.PROGRAM:
        return takes_part(user.household_id, forum.program_id)
    return in_group(person_of(user), forum.group)


def can_read(user, forum: Forum) -> bool:
    return can_moderate(user, forum) or is_member(user, forum)


def can_post(user, forum: Forum) -> bool:
    return can_read(user, forum)


def require_read(user, forum: Forum) -> None:
    if not can_read(user, forum):
        # A forum one may not read does not exist for that user (no hint that an RW or group forum is there).
        raise NotFoundError()


def require_moderate(user, forum: Forum) -> None:
    if not can_moderate(user, forum):
        raise PermissionDeniedError()


def can_see_program_feedback(user, program) -> bool:
    """The per-program summary of residents' ratings: the program's agency and the admin."""
    if not has_role_perm(user, P.FORUM_MODERATE):
        return False
    return user.role == Role.ADMIN or (user.role == Role.OFFICER and user.agency_id is not None
                                       and program.agency_id == user.agency_id)
