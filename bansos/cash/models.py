"""Cash transfers: payment schemes, cycles, entitlements, payment batches, results and receipts.

The rule "no household is ever paid twice for the same cycle" is held by the database, not only by
the services: one entitlement per participant and cycle (unique constraints), one live or
successful payment per entitlement (a partial unique index on the payment's entitlement for the
"sent" and "paid" states), and a unique payment reference. The services add idempotence on top
(approving an approved cycle, or uploading the same result file again, changes nothing).

Money is integer Rupiah. Entitlement amounts are frozen when a cycle is generated: editing the
registry afterwards does not change a generated or approved cycle.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Bulanan")
    QUARTERLY = "quarterly", _("Triwulanan (3 bulan)")
    ONE_OFF = "one_off", _("Sekali bayar")


# How many months of the scheme's monthly amounts one cycle pays.
MONTHS_PER_CYCLE = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ONE_OFF: 1}


class AmountRule(models.TextChoices):
    FLAT = "flat", _("Sama untuk setiap peserta")
    COMPONENTS = "components", _("Komponen per anggota keluarga")


class InstitutionKind(models.TextChoices):
    BANK = "bank", _("Bank (transfer ke rekening)")
    POST = "post", _("Kantor pos (ambil dengan kode)")
    CASH_OFFICE = "cash_office", _("Tunai di kantor kelurahan")


class PaymentInstitution(models.Model):
    """Who pays the money out, and the columns of the payment file it expects."""

    name = models.CharField(_("nama lembaga bayar"), max_length=120, unique=True)
    kind = models.CharField(_("cara pembayaran"), max_length=12, choices=InstitutionKind.choices)
    # [{"key": "reference", "header": "NO_REF"}, ...]: see bansos.cash.files.PAYMENT_COLUMNS.
    columns = models.JSONField(_("kolom berkas pembayaran"), default=list)
    file_format = models.CharField(
        _("format berkas"), max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")], default="csv"
    )
    csv_delimiter = models.CharField(_("pemisah kolom CSV"), max_length=1, default=",")
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lembaga bayar")
        verbose_name_plural = _("lembaga bayar")

    def __str__(self) -> str:
        return self.name


class CashScheme(models.Model):
    """How a cash program pays: how often, how much (per month), and through whom."""

    program = models.OneToOneField("programs.Program", on_delete=models.CASCADE, related_name="cash_scheme")
    frequency = models.CharField(_("frekuensi pembayaran"), max_length=10, choices=Frequency.choices)
    amount_rule = models.CharField(_("cara menghitung nilai"), max_length=12, choices=AmountRule.choices)
    # Amounts per month (a quarterly cycle pays three months; a one-off cycle pays them once).
    flat_amount = models.PositiveBigIntegerField(_("nilai per peserta (Rp)"), default=0)
    per_child_sd = models.PositiveBigIntegerField(_("per anak usia SD (Rp)"), default=0)
    per_child_smp = models.PositiveBigIntegerField(_("per anak usia SMP (Rp)"), default=0)
    per_child_sma = models.PositiveBigIntegerField(_("per anak usia SMA/SMK (Rp)"), default=0)
    # Known only from the education app's student records (see amounts.register_school_levels).
    per_child_smk = models.PositiveBigIntegerField(_("per siswa SMK (Rp)"), default=0)  # 0: the SMA amount
    per_child_pkbm = models.PositiveBigIntegerField(_("per warga belajar PKBM (Rp)"), default=0)
    per_child_private = models.PositiveBigIntegerField(_("tambahan per anak di sekolah swasta (Rp)"), default=0)
    per_pregnant = models.PositiveBigIntegerField(_("per ibu hamil (Rp)"), default=0)
    per_under_five = models.PositiveBigIntegerField(_("per balita (Rp)"), default=0)
    per_elderly = models.PositiveBigIntegerField(_("per lansia 60+ (Rp)"), default=0)
    per_disability = models.PositiveBigIntegerField(_("per penyandang disabilitas (Rp)"), default=0)
    household_cap = models.PositiveBigIntegerField(_("batas per keluarga per bulan (Rp)"), null=True, blank=True)
    institution = models.ForeignKey(
        PaymentInstitution, on_delete=models.PROTECT, related_name="schemes", verbose_name=_("lembaga bayar")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("skema bantuan tunai")
        verbose_name_plural = _("skema bantuan tunai")

    def __str__(self) -> str:
        return f"{self.program} ({self.get_frequency_display()})"

    @property
    def months_per_cycle(self) -> int:
        return MONTHS_PER_CYCLE[self.frequency]


class PayeeAccount(models.Model):
    """A household's bank account (or post-office registration) with a paying institution."""

    household = models.ForeignKey("registry.Household", on_delete=models.CASCADE, related_name="payee_accounts")
    institution = models.ForeignKey(PaymentInstitution, on_delete=models.PROTECT, related_name="accounts")
    account_number = models.CharField(_("nomor rekening"), max_length=34)
    account_name = models.CharField(_("nama pemilik rekening"), max_length=120)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rekening penerima")
        verbose_name_plural = _("rekening penerima")
        constraints = [
            models.UniqueConstraint(fields=["household", "institution"], name="payee_account_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.institution}: {self.account_number}"


class CycleState(models.TextChoices):
    DRAFT = "draft", _("Draf")  # period chosen; nobody in it yet
    GENERATED = "generated", _("Daftar dibuat")  # beneficiaries and amounts frozen; waiting for approval
    APPROVED = "approved", _("Disetujui")  # approved by a second person; no payment sent yet
    PAYING = "paying", _("Dalam pembayaran")  # at least one batch sent to the paying institution
    CLOSED = "closed", _("Selesai")  # every entitlement paid or cancelled
    CANCELLED = "cancelled", _("Dibatalkan")  # withdrawn before any payment was sent


CYCLE_LIVE_STATES = (CycleState.DRAFT, CycleState.GENERATED, CycleState.APPROVED, CycleState.PAYING,
                     CycleState.CLOSED)


class Cycle(models.Model):
    """One payment round of a cash program for one period (e.g. March 2027, or Q1 2027)."""

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="cycles")
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    label = models.CharField(_("nama siklus"), max_length=60)
    state = models.CharField(_("status"), max_length=10, choices=CycleState.choices, default=CycleState.DRAFT)
    institution = models.ForeignKey(
        PaymentInstitution, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("lembaga bayar")
    )
    # Who did what: the maker (generated_by) and the checker (approved_by) must differ.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    generated_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    # What generation found: {"included": n, "excluded": {reason code: n}} (see services.cycles).
    generation_report = models.JSONField(default=dict, blank=True)

    # Running totals, kept by the services in the same transactions that change entitlements.
    planned_count = models.PositiveIntegerField(default=0)
    planned_amount = models.BigIntegerField(default=0)
    paid_count = models.PositiveIntegerField(default=0)
    paid_amount = models.BigIntegerField(default=0)
    cancelled_count = models.PositiveIntegerField(default=0)
    cancelled_amount = models.BigIntegerField(default=0)
    # Commitment added to enrollments at approval where their remaining commitment did not cover the cycle.
    topup_amount = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = _("siklus pembayaran")
        verbose_name_plural = _("siklus pembayaran")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="cycle_period_order"),
            # One live cycle per program and period; a cancelled one may be made again.
            models.UniqueConstraint(
                fields=["program", "period_start"], condition=~Q(state="cancelled"), name="cycle_period_unique"
            ),
            # Maker-checker in the database too: the approver is never the one who generated the list.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | Q(generated_by__isnull=True) | ~Q(approved_by=F("generated_by")),
                name="cycle_maker_checker",
            ),
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0) & Q(paid_amount__lte=F("planned_amount"))
                & Q(cancelled_amount__gte=0) & Q(paid_amount__lte=F("planned_amount") - F("cancelled_amount")),
                name="cycle_amounts_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} — {self.label}"

    @property
    def open_amount(self) -> int:
        """Approved money neither paid nor cancelled yet."""
        return self.planned_amount - self.paid_amount - self.cancelled_amount


