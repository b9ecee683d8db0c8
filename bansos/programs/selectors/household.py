"""Reads for the household page's "Program & bantuan" panel: the family's enrollments and referrals.

Two queries for any number of enrollments and referrals: the enrollments come with their program,
agency, participant and their latest audit event (three correlated subqueries on the audit table's
(object_type, object_id) index), the referrals with both programs and their agencies. What a user
may see of each row is decided in ``bansos.programs.panels``, never here.
"""

from __future__ import annotations

from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast

from bansos.core.models import AuditEvent
from bansos.programs.models import Enrollment, Referral

ENROLLMENT_OBJECT_TYPE = "programs.enrollment"


def household_enrollments(*, household) -> list[Enrollment]:
    """Every enrollment of the household in every agency's program, newest first, with its last event.

    Each row carries ``last_action``, ``last_at`` and ``last_reason``: the most recent audit event of
    the enrollment (its application or its latest transition).
    """
    events = AuditEvent.objects.filter(
        object_type=ENROLLMENT_OBJECT_TYPE, object_id=Cast(OuterRef("pk"), output_field=CharField())
    ).order_by("-created_at", "-id")
    return list(
        Enrollment.objects.filter(household_id=household.pk)
        .select_related("program__agency", "resident")
        .annotate(
            last_action=Subquery(events.values("action")[:1]),
            last_at=Subquery(events.values("created_at")[:1]),
            last_reason=Subquery(events.values("reason")[:1]),
        )
        .order_by("-applied_at", "-pk")
    )


def household_referrals(*, household) -> list[Referral]:
    """The household's referrals in the order they were made: its path from program to program."""
    return list(
        Referral.objects.filter(household_id=household.pk)
        .select_related("from_program__agency", "to_program__agency", "resident")
        .order_by("created_at", "pk")
    )
