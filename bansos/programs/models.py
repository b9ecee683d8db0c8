"""Programs of every agency, their funding and budgets, enrollments, referrals and overlap policies.

Money is integer Rupiah. A program's budget figures live on its own row so that one conditional
UPDATE commits money atomically, and CHECK constraints make over-commitment impossible even when two
officers approve at the same moment (the second UPDATE finds no row to change, and a bug that skips
the condition still fails on the constraint).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProgramKind(models.TextChoices):
    CASH = "cash", _("Bantuan tunai")
    TRAINING = "training", _("Pelatihan keterampilan")
    ENTERPRISE = "enterprise", _("Usaha mikro (UMKM)")
    EDUCATION = "education", _("Pendidikan")
    HEALTH = "health", _("Kesehatan")
    COMMUNITY = "community", _("Pemuda & masyarakat")


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")  # being prepared; no enrollment yet
    OPEN = "open", _("Menerima pendaftaran")  # applications and approvals
    RUNNING = "running", _("Berjalan")  # participants active; approvals still possible within budget
    CLOSED = "closed", _("Selesai")  # finished; nothing changes any more


PROGRAM_TRANSITIONS = {
    ProgramStatus.DRAFT: {ProgramStatus.OPEN, ProgramStatus.CLOSED},
    ProgramStatus.OPEN: {ProgramStatus.RUNNING, ProgramStatus.CLOSED, ProgramStatus.DRAFT},
    ProgramStatus.RUNNING: {ProgramStatus.CLOSED, ProgramStatus.OPEN},
    ProgramStatus.CLOSED: set(),
}


class TargetGroup(models.TextChoices):
    FEMALE_HEAD = "female_head", _("Perempuan kepala keluarga")
    YOUTH = "youth", _("Pemuda")
    CHILDREN = "children", _("Anak")
    PREGNANT = "pregnant", _("Ibu hamil")
    ELDERLY = "elderly", _("Lansia")
    DISABILITY = "disability", _("Penyandang disabilitas")
    MICRO_BUSINESS = "micro_business", _("Pelaku usaha mikro")
    POOR = "poor", _("Keluarga miskin/rentan")


class Participant(models.TextChoices):
    HOUSEHOLD = "household", _("Keluarga")  # the whole KK receives the benefit (cash, UMKM capital)
    RESIDENT = "resident", _("Perorangan")  # one person (a trainee, a student, a pregnant woman)


# The participant a program kind usually has; a program may choose otherwise.
DEFAULT_PARTICIPANT = {
    ProgramKind.CASH: Participant.HOUSEHOLD,
    ProgramKind.TRAINING: Participant.RESIDENT,
    ProgramKind.ENTERPRISE: Participant.HOUSEHOLD,
    ProgramKind.EDUCATION: Participant.RESIDENT,
    ProgramKind.HEALTH: Participant.RESIDENT,
    ProgramKind.COMMUNITY: Participant.RESIDENT,
}


class BenefitKind(models.TextChoices):
    MONEY = "money", _("Uang per periode")
    COURSE = "course", _("Kursus/pelatihan")
    CAPITAL = "capital", _("Modal usaha")
    STIPEND = "stipend", _("Beasiswa/tunjangan")
    SERVICE = "service", _("Layanan")
    GOODS = "goods", _("Barang")


class Program(models.Model):
    name = models.CharField(_("nama program"), max_length=150)
    kind = models.CharField(_("jenis program"), max_length=20, choices=ProgramKind.choices)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="programs", verbose_name=_("lembaga pelaksana")
    )
    description = models.TextField(_("keterangan untuk warga"), blank=True)
    target_groups = models.JSONField(_("kelompok sasaran"), default=list, blank=True)
    rule = models.ForeignKey(
        "eligibility.EligibilityRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="programs",
        verbose_name=_("aturan kelayakan"),
    )
    participant = models.CharField(_("peserta"), max_length=12, choices=Participant.choices)
    benefit_kind = models.CharField(_("bentuk manfaat"), max_length=12, choices=BenefitKind.choices)
    benefit_description = models.CharField(_("manfaat yang diterima"), max_length=200, blank=True)
    # What one participant costs the budget: amount per period x number of periods, committed at approval.
    benefit_amount = models.PositiveBigIntegerField(_("nilai manfaat per periode (Rp)"), default=0)
    benefit_periods = models.PositiveIntegerField(_("jumlah periode"), default=1)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    capacity = models.PositiveIntegerField(_("kuota peserta"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT)
    # Public fields shown in the resident portal's catalog (never budgets or personal data).
    how_to_apply = models.TextField(_("cara mendaftar"), blank=True)
    contact = models.CharField(_("kontak untuk warga"), max_length=200, blank=True)
    # Whether a signed-in resident may apply through the portal (while the program accepts participants).
    resident_applications = models.BooleanField(_("warga dapat mendaftar lewat portal"), default=False)

    # Budget figures, kept by the services only (see the module docstring).
    budget_allocated = models.BigIntegerField(default=0)
    budget_committed = models.BigIntegerField(default=0)
    budget_disbursed = models.BigIntegerField(default=0)
    # Participants holding a place: approved, active, suspended, graduated, or exited after starting.
    seats_taken = models.PositiveIntegerField(default=0)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("program")
        verbose_name_plural = _("program")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="program_period_order"),
            models.CheckConstraint(condition=Q(benefit_periods__gte=1), name="program_periods_positive"),
            models.CheckConstraint(condition=Q(budget_committed__gte=0), name="program_committed_nonnegative"),
            models.CheckConstraint(
                condition=Q(budget_committed__lte=F("budget_allocated")), name="program_committed_within_allocated"
            ),
            models.CheckConstraint(
                condition=Q(budget_disbursed__gte=0) & Q(budget_disbursed__lte=F("budget_committed")),
                name="program_disbursed_within_committed",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity")),
                name="program_seats_within_capacity",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status"], name="program_agency_status_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def cost_per_participant(self) -> int:
        return self.benefit_amount * self.benefit_periods

    @property
    def budget_remaining(self) -> int:
        return self.budget_allocated - self.budget_committed

    @property
    def seats_remaining(self) -> int | None:
        return None if self.capacity is None else self.capacity - self.seats_taken

    @property
    def approval_room(self) -> int | None:
        """How many more participants the remaining budget and places allow (None: no limit)."""
        limits = []
        if self.cost_per_participant > 0:
            limits.append(max(0, self.budget_remaining // self.cost_per_participant))
        if self.capacity is not None:
            limits.append(max(0, self.capacity - self.seats_taken))
        return min(limits) if limits else None


class FundingKind(models.TextChoices):
    APBD = "apbd", _("APBD DKI Jakarta")
    APBN = "apbn", _("APBN")
    DONOR = "donor", _("Donor")
    CSR = "csr", _("CSR perusahaan")
    COMMUNITY = "community", _("Swadaya masyarakat")


class FundingSource(models.Model):
    """Money available to programs: a budget line, a grant, a company's CSR fund, a community collection."""

    name = models.CharField(_("nama sumber dana"), max_length=150)
    kind = models.CharField(_("jenis sumber dana"), max_length=12, choices=FundingKind.choices)
    # The funder (a partner agency), or empty for the kelurahan's own budget lines.
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="funding_sources",
        verbose_name=_("pemberi dana"),
    )
    # Whether other agencies' programs may draw on it, or only the funder's own.
    shared = models.BooleanField(_("boleh dipakai lembaga lain"), default=True)
    fiscal_year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    amount = models.BigIntegerField(_("jumlah dana (Rp)"))
    allocated = models.BigIntegerField(default=0)  # sum of its allocations, kept by the services
    note = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-fiscal_year", "name", "pk"]
        verbose_name = _("sumber dana")
        verbose_name_plural = _("sumber dana")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_amount_positive"),
            models.CheckConstraint(
                condition=Q(allocated__gte=0) & Q(allocated__lte=F("amount")), name="funding_allocated_within_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.fiscal_year})"

    @property
    def available(self) -> int:
        return self.amount - self.allocated


class Allocation(models.Model):
    """Money moved from a source to a program; negative when it is taken back."""

    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="allocations")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="allocations")
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="allocation_amount_nonzero")]