class EntitlementState(models.TextChoices):
    DUE = "due", _("Menunggu dibayar")  # in the cycle; not in a payment batch (yet, or again after a failure)
    SENT = "sent", _("Dikirim ke lembaga bayar")  # in a batch; waiting for the result
    PAID = "paid", _("Dibayar")
    FAILED = "failed", _("Gagal")  # the last attempt failed; staff decide: retry or cancel
    CANCELLED = "cancelled", _("Dibatalkan")


# Entitlements whose money is still owed (reserved on the enrollment's commitment).
OUTSTANDING_STATES = (EntitlementState.DUE, EntitlementState.SENT, EntitlementState.FAILED)


class Entitlement(models.Model):
    """What one participant gets in one cycle, frozen when the cycle is generated."""

    # Indexed by the composite indexes and unique constraints below (cycle first, household first).
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="entitlements", db_index=False)
    enrollment = models.ForeignKey("programs.Enrollment", on_delete=models.PROTECT, related_name="entitlements")
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="entitlements", db_index=False
    )
    # The person paid: the household head for household programs, the participant for person programs.
    # A pointer beside the snapshot below (name, NIK): no database-level check, which PostgreSQL would
    # run for each of a cycle's 100,000 rows at commit; Django still nulls it should a resident go.
    recipient = models.ForeignKey(
        "registry.Resident", null=True, on_delete=models.SET_NULL, related_name="entitlements", db_index=False,
        db_constraint=False,
    )
    # For person programs: the participant (one entitlement per person and cycle).
    participant = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Snapshot of what the payment file needs, as it was when the cycle was generated.
    recipient_name = models.CharField(max_length=120)
    recipient_nik = models.CharField(max_length=16)
    kk_number = models.CharField(max_length=16)
    rt_label = models.CharField(max_length=20, blank=True)
    amount = models.BigIntegerField(_("nilai (Rp)"))
    # [{"code": "per_child_sd", "count": 2, "unit": 250000, "amount": 500000}, ...] and a cap note.
    breakdown = models.JSONField(default=list, blank=True)
    topup_amount = models.BigIntegerField(default=0)
    state = models.CharField(max_length=10, choices=EntitlementState.choices, default=EntitlementState.DUE)
    attempts = models.PositiveSmallIntegerField(default=0)  # payments sent so far
    paid_on = models.DateField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="entitlement_amount_positive"),
            models.CheckConstraint(condition=Q(topup_amount__gte=0) & Q(topup_amount__lte=F("amount")),
                                   name="entitlement_topup_within_amount"),
            models.UniqueConstraint(fields=["cycle", "enrollment"], name="entitlement_cycle_enrollment_unique"),
            # Never twice for the same household (household programs) or person (person programs) in a cycle.
            models.UniqueConstraint(fields=["cycle", "household"], condition=Q(participant__isnull=True),
                                    name="entitlement_cycle_household_unique"),
            models.UniqueConstraint(fields=["cycle", "participant"], condition=Q(participant__isnull=False),
                                    name="entitlement_cycle_participant_unique"),
        ]
        # No index holds ``state``: paying 100,000 entitlements then rewrites no index entry (on
        # PostgreSQL a heap-only update, with the table's fillfactor leaving room; see migrations).
        # Per-cycle lists by state read the cycle's rows through the (cycle, enrollment) index.
        indexes = [
            models.Index(fields=["household", "cycle"], name="entitlement_household_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.recipient_name}"


class Batch(models.Model):
    """One payment file: the entitlements sent to the paying institution together."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="batches")
    number = models.PositiveSmallIntegerField()  # 1, 2, ... within the cycle (2+ carry retries)
    institution = models.ForeignKey(PaymentInstitution, on_delete=models.PROTECT, related_name="batches")
    line_count = models.PositiveIntegerField(default=0)
    total_amount = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["cycle", "number"]
        constraints = [models.UniqueConstraint(fields=["cycle", "number"], name="batch_number_unique")]

    def __str__(self) -> str:
        return f"{self.cycle} #{self.number}"


class PaymentStatus(models.TextChoices):
    SENT = "sent", _("Dikirim")
    PAID = "paid", _("Dibayar")
    FAILED = "failed", _("Gagal")
    VOID = "void", _("Dibatalkan")  # withdrawn before any result (e.g. a cash-office line never handed out)


class Payment(models.Model):
    """One attempt to pay one entitlement, with a reference of its own for the paying institution."""

    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="payments", db_index=False)
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="payments", db_index=False)
    attempt = models.PositiveSmallIntegerField()
    reference = models.CharField(_("referensi pembayaran"), max_length=24, unique=True)
    amount = models.BigIntegerField()
    account_number = models.CharField(max_length=34, blank=True)
    account_name = models.CharField(max_length=120, blank=True)
    pickup_code = models.CharField(max_length=12, blank=True)
    status = models.CharField(max_length=8, choices=PaymentStatus.choices, default=PaymentStatus.SENT)
    # True while sent or paid (a CHECK ties it to status). The one-live-payment index tests this
    # flag, not status, so "sent -> paid" changes no indexed column: on PostgreSQL a heap-only update.
    live = models.BooleanField(default=True)
    paid_on = models.DateField(null=True, blank=True)
    failure_reason = models.CharField(max_length=200, blank=True)
    result = models.ForeignKey(
        "ResultUpload", null=True, blank=True, on_delete=models.PROTECT, related_name="payments", db_index=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.UniqueConstraint(fields=["entitlement", "attempt"], name="payment_attempt_unique"),
            # The heart of "never pay twice": at most one payment of an entitlement is out or paid.
            models.UniqueConstraint(fields=["entitlement"], condition=Q(live=True),
                                    name="payment_one_live_per_entitlement"),
            models.CheckConstraint(
                condition=Q(live=True, status__in=("sent", "paid")) | Q(live=False, status__in=("failed", "void")),
                name="payment_live_matches_status",
            ),
        ]
        # Not (batch, status): a status change would then rewrite one more index entry per payment.
        indexes = [models.Index(fields=["batch"], name="payment_batch_idx")]

    def __str__(self) -> str:
        return self.reference


class ResultUpload(models.Model):
    """A result file of the paying institution, and what reconciling it did."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="results")
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    lines = models.PositiveIntegerField(default=0)
    paid_count = models.PositiveIntegerField(default=0)
    paid_amount = models.BigIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)  # lines already applied by an earlier file
    problem_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            # The same file twice on a cycle is refused before anything is read.
            models.UniqueConstraint(fields=["cycle", "sha256"], name="result_upload_file_unique"),
        ]

    def __str__(self) -> str:
        return self.file_name


