"""The kemandirian index (versioned weights as data), each household's monthly score, and graduation.

The index is a weighted mean of seven components, each 0..100 (see ``components``): what each one
reads is code, how much each one counts is data (``IndexModel`` and ``IndexWeight``), like the welfare
model. The poverty line, the graduation threshold and the number of months above it are parameters of
the model version too, so a change is a new version that the admin publishes, with its history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ModelStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")  # being edited by the admin; never used for scoring
    PUBLISHED = "published", _("Berlaku")  # the one model that scores households now
    RETIRED = "retired", _("Tidak berlaku")  # replaced by a newer version; kept read-only for history


# Allowed status changes; everything else is refused by the services.
MODEL_TRANSITIONS = {
    ModelStatus.DRAFT: {ModelStatus.PUBLISHED},
    ModelStatus.PUBLISHED: {ModelStatus.RETIRED},
    ModelStatus.RETIRED: set(),
}


class IndexModel(models.Model):
    """One version of the kemandirian index: component weights, the poverty line and the graduation rule."""

    version = models.PositiveIntegerField(_("versi"), unique=True)
    name = models.CharField(_("nama"), max_length=120)
    status = models.CharField(_("status"), max_length=12, choices=ModelStatus.choices, default=ModelStatus.DRAFT)
    poverty_line = models.PositiveBigIntegerField(
        _("garis kemiskinan per kapita per bulan (Rp)"),
        help_text=_("Garis kemiskinan DKI Jakarta (BPS) per orang per bulan."),
    )
    threshold = models.PositiveSmallIntegerField(
        _("ambang mandiri (0-100)"), help_text=_("Skor indeks minimal agar satu bulan dihitung mandiri.")
    )
    months_required = models.PositiveSmallIntegerField(
        _("jumlah bulan berturut-turut"),
        help_text=_("Berapa bulan berturut-turut skor harus di atas ambang sebelum keluarga diusulkan lulus."),
    )
    notes = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("model indeks kemandirian")
        verbose_name_plural = _("model indeks kemandirian")
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="published"),
                                    name="selfreliance_one_published"),
            models.CheckConstraint(condition=Q(poverty_line__gte=1), name="selfreliance_poverty_line_positive"),
            models.CheckConstraint(condition=Q(threshold__gte=1, threshold__lte=100),
                                   name="selfreliance_threshold_range"),
            models.CheckConstraint(condition=Q(months_required__gte=1, months_required__lte=36),
                                   name="selfreliance_months_range"),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"


class IndexWeight(models.Model):
    """The weight (integer points, 0..100) of one component in one model version."""

    model = models.ForeignKey(IndexModel, on_delete=models.CASCADE, related_name="weights")
    component = models.CharField(max_length=20)
    weight = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["model", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["model", "component"], name="selfreliance_weight_unique"),
            models.CheckConstraint(condition=Q(weight__lte=100), name="selfreliance_weight_range"),
        ]


class IndexScore(models.Model):
    """A household's index in one month: the score and each component (all 0..100).

    Derived rows, rewritten month by month by one INSERT ... SELECT (``sql``); no database foreign keys
    for the same reason as ``welfare.HouseholdWelfare`` (a lookup per row at COMMIT, guarding nothing
    that statement does not already). ``month`` is the first day of the month; the score is "as of"
    the month's last day.
    """

    household = models.ForeignKey("registry.Household", on_delete=models.CASCADE, related_name="index_scores",
                                  db_index=False, db_constraint=False)
    month = models.DateField(_("bulan"))
    model = models.ForeignKey(IndexModel, on_delete=models.PROTECT, related_name="scores", db_index=False,
                              db_constraint=False)
    score = models.PositiveSmallIntegerField(_("skor"))
    c_income = models.PositiveSmallIntegerField()
    c_earner = models.PositiveSmallIntegerField()
    c_livelihood = models.PositiveSmallIntegerField()
    c_schooling = models.PositiveSmallIntegerField()
    c_growth = models.PositiveSmallIntegerField()
    c_no_arrears = models.PositiveSmallIntegerField()
    c_no_cash_aid = models.PositiveSmallIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["household", "month"]
        verbose_name = _("skor indeks kemandirian")
        verbose_name_plural = _("skor indeks kemandirian")
        constraints = [
            # Its index serves the trajectory (one household, months in order) and the graduation run.
            models.UniqueConstraint(fields=["household", "month"], name="selfreliance_score_unique"),
            models.CheckConstraint(condition=Q(score__lte=100), name="selfreliance_score_range"),
        ]
        # The monthly rewrite deletes one month and the graduation and impact queries read one or a
        # few months whole: an index on month serves them all.
        indexes = [models.Index(fields=["month", "score"], name="selfreliance_month_score_idx")]


class IndexRun(models.Model):
    """One computation of the index for a range of months (who asked, how far it got)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")  # asked for, waiting for the worker
        RUNNING = "running", _("Berjalan")  # computing month by month
        DONE = "done", _("Selesai")  # every month stored, graduation proposals made
        FAILED = "failed", _("Gagal")  # the months not yet stored are as before; error says why

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_month = models.DateField()
    last_month = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    months_done = models.PositiveSmallIntegerField(default=0)
    households = models.PositiveIntegerField(default=0)
    proposals = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class GraduationState(models.TextChoices):
    PROPOSED = "proposed", _("Diusulkan")  # the index stayed above the threshold long enough; staff to decide
    CONFIRMED = "confirmed", _("Lulus")  # confirmed: cash enrollments ended as graduated; followed up since
    DECLINED = "declined", _("Tidak disetujui")  # staff declined (reason recorded); may be proposed again later


GRADUATION_TRANSITIONS = {
    GraduationState.PROPOSED: {GraduationState.CONFIRMED, GraduationState.DECLINED},
    GraduationState.CONFIRMED: set(),
    GraduationState.DECLINED: set(),
}


class Graduation(models.Model):
    """A proposal that a household graduates out of cash assistance, and staff's decision on it."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="graduations",
                                  verbose_name=_("keluarga"))
    model = models.ForeignKey(IndexModel, on_delete=models.PROTECT, related_name="graduations")
    month = models.DateField(_("bulan usulan"))  # the last month of the run above the threshold
    score = models.PositiveSmallIntegerField(_("skor saat diusulkan"))
    months_above = models.PositiveSmallIntegerField(_("bulan di atas ambang"))
    state = models.CharField(_("status"), max_length=12, choices=GraduationState.choices,
                             default=GraduationState.PROPOSED)
    reason = models.TextField(_("alasan"), blank=True)
    ended_enrollments = models.JSONField(default=list, blank=True)  # ids of the cash enrollments graduated
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "-pk"]
        verbose_name = _("kelulusan dari bantuan")
        verbose_name_plural = _("kelulusan dari bantuan")
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(state="proposed"),
                                    name="selfreliance_one_open_proposal"),
        ]
        indexes = [models.Index(fields=["state", "month"], name="selfreliance_grad_state_idx")]

    def __str__(self) -> str:
        return f"{self.household} {self.month:%Y-%m} {self.state}"
