"""The linkage panel of the staff household page: residents kept as merged aliases."""

from __future__ import annotations

from bansos.accounts.permissions import P, has_perm, has_role_perm
from bansos.linkage.selectors import household_aliases


def household_aliases_panel(*, user, household):
    if not has_perm(user, P.HOUSEHOLD_VIEW, household) or user.role == "resident":
        return None
    aliases = household_aliases(household)
    if not aliases:
        return None
    return {"aliases": aliases, "manage": has_role_perm(user, P.LINKAGE_MANAGE)}
