"""The components of the kemandirian index: what each one reads, and the defaults of model v1.

Every component is a number 0..100 per household and month (100 = this sign of self-reliance is
there). The score is the weighted mean, rounded half up: sum(weight * component) / sum(weights).
What each component reads is written here and in ``sql`` (the set-based computation); the weights,
the poverty line and the graduation rule are data (``IndexModel``).

"As of" a month means on its last day. Components read dated records where the platform has them
(businesses, job placements, loan instalments and repayments, posyandu visits, cash enrollments), so
past months can be back-filled faithfully. Three read today's registry values because the registry
keeps no dated history of them: household income and size, who works, and who is in school. A
back-filled month therefore uses today's values for those three (the page says so).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Component:
    code: str
    label: Promise
    definition: Promise
    default_weight: int
    dated: bool  # read from dated records (back-filled faithfully) or from today's registry values


COMPONENTS: tuple[Component, ...] = (
    Component("income", _("Penghasilan di atas garis kemiskinan"), _(
        "Penghasilan keluarga per bulan (atau jumlah penghasilan anggota bila kosong) dibagi jumlah anggota aktif "
        "paling sedikit garis kemiskinan per kapita. Penghasilan tidak tercatat dihitung 0."), 25, False),
    Component("earner", _("Ada anggota dewasa yang bekerja"), _(
        "Paling sedikit satu anggota aktif berusia 18 tahun ke atas berstatus buruh/karyawan, berusaha sendiri "
        "atau pekerja lepas."), 15, False),
    Component("livelihood", _("Usaha berjalan atau bekerja setelah pelatihan"), _(
        "Keluarga punya usaha mikro (UMKM) yang sudah mulai dan belum tutup pada akhir bulan, atau anggota yang "
        "diterima bekerja melalui rujukan kerja dan mulai bekerja paling lambat akhir bulan."), 15, True),
    Component("schooling", _("Anak usia sekolah bersekolah"), _(
        "Bagian anak usia 7-18 tahun yang berstatus masih sekolah. Keluarga tanpa anak usia sekolah mendapat "
        "nilai penuh."), 10, False),
    Component("growth", _("Balita tumbuh normal"), _(
        "Bagian balita yang pada penimbangan terakhir dalam 12 bulan (sampai akhir bulan) tidak pendek "
        "(TB/U z ≥ -2) dan tidak kurus (BB/TB z ≥ -2). Keluarga tanpa balita yang ditimbang mendapat nilai "
        "penuh."), 10, True),
    Component("no_arrears", _("Tidak menunggak angsuran"), _(
        "Jumlah angsuran pinjaman modal UMKM yang jatuh tempo lebih dari 30 hari sebelum akhir bulan sudah "
        "terbayar dengan pembayaran sampai akhir bulan."), 10, True),
    Component("no_cash_aid", _("Tidak bergantung bantuan tunai"), _(
        "Pada akhir bulan keluarga tidak menerima program bantuan tunai (disetujui, aktif atau ditangguhkan)."),
        15, True),
)
CODES = tuple(c.code for c in COMPONENTS)
BY_CODE = {c.code: c for c in COMPONENTS}

# Model v1. The poverty line is BPS's for DKI Jakarta, March 2024 (Rp 825.288 per person per month).
DEFAULT_NAME = "Indeks kemandirian keluarga"
DEFAULT_POVERTY_LINE = 825_288
DEFAULT_THRESHOLD = 70
DEFAULT_MONTHS = 6

WEIGHT_MAX = 100
POVERTY_LINE_RANGE = (100_000, 10_000_000)
MONTHS_RANGE = (1, 36)
# Loan instalments count as arrears only once they are this many days overdue.
ARREARS_GRACE_DAYS = 30
# A posyandu measurement older than this no longer says how the child grows now.
GROWTH_WINDOW_DAYS = 365
ADULT_AGE = 18
SCHOOL_AGES = (7, 18)
UNDER_FIVE_AGE = 5


def weighted_score(weights: dict[str, int], values: dict[str, int]) -> int:
    """The index from components (0..100) and weights, rounded half up, as the SQL computes it."""
    total = sum(weights.get(code, 0) for code in CODES)
    if total <= 0:
        return 0
    points = sum(weights.get(code, 0) * values.get(code, 0) for code in CODES)
    return (2 * points + total) // (2 * total)
