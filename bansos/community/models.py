"""Usul/sanggah (nominations and objections on beneficiaries), the public beneficiary list, youth proposals.

Nominations and objections follow one path: a resident files it, staff check it in the field, staff decide.
An accepted nomination becomes an application (``Channel.NOMINATION``); an accepted objection suspends the
listed enrollment (or records a finding for the program's agency when the deciding staff member may not
change that program's enrollments: see ``services.objections``). The objector is never shown to the
objected household: no page, API answer or message to it names the objector.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bansos.programs.models import TargetGroup


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")  # filed by a resident; waiting for the field check
    CHECKED = "checked", _("Sudah dicek lapangan")  # field check recorded; waiting for the decision
    ACCEPTED = "accepted", _("Diterima")  # decided in the resident's favour (outcome recorded)
    REJECTED = "rejected", _("Tidak diterima")  # decided against (reason recorded)


CASE_TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.SUBMITTED: {CaseStatus.CHECKED},
    CaseStatus.CHECKED: {CaseStatus.CHECKED, CaseStatus.ACCEPTED, CaseStatus.REJECTED},
    CaseStatus.ACCEPTED: set(),
    CaseStatus.REJECTED: set(),
}
OPEN_CASE_STATES = (CaseStatus.SUBMITTED, CaseStatus.CHECKED)


class Relation(models.TextChoices):
    OWN = "own", _("Keluarga sendiri")
    FAMILY = "family", _("Kerabat")
    NEIGHBOUR = "neighbour", _("Tetangga")


class FieldCheck(models.Model):
    """The field check and the decision, shared by nominations and objections."""

    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED)
    reason = models.TextField(_("alasan"))
    field_note = models.TextField(_("hasil cek lapangan"), blank=True)
    field_date = models.DateField(_("tanggal cek lapangan"), null=True, blank=True)
    field_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("petugas cek lapangan"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASE_STATES


class Nomination(FieldCheck):
    """Usul: a resident proposes a household (its own, a relative's, a neighbour's) for a program."""

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="nominations",
                                verbose_name=_("program"))
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="nominations",
                                  verbose_name=_("keluarga yang diusulkan"))
    relation = models.CharField(_("hubungan"), max_length=12, choices=Relation.choices)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="nominations")
    # The application an accepted nomination became.
    enrollment = models.OneToOneField("programs.Enrollment", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="nomination")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("usul")
        verbose_name_plural = _("usul")
        constraints = [
            # A resident nominates a household for a program once while the first nomination is open.
            models.UniqueConstraint(fields=["program", "household", "nominated_by"],
                                    condition=Q(status__in=OPEN_CASE_STATES), name="nomination_open_unique"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="nomination_status_idx")]

    def __str__(self) -> str:
        return f"Usul #{self.pk}"


class ObjectionOutcome(models.TextChoices):
    NONE = "", _("Belum ada")
    SUSPENDED = "suspended", _("Kepesertaan ditangguhkan")  # active participant paused pending the agency's review
    EXITED = "exited", _("Kepesertaan dibatalkan")  # approved but not started: the place goes back
    FINDING = "finding", _("Temuan diteruskan ke lembaga")  # the decider may not change the program
    NO_CHANGE = "no_change", _("Tidak ada perubahan kepesertaan")  # nothing left to suspend (ended, suspended)


class Objection(FieldCheck):
    """Sanggah: a resident objects to a listed beneficiary of its own RW."""

    enrollment = models.ForeignKey("programs.Enrollment", on_delete=models.PROTECT, related_name="objections")
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="objections",
                                verbose_name=_("program"))
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="objections",
                                  verbose_name=_("keluarga yang disanggah"))
    objector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="objections")
    outcome = models.CharField(_("tindak lanjut"), max_length=12, choices=ObjectionOutcome.choices, blank=True,
                               default=ObjectionOutcome.NONE)
    # A finding for the program's agency, and how the agency closed it.
    finding_closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    finding_closed_at = models.DateTimeField(null=True, blank=True)
    finding_note = models.TextField(_("tindak lanjut lembaga"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("sanggah")
        verbose_name_plural = _("sanggah")
        constraints = [
            # One objection per resident and beneficiary, ever: a second one is a duplicate, not new evidence.
            models.UniqueConstraint(fields=["enrollment", "objector"], name="objection_once_per_objector"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="objection_status_idx")]

    def __str__(self) -> str:
        return f"Sanggah #{self.pk}"


class Audience(models.TextChoices):
    RESIDENTS = "residents", _("Hanya warga yang masuk (RW sendiri)")  # default: proportional to the purpose
    PUBLIC = "public", _("Umum, tanpa masuk")


class Masking(models.TextChoices):
    STARS = "stars", _("Huruf depan dan bintang (S*** W******)")
    INITIALS = "initials", _("Inisial saja (S. W.)")


class ListingSettings(models.Model):
    """The one row of settings of the public beneficiary list (UU PDP: shown only as far as needed)."""

    enabled = models.BooleanField(_("daftar penerima ditampilkan"), default=True)
    audience = models.CharField(_("siapa yang dapat melihat"), max_length=12, choices=Audience.choices,
                                default=Audience.RESIDENTS)
    masking = models.CharField(_("cara menyamarkan nama"), max_length=12, choices=Masking.choices,
                               default=Masking.STARS)
    programs = models.ManyToManyField("programs.Program", blank=True, related_name="+",
                                      verbose_name=_("program yang ditampilkan"))
    # Agencies that agreed to have their beneficiaries listed; a program is listed only with its agency's consent.
    consenting_agencies = models.ManyToManyField("accounts.Agency", blank=True, related_name="+",
                                                 verbose_name=_("lembaga yang mengizinkan"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengaturan daftar penerima")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="listing_settings_singleton")]


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Menggalang dukungan")  # open for support; not reviewed yet
    REVIEWING = "reviewing", _("Ditinjau kelurahan")  # the kelurahan answered; still open for support
    APPROVED = "approved", _("Disetujui")  # became a program draft
    DECLINED = "declined", _("Tidak disetujui")  # answered and closed


PROPOSAL_TRANSITIONS: dict[str, set[str]] = {
    ProposalStatus.SUBMITTED: {ProposalStatus.REVIEWING, ProposalStatus.APPROVED, ProposalStatus.DECLINED},
    ProposalStatus.REVIEWING: {ProposalStatus.REVIEWING, ProposalStatus.APPROVED, ProposalStatus.DECLINED},
    ProposalStatus.APPROVED: set(),
    ProposalStatus.DECLINED: set(),
}
SUPPORTABLE = (ProposalStatus.SUBMITTED, ProposalStatus.REVIEWING)


class Proposal(models.Model):
    """A youth proposal for a community program, supported by residents and reviewed by the kelurahan."""

    title = models.CharField(_("judul"), max_length=150)
    description = models.TextField(_("uraian"))
    budget_estimate = models.BigIntegerField(_("perkiraan anggaran (Rp)"))
    target_group = models.CharField(_("kelompok sasaran"), max_length=20, choices=TargetGroup.choices)
    rw = models.ForeignKey("core.RW", on_delete=models.PROTECT, related_name="+", verbose_name="RW")
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals")
    proposer_resident = models.ForeignKey("registry.Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=ProposalStatus.choices,
                              default=ProposalStatus.SUBMITTED)
    answer = models.TextField(_("jawaban kelurahan"), blank=True)  # public
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    program = models.OneToOneField("programs.Program", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="proposal", verbose_name=_("program hasil usulan"))
    support_count = models.PositiveIntegerField(default=0)  # kept by the vote service with F()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("usulan pemuda")
        verbose_name_plural = _("usulan pemuda")
        constraints = [
            models.CheckConstraint(condition=Q(budget_estimate__gt=0), name="proposal_budget_positive"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="proposal_status_idx")]

    def __str__(self) -> str:
        return self.title


class ProposalVote(models.Model):
    """One resident's support for a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The person behind the account, so two accounts of one person cannot vote twice either.
    voter_resident = models.ForeignKey("registry.Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], name="proposal_vote_once"),
            models.UniqueConstraint(fields=["proposal", "voter_resident"], condition=Q(voter_resident__isnull=False),
                                    name="proposal_vote_once_per_person"),
        ]
