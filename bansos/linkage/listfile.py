"""Reading an agency's list (CSV or XLSX) with any header, and guessing which column is what.

The registry's readers decide the kind of file and refuse hostile ones (binary blobs, forged or
bomb-like workbooks); this module reuses them and adds what an agency's own spreadsheet needs:
free headers, a mapping the uploader corrects, and lenient cells (dates as 17-08-1980 or Excel
dates, sex as L/P or laki-laki, RT/RW as "003/001").
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from bansos.registry.importing.reader import (
    _SNIFF_BYTES,
    MSG_BAD_XLSX,
    MSG_EMPTY,
    MSG_UNREADABLE,
    ImportFileError,
    _blank,
    _sniff_delimiter,
    _text_lines,
    check_xlsx,
    detect_kind,
)

MSG_NO_COLUMNS = _("Baris pertama berkas harus berisi judul kolom (misalnya NIK, Nama, Tanggal lahir).")
MSG_TOO_MANY_ROWS = _("Daftar terlalu panjang: paling banyak %(limit)s baris.")
MAX_COLUMNS = 60

# Header words (lower case, punctuation as spaces) that name each field, most specific first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "no nik", "nomor nik", "nomor induk kependudukan", "no ktp", "nomor ktp", "ktp", "nik ktp"),
    "full_name": ("nama", "nama lengkap", "nama penerima", "nama peserta", "nama warga", "name", "full name",
                  "nama penerima manfaat", "nama anggota"),
    "birth_date": ("tanggal lahir", "tgl lahir", "tgl lhr", "lahir", "tanggal lhr", "birth date", "date of birth",
                   "dob", "ttl"),
    "sex": ("jenis kelamin", "jk", "l p", "kelamin", "sex", "gender"),
    "kk": ("no kk", "nomor kk", "kk", "nomor kartu keluarga", "no kartu keluarga", "kartu keluarga"),
    "rt": ("rt",),
    "rw": ("rw",),
    "address": ("alamat", "alamat lengkap", "address", "jalan", "alamat rumah"),
}
RT_RW = ("rt rw", "rt/rw", "rtrw")


def header_words(value: Any) -> str:
    text = re.sub(r"[^a-z0-9/]+", " ", str(value or "").lower()).strip()
    return re.sub(r"\s+", " ", text)


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """Field -> column index, from the header words (each column used once)."""
    words = [header_words(h) for h in headers]
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for index, w in enumerate(words):
        if w.replace(" ", "") in ("rt/rw", "rtrw") or w in RT_RW:
            mapping.setdefault("rt", index)
            mapping.setdefault("rw", index)
            used.add(index)
    for field, names in SYNONYMS.items():
        if field in mapping:
            continue
        for name in names:
            hit = next((i for i, w in enumerate(words) if i not in used and w == name), None)
            if hit is None:
                hit = next((i for i, w in enumerate(words) if i not in used and w.startswith(name + " ")
                            and len(name) > 2), None)
            if hit is not None:
                mapping[field] = hit
                used.add(hit)
                break
    return mapping


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


class ListFile:
    """An agency list opened for streaming: ``headers`` then ``rows()`` of (row number, cells as text)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.headers: list[str] = []
        self.kind = ""
        self._raw = None
        self._workbook = None
        self._rows: Iterator[Any] | None = None
        self._number = 0

    def __enter__(self) -> ListFile:
        try:
            self._raw = open(self.path, "rb")  # noqa: SIM115 - closed in __exit__
        except OSError as exc:
            raise ImportFileError(MSG_UNREADABLE, detail=exc.strerror or str(exc)) from None
        try:
            self.kind = detect_kind(self._raw.read(_SNIFF_BYTES))
            self._raw.seek(0)
            self._open_xlsx() if self.kind == "xlsx" else self._open_csv()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None
        if self._raw is not None:
            self._raw.close()
            self._raw = None

    def _header(self, rows: Iterator[Any]) -> None:
        for row in rows:
            self._number += 1
            if not _blank(row):
                cells = [_text(c)[:80] for c in row][:MAX_COLUMNS]
                while cells and not cells[-1]:
                    cells.pop()
                if not any(cells):
                    break
                self.headers = cells
                return
        raise ImportFileError(MSG_NO_COLUMNS)

    def _open_csv(self) -> None:
        lines = _text_lines(self._raw)
        buffered: list[str] = []
        first = ""
        for line in lines:
            buffered.append(line)
            if line.strip():
                first = line
                break
        if not first:
            raise ImportFileError(MSG_EMPTY)

        def replay() -> Iterator[str]:
            yield from buffered
            yield from lines

        try:
            reader = csv.reader(replay(), delimiter=_sniff_delimiter(first))
            self._header(reader)
        except csv.Error as exc:
            raise ImportFileError(MSG_UNREADABLE, detail=str(exc)) from None
        self._rows = reader

    def _open_xlsx(self) -> None:
        import openpyxl

        check_xlsx(self._raw)
        self._raw.seek(0)
        try:
            self._workbook = openpyxl.load_workbook(self._raw, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
            raise ImportFileError(MSG_BAD_XLSX) from exc
        if not self._workbook.worksheets:
            raise ImportFileError(MSG_NO_COLUMNS)
        rows = self._workbook.worksheets[0].iter_rows(values_only=True)
        try:
            self._header(rows)
        except ImportFileError:
            raise
        except Exception as exc:  # a damaged sheet XML
            raise ImportFileError(MSG_BAD_XLSX) from exc
        self._rows = rows

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number as the spreadsheet shows it, cells), blank rows left out."""
        assert self._rows is not None
        number = self._number
        try:
            for row in self._rows:
                number += 1
                if _blank(row):
                    continue
                yield number, list(row)[:MAX_COLUMNS]
        except csv.Error as exc:
            raise ImportFileError(MSG_UNREADABLE, detail=f"baris {number + 1}: {exc}") from None
        except ImportFileError:
            raise
        except Exception as exc:  # a damaged sheet XML met half way
            raise ImportFileError(MSG_BAD_XLSX) from exc


# --- cells --------------------------------------------------------------------------------------------

_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%d-%m-%y", "%d/%m/%y", "%d %m %Y")
_MONTHS = {"jan": 1, "januari": 1, "feb": 2, "februari": 2, "mar": 3, "maret": 3, "apr": 4, "april": 4,
           "mei": 5, "may": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "agu": 8, "agt": 8, "agustus": 8,
           "aug": 8, "sep": 9, "september": 9, "okt": 10, "oktober": 10, "oct": 10, "nov": 11, "november": 11,
           "des": 12, "desember": 12, "dec": 12}


def parse_date(cell: Any) -> dt.date | None:
    """A birth date from an Excel date, ``17-08-1980``-like text or ``17 Agustus 1980``; None otherwise."""
    if cell is None or cell == "":
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = str(cell).strip()
    # "Jakarta, 17-08-1980" (tempat, tanggal lahir in one cell)
    if "," in text:
        text = text.rsplit(",", 1)[1].strip()
    text = text[:10] if re.match(r"\d{4}-\d\d-\d\dT", text) else text
    for fmt in _DATE_FORMATS:
        try:
            value = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if value.year < 1900 or value > dt.date.today():
            return None
        return value
    match = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text)
    if match and match.group(2).lower() in _MONTHS:
        try:
            return dt.date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
        except ValueError:
            return None
    return None


def parse_sex(cell: Any) -> str:
    text = _text(cell).lower().replace("-", "").replace(" ", "")
    if text in ("l", "lk", "laki", "lakilaki", "pria", "m", "male"):
        return "L"
    if text in ("p", "pr", "perempuan", "wanita", "f", "female", "w"):
        return "P"
    return ""


def parse_digits(cell: Any, length: int = 32) -> str:
    """Digits of an ID cell; Excel turns a 16-digit NIK into a float, which keeps its digits."""
    if isinstance(cell, float):
        cell = f"{cell:.0f}"
    text = _text(cell).lstrip("'")
    return re.sub(r"\D", "", text)[:length]


def parse_area(cell: Any, *, part: int | None = None) -> int | None:
    """An RT or RW number; ``part`` picks one side of "003/001" when RT and RW share a column."""
    text = _text(cell)
    if part is not None and "/" in text:
        pieces = text.split("/")
        text = pieces[part] if len(pieces) > part else ""
    digits = re.sub(r"\D", "", text)
    if not digits:
        return None
    value = int(digits[:4])
    return value if 0 < value < 1000 else None


def mapped_row(cells: list[Any], mapping: dict[str, int]) -> dict[str, Any]:
    """The fields of one row under ``mapping`` (missing columns give empty values)."""

    def cell(field: str) -> Any:
        index = mapping.get(field)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    shared = mapping.get("rt") is not None and mapping.get("rt") == mapping.get("rw")
    return {
        "nik": parse_digits(cell("nik")),
        "full_name": re.sub(r"\s+", " ", _text(cell("full_name")))[:150],
        "birth_date": parse_date(cell("birth_date")),
        "sex": parse_sex(cell("sex")),
        "kk": parse_digits(cell("kk")),
        "rt": parse_area(cell("rt"), part=0 if shared else None),
        "rw": parse_area(cell("rw"), part=1 if shared else None),
        "address": _text(cell("address"))[:200],
    }
