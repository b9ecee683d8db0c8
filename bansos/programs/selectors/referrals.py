"""Reads for the referral pages: an agency's inbox (incoming and outgoing) and one referral.

An officer sees the referrals that the own agency's programs sent or received; the kelurahan admin
sees all of them. Any other referral is "not found", so ids cannot be probed.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import NotFoundError
from bansos.programs.models import Enrollment, Program, ProgramStatus, Referral, ReferralStatus
from bansos.registry.models import Resident, ResidentStatus

INCOMING = "masuk"
OUTGOING = "keluar"
ALL = "semua"
ACCEPTING = (ProgramStatus.OPEN, ProgramStatus.RUNNING)


def _visible(user) -> Q:
    if not has_role_perm(user, P.REFERRAL_MANAGE):
        return Q(pk__in=[])
    if user.role == Role.ADMIN:
        return Q()
    if user.role == Role.OFFICER and user.agency_id is not None:
        return Q(to_program__agency_id=user.agency_id) | Q(from_program__agency_id=user.agency_id)
    return Q(pk__in=[])


def _direction(user, direction: str) -> Q:
    if user.role == Role.ADMIN or direction not in (INCOMING, OUTGOING):
        return Q()
    if direction == INCOMING:
        return Q(to_program__agency_id=user.agency_id)
    return Q(from_program__agency_id=user.agency_id)


def referral_list(*, user, direction: str = ALL, status: str = "") -> QuerySet[Referral]:
    """Referrals the user may see, newest first, with both programs and the household's address."""
    qs = Referral.objects.filter(_visible(user)).filter(_direction(user, direction))
    if status in ReferralStatus.values:
        qs = qs.filter(status=status)
    return qs.select_related(
        "from_program__agency", "to_program__agency", "household__rt__rw", "resident"
    ).order_by("-created_at", "-pk")


def referral_counts(*, user) -> dict[str, int]:
    """Waiting referrals (sent) by direction, for the tabs of the inbox."""
    if user.role == Role.ADMIN:
        waiting = Referral.objects.filter(status=ReferralStatus.SENT).count()
        return {ALL: waiting}
    agency = user.agency_id
    return Referral.objects.filter(_visible(user), status=ReferralStatus.SENT).aggregate(
        **{
            INCOMING: Count("pk", filter=Q(to_program__agency_id=agency)),
            OUTGOING: Count("pk", filter=Q(from_program__agency_id=agency)),
        }
    )


def referral_get(*, user, pk: int) -> Referral:
    """One referral the user may see (admin, or an officer of the sending or receiving agency)."""
    try:
        return (
            Referral.objects.filter(_visible(user))
            .select_related("from_program__agency", "to_program__agency", "household__rt__rw", "resident",
                            "enrollment", "created_by")
            .get(pk=pk)
        )
    except Referral.DoesNotExist:
        raise NotFoundError() from None


def household_members(*, household) -> QuerySet[Resident]:
    """Active members of the household: who may take part in a person program."""
    return Resident.objects.filter(household_id=household.pk, status=ResidentStatus.ACTIVE).order_by("birth_date", "pk")


def referral_targets() -> QuerySet[Program]:
    """Programs a family can be referred to: open or running, of every agency (the public catalog)."""
    return Program.objects.filter(status__in=ACCEPTING).select_related("agency").order_by("kind", "name", "pk")


def referral_origins(*, user, household) -> QuerySet[Program]:
    """Programs the user may refer this family from: its enrollments in the user's agency (admin: any)."""
    qs = Program.objects.filter(
        pk__in=Enrollment.objects.filter(household_id=household.pk).values("program_id")
    ).select_related("agency")
    if user.role != Role.ADMIN:
        qs = qs.filter(agency_id=user.agency_id) if user.agency_id else qs.none()
    return qs.order_by("name", "pk")
