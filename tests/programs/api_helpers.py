"""Helpers for the programs API tests: a token client per cast member and a "nothing changed" check."""

from __future__ import annotations

import contextlib

import pytest

from bansos.core.errors import MSG_PERMISSION_DENIED
from bansos.programs.access import MSG_OTHER_AGENCY
from tests.api.conftest import ApiClient

DENIED = {"code": "permission_denied", "message": str(MSG_PERMISSION_DENIED), "errors": {}}
OTHER_AGENCY = {"code": "permission_denied", "message": str(MSG_OTHER_AGENCY), "errors": {}}


@pytest.fixture
def api(cast):
    """``api("officer")`` -> a client calling with a bearer token of that cast member.

    Residents cannot own tokens, so ``api("resident")`` signs in by session instead.
    """
    from bansos.accounts.tokens import token_create

    def make(name: str | None) -> ApiClient:
        if name is None:
            return ApiClient()
        user = cast[name]
        if user.role == "resident":
            return ApiClient(user)
        return ApiClient(key=token_create(actor=cast["admin"], owner=user, name=f"uji {name}")[1])

    return make


def db_state():
    """Everything the programs API can change, and the audit trail."""
    from bansos.core.models import AuditEvent
    from bansos.programs.models import (
        Allocation, BudgetMovement, Enrollment, FundingSource, OverlapPolicy, Program, Referral,
    )

    return (
        [list(m.objects.order_by("pk").values()) for m in
         (Program, FundingSource, Allocation, BudgetMovement, Enrollment, Referral, OverlapPolicy)],
        AuditEvent.objects.count(),
    )


@pytest.fixture
def unchanged():
    """``with unchanged(): ...`` asserts that programs, money, enrollments and the audit trail did not change."""

    @contextlib.contextmanager
    def check():
        before = db_state()
        yield
        assert db_state() == before

    return check


def every_household_run(cast, *, rule_actor="admin"):
    """An active kelurahan rule that every household meets, and a finished run of it."""
    from bansos.eligibility.models import RuleStatus
    from bansos.eligibility.services import rule_create, rule_run_execute, rule_run_start, rule_status_set

    actor = cast[rule_actor]
    rule = rule_create(actor=actor, name="Semua keluarga", expression={"any": [
        {"p": "female_head", "op": "is", "value": True}, {"p": "female_head", "op": "is", "value": False}]})
    rule_status_set(actor=actor, rule=rule, status=RuleStatus.ACTIVE)
    run = rule_run_start(actor=actor, rule=rule)
    rule_run_execute(run.pk)
    run.refresh_from_db()
    return rule, run
