"""Declared authorization rules of the community app (merged into ``rules.ROUTES`` and ``rules.OPERATIONS``).

Residents file usul/sanggah and proposals for themselves; deciding is ``nomination.decide`` scoped by the
case's household RW (surveyor) or its program's agency (officer); proposal review is ``proposal.review``
(admin). The beneficiary list is for signed-in users in the demo's setting (residents: their own RW only);
the proposal list is public.
"""

from __future__ import annotations

from tests.security.rules import *  # noqa: F403  (page, form, action, op and the role tuples)

DECIDERS = ("admin", "officer", "surveyor")
CHECK = {"field_date": "2025-01-06", "field_note": "Dicek bersama Ketua RT, uji keamanan."}
DECIDE = {"decision": "reject", "reason": "Uji keamanan: tidak diterima."}

ROUTES: dict = {
    # residents
    "community:my_cases": page("resident", note="each resident sees its own cases only"),
    "community:nominate": form("resident", data={"relation": "own", "reason": "Uji keamanan usul keluarga"}),
    "community:object": form("resident", scoped=True, ids={PK: "listed_enrollment"},
                             data={"reason": "Uji keamanan: penerima tidak layak."},
                             note="a beneficiary of the resident's own RW's list"),
    "community:beneficiaries": page(*SIGNED_IN, note="the demo's setting: signed-in users (public when the admin "
                                                     "opens it); a resident is sent to its own RW"),
    "community:beneficiary_rw": page(*SIGNED_IN, scoped=("resident",), ids={"number": "rw_number"},
                                     note="residents read their own RW's list only; staff every RW"),
    "community:proposal_list": page(*EVERYONE, note="public: titles, counts and answers"),
    "community:proposal_create": form("resident"),
    "community:proposal_detail": page(*EVERYONE, ids={PK: "proposal"}),
    "community:proposal_support": action("resident", ids={PK: "proposal"}),
    # staff
    "community:queue": page(*DECIDERS, note="each sees the cases of its scope"),
    "community:nomination_detail": page(*DECIDERS, scoped=True, ids={PK: "nomination"}),
    "community:nomination_check": action(*DECIDERS, scoped=True, ids={PK: "nomination"}, data=CHECK),
    "community:nomination_decide": action(*DECIDERS, scoped=True, ids={PK: "nomination"}, data=DECIDE),
    "community:objection_detail": page(*DECIDERS, scoped=True, ids={PK: "objection"}),
    "community:objection_check": action(*DECIDERS, scoped=True, ids={PK: "objection"}, data=CHECK),
    "community:objection_decide": action(*DECIDERS, scoped=True, ids={PK: "objection"}, data=DECIDE),
    "community:objection_finding": action("admin", "officer", scoped=True, ids={PK: "objection"},
                                          data={"suspend": "no", "note": "Uji keamanan: dipertahankan."},
                                          note="only the program's agency may change its enrollments"),
    "community:review_list": page(*ADMIN),
    "community:review_detail": page(*ADMIN, ids={PK: "proposal"}),
    "community:review_answer": action(*ADMIN, ids={PK: "proposal"}, data={"answer": "Uji keamanan: ditinjau."}),
    "community:review_approve": action(*ADMIN, ids={PK: "proposal"}),
    "community:listing_settings": form(*ADMIN, data={"enabled": "on", "audience": "residents", "masking": "stars"}),
}

OPERATIONS: dict = {
    "community_beneficiary_list": op(*SIGNED_IN, scoped=("resident",), ids={"rw_number": "rw_number"}),
    "community_listing_settings_read": op(*ADMIN),
    "community_listing_settings_update": op(*ADMIN),
    "community_nomination_create": op("resident", body_ids={"program": "program"}),
    "community_nomination_mine": op("resident"),
    "community_nomination_list": op(*DECIDERS),
    "community_nomination_read": op(*DECIDERS, scoped=True, ids={"nomination_id": "nomination"}),
    "community_nomination_check": op(*DECIDERS, scoped=True, ids={"nomination_id": "nomination"}),
    "community_nomination_decide": op(*DECIDERS, scoped=True, ids={"nomination_id": "nomination"}),
    "community_objection_create": op("resident", scoped=True, body_ids={"enrollment": "listed_enrollment"}),
    "community_objection_mine": op("resident"),
    "community_objection_list": op(*DECIDERS),
    "community_objection_read": op(*DECIDERS, scoped=True, ids={"objection_id": "objection"}),
    "community_objection_check": op(*DECIDERS, scoped=True, ids={"objection_id": "objection"}),
    "community_objection_decide": op(*DECIDERS, scoped=True, ids={"objection_id": "objection"}),
    "community_objection_finding": op("admin", "officer", scoped=True, ids={"objection_id": "objection"}),
    "community_proposal_list": op(*EVERYONE),
    "community_proposal_read": op(*EVERYONE, ids={"proposal_id": "proposal"}),
    "community_proposal_create": op("resident"),
    "community_proposal_support": op("resident", ids={"proposal_id": "proposal"}),
    "community_proposal_answer": op(*ADMIN, ids={"proposal_id": "proposal"}),
    "community_proposal_approve": op(*ADMIN, ids={"proposal_id": "proposal"}),
}