class ProblemCode(models.TextChoices):
    UNREADABLE = "unreadable", _("Baris tidak terbaca")
    UNKNOWN_REFERENCE = "unknown_reference", _("Referensi tidak dikenal")
    OTHER_CYCLE = "other_cycle", _("Referensi milik siklus lain")
    AMOUNT_MISMATCH = "amount_mismatch", _("Nilai berbeda")
    DUPLICATE = "duplicate", _("Referensi muncul lebih dari sekali dalam berkas")
    CONFLICT = "conflict", _("Bertentangan dengan status yang sudah tercatat")
    NOT_SENT = "not_sent", _("Pembayaran ini tidak sedang dikirim")


class ResultProblem(models.Model):
    """A line of a result file that was not applied, and why."""

    upload = models.ForeignKey(ResultUpload, on_delete=models.CASCADE, related_name="problems")
    line_no = models.PositiveIntegerField()
    reference = models.CharField(max_length=100, blank=True)
    code = models.CharField(max_length=20, choices=ProblemCode.choices)
    detail = models.CharField(max_length=300, blank=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["upload", "line_no"]


class IdentityDocument(models.TextChoices):
    KTP = "ktp", _("KTP elektronik")
    KK = "kk", _("Kartu Keluarga")
    OTHER = "other", _("Dokumen lain")


class CashReceipt(models.Model):
    """Cash handed out at the kelurahan office: who received it, who handed it, how identity was checked."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    receiver_name = models.CharField(_("nama penerima"), max_length=120)
    receiver_nik = models.CharField(_("NIK penerima"), max_length=16)
    # Someone else of the household may collect; the relation is recorded when not the recipient.
    receiver_note = models.CharField(_("keterangan penerima"), max_length=200, blank=True)
    identity_document = models.CharField(_("dokumen identitas"), max_length=8, choices=IdentityDocument.choices)
    identity_checked = models.BooleanField(_("identitas sudah dicocokkan"))
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(identity_checked=True), name="receipt_identity_checked"),
        ]
