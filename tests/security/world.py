"""Builds the world of the authorization tests: demo data, the cast, and the objects behind every URL id.

Two sides: "mine" objects belong to the in-scope users of the cast (their RW, posyandu, household,
agency); "other" objects lie in another scope and belong to the out-of-scope users (``*_other``).
Objects of agency-owned kinds (programs, cycles, courses, vacancies, businesses, rules) come from the
demo's agencies, so each kind records which agency owns its "mine" and "other" object; the officer of
a route is the officer of the agency owning the route's first id.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from django.test import Client

SEED = 1105
WORLD_APPS = ('portal', 'grievances', 'notifications', 'community', 'forums', 'linkage', 'monitoring', 'selfreliance')
HEALTH_MARKER = "Puskesmas Rahasia Uji 7731"  # in the health records of the world's households only
PASSWORD = "rahasia-uji-keamanan-123"

ROLES = ("admin", "officer", "surveyor", "cadre", "evaluator", "resident", "anon")
SCOPED_ROLES = frozenset({"officer", "surveyor", "cadre", "resident"})
# The cast as the matrix names it: every role, plus the out-of-scope user of each scoped role.
CAST = ("anon", "admin", "evaluator", "officer", "officer_other", "surveyor", "surveyor_other",
        "cadre", "cadre_other", "resident", "resident_other")


@dataclass
class Kind:
    mine: object
    other: object | None = None
    agency: int | None = None  # owner agency of ``mine`` (agency-owned kinds)
    other_agency: int | None = None


@dataclass
class World:
    kinds: dict[str, Kind] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)  # cast name -> user (officers by agency apart)
    officers: dict[int, object] = field(default_factory=dict)  # agency pk -> officer
    sessions: dict[int, str] = field(default_factory=dict)  # user pk -> session key
    household_agency: int = 0
    other_household_agency: int = 0
    seconds: float = 0.0
    token_key: str = ""

    def id(self, kind: str, *, other: bool = False):
        k = self.kinds[kind]
        obj = k.other if other else k.mine
        if obj is None:
            return None
        return getattr(obj, "pk", obj)

    def user(self, name: str, anchor: str | None = None):
        """The cast member ``name`` for a route whose first id is of kind ``anchor``."""
        if name == "anon":
            return None
        if name in ("officer", "officer_other"):
            kind = self.kinds.get(anchor) if anchor else None
            agency = (kind.agency if name == "officer" else kind.other_agency) if kind and kind.agency else None
            if agency is None:
                agency = self.household_agency if name == "officer" else self.other_household_agency
            return self.officers[agency]
        return self.users[name]

    def client(self, user) -> Client:
        client = Client()
        if user is not None:
            from django.conf import settings

            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[user.pk]
        return client


def build_demo():
    from bansos.accounts.models import User
    from bansos.core.origin import origin
    from bansos.demo.services import demo_accounts_create, demo_prepare
    from bansos.demo.steps import demo_apps_create

    with origin(channel="cli", command="demo"):
        demo_prepare(households=80, seed=SEED)
        accounts = demo_accounts_create()
        admin = User.objects.get(username=accounts[0].username)
        demo_apps_create(actor=admin, seed=SEED)
    return admin


def _agencies_of(household) -> set[int]:
    from bansos.programs.models import Enrollment, Referral

    return set(Enrollment.objects.filter(household=household).values_list("program__agency_id", flat=True)) | set(
        Referral.objects.filter(household=household).values_list("to_program__agency_id", flat=True))


def _pick_households():
    """H: enrolled with one agency only, with a cash payment; H2: with one other agency, another RW."""
    from bansos.cash.models import Payment
    from bansos.registry.models import Household

    paid = set(Payment.objects.values_list("entitlement__household_id", flat=True))
    candidates = [h for h in Household.objects.select_related("rt__rw").order_by("pk") if len(_agencies_of(h)) == 1]
    mine = next(h for h in candidates if h.pk in paid and h.residents.filter(status="active").count() >= 2)
    agency = _agencies_of(mine).pop()
    other = next(h for h in candidates if _agencies_of(h) != {agency} and h.rt.rw_id != mine.rt.rw_id
                 and h.residents.filter(status="active").count() >= 2)
    return mine, agency, other, _agencies_of(other).pop()


def _member(household):
    """A member who is not the head (so moving or editing them stays a member-level change)."""
    return household.residents.filter(status="active").exclude(relation="head").order_by("pk").first()


def _user(username: str, role: str, **scope):
    from bansos.accounts.models import User

    return User.objects.create_user(username=username, password=PASSWORD, role=role,
                                    first_name=username.replace("_", " ").title(), **scope)


def _first(qs):
    return qs.order_by("pk").first()


def build_world() -> World:
    from bansos.accounts.models import Agency, ApiToken
    from bansos.accounts.tokens import token_create
    from bansos.cash.models import Batch, Cycle, Entitlement, Payment, PaymentInstitution, ResultUpload
    from bansos.core.models import Posyandu
    from bansos.eligibility.models import EligibilityRule, RuleRun
    from bansos.jobs.models import JobReferral, Vacancy
    from bansos.meetings.models import Meeting, Need
    from bansos.programs.models import Enrollment, FundingSource, OverlapPolicy, Program, Referral
    from bansos.registry.models import DataSubjectRequest, ImportJob
    from bansos.surveys import services as surveys
    from bansos.surveys import xlsform
    from bansos.surveys.models import Question
    from bansos.training.models import Certificate, Course, CourseSession, Participant
    from bansos.umkm.models import Business, CapitalSupport, Repayment
    from bansos.welfare.models import WelfareModel, WelfareRun

    start = time.monotonic()
    admin = build_demo()
    w = World()
    h, h_agency, h2, h2_agency = _pick_households()
    w.household_agency, w.other_household_agency = h_agency, h2_agency
    pos = Posyandu.objects.filter(rts=h.rt).first()
    pos2 = Posyandu.objects.filter(rts=h2.rt).first()
    assert pos and pos2 and pos != pos2, "the world needs a posyandu for each side"

    # The cast (the demo's own accounts stay, unused).
    w.users = {
        "admin": _user("sec_admin", "admin"),
        "evaluator": _user("sec_evaluator", "evaluator"),
        "surveyor": _user("sec_surveyor", "surveyor", rw=h.rt.rw),
        "surveyor_other": _user("sec_surveyor_other", "surveyor", rw=h2.rt.rw),
        "cadre": _user("sec_cadre", "cadre", posyandu=pos),
        "cadre_other": _user("sec_cadre_other", "cadre", posyandu=pos2),
        "resident": _user("sec_resident", "resident", household=h),
        "resident_other": _user("sec_resident_other", "resident", household=h2),
    }
    for agency in Agency.objects.order_by("pk"):
        w.officers[agency.pk] = _user(f"sec_officer_{agency.pk}", "officer", agency=agency)
    w.users["officer"] = w.officers[h_agency]
    w.users["officer_other"] = w.officers[h2_agency]
    _, w.token_key = token_create(actor=admin, owner=w.users["admin"], name="uji keamanan")
    for user in [*w.users.values(), *w.officers.values()]:
        if user.pk not in w.sessions:
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            from django.conf import settings

            w.sessions[user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value

    K = w.kinds

    def agency_kind(name, mine, other, owner):
        K[name] = Kind(mine, other, owner(mine) if mine else None, owner(other) if other else None)

    # Registry
    K["household"] = Kind(h, h2, h_agency, h2_agency)
    K["resident"] = Kind(_member(h), _member(h2), h_agency, h2_agency)
    K["dsr"] = Kind(
        DataSubjectRequest.objects.create(household=h, kind="access", requester_name="Pemohon Uji",
                                          description="uji", due_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)),
        DataSubjectRequest.objects.create(household=h2, kind="access", requester_name="Pemohon Lain",
                                          description="uji", due_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)),
        h_agency, h2_agency)
    report = Path(tempfile.mkdtemp(prefix="bansos-sec-")) / "laporan.csv"
    report.write_text("baris,hasil\n1,disimpan\n", encoding="utf-8")
    K["import"] = Kind(ImportJob.objects.create(created_by=admin, original_name="a.csv", file_path="/nope",
                                                report_path=str(report), status="done", rows_total=1, rows_done=1))
    K["fmt_import"] = Kind("csv")
    # Accounts and areas
    K["user"] = Kind(w.users["evaluator"])
    K["agency"] = Kind(Agency.objects.get(pk=h_agency))
    K["token"] = Kind(ApiToken.objects.order_by("pk").first())
    K["rw"] = Kind(h.rt.rw, h2.rt.rw)
    K["rw_number"] = Kind(h.rt.rw.number, h2.rt.rw.number)
    K["rt"] = Kind(h.rt, h2.rt)
    K["posyandu"] = Kind(pos, pos2)
    # Welfare and eligibility
    K["welfare_version"] = Kind(WelfareModel.objects.order_by("pk").first())
    K["welfare_run"] = Kind(WelfareRun.objects.create(created_by=admin, status="done", total=1, done=1))
    rule_mine = _first(EligibilityRule.objects.filter(agency_id=h_agency)) or _first(
        EligibilityRule.objects.exclude(agency=None))
    rule_other = _first(EligibilityRule.objects.exclude(agency_id=rule_mine.agency_id).exclude(agency=None))
    agency_kind("rule", rule_mine, rule_other, lambda r: r.agency_id)
    K["active_rule"] = Kind(_first(EligibilityRule.objects.filter(status="active")))
    agency_kind("rule_run", _first(RuleRun.objects.filter(rule=rule_mine)),
                _first(RuleRun.objects.filter(rule=rule_other)) if rule_other else None, lambda r: r.rule.agency_id)
    # Surveys
    result = xlsform.form_import_xlsform(actor=admin, data=xlsform.example_bytes(), filename="contoh.xlsx")
    form = surveys.form_set_status(actor=admin, form=result.form, status="published")
    survey_round = surveys.round_create(actor=admin, form=form, name="Putaran Uji Keamanan", kind="baseline",
                                        period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
                                        target_rws=[h.rt.rw])
    survey_round = surveys.round_set_status(actor=admin, survey_round=survey_round, status="open")
    K["form"] = Kind(form)
    K["question"] = Kind(_first(Question.objects.filter(form=form, kind__in=["single", "multiple"])))
    K["round"] = Kind(survey_round)
    K["fmt_export"] = Kind("csv")
    # Meetings (RW-scoped)
    K["meeting"] = Kind(_first(Meeting.objects.filter(rw=h.rt.rw)), _first(Meeting.objects.filter(rw=h2.rt.rw)))
    K["need"] = Kind(_first(Need.objects.filter(rw=h.rt.rw)), _first(Need.objects.filter(rw=h2.rt.rw)))
    # Programs
    enr = _first(Enrollment.objects.filter(household=h))
    enr2 = _first(Enrollment.objects.filter(household=h2))
    agency_kind("program", enr.program, enr2.program, lambda p: p.agency_id)
    agency_kind("enrollment", enr, enr2, lambda e: e.program.agency_id)
    K["funding"] = Kind(_first(FundingSource.objects))
    K["policy"] = Kind(_first(OverlapPolicy.objects))
    ref = _first(Referral.objects)
    mine_agency = ref.to_program.agency_id  # the sending agency sees its referral too: the other has neither side
    agency_kind("referral", ref, _first(Referral.objects.exclude(to_program__agency_id=mine_agency)
                                        .exclude(from_program__agency_id=mine_agency)),
                lambda r: r.to_program.agency_id)
    # Cash
    K["institution"] = Kind(_first(PaymentInstitution.objects))
    payment = _first(Payment.objects.filter(entitlement__household=h))
    cycle = payment.entitlement.cycle
    payment = _first(Payment.objects.filter(entitlement__cycle__program__agency_id=h_agency, receipt__isnull=False)) \
        or payment
    agency_kind("cycle", cycle, _first(Cycle.objects.exclude(program__agency_id=cycle.program.agency_id)),
                lambda c: c.program.agency_id)
    agency_kind("cash_program", cycle.program,
                _first(Program.objects.filter(cash_scheme__isnull=False).exclude(agency_id=cycle.program.agency_id)),
                lambda p: p.agency_id)
    agency_kind("batch", payment.batch, _first(Batch.objects.exclude(cycle__program__agency_id=cycle.program.agency_id)),
                lambda b: b.cycle.program.agency_id)
    agency_kind("payment", payment,
                _first(Payment.objects.exclude(entitlement__cycle__program__agency_id=cycle.program.agency_id)),
                lambda p: p.entitlement.cycle.program.agency_id)
    upload = _first(ResultUpload.objects.filter(cycle__program__agency_id=cycle.program.agency_id))
    agency_kind("upload", upload,
                _first(ResultUpload.objects.exclude(cycle__program__agency_id=cycle.program.agency_id)),
                lambda u: u.cycle.program.agency_id)
    agency_kind("entitlement", payment.entitlement,
                _first(Entitlement.objects.exclude(cycle__program__agency_id=cycle.program.agency_id)),
                lambda e: e.cycle.program.agency_id)
    # Training
    course = _first(Course.objects.filter(status="running")) or _first(Course.objects)
    course2 = _first(Course.objects.exclude(program__agency_id=course.program.agency_id))
    agency_kind("course", course, course2, lambda c: c.program.agency_id)
    agency_kind("session", _first(CourseSession.objects.filter(course=course)),
                _first(CourseSession.objects.filter(course=course2)), lambda s: s.course.program.agency_id)
    agency_kind("participant", _first(Participant.objects.filter(course=course)),
                _first(Participant.objects.filter(course=course2)), lambda p: p.course.program.agency_id)
    cert = _first(Certificate.objects.filter(revoked_at=None)) or _first(Certificate.objects)
    agency_kind("certificate", cert,
                _first(Certificate.objects.exclude(participant__course__program__agency_id=cert.participant.course.program.agency_id)),
                lambda c: c.participant.course.program.agency_id)
    K["certificate_code"] = Kind(cert.code)
    # Jobs
    vacancy = _first(JobReferral.objects).vacancy
    JobReferral.objects.create(vacancy=vacancy, resident=_member(h), household=h, status="referred",
                               referring_agency_id=h_agency, referred_by=admin)  # one awaiting its outcome
    agency_kind("vacancy", vacancy, _first(Vacancy.objects.exclude(company_id=vacancy.company_id)),
                lambda v: v.company_id)
    agency_kind("job_referral", JobReferral.objects.filter(vacancy=vacancy).order_by("-pk").first(),
                _first(JobReferral.objects.exclude(vacancy__company_id=vacancy.company_id)), lambda r: r.vacancy.company_id)
    # UMKM
    business = _first(Business.objects.filter(capital__isnull=False))
    agency_kind("business", business, _first(Business.objects.exclude(program__agency_id=business.program.agency_id)),
                lambda b: b.program.agency_id)
    K["business_program"] = Kind(business.program, None, business.program.agency_id)
    K["business_owner"] = Kind(business.owner, None, business.program.agency_id)
    capital = _first(CapitalSupport.objects.filter(business=business, repayments__isnull=False))
    agency_kind("capital", capital,
                _first(CapitalSupport.objects.exclude(business__program__agency_id=business.program.agency_id)),
                lambda c: c.business.program.agency_id)
    agency_kind("repayment", _first(Repayment.objects.filter(loan=capital, reversed_at=None)),
                _first(Repayment.objects.exclude(loan__business__program__agency_id=business.program.agency_id)),
                lambda r: r.loan.business.program.agency_id)
    _education_kinds(w, admin, h, h2)
    _health_kinds(w, admin, h, h2, pos, pos2)
    for app in WORLD_APPS:  # the apps that keep their kinds in world_<app>.py
        import_module(f"tests.security.world_{app}").add_kinds(w, admin, h, h2, pos, pos2)
    missing = [name for name, kind in K.items() if kind.mine is None]
    assert not missing, f"the world lacks objects of kind {missing}"
    w.seconds = time.monotonic() - start
    return w


def _education_kinds(w: World, admin, h, h2) -> None:
    """Schools (kelurahan-wide, no scope); the demo's education program and a second one of another agency,
    each with a student, so an officer's object rule (the student's programs' agency) has both sides."""
    from bansos.accounts.models import Agency
    from bansos.education.access import LIVE_STATES
    from bansos.education.models import School, Student
    from bansos.programs.models import Enrollment, Program
    from bansos.programs.services.programs import program_create

    K = w.kinds
    live = Enrollment.objects.filter(state__in=LIVE_STATES, program__kind="education")
    agencies: dict[int, set[int]] = {}
    for resident_id, agency_id in live.values_list("resident_id", "program__agency_id"):
        agencies.setdefault(resident_id, set()).add(agency_id)
    # Two students of one agency's programs each: the first stays as the demo made it; the second is moved to
    # a program of another agency (its demo enrollments exited), so both sides have a student.
    students = Student.objects.select_related("resident__household").exclude(resident__household__in=[h, h2])
    single = [s for s in students.order_by("pk") if len(agencies.get(s.resident_id, ())) == 1]
    student = single[0]
    student2 = next(s for s in single if s.resident.household_id != student.resident.household_id)
    mine_agency = next(iter(agencies[student.resident_id]))
    mine = _first(Program.objects.filter(kind="education", enrollments__in=live.filter(resident=student.resident)))
    other_agency = w.other_household_agency if w.other_household_agency != mine_agency else _first(
        Program.objects.exclude(agency_id=mine_agency)).agency_id
    other = program_create(actor=admin, data={
        "name": "Bantuan Pendidikan Lembaga Lain", "kind": "education", "agency": Agency.objects.get(pk=other_agency),
        "participant": "resident", "description": "uji keamanan", "target_groups": ["children"],
        "benefit_kind": "stipend", "benefit_description": "uji", "benefit_amount": 100_000, "benefit_periods": 12,
        "start_date": dt.date(2026, 7, 1), "end_date": dt.date(2027, 6, 30), "capacity": None})
    live.filter(resident=student2.resident).update(state="exited")
    Enrollment.objects.create(program=other, household=student2.resident.household, resident=student2.resident,
                              state="active", applied_by=admin)
    K["school"] = Kind(_first(School.objects))
    K["edu_program"] = Kind(mine, other, mine_agency, other_agency)
    K["student"] = Kind(student, student2, mine_agency, other_agency)
    K["student_resident"] = Kind(student.resident, student2.resident, mine_agency, other_agency)
    K["student_nik"] = Kind(student.resident.nik, student2.resident.nik, mine_agency, other_agency)
    K["school_age"] = Kind(_first(student.resident.__class__.objects.filter(
        status="active", school_enrolment__in=["dropped_out", "never"], birth_date__gte=dt.date(2009, 1, 1),
        birth_date__lte=dt.date(2018, 1, 1))) or student.resident)


