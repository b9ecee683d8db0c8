"""Declared authorization rules of the portal app (merged into ``rules.ROUTES`` and ``rules.OPERATIONS``).

The public portal is for everyone (signed in or not); the household home and applications are the resident's
own (a resident of another household who sends this household's member is refused or gets a form error, and
nothing changes); office activation codes are portal.activation (the kelurahan admin).
"""

from __future__ import annotations

from tests.security.rules import *  # noqa: F403  (page, form, action, op and the role tuples)
from tests.security.rules import ADMIN, EVERYONE, PK, form, op, page

PROGRAM = {PK: "public_program"}

ROUTES: dict = {
    "portal:home": page(*EVERYONE, note="a signed-in resident is sent on to the household home"),
    "portal:catalog": page(*EVERYONE),
    "portal:program_detail": page(*EVERYONE, ids=PROGRAM, note="open and running programs' public fields"),
    "portal:questionnaire": page(*EVERYONE, note="answers in the query string, nothing stored"),
    "portal:status": form(*EVERYONE, note="throttled per address and NIK; same answer for no match"),
    "portal:offline": page(*EVERYONE),
    "portal:manifest": page(*EVERYONE),
    "portal:service_worker": page(*EVERYONE),
    "portal:activate": form(*EVERYONE),
    "portal:activate_code": form(*EVERYONE, note="without an activation in the session: back to the first step"),
    "portal:activate_password": form(*EVERYONE, note="without a verified code: back to the code step"),
    "portal:login": form(*EVERYONE, note="residents only; staff get the same refusal as a wrong password"),
    "portal:beranda": page("resident", note="the resident's own household; no ids"),
    "portal:apply": form("resident", ids=PROGRAM, data={"resident": "@resident"},
                         note="another household's member is not among the form's choices (400, nothing changed)"),
    "portal:office_code": form(*ADMIN, note="portal.activation"),
}

OPERATIONS: dict = {
    "portal_programs_list": op(*EVERYONE),
    "portal_program_get": op(*EVERYONE, ids={"program_id": "public_program"}),
    "portal_status_check": op(*EVERYONE, note="throttled per address and NIK"),
    "portal_household_get": op("resident", note="the caller's own household"),
    "portal_apply": op("resident", scoped=("resident",), ids={"program_id": "public_program"},
                       body_ids={"resident_id": "resident"}, anchor="resident",
                       note="the member must be of the caller's household (another's: 404, nothing changed)"),
}
