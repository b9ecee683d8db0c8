"""Reads of the portal: the public catalog, the questionnaire's suggestions, and the resident's own household.

Public reads return programs' public fields only (never budgets, seats or anyone's data). The household
reads take the signed-in resident and read that household only; ids from a URL are looked up inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role
from bansos.core.errors import NotFoundError, PermissionDeniedError
from bansos.portal.services.applications import APPLYING, open_for_residents
from bansos.portal.services.status import plain_state
from bansos.programs.models import OPEN_STATES, Enrollment, Participant, Program, ProgramKind, TargetGroup
from bansos.registry.models import Household, Resident, ResidentStatus

PUBLIC_STATUSES = APPLYING  # open and running programs are listed
PUBLIC_FIELDS = ("pk", "name", "kind", "agency__name", "agency__kind", "agency__contact", "description",
                 "target_groups", "participant", "benefit_kind", "benefit_description", "start_date", "end_date",
                 "status", "how_to_apply", "contact", "resident_applications", "rule_id")


def _public() -> QuerySet[Program]:
    return (Program.objects.filter(status__in=PUBLIC_STATUSES).select_related("agency")
            .only(*[f for f in PUBLIC_FIELDS if f != "pk"]).order_by("name", "pk"))


def group_labels(groups) -> list[str]:
    labels = dict(TargetGroup.choices)
    return [str(labels[g]) for g in groups or [] if g in labels]


def catalog_programs(*, q: str = "", kind: str = "", target: str = "") -> list[Program]:
    rows = _public()
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(description__icontains=q) | Q(agency__name__icontains=q)
                           | Q(benefit_description__icontains=q))
    if kind in ProgramKind.values:
        rows = rows.filter(kind=kind)
    programs = list(rows[:200])
    if target in TargetGroup.values:
        # JSON containment differs between SQLite and PostgreSQL; the catalog is small, filter here.
        programs = [p for p in programs if target in (p.target_groups or [])]
    for p in programs:
        p.group_labels = group_labels(p.target_groups)
        p.open_for_residents = open_for_residents(p)
    return programs


def program_public_get(pk: int) -> Program:
    program = _public().filter(pk=pk).first()
    if program is None:
        raise NotFoundError()
    program.group_labels = group_labels(program.target_groups)
    program.open_for_residents = open_for_residents(program)
    return program


def program_rule_text(program: Program) -> str:
    """The program's active eligibility rule in plain words ("" when it has none)."""
    if not program.rule_id:
        return ""
    from bansos.eligibility import engine
    from bansos.eligibility.models import RuleStatus
    from bansos.eligibility.selectors import rule_latest_version

    rule = program.rule
    if rule.status != RuleStatus.ACTIVE:
        return ""
    version = rule_latest_version(rule)
    return engine.describe(version.expression) if version else ""


# --- The anonymous questionnaire -------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    key: str
    text: Any
    group: str  # the target group a "yes" points to
    predicate: str  # the eligibility predicate the staff's rules use for the same fact


QUESTIONS = (
    Question("female_head", _("Apakah kepala keluarga Anda seorang perempuan?"), TargetGroup.FEMALE_HEAD,
             "female_head"),
    Question("children", _("Apakah ada anak balita atau anak usia sekolah (7–18 tahun) di keluarga?"),
             TargetGroup.CHILDREN, "has_school_age"),
    Question("pregnant", _("Apakah ada anggota keluarga yang sedang hamil?"), TargetGroup.PREGNANT, "has_pregnant"),
    Question("youth", _("Apakah ada anggota keluarga berusia 16–30 tahun?"), TargetGroup.YOUTH, "has_youth"),
    Question("elderly", _("Apakah ada anggota keluarga berusia 60 tahun atau lebih?"), TargetGroup.ELDERLY,
             "has_elderly"),
    Question("disability", _("Apakah ada anggota keluarga penyandang disabilitas?"), TargetGroup.DISABILITY,
             "has_disability"),
    Question("business", _("Apakah ada yang berjualan atau punya usaha kecil (warung, jasa, makanan)?"),
             TargetGroup.MICRO_BUSINESS, "head_employment"),
    Question("hardship", _("Apakah penghasilan keluarga sering tidak cukup untuk kebutuhan pokok bulanan?"),
             TargetGroup.POOR, "monthly_income"),
)


def suggestions(answers: dict[str, bool]) -> dict[str, Any]:
    """Programs that may suit a family with these answers, each with the reason; nothing is stored."""
    chosen = {q.group: q for q in QUESTIONS if answers.get(q.key)}
    labels = dict(TargetGroup.choices)
    matched, for_all = [], []
    for program in catalog_programs():
        groups = program.target_groups or []
        if not groups:
            for_all.append({"program": program, "reasons": [], "rule": program_rule_text(program)})
            continue
        hits = [g for g in groups if g in chosen]
        if hits:
            reasons = [_t("Program ini untuk %(group)s, dan Anda menjawab ya untuk: “%(question)s”") % {
                "group": str(labels[g]).lower(), "question": chosen[g].text} for g in hits]
            matched.append({"program": program, "reasons": reasons, "rule": program_rule_text(program)})
    matched.sort(key=lambda row: (-len(row["reasons"]), row["program"].name))
    return {"matched": matched, "for_all": for_all, "answered": bool(chosen)}


