"""The one place that decides "may this user do this to this object".

Pages, the API, the CLI and services all ask here. Rules are a table of role -> permissions plus
an object-level scope check: a household is in a user's scope by RW/RT (surveyor), posyandu area
(health cadre), own household (resident), or everywhere (kelurahan admin). Program officers reach
the households that applied to, are enrolled in, or were referred to their agency's programs.
"""

from __future__ import annotations

from django.db.models import Q

from bansos.accounts.models import Role
from bansos.core.errors import PermissionDeniedError


class P:
    """Permission codes. Stable strings; tests and templates use them."""

    HOUSEHOLD_VIEW = "household.view"
    HOUSEHOLD_CREATE = "household.create"
    HOUSEHOLD_CHANGE = "household.change"
    HOUSEHOLD_STATUS = "household.status"  # mark moved / dissolved / active again
    RESIDENT_CHANGE = "resident.change"  # edit, add, move a member
    NIK_FULL = "nik.view_full"  # see the whole NIK instead of the masked one
    REGISTRY_IMPORT = "registry.import"
    REGISTRY_EXPORT = "registry.export"  # personal data leaves the platform: audited
    DSR_MANAGE = "dsr.manage"  # record and work data-subject requests
    AUDIT_VIEW = "audit.view"  # the platform-wide audit trail
    USERS_MANAGE = "users.manage"
    AREAS_MANAGE = "areas.manage"
    AGENCIES_MANAGE = "agencies.manage"
    TOKENS_MANAGE = "tokens.manage"
    API_DOCS = "api.docs"
    # Targeting (needs, welfare ranking, eligibility)
    WELFARE_VIEW = "welfare.view"  # a household's score, decile and contributions (object-scoped)
    WELFARE_MANAGE = "welfare.manage"  # edit and publish the welfare model's weights, rescore
    RULES_MANAGE = "rules.manage"  # write eligibility rules and run them over the registry
    RULES_RESULTS = "rules.results"  # see the households a rule run found (personal data)
    SURVEY_DESIGN = "survey.design"  # build forms, import XLSForm, open rounds
    SURVEY_RESPOND = "survey.respond"  # enter responses for households (object-scoped)
    SURVEY_EXPORT = "survey.export"  # export responses (personal data: audited)
    MEETING_MANAGE = "meeting.manage"  # record musyawarah, attendance, needs (RW-scoped for surveyors)
    NEEDS_VIEW = "needs.view"  # aggregated needs per RW (no personal data)
    # Programs (catalog, budgets, enrollments, referrals, overlap). Officers act on their own agency's
    # programs only: ``bansos.programs.access`` adds that object check.
    PROGRAM_VIEW = "program.view"  # the catalog of every agency's programs (no personal data)
    PROGRAM_MANAGE = "program.manage"  # create and edit programs, allocate funds to them
    FUNDING_MANAGE = "funding.manage"  # funding sources of the kelurahan and its partners
    ENROLLMENT_MANAGE = "enrollment.manage"  # apply, verify, approve, reject, start, suspend, end
    ENROLLMENT_NOMINATE = "enrollment.nominate"  # nominate a household of one's area (object-scoped)
    REFERRAL_MANAGE = "referral.manage"  # send referrals from, and answer referrals to, own programs
    COORDINATION_VIEW = "coordination.view"  # overlap, concentration and exclusion figures (aggregates)
    COORDINATION_DETAIL = "coordination.detail"  # the households behind those figures (personal data)
    OVERLAP_POLICY_MANAGE = "overlap_policy.manage"  # which program combinations are refused or warned
    # Cash transfers (cycles, payment files, reconciliation). Officers act on their own agency's programs.
    CASH_MANAGE = "cash.manage"  # payment schemes, generate cycles, send batches, upload results, receipts
    CASH_APPROVE = "cash.approve"  # the checker: approve a cycle someone else generated
    CASH_INSTITUTIONS = "cash.institutions"  # paying institutions and their payment-file columns
    # Economic pathway. Officers act on their own agency's courses, businesses and vacancies.
    TRAINING_MANAGE = "training.manage"  # courses, sessions, participants, attendance, certificates
    JOBS_MANAGE = "jobs.manage"  # a company's vacancies and the outcomes of referrals to them
    JOBS_REFER = "jobs.refer"  # match trained residents to vacancies and refer them (personal data)
    UMKM_MANAGE = "umkm.manage"  # micro-businesses, capital, repayments, mentoring, revenue
    # Child health (specific personal data): cadres within their posyandu's area, the kelurahan admin all.
    # ``bansos.health.access`` adds the area check.
    HEALTH_VIEW = "health.view"  # visits, z-scores, growth charts and alerts of under-fives
    HEALTH_RECORD = "health.record"  # open posyandu sessions, record and correct visits, resolve alerts
    HEALTH_EXPORT = "health.export"  # a session's measurements as CSV (audited)
    # Free education. Schools, students and attendance; officers act on the students enrolled in their own
    # agency's education programs only: ``bansos.education.access`` adds that object check.
    EDUCATION_MANAGE = "education.manage"
    # participation (issue 8)
    GRIEVANCE_HANDLE = "grievance.handle"  # see, assign, answer and resolve grievances (scoped: agency or RW)
    GRIEVANCE_RECORD = "grievance.record"  # enter a grievance received at the office, by phone or by an RT/RW
    GRIEVANCE_DASHBOARD = "grievance.dashboard"  # open, overdue, time to resolve per category and agency
    ANNOUNCEMENT_MANAGE = "announcement.manage"  # post announcements to the kelurahan, an RW, participants, groups
    OUTBOX_VIEW = "outbox.view"  # the notification outbox and delivery status (addresses are personal data)
    FORUM_MODERATE = "forum.moderate"  # official answers, hide, lock, handle abuse reports
    NOMINATION_DECIDE = "nomination.decide"  # verify and decide usul/sanggah (scoped: RW or program agency)
    PROPOSAL_REVIEW = "proposal.review"  # review youth proposals, answer publicly, turn into a program draft
    PORTAL_ACTIVATION = "portal.activation"  # issue office activation codes for residents without a phone
    # record linkage (issue 10)
    LINKAGE_MANAGE = "linkage.manage"  # run deduplication, review candidate pairs, merge and unmerge residents
    LINKAGE_AGENCY_LIST = "linkage.agency_list"  # upload an agency's list and see who already gets help
    # monitoring and evaluation (issue 9)
    MONITORING_VIEW = "monitoring.view"  # dashboards and reports of aggregates (small cells suppressed)
    MONITORING_MANAGE = "monitoring.manage"  # indicators, targets, index weights, RW shapes, snapshot runs
    GRADUATION_MANAGE = "graduation.manage"  # confirm or decline a household's graduation out of assistance


