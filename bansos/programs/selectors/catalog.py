"""Reads for the catalog pages: the list of every agency's programs, one program's page, funding
sources and overlap policies. None of it is personal data: enrollment figures are counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _t

from bansos.accounts.models import Agency, Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import NotFoundError
from bansos.eligibility import engine
from bansos.eligibility.models import EligibilityRule
from bansos.eligibility.selectors import rules_visible
from bansos.programs.access import can_program
from bansos.programs.models import (
    PROGRAM_TRANSITIONS, Allocation, Enrollment, EnrollmentState, FundingSource, OverlapPolicy, PolicyEffect,
    Program, ProgramStatus, TargetGroup,
)

# Programs people can act on come first in the catalog; closed ones last.
_STATUS_RANK = Case(
    When(status=ProgramStatus.OPEN, then=Value(0)),
    When(status=ProgramStatus.RUNNING, then=Value(1)),
    When(status=ProgramStatus.DRAFT, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def program_list(
    *, kind: str = "", agency_id: int | None = None, status: str = "", target_group: str = "", q: str = ""
) -> QuerySet[Program]:
    """Every program of every agency, filtered; open and running ones first."""
    qs = Program.objects.select_related("agency")
    if kind:
        qs = qs.filter(kind=kind)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if status:
        qs = qs.filter(status=status)
    if target_group in TargetGroup.values:
        # target_groups is a JSON list of codes. SQLite has no JSON containment lookup, so match the
        # quoted code in the stored text, which both databases render the same way ("youth").
        qs = qs.filter(target_groups__icontains=f'"{target_group}"')
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q) | Q(agency__name__icontains=q)
                       | Q(benefit_description__icontains=q))
    return qs.annotate(status_rank=_STATUS_RANK).order_by("status_rank", "name", "pk")


def agencies_with_programs() -> QuerySet[Agency]:
    return Agency.objects.filter(programs__isnull=False).distinct().order_by("name")


def program_get(*, pk: int) -> Program:
    program = Program.objects.select_related("agency", "rule", "rule__agency", "created_by").filter(pk=pk).first()
    if program is None:
        raise NotFoundError()
    return program


def target_group_labels(program: Program) -> list[str]:
    labels = dict(TargetGroup.choices)
    return [str(labels[g]) for g in program.target_groups if g in labels]


@dataclass(frozen=True)
class RuleInfo:
    rule: EligibilityRule
    text: str  # the rule's latest version in plain Indonesian
    url: str | None  # the rule's page, when the user may open it


def program_rule(*, user, program: Program) -> RuleInfo | None:
    """The program's eligibility rule, described; linked only for users who may read the rule."""
    rule = program.rule
    if rule is None:
        return None
    version = rule.versions.order_by("-number").first()
    text = engine.describe(version.expression) if version else ""
    # The rule's own page decides who reads it; link only where it would open.
    readable = has_role_perm(user, P.RULES_MANAGE) and rules_visible(user).filter(pk=rule.pk).exists()
    url = reverse("eligibility:rule_detail", args=[rule.pk]) if readable else None
    return RuleInfo(rule=rule, text=text, url=url)


def program_allocations(program: Program) -> list[Allocation]:
    return list(program.allocations.select_related("source", "actor").order_by("-created_at", "-pk"))


def _enrollment_list_url(program: Program) -> str | None:
    # The enrollment pages are another part of the app; link to them once they exist.
    try:
        return reverse("programs:enrollment_list", args=[program.pk])
    except NoReverseMatch:
        return None


def enrollment_counts(*, user, program: Program) -> dict:
    """Participants per state (counts only), with links to the list for those who manage enrollments."""
    counts = dict(
        Enrollment.objects.filter(program=program).values_list("state").annotate(n=Count("pk")).order_by()
    )
    url = _enrollment_list_url(program) if can_program(user, P.ENROLLMENT_MANAGE, program) else None
    rows = [
        {"state": state, "label": label, "count": counts.get(state, 0),
         "url": f"{url}?state={state}" if url else None}
        for state, label in EnrollmentState.choices
    ]
    return {"rows": rows, "total": sum(counts.values()), "url": url}


