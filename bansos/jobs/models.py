"""Jobs with business partners: vacancies, matching trained residents, referrals and their outcomes.

A partner company (an agency of kind "business") posts vacancies. A training coordinator sees the
residents who completed courses in the vacancy's skill areas, are of working age and not employed,
ranked with the reason for each match, and refers them. The company (or the coordinator) records the
outcome; a hire flows back to the resident's employment status through the registry's services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("Dibuka")
    CLOSED = "closed", _("Ditutup")  # closed by the company, or filled


class Vacancy(models.Model):
    company = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("perusahaan")
    )
    position = models.CharField(_("posisi"), max_length=150)
    description = models.TextField(_("keterangan pekerjaan"), blank=True)
    skill_areas = models.JSONField(_("keterampilan yang dibutuhkan"), default=list)  # SkillArea values
    openings = models.PositiveIntegerField(_("jumlah lowongan"))
    wage_min = models.PositiveBigIntegerField(_("upah minimum per bulan (Rp)"))
    wage_max = models.PositiveBigIntegerField(_("upah maksimum per bulan (Rp)"))
    location = models.CharField(_("lokasi kerja"), max_length=150, blank=True)
    min_age = models.PositiveSmallIntegerField(_("usia minimum"), default=18)
    max_age = models.PositiveSmallIntegerField(_("usia maksimum"), default=55)
    women_only = models.BooleanField(_("khusus perempuan"), default=False)
    closing_date = models.DateField(_("batas lamaran"))
    status = models.CharField(_("status"), max_length=8, choices=VacancyStatus.choices, default=VacancyStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["closing_date", "pk"]
        verbose_name = _("lowongan kerja")
        verbose_name_plural = _("lowongan kerja")
        constraints = [
            models.CheckConstraint(condition=Q(wage_min__lte=F("wage_max")), name="vacancy_wage_range"),
            models.CheckConstraint(condition=Q(openings__gte=1), name="vacancy_openings_positive"),
            models.CheckConstraint(condition=Q(min_age__lte=F("max_age")), name="vacancy_age_range"),
        ]

    def __str__(self) -> str:
        return f"{self.position} — {self.company}"


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Dirujuk")
    INTERVIEWED = "interviewed", _("Diwawancara")
    HIRED = "hired", _("Diterima bekerja")
    NOT_HIRED = "not_hired", _("Tidak diterima")
    WITHDRAWN = "withdrawn", _("Dibatalkan")


REFERRAL_TRANSITIONS = {
    ReferralStatus.REFERRED: {ReferralStatus.INTERVIEWED, ReferralStatus.HIRED, ReferralStatus.NOT_HIRED,
                              ReferralStatus.WITHDRAWN},
    ReferralStatus.INTERVIEWED: {ReferralStatus.HIRED, ReferralStatus.NOT_HIRED, ReferralStatus.WITHDRAWN},
    ReferralStatus.HIRED: set(),
    ReferralStatus.NOT_HIRED: set(),
    ReferralStatus.WITHDRAWN: set(),
}


class JobReferral(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="referrals")
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="job_referrals")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="job_referrals")
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices,
                              default=ReferralStatus.REFERRED)
    # The referrer's agency: its officers follow the referral and may record its outcome.
    referring_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="job_referrals_made",
        verbose_name=_("lembaga perujuk"),
    )
    # The reasons shown when the referral was made, as codes with values (bansos.jobs.reasons renders
    # them), so they read in the viewer's language and the company can be shown only its part.
    match_reasons = models.JSONField(default=list)
    note = models.TextField(_("catatan"), blank=True)
    wage = models.PositiveBigIntegerField(_("upah per bulan (Rp)"), null=True, blank=True)  # when hired
    start_date = models.DateField(_("mulai bekerja"), null=True, blank=True)  # when hired
    outcome_note = models.TextField(_("catatan hasil"), blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    referred_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-referred_at", "-pk"]
        verbose_name = _("rujukan kerja")
        verbose_name_plural = _("rujukan kerja")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "resident"], name="job_referral_unique"),
            models.CheckConstraint(
                condition=~Q(status="hired") | (Q(wage__isnull=False) & Q(start_date__isnull=False)),
                name="job_referral_hired_has_wage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} → {self.vacancy}"
