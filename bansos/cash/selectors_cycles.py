"""Reads of the cash pages: the overview, a program's cycles, one cycle, its entitlements, the household panel.

Every list is a bounded query: figures per state come from one aggregate over the (cycle, state)
index, table rows from one page of entitlements, the latest cycle of each program from one subquery.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_perm, has_role_perm
from bansos.cash.access import can_approve_cash, can_manage_cash, can_record_account, can_view_cycle
from bansos.cash.amounts import COMPONENTS
from bansos.cash.models import (
    CashScheme, Cycle, CycleState, Entitlement, EntitlementState, InstitutionKind, PayeeAccount, Payment,
    PaymentInstitution, PaymentStatus,
)
from bansos.core.errors import NotFoundError
from bansos.core.formats import mask_nik, tanggal
from bansos.programs.models import BenefitKind, Enrollment, Program, ProgramStatus

CASH_BENEFITS = (BenefitKind.MONEY, BenefitKind.STIPEND)

# Why generation left an enrollment out (codes of services.cycles.cycle_generate).
EXCLUSION_LABELS = {
    "household_inactive": _("Keluarga tidak aktif (pindah, bubar atau meninggal semua)"),
    "no_head": _("Keluarga tanpa kepala keluarga yang aktif"),
    "participant_inactive": _("Peserta perorangan tidak aktif lagi"),
    "zero_amount": _("Tidak ada anggota yang dihitung (nilai Rp 0)"),
    "suspended": _("Kepesertaan sedang ditangguhkan"),
}
BREAKDOWN_CAP = _("dipotong batas per keluarga")

# Running programs first (they have cycles to pay), then open, draft, closed.
_STATUS_RANK = Case(
    When(status=ProgramStatus.RUNNING, then=Value(0)),
    When(status=ProgramStatus.OPEN, then=Value(1)),
    When(status=ProgramStatus.DRAFT, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)

# The longest list of periods the create form offers (twenty years of months).
MAX_PERIOD_CHOICES = 240


# --- Programs --------------------------------------------------------------------------------------


def cash_program_get(*, user, pk: int) -> Program:
    """A program that pays money, for the cash pages of a user who may see its cycles."""
    from bansos.core.errors import PermissionDeniedError

    program = Program.objects.select_related("agency").filter(pk=pk, benefit_kind__in=CASH_BENEFITS).first()
    if program is None:
        raise NotFoundError()
    if not can_view_cycle(user, program):
        raise PermissionDeniedError()
    return program


def scheme_for(program: Program) -> CashScheme | None:
    return CashScheme.objects.select_related("institution").filter(program=program).first()


def cash_programs(*, user) -> QuerySet[Program]:
    """Programs paying money that the user manages (admins: all), each with its scheme and latest cycle id."""
    qs = Program.objects.filter(benefit_kind__in=CASH_BENEFITS).select_related("agency", "cash_scheme__institution")
    if user.role != Role.ADMIN:
        if not (has_role_perm(user, P.CASH_MANAGE) and user.agency_id):
            return qs.none()
        qs = qs.filter(agency_id=user.agency_id)
    latest = Cycle.objects.filter(program=OuterRef("pk")).order_by("-period_start", "-pk").values("pk")[:1]
    return qs.annotate(latest_cycle_id=Subquery(latest), status_rank=_STATUS_RANK).order_by("status_rank", "name", "pk")


def attach_latest_cycles(programs: list[Program]) -> list[Program]:
    """Set ``latest_cycle`` on each program of one page (one query for the page)."""
    ids = [p.latest_cycle_id for p in programs if p.latest_cycle_id]
    cycles = Cycle.objects.in_bulk(ids)
    for program in programs:
        program.latest_cycle = cycles.get(program.latest_cycle_id)
        try:
            program.scheme = program.cash_scheme
        except CashScheme.DoesNotExist:
            program.scheme = None
    return programs


def approval_queue(*, user) -> dict[str, Any]:
    """Generated cycles waiting for a checker: those this user may approve, and those the user made."""
    if not can_approve_cash(user):
        return {"mine_to_approve": [], "made_by_me": []}
    waiting = (Cycle.objects.filter(state=CycleState.GENERATED)
               .select_related("program__agency", "generated_by").order_by("generated_at", "pk"))
    to_approve, mine = [], []
    for cycle in waiting[:200]:
        (mine if cycle.generated_by_id == user.pk else to_approve).append(cycle)
    return {"mine_to_approve": to_approve, "made_by_me": mine}


# --- Cycles of a program ---------------------------------------------------------------------------


def program_cycles(program: Program) -> QuerySet[Cycle]:
    return Cycle.objects.filter(program=program).select_related("institution").order_by("-period_start", "-pk")


def period_choices(program: Program, scheme: CashScheme, *, today: dt.date) -> tuple[list[tuple[str, str]], str]:
    """(choices, initial) of the first days of the months a new periodic cycle may start on.

    Months that already have a live cycle are left out; the initial choice is the first free month
    from this month on (or the first free one at all).
    """
    from bansos.cash.services.cycles import period_for

    taken = set(Cycle.objects.filter(program=program).exclude(state=CycleState.CANCELLED)
                .values_list("period_start", flat=True))
    month = program.start_date.replace(day=1)
    choices: list[tuple[str, str]] = []
    initial = ""
    while month <= program.end_date and len(choices) < MAX_PERIOD_CHOICES:
        if month not in taken:
            value = month.isoformat()
            choices.append((value, str(period_for(scheme.frequency, month)[2])))
            if not initial and month >= today.replace(day=1):
                initial = value
        month = (month + dt.timedelta(days=32)).replace(day=1)
    if not initial and choices:
        initial = choices[0][0]
    return choices, initial


# --- One cycle -------------------------------------------------------------------------------------


def cycle_get(*, user, pk: int) -> Cycle:
    """One cycle with who did what, for a user who may see it (NotFound / PermissionDenied otherwise)."""
    from bansos.core.errors import PermissionDeniedError

    cycle = (Cycle.objects.select_related("program__agency", "institution", "created_by", "generated_by",
                                          "approved_by", "cancelled_by").filter(pk=pk).first())
    if cycle is None:
        raise NotFoundError()
    if not can_view_cycle(user, cycle.program):
        raise PermissionDeniedError()
    return cycle


@dataclass
class StateFigure:
    state: str
    label: Any
    count: int = 0
    amount: int = 0


@dataclass
class CycleFigures:
    planned_count: int
    planned_amount: int
    paid_count: int
    paid_amount: int
    cancelled_count: int
    cancelled_amount: int
    states: dict[str, StateFigure] = field(default_factory=dict)

    @property
    def payable_amount(self) -> int:
        """What is still meant to be paid: planned less cancelled."""
        return self.planned_amount - self.cancelled_amount

    @property
    def paid_pct(self) -> int:
        whole = self.payable_amount
        return 0 if whole <= 0 else max(0, min(100, self.paid_amount * 100 // whole))

    def __getitem__(self, state: str) -> StateFigure:
        return self.states[state]


def cycle_figures(cycle: Cycle) -> CycleFigures:
    """Counts and amounts per entitlement state (one aggregate query) beside the cycle's running totals."""
    figures = CycleFigures(cycle.planned_count, cycle.planned_amount, cycle.paid_count, cycle.paid_amount,
                           cycle.cancelled_count, cycle.cancelled_amount)
    for value, label in EntitlementState.choices:
        figures.states[value] = StateFigure(value, label)
    rows = (Entitlement.objects.filter(cycle=cycle).order_by().values("state")
            .annotate(n=Count("pk"), s=Sum("amount")))
    for row in rows:
        if row["state"] in figures.states:
            figures.states[row["state"]].count = row["n"]
            figures.states[row["state"]].amount = row["s"] or 0
    return figures


