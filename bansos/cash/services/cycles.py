"""Cycles: create, generate (freeze who is paid and how much), approve (maker-checker), cancel.

Lock order everywhere in the cash app: the program row, then the cycle row, then entitlements and
payments. The programs app's enrollment services take the program row first too, so a cycle being
approved and an enrollment ending on the same program queue instead of deadlocking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, has_role_perm
from bansos.cash.access import require_cash
from bansos.cash.amounts import Member, components_amount, scheme_units, school_levels
from bansos.cash.models import (
    OUTSTANDING_STATES, AmountRule, CashScheme, Cycle, CycleState, Entitlement, EntitlementState, Frequency,
)
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError
from bansos.core.formats import rupiah
from bansos.programs.models import Enrollment, EnrollmentState, Participant, Program, ProgramStatus
from bansos.programs.services import funding
from bansos.registry.importing.bulk import Inserter
from bansos.registry.models import HouseholdStatus, Relation, Resident, ResidentStatus

MSG_NO_SCHEME = _("Program ini belum punya skema bantuan tunai; atur skemanya dahulu.")
MSG_PROGRAM_NOT_RUNNING = _("Siklus hanya dapat dibuat untuk program yang menerima pendaftaran atau berjalan.")
MSG_PERIOD_TAKEN = _("Sudah ada siklus untuk periode ini (%(label)s).")
MSG_PERIOD_OUTSIDE = _("Periode siklus harus berada dalam masa program (%(start)s sampai %(end)s).")
MSG_PERIOD_START = _("Siklus bulanan dan triwulanan dimulai pada tanggal 1.")
MSG_STATE = _("Siklus berstatus “%(state)s”; tindakan ini tidak dapat dilakukan.")
MSG_MAKER_CHECKER = _("Siklus harus disetujui orang lain, bukan yang membuat daftar penerimanya.")
MSG_EMPTY_CYCLE = _("Tidak ada penerima dalam siklus ini; tidak ada yang dapat disetujui.")
MSG_STALE = _(
    "%(count)s penerima tidak lagi aktif sejak daftar dibuat (kepesertaan berakhir atau keluarga pindah). "
    "Buat ulang daftar penerima sebelum menyetujui."
)
MSG_CANCEL_SENT = _("Siklus yang pembayarannya sudah dikirim tidak dapat dibatalkan; batalkan per penerima.")
MSG_REASON_REQUIRED = _("Alasan wajib diisi.")

BATCH = 2000
PAYABLE_STATES = (EnrollmentState.APPROVED, EnrollmentState.ACTIVE)
ENDED_STATES = (EnrollmentState.GRADUATED, EnrollmentState.EXITED)
MONTHS = [_("Januari"), _("Februari"), _("Maret"), _("April"), _("Mei"), _("Juni"), _("Juli"), _("Agustus"),
          _("September"), _("Oktober"), _("November"), _("Desember")]


def scheme_of(program: Program) -> CashScheme:
    scheme = CashScheme.objects.select_related("institution").filter(program=program).first()
    if scheme is None:
        raise DomainError("no_scheme", MSG_NO_SCHEME)
    return scheme


def period_for(frequency: str, start: dt.date) -> tuple[dt.date, dt.date, str]:
    """(start, end, label) of the cycle beginning on ``start`` (a month's first day unless one-off).

    The label is stored with the cycle (and printed in payment files), so it is written in
    Indonesian whatever language the officer's pages are in.
    """
    with translation.override("id"):
        return _period_for(frequency, start)


def _period_for(frequency: str, start: dt.date) -> tuple[dt.date, dt.date, str]:
    if frequency == Frequency.ONE_OFF:
        return start, start, formats.date_format(start, "j F Y")
    if start.day != 1:
        raise DomainError("period_start", MSG_PERIOD_START, field="period_start")
    months = 3 if frequency == Frequency.QUARTERLY else 1
    year, month = divmod(start.month - 1 + months, 12)
    end = dt.date(start.year + year, month + 1, 1) - dt.timedelta(days=1)
    if months == 1:
        label = f"{MONTHS[start.month - 1]} {start.year}"
    else:
        label = f"{MONTHS[start.month - 1]}\u2013{MONTHS[end.month - 1]} {end.year}"
    return start, end, label


def lock_cycle(cycle: Cycle | int) -> tuple[Program, Cycle]:
    """Lock the cycle's program row, then the cycle row (the cash app's lock order)."""
    pk = cycle if isinstance(cycle, int) else cycle.pk
    program_id = Cycle.objects.filter(pk=pk).values_list("program_id", flat=True).first()
    if program_id is None:
        raise NotFoundError()
    program = Program.objects.select_for_update().get(pk=program_id)
    return program, Cycle.objects.select_for_update().select_related("institution").get(pk=pk)


def _require_state(cycle: Cycle, *states: str) -> None:
    if cycle.state not in states:
        raise DomainError("cycle_state", MSG_STATE, state=cycle.get_state_display())


@transaction.atomic
def cycle_create(*, actor, program: Program, period_start: dt.date) -> Cycle:
    """A new draft cycle of ``program`` for the period beginning on ``period_start``."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    require_cash(actor, program)
    scheme = scheme_of(program)
    if program.status not in (ProgramStatus.OPEN, ProgramStatus.RUNNING):
        raise DomainError("program_not_running", MSG_PROGRAM_NOT_RUNNING)
    if not isinstance(period_start, dt.date):
        raise DomainError("period_start", _("Tanggal tidak valid."), field="period_start")
    start, end, label = period_for(scheme.frequency, period_start)
    if start < program.start_date.replace(day=1) or start > program.end_date:
        raise DomainError("period_outside", MSG_PERIOD_OUTSIDE, field="period_start",
                          start=formats.date_format(program.start_date), end=formats.date_format(program.end_date))
    # Overlapping periods would pay the same months twice (e.g. after a switch from monthly to quarterly).
    taken = Cycle.objects.filter(program=program, period_start__lte=end, period_end__gte=start).exclude(
        state=CycleState.CANCELLED).first()
    if taken is not None:
        raise DomainError("period_taken", MSG_PERIOD_TAKEN, field="period_start", label=taken.label)
    cycle = Cycle.objects.create(program=program, period_start=start, period_end=end, label=label,
                                 institution=scheme.institution, created_by=actor)
    audit_log(actor=actor, action="cash.cycle.create", obj=cycle, changes={"program": str(program), "label": label})
    return cycle