_ALL_STAFF_READ = {P.HOUSEHOLD_VIEW}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {
            P.HOUSEHOLD_VIEW, P.HOUSEHOLD_CREATE, P.HOUSEHOLD_CHANGE, P.HOUSEHOLD_STATUS, P.RESIDENT_CHANGE,
            P.NIK_FULL, P.REGISTRY_IMPORT, P.REGISTRY_EXPORT, P.DSR_MANAGE, P.AUDIT_VIEW, P.USERS_MANAGE,
            P.AREAS_MANAGE, P.AGENCIES_MANAGE, P.TOKENS_MANAGE, P.API_DOCS,
            P.WELFARE_VIEW, P.WELFARE_MANAGE, P.RULES_MANAGE, P.RULES_RESULTS, P.SURVEY_DESIGN,
            P.SURVEY_RESPOND, P.SURVEY_EXPORT, P.MEETING_MANAGE, P.NEEDS_VIEW,
            P.PROGRAM_VIEW, P.PROGRAM_MANAGE, P.FUNDING_MANAGE, P.ENROLLMENT_MANAGE, P.ENROLLMENT_NOMINATE,
            P.REFERRAL_MANAGE, P.COORDINATION_VIEW, P.COORDINATION_DETAIL, P.OVERLAP_POLICY_MANAGE,
            P.CASH_MANAGE, P.CASH_APPROVE, P.CASH_INSTITUTIONS,
            P.TRAINING_MANAGE, P.JOBS_MANAGE, P.JOBS_REFER, P.UMKM_MANAGE,
            P.HEALTH_VIEW, P.HEALTH_RECORD, P.HEALTH_EXPORT, P.EDUCATION_MANAGE,
            P.GRIEVANCE_HANDLE, P.GRIEVANCE_RECORD, P.GRIEVANCE_DASHBOARD, P.ANNOUNCEMENT_MANAGE, P.OUTBOX_VIEW,
            P.FORUM_MODERATE, P.NOMINATION_DECIDE, P.PROPOSAL_REVIEW, P.PORTAL_ACTIVATION,
            P.LINKAGE_MANAGE, P.LINKAGE_AGENCY_LIST, P.MONITORING_VIEW, P.MONITORING_MANAGE, P.GRADUATION_MANAGE,
        }
    ),
    Role.SURVEYOR: frozenset(
        {
            P.HOUSEHOLD_VIEW, P.HOUSEHOLD_CREATE, P.HOUSEHOLD_CHANGE, P.HOUSEHOLD_STATUS, P.RESIDENT_CHANGE,
            P.NIK_FULL, P.API_DOCS, P.WELFARE_VIEW, P.SURVEY_RESPOND, P.MEETING_MANAGE, P.NEEDS_VIEW,
            P.PROGRAM_VIEW, P.ENROLLMENT_NOMINATE,
            P.GRIEVANCE_HANDLE, P.GRIEVANCE_RECORD, P.ANNOUNCEMENT_MANAGE, P.FORUM_MODERATE, P.NOMINATION_DECIDE,
            P.MONITORING_VIEW,
        }
    ),
    Role.OFFICER: frozenset(
        _ALL_STAFF_READ
        | {
            P.API_DOCS, P.WELFARE_VIEW, P.RULES_MANAGE, P.NEEDS_VIEW, P.PROGRAM_VIEW, P.PROGRAM_MANAGE,
            P.ENROLLMENT_MANAGE, P.REFERRAL_MANAGE, P.COORDINATION_VIEW, P.CASH_MANAGE,
            P.TRAINING_MANAGE, P.JOBS_MANAGE, P.JOBS_REFER, P.UMKM_MANAGE, P.EDUCATION_MANAGE,
            P.GRIEVANCE_HANDLE, P.GRIEVANCE_RECORD, P.GRIEVANCE_DASHBOARD, P.ANNOUNCEMENT_MANAGE, P.FORUM_MODERATE,
            P.NOMINATION_DECIDE, P.LINKAGE_AGENCY_LIST, P.MONITORING_VIEW,
            # Graduation of households whose active cash aid is all its agency's (selfreliance.access).
            P.GRADUATION_MANAGE,
        }
    ),
    Role.CADRE: frozenset(_ALL_STAFF_READ | {P.NEEDS_VIEW, P.PROGRAM_VIEW, P.HEALTH_VIEW, P.HEALTH_RECORD,
                                             P.HEALTH_EXPORT, P.MONITORING_VIEW}),
    Role.EVALUATOR: frozenset({P.NEEDS_VIEW, P.PROGRAM_VIEW, P.COORDINATION_VIEW, P.GRIEVANCE_DASHBOARD,
                               P.MONITORING_VIEW}),
    Role.RESIDENT: frozenset({P.HOUSEHOLD_VIEW}),
}

