"""Object-level rules on cash transfers.

Officers prepare and pay the cycles of their own agency's programs (``P.CASH_MANAGE``); the checker
(``P.CASH_APPROVE``, the kelurahan admin) approves cycles of any program, never one they generated.
"""

from __future__ import annotations

from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import PermissionDeniedError
from bansos.programs.access import can_program, require_program


def can_manage_cash(user, program) -> bool:
    return can_program(user, P.CASH_MANAGE, program)


def require_cash(user, program) -> None:
    require_program(user, P.CASH_MANAGE, program)


def can_approve_cash(user) -> bool:
    return has_role_perm(user, P.CASH_APPROVE)


def can_view_cycle(user, program) -> bool:
    """The cycle's pages (names and amounts of the people paid): its managers and the checkers."""
    return can_manage_cash(user, program) or can_approve_cash(user)


def require_view_cycle(user, program) -> None:
    if not can_view_cycle(user, program):
        raise PermissionDeniedError()


def can_record_account(user, household) -> bool:
    """Who records a household's payee account (services.setup.payee_account_set asks the same)."""
    from bansos.accounts.permissions import has_perm

    if has_perm(user, P.HOUSEHOLD_CHANGE, household):
        return True
    return has_role_perm(user, P.CASH_MANAGE) and has_perm(user, P.HOUSEHOLD_VIEW, household)
