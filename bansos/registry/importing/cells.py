"""Turn one spreadsheet cell into a typed value.

Cells arrive as text (CSV) or as openpyxl values (str, int, float, bool, datetime, None). Every
parser returns the typed value, ``None`` for an empty cell, or raises ``CellError`` with an
Indonesian message. Lookup tables are built once per import so the per-row work stays a few dict
look-ups.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from bansos.registry import models as m
from bansos.registry.columns import COLUMNS, Column

MSG_DATE = _("Tanggal tidak dikenali (%(value)s); tulis sebagai dd-mm-yyyy, misalnya 17-08-1980.")
MSG_INT = _("Harus berupa bilangan bulat (tertulis %(value)s).")
MSG_MONEY = _("Harus berupa jumlah Rupiah tanpa sen (tertulis %(value)s).")
MSG_CHOICE = _("Nilai %(value)s tidak dikenal; pilihan: %(allowed)s.")
MSG_BOOL = _("Isi Ya atau Tidak (tertulis %(value)s).")
MSG_TOO_LONG = _("Terlalu panjang: paling banyak %(limit)s karakter.")
MSG_NUMBER_LOST = _(
    "Angka %(value)s terlalu besar untuk disimpan utuh sebagai angka di spreadsheet; "
    "format kolom sebagai teks lalu ketik ulang."
)


class CellError(Exception):
    def __init__(self, message: Any, **params: Any) -> None:
        text = str(message)
        super().__init__(text % params if params else text)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_KEY = re.compile(r"[^0-9a-z]+")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Largest integer a spreadsheet (an IEEE double) holds exactly.
_EXACT_FLOAT = 2**53


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def choice_key(value: Any) -> str:
    """Lower-case letters and digits only: ``Laki-laki`` and ``laki laki`` compare equal."""
    return _KEY.sub("", str(value).lower())


def text(value: Any) -> str | None:
    """Plain text: control characters dropped, spaces collapsed, an export's apostrophe guard undone."""
    if value is None:
        return None
    if not isinstance(value, str):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
    if "'" == value[:1] and value[1:2] in _FORMULA_START:
        value = value[1:]
    if _CONTROL.search(value):
        value = _CONTROL.sub(" ", value)
    value = " ".join(value.split())
    return value or None