# Permissions whose object must be inside the user's household scope.
_OBJECT_SCOPED = {
    P.HOUSEHOLD_VIEW, P.HOUSEHOLD_CHANGE, P.HOUSEHOLD_STATUS, P.RESIDENT_CHANGE, P.NIK_FULL, P.DSR_MANAGE,
    P.WELFARE_VIEW, P.SURVEY_RESPOND, P.ENROLLMENT_NOMINATE,
}

STAFF_ROLES = (Role.ADMIN, Role.OFFICER, Role.SURVEYOR, Role.CADRE, Role.EVALUATOR)


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def has_role_perm(user, perm: str) -> bool:
    """Whether the user's role carries ``perm`` at all (no object check)."""
    if not _active(user):
        return False
    return perm in ROLE_PERMISSIONS.get(user.role, frozenset())


def household_scope(user) -> Q:
    """A filter on Household that keeps only the households this user may see."""
    none = Q(pk__in=[])
    if not _active(user):
        return none
    if user.role == Role.ADMIN:
        return Q()
    if user.role == Role.SURVEYOR:
        if user.rt_id:
            return Q(rt_id=user.rt_id)
        return Q(rt__rw_id=user.rw_id) if user.rw_id else none
    if user.role == Role.CADRE:
        return Q(rt__posyandus=user.posyandu_id) if user.posyandu_id else none
    if user.role == Role.RESIDENT:
        return Q(pk=user.household_id) if user.household_id else none
    if user.role == Role.OFFICER:
        return _agency_households(user.agency_id) if user.agency_id else none
    return none


def _agency_households(agency_id: int) -> Q:
    """Households that applied to, are enrolled in, or were referred to a program of the agency."""
    from django.db.models import Exists, OuterRef

    from bansos.programs.models import Enrollment, Referral

    return Q(Exists(Enrollment.objects.filter(household=OuterRef("pk"), program__agency_id=agency_id))) | Q(
        Exists(Referral.objects.filter(household=OuterRef("pk"), to_program__agency_id=agency_id))
    )


def rt_in_scope(user, rt) -> bool:
    """Whether a household may be placed in ``rt`` by this user (create, move)."""
    if not _active(user):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.SURVEYOR:
        return rt.pk == user.rt_id if user.rt_id else rt.rw_id == user.rw_id
    return False


def household_in_scope(user, household) -> bool:
    if not _active(user):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.SURVEYOR:
        return household.rt_id == user.rt_id if user.rt_id else household.rt.rw_id == user.rw_id
    if user.role == Role.RESIDENT:
        return household.pk == user.household_id
    # An officer's or cadre's scope takes a query. The household page asks once per panel about the
    # same household object, so a yes is remembered on that object for this user (a no is not: the
    # user may enrol or refer the household a moment later, through the same object).
    key = (user.pk, user.role, user.agency_id, user.posyandu_id)
    known = household.__dict__.setdefault("_in_scope_for", set())
    if key in known:
        return True
    from bansos.registry.models import Household

    inside = Household.objects.filter(household_scope(user), pk=household.pk).exists()
    if inside:
        known.add(key)
    return inside


def has_perm(user, perm: str, obj=None) -> bool:
    """Whether ``user`` may do ``perm``, to ``obj`` when given (a Household, or anything with .household)."""
    if not has_role_perm(user, perm):
        return False
    if obj is None or perm not in _OBJECT_SCOPED:
        return True
    household = obj if obj.__class__.__name__ == "Household" else getattr(obj, "household", None)
    if household is None:
        return False
    return household_in_scope(user, household)


def require(user, perm: str, obj=None) -> None:
    """Raise PermissionDeniedError unless ``has_perm``."""
    if not has_perm(user, perm, obj):
        raise PermissionDeniedError()


def is_staff_role(user) -> bool:
    return _active(user) and user.role in STAFF_ROLES
