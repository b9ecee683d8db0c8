"""A reproducible synthetic population of Duri Kepa: households with members, streamed.

``generate_households(seed=..., count=...)`` yields one ``GeneratedHousehold`` at a time from its
own ``random.Random(seed)``, so the same seed gives the same population and any size runs in
constant memory (NIK/KK serial counters are fixed-size arrays, not sets of issued numbers).

The model is simple and stated here so nobody mistakes it for statistics:
- each household draws a latent welfare level ``w`` (standard normal, lower for widows, single
  parents and elderly living alone); jobs, incomes, housing and assets all lean on it, so they
  correlate the way a proxy means test expects;
- incomes are log-normal around the kind of work (formal employees near the Jakarta minimum wage,
  UMP 2026 about Rp 5,4 juta; informal and casual work well below it);
- ethnic naming traditions follow the West Jakarta mix (Betawi, Javanese, Sundanese,
  Chinese-Indonesian, Batak, Minang), with Muslim and Christian given names.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bansos.demo import names as N
from bansos.demo.areas import layout_areas, streets_for_rw
from bansos.registry.identifiers import build_kk, build_nik

# Jakarta minimum wage (UMP) 2026, about Rp 5,4 juta a month.
UMP_JAKARTA = 5_400_000
# Members per household the generator averages (measured); sizes in residents divide by it.
AVERAGE_MEMBERS = 3.45

_EPOCH = dt.date(1920, 1, 1)
_KK_EPOCH = dt.date(2000, 1, 1)
_MAX_SERIAL = 9999


# --- Regions ------------------------------------------------------------------------------------

DURI_KEPA_REGION = "317305"  # Kebon Jeruk, where the kelurahan issues NIK and KK numbers
# Other kecamatan codes of Jakarta (Jakarta Barat 3173xx, and the other cities 3171/3172/3174/3175).
JAKARTA_REGIONS = (
    "317301", "317302", "317303", "317304", "317306", "317307", "317308",
    "317101", "317104", "317107", "317201", "317205", "317401", "317403", "317501", "317504",
)
# Where the parents' generation came from, by naming tradition: (NIK region, birth place).
ORIGINS = {
    "betawi": (("360301", "KAB. TANGERANG"), ("327601", "DEPOK"), ("320101", "BOGOR")),
    "javanese": (
        ("337201", "SURAKARTA"), ("331001", "KLATEN"), ("337401", "SEMARANG"), ("332801", "TEGAL"),
        ("347101", "YOGYAKARTA"), ("357801", "SURABAYA"), ("330201", "BANYUMAS"), ("332901", "BREBES"),
    ),
    "sundanese": (
        ("327301", "BANDUNG"), ("320501", "GARUT"), ("327501", "BEKASI"), ("320601", "TASIKMALAYA"),
        ("320301", "CIANJUR"), ("367101", "TANGERANG"),
    ),
    "chinese": (("617101", "PONTIANAK"), ("127101", "MEDAN"), ("367101", "TANGERANG")),
    "batak": (("127101", "MEDAN"), ("121201", "TOBA"), ("120201", "TAPANULI UTARA"), ("127301", "PEMATANGSIANTAR")),
    "minang": (("137101", "PADANG"), ("137501", "BUKITTINGGI"), ("130601", "AGAM"), ("137301", "SAWAHLUNTO")),
}
# Share of adults of each tradition born outside Jakarta.
MIGRANT_SHARE = {"betawi": 0.08, "javanese": 0.55, "sundanese": 0.5, "chinese": 0.15, "batak": 0.55, "minang": 0.6}

# (tradition, weight, share of Christian families)
TRADITIONS = (
    ("betawi", 24, 0.01),
    ("javanese", 31, 0.08),
    ("sundanese", 15, 0.02),
    ("chinese", 11, 0.55),
    ("batak", 11, 0.75),
    ("minang", 8, 0.0),
)


# --- Code lists used as plain values (the model's TextChoices values) -------------------------

KINDS = (
    # (kind, weight): the household compositions and how often they occur
    ("single_elderly", 5),
    ("single_adult", 5),
    ("couple", 10),
    ("nuclear", 61),
    ("female_parent", 8),
    ("extended", 11),
)

OCCUPATIONS = {
    "employee": (
        ("KARYAWAN SWASTA", "BURUH PABRIK", "PRAMUNIAGA", "SATPAM", "PETUGAS KEBERSIHAN", "ASISTEN RUMAH TANGGA",
         "PELAYAN RESTORAN", "KURIR"),
        ("KARYAWAN SWASTA", "GURU", "PERAWAT", "PNS", "KARYAWAN BUMN", "PEGAWAI BANK", "STAF ADMINISTRASI"),
    ),
    "self_employed": (
        ("PEDAGANG KAKI LIMA", "WARUNG KELONTONG", "PENJAHIT", "USAHA KATERING RUMAHAN",
         "PENGEMUDI OJEK ONLINE", "PEDAGANG SAYUR", "LAUNDRY KILOAN"),
        ("WIRASWASTA", "PEDAGANG", "PEMILIK TOKO", "BENGKEL MOTOR", "USAHA KONVEKSI"),
    ),
    "casual": (
        ("BURUH HARIAN LEPAS", "KULI BANGUNAN", "TUKANG OJEK", "PEMULUNG", "JURU PARKIR", "BURUH CUCI"),
        ("BURUH HARIAN LEPAS", "TUKANG", "SOPIR"),
    ),
}
OCCUPATION_FIXED = {
    "family_worker": "MEMBANTU USAHA KELUARGA",
    "unemployed": "BELUM/TIDAK BEKERJA",
    "homemaker": "MENGURUS RUMAH TANGGA",
    "student": "PELAJAR/MAHASISWA",
    "retired": "PENSIUNAN",
    "na": "BELUM/TIDAK BEKERJA",
}
# Median monthly income by kind of work, in Rupiah; the spread (sigma) of its logarithm.
INCOME_MEDIAN = {"employee": 5_100_000, "self_employed": 3_300_000, "casual": 2_100_000, "family_worker": 0}
INCOME_SIGMA = {"employee": 0.35, "self_employed": 0.6, "casual": 0.35}
CHRONIC = ("HIPERTENSI", "DIABETES MELITUS", "PENYAKIT JANTUNG", "ASMA", "STROKE", "TBC", "GAGAL GINJAL")
DISABILITIES = (("physical", 40), ("sensory", 30), ("intellectual", 12), ("mental", 10), ("multiple", 8))
PHONE_PREFIXES = ("0811", "0812", "0813", "0821", "0822", "0852", "0853", "0857", "0858", "0877", "0878",
                  "0881", "0895", "0896", "0897", "0838")


@dataclass(slots=True)
class GeneratedHousehold:
    """One family: model-ready household fields (without ``rt``), its RT/RW numbers, its members."""

    rw: int
    rt: int
    household: dict[str, Any]
    members: list[dict[str, Any]] = field(default_factory=list)


class _SerialBook:
    """Next free serial per (region, date[, sex]) in fixed-size arrays: constant memory, unique numbers."""

    def __init__(self, epoch: dt.date, last: dt.date, per_day: int) -> None:
        self.epoch = epoch
        self.per_day = per_day
        self.size = ((last - epoch).days + 1) * per_day
        self.books: dict[str, array] = {}

    def take(self, region: str, date: dt.date, slot: int = 0) -> tuple[dt.date, int]:
        book = self.books.get(region)
        if book is None:
            book = self.books[region] = array("H", bytes(2 * self.size))
        while True:
            index = (date - self.epoch).days * self.per_day + slot
            if book[index] < _MAX_SERIAL:
                book[index] += 1
                return date, book[index]
            # 9,999 people of one sex born on one day in one kecamatan: move to the day before.
            date -= dt.timedelta(days=1)


def _cum(weights: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _round_money(amount: float, step: int = 50_000) -> int:
    return max(0, int(round(amount / step)) * step)


class PopulationGenerator:
    """Draws households one by one; see the module docstring for the model."""

    def __init__(self, *, seed: int, areas: Sequence[tuple[int, int]], reference: dt.date) -> None:
        if not areas:
            raise ValueError("at least one (RW, RT) area is needed")
        self.rng = random.Random(seed)
        self.areas = list(areas)
        self.reference = reference
        self.niks = _SerialBook(_EPOCH, reference, 2)
        self.kks = _SerialBook(_KK_EPOCH, reference, 1)
        self._kind_cum = _cum([w for _k, w in KINDS])
        self._tradition_cum = _cum([w for _t, w, _c in TRADITIONS])
        self._disability_cum = _cum([w for _d, w in DISABILITIES])
        self._streets = {rw: streets_for_rw(rw) for rw in {rw for rw, _rt in self.areas}}

    # --- small draws ----------------------------------------------------------------------------

    def _pick(self, options: Sequence[Any]) -> Any:
        return options[int(self.rng.random() * len(options))]

    def _weighted(self, options: Sequence[Any], cum: list[float]) -> Any:
        return self.rng.choices(options, cum_weights=cum)[0]

    def _birth_date(self, age: int) -> dt.date:
        days = int((age + self.rng.random()) * 365.2425)
        born = self.reference - dt.timedelta(days=days + 1)
        return max(born, _EPOCH)

    # --- names ----------------------------------------------------------------------------------

    def _given(self, tradition: str, christian: bool, sex: str, born: int) -> str:
        rng = self.rng
        male = sex == "L"
        if christian:
            first = self._pick(N.CHRISTIAN_MALE if male else N.CHRISTIAN_FEMALE)
            if tradition == "chinese" and rng.random() < 0.4:
                first = self._pick(N.CHINESE_MALE if male else N.CHINESE_FEMALE)
            if tradition == "javanese" and rng.random() < 0.6:
                first += " " + self._pick(N.JAVANESE_SECOND_MALE if male else N.JAVANESE_SECOND_FEMALE)
            return first
        if tradition == "betawi":
            pool = N.BETAWI_MALE if male else N.BETAWI_FEMALE
            if born >= 1985 or rng.random() < 0.35:
                pool = N.MUSLIM_MALE if male else N.MUSLIM_FEMALE
            first = self._pick(pool)
            if rng.random() < 0.55:
                first += " " + self._pick(N.MUSLIM_SECOND_MALE if male else N.MUSLIM_SECOND_FEMALE)
            return first
        if tradition == "javanese":
            first = self._pick(N.JAVANESE_MALE if male else N.JAVANESE_FEMALE)
            # Older Javanese often carry one name only.
            if born < 1975 and rng.random() < 0.6:
                return first
            if born >= 1990 and rng.random() < 0.5:
                first = self._pick(N.MUSLIM_MALE if male else N.MUSLIM_FEMALE)
            return first + " " + self._pick(N.JAVANESE_SECOND_MALE if male else N.JAVANESE_SECOND_FEMALE)
        if tradition == "sundanese":
            first = self._pick(N.SUNDANESE_MALE if male else N.SUNDANESE_FEMALE)
            if born >= 1995 and rng.random() < 0.5:
                first = self._pick(N.MUSLIM_MALE if male else N.MUSLIM_FEMALE)
            if rng.random() < 0.75:
                first += " " + self._pick(N.SUNDANESE_SECOND_MALE if male else N.SUNDANESE_SECOND_FEMALE)
            return first
        if tradition == "minang":
            first = self._pick(N.MINANG_MALE if male else N.MINANG_FEMALE)
            if rng.random() < 0.5:
                second = self._pick(N.MINANG_SECOND)
                if second in ("PUTRA", "PUTRI"):
                    second = "PUTRA" if male else "PUTRI"
                first += " " + second
            return first
        if tradition == "chinese":
            return self._pick(N.CHINESE_MALE if male else N.CHINESE_FEMALE)
        # batak, Muslim families (Mandailing)
        return self._pick(N.MUSLIM_MALE if male else N.MUSLIM_FEMALE)

    def _full_name(self, fam: dict[str, Any], sex: str, born: int, *, child_of: str | None = None,
                   marga: str | None = None) -> str:
        """A name in the family's tradition; ``marga`` is the Batak clan (the father's, for children)."""
        tradition, christian = fam["tradition"], fam["christian"]
        given = self._given(tradition, christian, sex, born)
        if tradition == "batak":
            if not christian:
                given = self._pick(N.BATAK_MALE if sex == "L" else N.BATAK_FEMALE) if self.rng.random() < 0.3 \
                    else given
            elif self.rng.random() < 0.5:
                given = self._pick(N.BATAK_MALE if sex == "L" else N.BATAK_FEMALE)
            clan = marga or fam["marga"]
            return f"{given} {clan}" if sex == "L" else f"{given} BR. {clan}"
        if tradition == "chinese" and fam.get("surname") and self.rng.random() < 0.8:
            return f"{given} {fam['surname']}"
        if child_of and not christian and self.rng.random() < 0.03:
            # "bin"/"binti" and the father's first name: still seen, but rarely on a KK.
            return f"{given.split()[0]} {'BIN' if sex == 'L' else 'BINTI'} {child_of.split()[0]}"
        return given

    # --- people ---------------------------------------------------------------------------------

    def _nik(self, region: str, born: dt.date, sex: str) -> tuple[dt.date, str]:
        born, serial = self.niks.take(region, born, 1 if sex == "P" else 0)
        return born, build_nik(region=region, birth_date=born, sex=sex, serial=serial)

    def _origin(self, fam: dict[str, Any], age: int) -> tuple[str, str]:
        """(NIK region, birth place) for a person of this family."""
        rng = self.rng
        if age >= 20 and rng.random() < MIGRANT_SHARE[fam["tradition"]]:
            region, place = self._pick(ORIGINS[fam["tradition"]])
            # Most moved to Jakarta before their first KTP; many others re-registered here.
            if rng.random() < 0.45:
                return region, place
            return (DURI_KEPA_REGION if rng.random() < 0.7 else self._pick(JAKARTA_REGIONS)), place
        if age < 20:
            return (DURI_KEPA_REGION if rng.random() < 0.9 else self._pick(JAKARTA_REGIONS)), "JAKARTA"
        return (DURI_KEPA_REGION if rng.random() < 0.6 else self._pick(JAKARTA_REGIONS)), "JAKARTA"

    def _person(self, fam: dict[str, Any], *, sex: str, age: int, relation: str, marital: str,
                name: str | None = None, child_of: str | None = None, marga: str | None = None) -> dict[str, Any]:
        rng = self.rng
        born = self._birth_date(age)
        region, place = self._origin(fam, age)
        born, nik = self._nik(region, born, sex)
        full_name = name or self._full_name(fam, sex, born.year, child_of=child_of, marga=marga)
        person = {
            "nik": nik, "full_name": full_name, "sex": sex, "birth_place": place, "birth_date": born,
            "relation": relation, "marital_status": marital, "disability": "none", "pregnant": False,
            "chronic_illness": "",
        }
        self._schooling_and_work(person, fam, age)
        p_disability = 0.015 if age < 18 else 0.02 if age < 60 else 0.07
        if rng.random() < p_disability:
            person["disability"] = self._weighted([d for d, _w in DISABILITIES], self._disability_cum)
        p_chronic = 0.35 if age >= 60 else 0.10 if age >= 40 else 0.01
        if rng.random() < p_chronic:
            person["chronic_illness"] = self._pick(CHRONIC)
        if (sex == "P" and 17 <= age <= 45 and marital == "married"
                and relation in ("head", "spouse", "child_in_law") and rng.random() < 0.045):
            person["pregnant"] = True
        return person

    def _schooling_and_work(self, p: dict[str, Any], fam: dict[str, Any], age: int) -> None:
        rng, w = self.rng, fam["w"]
        poor = w < -0.6
        if age < 5:
            p.update(education="none", school_enrolment="never", employment_status="na", monthly_income=None)
        elif age < 7:
            enrolled = rng.random() < 0.6
            p.update(education="none", school_enrolment="enrolled" if enrolled else "never",
                     employment_status="na", monthly_income=None)
        elif age <= 12:
            p.update(education="sd_incomplete", school_enrolment="enrolled", employment_status="student",
                     monthly_income=None)
        elif age <= 18:
            dropout = rng.random() < (0.12 if poor else 0.03) * (age - 12) / 3
            level = "sd" if age <= 15 else "smp"
            p.update(education=level, school_enrolment="dropped_out" if dropout else "enrolled",
                     employment_status="casual" if dropout and age >= 15 else "student" if not dropout else "na",
                     monthly_income=None)
        else:
            cohort = (p["birth_date"].year - 1970) / 25
            score = 0.8 * w + cohort + rng.gauss(0, 0.7)
            for cut, level in ((-1.5, "sd_incomplete"), (-0.8, "sd"), (0.0, "smp"), (1.1, "sma"),
                               (1.5, "diploma"), (2.4, "bachelor")):
                if score < cut:
                    p["education"] = level
                    break
            else:
                p["education"] = "postgraduate"
            in_college = age <= 23 and p["education"] in ("sma", "diploma") and rng.random() < _sigmoid(w)
            p["school_enrolment"] = "enrolled" if in_college else "finished"
            p["employment_status"] = "student" if in_college else self._work_status(p, fam, age)
        status = p["employment_status"]
        if status in OCCUPATIONS:
            poorer, richer = OCCUPATIONS[status]
            p["occupation"] = self._pick(richer if w + rng.gauss(0, 0.6) > 0.4 else poorer)
        else:
            p["occupation"] = OCCUPATION_FIXED.get(status, "BELUM/TIDAK BEKERJA") if age >= 5 else ""
        if age >= 19 or status in INCOME_MEDIAN:
            p["monthly_income"] = self._income(status, w)

    def _work_status(self, p: dict[str, Any], fam: dict[str, Any], age: int) -> str:
        r, w = self.rng.random(), fam["w"]
        if p["relation"] in ("parent", "parent_in_law"):
            if p["sex"] == "P":
                return "homemaker" if r < 0.6 else "self_employed" if r < 0.8 else "retired"
            return "retired" if r < 0.6 else "self_employed" if r < 0.9 else "casual"
        if age >= 65:
            return "retired" if r < 0.6 else "self_employed" if r < 0.85 else "family_worker"
        if p["sex"] == "P" and p["relation"] in ("spouse", "child_in_law"):
            return ("homemaker" if r < 0.48 else "employee" if r < 0.68 + 0.05 * w else "self_employed"
                    if r < 0.92 else "casual")
        if p["sex"] == "P" and p["relation"] == "head":
            return "self_employed" if r < 0.4 else "employee" if r < 0.65 else "casual" if r < 0.9 else "unemployed"
        if p["relation"] == "head" or p["relation"] == "spouse":
            employee = 0.45 + 0.15 * w
            return ("employee" if r < employee else "self_employed" if r < employee + 0.28 else "casual"
                    if r < 0.96 else "unemployed")
        return "employee" if r < 0.5 + 0.1 * w else "casual" if r < 0.75 else "unemployed"

    def _income(self, status: str, w: float) -> int:
        rng = self.rng
        if status == "retired":
            return _round_money(rng.lognormvariate(math.log(2_600_000) + 0.4 * w, 0.3)) if rng.random() < 0.3 else 0
        median = INCOME_MEDIAN.get(status)
        if not median:
            return 0
        sigma = INCOME_SIGMA[status]
        return _round_money(rng.lognormvariate(math.log(median) + 0.35 * w, sigma))

    # --- households -----------------------------------------------------------------------------

    def _family(self) -> dict[str, Any]:
        rng = self.rng
        tradition, _weight, christian_share = self._weighted(TRADITIONS, self._tradition_cum)
        christian = rng.random() < christian_share
        fam = {"tradition": tradition, "christian": christian, "w": rng.gauss(0, 1)}
        if tradition == "batak":
            fam["marga"] = self._pick(N.BATAK_MARGA if christian else N.BATAK_MUSLIM_MARGA)
        if tradition == "chinese":
            fam["surname"] = self._pick(N.CHINESE_FAMILY)
        return fam

    def _spouse_family(self, fam: dict[str, Any]) -> dict[str, Any]:
        """The spouse's own family: usually the same tradition, always the same religion."""
        rng = self.rng
        spouse = dict(fam)
        if rng.random() < 0.2:
            # Mixed marriages happen across traditions, within one religion.
            candidates = [t for t, _w, share in TRADITIONS if (share > 0.0 if fam["christian"] else share < 0.9)]
            spouse["tradition"] = self._pick(candidates)
        if spouse["tradition"] == "batak":
            pool = N.BATAK_MARGA if fam["christian"] else N.BATAK_MUSLIM_MARGA
            # Batak exogamy: the wife's marga differs from the husband's.
            spouse["marga"] = self._pick([m for m in pool if m != fam.get("marga")])
        if spouse["tradition"] == "chinese":
            spouse["surname"] = self._pick(N.CHINESE_FAMILY)
        return spouse

    def _children(self, fam: dict[str, Any], *, mother_age: int | None, youngest_parent: int, count: int,
                  father_name: str | None) -> list[dict[str, Any]]:
        rng = self.rng
        kids: list[dict[str, Any]] = []
        # The first child came when the younger parent was 19-30, so every child is 19+ years younger.
        age = youngest_parent - rng.randint(19, 30)
        for _ in range(count):
            if age < 0:
                break
            if age <= 28 and (mother_age is None or mother_age - age <= 45):
                sex = "L" if rng.random() < 0.51 else "P"
                married = age >= 24 and rng.random() < 0.1
                kids.append(self._person(fam, sex=sex, age=age, relation="child",
                                         marital="married" if married else "single", child_of=father_name))
            age -= rng.randint(2, 6)
        return kids

    def _child_count(self) -> int:
        return self.rng.choices((1, 2, 3, 4), cum_weights=(18, 55, 83, 100))[0]

    def _build_members(self, kind: str, fam: dict[str, Any]) -> list[dict[str, Any]]:
        rng = self.rng
        members: list[dict[str, Any]] = []
        if kind == "single_elderly":
            sex = "P" if rng.random() < 0.7 else "L"
            marital = "widowed" if rng.random() < 0.9 else self._pick(("single", "divorced"))
            members.append(self._person(fam, sex=sex, age=rng.randint(60, 88), relation="head", marital=marital))
        elif kind == "single_adult":
            sex = "P" if rng.random() < 0.45 else "L"
            age = rng.randint(20, 55)
            marital = "single" if rng.random() < 0.7 or age < 25 else "divorced"
            members.append(self._person(fam, sex=sex, age=age, relation="head", marital=marital))
        elif kind == "female_parent":
            age = rng.randint(28, 60)
            marital = "widowed" if rng.random() < 0.5 + (age - 28) / 80 else "divorced"
            # Her own line for her name; the children carry their (absent) father's line.
            own = self._spouse_family(fam)
            members.append(self._person(own, sex="P", age=age, relation="head", marital=marital))
            members += self._children(fam, mother_age=age, youngest_parent=age, count=self._child_count(),
                                      father_name=None)
            if rng.random() < 0.15:
                members.append(self._person(self._spouse_family(own), sex="P",
                                            age=min(95, age + rng.randint(20, 30)), relation="parent",
                                            marital="widowed"))
        elif kind == "extended" and rng.random() < 0.25:
            members.extend(self._three_generations(fam))
        else:
            young = kind == "couple" and rng.random() < 0.5
            husband_age = rng.randint(22, 35) if young else rng.randint(50, 75) if kind == "couple" \
                else rng.randint(25, 62)
            wife_age = max(18, husband_age - rng.randint(0, 7)) if rng.random() < 0.88 \
                else husband_age + rng.randint(1, 3)
            husband = self._person(fam, sex="L", age=husband_age, relation="head", marital="married")
            wife_family = self._spouse_family(fam)
            wife = self._person(wife_family, sex="P", age=wife_age, relation="spouse", marital="married")
            members += [husband, wife]
            if kind != "couple":
                members += self._children(fam, mother_age=wife_age, youngest_parent=min(husband_age, wife_age),
                                          count=self._child_count(), father_name=husband["full_name"])
            if kind == "extended":
                members += self._grandparents(fam, wife_family, husband_age, wife_age)
        return members

    def _grandparents(self, fam: dict[str, Any], wife_family: dict[str, Any], husband_age: int,
                      wife_age: int) -> list[dict[str, Any]]:
        rng = self.rng
        husbands_side = rng.random() < 0.5
        relation = "parent" if husbands_side else "parent_in_law"
        side = fam if husbands_side else wife_family
        base = husband_age if husbands_side else wife_age
        out = []
        if rng.random() < 0.35:
            out.append(self._person(side, sex="L", age=min(95, base + rng.randint(22, 32)), relation=relation,
                                    marital="married", marga=side.get("marga")))
            out.append(self._person(self._spouse_family(side), sex="P", age=min(95, base + rng.randint(20, 28)),
                                    relation=relation, marital="married"))
        else:
            out.append(self._person(self._spouse_family(side), sex="P", age=min(95, base + rng.randint(20, 30)),
                                    relation=relation, marital="widowed"))
        return out

    def _three_generations(self, fam: dict[str, Any]) -> list[dict[str, Any]]:
        """An elderly head (or widow), a married child with spouse, and grandchildren."""
        rng = self.rng
        widow = rng.random() < 0.3
        head_age = rng.randint(58, 80)
        members = []
        if widow:
            members.append(self._person(self._spouse_family(fam), sex="P", age=head_age, relation="head",
                                        marital="widowed"))
            father_name = None
        else:
            head = self._person(fam, sex="L", age=head_age, relation="head", marital="married")
            members += [head, self._person(self._spouse_family(fam), sex="P", age=head_age - rng.randint(0, 6),
                                           relation="spouse", marital="married")]
            father_name = head["full_name"]
        child_age = head_age - rng.randint(24, 34)
        child_sex = "L" if rng.random() < 0.5 else "P"
        child = self._person(fam, sex=child_sex, age=child_age, relation="child", marital="married",
                             child_of=father_name)
        in_law_family = self._spouse_family(fam)
        in_law_sex = "P" if child_sex == "L" else "L"
        in_law_age = max(19, child_age + rng.randint(-4, 4))
        in_law = self._person(in_law_family, sex=in_law_sex, age=in_law_age, relation="child_in_law",
                              marital="married", marga=in_law_family.get("marga") if in_law_sex == "L" else None)
        members += [child, in_law]
        # Grandchildren carry the name line of their father: the son's, or the son-in-law's.
        line = fam if child_sex == "L" else in_law_family
        grand_father = child if child_sex == "L" else in_law
        mother_age = child_age if child_sex == "P" else in_law_age
        for kid in self._children(line, mother_age=mother_age, youngest_parent=min(child_age, in_law_age),
                                  count=self._child_count(), father_name=grand_father["full_name"]):
            kid["relation"] = "grandchild"
            members.append(kid)
        return members

    def _housing(self, fam: dict[str, Any], size: int) -> dict[str, Any]:
        rng = self.rng
        h = fam["w"] + rng.gauss(0, 0.5)
        r = rng.random()
        if h > 0.8:
            floor = "ceramic"
        elif h > 0.0:
            floor = "ceramic" if r < 0.6 else "tile"
        elif h > -1.0:
            floor = "tile" if r < 0.5 else "cement" if r < 0.8 else "ceramic"
        else:
            floor = "cement" if r < 0.7 else "wood" if r < 0.9 or h > -1.8 else "earth"
        wall = "brick" if h > -1.2 else ("plaster_bamboo" if r < 0.5 else "wood") if h > -1.8 else "other"
        roof = ("concrete" if r < 0.4 else "clay_tile") if h > 0.5 else ("clay_tile" if r < 0.5 else "metal")
        water = "bottled" if r < 0.6 else "piped" if r < 0.85 else "pump"
        toilet = "private" if h > -0.8 else "shared" if h > -1.6 else ("public" if r < 0.93 else "none")
        lighting = "pln_meter" if h > -1.3 else ("pln_shared" if r < 0.95 else "non_pln")
        if lighting != "pln_meter":
            va = 0
        elif h > 1.2:
            va = 3500 if r < 0.3 else 2200
        elif h > 0.3:
            va = 1300
        elif h > -0.7:
            va = 900 if r < 0.67 else 1300
        else:
            va = 450 if r < 0.5 else 900
        if h > 1.0:
            fuel = "lpg_large" if r < 0.6 else "electric" if r < 0.75 else "lpg_3kg"
        else:
            fuel = "lpg_3kg" if r < 0.96 or h > -1.5 else "kerosene" if r < 0.99 else "wood"
        if h > 0.3:
            house = "owned" if r < 0.75 else "rented" if r < 0.95 else "free"
        else:
            house = "rented" if r < 0.45 else "owned" if r < 0.8 else "free" if r < 0.97 else "other"
        land = house if house != "owned" or rng.random() < 0.9 else "other"
        per_person = math.exp(2.3 + 0.45 * h + rng.gauss(0, 0.25))
        area = int(min(400, max(6, round(size * per_person))))
        data = {
            "floor_area_m2": area, "floor_material": floor, "wall_material": wall, "roof_material": roof,
            "water_source": water, "toilet": toilet, "lighting": lighting, "electricity_va": va,
            "cooking_fuel": fuel, "house_ownership": house, "land_ownership": land,
        }
        for name, bias, slope in (
            ("asset_motorbike", 1.2, 0.8), ("asset_car", -2.4, 1.5), ("asset_refrigerator", 0.8, 1.2),
            ("asset_air_conditioner", -1.2, 1.5), ("asset_television", 1.5, 1.0),
            ("asset_computer", -1.3, 1.4), ("asset_smartphone", 2.5, 1.0), ("asset_gold", -1.5, 1.1),
        ):
            data[name] = rng.random() < _sigmoid(bias + slope * h)
        return data

    def _address(self, rw: int) -> str:
        rng = self.rng
        number = str(rng.randint(1, 150))
        if rng.random() < 0.08:
            number += self._pick("ABC")
        return f"{self._pick(self._streets[rw])} No. {number}"

    def _phone(self) -> str:
        rng = self.rng
        return self._pick(PHONE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(7, 8)))

    def household(self) -> GeneratedHousehold:
        rng = self.rng
        rw, rt = self._pick(self.areas)
        kind = self._weighted([k for k, _w in KINDS], self._kind_cum)
        fam = self._family()
        if kind in ("single_elderly", "female_parent"):
            fam["w"] -= 0.5
        members = self._build_members(kind, fam)
        registered = _KK_EPOCH + dt.timedelta(days=int(rng.random() * (self.reference - _KK_EPOCH).days))
        kk_region = DURI_KEPA_REGION if rng.random() < 0.92 else self._pick(JAKARTA_REGIONS[:7])
        registered, serial = self.kks.take(kk_region, registered)
        income = sum(m.get("monthly_income") or 0 for m in members)
        spending = max(1_200_000, income * rng.uniform(0.75, 1.05))
        consent = rng.random() < 0.3
        data: dict[str, Any] = {
            "kk_number": build_kk(region=kk_region, registered=registered, serial=serial),
            "address": self._address(rw),
            "phone": self._phone() if rng.random() < 0.85 else "",
            "legal_basis": "consent" if consent else "public_task",
            "consent_date": (self.reference - dt.timedelta(days=rng.randint(1, 700))) if consent else None,
            **self._housing(fam, len(members)),
            "monthly_income": income,
            "monthly_expenditure": _round_money(spending),
            "dtsen_decile": (min(10, 1 + int(_phi(fam["w"] + rng.gauss(0, 0.3)) * 10))
                             if rng.random() < 0.75 else None),
        }
        return GeneratedHousehold(rw=rw, rt=rt, household=data, members=members)


