"""The declared authorization rules: who may reach every page and every API operation.

Written from what the product should allow (the role table and its object scopes in
``bansos.accounts.permissions``, the issues and the README), not read off the views. Roles:
admin (kelurahan admin), officer (program officer of an agency), surveyor (RW/RT), cadre (posyandu),
evaluator, resident, and anon. ``scoped=True`` means the object must lie in the user's scope: its RW
(surveyor), posyandu (cadre), household (resident), or agency (officer: the object's owning agency,
or for a household one enrolled in or referred to the agency's programs). Admin and evaluator have no
scope. ``ids`` maps each URL or path parameter to the kind of object of the world that fills it.

A route without a rule here fails the matrix ("declare a rule for ..."); so does a rule whose route is gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Access:
    roles: frozenset[str]
    scoped: bool | tuple[str, ...] = False  # True: every scoped role; a tuple: only those roles


def allow(*roles: str, scoped: bool | tuple[str, ...] = False) -> Access:
    return Access(frozenset(roles), scoped)


NOBODY = Access(frozenset())
ADMIN = ("admin",)
STAFF = ("admin", "officer", "surveyor", "cadre", "evaluator")
SIGNED_IN = (*STAFF, "resident")
EVERYONE = (*SIGNED_IN, "anon")
HOUSEHOLD_READERS = ("admin", "officer", "surveyor", "cadre", "resident")  # household.view
PROGRAM_READERS = ("admin", "officer", "surveyor", "cadre", "evaluator")  # program.view, needs.view
AO = ("admin", "officer")
HC = ("admin", "cadre")  # health.view/record/export, scoped by posyandu area for the cadre


@dataclass(frozen=True)
class Rule:
    """``get``: who may GET the page (NOBODY for POST-only routes: they answer 405 or refuse).
    ``post``: who may POST to it, or None when the route takes no POST (not sent)."""

    get: Access
    post: Access | None = None
    ids: dict[str, str] = field(default_factory=dict)
    note: str = ""
    anchor: str | None = None  # the kind whose owning agency decides "the officer" (default: the first id)
    data: dict[str, str] = field(default_factory=dict)  # POST fields; "@kind" is the world's id of that kind
    signin_redirect_ok: bool = False  # success ends at the sign-in page (signing out)


def page(*roles, scoped=False, ids=None, note="", **extra):
    """A read-only page."""
    return Rule(allow(*roles, scoped=scoped), None, ids or {}, note, **extra)


def form(*roles, scoped=False, ids=None, note="", **extra):
    """A page with a form: the same users may read and submit."""
    access = allow(*roles, scoped=scoped)
    return Rule(access, access, ids or {}, note, **extra)


def action(*roles, scoped=False, ids=None, note="", **extra):
    """A POST-only action."""
    return Rule(NOBODY, allow(*roles, scoped=scoped), ids or {}, note, **extra)


PK = "pk"
ROUTES: dict[str, Rule] = {
    # --- i18n, core -------------------------------------------------------------------------------
    "set_language": form(*EVERYONE, note="language switch works signed out too"),
    "core:home": page(*EVERYONE, note="visitors are sent to the resident portal, residents to their portal page"),
    "core:healthz": page(*EVERYONE, note="load-balancer probe, no data"),
    "core:area_list": page(*ADMIN),
    "core:kelurahan_edit": form(*ADMIN),
    "core:rw_create": form(*ADMIN),
    "core:rw_edit": form(*ADMIN, ids={PK: "rw"}),
    "core:rt_create": form(*ADMIN),
    "core:rt_edit": form(*ADMIN, ids={PK: "rt"}),
    "core:posyandu_create": form(*ADMIN),
    "core:posyandu_edit": form(*ADMIN, ids={PK: "posyandu"}),
    "core:audit_list": page(*ADMIN),
    # --- accounts -----------------------------------------------------------------------------------
    "accounts:login": form(*EVERYONE),
    "accounts:twofactor_verify": form(note="the second sign-in step: without a pending sign-in (password "
                                           "accepted, code awaited) everyone is sent to the sign-in page"),
    "accounts:twofactor_setup": form(*STAFF, note="TOTP is for staff accounts"),
    "accounts:twofactor_reset": form(*ADMIN, ids={PK: "user"}),
    "accounts:logout": action(*EVERYONE, signin_redirect_ok=True),
    "accounts:password_change": form(*SIGNED_IN),
    "accounts:user_list": page(*ADMIN),
    "accounts:user_create": form(*ADMIN),
    "accounts:user_edit": form(*ADMIN, ids={PK: "user"}),
    "accounts:user_deactivate": action(*ADMIN, ids={PK: "user"}),
    "accounts:agency_list": page(*ADMIN),
    "accounts:agency_create": form(*ADMIN),
    "accounts:agency_edit": form(*ADMIN, ids={PK: "agency"}),
    "accounts:token_list": page(*ADMIN),
    "accounts:token_create": form(*ADMIN),
    "accounts:token_revoke": form(*ADMIN, ids={PK: "token"}),
    # --- registry -----------------------------------------------------------------------------------
    "registry:household_list": page(*HOUSEHOLD_READERS, note="each sees only the households of their scope"),
    "registry:household_create": form("admin", "surveyor"),
    "registry:household_detail": page(*HOUSEHOLD_READERS, scoped=True, ids={PK: "household"}),
    "registry:household_edit": form("admin", "surveyor", scoped=True, ids={PK: "household"}),
    "registry:household_status": form("admin", "surveyor", scoped=True, ids={PK: "household"}),
    "registry:household_change_head": form("admin", "surveyor", scoped=True, ids={PK: "household"}),
    "registry:resident_add": form("admin", "surveyor", scoped=True, ids={PK: "household"}),
    "registry:resident_edit": form("admin", "surveyor", scoped=True, ids={PK: "resident"}),
    "registry:resident_move": form("admin", "surveyor", scoped=True, ids={PK: "resident"}),
    "registry:resident_status": form("admin", "surveyor", scoped=True, ids={PK: "resident"}),
    "registry:export": form(*ADMIN, note="registry.export: personal data leaves the platform"),
    "registry:import_list": page(*ADMIN),
    "registry:import_create": form(*ADMIN),
    "registry:import_template": page(*ADMIN, ids={"fmt": "fmt_import"}),
    "registry:import_detail": page(*ADMIN, ids={PK: "import"}),
    "registry:import_progress": page(*ADMIN, ids={PK: "import"}),
    "registry:import_report": page(*ADMIN, ids={PK: "import"}),
    "registry:dsr_list": page(*ADMIN),
    "registry:dsr_create": form(*ADMIN, ids={PK: "household"}),
    "registry:dsr_detail": form(*ADMIN, ids={PK: "dsr"}),
    # --- welfare model (welfare.manage) --------------------------------------------------------------
    # The model's weights are no personal data: whoever reads welfare scores (welfare.view) may see how
    # they are made; changing them is welfare.manage (admin).
    "welfare:overview": page("admin", "officer", "surveyor"),
    "welfare:version_list": page("admin", "officer", "surveyor"),
    "welfare:version_create": action(*ADMIN),
    "welfare:version_detail": page("admin", "officer", "surveyor", ids={PK: "welfare_version"}),
    "welfare:version_edit": form(*ADMIN, ids={PK: "welfare_version"}),
    "welfare:version_publish": action(*ADMIN, ids={PK: "welfare_version"}),
    "welfare:rescore": action(*ADMIN),
    "welfare:run_progress": page(*ADMIN, ids={PK: "welfare_run"}),
    # --- eligibility rules (rules.manage; officers: their agency's rules) ------------------------------
    "eligibility:rule_list": page("admin", "officer"),
    "eligibility:rule_create": form("admin", "officer"),
    "eligibility:rule_detail": page("admin", "officer", scoped=True, ids={PK: "rule"}),
    "eligibility:rule_edit": form("admin", "officer", scoped=True, ids={PK: "rule"}),
    "eligibility:rule_status": action("admin", "officer", scoped=True, ids={PK: "rule"}),
    "eligibility:rule_run": action("admin", "officer", scoped=True, ids={PK: "rule"}),
    "eligibility:explanation": page(*HOUSEHOLD_READERS, scoped=True,
                                    ids={PK: "active_rule", "household_id": "household"}, anchor="household",
                                    note="why a household meets an active rule: for whoever may see the household"),
    "eligibility:run_detail": page("admin", "officer", scoped=True, ids={PK: "rule_run"}),
    "eligibility:run_progress": page("admin", "officer", scoped=True, ids={PK: "rule_run"}),
    # --- surveys (design: admin; responses: admin and the surveyor of the household) ---------------------
    "surveys:round_list": page("admin", "surveyor"),
    "surveys:round_create": form(*ADMIN),
    "surveys:round_detail": page("admin", "surveyor", ids={PK: "round"}),
    "surveys:round_status": action(*ADMIN, ids={PK: "round"}),
    "surveys:round_export": page(*ADMIN, ids={PK: "round", "fmt": "fmt_export"}),
    "surveys:entry_search": page("admin", "surveyor", ids={PK: "round"}),
    "surveys:entry_household": form("admin", "surveyor", scoped=True, ids={PK: "round", "hid": "household"}),
    "surveys:entry_refresh": action("admin", "surveyor", scoped=True, ids={PK: "round", "hid": "household"}),
    "surveys:form_list": page(*ADMIN),
    "surveys:form_import": form(*ADMIN),
    "surveys:form_example": page(*ADMIN),
    "surveys:form_detail": page(*ADMIN, ids={PK: "form"}),
    "surveys:section_add": action(*ADMIN, ids={PK: "form"}),
    "surveys:question_add": action(*ADMIN, ids={PK: "form"}),
    "surveys:choice_add": action(*ADMIN, ids={PK: "form", "qid": "question"}),
    "surveys:builder_move": action(*ADMIN, ids={PK: "form"},
                                   data={"what": "question", "direction": "down", "id": "@question"}),
    "surveys:form_status": action(*ADMIN, ids={PK: "form"}, data={"status": "published"}),
    # --- meetings (meeting.manage: admin, surveyor of the RW; needs.view: aggregates for staff) -------
    "meetings:meeting_list": page(*PROGRAM_READERS),
    "meetings:meeting_create": form("admin", "surveyor"),
    "meetings:meeting_detail": page(*PROGRAM_READERS, scoped=("surveyor",), ids={PK: "meeting"},
                                    note="non-managers see it without the attendees' names"),
    "meetings:meeting_edit": form("admin", "surveyor", scoped=True, ids={PK: "meeting"}),
    "meetings:meeting_status": action("admin", "surveyor", scoped=True, ids={PK: "meeting"}),
    "meetings:meeting_others": action("admin", "surveyor", scoped=True, ids={PK: "meeting"}),
    "meetings:attendee_search": page("admin", "surveyor", scoped=True, ids={PK: "meeting"}),
    "meetings:attendance_add": action("admin", "surveyor", scoped=True, ids={PK: "meeting"},
                                      data={"resident": "@resident"}),
    "meetings:attendance_remove": action("admin", "surveyor", scoped=True,
                                         ids={PK: "meeting", "resident_id": "resident"}),
    "meetings:need_create": form("admin", "surveyor", scoped=True, ids={PK: "meeting"}),
    "meetings:need_edit": form("admin", "surveyor", scoped=True, ids={PK: "need"}),
    "meetings:need_status": action("admin", "surveyor", scoped=True, ids={PK: "need"}),
    "meetings:need_vote": action("admin", "surveyor", scoped=True, ids={PK: "need"}, data={"resident": "@resident"}),
    "meetings:needs_overview": page(*PROGRAM_READERS),
    "meetings:needs_rw": page(*PROGRAM_READERS, ids={"number": "rw_number"}, note="aggregates, no personal data"),
    # --- programs ------------------------------------------------------------------------------------
    "programs:program_list": page(*PROGRAM_READERS),
    "programs:program_create": form("admin", "officer"),
    "programs:program_detail": page(*PROGRAM_READERS, ids={PK: "program"}, note="the catalog has no personal data"),
    "programs:program_edit": form("admin", "officer", scoped=True, ids={PK: "program"}),
    "programs:program_status": action("admin", "officer", scoped=True, ids={PK: "program"},
                                      data={"status": "running", "reason": "uji keamanan"}),
    "programs:program_allocate": action("admin", "officer", scoped=True, ids={PK: "program"}),
    "programs:funding_list": page(*ADMIN),
    "programs:funding_create": form(*ADMIN),
    "programs:funding_edit": form(*ADMIN, ids={PK: "funding"}),
    "programs:policy_list": page(*ADMIN),
    "programs:policy_create": form(*ADMIN),
    "programs:policy_edit": form(*ADMIN, ids={PK: "policy"}),
    "programs:enrollment_list": page("admin", "officer", scoped=True, ids={"program_id": "program"}),
    "programs:enrollment_apply": form("admin", "officer", scoped=True, ids={"program_id": "program"}),
    "programs:enrollment_bulk": form("admin", "officer", scoped=True, ids={"program_id": "program"}),
    "programs:enrollment_bulk_jobs": page("admin", "officer", scoped=True, ids={"program_id": "program"}),
    "programs:enrollment_detail": page("admin", "officer", scoped=True, ids={PK: "enrollment"}),
    "programs:enrollment_transition": action("admin", "officer", scoped=True, ids={PK: "enrollment"}),
    "programs:enrollment_nominate": form("admin", "surveyor", scoped=True, ids={"household_id": "household"}),
    "programs:referral_list": page("admin", "officer"),
    "programs:referral_detail": page("admin", "officer", scoped=True, ids={PK: "referral"}),
    "programs:referral_accept": action("admin", "officer", scoped=True, ids={PK: "referral"}),
    "programs:referral_decline": action("admin", "officer", scoped=True, ids={PK: "referral"}),
    "programs:referral_enroll": action("admin", "officer", scoped=True, ids={PK: "referral"}),
    "programs:referral_create": form("admin", "officer", scoped=True, ids={"household_id": "household"}),
    "programs:coordination": page("admin", "officer", "evaluator"),
    "programs:coordination_excluded": page(*ADMIN, note="coordination.detail: the households behind the figures"),
    "programs:coordination_many": page(*ADMIN),
    # --- cash (cash.manage for the agency's programs; cash.approve and institutions: admin) -------------
    "cash:overview": page("admin", "officer"),
    "cash:institution_list": page(*ADMIN),
    "cash:institution_create": form(*ADMIN),
    "cash:institution_edit": form(*ADMIN, ids={PK: "institution"}),
    "cash:scheme_edit": form("admin", "officer", scoped=True, ids={"program_id": "cash_program"}),
    "cash:cycle_list": page("admin", "officer", scoped=True, ids={"program_id": "cash_program"}),
    "cash:cycle_create": action("admin", "officer", scoped=True, ids={"program_id": "cash_program"}),
    "cash:cycle_detail": page("admin", "officer", scoped=True, ids={PK: "cycle"}),
    "cash:cycle_generate": action("admin", "officer", scoped=True, ids={PK: "cycle"}),
    "cash:cycle_approve": action(*ADMIN, ids={PK: "cycle"}, note="the checker is the kelurahan admin"),
    "cash:cycle_cancel": action("admin", "officer", scoped=True, ids={PK: "cycle"}),
    "cash:account_edit": form("admin", "officer", "surveyor", scoped=True, ids={"household_id": "household"},
                              note="area staff record and correct a household's payee account"),
    "cash:payments": page("admin", "officer", scoped=True, ids={"cycle_id": "cycle"}),
    "cash:batch_create": action("admin", "officer", scoped=True, ids={"cycle_id": "cycle"}),
    "cash:batch_download_csv": page("admin", "officer", scoped=True, ids={"batch_id": "batch"}),
    "cash:batch_download_xlsx": page("admin", "officer", scoped=True, ids={"batch_id": "batch"}),
    "cash:result_upload": action("admin", "officer", scoped=True, ids={"cycle_id": "cycle"}),
    "cash:result_detail": page("admin", "officer", scoped=True, ids={"upload_id": "upload"}),
    "cash:result_problems_csv": page("admin", "officer", scoped=True, ids={"upload_id": "upload"}),
    "cash:failed_action": action("admin", "officer", scoped=True, ids={"cycle_id": "cycle"}),
    "cash:handout": page("admin", "officer", scoped=True, ids={"cycle_id": "cycle"}),
    "cash:handout_close": action("admin", "officer", scoped=True, ids={"cycle_id": "cycle"}),
    "cash:receipt_record": action("admin", "officer", scoped=True, ids={"payment_id": "payment"}),
    "cash:receipt_detail": page("admin", "officer", scoped=True, ids={"payment_id": "payment"}),
    # --- training (training.manage: the agency's own courses) -------------------------------------------
    "training:course_list": page("admin", "officer"),
    "training:course_create": form("admin", "officer"),
    "training:trainers": page("admin", "officer"),
    "training:course_detail": page("admin", "officer", scoped=True, ids={PK: "course"}),
    "training:course_edit": form("admin", "officer", scoped=True, ids={PK: "course"}),
    "training:sessions": form("admin", "officer", scoped=True, ids={PK: "course"}),
    "training:course_start": action("admin", "officer", scoped=True, ids={PK: "course"}),
    "training:course_finish": form("admin", "officer", scoped=True, ids={PK: "course"}),
    "training:course_cancel": form("admin", "officer", scoped=True, ids={PK: "course"}),
    "training:participants": form("admin", "officer", scoped=True, ids={PK: "course"}),
    "training:feedback": form("admin", "officer", scoped=True, ids={PK: "course"}),
    "training:certificates_issue": action("admin", "officer", scoped=True, ids={PK: "course"}),
    "training:session_edit": form("admin", "officer", scoped=True, ids={PK: "session"}),
    "training:session_remove": action("admin", "officer", scoped=True, ids={PK: "session"}),
    "training:attendance": page("admin", "officer", scoped=True, ids={PK: "session"}),
    "training:attendance_mark": action("admin", "officer", scoped=True, ids={PK: "session", "participant_id": "participant"}),
    "training:attendance_close": action("admin", "officer", scoped=True, ids={PK: "session"}),
    "training:participant_drop": form("admin", "officer", scoped=True, ids={PK: "participant"}),
    "training:participant_score": action("admin", "officer", scoped=True, ids={PK: "participant"}),
    "training:certificate_issue": action("admin", "officer", scoped=True, ids={PK: "participant"}),
    "training:certificate_print": page("admin", "officer", scoped=True, ids={PK: "certificate"}),
    "training:certificate_revoke": form("admin", "officer", scoped=True, ids={PK: "certificate"}),
    "training:verify_form": page(*EVERYONE, note="public certificate verification"),
    "training:verify": page(*EVERYONE, ids={"code": "certificate_code"}, note="public certificate verification"),
    # --- jobs (jobs.manage: the company's vacancies; jobs.refer: officers match and refer) -------------
    "jobs:vacancy_list": page("admin", "officer"),
    "jobs:vacancy_create": form("admin", "officer", anchor="vacancy", note="officers of companies"),
    "jobs:vacancy_detail": page("admin", "officer", ids={PK: "vacancy"}, note="any referring officer reads it"),
    "jobs:vacancy_edit": form("admin", "officer", scoped=True, ids={PK: "vacancy"}),
    "jobs:vacancy_close": action("admin", "officer", scoped=True, ids={PK: "vacancy"}),
    "jobs:candidates": page("admin", "officer", ids={PK: "vacancy"}, note="jobs.refer is not agency-bound"),
    "jobs:refer": action("admin", "officer", ids={PK: "vacancy", "resident_id": "resident"}),
    "jobs:referral_list": page("admin", "officer"),
    "jobs:outcome": action("admin", "officer", scoped=True, ids={PK: "job_referral"},
                           note="the company records the outcome of referrals to its vacancies"),
    # --- umkm (umkm.manage: the agency's own businesses) -------------------------------------------------
    "umkm:overview": page("admin", "officer"),
    "umkm:business_create": form("admin", "officer"),
    "umkm:business_detail": page("admin", "officer", scoped=True, ids={PK: "business"}),
    "umkm:business_edit": form("admin", "officer", scoped=True, ids={PK: "business"}),
    "umkm:business_close": form("admin", "officer", scoped=True, ids={PK: "business"}),
    "umkm:business_reopen": action("admin", "officer", scoped=True, ids={PK: "business"}),
    "umkm:capital_create": form("admin", "officer", scoped=True, ids={PK: "business"}),
    "umkm:equipment_create": form("admin", "officer", scoped=True, ids={PK: "business"}),
    "umkm:mentoring_create": form("admin", "officer", scoped=True, ids={PK: "business"}),
    "umkm:revenue_create": form("admin", "officer", scoped=True, ids={PK: "business"}),
    "umkm:capital_disburse": form("admin", "officer", scoped=True, ids={PK: "capital"}),
    "umkm:repayment_create": form("admin", "officer", scoped=True, ids={PK: "capital"}),
    "umkm:repayment_reverse": form("admin", "officer", scoped=True, ids={PK: "repayment"}),
    # --- education (education.manage: the admin and program officers; a student in an education program is
    # changed only by the officers of the agencies of all the student's programs; access.py) -----------------
    # Schools, class lists, the out-of-school list and a student's record are read kelurahan-wide by every
    # officer (the issue: the education officer sees every school-age child not in school); writes that touch
    # a program's participant are the program's agency's.
    "education:index": page(*AO),
    "education:school_create": form(*AO, note="the school list is kelurahan-wide"),
    "education:school_edit": form(*AO, ids={PK: "school"}, note="the school list is kelurahan-wide"),
    "education:school_detail": Rule(allow(*AO), allow(*AO, scoped=True), {PK: "school"},
                                    "enrolling a resident who takes part in another agency's education program "
                                    "is refused", anchor="student_nik",
                                    data={"nik": "@student_nik", "grade": "11", "school_year": "2026/2027"}),
    "education:attendance_sheet": form(*AO, ids={PK: "school"},
                                       note="without a class and month the sheet asks for them; rows of another "
                                            "agency's participants are refused row by row (tests/education)"),
    "education:student_detail": form(*AO, scoped=True, ids={PK: "student"},
                                     data={"status": "moved", "reason": "uji keamanan"},
                                     note="the world's students take part in an education program: their record, "
                                          "monthly attendance (the program's condition), warnings and stipends "
                                          "are that agency's details (DESIGN §2); a student in no program is "
                                          "any officer's"),
    "education:attendance_import": form(*AO, note="rows of another agency's participants are refused in the report"),
    "education:out_of_school": page(*AO),
    "education:apply": action(*AO, scoped=True, ids={"resident_pk": "school_age"}, anchor="edu_program",
                              data={"program": "@edu_program"}, note="into the officer's own agency's program"),
    "education:program_terms": Rule(allow(*AO), allow(*AO, scoped=True), {PK: "edu_program"},
                                    "the attendance condition is set by the program's agency",
                                    data={"min_attendance": "85", "misses_to_suspend": "2"}),
    # --- health (specific personal data: the kelurahan admin, and the cadre of the posyandu whose area holds the
    # household; every other role refused, a resident for their own child too; health.access) ---------------
    "health:index": page(*HC, note="a cadre is sent on to their own posyandu"),
    "health:posyandu_detail": page(*HC, scoped=True, ids={PK: "posyandu"}),
    "health:session_open": action(*HC, scoped=True, ids={PK: "posyandu"}),
    "health:session_detail": page(*HC, scoped=True, ids={PK: "health_session"}),
    "health:session_export": page(*HC, scoped=True, ids={PK: "health_session"}, note="health.export, audited"),
    "health:visit_form": form(*HC, scoped=True, ids={PK: "health_session", "child_pk": "child"}),
    "health:visit_detail": page(*HC, scoped=True, ids={PK: "visit"}),
    "health:child_detail": page(*HC, scoped=True, ids={PK: "child"}),
    "health:alert_resolve": action(*HC, scoped=True, ids={PK: "alert"}),
    "health:mothers": page(*HC, scoped=True, ids={PK: "posyandu"}),
    "health:mothers_export": page(*HC, scoped=True, ids={PK: "posyandu"}, note="health.export, audited"),
    "health:pregnancy_new": form(*HC, scoped=True, ids={"resident_pk": "mother"}),
    "health:pregnancy_detail": page(*HC, scoped=True, ids={PK: "pregnancy"}),
    "health:antenatal_new": form(*HC, scoped=True, ids={PK: "pregnancy"}),
    "health:edd_edit": form(*HC, scoped=True, ids={PK: "pregnancy"}),
    "health:delivery_new": form(*HC, scoped=True, ids={PK: "pregnancy"}),
    "health:postnatal_new": form(*HC, scoped=True, ids={PK: "pregnancy"}),
    "health:pregnancy_end": form(*HC, scoped=True, ids={PK: "pregnancy"}),
    "health:death_new": form(*HC, scoped=True, ids={"household_pk": "household"}),
    "health:education_list": form(*HC, scoped=True, ids={PK: "posyandu"}),
    "health:education_detail": form(*HC, scoped=True, ids={PK: "health_edu"}, data={"resident_id": "@mother"}),
    "health:referral_list": page(*HC, scoped=True, ids={PK: "posyandu"}),
    "health:referral_new": form(*HC, scoped=True, ids={"resident_pk": "child"}),
    "health:referral_outcome": form(*HC, scoped=True, ids={PK: "health_referral"}),
    # --- API documentation (api.docs) ----------------------------------------------------------------------
    "api:openapi-json": page("admin", "officer", "surveyor"),
    "api:openapi-view": page("admin", "officer", "surveyor"),
    "api:api-root": page(note="ninja's root name, only there for reverse(): no page, answers 404"),
}


@dataclass(frozen=True)
class Op:
    access: Access
    ids: dict[str, str] = field(default_factory=dict)  # path parameters
    body_ids: dict[str, str] = field(default_factory=dict)  # request-body fields holding ids
    note: str = ""
    anchor: str | None = None
    query: dict[str, str] = field(default_factory=dict)  # required query parameters holding ids


def op(*roles, scoped=False, ids=None, body_ids=None, note="", **extra):
    return Op(allow(*roles, scoped=scoped), ids or {}, body_ids or {}, note, **extra)


H = {"household_id": "household"}
OPERATIONS: dict[str, Op] = {
    # registry
    "household_search": op(*HOUSEHOLD_READERS),
    "household_create": op("admin", "surveyor", scoped=True, body_ids={"rt": "rt"}),
    "household_read": op(*HOUSEHOLD_READERS, scoped=True, ids=H),
    "household_update": op("admin", "surveyor", scoped=True, ids=H, body_ids={"rt": "rt"}),
    "household_set_status": op("admin", "surveyor", scoped=True, ids=H),
    "household_change_head": op("admin", "surveyor", scoped=True, ids=H, body_ids={"new_head": "resident"}),
    "household_history": op(*HOUSEHOLD_READERS, scoped=True, ids=H),
    "resident_add": op("admin", "surveyor", scoped=True, ids=H),
    "resident_update": op("admin", "surveyor", scoped=True, ids={"resident_id": "resident"}),
    "resident_move": op("admin", "surveyor", scoped=True, ids={"resident_id": "resident"}),
    "resident_set_status": op("admin", "surveyor", scoped=True, ids={"resident_id": "resident"}),
    # targeting
    "rule_run": op(*AO, scoped=True, ids={"rule_id": "rule"}),
    "rule_explain": op(*HOUSEHOLD_READERS, scoped=True, ids={"rule_id": "active_rule", "household_id": "household"},
                       anchor="household"),
    "needs_by_rw": op(*PROGRAM_READERS),
    "meeting_list": op("admin", "surveyor", note="stricter than the meetings page, which all staff read"),
    "meeting_create": op("admin", "surveyor", scoped=True, body_ids={"rw": "rw_number"}),
    "household_welfare": op("admin", "officer", "surveyor", scoped=True, ids=H, note="welfare.view"),
    # programs
    # Residents read the published programs through the API (the portal's program finder); drafts stay staff-only.
    "program_list": op(*PROGRAM_READERS, "resident"),
    "program_create": op(*AO),
    "program_read": op(*PROGRAM_READERS, "resident", ids={"program_id": "program"}),
    "program_update": op(*AO, scoped=True, ids={"program_id": "program"}),
    "program_set_status": op(*AO, scoped=True, ids={"program_id": "program"}),
    "funding_source_list": op(*AO, note="officers allocate from the sources"),
    "funding_source_create": op(*ADMIN),
    "funding_allocate": op(*AO, scoped=True, ids={"program_id": "program"}),
    "enrollment_list": op(*AO, scoped=True, ids={"program_id": "program"}),
    "enrollment_apply": op(*AO, scoped=True, ids={"program_id": "program"},
                           body_ids={"household": "household", "resident": "resident"}),
    "enrollment_read": op(*AO, scoped=True, ids={"enrollment_id": "enrollment"}),
    "enrollment_transition": op(*AO, scoped=True, ids={"enrollment_id": "enrollment"}),
    "enrollment_bulk_preview": op(*AO, scoped=True, ids={"program_id": "program"}, query={"run": "rule_run"}),
    "enrollment_bulk_apply": op(*AO, scoped=True, ids={"program_id": "program"}),
    "enrollment_bulk_verify": op(*AO, scoped=True, ids={"program_id": "program"}, body_ids={"ids": "enrollment"}),
    "enrollment_bulk_approve": op(*AO, scoped=True, ids={"program_id": "program"}, body_ids={"ids": "enrollment"}),
    "referral_list": op(*AO),
    "referral_send": op(*AO, scoped=True, body_ids={"household": "household", "to_program": "program"}),
    "referral_answer": op(*AO, scoped=True, ids={"referral_id": "referral"}),
    "overlap_policy_list": op(*ADMIN),
    "overlap_policy_create": op(*ADMIN),
    # cash
    "cash_institution_list": op(*AO, note="officers choose their scheme's institution"),
    "cash_institution_create": op(*ADMIN),
    "cash_institution_update": op(*ADMIN, ids={"institution_id": "institution"}),
    "cash_scheme_read": op(*AO, scoped=True, ids={"program_id": "cash_program"}),
    "cash_scheme_set": op(*AO, scoped=True, ids={"program_id": "cash_program"}),
    "cash_cycle_list": op(*AO),
    "cash_cycle_create": op(*AO, scoped=True, body_ids={"program": "cash_program"}),
    "cash_cycle_read": op(*AO, scoped=True, ids={"cycle_id": "cycle"}),
    "cash_cycle_generate": op(*AO, scoped=True, ids={"cycle_id": "cycle"}),
    "cash_cycle_approve": op(*ADMIN, ids={"cycle_id": "cycle"}),
    "cash_cycle_cancel": op(*AO, scoped=True, ids={"cycle_id": "cycle"}),
    "cash_entitlement_list": op(*AO, scoped=True, ids={"cycle_id": "cycle"}),
    "cash_entitlement_retry": op(*AO, scoped=True, ids={"cycle_id": "cycle"}, body_ids={"ids": "entitlement"}),
    "cash_entitlement_cancel": op(*AO, scoped=True, ids={"cycle_id": "cycle"}, body_ids={"ids": "entitlement"}),
    "cash_batch_create": op(*AO, scoped=True, ids={"cycle_id": "cycle"}),
    "cash_batch_list": op(*AO, scoped=True, ids={"cycle_id": "cycle"}),
    "cash_batch_file": op(*AO, scoped=True, ids={"batch_id": "batch"}),
    "cash_result_upload": op(*AO, scoped=True, ids={"cycle_id": "cycle"}),
    "cash_result_list": op(*AO, scoped=True, ids={"cycle_id": "cycle"}),
    "cash_result_read": op(*AO, scoped=True, ids={"upload_id": "upload"}),
    "cash_receipt_record": op(*AO, scoped=True, ids={"payment_id": "payment"}),
    "cash_household_entitlements": op(*HOUSEHOLD_READERS, scoped=True, ids=H,
                                      note="a household's own payments, as on its household page"),
    # training
    "training_course_list": op(*AO),
    "training_course_read": op(*AO, scoped=True, ids={"course_id": "course"}),
    "training_session_list": op(*AO, scoped=True, ids={"course_id": "course"}),
    "training_participant_list": op(*AO, scoped=True, ids={"course_id": "course"}),
    "training_attendance_mark": op(*AO, scoped=True, ids={"session_id": "session"},
                                   body_ids={"participant_id": "participant"}),
    "training_course_finish": op(*AO, scoped=True, ids={"course_id": "course"}),
    "training_certificate_issue": op(*AO, scoped=True, ids={"participant_id": "participant"}),
    "training_certificate_revoke": op(*AO, scoped=True, ids={"certificate_id": "certificate"}),
    "training_certificate_verify": op(*EVERYONE, ids={"code": "certificate_code"}, note="public verification"),
    "training_feedback_record": op(*AO, scoped=True, ids={"participant_id": "participant"},
                                   body_ids={"session_id": "session"}),
    "training_feedback_summary": op(*AO, scoped=True, ids={"course_id": "course"}),
    # jobs
    "job_vacancy_list": op(*AO),
    "job_vacancy_create": op(*AO, anchor="vacancy"),
    "job_vacancy_get": op(*AO, ids={"vacancy_id": "vacancy"}),
    "job_vacancy_update": op(*AO, scoped=True, ids={"vacancy_id": "vacancy"}),
    "job_vacancy_close": op(*AO, scoped=True, ids={"vacancy_id": "vacancy"}),
    "job_vacancy_candidates": op(*AO, ids={"vacancy_id": "vacancy"}),
    "job_referral_list": op(*AO),
    "job_referral_create": op(*AO, body_ids={"vacancy": "vacancy", "resident": "resident"}),
    "job_referral_outcome": op(*AO, scoped=True, ids={"referral_id": "job_referral"}),
    # umkm
    "umkm_business_list": op(*AO),
    "umkm_business_create": op(*AO, scoped=True, body_ids={"program": "business_program", "owner": "business_owner"}),
    "umkm_business_read": op(*AO, scoped=True, ids={"business_id": "business"}),
    "umkm_business_update": op(*AO, scoped=True, ids={"business_id": "business"}),
    "umkm_business_close": op(*AO, scoped=True, ids={"business_id": "business"}),
    "umkm_business_reopen": op(*AO, scoped=True, ids={"business_id": "business"}),
    "umkm_business_indicators": op(*AO, scoped=True, ids={"business_id": "business"}),
    "umkm_capital_list": op(*AO, scoped=True, ids={"business_id": "business"}),
    "umkm_capital_record": op(*AO, scoped=True, ids={"business_id": "business"}),
    "umkm_capital_disburse": op(*AO, scoped=True, ids={"capital_id": "capital"}),
    "umkm_loan_schedule": op(*AO, scoped=True, ids={"capital_id": "capital"}),
    "umkm_repayment_list": op(*AO, scoped=True, ids={"capital_id": "capital"}),
    "umkm_repayment_record": op(*AO, scoped=True, ids={"capital_id": "capital"}),
    "umkm_repayment_reverse": op(*AO, scoped=True, ids={"repayment_id": "repayment"}),
    "umkm_mentoring_list": op(*AO, scoped=True, ids={"business_id": "business"}),
    "umkm_mentoring_record": op(*AO, scoped=True, ids={"business_id": "business"}),
    "umkm_equipment_record": op(*AO, scoped=True, ids={"business_id": "business"}),
    "umkm_revenue_list": op(*AO, scoped=True, ids={"business_id": "business"}),
    "umkm_revenue_set": op(*AO, scoped=True, ids={"business_id": "business"}),
    # education
    "education_school_list": op(*AO),
    "education_school_create": op(*AO),
    "education_student_list": op(*AO, ids={"school_id": "school"}),
    "education_student_enroll": op(*AO, scoped=True,
                                   body_ids={"resident_id": "student_resident", "school_id": "school"}),
    "education_attendance_record": op(*AO, scoped=True, body_ids={"student_id": "student"}),
    "education_attendance_import": op(*AO),
    "education_out_of_school": op(*AO),
    # health: children
    "health_session_list": op(*HC, note="the sessions of the caller's posyandu"),
    "health_session_open": op(*HC, scoped=True, body_ids={"posyandu_id": "posyandu"}),
    "health_visit_list": op(*HC, scoped=True, ids={"session_id": "health_session"}),
    "health_visit_record": op(*HC, scoped=True, ids={"session_id": "health_session"}, body_ids={"child_id": "child"}),
    "health_child_growth": op(*HC, scoped=True, ids={"child_id": "child"}),
    "health_alert_list": op(*HC, note="the alerts of the caller's posyandu area"),
    # health: maternal care, education sessions, referrals
    "health_pregnancy_list": op(*HC, scoped=True, ids={"posyandu_id": "posyandu"}),
    "health_pregnancy_open": op(*HC, scoped=True, body_ids={"mother_id": "mother"}),
    "health_pregnancy_get": op(*HC, scoped=True, ids={"pregnancy_id": "pregnancy"}),
    "health_antenatal_record": op(*HC, scoped=True, ids={"pregnancy_id": "pregnancy"}),
    "health_delivery_record": op(*HC, scoped=True, ids={"pregnancy_id": "pregnancy"}),
    "health_postnatal_record": op(*HC, scoped=True, ids={"pregnancy_id": "pregnancy"}),
    "health_pregnancy_end": op(*HC, scoped=True, ids={"pregnancy_id": "pregnancy"}),
    "health_education_create": op(*HC, scoped=True, body_ids={"posyandu_id": "posyandu"}),
    "health_education_attend": op(*HC, scoped=True, ids={"session_id": "health_edu"},
                                  body_ids={"resident_id": "mother"}),
    "health_referral_list": op(*HC, note="the referrals of the caller's posyandu area"),
    "health_referral_create": op(*HC, scoped=True, body_ids={"resident_id": "child"}),
    "health_referral_outcome": op(*HC, scoped=True, ids={"referral_id": "health_referral"}),
}

# The apps of the participation, linkage and monitoring issues declare their rules in files of their own
# (``rules_<app>.py``), merged here, so that parallel work on them does not meet in this file.
from importlib import import_module as _import  # noqa: E402

for _app in ('portal', 'grievances', 'notifications', 'community', 'forums', 'linkage', 'monitoring', 'selfreliance'):
    _module = _import(f"tests.security.rules_{_app}")
    _clash = (ROUTES.keys() & _module.ROUTES.keys()) | (OPERATIONS.keys() & _module.OPERATIONS.keys())
    assert not _clash, f"rules declared twice: {sorted(_clash)}"
    ROUTES.update(_module.ROUTES)
    OPERATIONS.update(_module.OPERATIONS)

# URL names that are the ninja API's own routes: checked through OPERATIONS (operation ids) instead.
API_URL_PREFIX = "api/"