def generation_rows(cycle: Cycle) -> dict[str, Any] | None:
    """The generation report as labelled rows, or None before the list was made."""
    report = cycle.generation_report or {}
    if not report:
        return None
    excluded = [{"code": code, "label": EXCLUSION_LABELS.get(code, code), "count": count}
                for code, count in sorted((report.get("excluded") or {}).items()) if count]
    return {"included": report.get("included", 0), "amount": report.get("amount", 0), "excluded": excluded,
            "excluded_total": sum(row["count"] for row in excluded)}


def timeline(cycle: Cycle) -> list[dict[str, Any]]:
    """What happened to the cycle, in order: made, list generated, approved, closed or cancelled."""
    steps = [{"label": _t("Siklus dibuat"), "at": cycle.created_at, "by": cycle.created_by, "done": True}]
    steps.append({"label": _t("Daftar penerima dibuat"), "at": cycle.generated_at, "by": cycle.generated_by,
                  "done": cycle.generated_at is not None})
    if cycle.state == CycleState.CANCELLED:
        if cycle.approved_at:
            steps.append({"label": _t("Disetujui"), "at": cycle.approved_at, "by": cycle.approved_by, "done": True})
        steps.append({"label": _t("Dibatalkan"), "at": cycle.cancelled_at, "by": cycle.cancelled_by, "done": True,
                      "reason": cycle.cancel_reason, "cancelled": True})
        return steps
    steps.append({"label": _t("Disetujui"), "at": cycle.approved_at, "by": cycle.approved_by,
                  "done": cycle.approved_at is not None})
    steps.append({"label": _t("Pembayaran dikirim"), "at": None, "by": None,
                  "done": cycle.state in (CycleState.PAYING, CycleState.CLOSED)})
    steps.append({"label": _t("Selesai"), "at": cycle.closed_at, "by": None, "done": cycle.closed_at is not None})
    return steps


