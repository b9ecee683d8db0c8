"""The household page's "Pekerjaan" panel: the family's job referrals and their outcomes.

Who sees what (the household page's own rules decide who reaches the page at all):
- the kelurahan admin and the family itself (a resident signed in): every referral, with the wage;
- a program officer: the referrals to their company's vacancies and those their agency made, with the
  wage; other agencies' referrals are not listed;
- RT/RW officers and health cadres: position, company and outcome, no wage (financial data);
- evaluators never reach a household page; the panel is hidden from them anyway.
"""

from __future__ import annotations

from typing import Any

from bansos.accounts.models import Role
from bansos.jobs import reasons as R
from bansos.jobs.selectors import household_referrals

BADGE = {"referred": "warn", "interviewed": "warn", "hired": "", "not_hired": "off", "withdrawn": "off"}


def household_jobs(*, user, household) -> dict[str, Any] | None:
    role = getattr(user, "role", None)
    own = role == Role.RESIDENT and user.household_id == household.pk
    if role not in (Role.ADMIN, Role.OFFICER, Role.SURVEYOR, Role.CADRE) and not own:
        return None
    referrals = household_referrals(household)
    if role == Role.OFFICER:
        referrals = [r for r in referrals
                     if user.agency_id in (r.vacancy.company_id, r.referring_agency_id)]
    if not referrals:
        return None
    show_wage = own or role in (Role.ADMIN, Role.OFFICER)
    rows = [{
        "pk": r.pk, "vacancy_id": r.vacancy_id, "name": r.resident.full_name, "position": r.vacancy.position,
        "company": r.vacancy.company.name, "status": r.get_status_display(), "badge": BADGE.get(r.status, ""),
        "referred_at": r.referred_at, "wage": r.wage if show_wage else None,
        "start_date": r.start_date if r.status == "hired" else None,
        "courses": [R.reason_text(c) for c in r.match_reasons or [] if c.get("code") == R.COURSE],
    } for r in referrals]
    return {"rows": rows, "is_own": own, "show_links": role in (Role.ADMIN, Role.OFFICER)}