# --- The signed-in resident's household ------------------------------------------------------------------


def resident_household(user) -> Household:
    if not (user.is_authenticated and user.role == Role.RESIDENT and user.household_id):
        raise PermissionDeniedError()
    household = Household.objects.select_related("rt__rw").filter(pk=user.household_id).first()
    if household is None:
        raise NotFoundError()
    return household


def own_member(user, resident_id) -> Resident:
    """A member of the user's own household; another household's id is simply not found."""
    person = Resident.objects.filter(pk=resident_id, household_id=user.household_id,
                                     status=ResidentStatus.ACTIVE).first()
    if person is None:
        raise NotFoundError()
    return person


def members(household: Household) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [{"pk": r.pk, "name": r.full_name, "relation": r.get_relation_display(), "age": r.age(today),
             "sex": r.sex} for r in household.residents.filter(status=ResidentStatus.ACTIVE)
            .order_by("birth_date", "pk")]


def enrollments(household: Household) -> list[dict[str, Any]]:
    rows = (Enrollment.objects.filter(household=household).select_related("program__agency", "resident")
            .order_by("-applied_at", "-pk"))
    return [{"pk": e.pk, "program": e.program.name, "program_id": e.program_id, "agency": e.program.agency.name,
             "who": e.resident.full_name if e.resident_id else _t("Seluruh keluarga"), "state": e.state,
             "state_label": plain_state(e.state), "open": e.state in OPEN_STATES,
             "applied_at": e.applied_at, "channel": e.get_channel_display()} for e in rows]


def upcoming_sessions(household: Household, *, limit: int = 10) -> list[dict[str, Any]]:
    """Training sessions from today on, of the household's active course participants."""
    from bansos.training.models import CourseSession, ParticipantState

    today = timezone.localdate()
    rows = (CourseSession.objects.filter(date__gte=today, course__participants__household=household,
                                         course__participants__state=ParticipantState.ACTIVE)
            .select_related("course").distinct().order_by("date", "start_time", "pk")[:limit])
    return [{"date": s.date, "time": s.start_time, "place": s.place, "course": s.course.title,
             "topic": s.topic} for s in rows]


def payments(*, user, household: Household) -> list[dict[str, Any]]:
    """Cash entitlements in a resident's words (the cash app's own panel data)."""
    from bansos.cash.panels import household_payments

    panel = household_payments(user=user, household=household)
    if not panel:
        return []
    return [{"program": row["program"], "cycle": row["cycle_label"], "amount": row["amount"],
             "status": row["status"], "badge": row["badge"]} for row in panel["entitlements"]]


def eligibility_hints(household: Household) -> list[dict[str, Any]]:
    """Open programs whose active rule the household meets and that it is not in yet."""
    from bansos.eligibility import engine
    from bansos.eligibility.selectors import household_rules_met

    met = {row["rule"].pk: row for row in household_rules_met(household=household)}
    if not met:
        return []
    taken = set(Enrollment.objects.filter(household=household, state__in=OPEN_STATES)
                .values_list("program_id", flat=True))
    out = []
    for program in _public().filter(rule_id__in=list(met)):
        if program.pk in taken:
            continue
        out.append({"program": program, "rule_text": engine.describe(met[program.rule_id]["version"].expression),
                    "can_apply": open_for_residents(program)})
    return out


def applicable_programs(household: Household) -> list[Program]:
    """Programs the resident may apply to from the portal now."""
    return [p for p in catalog_programs() if p.open_for_residents]


def apply_choices(*, program: Program, household: Household) -> list[dict[str, Any]]:
    """Who may be the participant: the active members (person programs) or the household (household programs)."""
    if program.participant != Participant.RESIDENT:
        return []
    taken = set(Enrollment.objects.filter(program=program, household=household, state__in=OPEN_STATES)
                .values_list("resident_id", flat=True))
    return [{**m, "taken": m["pk"] in taken} for m in members(household)]


def household_taken(*, program: Program, household: Household) -> bool:
    return Enrollment.objects.filter(program=program, household=household, resident__isnull=True,
                                     state__in=OPEN_STATES).exists()


def home(*, user) -> dict[str, Any]:
    from bansos.portal.sections import portal_sections

    household = resident_household(user)
    return {
        "household": household, "members": members(household), "enrollments": enrollments(household),
        "sessions": upcoming_sessions(household), "payments": payments(user=user, household=household),
        "hints": eligibility_hints(household), "sections": portal_sections(user=user, household=household),
    }