def default_reference(today: dt.date | None = None) -> dt.date:
    """1 January of this year: ages stay the same for a whole year, so a seed repeats within it."""
    today = today or dt.date.today()
    return dt.date(today.year, 1, 1)


def generate_households(*, seed: int, count: int, areas: Sequence[tuple[int, int]] | None = None,
                        reference: dt.date | None = None) -> Iterator[GeneratedHousehold]:
    """Yield ``count`` households, reproducibly from ``seed``, spread over ``areas`` (RW, RT) numbers.

    Without ``areas`` the households spread over the Duri Kepa layout planned for ``count``.
    """
    generator = PopulationGenerator(seed=seed, areas=areas or layout_areas(count),
                                    reference=reference or default_reference())
    for _ in range(count):
        yield generator.household()


# --- The households file ------------------------------------------------------------------------

MESSY_KINDS = ("nik_scientific", "wrong_sex", "missing_name", "stray_spaces", "apostrophe")
# Messy kinds that an import must still accept (they only need cleaning).
MESSY_ACCEPTABLE = frozenset({"stray_spaces", "apostrophe"})


@dataclass
class CsvSummary:
    households: int = 0
    rows: int = 0
    messy: dict[str, int] = field(default_factory=lambda: {k: 0 for k in MESSY_KINDS})