def _toddler(admin, household, serial: str):
    """A child of 17 months added to ``household`` (the small world's posyandu area may have no under-five)."""
    from bansos.registry.services import resident_add

    today = dt.date.today()
    born = dt.date(today.year - 1, max(1, today.month - 5), 15)
    region = household.residents.exclude(nik="").values_list("nik", flat=True).first()[:6]
    return resident_add(actor=admin, household=household, data={
        "nik": f"{region}{born:%d%m%y}{serial}", "full_name": "Anak Uji Keamanan", "sex": "L", "birth_date": born,
        "relation": "child"})


def _health_kinds(w: World, admin, h, h2, pos, pos2) -> None:
    """Health records on both sides: "mine" in the area of the in-scope cadre's posyandu (a toddler of the
    in-scope resident's own household, so even a parent is refused their child's record), "other" in the other's."""
    from bansos.core.models import RT
    from bansos.health.models import GrowthAlert, PosyanduSession
    from bansos.health.models_maternal import EducationSession, Pregnancy
    from bansos.health.services import visit_record
    from bansos.health.services_outreach import referral_create

    K = w.kinds
    rts = set(RT.objects.filter(posyandus=pos).values_list("pk", flat=True))
    rts2 = set(RT.objects.filter(posyandus=pos2).values_list("pk", flat=True))
    assert not rts & rts2, "the two posyandu of the world must serve different RTs"
    sessions, children, visits, alerts, referrals = [], [], [], [], []
    for posyandu, household, serial in ((pos, h, "9901"), (pos2, h2, "9902")):
        session = PosyanduSession.objects.filter(posyandu=posyandu).order_by("-month").first()
        child = _toddler(admin, household, serial)
        visit = visit_record(actor=admin, session=session, child=child, data={
            "visit_date": session.date, "weight_kg": "10,2", "length_cm": "79,5", "position": "lying"})
        sessions.append(session)
        children.append(child)
        visits.append(visit)
        alerts.append(GrowthAlert.objects.filter(visit=visit, resolved=False).first()
                      or GrowthAlert.objects.create(kind="2t", child=child, visit=visit))
        referrals.append(referral_create(actor=admin, resident=child, data={
            "date": session.date, "referred_to": "puskesmas", "reason": HEALTH_MARKER, "facility": HEALTH_MARKER}))
    K["health_session"] = Kind(*sessions)
    K["child"] = Kind(*children)
    K["visit"] = Kind(*visits)
    K["alert"] = Kind(*alerts)
    K["health_referral"] = Kind(*referrals)
    pregnancies = [_first(Pregnancy.objects.filter(status="ongoing", household__rt_id__in=r)) for r in (rts, rts2)]
    K["pregnancy"] = Kind(*pregnancies)
    K["mother"] = Kind(*(p.mother if p else None for p in pregnancies))
    K["health_edu"] = Kind(_first(EducationSession.objects.filter(posyandu=pos)),
                           _first(EducationSession.objects.filter(posyandu=pos2)))