class MovementKind(models.TextChoices):
    ALLOCATE = "allocate", _("Alokasi")  # money allocated to (or, negative, taken from) the program
    COMMIT = "commit", _("Komitmen")  # approvals reserve money for participants
    RELEASE = "release", _("Pelepasan")  # a commitment not needed any more returns to the remaining budget
    DISBURSE = "disburse", _("Penyaluran")  # money actually paid out


class BudgetMovement(models.Model):
    """The program's budget ledger: each change of its figures, for the record and for the forecast."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="movements")
    kind = models.CharField(max_length=12, choices=MovementKind.choices)
    amount = models.BigIntegerField()
    participants = models.PositiveIntegerField(default=0)  # how many enrollments the movement covers
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["program", "kind", "created_at"], name="budget_move_program_idx")]


class EnrollmentState(models.TextChoices):
    APPLIED = "applied", _("Mendaftar")  # application recorded; waiting for the field check
    VERIFIED = "verified", _("Terverifikasi")  # field check recorded; waiting for a decision
    APPROVED = "approved", _("Disetujui")  # budget and place committed; not started yet
    REJECTED = "rejected", pgettext_lazy("enrollment state", "Ditolak")  # not admitted (reason recorded); may apply again later
    ACTIVE = "active", _("Aktif")  # receiving the benefit
    SUSPENDED = "suspended", _("Ditangguhkan")  # benefit paused (reason recorded); may resume
    GRADUATED = "graduated", _("Lulus/mandiri")  # completed the program
    EXITED = "exited", pgettext_lazy("enrollment state", "Keluar")  # left before completing (reason recorded)


ENROLLMENT_TRANSITIONS: dict[str, set[str]] = {
    EnrollmentState.APPLIED: {EnrollmentState.VERIFIED, EnrollmentState.REJECTED},
    EnrollmentState.VERIFIED: {EnrollmentState.APPROVED, EnrollmentState.REJECTED},
    EnrollmentState.APPROVED: {EnrollmentState.ACTIVE, EnrollmentState.EXITED},
    EnrollmentState.ACTIVE: {EnrollmentState.GRADUATED, EnrollmentState.EXITED, EnrollmentState.SUSPENDED},
    EnrollmentState.SUSPENDED: {EnrollmentState.ACTIVE, EnrollmentState.EXITED},
    EnrollmentState.REJECTED: set(),
    EnrollmentState.GRADUATED: set(),
    EnrollmentState.EXITED: set(),
}
# Transitions whose reason is required (the others take an optional note).
REASON_REQUIRED = {
    EnrollmentState.REJECTED, EnrollmentState.EXITED, EnrollmentState.SUSPENDED, EnrollmentState.VERIFIED,
}
# An enrollment in these states blocks another application to the same program.
OPEN_STATES = (
    EnrollmentState.APPLIED, EnrollmentState.VERIFIED, EnrollmentState.APPROVED, EnrollmentState.ACTIVE,
    EnrollmentState.SUSPENDED,
)
# A household "receives" a program in these states (overlap, coordination, program_member predicate).
RECEIVING_STATES = (EnrollmentState.APPROVED, EnrollmentState.ACTIVE, EnrollmentState.SUSPENDED)


class Channel(models.TextChoices):
    STAFF = "staff", _("Didaftarkan petugas")
    NOMINATION = "nomination", _("Usulan RT/RW")
    RESIDENT = "resident", _("Pendaftaran warga")
    REFERRAL = "referral", _("Rujukan program lain")
    RULE_RUN = "rule_run", _("Hasil aturan kelayakan")


class Enrollment(models.Model):
    """A household (or one of its members) in a program, through the guarded workflow above."""

    # Every index on this table is rewritten when an enrollment changes state (bulk steps change 100,000
    # at once), so the plain foreign-key indexes that the composite indexes below already cover are off.
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="enrollments", db_index=False, verbose_name=_("program")
    )
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="enrollments", db_index=False,
        verbose_name=_("keluarga"),
    )
    resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="enrollments",
        verbose_name=_("peserta perorangan"),
    )
    state = models.CharField(
        _("status"), max_length=12, choices=EnrollmentState.choices, default=EnrollmentState.APPLIED
    )
    channel = models.CharField(_("jalur pendaftaran"), max_length=12, choices=Channel.choices, default=Channel.STAFF)
    # Money reserved for this participant at approval, and how much of it has been paid.
    committed_amount = models.BigIntegerField(_("dana dikomitmenkan"), default=0)
    disbursed_amount = models.BigIntegerField(_("dana disalurkan"), default=0)
    verification_note = models.TextField(blank=True)
    reason = models.TextField(blank=True)  # the latest rejection, suspension or exit reason
    applied_by = models.ForeignKey(  # not indexed: only read with its enrollment (a user's removal scans)
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)  # approved or rejected
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # graduated or exited
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-applied_at", "-pk"]
        constraints = [
            # One open enrollment per participant and program (a rejected or ended one may apply again).
            models.UniqueConstraint(
                fields=["program", "household"],
                condition=Q(resident__isnull=True, state__in=OPEN_STATES),
                name="enrollment_open_household_unique",
            ),
            models.UniqueConstraint(
                fields=["program", "resident"],
                condition=Q(resident__isnull=False, state__in=OPEN_STATES),
                name="enrollment_open_resident_unique",
            ),
            models.CheckConstraint(
                condition=Q(committed_amount__gte=0)
                & Q(disbursed_amount__gte=0)
                & Q(disbursed_amount__lte=F("committed_amount")),
                name="enrollment_money_consistent",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "state"], name="enrollment_program_state_idx"),
            models.Index(fields=["household", "state"], name="enrollment_household_state_idx"),
            # Only the receiving enrollments, in household order: the coordination page's one pass
            # over "who receives what" reads this index alone (programs.selectors.coordination).
            models.Index(fields=["household", "program"], condition=Q(state__in=RECEIVING_STATES),
                         name="enrollment_receiving_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.program} — {self.resident or self.household}"

    @property
    def participant_label(self) -> str:
        return str(self.resident) if self.resident_id else str(self.household)


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Dikirim")  # waiting for the receiving program
    ACCEPTED = "accepted", _("Diterima")  # the receiving program will enroll the family
    ENROLLED = "enrolled", _("Terdaftar")  # an enrollment was created from it
    DECLINED = "declined", pgettext_lazy("referral status", "Ditolak")  # the receiving program declined (reason recorded)


REFERRAL_TRANSITIONS = {
    ReferralStatus.SENT: {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.ENROLLED},
    ReferralStatus.ACCEPTED: {ReferralStatus.ENROLLED, ReferralStatus.DECLINED},
    ReferralStatus.ENROLLED: set(),
    ReferralStatus.DECLINED: set(),
}


class Referral(models.Model):
    """A family sent from one program to another on its path to self-reliance (cash -> training -> UMKM)."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="referrals")
    resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    from_program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals_out",
        verbose_name=_("dari program"),
    )
    to_program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="referrals_in", verbose_name=_("ke program")
    )
    status = models.CharField(max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    note = models.TextField(_("alasan rujukan"), blank=True)
    response = models.TextField(_("tanggapan"), blank=True)
    enrollment = models.OneToOneField(
        Enrollment, null=True, blank=True, on_delete=models.SET_NULL, related_name="referral"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_program__isnull=True) | ~Q(from_program=F("to_program")),
                name="referral_to_another_program",
            ),
            # One unanswered referral of a family to a program: two officers sending at once cannot both succeed.
            models.UniqueConstraint(
                fields=["household", "to_program"],
                condition=Q(status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED)),
                name="referral_pending_unique",
            ),
        ]
        indexes = [models.Index(fields=["to_program", "status"], name="referral_to_status_idx")]

    def __str__(self) -> str:
        return f"{self.household}: {self.from_program or '-'} -> {self.to_program}"


