"""Helpers for the catalog pages' tests."""

from __future__ import annotations

from bansos.core.models import AuditEvent
from bansos.programs.models import Allocation, BudgetMovement, FundingSource, OverlapPolicy, Program

STAFF = ("admin", "officer", "officer_other", "surveyor", "cadre", "evaluator")
NOT_STAFF = ("resident", "resident_other")


def state() -> tuple:
    """What the catalog pages can change: equal before and after a refusal."""
    return (
        list(Program.objects.order_by("pk").values()),
        list(FundingSource.objects.order_by("pk").values()),
        list(Allocation.objects.order_by("pk").values()),
        list(OverlapPolicy.objects.order_by("pk").values()),
        BudgetMovement.objects.count(),
        AuditEvent.objects.count(),
    )


def form_post(data: dict) -> dict:
    """A program's form data as a browser sends it (the agency only where the field is offered)."""
    out = {}
    for key, value in data.items():
        if value is None:
            out[key] = ""
        elif hasattr(value, "pk"):
            out[key] = value.pk
        elif hasattr(value, "isoformat"):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


HEADS = ("Ahmad Fauzi", "Bambang Wijaya", "Citra Dewi", "Dodi Saputra", "Eko Prasetyo", "Fitri Handayani")


def families(cast, areas, n: int) -> list:
    """``n`` new active households in RT 1 of RW 1, made through the registry's service."""
    from tests.factories import make_household

    return [make_household(actor=cast["admin"], rt=areas["rt1"], head_name=HEADS[i]) for i in range(n)]