def digits(value: Any) -> str | None:
    """NIK/KK as written: keep the text (identifiers check it), but undo a spreadsheet's number."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _EXACT_FLOAT:
            return str(int(value))
        if value.is_integer():
            raise CellError(MSG_NUMBER_LOST, value=f"{value:.0f}")
        return repr(value)
    value = str(value).strip()
    if not value:
        return None
    # "3173051708780001.0": a number cell saved to CSV; the fraction is only formatting.
    if "." in value and value[-1] == "0":
        head, _dot, tail = value.rpartition(".")
        if head.isdigit() and len(head) >= 15 and not tail.strip("0"):
            return head
    return value


_DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
# Excel's day 0 is 30 December 1899 (it counts the fictitious 29 February 1900).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError(MSG_DATE, value=value)
    if isinstance(value, (int, float)):
        # A date cell the spreadsheet kept as its serial number.
        if 1 <= value < 2958466 and float(value).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(MSG_DATE, value=_shown(value))
    value = str(value).strip()
    if not value:
        return None
    match = _DATE_DMY.match(value)
    try:
        if match:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        match = _DATE_ISO.match(value)
        if match:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        pass
    raise CellError(MSG_DATE, value=_shown(value))


_MAX_NUMBER_TEXT = 40
_INT_PREFIX = re.compile(r"^(?:rt|rw|no|nomor)\.?\s*", re.I)


def integer(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(MSG_INT, value=value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _EXACT_FLOAT:
            return int(value)
        raise CellError(MSG_INT, value=_shown(value))
    value = str(value).strip()
    if not value:
        return None
    if len(value) > _MAX_NUMBER_TEXT:  # int() refuses 4,300+ digits with ValueError; no real cell is this long
        raise CellError(MSG_INT, value=_shown(value))
    # isdecimal, not isdigit: "¹" is a digit that int() refuses.
    if value.isdecimal():
        return int(value)
    cleaned = _INT_PREFIX.sub("", value)
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    if cleaned.isdecimal() or (cleaned[:1] == "-" and cleaned[1:].isdecimal()):
        return int(cleaned)
    raise CellError(MSG_INT, value=_shown(value))


_MONEY_GROUPED = re.compile(r"^-?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_MONEY_CENTS = re.compile(r"^(-?\d+)[.,]0{1,2}$")


def money(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(MSG_MONEY, value=value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _EXACT_FLOAT:
            return int(value)
        raise CellError(MSG_MONEY, value=_shown(value))
    value = str(value).strip()
    if not value:
        return None
    if len(value) > _MAX_NUMBER_TEXT:
        raise CellError(MSG_MONEY, value=_shown(value))
    if value.isdecimal():
        return int(value)
    cleaned = value.replace(" ", "").replace("\u00a0", "")
    if cleaned[:2].lower() == "rp":
        cleaned = cleaned[2:].lstrip(".")
    if cleaned.endswith(",-"):
        cleaned = cleaned[:-2]
    if cleaned.isdecimal():
        return int(cleaned)
    if _MONEY_GROUPED.match(cleaned):
        return int(cleaned.replace(".", "").replace(",", ""))
    match = _MONEY_CENTS.match(cleaned)
    if match:
        return int(match.group(1))
    if cleaned[:1] == "-" and cleaned[1:].isdecimal():
        return int(cleaned)
    raise CellError(MSG_MONEY, value=_shown(value))


_TRUE = frozenset({"ya", "y", "yes", "true", "1", "ada", "punya", "memiliki", "v", "x", "benar"})
_FALSE = frozenset({"tidak", "t", "tdk", "no", "n", "false", "0", "tidakada", "tidakpunya", "bukan", "salah"})


def boolean(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value in (0, 1):
            return bool(value)
        raise CellError(MSG_BOOL, value=_shown(value))
    key = choice_key(value)
    if not key:
        return None
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(MSG_BOOL, value=_shown(value))


# Words people write instead of the codes or the labels, per target field.
_EXTRA_WORDS: dict[str, dict[str, str]] = {
    "sex": {"lakilaki": "L", "laki": "L", "pria": "L", "lk": "L", "l": "L", "m": "L", "male": "L",
            "perempuan": "P", "wanita": "P", "pr": "P", "p": "P", "w": "P", "f": "P", "female": "P"},
    "relation": {
        "kepalakeluarga": "head", "kepala": "head", "kk": "head", "kepalarumahtangga": "head", "krt": "head",
        "suami": "spouse", "istri": "spouse", "isteri": "spouse", "suamiistri": "spouse", "pasangan": "spouse",
        "anak": "child", "anakkandung": "child", "anakangkat": "child", "anaktiri": "child",
        "menantu": "child_in_law", "cucu": "grandchild", "orangtua": "parent", "ayah": "parent", "ibu": "parent",
        "mertua": "parent_in_law", "famililain": "other_family", "famili": "other_family",
        "keluargalain": "other_family", "saudara": "other_family", "lainnya": "other", "pembantu": "other",
    },
    "marital_status": {
        "belumkawin": "single", "bk": "single", "belummenikah": "single", "lajang": "single",
        "kawin": "married", "k": "married", "menikah": "married", "kawintercatat": "married",
        "kawinbelumtercatat": "married", "ceraihidup": "divorced", "ch": "divorced", "cerai": "divorced",
        "ceraimati": "widowed", "cm": "widowed",
    },
    "education": {
        "tidaksekolah": "none", "belumsekolah": "none", "tidakbelumsekolah": "none",
        "belumtamatsd": "sd_incomplete", "tidaktamatsd": "sd_incomplete", "tamatsd": "sd", "sd": "sd",
        "sdsederajat": "sd", "mi": "sd", "smp": "smp", "sltp": "smp", "mts": "smp", "sma": "sma", "smk": "sma",
        "slta": "sma", "ma": "sma", "d1": "diploma", "d2": "diploma", "d3": "diploma", "diploma": "diploma",
        "d4": "bachelor", "s1": "bachelor", "sarjana": "bachelor", "s2": "postgraduate", "s3": "postgraduate",
    },
    "school_enrolment": {"sekolah": "enrolled", "masihsekolah": "enrolled", "putussekolah": "dropped_out",
                         "tidaksekolahlagi": "finished", "belumpernahsekolah": "never"},
    "disability": {"tidak": "none", "tidakada": "none", "normal": "none", "fisik": "physical",
                   "tunadaksa": "physical", "netra": "sensory", "rungu": "sensory", "wicara": "sensory",
                   "tunanetra": "sensory", "tunarungu": "sensory", "tunawicara": "sensory", "ganda": "multiple",
                   "mental": "mental", "intelektual": "intellectual"},
    "legal_basis": {"persetujuan": "consent", "tugaspemerintah": "public_task", "tugas": "public_task"},
    "toilet": {"sendiri": "private", "bersama": "shared", "umum": "public", "mck": "public"},
    "lighting": {"pln": "pln_meter", "meteran": "pln_meter", "menumpang": "pln_shared", "nonpln": "non_pln"},
    "cooking_fuel": {"lpg3kg": "lpg_3kg", "gas3kg": "lpg_3kg", "elpiji3kg": "lpg_3kg", "gas": "lpg_large",
                     "lpg": "lpg_large", "kayubakar": "wood", "arang": "wood"},
    "house_ownership": {"sewa": "rented", "kontrak": "rented", "milik": "owned", "menumpang": "free"},
    "land_ownership": {"sewa": "rented", "kontrak": "rented", "milik": "owned", "menumpang": "free"},
}

CHOICES_BY_FIELD: dict[str, type] = {
    "sex": m.Sex, "relation": m.Relation, "marital_status": m.MaritalStatus, "education": m.Education,
    "school_enrolment": m.SchoolEnrolment, "employment_status": m.EmploymentStatus, "disability": m.Disability,
    "legal_basis": m.LegalBasis, "floor_material": m.FloorMaterial, "wall_material": m.WallMaterial,
    "roof_material": m.RoofMaterial, "water_source": m.WaterSource, "toilet": m.Toilet, "lighting": m.Lighting,
    "electricity_va": m.ElectricityVA, "cooking_fuel": m.CookingFuel, "house_ownership": m.Ownership,
    "land_ownership": m.Ownership,
}


def choice_table(field: str) -> dict[str, Any]:
    """Normalised spellings -> stored value: codes, Indonesian labels, the parts of "a/b" labels, abbreviations."""
    choices = CHOICES_BY_FIELD[field]
    table: dict[str, Any] = {}
    with translation.override("id"):
        for value, label in choices.choices:
            table.setdefault(choice_key(value), value)
            table.setdefault(choice_key(label), value)
        for value, label in choices.choices:
            for part in str(label).split("/"):
                table.setdefault(choice_key(part), value)
    for word, value in _EXTRA_WORDS.get(field, {}).items():
        table.setdefault(word, value)
    return table


def allowed_values(field: str) -> list[str]:
    """The Indonesian labels of a choice column, for messages and the template's instructions."""
    with translation.override("id"):
        return [str(label) for _value, label in CHOICES_BY_FIELD[field].choices]