class PolicyEffect(models.TextChoices):
    FORBID = "forbid", _("Tidak boleh")  # approval is refused
    WARN = "warn", _("Peringatan")  # approval needs the officer to confirm the warning


class OverlapPolicy(models.Model):
    """A kelurahan rule on two program kinds received by the same household at once."""

    kind_a = models.CharField(_("jenis program"), max_length=20, choices=ProgramKind.choices)
    kind_b = models.CharField(_("bersama jenis program"), max_length=20, choices=ProgramKind.choices)
    effect = models.CharField(_("akibat"), max_length=8, choices=PolicyEffect.choices)
    # Only when the two programs' periods overlap (e.g. two cash programs in the same months).
    same_period = models.BooleanField(_("hanya jika periodenya bertumpang tindih"), default=True)
    note = models.CharField(_("alasan kebijakan"), max_length=200, blank=True)
    is_active = models.BooleanField(_("berlaku"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind_a", "kind_b"]
        verbose_name = _("kebijakan tumpang tindih")
        verbose_name_plural = _("kebijakan tumpang tindih")
        constraints = [
            # Stored with kind_a <= kind_b so that (cash, training) and (training, cash) are one policy.
            models.CheckConstraint(condition=Q(kind_a__lte=F("kind_b")), name="overlap_policy_kinds_ordered"),
            models.UniqueConstraint(fields=["kind_a", "kind_b"], name="overlap_policy_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_a_display()} + {self.get_kind_b_display()}: {self.get_effect_display()}"
