"""Declared authorization rules of the linkage app (merged into ``rules.ROUTES`` and ``rules.OPERATIONS``).

Deduplication of the registry (runs, pairs, merges) is linkage.manage: the kelurahan admin only; undoing a
merge is the admin's even if the right is widened later. An agency list belongs to its agency: the admin and
that agency's officers (linkage.agency_list, scoped by the list's agency).
"""

from __future__ import annotations

from tests.security.rules import *  # noqa: F403  (page, form, action, op and the role tuples)

LIST = {PK: "agency_list"}  # noqa: F405

ROUTES: dict = {
    "linkage:run_list": page(*ADMIN),  # noqa: F405
    "linkage:run_start": action(*ADMIN),  # noqa: F405
    "linkage:run_detail": page(*ADMIN, ids={PK: "linkage_run"}),  # noqa: F405
    "linkage:run_progress": page(*ADMIN, ids={PK: "linkage_run"}),  # noqa: F405
    "linkage:pair_list": page(*ADMIN),  # noqa: F405
    "linkage:pair_detail": page(*ADMIN, ids={PK: "pair"}),  # noqa: F405
    "linkage:pair_confirm": action(*ADMIN, ids={PK: "pair"}, data={"keep": "@resident", "reason": "uji"}),  # noqa: F405
    "linkage:pair_reject": action(*ADMIN, ids={PK: "pair"}),  # noqa: F405
    "linkage:resident_merges": page(*ADMIN, ids={PK: "resident"}),  # noqa: F405
    "linkage:merge_undo": form(*ADMIN, ids={PK: "merge"}, data={"reason": "uji keamanan"}),  # noqa: F405
    "linkage:list_list": page(*AO, note="an officer sees its agency's lists only"),  # noqa: F405
    "linkage:list_upload": form(*AO),  # noqa: F405
    "linkage:list_detail": page(*AO, scoped=True, ids=LIST),  # noqa: F405
    "linkage:list_map": action(*AO, scoped=True, ids=LIST),  # noqa: F405
    "linkage:list_progress": page(*AO, scoped=True, ids=LIST),  # noqa: F405
    "linkage:row_decide": action(*AO, scoped=True, ids={PK: "agency_list", "row": "list_row"},  # noqa: F405
                                 data={"decision": "different"}),
    "linkage:list_report": page(*AO, scoped=True, ids=LIST),  # noqa: F405
    "linkage:list_export": page(*AO, scoped=True, ids=LIST, note="personal data: audited"),  # noqa: F405
}

LID = {"list_id": "agency_list"}
OPERATIONS: dict = {
    "linkage_run_list": op(*ADMIN),  # noqa: F405
    "linkage_run_start": op(*ADMIN),  # noqa: F405
    "linkage_run_read": op(*ADMIN, ids={"run_id": "linkage_run"}),  # noqa: F405
    "linkage_pair_list": op(*ADMIN),  # noqa: F405
    "linkage_pair_confirm": op(*ADMIN, ids={"pair_id": "pair"}, body_ids={"keep_id": "resident"}),  # noqa: F405
    "linkage_pair_reject": op(*ADMIN, ids={"pair_id": "pair"}),  # noqa: F405
    "linkage_merge_list": op(*ADMIN),  # noqa: F405
    "linkage_merge_unmerge": op(*ADMIN, ids={"merge_id": "merge"}),  # noqa: F405
    "linkage_list_list": op(*AO),  # noqa: F405
    "linkage_list_upload": op(*AO, note="multipart; an officer's list is its own agency's"),  # noqa: F405
    "linkage_list_read": op(*AO, scoped=True, ids=LID),  # noqa: F405
    "linkage_list_map": op(*AO, scoped=True, ids=LID),  # noqa: F405
    "linkage_list_rows": op(*AO, scoped=True, ids=LID),  # noqa: F405
    "linkage_list_row_decide": op(*AO, scoped=True, ids={"list_id": "agency_list", "row_id": "list_row"}),  # noqa: F405
    "linkage_list_report": op(*AO, scoped=True, ids=LID),  # noqa: F405
}