def _labels() -> dict[str, dict[Any, str]]:
    """Indonesian label per stored value, for each choice column of the households file."""
    from django.utils import translation

    from bansos.registry import models as m
    from bansos.registry.columns import COLUMNS

    choice_sets = {
        "resident.sex": m.Sex, "resident.relation": m.Relation, "resident.marital_status": m.MaritalStatus,
        "resident.education": m.Education, "resident.school_enrolment": m.SchoolEnrolment,
        "resident.employment_status": m.EmploymentStatus, "resident.disability": m.Disability,
        "household.legal_basis": m.LegalBasis, "household.floor_material": m.FloorMaterial,
        "household.wall_material": m.WallMaterial, "household.roof_material": m.RoofMaterial,
        "household.water_source": m.WaterSource, "household.toilet": m.Toilet, "household.lighting": m.Lighting,
        "household.electricity_va": m.ElectricityVA, "household.cooking_fuel": m.CookingFuel,
        "household.house_ownership": m.Ownership, "household.land_ownership": m.Ownership,
    }
    with translation.override("id"):
        labels = {target: {value: str(label) for value, label in enum.choices}
                  for target, enum in choice_sets.items()}
    missing = [c.target for c in COLUMNS if c.kind == "choice" and c.target not in labels]
    if missing:
        raise RuntimeError(f"no code list for choice columns {missing}")
    return labels