def cycle_actions(*, user, cycle: Cycle) -> dict[str, Any]:
    """What this user may do to the cycle now, and why not where a checker would expect a button."""
    manage = can_manage_cash(user, cycle.program)
    approver = can_approve_cash(user)
    state = cycle.state
    generated_by_me = cycle.generated_by_id is not None and cycle.generated_by_id == user.pk
    actions: dict[str, Any] = {
        "generate": manage and state in (CycleState.DRAFT, CycleState.GENERATED),
        "regenerate": state == CycleState.GENERATED,
        "approve": approver and state == CycleState.GENERATED and not generated_by_me,
        "cancel": manage and state in (CycleState.DRAFT, CycleState.GENERATED, CycleState.APPROVED),
        "approve_note": "",
        "next": "",
    }
    if state == CycleState.GENERATED:
        if approver and generated_by_me:
            actions["approve_note"] = _t(
                "Anda yang membuat daftar penerima siklus ini, jadi Anda tidak dapat menyetujuinya: persetujuan "
                "harus oleh orang lain (prinsip empat mata). Minta admin kelurahan lain menyetujui.")
        elif not approver:
            actions["approve_note"] = _t(
                "Menunggu persetujuan admin kelurahan. Yang membuat daftar penerima tidak dapat menyetujuinya sendiri.")
        elif not cycle.planned_count:
            actions["approve_note"] = _t("Daftar penerima kosong; tidak ada yang dapat disetujui.")
    # What comes next, said where the buttons would be.
    if state == CycleState.DRAFT and not manage:
        actions["next"] = _t("Menunggu petugas lembaga pelaksana membuat daftar penerima.")
    elif state == CycleState.APPROVED and manage:
        actions["next"] = _t("Siklus disetujui. Langkah berikutnya: buat berkas pembayaran di bagian Pembayaran.")
    elif state == CycleState.PAYING and manage:
        actions["next"] = _t(
            "Pembayaran berjalan: unggah hasil dari lembaga bayar dan tangani yang gagal di bagian Pembayaran.")
    return actions


def cycle_entitlements(cycle: Cycle, *, q: str = "", state: str = "") -> QuerySet[Entitlement]:
    """The cycle's entitlements, searched by name (part of it), NIK or KK number (whole or leading digits)."""
    qs = Entitlement.objects.filter(cycle=cycle)
    if state in EntitlementState.values:
        qs = qs.filter(state=state)
    q = " ".join((q or "").split())
    if q:
        digits = q.replace(" ", "")
        if digits.isdigit():
            qs = qs.filter(Q(recipient_nik__startswith=digits) | Q(kk_number__startswith=digits))
        else:
            qs = qs.filter(recipient_name__icontains=q)
    return qs.order_by("pk")


def breakdown_rows(entitlement: Entitlement) -> list[dict[str, Any]]:
    rows = []
    for item in entitlement.breakdown or []:
        code = item.get("code")
        label = BREAKDOWN_CAP if code == "cap" else COMPONENTS.get(code, code)
        rows.append({"label": label, "count": item.get("count", 0), "unit": item.get("unit", 0),
                     "amount": item.get("amount", 0), "cap": code == "cap"})
    return rows


def entitlement_rows(page_items, *, user) -> list[dict[str, Any]]:
    """One page of entitlements as plain values; NIK in full only for roles that see it (admins)."""
    full_nik = user.role == Role.ADMIN and has_role_perm(user, P.NIK_FULL)
    rows = []
    for e in page_items:
        rows.append({
            "pk": e.pk, "household_id": e.household_id, "name": e.recipient_name,
            "nik": e.recipient_nik if full_nik else mask_nik(e.recipient_nik), "kk": e.kk_number,
            "rt": e.rt_label, "amount": e.amount, "state": e.state, "state_label": e.get_state_display(),
            "attempts": e.attempts, "paid_on": e.paid_on, "cancel_reason": e.cancel_reason,
            "breakdown": breakdown_rows(e),
        })
    return rows


# --- The household page's panel ------------------------------------------------------------------


