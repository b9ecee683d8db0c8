"""Object-level rules on announcements and messages.

Who may post an announcement, and to whom (``P.ANNOUNCEMENT_MANAGE`` plus a scope):
- the kelurahan admin: anyone (the kelurahan, any RW, any program's participants, any target group);
- a program officer: the participants of its own agency's programs only;
- an RT/RW officer (surveyor): its own RW only (the whole RW, a target group within it, or a program's
  participants within it).
The same rule decides who may see, edit, publish an announcement and read its reach. Sending SMS to
every household with a phone is the admin's choice alone (it costs money and reaches people's phones).

The outbox (``P.OUTBOX_VIEW``) shows every message with masked addresses. A resident reads the inbox
messages addressed to its account or its household, never another's.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import PermissionDeniedError
from bansos.notifications.models import TargetKind

MSG_OFFICER_TARGET = _("Petugas program hanya dapat mengirim pengumuman kepada peserta program lembaganya sendiri.")
MSG_SURVEYOR_TARGET = _("Petugas RT/RW hanya dapat mengirim pengumuman ke RW-nya sendiri.")
MSG_SMS_ADMIN = _("Hanya admin kelurahan yang dapat memilih pengiriman SMS.")


def target_allowed(user, *, target_kind: str, program=None, rw=None) -> bool:
    """Whether ``user`` may address this audience (the announcement's target)."""
    if not has_role_perm(user, P.ANNOUNCEMENT_MANAGE):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.OFFICER:
        return (target_kind == TargetKind.PROGRAM and program is not None and user.agency_id is not None
                and program.agency_id == user.agency_id)
    if user.role == Role.SURVEYOR:
        return (target_kind != TargetKind.KELURAHAN and rw is not None and user.rw_id is not None
                and getattr(rw, "pk", rw) == user.rw_id)
    return False


def target_refusal(user):
    """The message that explains why this user's target was refused."""
    if user.role == Role.OFFICER:
        return MSG_OFFICER_TARGET
    if user.role == Role.SURVEYOR:
        return MSG_SURVEYOR_TARGET
    return None


def can_manage_announcement(user, announcement) -> bool:
    return target_allowed(user, target_kind=announcement.target_kind, program=announcement.program,
                          rw=announcement.rw_id)


def require_manage_announcement(user, announcement) -> None:
    if not has_role_perm(user, P.ANNOUNCEMENT_MANAGE):
        raise PermissionDeniedError()
    if not can_manage_announcement(user, announcement):
        raise PermissionDeniedError(target_refusal(user))


def can_choose_sms(user) -> bool:
    return has_role_perm(user, P.ANNOUNCEMENT_MANAGE) and user.role == Role.ADMIN


def announcement_scope(user):
    """A filter on Announcement: the ones this user may see in the staff pages."""
    from django.db.models import Q

    none = Q(pk__in=[])
    if not has_role_perm(user, P.ANNOUNCEMENT_MANAGE):
        return none
    if user.role == Role.ADMIN:
        return Q()
    if user.role == Role.OFFICER:
        return Q(target_kind=TargetKind.PROGRAM, program__agency_id=user.agency_id) if user.agency_id else none
    if user.role == Role.SURVEYOR:
        return Q(rw_id=user.rw_id) & ~Q(target_kind=TargetKind.KELURAHAN) if user.rw_id else none
    return none


def inbox_scope(user):
    """A filter on Message: the inbox messages of this signed-in resident (its account's and its household's)."""
    from django.db.models import Q

    if not (user is not None and user.is_authenticated and user.is_active and user.role == Role.RESIDENT):
        return Q(pk__in=[])
    mine = Q(user_id=user.pk)
    if user.household_id:
        mine |= Q(household_id=user.household_id, user__isnull=True)
    return Q(channel="inbox") & mine
