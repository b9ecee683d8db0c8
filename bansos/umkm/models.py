"""Micro-business (UMKM) support: businesses, capital grants and loans, repayments, mentoring, revenue.

Capital is paid from an enterprise program's budget: each grant or loan belongs to an enrollment of
the owner's household in that program, and its disbursement moves money from committed to disbursed
through ``programs.services.funding.enrollment_disburse``. A loan's schedule is a set of instalments
whose amounts add up to exactly the principal plus the flat interest (integer Rupiah: the remainder
of the division goes to the first instalments, so no rupiah is lost or created). Repayments fill the
oldest unpaid instalment first; an instalment past its due date and not fully paid puts the loan in
arrears, and the days overdue count from the oldest such due date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    FOOD = "food", _("Makanan & minuman")
    FASHION = "fashion", _("Busana & konveksi")
    CRAFT = "craft", _("Kerajinan")
    RETAIL = "retail", _("Warung & dagang eceran")
    SERVICES = "services", _("Jasa")
    BEAUTY = "beauty", _("Kecantikan")
    DIGITAL = "digital", _("Digital & daring")
    AGRICULTURE = "agriculture", _("Pertanian kota & perikanan")
    OTHER = "other", _("Lainnya")


class BusinessStatus(models.TextChoices):
    ACTIVE = "active", _("Berjalan")
    CLOSED = "closed", _("Tutup")


class Business(models.Model):
    owner = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="businesses",
                              verbose_name=_("pemilik"))
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="businesses")
    # The enterprise program that supports the business; its agency's officers manage it.
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="businesses",
                                verbose_name=_("program pendamping"))
    name = models.CharField(_("nama usaha"), max_length=150)
    sector = models.CharField(_("sektor"), max_length=20, choices=Sector.choices)
    products = models.CharField(_("produk/jasa"), max_length=250)
    started_on = models.DateField(_("mulai usaha"))
    rt = models.ForeignKey("core.RT", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("RT lokasi usaha"))
    address = models.CharField(_("alamat usaha"), max_length=250, blank=True)
    nib = models.CharField(_("NIB (Nomor Induk Berusaha)"), max_length=13, blank=True)
    women_owned = models.BooleanField(_("usaha milik perempuan"), default=False)
    youth_owned = models.BooleanField(_("usaha milik pemuda"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=BusinessStatus.choices,
                              default=BusinessStatus.ACTIVE)
    closed_on = models.DateField(_("tanggal tutup"), null=True, blank=True)
    closed_reason = models.CharField(_("alasan tutup"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("usaha mikro")
        verbose_name_plural = _("usaha mikro")
        constraints = [
            models.UniqueConstraint(fields=["nib"], condition=~Q(nib=""), name="business_nib_unique"),
            models.CheckConstraint(condition=~Q(status="closed") | Q(closed_on__isnull=False),
                                   name="business_closed_has_date"),
        ]

    def __str__(self) -> str:
        return self.name


class SupportKind(models.TextChoices):
    GRANT = "grant", _("Hibah modal")
    LOAN = "loan", _("Pinjaman modal")


class CapitalSupport(models.Model):
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="capital")
    enrollment = models.ForeignKey("programs.Enrollment", on_delete=models.PROTECT, related_name="capital")
    kind = models.CharField(_("jenis bantuan"), max_length=8, choices=SupportKind.choices)
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    # Loans: flat interest per year in basis points (0 = without interest), term and first due date.
    interest_bp_year = models.PositiveIntegerField(_("bunga flat per tahun (basis poin)"), default=0)
    term_months = models.PositiveSmallIntegerField(_("jangka waktu (bulan)"), null=True, blank=True)
    first_due_date = models.DateField(_("angsuran pertama"), null=True, blank=True)
    total_due = models.PositiveBigIntegerField(default=0)  # principal + interest (loans); 0 for grants
    repaid = models.PositiveBigIntegerField(default=0)  # sum of repayments, kept by the services
    approved_on = models.DateField(_("tanggal keputusan"))
    disbursed_on = models.DateField(_("tanggal pencairan"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-approved_on", "-pk"]
        verbose_name = _("bantuan modal")
        verbose_name_plural = _("bantuan modal")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=1), name="capital_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind="grant") | (Q(term_months__gte=1) & Q(first_due_date__isnull=False)),
                name="capital_loan_has_terms",
            ),
            models.CheckConstraint(condition=Q(repaid__lte=F("total_due")), name="capital_repaid_within_due"),
        ]


class Installment(models.Model):
    loan = models.ForeignKey(CapitalSupport, on_delete=models.CASCADE, related_name="installments")
    number = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    amount_due = models.PositiveBigIntegerField()
    amount_paid = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["loan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="installment_number_unique"),
            models.CheckConstraint(condition=Q(amount_paid__lte=F("amount_due")), name="installment_paid_within_due"),
        ]


class Repayment(models.Model):
    loan = models.ForeignKey(CapitalSupport, on_delete=models.PROTECT, related_name="repayments")
    paid_on = models.DateField(_("tanggal bayar"))
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # A mistaken repayment is reversed, never deleted: it stays in the list, struck through, with the reason,
    # and no longer counts in CapitalSupport.repaid nor in the instalments' amount_paid.
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reversed_reason = models.CharField(_("alasan pembatalan"), max_length=200, blank=True)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=1), name="repayment_amount_positive"),
            models.CheckConstraint(condition=Q(reversed_at__isnull=True) | ~Q(reversed_reason=""),
                                   name="repayment_reversal_has_reason"),
        ]

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None


class EquipmentSupport(models.Model):
    """In-kind help: a sewing machine, a cart, a freezer."""

    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="equipment")
    item = models.CharField(_("barang"), max_length=150)
    value = models.PositiveBigIntegerField(_("nilai (Rp)"), default=0)
    given_on = models.DateField(_("tanggal diserahkan"))
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-pk"]


class Mentoring(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="mentoring")
    date = models.DateField(_("tanggal"))
    topic = models.CharField(_("topik"), max_length=150)
    mentor = models.CharField(_("pendamping"), max_length=120)
    notes = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]


class RevenueLog(models.Model):
    """One month of a business's takings; profit may be negative (a loss)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="revenue")
    month = models.DateField(_("bulan"))  # always the first day of the month (the services normalise it)
    revenue = models.PositiveBigIntegerField(_("omzet (Rp)"))
    profit = models.BigIntegerField(_("laba (Rp)"))
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["business", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["business", "month"], name="revenue_month_unique"),
        ]
