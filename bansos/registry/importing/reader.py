"""Open a households file (CSV or XLSX) and stream its rows without loading it whole.

CSV files from Indonesian offices come with ``;`` or ``,`` separators, a byte-order mark or not,
in UTF-8 or Windows-1252 (Excel's "CSV" on a Windows laptop). The encoding is decided per line, so
a UTF-8 file with one pasted Windows-1252 name still reads.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from bansos.core.errors import DomainError
from bansos.registry.columns import COLUMNS, Column
from bansos.registry.importing.cells import header_key, header_table

MSG_EMPTY = _("Berkas kosong.")
MSG_NOT_TEXT = _("Berkas ini bukan CSV (teks) maupun XLSX; simpan ulang sebagai CSV atau XLSX dari spreadsheet.")
MSG_BAD_XLSX = _("Berkas XLSX ini rusak atau bukan buku kerja Excel.")
MSG_NO_HEADER = _(
    "Baris pertama berkas harus berisi judul kolom (no_kk, nik, nama_lengkap, ...). Unduh templat untuk contohnya."
)
MSG_MISSING_COLUMNS = _("Kolom wajib tidak ada: %(columns)s. Tidak ada baris yang diproses.")
MSG_UNREADABLE = _("Berkas tidak dapat dibaca: %(detail)s")
MSG_XLSX_UNPACKS_TOO_BIG = _(
    "Berkas XLSX ini membengkak menjadi lebih dari %(limit)s MB saat dibuka (atau dipadatkan secara tidak wajar), "
    "sehingga tidak diproses. Simpan ulang dari Excel, atau kirim sebagai CSV."
)

XLSX_MAGIC = b"PK\x03\x04"
# A zip bomb is refused from the zip index alone, before anything is unpacked (zipfile stops unpacking a
# part at the size its index declares and fails the CRC if that size lied, so the declared sizes bound
# what openpyxl can unpack). Real workbooks pack 5-20 times; a part packed 100 times smaller is forged.
MAX_XLSX_RATIO = 100
_RATIO_FROM = 1024 * 1024  # small parts compress well legitimately; judge the ratio above this size
MAX_XLSX_UNPACKED = 2 * 1024 * 1024 * 1024  # bytes of XML a households workbook may unpack to (streamed)
_SNIFF_BYTES = 64 * 1024


class ImportFileError(DomainError):
    """The file as a whole cannot be imported; nothing was stored."""

    status = 422

    def __init__(self, message: Any, **params: Any) -> None:
        super().__init__("import_file", message, field="file", **params)


class XlsxTooBig(ImportFileError):
    """The workbook's zip index declares more unpacked data than allowed, or a forged packing ratio."""


@dataclass
class Layout:
    """Which file column feeds which contract column."""

    kind: str  # "csv" or "xlsx"
    positions: list[tuple[int, Column]]
    ignored: list[str] = field(default_factory=list)
    delimiter: str = ","
    encoding: str = "utf-8"


def detect_kind(head: bytes) -> str:
    """ "xlsx" or "csv" from the first bytes, or raise ImportFileError."""
    if not head:
        raise ImportFileError(MSG_EMPTY)
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"
    if b"\x00" in head:
        raise ImportFileError(MSG_NOT_TEXT)
    # Printable text has few control bytes; a binary blob has many.
    controls = sum(1 for b in head[:4096] if b < 9 or 13 < b < 32)
    if controls > 4:
        raise ImportFileError(MSG_NOT_TEXT)
    return "csv"


