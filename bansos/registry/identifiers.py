"""NIK and KK numbers: structure, embedded birth date and sex, and their agreement with a record.

NIK = PP RR SS DDMMYY NNNN: province, regency/city, kecamatan where it was first issued (need not
be Duri Kepa), birth date with 40 added to the day for women, and a serial. KK = 6-digit issuing
area, DDMMYY registration date, 4-digit serial, with no +40 rule.

Written here rather than with python-stdnum's ``id.nik``: that one accepts day codes above 71,
guesses the century wrongly for children, and checks regions against BPS numbering.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from bansos.core.errors import DomainError

MSG_NIK_LENGTH = _("NIK harus 16 angka (tertulis %(length)s karakter).")
MSG_NIK_DIGITS = _("NIK hanya boleh berisi angka.")
MSG_NIK_REGION = _("Kode wilayah NIK (%(region)s) tidak dikenal.")
MSG_NIK_DATE = _("Tanggal lahir di dalam NIK (%(part)s) bukan tanggal yang sah.")
MSG_NIK_SERIAL = _("Nomor urut NIK tidak boleh 0000.")
MSG_NIK_SEX = _("NIK menunjukkan jenis kelamin %(nik_sex)s, tetapi data tertulis %(record_sex)s.")
MSG_NIK_BIRTH = _("Tanggal lahir di NIK (%(nik_date)s) tidak sama dengan tanggal lahir %(record_date)s.")
MSG_NIK_SCIENTIFIC = _(
    "NIK tertulis sebagai angka ilmiah (%(value)s): spreadsheet telah menghapus digit terakhirnya. "
    "Format kolom NIK sebagai teks lalu ketik ulang."
)
MSG_KK_LENGTH = _("Nomor KK harus 16 angka (tertulis %(length)s karakter).")
MSG_KK_DIGITS = _("Nomor KK hanya boleh berisi angka.")
MSG_KK_REGION = _("Kode wilayah nomor KK (%(region)s) tidak sah.")
MSG_KK_DATE = _("Tanggal di dalam nomor KK (%(part)s) bukan tanggal yang sah.")
MSG_KK_SERIAL = _("Nomor urut KK tidak boleh 0000.")

# Kemendagri province codes in use (2022 onwards, including the new Papua provinces).
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65,
     71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96}
)


class IdentifierError(DomainError):
    status = 422


@dataclass(frozen=True)
class NikInfo:
    nik: str
    region: str  # 6 digits
    day: int
    month: int
    year2: int  # the two digits of the year; the century is not encoded
    sex: str  # "L" or "P"
    serial: str

    def birth_date(self, today: dt.date | None = None) -> dt.date:
        """The birth date, taking the latest century that does not lie in the future."""
        today = today or dt.date.today()
        year = 2000 + self.year2
        if dt.date(year, self.month, min(self.day, 28)) > today:
            year -= 100
        try:
            return dt.date(year, self.month, self.day)
        except ValueError:  # 29 February in a century year that is not a leap year
            return dt.date(year + 100 if year + 100 <= today.year else year - 100, self.month, self.day)


def region_ok(code: str) -> bool:
    """Whether six digits can be a NIK or KK issuing area: a province in use, regency and kecamatan not 00."""
    province, regency, district = int(code[0:2]), int(code[2:4]), int(code[4:6])
    return province in PROVINCE_CODES and regency > 0 and district > 0


def _date_ok(day: int, month: int, year2: int) -> bool:
    # Any year with the two digits will do for a 29 February check if one of 19xx/20xx is a leap year.
    for year in (2000 + year2, 1900 + year2):
        try:
            dt.date(year, month, day)
            return True
        except ValueError:
            continue
    return False


def clean_digits(value: object) -> str:
    """Digits typed with stray spaces, dots or dashes, or a leading apostrophe, as a plain string."""
    text = str(value).strip().lstrip("'").strip()
    if text.isdigit() and text.isascii():
        return text  # the common case: nothing to drop
    return "".join(ch for ch in text if ch not in " .-\u00a0")


def parse_nik(value: object) -> NikInfo:
    """Check a NIK's structure; raise IdentifierError (field ``nik``) with the reason."""
    raw = str(value).strip().lstrip("'").strip()
    lowered = raw.lower()
    if "e+" in lowered or "e15" in lowered:
        raise IdentifierError("nik_scientific", MSG_NIK_SCIENTIFIC, field="nik", value=raw)
    nik = clean_digits(raw)
    if not nik.isdigit():
        raise IdentifierError("nik_digits", MSG_NIK_DIGITS, field="nik")
    if len(nik) != 16:
        raise IdentifierError("nik_length", MSG_NIK_LENGTH, field="nik", length=len(nik))
    if not region_ok(nik[:6]):
        raise IdentifierError("nik_region", MSG_NIK_REGION, field="nik", region=nik[:6])
    day_code, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = day_code > 40
    day = day_code - 40 if female else day_code
    if not (1 <= day <= 31) or not _date_ok(day, month, year2):
        raise IdentifierError("nik_date", MSG_NIK_DATE, field="nik", part=nik[6:12])
    if nik[12:] == "0000":
        raise IdentifierError("nik_serial", MSG_NIK_SERIAL, field="nik")
    return NikInfo(nik=nik, region=nik[:6], day=day, month=month, year2=year2, sex="P" if female else "L",
                   serial=nik[12:])


