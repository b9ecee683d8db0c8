"""Declared authorization rules of the monitoring app (merged into ``rules.ROUTES`` and ``rules.OPERATIONS``).

Every holder of monitoring.view (admin, officer, surveyor, cadre, evaluator) reads the kelurahan, RW
and indicator pages (aggregates, small cells suppressed for the evaluator and in every export). Program,
agency and funding-source pages and reports are the owning agency's for officers (``scoped=("officer",)``).
Indicator targets, snapshot runs and RW boundaries are the admin's (monitoring.manage).
"""

from __future__ import annotations

from tests.security.rules import *  # noqa: F403  (page, form, action, op and the role tuples)

MON = ("admin", "officer", "surveyor", "cadre", "evaluator")
OFFICER_SCOPE = ("officer",)

ROUTES: dict = {
    "monitoring:overview": page(*MON),
    "monitoring:scopes": page(*MON, note="officers: only their agency's programs, agency and funding sources"),
    "monitoring:rw": page(*MON, ids={"number": "rw_number"}, note="aggregates of any RW for every M&E reader"),
    "monitoring:program": page(*MON, scoped=OFFICER_SCOPE, ids={PK: "program"}),  # noqa: F405
    "monitoring:agency": page(*MON, scoped=OFFICER_SCOPE, ids={PK: "mon_agency"}),  # noqa: F405
    "monitoring:funding": page(*MON, scoped=OFFICER_SCOPE, ids={PK: "mon_funding"}),  # noqa: F405
    "monitoring:indicator": page(*MON, ids={"code": "mon_indicator"}),
    "monitoring:indicator_csv": page(*MON, ids={"code": "mon_indicator"}),
    "monitoring:indicator_edit": form("admin", ids={"code": "mon_indicator"}),
    "monitoring:snapshots": page(*MON),
    "monitoring:snapshot_run": action("admin", data={"month": "2026-01"}),
    "monitoring:boundaries": form("admin"),
    "monitoring:report": page(*MON),
    "monitoring:export": page(*MON, ids={"fmt": "mon_fmt"}),
    "monitoring:report_scope": page(*MON, scoped=OFFICER_SCOPE, ids={"kind": "mon_kind_program", PK: "program"},  # noqa: F405
                                    anchor="program"),
    "monitoring:export_scope": page(*MON, scoped=OFFICER_SCOPE,
                                    ids={"kind": "mon_kind_program", PK: "program", "fmt": "mon_fmt"},  # noqa: F405
                                    anchor="program"),
}
OPERATIONS: dict = {
    "monitoring_indicator_list": op(*MON),  # noqa: F405
    "monitoring_value_list": op(*MON, ids={"code": "mon_indicator"}),  # noqa: F405
    "monitoring_snapshot_run": op("admin"),  # noqa: F405
}
