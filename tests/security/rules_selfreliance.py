"""Declared authorization rules of the selfreliance app (merged into ``rules.ROUTES`` and ``rules.OPERATIONS``).

The index pages show aggregates and the model's weights (no personal data): every staff role that reads
monitoring (monitoring.view) sees them; changing the model and computing the index is monitoring.manage
(admin). Graduation decisions (graduation.manage): the admin for every household, an officer for the
households whose active cash aid is all its own agency's (``selfreliance.access``); the proposal of the
world's household H is the in-scope officer's, the out-of-scope officer is refused. A household's index
follows the household's scope (household.view).
"""

from __future__ import annotations

from tests.security.rules import *  # noqa: F403  (page, form, action, op and the role tuples)

GRAD = {PK: "sr_graduation"}  # noqa: F405
DECIDERS = ("admin", "officer")

ROUTES: dict = {
    "selfreliance:overview": page(*STAFF),  # noqa: F405
    "selfreliance:compute": action(*ADMIN),  # noqa: F405
    "selfreliance:model_list": page(*STAFF),  # noqa: F405
    "selfreliance:model_create": action(*ADMIN),  # noqa: F405
    "selfreliance:model_edit": form(*ADMIN, ids={PK: "sr_model"}),  # noqa: F405
    "selfreliance:model_publish": action(*ADMIN, ids={PK: "sr_model"}),  # noqa: F405
    "selfreliance:graduation_list": page(*DECIDERS, note="an officer sees only the proposals it may decide"),  # noqa: F405
    "selfreliance:graduation_confirm": action(*DECIDERS, scoped=("officer",), ids=GRAD),  # noqa: F405
    "selfreliance:graduation_decline": action(*DECIDERS, scoped=("officer",), ids=GRAD,  # noqa: F405
                                              data={"reason": "Penghasilan belum tetap"}),
    "selfreliance:followup": page(*DECIDERS, note="an officer follows the households its programs graduated"),  # noqa: F405
    "selfreliance:impact_list": page(*STAFF, note="aggregates only, small cells suppressed"),  # noqa: F405
    "selfreliance:impact_program": page(*STAFF, ids={PK: "program"}),  # noqa: F405
}

OPERATIONS: dict = {
    "selfreliance_household_index_read": op(*HOUSEHOLD_READERS, scoped=True, ids={"household_id": "household"}),  # noqa: F405
    "selfreliance_graduation_list": op(*DECIDERS),  # noqa: F405
    "selfreliance_graduation_confirm": op(*DECIDERS, scoped=("officer",), ids={"graduation_id": "sr_graduation"}),  # noqa: F405
    "selfreliance_graduation_decline": op(*DECIDERS, scoped=("officer",), ids={"graduation_id": "sr_graduation"}),  # noqa: F405
    "selfreliance_impact_read": op(*STAFF, ids={"program_id": "program"}),  # noqa: F405
    "selfreliance_index_run_create": op(*ADMIN),  # noqa: F405
}
