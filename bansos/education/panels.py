"""What the education app shows on the household page: the "Sekolah" section.

Whoever may open the household page sees its children's schools, grades, recent attendance and
warnings (schooling is not specific personal data); stipend payments follow the cash app's rule:
only to those who may see the paying program's cycles, and to the household's own residents.
"""

from __future__ import annotations

from typing import Any


def household_schooling(*, user, household) -> dict[str, Any] | None:
    """The household's students; None hides the panel (no student record)."""
    from bansos.cash.access import can_view_cycle
    from bansos.education import selectors
    from bansos.education.access import can_manage

    if not getattr(user, "is_authenticated", False):
        return None
    rows = selectors.household_schooling(household)
    if not rows:
        return None
    from bansos.cash.selectors import household_entitlements

    own = user.role == "resident" and user.household_id == household.pk
    paid = [e for e in household_entitlements(household) if e.cycle.program.kind == "education"
            and (own or can_view_cycle(user, e.cycle.program))]
    for row in rows:
        row["stipends"] = [e for e in paid if e.participant_id == row["resident"].pk][:3]
    return {"rows": rows, "can_manage": can_manage(user)}
