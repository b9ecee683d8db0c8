"""Read the paying institution's result file: which payment references were paid and which failed.

The file comes from outside (a bank's or post office's system, often re-saved in Excel), so it is
read defensively: CSV with ``,`` ``;`` or tab, a byte-order mark or not, UTF-8 or Windows-1252
decided per line (the registry import's reader), or the first sheet of an XLSX. Every line becomes
a ``ResultRow``; a cell that cannot be read gives the row an Indonesian error instead of stopping the
file. The file as a whole is refused with ``ResultFileError`` only when it cannot be a result file
at all (not text, a damaged or oversized workbook, missing columns, no data, too many lines).

No database access here: the reconciliation service collects every row first and applies nothing
if the reader refuses the file.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import re
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from bansos.core.errors import DomainError
from bansos.registry.importing.cells import MSG_MONEY, CellError, choice_key, date, digits, header_key, money, text
from bansos.registry.importing.reader import (
    ImportFileError,
    XlsxTooBig,
    _blank,
    _decode_lines,
    _sniff_delimiter,
    _text_lines,
    check_xlsx,
    detect_kind,
)

MSG_EMPTY = _("Berkas kosong.")
MSG_NOT_TEXT = _("Berkas ini bukan CSV (teks) maupun XLSX; simpan ulang sebagai CSV atau XLSX dari spreadsheet.")
MSG_OLD_XLS = _("Berkas ini XLS lama atau buku kerja berkata sandi; simpan ulang sebagai XLSX atau CSV tanpa sandi.")
MSG_BAD_XLSX = _("Berkas XLSX ini rusak atau bukan buku kerja Excel.")
MSG_XLSX_TOO_BIG = _(
    "Berkas XLSX ini terlalu besar setelah dibuka (lebih dari %(limit)s MB) atau dipadatkan secara tidak wajar; "
    "simpan ulang sebagai CSV."
)
MSG_NO_HEADER = _("Berkas tidak berisi judul kolom. Baris pertama harus berisi: referensi, status, nominal.")
MSG_MISSING_COLUMNS = _(
    "Kolom wajib tidak ada: %(columns)s. Judul kolom yang terbaca: %(found)s. Tidak ada baris yang diproses."
)
MSG_NO_ROWS = _("Berkas hanya berisi judul kolom, tanpa baris data.")
MSG_TOO_MANY_LINES = _("Berkas berisi lebih dari %(limit)s baris data; bagi menjadi beberapa berkas.")
MSG_UNREADABLE = _("Berkas tidak dapat dibaca: %(detail)s")

MSG_LINE_TOO_LONG = _("Baris terlalu panjang (lebih dari %(limit)s KB); baris ini tidak dibaca.")
MSG_LINE_BROKEN = _("Baris tidak dapat dibaca sebagai CSV: %(detail)s")
MSG_LINE_SPANS = _(
    "Sel berisi pindah baris atau tanda kutip yang tidak ditutup (baris %(first)s sampai %(last)s terbaca "
    "sebagai satu baris); periksa baris ini."
)
MSG_CELL_TOO_LONG = _("%(column)s: isi sel terlalu panjang.")
MSG_REFERENCE_MISSING = _("Referensi kosong.")
MSG_REFERENCE_TOO_LONG = _("Referensi terlalu panjang: paling banyak %(limit)s karakter.")
MSG_REFERENCE_BAD = _("Referensi tidak terbaca: %(detail)s")
MSG_STATUS_MISSING = _("Status kosong; isi berhasil atau gagal.")
MSG_STATUS_UNKNOWN = _("Status tidak dikenal: %(value)s. Yang diterima untuk berhasil: %(paid)s; untuk gagal: %(failed)s.")
MSG_AMOUNT_MISSING = _("Nominal kosong pada pembayaran yang berhasil.")
MSG_AMOUNT_BAD = _("Nominal tidak terbaca: %(detail)s")
MSG_AMOUNT_NOT_POSITIVE = _("Nominal harus lebih dari nol (tertulis %(value)s).")
MSG_AMOUNT_TOO_BIG = _("Nominal terlalu besar (tertulis %(value)s).")
MSG_DATE_BAD = _("Tanggal bayar tidak terbaca: %(detail)s")
MSG_DATE_RANGE = _("Tanggal bayar %(value)s di luar rentang tahun 2000 sampai 2100.")

PAID = "paid"
FAILED = "failed"
PAID_WORDS = ("paid", "berhasil", "sukses", "success", "dibayar", "lunas", "ok", "1", "y", "ya")
FAILED_WORDS = ("failed", "gagal", "ditolak", "tolak", "rejected", "reject", "retur", "return", "0", "n", "tidak")
_STATUS = {**{w: PAID for w in PAID_WORDS}, **{w: FAILED for w in FAILED_WORDS}}

ALIASES: dict[str, tuple[str, ...]] = {
    "reference": ("reference", "referensi", "ref", "no_ref", "no_referensi", "nomor_referensi",
                  "kode_referensi", "payment_reference"),
    "status": ("status", "status_bayar", "status_pembayaran", "hasil", "keterangan_status"),
    "reason": ("reason", "alasan", "keterangan", "alasan_gagal", "failure_reason", "catatan"),
    "paid_on": ("paid_date", "paid_on", "tanggal_bayar", "tgl_bayar", "tanggal_transfer", "tgl_transfer",
                "tanggal", "date"),
    "amount": ("amount", "nominal", "jumlah", "jumlah_bayar", "nilai"),
}
REQUIRED = ("reference", "status", "amount")
REQUIRED_HEADERS = {"reference": "referensi", "status": "status", "amount": "nominal"}  # named in messages
_HEADER_FIELDS = {header_key(alias): name for name, aliases in ALIASES.items() for alias in aliases}

MAX_XLSX_UNPACKED = 200 * 1024 * 1024  # bytes of XML a workbook may unpack to
MAX_XLSX_RATIO = 100  # a part this many times smaller packed than unpacked is a zip bomb
_RATIO_FROM = 1024 * 1024  # small parts compress well legitimately; judge the ratio above this size
MAX_XLSX_ROWS = 1_048_576  # Excel's own limit; a row number beyond it is a forged sheet
MAX_LINE_BYTES = 64 * 1024  # a CSV line longer than this is refused, not read into memory whole
MAX_REFERENCE = 100
MAX_REASON = 200
MAX_RAW = 100
MAX_RAW_COLUMNS = 30  # cells kept per line for the problem report; a file of 30,000 columns keeps 30
MAX_CELL = 1000  # longer cells in the mapped columns are refused before any parsing
MAX_AMOUNT = 10**12
_HEADER_SEARCH = 10  # non-blank lines looked at to find the header (a title line may come first)
_SNIFF_BYTES = 64 * 1024
_SPOOL_BYTES = 16 * 1024 * 1024
_MEMO_SIZE = 10_000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_DATE_TIME = re.compile(r"^(\S+)[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?$")
# "300.000,00" / "300,000.00": grouped thousands and zero cents in the other separator.
_GROUPED_CENTS = re.compile(r"^(?:rp\.?)?(\d{1,3}(?:\.\d{3})+),0{1,2}$|^(?:rp\.?)?(\d{1,3}(?:,\d{3})+)\.0{1,2}$")
_FOREIGN_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"\x1f\x8b", b"7z\xbc\xaf")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


class ResultFileError(DomainError):
    """The result file as a whole is refused; nothing of it may be applied."""

    status = 422

    def __init__(self, message: Any, **params: Any) -> None:
        super().__init__("result_file", message, field="file", **params)


@dataclass
class ResultRow:
    line_no: int  # line number as the user sees it in the file (header = line 1)
    reference: str  # stripped; "" if missing
    status: str | None  # "paid" | "failed" | None when unreadable
    reason: str  # failure reason, at most 200 characters; "" if none
    paid_on: dt.date | None
    amount: int | None
    errors: list[str] = field(default_factory=list)  # Indonesian messages for unreadable cells
    raw: dict[str, str] = field(default_factory=dict)  # header -> original cell text, cut to 100 characters


@dataclass
class _Layout:
    header_line: int
    positions: dict[str, int]  # field -> cell index
    raw_headers: list[tuple[int, str]]  # cell index -> unique header text, for ResultRow.raw
    amounts: dict = field(default_factory=dict)  # parsed amount cells, see _memo
    dates: dict = field(default_factory=dict)


# --- opening -----------------------------------------------------------------------------------


def _kind(head: bytes) -> str:
    if head.startswith(_OLE_MAGIC):
        raise ResultFileError(MSG_OLD_XLS)
    if head.startswith(_FOREIGN_MAGIC):
        raise ResultFileError(MSG_NOT_TEXT)
    try:
        return detect_kind(head)
    except ImportFileError as exc:
        raise ResultFileError(exc.message, **exc.params) from None


def _seekable(fileobj: IO[bytes]) -> IO[bytes]:
    """The upload itself when it can seek (a Django upload can), else a spooled copy."""
    try:
        if fileobj.seekable():
            fileobj.seek(0)
            return fileobj
    except (AttributeError, OSError, ValueError):
        pass
    copy = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115 - closed by the reader
    while block := fileobj.read(1 << 20):
        copy.write(block)
    copy.seek(0)
    return copy


def _check_zip(raw: IO[bytes]) -> None:
    """Refuse a damaged workbook or a zip bomb from the zip index alone, before anything is unpacked.

    Python's zipfile stops unpacking a part at the size its index declares (and then fails the CRC
    if that size lied), so checking the declared sizes bounds what openpyxl can unpack.
    """
    try:
        check_xlsx(raw)
        raw.seek(0)
        with zipfile.ZipFile(raw) as archive:
            total = 0
            for info in archive.infolist():
                total += info.file_size
                if info.file_size > _RATIO_FROM and info.file_size > info.compress_size * MAX_XLSX_RATIO:
                    raise ResultFileError(MSG_XLSX_TOO_BIG, limit=MAX_XLSX_UNPACKED // (1024 * 1024))
            if total > MAX_XLSX_UNPACKED:
                raise ResultFileError(MSG_XLSX_TOO_BIG, limit=MAX_XLSX_UNPACKED // (1024 * 1024))
    except ResultFileError:
        raise
    except XlsxTooBig:
        raise ResultFileError(MSG_XLSX_TOO_BIG, limit=MAX_XLSX_UNPACKED // (1024 * 1024)) from None
    except ImportFileError:
        raise ResultFileError(MSG_BAD_XLSX) from None
    except Exception:  # zipfile raises many kinds on a forged index
        raise ResultFileError(MSG_BAD_XLSX) from None
    raw.seek(0)


# A row source yields (line number, cells, problem): problem is a message when the line itself
# could not be read (too long, broken CSV), and then the cells are empty.
Row = tuple[int, "list[Any] | tuple[Any, ...]", "str | None"]


def _xlsx_rows(raw: IO[bytes]) -> Iterator[Row]:
    import openpyxl

    _check_zip(raw)
    try:
        workbook = openpyxl.load_workbook(raw, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise ResultFileError(MSG_BAD_XLSX) from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise ResultFileError(MSG_NO_HEADER)
        sheet = sheets[0]
        # The <dimension> a file declares may lie: too small drops rows silently, too large pads
        # every row to thousands of empty cells. Read the rows as they are.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(min_row=1, values_only=True)
        line_no = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except Exception:  # a damaged sheet part fails only when its rows are parsed
                raise ResultFileError(MSG_BAD_XLSX) from None
            line_no += 1
            if line_no > MAX_XLSX_ROWS:
                raise ResultFileError(MSG_BAD_XLSX)
            yield line_no, row, None
    finally:
        workbook.close()


class _BoundedLines:
    """Binary lines of at most MAX_LINE_BYTES: a longer line is skipped and its number noted.

    It stands in the file's place for ``_decode_lines``, so a line of a gigabyte never sits in memory.
    """

    def __init__(self, raw: IO[bytes], too_long: list[int]) -> None:
        self.raw = raw
        self.too_long = too_long

    def __iter__(self) -> Iterator[bytes]:
        number = 0
        readline = self.raw.readline
        while piece := readline(MAX_LINE_BYTES):
            number += 1
            if len(piece) >= MAX_LINE_BYTES and not piece.endswith(b"\n"):
                while (more := readline(MAX_LINE_BYTES)) and not more.endswith(b"\n"):
                    pass
                self.too_long.append(number)
                yield b"\n"
                continue
            yield piece


def _cr_lines(raw: IO[bytes], too_long: list[int]) -> Iterator[bytes]:
    """Lines of a file that ends them with CR alone (Excel for Mac's "CSV (Macintosh)"), bounded too."""
    number = 0
    pending = b""
    skipping = False
    while block := raw.read(MAX_LINE_BYTES):
        parts = (pending + block).split(b"\r")
        pending = parts.pop()
        for part in parts:
            number += 1
            if skipping or len(part) >= MAX_LINE_BYTES:
                skipping = False
                too_long.append(number)
                yield b"\n"
            else:
                yield part + b"\n"
        if len(pending) >= MAX_LINE_BYTES:
            pending = b""
            skipping = True
    if skipping or pending:
        number += 1
        if skipping:
            too_long.append(number)
        yield b"\n" if skipping else pending


def _text_source(raw: IO[bytes], too_long: list[int]) -> Iterator[str]:
    head = raw.read(_SNIFF_BYTES)
    raw.seek(0)
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        for number, line in enumerate(_text_lines(raw), start=1):
            if len(line) > MAX_LINE_BYTES:
                too_long.append(number)
                line = "\n"
            yield line
    elif b"\r" in head and b"\n" not in head:
        yield from _decode_lines(_cr_lines(raw, too_long))
    else:
        yield from _decode_lines(_BoundedLines(raw, too_long))


def _parse_header_line(line: str) -> tuple[list[str], str]:
    delimiter = _sniff_delimiter(line)
    try:
        return next(csv.reader([line], delimiter=delimiter), []), delimiter
    except csv.Error:
        return [], delimiter


def _csv_rows(raw: IO[bytes]) -> Iterator[Row]:
    too_long: list[int] = []
    lines = _text_source(raw, too_long)
    # Look at the first non-blank lines for the header; the delimiter is the header line's.
    buffered: list[str] = []
    candidates: list[int] = []
    for line in lines:
        buffered.append(line)
        if line.strip():
            candidates.append(len(buffered) - 1)
            if len(candidates) >= _HEADER_SEARCH:
                break
        if len(buffered) >= 1000:
            break
    if not candidates:
        raise ResultFileError(MSG_EMPTY)
    # The first line naming the required columns; else the first line, to name what is missing.
    chosen = next((i for i in candidates if _header_fields(_parse_header_line(buffered[i])[0]) >= set(REQUIRED)),
                  candidates[0])
    cells, delimiter = _parse_header_line(buffered[chosen])
    yield chosen + 1, cells, None

    def rest() -> Iterator[str]:
        yield from buffered[chosen + 1:]
        yield from lines

    reader = csv.reader(rest(), delimiter=delimiter)
    offset = chosen + 1  # physical lines before the reader's first
    last = 0
    pending = 0  # index into too_long of the first line not yet reported
    while True:
        try:
            cells = next(reader)
            problem = None
        except StopIteration:
            break
        except csv.Error as exc:
            cells, problem = [], str(MSG_LINE_BROKEN) % {"detail": exc}
        first, end = offset + last + 1, offset + reader.line_num
        last = reader.line_num
        while pending < len(too_long) and too_long[pending] < first:
            pending += 1
        if pending < len(too_long) and too_long[pending] <= end:
            cells, problem = [], str(MSG_LINE_TOO_LONG) % {"limit": MAX_LINE_BYTES // 1024}
        elif problem is None and end > first:
            # Result files have one line per payment; a record over several lines is a stray quote
            # that swallowed the lines after it. Report it rather than lose those lines silently.
            problem = str(MSG_LINE_SPANS) % {"first": first, "last": end}
        yield first, cells, problem


# --- header ------------------------------------------------------------------------------------


def _header_fields(cells: list[Any] | tuple[Any, ...]) -> set[str]:
    return {_HEADER_FIELDS[key] for key in (header_key(c) for c in cells if c is not None) if key in _HEADER_FIELDS}


def _layout(line_no: int, cells: list[Any] | tuple[Any, ...]) -> _Layout:
    positions: dict[str, int] = {}
    raw_headers: list[tuple[int, str]] = []
    used: set[str] = set()
    for index, cell in enumerate(cells):
        name = _raw_text(cell)
        if not name:
            continue
        if len(raw_headers) < MAX_RAW_COLUMNS:
            unique, n = name, 1
            while unique in used:
                n += 1
                unique = f"{name} ({n})"
            used.add(unique)
            raw_headers.append((index, unique))
        found = _HEADER_FIELDS.get(header_key(cell))
        if found is not None:
            positions.setdefault(found, index)  # the first of two columns for one field wins
    if not raw_headers:
        raise ResultFileError(MSG_NO_HEADER)
    missing = [REQUIRED_HEADERS[f] for f in REQUIRED if f not in positions]
    if missing:
        found_names = ", ".join(name[:40] for _i, name in raw_headers[:12])
        raise ResultFileError(MSG_MISSING_COLUMNS, columns=", ".join(missing), found=found_names)
    return _Layout(header_line=line_no, positions=positions, raw_headers=raw_headers)


# --- cells -------------------------------------------------------------------------------------


def _raw_text(value: Any) -> str:
    """A cell as the user typed it, for the problem report: control characters blanked, 100 characters."""
    if value is None:
        return ""
    if type(value) is str and len(value) <= MAX_RAW and value.isprintable():
        return value.strip()
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    value = str(value)[: MAX_RAW * 4]
    if _CONTROL.search(value):
        value = _CONTROL.sub(" ", value)
    return value.strip()[:MAX_RAW]


def _message(message: Any, **params: Any) -> str:
    return str(message) % params if params else str(message)


def _reference(value: Any, errors: list[str]) -> str:
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = digits(value)  # a reference Excel turned into a number
        reference = text(value) or ""
    except CellError as exc:
        errors.append(_message(MSG_REFERENCE_BAD, detail=exc))
        return ""
    if not reference:
        errors.append(str(MSG_REFERENCE_MISSING))
    elif len(reference) > MAX_REFERENCE:
        errors.append(_message(MSG_REFERENCE_TOO_LONG, limit=MAX_REFERENCE))
        reference = reference[:MAX_REFERENCE]
    return reference


def _status(value: Any, errors: list[str]) -> str | None:
    if isinstance(value, bool):
        return PAID if value else FAILED
    if type(value) is str:
        found = _STATUS.get(value.strip().lower())
        if found is not None:
            return found
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    key = choice_key(value) if value is not None else ""
    if not key:
        errors.append(str(MSG_STATUS_MISSING))
        return None
    found = _STATUS.get(key)
    if found is None:
        errors.append(_message(MSG_STATUS_UNKNOWN, value=_raw_text(value)[:40], paid=", ".join(PAID_WORDS),
                               failed=", ".join(FAILED_WORDS)))
    return found


def _amount(value: Any) -> tuple[int | None, str | None]:
    """The amount of a cell and the message when it is unreadable; (None, None) for an empty cell."""
    if type(value) is str and value[:3].upper() == "IDR":
        value = value[3:].strip()  # "IDR 300.000": the currency code instead of "Rp"
    try:
        try:
            amount = money(value)
        except ValueError:  # a character str.isdigit accepts and int() does not
            raise CellError(MSG_MONEY, value=_raw_text(value)[:40]) from None
    except CellError as exc:
        # cells.money knows "300.000" and "300000,00"; a bank also writes both at once.
        match = _GROUPED_CENTS.match(value.strip().lower().replace(" ", "")) if type(value) is str else None
        if not match:
            return None, _message(MSG_AMOUNT_BAD, detail=exc)
        amount = int((match.group(1) or match.group(2)).replace(".", "").replace(",", ""))
    if amount is None:
        return None, None
    if amount <= 0:
        return None, _message(MSG_AMOUNT_NOT_POSITIVE, value=_raw_text(value)[:40])
    if amount > MAX_AMOUNT:
        return None, _message(MSG_AMOUNT_TOO_BIG, value=_raw_text(value)[:40])
    return amount, None


def _paid_on(value: Any) -> tuple[dt.date | None, str | None]:
    """The paid date of a cell and the message when it is unreadable; (None, None) for an empty cell."""
    if isinstance(value, str):
        value = value.strip()
        match = _DATE_TIME.match(value)
        if match:
            value = match.group(1)  # a bank's timestamp: the day is what counts
    try:
        day = date(value)
    except CellError as exc:
        return None, _message(MSG_DATE_BAD, detail=exc)
    if day is not None and not 2000 <= day.year <= 2100:
        return None, _message(MSG_DATE_RANGE, value=day.isoformat())
    return day, None


def _memo(cache: dict, parse: Any, value: Any) -> tuple[Any, str | None]:
    # A result file repeats a few amounts and dates on every line: parse each spelling once.
    # The type is part of the key because True == 1 and a date never equals a datetime.
    key = (type(value), value)
    found = cache.get(key)
    if found is None:
        found = parse(value)
        if len(cache) < _MEMO_SIZE:
            cache[key] = found
    return found


_LABELS = {"reference": _("Referensi"), "status": _("Status"), "reason": _("Alasan"),
           "paid_on": _("Tanggal bayar"), "amount": _("Nominal")}


def _row(line_no: int, cells: list[Any] | tuple[Any, ...], layout: _Layout) -> ResultRow:
    width = len(cells)
    raw = {name: _raw_text(cells[i]) if i < width else "" for i, name in layout.raw_headers}
    errors: list[str] = []
    values: dict[str, Any] = {}
    refused = False
    for name, index in layout.positions.items():
        value = cells[index] if index < width else None
        if type(value) is str:
            if len(value) > MAX_CELL and name != "reason":
                # Cut before any parsing: no field of a result line is legitimately this long.
                errors.append(_message(MSG_CELL_TOO_LONG, column=_LABELS[name]))
                refused = refused or name == "reference"
                value = None
            elif not value or value.isspace():
                value = None
        values[name] = value
    reference = "" if refused else _reference(values["reference"], errors)
    status = _status(values["status"], errors)
    amount, error = _memo(layout.amounts, _amount, values["amount"])
    if error is not None:
        errors.append(error)
    elif amount is None and status == PAID:
        errors.append(str(MSG_AMOUNT_MISSING))
    paid_on, error = _memo(layout.dates, _paid_on, values.get("paid_on"))
    if error is not None:
        errors.append(error)
    reason_value = values.get("reason")
    if type(reason_value) is str:
        reason_value = reason_value[: MAX_REASON * 4]
    reason = (text(reason_value) or "")[:MAX_REASON]
    return ResultRow(line_no=line_no, reference=reference, status=status, reason=reason, paid_on=paid_on,
                     amount=amount, errors=errors, raw=raw)


# --- the reader ---------------------------------------------------------------------------------


def read_result_file(fileobj: IO[bytes], *, max_lines: int = 200_000) -> Iterator[ResultRow]:
    """Yield one ResultRow per non-blank data line; raise ResultFileError when the file is refused."""
    raw = _seekable(fileobj)
    try:
        head = raw.read(_SNIFF_BYTES)
        raw.seek(0)
    except (OSError, ValueError) as exc:
        raise ResultFileError(MSG_UNREADABLE, detail=str(exc)[:100]) from None
    kind = _kind(head)
    rows = _xlsx_rows(raw) if kind == "xlsx" else _csv_rows(raw)
    with contextlib.closing(rows):
        layout, data = _split_header(rows, kind)
        count = 0
        for line_no, cells, problem in data:
            if problem is None and _blank(cells):
                continue
            count += 1
            if count > max_lines:
                raise ResultFileError(MSG_TOO_MANY_LINES, limit=max_lines)
            if problem is not None and not cells:
                yield ResultRow(line_no=line_no, reference="", status=None, reason="", paid_on=None,
                                amount=None, errors=[problem], raw={})
                continue
            row = _row(line_no, cells, layout)
            if problem is not None:
                row.errors.insert(0, problem)
            yield row
        if count == 0:
            raise ResultFileError(MSG_NO_ROWS)


def _split_header(rows: Iterator[Row], kind: str) -> tuple[_Layout, Iterator[Row]]:
    """Find the header (a title line may come first) and return the layout and the rows after it."""
    buffered: list[Row] = []
    first: Row | None = None
    seen = 0
    for row in rows:
        buffered.append(row)
        line_no, cells, problem = row
        if problem is not None or _blank(cells):
            if len(buffered) >= 1000:
                break
            continue
        if first is None:
            first = row
        if _header_fields(cells) >= set(REQUIRED):
            return _layout(line_no, cells), rows  # the header is the last line buffered
        seen += 1
        if seen >= _HEADER_SEARCH or len(buffered) >= 1000:
            break
    if first is None:
        raise ResultFileError(MSG_EMPTY if kind == "csv" else MSG_NO_HEADER)
    _layout(first[0], first[1])  # raises: the first line names some but not all required columns
    raise ResultFileError(MSG_NO_HEADER)