def _cell(column, value: Any, labels: dict[str, dict[Any, str]]) -> str:
    if value is None or value == "":
        return ""
    if column.kind == "choice":
        return labels[column.target][value]
    if column.kind == "bool":
        return "Ya" if value else "Tidak"
    if column.kind == "date":
        return value.strftime("%d-%m-%Y")
    return str(value)


def household_rows(item: GeneratedHousehold, labels: dict[str, dict[Any, str]]) -> Iterator[list[str]]:
    """The household's rows in the column order of ``registry.columns``: one per member."""
    from bansos.registry.columns import COLUMNS

    for member in item.members:
        row = []
        for column in COLUMNS:
            scope, name = column.target.split(".", 1)
            if scope == "area":
                value = item.rt if name == "rt" else item.rw
            elif scope == "household":
                value = item.household.get(name)
            else:
                value = member.get(name)
            row.append(_cell(column, value, labels))
        yield row


def _make_messy(row: list[str], kind: str, index: dict[str, int], labels: dict[str, dict[Any, str]]) -> None:
    nik, name, sex = index["nik"], index["nama_lengkap"], index["jenis_kelamin"]
    if kind == "nik_scientific":
        row[nik] = f"{int(row[nik]):.5E}"  # what a spreadsheet shows for a 16-digit number: 3.17305E+15
    elif kind == "wrong_sex":
        male, female = labels["resident.sex"]["L"], labels["resident.sex"]["P"]
        row[sex] = female if row[sex] == male else male
    elif kind == "missing_name":
        row[name] = ""
    elif kind == "stray_spaces":
        row[name] = "  " + row[name].replace(" ", "   ").lower() + " "
        row[nik] = f" {row[nik]} "
    elif kind == "apostrophe":
        row[nik] = "'" + row[nik]


def write_households_csv(path: str | Path, *, households: int, seed: int, messy_fraction: float = 0.0,
                         areas: Sequence[tuple[int, int]] | None = None,
                         reference: dt.date | None = None) -> CsvSummary:
    """Write a households file of ``households`` generated families (one row per resident).

    ``messy_fraction`` of the rows get one realistic defect (see ``MESSY_KINDS``); the defect is
    drawn from its own random stream so the clean data stays the same for a seed.
    """
    from bansos.registry.columns import HEADERS

    if not 0.0 <= messy_fraction <= 1.0:
        raise ValueError("messy_fraction must be between 0 and 1")
    labels = _labels()
    index = {header: i for i, header in enumerate(HEADERS)}
    messy_rng = random.Random(f"messy-{seed}")
    summary = CsvSummary()
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for item in generate_households(seed=seed, count=households, areas=areas, reference=reference):
            summary.households += 1
            for row in household_rows(item, labels):
                if messy_fraction and messy_rng.random() < messy_fraction:
                    kind = MESSY_KINDS[int(messy_rng.random() * len(MESSY_KINDS))]
                    _make_messy(row, kind, index, labels)
                    summary.messy[kind] += 1
                writer.writerow(row)
                summary.rows += 1
    return summary
