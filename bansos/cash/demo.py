"""Cash transfers of the Duri Kepa demo: paying institutions, schemes, accounts, and cycles in every state.

Runs after the programs demo (``bansos.programs.demo``), on its cash programs: the BLT for vulnerable
families (paid monthly to Bank DKI accounts), the elderly card KLJ (Rp 300.000 a month paid per
quarter, collected in cash at the kelurahan office) and the KJP Plus stipends (components per school
level, collected at the post office with a pickup code). The amounts are the Jakarta parameters of
DESIGN §8, set as each program's scheme, not in code.

Everything that moves money goes through the cash services with the demo accounts as actors: the
agency's officer prepares, sends and reconciles (the maker), the kelurahan admin approves (the
checker). The bank's result files are built from the real payment references and uploaded through
``result_upload``. The one short cut is the payee accounts: Bank DKI's list of the accounts it opened
for the BLT families is recorded in one bulk insert with one audit event per household (the same
event ``payee_account_set`` writes), because 1,400 single calls would take most of the demo's time.

Resulting cycles: BLT March closed (paid by two result files, the rest cancelled), April paying
(paid, failed and still sent), May generated and waiting for the admin, June a draft; KLJ Q1 closed
(receipts at the office, the unclaimed cancelled), Q2 paying with a few receipts, Q3 approved; KJP SD
January cancelled (withdrawn before approval), February a draft. Reproducible from ``seed`` and the
registry; runs once (nothing when a cash scheme or cycle exists).
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from bansos.accounts.models import Role, User
from bansos.cash.models import (
    CashScheme, Cycle, CycleState, Entitlement, EntitlementState, InstitutionKind, PayeeAccount, Payment, PaymentInstitution,
    PaymentStatus,
)
from bansos.cash.services import cycles as cycle_services
from bansos.cash.services import payments as payment_services
from bansos.cash.services.reconcile import result_upload
from bansos.cash.services.setup import institution_create, scheme_set
from bansos.core.audit import bulk_audit
from bansos.core.errors import DomainError
from bansos.programs.models import Enrollment, EnrollmentState, Program
from bansos.registry.importing.bulk import Inserter
from bansos.registry.models import Relation, Resident, ResidentStatus

# The programs of bansos.programs.demo that pay money, by name.
BLT = "Bantuan Langsung Tunai Keluarga Rentan"
ELDERLY = "Kartu Lansia Jakarta (KLJ)"
KJP_SD = "KJP Plus Jenjang SD"
KJP_SMP = "KJP Plus Jenjang SMP"

BANK = "Bank DKI"
POST = "Pos Indonesia"
OFFICE = "Kas Kelurahan Duri Kepa"
INSTITUTIONS: list[dict[str, Any]] = [
    {"name": BANK, "kind": InstitutionKind.BANK, "file_format": "csv", "csv_delimiter": ";", "columns": [
        {"key": "reference", "header": "NO_REF"}, {"key": "nik", "header": "NIK"},
        {"key": "name", "header": "NAMA_PENERIMA"}, {"key": "account_number", "header": "NO_REKENING"},
        {"key": "amount", "header": "NOMINAL"}]},
    {"name": POST, "kind": InstitutionKind.POST, "file_format": "xlsx", "csv_delimiter": ",", "columns": [
        {"key": "reference", "header": "ID_TRANSAKSI"}, {"key": "nik", "header": "NIK"},
        {"key": "name", "header": "NAMA"}, {"key": "pickup_code", "header": "KODE_AMBIL"},
        {"key": "amount", "header": "NOMINAL"}, {"key": "rt_rw", "header": "RT_RW"}]},
    {"name": OFFICE, "kind": InstitutionKind.CASH_OFFICE, "file_format": "csv", "csv_delimiter": ",", "columns": [
        "reference", "name", "nik", "pickup_code", "amount", "rt_rw"]},
]

# Jakarta parameters (DESIGN §8), per month.
KJP_LEVELS = {"per_child_sd": 250_000, "per_child_smp": 300_000, "per_child_sma": 420_000}
FLAT_MONTHLY = 300_000

RESULT_HEADER = "NO_REF;STATUS;ALASAN;TGL_BAYAR;NOMINAL"
FAILURE_REASONS = (
    "Rekening pasif (dormant)",
    "Nama pemilik rekening tidak sesuai",
    "Rekening sudah ditutup",
    "Nomor rekening tidak ditemukan",
)
FAILED_SHARE = 0.02  # of a bank batch's lines
NO_ACCOUNT_SHARE = 0.004  # BLT families whose account Bank DKI had not opened yet
APRIL_REPORTED = 0.85  # share of April's lines the bank has reported so far


def _at_most_today(day: dt.date) -> dt.date:
    """A paid date never after today (the reconciliation refuses dates in the future)."""
    return min(day, timezone.localdate())


def _result_file(lines: list[tuple[str, str, str, dt.date | None, int]]) -> bytes:
    """A Bank DKI result file: reference, BERHASIL/GAGAL, reason, paid date, amount."""
    out = [RESULT_HEADER]
    for reference, status, reason, day, amount in lines:
        out.append(";".join([reference, status, reason, day.strftime("%d/%m/%Y") if day else "", str(amount)]))
    return ("\r\n".join(out) + "\r\n").encode("utf-8")


class _CashDemo:
    def __init__(self, *, actor, seed: int) -> None:
        self.admin = actor
        self.rng = random.Random(f"cash-{seed}")
        self.officers: dict[int, User] = {}
        for officer in User.objects.filter(role=Role.OFFICER, is_active=True, agency__isnull=False).order_by("pk"):
            self.officers.setdefault(officer.agency_id, officer)
        self.cycles: list[Cycle] = []

    def staff(self, program: Program):
        """The maker: the program's agency officer, else the kelurahan admin (who then cannot approve)."""
        return self.officers.get(program.agency_id, self.admin)

    # --- Set-up ---------------------------------------------------------------------------------

    def institutions(self) -> dict[str, PaymentInstitution]:
        made = {}
        for data in INSTITUTIONS:
            found = PaymentInstitution.objects.filter(name__iexact=data["name"]).first()
            made[data["name"]] = found or institution_create(actor=self.admin, data=dict(data))
        return made

    def scheme(self, program: Program, institution: PaymentInstitution, **data) -> CashScheme:
        return scheme_set(actor=self.staff(program), program=program, data={"institution": institution, **data})

    def accounts(self, program: Program, bank: PaymentInstitution) -> int:
        """Bank DKI's list of accounts opened for the program's families, recorded in bulk."""
        household_ids = sorted(set(Enrollment.objects.filter(
            program=program, state__in=(EnrollmentState.APPROVED, EnrollmentState.ACTIVE, EnrollmentState.SUSPENDED),
        ).values_list("household_id", flat=True)))
        taken = set(PayeeAccount.objects.filter(institution=bank).values_list("household_id", flat=True))
        household_ids = [hid for hid in household_ids if hid not in taken]
        if not household_ids:
            return 0
        # A few families have no account yet: their payments wait in the cycle ("belum punya rekening").
        missing = set(self.rng.sample(household_ids, max(1, round(len(household_ids) * NO_ACCOUNT_SHARE)))
                      if len(household_ids) >= 20 else [])
        heads: dict[int, str] = {}
        for hid, name in Resident.objects.filter(
            household_id__in=household_ids, relation=Relation.HEAD, status=ResidentStatus.ACTIVE,
        ).order_by("pk").values_list("household_id", "full_name"):
            heads.setdefault(hid, name)
        actor = self.staff(program)
        now = timezone.now()
        rows, pairs = [], []
        for hid in household_ids:
            if hid in missing or hid not in heads:
                continue
            # Bank DKI savings accounts: branch 104 (Kebon Jeruk), product 01, seven digits.
            number = f"10401{self.rng.randrange(10**7):07d}"
            rows.append([hid, bank.pk, number, heads[hid].upper()[:120], actor.pk, now])
            pairs.append(hid)
        Inserter(PayeeAccount, ("household_id", "institution_id", "account_number", "account_name", "updated_by_id",
                                "updated_at")).insert(rows)
        ids = dict(PayeeAccount.objects.filter(institution=bank, household_id__in=pairs).values_list(
            "household_id", "pk"))
        bulk_audit(actor=actor, action="cash.account.set", object_type=PayeeAccount._meta.label_lower,
                   rows=[(ids[hid], hid) for hid in pairs],
                   changes={"institution": str(bank), "source": "Daftar rekening kolektif dari Bank DKI"})
        return len(rows)

    # --- Cycle steps ----------------------------------------------------------------------------

    def cycle(self, program: Program, start: dt.date, *, generate: bool = True, approve: bool = False) -> Cycle:
        maker = self.staff(program)
        cycle = cycle_services.cycle_create(actor=maker, program=program, period_start=start)
        self.cycles.append(cycle)
        if generate:
            cycle = cycle_services.cycle_generate(actor=maker, cycle=cycle)
        if approve and maker.pk != self.admin.pk and cycle.planned_count:
            cycle = cycle_services.cycle_approve(actor=self.admin, cycle=cycle)
        return cycle

    def send(self, program: Program, cycle: Cycle):
        """A new batch of what is due (None when a small registry leaves nothing to send)."""
        if cycle.state not in (CycleState.APPROVED, CycleState.PAYING):
            return None
        try:
            return payment_services.batch_create(actor=self.staff(program), cycle=cycle).batch
        except DomainError as exc:
            if exc.code in ("nothing_due", "no_accounts"):
                return None
            raise

    def reconcile(self, program: Program, cycle: Cycle, batch, *, reported: float, paid_day: dt.date,
                  file_name: str) -> list[int]:
        """Upload a bank result file for ``reported`` of the batch's lines, ~2% failed; return failed ids."""
        if batch is None:
            return []
        lines = list(Payment.objects.filter(batch=batch).order_by("pk").values_list(
            "reference", "amount", "entitlement_id"))
        lines = sorted(self.rng.sample(lines, round(len(lines) * reported))) if reported < 1 else lines
        if not lines:
            return []
        failing = set(self.rng.sample(range(len(lines)), max(1, round(len(lines) * FAILED_SHARE)))) \
            if len(lines) > 2 else set()
        rows, failed = [], []
        for i, (reference, amount, entitlement_id) in enumerate(lines):
            if i in failing:
                rows.append((reference, "GAGAL", self.rng.choice(FAILURE_REASONS), None, amount))
                failed.append(entitlement_id)
            else:
                day = _at_most_today(paid_day + dt.timedelta(days=self.rng.randrange(3)))
                rows.append((reference, "BERHASIL", "", day, amount))
        result_upload(actor=self.staff(program), cycle=cycle, fileobj=io.BytesIO(_result_file(rows)),
                      file_name=file_name)
        return sorted(failed)

    def receipts(self, program: Program, batch, count: int) -> int:
        """Cash handed over at the office for ``count`` of the batch's payments (one by a family member)."""
        if batch is None:
            return 0
        payments = list(Payment.objects.filter(batch=batch, status=PaymentStatus.SENT).select_related(
            "entitlement").order_by("pk"))
        chosen = sorted(self.rng.sample(payments, min(count, len(payments))), key=lambda p: p.pk)
        for i, payment in enumerate(chosen):
            entitlement = payment.entitlement
            name, nik, note, document = entitlement.recipient_name, entitlement.recipient_nik, "", "ktp"
            if i == 1:
                # The elder is ill at home; an adult of the same KK collects, showing the KK.
                adult = timezone.localdate() - dt.timedelta(days=365 * 18)
                relative = Resident.objects.filter(
                    household_id=entitlement.household_id, status=ResidentStatus.ACTIVE, birth_date__lte=adult,
                ).exclude(pk=entitlement.recipient_id).exclude(nik="").order_by("pk").first()
                if relative is not None:
                    name, nik, document = relative.full_name, relative.nik, "kk"
                    note = "Anggota keluarga satu KK; penerima sedang sakit di rumah"
            payment_services.receipt_record(
                actor=self.staff(program), payment=payment, receiver_name=name, receiver_nik=nik,
                identity_document=document, identity_checked=True, receiver_note=note)
        return len(chosen)

    # --- Programs -------------------------------------------------------------------------------

    def blt(self, program: Program, bank: PaymentInstitution) -> None:
        """Monthly to bank accounts: March closed, April paying, May waiting for approval, June draft."""
        y = program.start_date.year
        officer = self.staff(program)
        self.scheme(program, bank, frequency="monthly", amount_rule="flat", flat_amount=FLAT_MONTHLY)
        self.accounts(program, bank)
        can_approve = officer.pk != self.admin.pk

        march = self.cycle(program, dt.date(y, 3, 1), approve=can_approve)
        if can_approve:
            first = self.send(program, march)
            failed = self.reconcile(program, march, first, reported=1, paid_day=dt.date(y, 3, 4),
                                    file_name=f"hasil_bankdki_maret_{y}.csv")
            # Families that updated their account at the branch get a second try; the rest are given up.
            retry = failed[:len(failed) * 2 // 3]
            if retry:
                payment_services.entitlements_retry(actor=officer, cycle=march, ids=retry)
                second = self.send(program, march)
                self.reconcile(program, march, second, reported=1, paid_day=dt.date(y, 3, 18),
                               file_name=f"hasil_bankdki_maret_{y}_ulang.csv")
            given_up = list(Entitlement.objects.filter(cycle=march, state=EntitlementState.FAILED)
                            .values_list("pk", flat=True))
            if given_up:
                payment_services.entitlements_cancel(
                    actor=officer, cycle=march, ids=given_up,
                    reason="Rekening tetap gagal setelah dikirim ulang; penyaluran bulan ini dibatalkan.")
            no_account = list(Entitlement.objects.filter(cycle=march, state=EntitlementState.DUE)
                              .values_list("pk", flat=True))
            if no_account:
                payment_services.entitlements_cancel(
                    actor=officer, cycle=march, ids=no_account,
                    reason="Rekening Bank DKI belum dibuka sampai batas penyaluran bulan ini.")

            april = self.cycle(program, dt.date(y, 4, 1), approve=True)
            batch = self.send(program, april)
            self.reconcile(program, april, batch, reported=APRIL_REPORTED, paid_day=dt.date(y, 4, 6),
                           file_name=f"hasil_bankdki_april_{y}_tahap1.csv")
        self.cycle(program, dt.date(y, 5, 1))  # generated by the officer: the admin approves it in the demo
        self.cycle(program, dt.date(y, 6, 1), generate=False)

    def elderly(self, program: Program, office: PaymentInstitution) -> None:
        """Quarterly in cash at the kelurahan office: Q1 closed, Q2 paying, Q3 approved."""
        y = program.start_date.year
        officer = self.staff(program)
        self.scheme(program, office, frequency="quarterly", amount_rule="flat", flat_amount=FLAT_MONTHLY)
        if officer.pk == self.admin.pk:
            self.cycle(program, dt.date(y, 1, 1))
            return
        first = self.cycle(program, dt.date(y, 1, 1), approve=True)
        batch = self.send(program, first)
        self.receipts(program, batch, max(1, batch.line_count - 2) if batch else 0)
        if batch and Payment.objects.filter(batch=batch, status=PaymentStatus.SENT).exists():
            payment_services.cash_office_unclaimed(
                actor=officer, batch=batch, reason="Tidak datang mengambil sampai hari terakhir pembagian.")
            payment_services.entitlements_cancel(
                actor=officer, cycle=first,
                reason="Tidak diambil dalam masa pengambilan triwulan; dana dikembalikan ke anggaran program.")
        second = self.cycle(program, dt.date(y, 4, 1), approve=True)
        batch = self.send(program, second)
        self.receipts(program, batch, 5)
        self.cycle(program, dt.date(y, 7, 1), approve=True)

    def students(self, program: Program, post: PaymentInstitution, *, cycles: bool) -> None:
        """Components per school level through the post office; January withdrawn, February a draft."""
        y = program.start_date.year
        self.scheme(program, post, frequency="monthly", amount_rule="components", **KJP_LEVELS)
        if not cycles:
            return
        january = self.cycle(program, dt.date(y, 1, 1))
        cycle_services.cycle_cancel(
            actor=self.staff(program), cycle=january,
            reason="Jenjang sekolah belum dicocokkan dengan Dapodik; daftar dibuat ulang bulan depan.")
        self.cycle(program, dt.date(y, 2, 1), generate=False)

    def build(self) -> None:
        made = self.institutions()
        programs = {p.name: p for p in Program.objects.filter(name__in=(BLT, ELDERLY, KJP_SD, KJP_SMP))}
        if BLT in programs:
            self.blt(programs[BLT], made[BANK])
        if ELDERLY in programs:
            self.elderly(programs[ELDERLY], made[OFFICE])
        if KJP_SD in programs:
            self.students(programs[KJP_SD], made[POST], cycles=True)
        if KJP_SMP in programs:
            self.students(programs[KJP_SMP], made[POST], cycles=False)


def demo_cash_create(*, actor, seed: int = 2026) -> dict[str, Any]:
    """Institutions, schemes, accounts and cycles for the demo's cash programs, once (else nothing)."""
    if CashScheme.objects.exists() or Cycle.objects.exists():
        return {}
    if not Program.objects.filter(name__in=(BLT, ELDERLY, KJP_SD, KJP_SMP)).exists():
        return {}
    started = time.monotonic()
    demo = _CashDemo(actor=actor, seed=seed)
    # One transaction: a failure leaves no half-paid demo, and the next run tries again.
    with transaction.atomic():
        demo.build()
    return {"cycles": Cycle.objects.count(), "payments": Payment.objects.count(),
            "accounts": PayeeAccount.objects.count(), "seconds": time.monotonic() - started}