# --- Generation -----------------------------------------------------------------------------------

ENTITLEMENT_COLUMNS = ("cycle_id", "enrollment_id", "household_id", "recipient_id", "participant_id",
                       "recipient_name", "recipient_nik", "kk_number", "rt_label", "amount", "breakdown",
                       "topup_amount", "state", "attempts", "cancel_reason", "updated_at")


@dataclass
class GenerationReport:
    included: int = 0
    amount: int = 0
    excluded: dict[str, int] = field(default_factory=dict)

    def exclude(self, code: str) -> None:
        self.excluded[code] = self.excluded.get(code, 0) + 1

    def as_dict(self) -> dict:
        return {"included": self.included, "amount": self.amount, "excluded": dict(sorted(self.excluded.items()))}


def _members_by_household(residents, levels: dict[int, tuple[str, bool]]) -> dict[int, list[Member]]:
    members: dict[int, list[Member]] = {}
    rows = residents.filter(status=ResidentStatus.ACTIVE).values_list(
        "household_id", "pk", "birth_date", "sex", "pregnant", "disability", "school_enrolment")
    for hid, pk, birth, sex, pregnant, disability, school in rows.iterator(chunk_size=5000):
        members.setdefault(hid, []).append(
            Member(birth, sex, pregnant, disability or "", school or "", levels.get(pk)))
    return members