def check_nik_matches(info: NikInfo, *, sex: str, birth_date: dt.date) -> None:
    """Raise unless the NIK's encoded sex and birth date agree with the person's record."""
    from bansos.registry.models import Sex

    if info.sex != sex:
        raise IdentifierError(
            "nik_sex_mismatch", MSG_NIK_SEX, field="nik",
            nik_sex=str(Sex(info.sex).label).lower(), record_sex=str(Sex(sex).label).lower(),
        )
    if (info.day, info.month, info.year2) != (birth_date.day, birth_date.month, birth_date.year % 100):
        raise IdentifierError(
            "nik_birth_mismatch", MSG_NIK_BIRTH, field="nik",
            nik_date=f"{info.day:02d}-{info.month:02d}-{info.year2:02d}",
            record_date=birth_date.strftime("%d-%m-%Y"),
        )


def parse_kk(value: object) -> str:
    """Check a KK number's structure; return its 16 digits or raise IdentifierError (field ``kk_number``)."""
    raw = str(value).strip().lstrip("'").strip()
    if "e+" in raw.lower():
        raise IdentifierError("kk_scientific", MSG_NIK_SCIENTIFIC, field="kk_number", value=raw)
    kk = clean_digits(raw)
    if not kk.isdigit():
        raise IdentifierError("kk_digits", MSG_KK_DIGITS, field="kk_number")
    if len(kk) != 16:
        raise IdentifierError("kk_length", MSG_KK_LENGTH, field="kk_number", length=len(kk))
    if not region_ok(kk[:6]):
        raise IdentifierError("kk_region", MSG_KK_REGION, field="kk_number", region=kk[:6])
    day, month, year2 = int(kk[6:8]), int(kk[8:10]), int(kk[10:12])
    if not (1 <= day <= 31) or not _date_ok(day, month, year2):
        raise IdentifierError("kk_date", MSG_KK_DATE, field="kk_number", part=kk[6:12])
    if kk[12:] == "0000":
        raise IdentifierError("kk_serial", MSG_KK_SERIAL, field="kk_number")
    return kk


def build_nik(*, region: str, birth_date: dt.date, sex: str, serial: int) -> str:
    """Compose a NIK from its parts (used by the demo generator and tests)."""
    day = birth_date.day + (40 if sex == "P" else 0)
    return f"{region}{day:02d}{birth_date:%m}{birth_date.year % 100:02d}{serial:04d}"


def build_kk(*, region: str, registered: dt.date, serial: int) -> str:
    """Compose a KK number from its parts (used by the demo generator and tests)."""
    return f"{region}{registered:%d%m}{registered.year % 100:02d}{serial:04d}"
