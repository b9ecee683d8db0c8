"""Declared authorization rules of the grievances app (merged into ``rules.ROUTES`` and ``rules.OPERATIONS``).

grievance.handle (admin, officer, surveyor) is scoped: an officer sees the grievances assigned to its agency
or about its programs, an RT/RW officer those of its RW. The dashboard (grievance.dashboard) is aggregates:
admin, officer (its scope) and evaluator. Filing and the status page by tracking code are public; the
resident's own pages are for the resident who filed.
"""

from __future__ import annotations

from tests.security.rules import *  # noqa: F403  (page, form, action, op and the role tuples)

HANDLERS = ("admin", "officer", "surveyor")
G = {PK: "grievance"}  # noqa: F405
GID = {"grievance_id": "grievance"}
CODE = {"code": "grievance_code"}

ROUTES: dict = {
    "grievances:queue": page(*HANDLERS, note="each sees the grievances of its scope only"),  # noqa: F405
    "grievances:record": form(*HANDLERS, note="grievance.record: office, phone, RT/RW channels"),  # noqa: F405
    "grievances:dashboard": page("admin", "officer", "evaluator", note="aggregates, no personal data"),  # noqa: F405
    "grievances:detail": page(*HANDLERS, scoped=True, ids=G),  # noqa: F405
    "grievances:respond": action(*HANDLERS, scoped=True, ids=G, data={"message": "uji keamanan"}),  # noqa: F405
    "grievances:note": action(*HANDLERS, scoped=True, ids=G, data={"note-message": "uji keamanan"}),  # noqa: F405
    "grievances:assign": action(*HANDLERS, scoped=True, ids=G),  # noqa: F405
    "grievances:resolve": action(*HANDLERS, scoped=True, ids=G, data={"resolution": "uji keamanan"}),  # noqa: F405
    "grievances:reject": action(*HANDLERS, scoped=True, ids=G, data={"reason": "uji keamanan"}),  # noqa: F405
    "grievances:reclassify": action(*HANDLERS, scoped=True, ids=G,  # noqa: F405
                                    data={"track": "field", "reason": "uji keamanan"}),
    "grievances:file": form(*EVERYONE, note="public form: throttled, CSRF, anonymous for fraud only"),  # noqa: F405
    "grievances:track_form": page(*EVERYONE),  # noqa: F405
    "grievances:track": page(*EVERYONE, ids=CODE, note="the unguessable code is the key; public answers only"),  # noqa: F405
    "grievances:track_accept": action(*EVERYONE, ids=CODE,  # noqa: F405
                                      note="the complainant's phone decides; an account's grievance refuses"),
    "grievances:track_appeal": action(*EVERYONE, ids=CODE, note="as track_accept"),  # noqa: F405
    "grievances:my_list": page("resident"),  # noqa: F405
    "grievances:my_detail": page("resident", scoped=True, ids=G),  # noqa: F405
    "grievances:my_accept": action("resident", scoped=True, ids=G),  # noqa: F405
    "grievances:my_appeal": action("resident", scoped=True, ids=G, data={"reason": "uji keamanan"}),  # noqa: F405
}

OPERATIONS: dict = {
    "grievances_grievance_list": op(*HANDLERS, "resident", note="staff: their scope; a resident: its own"),  # noqa: F405
    "grievances_grievance_read": op(*HANDLERS, "resident", scoped=True, ids=GID),  # noqa: F405
    "grievances_grievance_create": op(*HANDLERS, "resident",  # noqa: F405
                                      note="residents file (portal), staff record (office, phone, RT/RW)"),
    "grievances_grievance_respond": op(*HANDLERS, scoped=True, ids=GID),  # noqa: F405
    "grievances_grievance_assign": op(*HANDLERS, scoped=True, ids=GID),  # noqa: F405
    "grievances_grievance_resolve": op(*HANDLERS, scoped=True, ids=GID),  # noqa: F405
    "grievances_grievance_accept": op("resident", scoped=True, ids=GID),  # noqa: F405
    "grievances_grievance_appeal": op("resident", scoped=True, ids=GID),  # noqa: F405
    "grievances_dashboard_read": op("admin", "officer", "evaluator"),  # noqa: F405
}