def _people(residents, by: str, levels: dict[int, tuple[str, bool]] | None = None) -> dict[int, tuple]:
    """Active residents keyed by ``by`` (household_id for heads, id for participants); the first by pk."""
    found: dict[int, tuple] = {}
    levels = levels or {}
    rows = residents.filter(status=ResidentStatus.ACTIVE).values_list(
        by, "pk", "full_name", "nik", "birth_date", "sex", "pregnant", "disability", "school_enrolment").order_by("pk")
    for key, pk, name, nik, birth, sex, pregnant, disability, school in rows.iterator(chunk_size=5000):
        found.setdefault(key, (pk, name, nik, Member(birth, sex, pregnant, disability or "", school or "",
                                                     levels.get(pk))))
    return found


@transaction.atomic
def cycle_generate(*, actor, cycle: Cycle) -> Cycle:
    """Freeze who is paid and how much: one entitlement per payable participant of the program.

    Payable: an approved or active enrollment (suspended ones are skipped) of an active household,
    with an active recipient (the head for household programs; the participant for person programs)
    and an amount above zero. Generating again before approval replaces the list with today's facts.
    """
    program, cycle = lock_cycle(cycle)
    require_cash(actor, program)
    _require_state(cycle, CycleState.DRAFT, CycleState.GENERATED)
    scheme = scheme_of(program)
    if program.status not in (ProgramStatus.OPEN, ProgramStatus.RUNNING):
        raise DomainError("program_not_running", MSG_PROGRAM_NOT_RUNNING)
    # A draft or generated cycle has no payment yet (payments need an approved cycle), so the old list
    # goes with one DELETE instead of the ORM's collection of 100,000 rows for its on_delete checks.
    old = Entitlement.objects.filter(cycle=cycle)
    old._raw_delete(old.db)
    report = GenerationReport()
    suspended = Enrollment.objects.filter(program=program, state=EnrollmentState.SUSPENDED).count()
    if suspended:
        report.excluded["suspended"] = suspended
    rows = list(Enrollment.objects.filter(program=program, state__in=PAYABLE_STATES).values_list(
        "pk", "household_id", "resident_id", "household__status", "household__kk_number",
        "household__rt__number", "household__rt__rw__number").order_by("pk"))
    person_program = program.participant == Participant.RESIDENT
    payable = Enrollment.objects.filter(program=program, state__in=PAYABLE_STATES)
    components = scheme.amount_rule == AmountRule.COMPONENTS
    # Real school levels (registered providers, e.g. the education app): one query per provider per cycle.
    if person_program:
        residents = Resident.objects.filter(pk__in=payable.values("resident_id"))
        levels = school_levels(residents.values("pk"), cycle.period_start) if components else {}
        people = _people(residents, "pk", levels)
    else:
        people = _people(Resident.objects.filter(household_id__in=payable.values("household_id"),
                                                 relation=Relation.HEAD), "household_id")
    members = {}
    if components and not person_program:
        residents = Resident.objects.filter(household_id__in=payable.values("household_id"))
        members = _members_by_household(residents, school_levels(residents.values("pk"), cycle.period_start))
    months, units = scheme.months_per_cycle, scheme_units(scheme)
    now = timezone.now()
    inserter = Inserter(Entitlement, ENTITLEMENT_COLUMNS)
    pending: list[list] = []
    for eid, hid, rid, status, kk, rt, rw in rows:
        if status != HouseholdStatus.ACTIVE:
            report.exclude("household_inactive")
            continue
        person = people.get(rid if person_program else hid)
        if person is None:
            report.exclude("participant_inactive" if person_program else "no_head")
            continue
        pk, name, nik, member = person
        if components:
            group = [member] if person_program else members.get(hid, [])
            amount, breakdown = components_amount(units, group, cycle.period_start, months, scheme.household_cap)
        else:
            amount, breakdown = scheme.flat_amount * months, []
        if amount <= 0:
            report.exclude("zero_amount")
            continue
        report.included += 1
        report.amount += amount
        pending.append([cycle.pk, eid, hid, pk, pk if person_program else None, name, nik, kk,
                        f"{rt:03d}/{rw:03d}", amount, breakdown, 0, EntitlementState.DUE.value, 0, "", now])
        if len(pending) >= BATCH:
            inserter.insert(pending)
            pending = []
    inserter.insert(pending)
    cycle.state = CycleState.GENERATED
    cycle.generated_by, cycle.generated_at = actor, now
    cycle.generation_report = report.as_dict()
    cycle.planned_count, cycle.planned_amount = report.included, report.amount
    cycle.save(update_fields=["state", "generated_by", "generated_at", "generation_report", "planned_count",
                              "planned_amount"])
    audit_log(actor=actor, action="cash.cycle.generate", obj=cycle, changes=report.as_dict())
    return cycle


