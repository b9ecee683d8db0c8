"""The OpenAPI schema: valid, complete, with choice codes as enums."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from bansos.registry.models import HouseholdStatus, Relation

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("get", "/api/households"): "household_search",
    ("post", "/api/households"): "household_create",
    ("get", "/api/households/{household_id}"): "household_read",
    ("patch", "/api/households/{household_id}"): "household_update",
    ("post", "/api/households/{household_id}/status"): "household_set_status",
    ("post", "/api/households/{household_id}/head"): "household_change_head",
    ("get", "/api/households/{household_id}/history"): "household_history",
    ("post", "/api/households/{household_id}/residents"): "resident_add",
    ("patch", "/api/residents/{resident_id}"): "resident_update",
    ("post", "/api/residents/{resident_id}/move"): "resident_move",
    ("post", "/api/residents/{resident_id}/status"): "resident_set_status",
    ("get", "/api/needs"): "needs_by_rw",
    ("get", "/api/meetings"): "meeting_list",
    ("post", "/api/meetings"): "meeting_create",
    ("post", "/api/eligibility/rules/{rule_id}/run"): "rule_run",
    ("get", "/api/eligibility/rules/{rule_id}/explain/{household_id}"): "rule_explain",
    ("get", "/api/households/{household_id}/welfare"): "household_welfare",
    ("get", "/api/programs"): "program_list",
    ("post", "/api/programs"): "program_create",
    ("get", "/api/programs/{program_id}"): "program_read",
    ("patch", "/api/programs/{program_id}"): "program_update",
    ("post", "/api/programs/{program_id}/status"): "program_set_status",
    ("get", "/api/programs/funding-sources"): "funding_source_list",
    ("post", "/api/programs/funding-sources"): "funding_source_create",
    ("post", "/api/programs/{program_id}/allocations"): "funding_allocate",
    ("get", "/api/programs/{program_id}/enrollments"): "enrollment_list",
    ("post", "/api/programs/{program_id}/enrollments"): "enrollment_apply",
    ("get", "/api/programs/enrollments/{enrollment_id}"): "enrollment_read",
    ("post", "/api/programs/enrollments/{enrollment_id}/transition"): "enrollment_transition",
    ("get", "/api/programs/{program_id}/enrollments/bulk-preview"): "enrollment_bulk_preview",
    ("post", "/api/programs/{program_id}/enrollments/bulk-apply"): "enrollment_bulk_apply",
    ("post", "/api/programs/{program_id}/enrollments/bulk-verify"): "enrollment_bulk_verify",
    ("post", "/api/programs/{program_id}/enrollments/bulk-approve"): "enrollment_bulk_approve",
    ("get", "/api/programs/referrals"): "referral_list",
    ("post", "/api/programs/referrals"): "referral_send",
    ("post", "/api/programs/referrals/{referral_id}/answer"): "referral_answer",
    ("get", "/api/programs/overlap-policies"): "overlap_policy_list",
    ("post", "/api/programs/overlap-policies"): "overlap_policy_create",
    ("get", "/api/cash/institutions"): "cash_institution_list",
    ("post", "/api/cash/institutions"): "cash_institution_create",
    ("patch", "/api/cash/institutions/{institution_id}"): "cash_institution_update",
    ("get", "/api/cash/programs/{program_id}/scheme"): "cash_scheme_read",
    ("put", "/api/cash/programs/{program_id}/scheme"): "cash_scheme_set",
    ("get", "/api/cash/cycles"): "cash_cycle_list",
    ("post", "/api/cash/cycles"): "cash_cycle_create",
    ("get", "/api/cash/cycles/{cycle_id}"): "cash_cycle_read",
    ("post", "/api/cash/cycles/{cycle_id}/generate"): "cash_cycle_generate",
    ("post", "/api/cash/cycles/{cycle_id}/approve"): "cash_cycle_approve",
    ("post", "/api/cash/cycles/{cycle_id}/cancel"): "cash_cycle_cancel",
    ("get", "/api/cash/cycles/{cycle_id}/entitlements"): "cash_entitlement_list",
    ("post", "/api/cash/cycles/{cycle_id}/entitlements/retry"): "cash_entitlement_retry",
    ("post", "/api/cash/cycles/{cycle_id}/entitlements/cancel"): "cash_entitlement_cancel",
    ("post", "/api/cash/cycles/{cycle_id}/batches"): "cash_batch_create",
    ("get", "/api/cash/cycles/{cycle_id}/batches"): "cash_batch_list",
    ("get", "/api/cash/batches/{batch_id}/file"): "cash_batch_file",
    ("post", "/api/cash/cycles/{cycle_id}/results"): "cash_result_upload",
    ("get", "/api/cash/cycles/{cycle_id}/results"): "cash_result_list",
    ("get", "/api/cash/results/{upload_id}"): "cash_result_read",
    ("post", "/api/cash/payments/{payment_id}/receipt"): "cash_receipt_record",
    ("get", "/api/cash/households/{household_id}/entitlements"): "cash_household_entitlements",
    ("get", "/api/jobs/vacancies"): "job_vacancy_list",
    ("post", "/api/jobs/vacancies"): "job_vacancy_create",
    ("get", "/api/jobs/vacancies/{vacancy_id}"): "job_vacancy_get",
    ("patch", "/api/jobs/vacancies/{vacancy_id}"): "job_vacancy_update",
    ("post", "/api/jobs/vacancies/{vacancy_id}/close"): "job_vacancy_close",
    ("get", "/api/jobs/vacancies/{vacancy_id}/candidates"): "job_vacancy_candidates",
    ("get", "/api/jobs/referrals"): "job_referral_list",
    ("post", "/api/jobs/referrals"): "job_referral_create",
    ("post", "/api/jobs/referrals/{referral_id}/outcome"): "job_referral_outcome",
    ("get", "/api/umkm/businesses"): "umkm_business_list",
    ("post", "/api/umkm/businesses"): "umkm_business_create",
    ("get", "/api/umkm/businesses/{business_id}"): "umkm_business_read",
    ("patch", "/api/umkm/businesses/{business_id}"): "umkm_business_update",
    ("post", "/api/umkm/businesses/{business_id}/close"): "umkm_business_close",
    ("post", "/api/umkm/businesses/{business_id}/reopen"): "umkm_business_reopen",
    ("get", "/api/umkm/businesses/{business_id}/indicators"): "umkm_business_indicators",
    ("get", "/api/umkm/businesses/{business_id}/capital"): "umkm_capital_list",
    ("post", "/api/umkm/businesses/{business_id}/capital"): "umkm_capital_record",
    ("post", "/api/umkm/capital/{capital_id}/disburse"): "umkm_capital_disburse",
    ("get", "/api/umkm/capital/{capital_id}/schedule"): "umkm_loan_schedule",
    ("get", "/api/umkm/capital/{capital_id}/repayments"): "umkm_repayment_list",
    ("post", "/api/umkm/capital/{capital_id}/repayments"): "umkm_repayment_record",
    ("post", "/api/umkm/repayments/{repayment_id}/reverse"): "umkm_repayment_reverse",
    ("get", "/api/umkm/businesses/{business_id}/mentoring"): "umkm_mentoring_list",
    ("post", "/api/umkm/businesses/{business_id}/mentoring"): "umkm_mentoring_record",
    ("post", "/api/umkm/businesses/{business_id}/equipment"): "umkm_equipment_record",
    ("get", "/api/umkm/businesses/{business_id}/revenue"): "umkm_revenue_list",
    ("put", "/api/umkm/businesses/{business_id}/revenue"): "umkm_revenue_set",
    ("get", "/api/training/courses"): "training_course_list",
    ("get", "/api/training/courses/{course_id}"): "training_course_read",
    ("get", "/api/training/courses/{course_id}/sessions"): "training_session_list",
    ("get", "/api/training/courses/{course_id}/participants"): "training_participant_list",
    ("post", "/api/training/sessions/{session_id}/attendance"): "training_attendance_mark",
    ("post", "/api/training/courses/{course_id}/finish"): "training_course_finish",
    ("post", "/api/training/participants/{participant_id}/certificate"): "training_certificate_issue",
    ("post", "/api/training/certificates/{certificate_id}/revoke"): "training_certificate_revoke",
    ("get", "/api/training/verify/{code}"): "training_certificate_verify",
    ("post", "/api/training/participants/{participant_id}/feedback"): "training_feedback_record",
    ("get", "/api/training/courses/{course_id}/feedback"): "training_feedback_summary",
    ("get", "/api/health/sessions"): "health_session_list",
    ("post", "/api/health/sessions"): "health_session_open",
    ("get", "/api/health/sessions/{session_id}/visits"): "health_visit_list",
    ("post", "/api/health/sessions/{session_id}/visits"): "health_visit_record",
    ("get", "/api/health/children/{child_id}/growth"): "health_child_growth",
    ("get", "/api/health/alerts"): "health_alert_list",
    ("get", "/api/health/posyandu/{posyandu_id}/pregnancies"): "health_pregnancy_list",
    ("post", "/api/health/pregnancies"): "health_pregnancy_open",
    ("get", "/api/health/pregnancies/{pregnancy_id}"): "health_pregnancy_get",
    ("post", "/api/health/pregnancies/{pregnancy_id}/visits"): "health_antenatal_record",
    ("post", "/api/health/pregnancies/{pregnancy_id}/delivery"): "health_delivery_record",
    ("post", "/api/health/pregnancies/{pregnancy_id}/postnatal"): "health_postnatal_record",
    ("post", "/api/health/pregnancies/{pregnancy_id}/end"): "health_pregnancy_end",
    ("post", "/api/health/education-sessions"): "health_education_create",
    ("post", "/api/health/education-sessions/{session_id}/attendance"): "health_education_attend",
    ("get", "/api/health/referrals"): "health_referral_list",
    ("post", "/api/health/referrals"): "health_referral_create",
    ("post", "/api/health/referrals/{referral_id}/outcome"): "health_referral_outcome",
    ("get", "/api/education/schools"): "education_school_list",
    ("post", "/api/education/schools"): "education_school_create",
    ("get", "/api/education/schools/{school_id}/students"): "education_student_list",
    ("post", "/api/education/students"): "education_student_enroll",
    ("post", "/api/education/attendance"): "education_attendance_record",
    ("post", "/api/education/attendance/import"): "education_attendance_import",
    ("get", "/api/education/out-of-school"): "education_out_of_school",
    # participation, linkage, monitoring and self-reliance (issues 8, 9, 10)
    ("get", "/api/portal/programs"): "portal_programs_list",
    ("get", "/api/portal/programs/{program_id}"): "portal_program_get",
    ("post", "/api/portal/status"): "portal_status_check",
    ("get", "/api/portal/household"): "portal_household_get",
    ("post", "/api/portal/programs/{program_id}/apply"): "portal_apply",
    ("get", "/api/grievances"): "grievances_grievance_list",
    ("post", "/api/grievances"): "grievances_grievance_create",
    ("get", "/api/grievances/{grievance_id}"): "grievances_grievance_read",
    ("post", "/api/grievances/{grievance_id}/respond"): "grievances_grievance_respond",
    ("post", "/api/grievances/{grievance_id}/assign"): "grievances_grievance_assign",
    ("post", "/api/grievances/{grievance_id}/resolve"): "grievances_grievance_resolve",
    ("post", "/api/grievances/{grievance_id}/accept"): "grievances_grievance_accept",
    ("post", "/api/grievances/{grievance_id}/appeal"): "grievances_grievance_appeal",
    ("get", "/api/grievances/dashboard"): "grievances_dashboard_read",
    ("get", "/api/notifications/announcements"): "notifications_announcement_list",
    ("post", "/api/notifications/announcements"): "notifications_announcement_create",
    ("post", "/api/notifications/announcements/{announcement_id}/publish"): "notifications_announcement_publish",
    ("get", "/api/notifications/announcements/{announcement_id}/reach"): "notifications_announcement_reach",
    ("get", "/api/notifications/inbox"): "notifications_inbox_list",
    ("post", "/api/notifications/inbox/{message_id}/read"): "notifications_inbox_read",
    ("get", "/api/community/beneficiaries/{rw_number}"): "community_beneficiary_list",
    ("get", "/api/community/listing-settings"): "community_listing_settings_read",
    ("put", "/api/community/listing-settings"): "community_listing_settings_update",
    ("post", "/api/community/nominations"): "community_nomination_create",
    ("get", "/api/community/nominations"): "community_nomination_list",
    ("get", "/api/community/nominations/mine"): "community_nomination_mine",
    ("get", "/api/community/nominations/{nomination_id}"): "community_nomination_read",
    ("post", "/api/community/nominations/{nomination_id}/check"): "community_nomination_check",
    ("post", "/api/community/nominations/{nomination_id}/decide"): "community_nomination_decide",
    ("post", "/api/community/objections"): "community_objection_create",
    ("get", "/api/community/objections"): "community_objection_list",
    ("get", "/api/community/objections/mine"): "community_objection_mine",
    ("get", "/api/community/objections/{objection_id}"): "community_objection_read",
    ("post", "/api/community/objections/{objection_id}/check"): "community_objection_check",
    ("post", "/api/community/objections/{objection_id}/decide"): "community_objection_decide",
    ("post", "/api/community/objections/{objection_id}/finding"): "community_objection_finding",
    ("get", "/api/community/proposals"): "community_proposal_list",
    ("post", "/api/community/proposals"): "community_proposal_create",
    ("get", "/api/community/proposals/{proposal_id}"): "community_proposal_read",
    ("post", "/api/community/proposals/{proposal_id}/support"): "community_proposal_support",
    ("post", "/api/community/proposals/{proposal_id}/answer"): "community_proposal_answer",
    ("post", "/api/community/proposals/{proposal_id}/approve"): "community_proposal_approve",
    ("get", "/api/linkage/runs"): "linkage_run_list",
    ("post", "/api/linkage/runs"): "linkage_run_start",
    ("get", "/api/linkage/runs/{run_id}"): "linkage_run_read",
    ("get", "/api/linkage/pairs"): "linkage_pair_list",
    ("post", "/api/linkage/pairs/{pair_id}/confirm"): "linkage_pair_confirm",
    ("post", "/api/linkage/pairs/{pair_id}/reject"): "linkage_pair_reject",
    ("get", "/api/linkage/merges"): "linkage_merge_list",
    ("post", "/api/linkage/merges/{merge_id}/unmerge"): "linkage_merge_unmerge",
    ("get", "/api/linkage/lists"): "linkage_list_list",
    ("post", "/api/linkage/lists"): "linkage_list_upload",
    ("get", "/api/linkage/lists/{list_id}"): "linkage_list_read",
    ("post", "/api/linkage/lists/{list_id}/mapping"): "linkage_list_map",
    ("get", "/api/linkage/lists/{list_id}/rows"): "linkage_list_rows",
    ("post", "/api/linkage/lists/{list_id}/rows/{row_id}/decide"): "linkage_list_row_decide",
    ("get", "/api/linkage/lists/{list_id}/report"): "linkage_list_report",
    ("get", "/api/monitoring/indicators"): "monitoring_indicator_list",
    ("get", "/api/monitoring/indicators/{code}/values"): "monitoring_value_list",
    ("post", "/api/monitoring/snapshots"): "monitoring_snapshot_run",
    ("get", "/api/forums"): "forums_forum_list",
    ("get", "/api/forums/{forum_id}/threads"): "forums_thread_list",
    ("post", "/api/forums/{forum_id}/threads"): "forums_thread_create",
    ("get", "/api/forums/threads/{thread_id}"): "forums_thread_read",
    ("post", "/api/forums/threads/{thread_id}/replies"): "forums_reply_create",
    ("post", "/api/forums/threads/{thread_id}/reports"): "forums_thread_report",
    ("post", "/api/forums/replies/{reply_id}/reports"): "forums_reply_report",
    ("post", "/api/forums/threads/{thread_id}/hide"): "forums_thread_hide",
    ("post", "/api/forums/threads/{thread_id}/lock"): "forums_thread_lock",
    ("post", "/api/forums/replies/{reply_id}/hide"): "forums_reply_hide",
    ("get", "/api/forums/reports"): "forums_report_list",
    ("post", "/api/forums/reports/{report_id}/review"): "forums_report_review",
    ("post", "/api/forums/ratings/sessions/{session_id}"): "forums_session_rating_record",
    ("post", "/api/forums/ratings/programs/{program_id}"): "forums_program_rating_record",
    ("get", "/api/forums/ratings/programs/{program_id}"): "forums_program_rating_summary",
    ("get", "/api/selfreliance/households/{household_id}/index"): "selfreliance_household_index_read",
    ("get", "/api/selfreliance/graduations"): "selfreliance_graduation_list",
    ("post", "/api/selfreliance/graduations/{graduation_id}/confirm"): "selfreliance_graduation_confirm",
    ("post", "/api/selfreliance/graduations/{graduation_id}/decline"): "selfreliance_graduation_decline",
    ("get", "/api/selfreliance/programs/{program_id}/impact"): "selfreliance_impact_read",
    ("post", "/api/selfreliance/index/runs"): "selfreliance_index_run_create",
}

# Operations anyone may call: a certificate's public verification (initials, course and date only).
PUBLIC = {
    "training_certificate_verify",
    # the resident portal's catalog and status check, and the public list of youth proposals
    "portal_programs_list", "portal_program_get", "portal_status_check", "community_proposal_list",
    "community_proposal_read",
}


@pytest.fixture
def schema(cast, client_for):
    response = client_for(cast["admin"]).get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi(schema):
    validate(schema)


def test_the_schema_lists_every_operation(schema):
    found = {
        (method, path): op["operationId"]
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    }
    assert found == OPERATIONS


def test_every_operation_requires_a_token_or_the_session(schema):
    for methods in schema["paths"].values():
        for op in methods.values():
            if op["operationId"] in PUBLIC:
                assert "security" not in op
                continue
            assert op["security"] == [{"TokenAuth": []}, {"SessionAuth": []}]


def test_choices_are_enums_of_the_codes(schema):
    components = schema["components"]["schemas"]
    assert components["HouseholdStatus"]["enum"] == [c.value for c in HouseholdStatus]
    assert components["Relation"]["enum"] == [c.value for c in Relation]
    assert components["ElectricityVA"]["enum"] == [0, 450, 900, 1300, 2200, 3500]


def test_errors_are_documented_with_one_shape(schema):
    op = schema["paths"]["/api/households/{household_id}"]["patch"]
    assert {code: r["content"]["application/json"]["schema"]["$ref"] for code, r in op["responses"].items()
            if code != "200"} == {c: "#/components/schemas/ErrorOut" for c in ("400", "401", "403", "404", "422")}


def test_no_two_api_schemas_share_a_name():
    """OpenAPI components are keyed by class name: a second schema of the same name silently replaces the first
    in the documented schema (the responses of one app would be validated against another app's shape)."""
    import bansos.api  # noqa: F401 - imports every app's API module
    from ninja import Schema

    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)

    names: dict[str, set[str]] = {}
    for cls in every(Schema):
        if cls.__module__.startswith("bansos."):
            names.setdefault(cls.__name__, set()).add(cls.__module__)
    assert {name: mods for name, mods in names.items() if len(mods) > 1} == {}