def status_actions(program: Program) -> list[dict]:
    """The buttons that move the program on, in a stable order, with what each one does."""
    labels = {
        (ProgramStatus.DRAFT, ProgramStatus.OPEN): _t("Buka pendaftaran"),
        (ProgramStatus.OPEN, ProgramStatus.RUNNING): _t("Mulai berjalan"),
        (ProgramStatus.OPEN, ProgramStatus.DRAFT): _t("Kembalikan ke draf"),
        (ProgramStatus.RUNNING, ProgramStatus.OPEN): _t("Buka kembali pendaftaran"),
    }
    order = [ProgramStatus.OPEN, ProgramStatus.RUNNING, ProgramStatus.DRAFT, ProgramStatus.CLOSED]
    allowed = PROGRAM_TRANSITIONS.get(ProgramStatus(program.status), set())
    actions = []
    for target in order:
        if target not in allowed:
            continue
        label = labels.get((program.status, target)) or _t("Tutup program")
        actions.append({"status": target.value, "label": label, "danger": target == ProgramStatus.CLOSED})
    return actions


# --- Funding sources ---------------------------------------------------------------------------


def funding_list() -> QuerySet[FundingSource]:
    return FundingSource.objects.select_related("agency").annotate(
        program_count=Count("allocations__program", distinct=True)
    ).order_by("-fiscal_year", "name", "pk")


def funding_get(*, pk: int) -> FundingSource:
    source = FundingSource.objects.select_related("agency").filter(pk=pk).first()
    if source is None:
        raise NotFoundError()
    return source


def funding_allocations(source: FundingSource) -> list[Allocation]:
    return list(source.allocations.select_related("program", "actor").order_by("-created_at", "-pk"))


def sources_usable_by(*, user, program: Program) -> QuerySet[FundingSource]:
    """Sources the user may allocate from to ``program`` (the same rule as ``source_usable_by``)."""
    qs = FundingSource.objects.select_related("agency").order_by("-fiscal_year", "name", "pk")
    if user.role == Role.ADMIN:
        return qs
    return qs.filter(Q(shared=True) | Q(agency_id=program.agency_id))


def program_sources(program: Program) -> list[dict]:
    """What each source has given the program, net of withdrawals (the most that can be taken back)."""
    rows = (
        Allocation.objects.filter(program=program).values("source_id", "source__name", "source__fiscal_year")
        .annotate(total=Sum("amount")).order_by("source__name")
    )
    return [r for r in rows if r["total"]]


# --- Overlap policies --------------------------------------------------------------------------


def policy_list() -> list[OverlapPolicy]:
    return list(OverlapPolicy.objects.order_by("-is_active", "kind_a", "kind_b"))


def policy_get(*, pk: int) -> OverlapPolicy:
    policy = OverlapPolicy.objects.filter(pk=pk).first()
    if policy is None:
        raise NotFoundError()
    return policy


def policy_sentence(policy: OverlapPolicy) -> str:
    """The policy in one plain sentence, as officers will meet it at approval."""
    a, b = policy.get_kind_a_display(), policy.get_kind_b_display()
    when = (
        _t("bila periode kedua program bertumpang tindih") if policy.same_period else _t("kapan pun periodenya")
    )
    if policy.effect == PolicyEffect.FORBID:
        if policy.kind_a == policy.kind_b:
            text = _t("Satu keluarga tidak boleh disetujui di dua program %(a)s sekaligus, %(when)s.")
        else:
            text = _t(
                "Keluarga yang menerima program %(a)s tidak boleh disetujui di program %(b)s (dan sebaliknya), "
                "%(when)s."
            )
    elif policy.kind_a == policy.kind_b:
        text = _t(
            "Menyetujui keluarga di program %(a)s kedua memunculkan peringatan, %(when)s; petugas harus "
            "mengonfirmasi bahwa ia sudah memeriksanya."
        )
    else:
        text = _t(
            "Menyetujui keluarga penerima program %(a)s di program %(b)s (atau sebaliknya) memunculkan "
            "peringatan, %(when)s; petugas harus mengonfirmasi bahwa ia sudah memeriksanya."
        )
    return text % {"a": a, "b": b, "when": when}