# --- Approval -------------------------------------------------------------------------------------


def _owed(**filters):
    """Entitlements of approved cycles whose money is still owed (reserved on their enrollments)."""
    return Entitlement.objects.filter(state__in=OUTSTANDING_STATES,
                                      cycle__state__in=(CycleState.APPROVED, CycleState.PAYING), **filters)


def outstanding_elsewhere(cycle_ref) -> Subquery:
    """Per enrollment (OuterRef "enrollment_id"): money owed by approved cycles other than ``cycle_ref``."""
    owed = _owed(enrollment_id=OuterRef("enrollment_id")).exclude(cycle_id=cycle_ref).order_by().values(
        "enrollment_id").annotate(s=Sum("amount")).values("s")
    return Coalesce(Subquery(owed), Value(0))


def enrollment_hold(enrollment_id: int) -> int:
    """What approved, unpaid entitlements of the enrollment still need (registered with the programs app)."""
    return _owed(enrollment_id=enrollment_id).aggregate(s=Sum("amount"))["s"] or 0


@transaction.atomic
def cycle_approve(*, actor, cycle: Cycle) -> Cycle:
    """The checker approves a generated cycle; its money must be covered by the program's budget.

    Each entitlement is paid from its enrollment's commitment (reserved when the enrollment was
    approved). Where what is left of that commitment does not cover the amount, the difference is
    committed now from the program's remaining budget, all or nothing. Approving an approved cycle
    again changes nothing.
    """
    if not has_role_perm(actor, P.CASH_APPROVE):
        raise PermissionDeniedError()
    program, cycle = lock_cycle(cycle)
    if cycle.state in (CycleState.APPROVED, CycleState.PAYING, CycleState.CLOSED):
        return cycle  # already approved (by this request's twin or earlier): idempotent
    _require_state(cycle, CycleState.GENERATED)
    if cycle.generated_by_id is not None and cycle.generated_by_id == actor.pk:
        raise DomainError("maker_checker", MSG_MAKER_CHECKER)
    if not cycle.planned_count:
        raise DomainError("empty_cycle", MSG_EMPTY_CYCLE)
    entitlements = Entitlement.objects.filter(cycle=cycle)
    stale = entitlements.exclude(enrollment__state__in=PAYABLE_STATES).count() + entitlements.exclude(
        household__status=HouseholdStatus.ACTIVE).filter(enrollment__state__in=PAYABLE_STATES).count()
    if stale:
        raise DomainError("cycle_stale", MSG_STALE, count=stale)
    free = F("enrollment__committed_amount") - F("enrollment__disbursed_amount") - outstanding_elsewhere(cycle.pk)
    short = [
        (pk, enrollment_id, amount - max(0, available))
        for pk, enrollment_id, amount, available in entitlements.annotate(free=free).values_list(
            "pk", "enrollment_id", "amount", "free").iterator(chunk_size=BATCH)
        if amount > available
    ]
    topup = sum(need for _pk, _e, need in short)
    if topup:
        try:
            funding.budget_commit(actor=actor, program=program, amount=topup, seats=0,
                                  note=f"cash cycle {cycle.pk}")
        except DomainError as exc:
            raise DomainError("budget_exhausted", _(
                "Anggaran program tidak menutup siklus ini: kekurangan komitmen %(needed)s, sisa anggaran "
                "%(remaining)s. Tambahkan alokasi dana dahulu."
            ), needed=rupiah(topup), remaining=rupiah(program.budget_remaining)) from exc
        for start in range(0, len(short), BATCH):
            chunk = short[start:start + BATCH]
            Entitlement.objects.bulk_update(
                [Entitlement(pk=pk, topup_amount=need) for pk, _e, need in chunk], ["topup_amount"])
            add_to_enrollments(cycle, [eid for _pk, eid, _n in chunk], "committed_amount", "topup_amount")
    now = timezone.now()
    cycle.state, cycle.approved_by, cycle.approved_at, cycle.topup_amount = CycleState.APPROVED, actor, now, topup
    cycle.save(update_fields=["state", "approved_by", "approved_at", "topup_amount"])
    audit_log(actor=actor, action="cash.cycle.approve", obj=cycle,
              changes={"planned_count": cycle.planned_count, "planned_amount": cycle.planned_amount,
                       "topup_amount": topup})
    return cycle


