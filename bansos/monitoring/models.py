"""Models of the monitoring app: indicators as data, monthly snapshots of their values, RW boundaries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    ECONOMY = "economy", _("Kemandirian ekonomi")
    EDUCATION = "education", _("Pendidikan")
    HEALTH = "health", _("Kesehatan")
    REACH = "reach", _("Jangkauan program")
    TARGETING = "targeting", _("Ketepatan sasaran")
    BUDGET = "budget", _("Anggaran")
    PARTICIPATION = "participation", _("Partisipasi")
    SELF_RELIANCE = "selfreliance", _("Kemandirian keluarga")


class Unit(models.TextChoices):
    PERCENT = "percent", _("persen")  # 100 * numerator / denominator
    COUNT = "count", _("jumlah")  # the numerator itself
    RUPIAH = "rupiah", _("rupiah")  # the numerator, or numerator / denominator when there is one
    DAYS = "days", _("hari")  # numerator (total days) / denominator (cases), or a median the computation gives
    PER_100 = "per100", _("per 100 keluarga")  # 100 * numerator / denominator (households)


class Direction(models.TextChoices):
    UP = "up", _("Makin tinggi makin baik")
    DOWN = "down", _("Makin rendah makin baik")
    NEUTRAL = "neutral", _("Tanpa arah (dipantau)")


class Breakdown(models.TextChoices):
    TOTAL = "total", _("Kelurahan")
    RW = "rw", "RW"
    SEX = "sex", _("Jenis kelamin")
    AGE_GROUP = "age_group", _("Kelompok umur")
    PROGRAM = "program", _("Program")
    AGENCY = "agency", _("Lembaga")
    FUNDING = "funding", _("Sumber dana")
    FEMALE_HEAD = "female_head", _("Perempuan kepala keluarga")
    DECILE = "decile", _("Desil kesejahteraan")


class Indicator(models.Model):
    """One indicator: what it means in plain words, which registered computation produces it, its target."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama indikator"), max_length=150)
    definition = models.TextField(_("definisi"))
    area = models.CharField(_("bidang"), max_length=20, choices=Area.choices)
    # Key of a function registered with ``bansos.monitoring.indicators.computation``.
    computation = models.CharField(_("cara hitung"), max_length=80)
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    unit = models.CharField(_("satuan"), max_length=10, choices=Unit.choices)
    direction = models.CharField(_("arah"), max_length=8, choices=Direction.choices, default=Direction.UP)
    baseline = models.FloatField(_("nilai dasar (baseline)"), null=True, blank=True)
    baseline_date = models.DateField(_("tanggal baseline"), null=True, blank=True)
    target = models.FloatField(_("target"), null=True, blank=True)
    target_date = models.DateField(_("tanggal target"), null=True, blank=True)
    breakdowns = models.JSONField(_("rincian yang didukung"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(_("aktif"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class SnapshotStatus(models.TextChoices):
    RUNNING = "running", _("Sedang dihitung")  # values are being computed; the previous ones still show
    DONE = "done", _("Selesai")  # every active indicator stored for the month
    FAILED = "failed", _("Gagal")  # nothing of the month changed; error says why


class Snapshot(models.Model):
    """One month's run; its values replace the month's previous values atomically."""

    period = models.DateField(_("bulan"), unique=True)  # first day of the month
    status = models.CharField(max_length=8, choices=SnapshotStatus.choices, default=SnapshotStatus.RUNNING)
    backfilled = models.BooleanField(_("diisi mundur"), default=False)  # computed after the month ended
    indicators = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("potret bulanan")
        verbose_name_plural = _("potret bulanan")
        ordering = ["-period"]

    def __str__(self) -> str:
        return self.period.strftime("%Y-%m")


class SnapshotValue(models.Model):
    """One cell: an indicator's value for a month in one breakdown (a long table)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="values", db_index=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values", db_index=False)
    period = models.DateField()  # the snapshot's month, repeated so trends read one index
    breakdown = models.CharField(max_length=12, choices=Breakdown.choices)
    key = models.CharField(max_length=40, blank=True)  # "" for the total; an RW number, a program id, "P", ...
    numerator = models.BigIntegerField(default=0)
    denominator = models.BigIntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)  # null when the denominator is 0
    # Distinct households behind the cell (null when the figure is not about households, e.g. allocations).
    households = models.PositiveIntegerField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)  # 1-4 households: hidden outside the staff interface
    # Past month computed from today's data (the registry keeps no history of that figure).
    from_current = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "breakdown", "key", "period"],
                                    name="monitoring_value_cell_unique"),
            models.CheckConstraint(condition=Q(breakdown="total", key="") | ~Q(breakdown="total"),
                                   name="monitoring_value_total_key_empty"),
        ]
        indexes = [
            models.Index(fields=["snapshot", "breakdown"], name="monitoring_value_snap_idx"),
            models.Index(fields=["breakdown", "key", "period"], name="monitoring_value_key_idx"),
        ]


class RWBoundary(models.Model):
    """An RW's outline (a GeoJSON Polygon or MultiPolygon geometry, WGS84 lon/lat) for the map."""

    rw = models.OneToOneField("core.RW", on_delete=models.CASCADE, related_name="boundary")
    geometry = models.JSONField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("batas wilayah RW")
        verbose_name_plural = _("batas wilayah RW")