def check_xlsx(fileobj: IO[bytes], *, max_unpacked: int = MAX_XLSX_UNPACKED) -> None:
    """Refuse what is not a workbook, and a zip bomb, from the zip index alone."""
    too_big = XlsxTooBig(MSG_XLSX_UNPACKS_TOO_BIG, limit=max_unpacked // (1024 * 1024))
    try:
        with zipfile.ZipFile(fileobj) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise ImportFileError(MSG_BAD_XLSX)
            total = 0
            for info in archive.infolist():
                total += info.file_size
                if info.file_size > _RATIO_FROM and info.file_size > info.compress_size * MAX_XLSX_RATIO:
                    raise too_big
            if total > max_unpacked:
                raise too_big
    except ImportFileError:
        raise
    except Exception:  # zipfile raises many kinds (BadZipFile, ValueError, OSError...) on a forged index
        raise ImportFileError(MSG_BAD_XLSX) from None


def _decode_lines(raw: IO[bytes]) -> Iterator[str]:
    """UTF-8 line by line, falling back to Windows-1252 for a line that is not UTF-8."""
    first = True
    for line in raw:
        if first:
            first = False
            if line.startswith(codecs.BOM_UTF8):
                line = line[3:]
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            yield line.decode("cp1252", errors="replace")


def _text_lines(raw: IO[bytes]) -> Iterator[str]:
    start = raw.read(2)
    raw.seek(0)
    if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        yield from io.TextIOWrapper(raw, encoding="utf-16", newline="", errors="replace")
        return
    yield from _decode_lines(raw)


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _blank(row: list[Any] | tuple[Any, ...]) -> bool:
    for cell in row:
        if cell is not None and (not isinstance(cell, str) or cell.strip()):
            return False
    return True


def _layout(kind: str, header: list[Any] | tuple[Any, ...], delimiter: str = ",") -> Layout:
    table = header_table()
    positions: list[tuple[int, Column]] = []
    seen: set[str] = set()
    ignored: list[str] = []
    for index, name in enumerate(header):
        if name is None or not str(name).strip():
            continue
        column = table.get(header_key(name))
        if column is None or column.header in seen:
            ignored.append(str(name).strip())
            continue
        seen.add(column.header)
        positions.append((index, column))
    if not positions:
        raise ImportFileError(MSG_NO_HEADER)
    missing = [c.header for c in COLUMNS if c.required and c.header not in seen]
    if missing:
        raise ImportFileError(MSG_MISSING_COLUMNS, columns=", ".join(missing))
    return Layout(kind=kind, positions=positions, ignored=ignored, delimiter=delimiter)


class HouseholdFile:
    """A households file opened for streaming. Use as a context manager.

    ``layout`` is known after opening (the header is read then); ``rows()`` yields
    ``(row_number, cells)`` where row_number is what the spreadsheet shows (the header is row 1).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._raw: IO[bytes] | None = None
        self._workbook = None
        self._rows: Iterator[Any] | None = None
        self._row_number = 0
        self.layout: Layout | None = None

    def __enter__(self) -> HouseholdFile:
        try:
            self._raw = open(self.path, "rb")  # noqa: SIM115 - closed in __exit__
        except OSError as exc:
            raise ImportFileError(MSG_UNREADABLE, detail=exc.strerror or str(exc)) from None
        try:
            kind = detect_kind(self._raw.read(_SNIFF_BYTES))
            self._raw.seek(0)
            if kind == "xlsx":
                self._open_xlsx()
            else:
                self._open_csv()
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

    def _header(self, rows: Iterator[Any]) -> list[Any]:
        for row in rows:
            self._row_number += 1
            if not _blank(row):
                return list(row)
        raise ImportFileError(MSG_NO_HEADER)

    def _open_csv(self) -> None:
        lines = _text_lines(self._raw)
        first = ""
        buffered: list[str] = []
        for line in lines:
            buffered.append(line)
            if line.strip():
                first = line
                break
        if not first:
            raise ImportFileError(MSG_EMPTY)
        delimiter = _sniff_delimiter(first)

        def replay() -> Iterator[str]:
            yield from buffered
            yield from lines

        try:
            reader = csv.reader(replay(), delimiter=delimiter)
            header = self._header(reader)
        except csv.Error as exc:
            raise ImportFileError(MSG_UNREADABLE, detail=str(exc)) from None
        self.layout = _layout("csv", header, delimiter)
        self._rows = reader

    def _open_xlsx(self) -> None:
        import openpyxl

        check_xlsx(self._raw)
        self._raw.seek(0)
        try:
            self._workbook = openpyxl.load_workbook(self._raw, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
            raise ImportFileError(MSG_BAD_XLSX) from exc
        sheets = [ws for ws in self._workbook.worksheets if ws.title.strip().lower() != "petunjuk"]
        if not sheets:
            raise ImportFileError(MSG_NO_HEADER)
        rows = sheets[0].iter_rows(values_only=True)
        header = self._header(rows)
        self.layout = _layout("xlsx", header)
        self._rows = rows

    def rows(self) -> Iterator[tuple[int, list[Any] | tuple[Any, ...]]]:
        assert self._rows is not None
        number = self._row_number
        try:
            for row in self._rows:
                number += 1
                yield number, row
        except csv.Error as exc:
            # The row being read when the reader gave up is the one after the last row yielded.
            raise ImportFileError(MSG_UNREADABLE, detail=f"baris {number + 1}: {exc}") from None


def count_rows(path: Path) -> int | None:
    """A cheap estimate of the data rows (line count minus the header) for the progress bar."""
    path = Path(path)
    with open(path, "rb") as handle:
        head = handle.read(8)
        if head.startswith(XLSX_MAGIC):
            try:
                import openpyxl

                handle.seek(0)
                workbook = openpyxl.load_workbook(handle, read_only=True)
                try:
                    sheets = [ws for ws in workbook.worksheets if ws.title.strip().lower() != "petunjuk"]
                    rows = sheets[0].max_row if sheets else None
                finally:
                    workbook.close()
                return max(0, rows - 1) if rows else None
            except Exception:
                return None
        handle.seek(0)
        lines = 0
        last = b""
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
            last = block
        if last and not last.endswith(b"\n"):
            lines += 1
    return max(0, lines - 1)


def check_upload(fileobj: IO[bytes]) -> str:
    """Check an upload before it is stored: its kind, and that its header names the required columns.

    Returns "csv" or "xlsx"; raises ImportFileError with the reason otherwise.
    """
    fileobj.seek(0)
    head = fileobj.read(_SNIFF_BYTES)
    kind = detect_kind(head)
    fileobj.seek(0)
    if kind == "xlsx":
        check_xlsx(fileobj)
        fileobj.seek(0)
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
        except Exception as exc:
            raise ImportFileError(MSG_BAD_XLSX) from exc
        try:
            sheets = [ws for ws in workbook.worksheets if ws.title.strip().lower() != "petunjuk"]
            if not sheets:
                raise ImportFileError(MSG_NO_HEADER)
            for row in sheets[0].iter_rows(values_only=True, max_row=50):
                if not _blank(row):
                    _layout("xlsx", row)
                    break
            else:
                raise ImportFileError(MSG_NO_HEADER)
        finally:
            workbook.close()
    else:
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = head.decode("utf-16", errors="replace")
        else:
            if head.startswith(codecs.BOM_UTF8):
                head = head[3:]
            try:
                text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            except UnicodeDecodeError:
                text = head.decode("cp1252", errors="replace")
        first = next((line for line in text.splitlines() if line.strip()), "")
        if not first:
            raise ImportFileError(MSG_EMPTY)
        try:
            header = next(csv.reader([first], delimiter=_sniff_delimiter(first)))
        except (csv.Error, StopIteration):
            raise ImportFileError(MSG_NO_HEADER) from None
        _layout("csv", header)
    fileobj.seek(0)
    return kind