def add_to_enrollments(cycle: Cycle, enrollment_ids: list[int], target: str, source: str, sign: int = 1) -> int:
    """enrollment.<target> +/-= its entitlement's <source> in ``cycle``, for many enrollments in one UPDATE.

    An enrollment has one entitlement per cycle (a unique constraint), so the subquery is one value.
    """
    value = Subquery(Entitlement.objects.filter(cycle_id=cycle.pk, enrollment_id=OuterRef("pk")).values(source)[:1])
    expression = F(target) + value if sign > 0 else F(target) - value
    return Enrollment.objects.filter(pk__in=enrollment_ids).update(**{target: expression})


# --- Cancellation ---------------------------------------------------------------------------------


@transaction.atomic
def cycle_cancel(*, actor, cycle: Cycle, reason: str) -> Cycle:
    """Withdraw a cycle before any payment is sent; a commitment added at its approval goes back, and so
    does the money kept for participants who have left since."""
    program, cycle = lock_cycle(cycle)
    require_cash(actor, program)
    if cycle.state == CycleState.CANCELLED:
        return cycle
    if cycle.state in (CycleState.PAYING, CycleState.CLOSED):
        raise DomainError("cycle_sent", MSG_CANCEL_SENT)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", MSG_REASON_REQUIRED, field="reason")
    # Entitlements cancelled one by one earlier (entitlements_cancel) gave their whole amount back already.
    live = Entitlement.objects.filter(cycle=cycle).exclude(state=EntitlementState.CANCELLED)
    if cycle.state == CycleState.APPROVED:
        # The top-up goes back; so does the whole amount of an enrollment that has ended since approval
        # (its exit kept the amount committed for this payment only, see funding.commitment_held).
        ended = live.filter(enrollment__state__in=ENDED_STATES)
        parts = [(ended, "amount"), (live.exclude(enrollment__state__in=ENDED_STATES).filter(topup_amount__gt=0),
                                     "topup_amount")]
        total = 0
        for rows, source in parts:
            ids = list(rows.values_list("enrollment_id", flat=True))
            total += rows.aggregate(s=Sum(source))["s"] or 0
            for start in range(0, len(ids), BATCH):
                add_to_enrollments(cycle, ids[start:start + BATCH], "committed_amount", source, sign=-1)
        funding.budget_release(actor=actor, program=program, amount=total, seats=0,
                               note=f"cash cycle {cycle.pk} cancelled")
    live.update(state=EntitlementState.CANCELLED, cancel_reason=reason[:200], updated_at=timezone.now())
    cycle.state, cycle.cancelled_by, cycle.cancelled_at = CycleState.CANCELLED, actor, timezone.now()
    cycle.cancel_reason = reason
    cycle.save(update_fields=["state", "cancelled_by", "cancelled_at", "cancel_reason"])
    audit_log(actor=actor, action="cash.cycle.cancel", obj=cycle, reason=reason)
    return cycle


def close_if_done(cycle: Cycle) -> bool:
    """Close an approved or paying cycle once every entitlement is paid or cancelled (cycle locked)."""
    if cycle.state not in (CycleState.APPROVED, CycleState.PAYING):
        return False
    if Entitlement.objects.filter(cycle=cycle, state__in=OUTSTANDING_STATES).exists():
        return False
    cycle.state, cycle.closed_at = CycleState.CLOSED, timezone.now()
    cycle.save(update_fields=["state", "closed_at"])
    return True