def entitlement_status(entitlement: Entitlement, last: Payment | None) -> tuple[str, str]:
    """(badge class, the sentence a resident reads) for one entitlement."""
    state, cycle_state = entitlement.state, entitlement.cycle.state
    if state == EntitlementState.PAID:
        return "paid", _t("Dibayar %(date)s") % {"date": tanggal(entitlement.paid_on)}
    if state == EntitlementState.CANCELLED:
        return "off", _t("Dibatalkan")
    if state == EntitlementState.FAILED:
        reason = (last.failure_reason if last else "") or _t("tanpa keterangan")
        return "danger", _t("Gagal: %(reason)s") % {"reason": reason}
    if cycle_state in (CycleState.DRAFT, CycleState.GENERATED):
        return "warn", _t("Menunggu persetujuan siklus")
    return "warn", _t("Dijadwalkan")


def household_panel(*, user, household, entitlements: list[Entitlement]) -> dict[str, Any] | None:
    """The "Bantuan tunai" section: visible entitlements with their attempts, and the payee accounts."""
    is_own = user.role == Role.RESIDENT and user.household_id == household.pk
    rows = []
    for e in entitlements:
        payments = list(e.payments.all())
        last = payments[-1] if payments else None
        badge, status = entitlement_status(e, last)
        rows.append({
            "program": e.cycle.program.name, "cycle_label": e.cycle.label, "amount": e.amount, "state": e.state,
            "badge": badge, "status": status, "attempts": e.attempts, "recipient": e.recipient_name,
            "cancel_reason": e.cancel_reason if not is_own else "",
            "cycle_url_id": e.cycle_id if can_view_cycle(user, e.cycle.program) else None,
            "payments": [{
                "attempt": p.attempt, "reference": p.reference, "status": p.status,
                "status_label": p.get_status_display(), "paid_on": p.paid_on, "reason": p.failure_reason,
                "pickup_code": p.pickup_code if p.status == PaymentStatus.SENT else "",
                "received": getattr(p, "receipt", None) is not None if p.status == PaymentStatus.PAID else False,
            } for p in payments],
        })
    can_record = can_record_account(user, household)
    see_accounts = can_record or is_own or user.role == Role.ADMIN
    full_number = account_number_in_full(user)
    accounts = []
    if see_accounts:
        for account in (PayeeAccount.objects.filter(household=household)
                        .select_related("institution", "updated_by").order_by("institution__name")):
            accounts.append({
                "institution": account.institution, "institution_id": account.institution_id,
                "number": account.account_number if full_number else masked_account(account.account_number),
                "name": account.account_name, "updated_at": account.updated_at, "updated_by": account.updated_by,
            })
    in_cash_program = bool(rows) or bool(accounts) or (can_record and Enrollment.objects.filter(
        household=household, program__cash_scheme__isnull=False).exists())
    if not in_cash_program:
        return None
    return {"entitlements": rows, "accounts": accounts, "show_accounts": see_accounts,
            "can_record": can_record and household.status == "active" and _has_account_institutions(),
            "is_own": is_own}


def account_number_in_full(user) -> bool:
    """RT/RW officers and cadres record accounts but read them back masked, as in the household history."""
    return user.role not in (Role.SURVEYOR, Role.CADRE)


def masked_account(number: str) -> str:
    return "*" * max(0, len(number) - 4) + number[-4:]


def _has_account_institutions() -> bool:
    return PaymentInstitution.objects.filter(is_active=True).exclude(kind=InstitutionKind.CASH_OFFICE).exists()


# --- Institutions and accounts ---------------------------------------------------------------------


def institution_list() -> QuerySet[PaymentInstitution]:
    return PaymentInstitution.objects.annotate(
        scheme_count=Count("schemes", distinct=True), account_count=Count("accounts", distinct=True),
    ).order_by("-is_active", "name")


def institution_get(*, pk: int) -> PaymentInstitution:
    institution = PaymentInstitution.objects.filter(pk=pk).first()
    if institution is None:
        raise NotFoundError()
    return institution


def account_household_get(*, user, pk: int):
    """The household whose account is recorded, when the user may record it (404 outside scope, 403 else)."""
    from bansos.core.errors import PermissionDeniedError
    from bansos.registry.models import Household

    if not (has_role_perm(user, P.HOUSEHOLD_CHANGE) or has_role_perm(user, P.CASH_MANAGE)):
        raise PermissionDeniedError()
    household = Household.objects.select_related("rt__rw").filter(pk=pk).first()
    if household is None or not has_perm(user, P.HOUSEHOLD_VIEW, household):
        raise NotFoundError()
    if not can_record_account(user, household):
        raise PermissionDeniedError()
    return household


def household_accounts(household) -> dict[int, PayeeAccount]:
    return {a.institution_id: a for a in PayeeAccount.objects.filter(household=household).select_related(
        "institution", "updated_by").order_by("institution__name")}


def program_status_allows_cycles(program: Program) -> bool:
    return program.status in (ProgramStatus.OPEN, ProgramStatus.RUNNING)