def make_choice_parser(field: str) -> Callable[[Any], Any]:
    table = choice_table(field)
    allowed = ", ".join(allowed_values(field))
    electricity = field == "electricity_va"

    def parse(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        key = choice_key(value)
        if not key:
            return None
        found = table.get(key)
        if found is not None:
            return found
        if electricity:
            number = key[:-2] if key.endswith("va") else key
            if number.isdigit():
                watts = int(number)
                if watts >= 3500:
                    return 3500
                if watts in (0, 450, 900, 1300, 2200):
                    return watts
        raise CellError(MSG_CHOICE, value=_shown(value), allowed=allowed)

    return parse


def make_text_parser(limit: int | None) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        out = text(value)
        if out is not None and limit is not None and len(out) > limit:
            raise CellError(MSG_TOO_LONG, limit=limit)
        return out

    return parse


def _max_length(column: Column) -> int | None:
    from bansos.registry.models import Household, Resident

    model_name, _dot, name = column.target.partition(".")
    model = {"household": Household, "resident": Resident}.get(model_name)
    if model is None:
        return None
    return model._meta.get_field(name).max_length


def parser_for(column: Column) -> Callable[[Any], Any]:
    field = column.target.partition(".")[2]
    if column.kind == "text":
        return make_text_parser(_max_length(column))
    if column.kind == "digits":
        return digits
    if column.kind == "date":
        return date
    if column.kind == "int":
        return integer
    if column.kind == "money":
        return money
    if column.kind == "bool":
        return boolean
    if column.kind == "choice":
        return make_choice_parser(field)
    raise ValueError(f"unknown column kind {column.kind!r}")


def header_key(value: Any) -> str:
    """How headers are compared: lower case without spaces, dots, underscores, dashes or a "(...)" note."""
    text_value = re.sub(r"\(.*?\)", "", str(value or "")).lower().lstrip("\ufeff")
    return re.sub(r"[\s._\-/*:]+", "", text_value)


def header_table() -> dict[str, Column]:
    table: dict[str, Column] = {}
    for column in COLUMNS:
        table.setdefault(header_key(column.header), column)
    for column in COLUMNS:
        for alias in column.aliases:
            table.setdefault(header_key(alias), column)
    return table
