"""Files the platform writes: the payment file for the paying institution and the problem report.

Pure functions over plain mappings; no database access. Each paying institution (bank, post office)
names the columns it wants in its own order and with its own headers; ``validate_columns`` checks
that configuration once and the writers trust its result.

Names and addresses are personal data typed by people, so any text a spreadsheet would run as a
formula is written with a leading apostrophe (the same rule as the registry export), and control
characters an XLSX cannot hold are dropped rather than crashing the download half-way.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from bansos.core.errors import DomainError


@dataclass(frozen=True)
class Column:
    key: str  # stable key the services fill in each line mapping
    header: str  # default header text in the file
    label: Any  # Indonesian label for the configuration page (lazy)
    number: bool = False  # written as a number (XLSX number cell); every other column is text


PAYMENT_COLUMNS: dict[str, Column] = {
    column.key: column
    for column in (
        Column("reference", "referensi", _("Nomor referensi pembayaran")),
        Column("nik", "nik", _("NIK penerima")),
        Column("name", "nama", _("Nama penerima")),
        Column("kk_number", "no_kk", _("Nomor KK")),
        Column("account_number", "no_rekening", _("Nomor rekening")),
        Column("account_name", "nama_rekening", _("Nama pemilik rekening")),
        Column("pickup_code", "kode_pengambilan", _("Kode pengambilan")),
        Column("amount", "nominal", _("Nominal (Rupiah)"), number=True),
        Column("program", "program", _("Program")),
        Column("period", "periode", _("Periode")),
        Column("rt_rw", "rt_rw", _("RT/RW")),
        Column("address", "alamat", _("Alamat")),
        Column("phone", "telepon", _("Nomor telepon")),
    )
}
DEFAULT_COLUMNS = ["reference", "nik", "name", "account_number", "amount"]
REQUIRED_COLUMNS = ("reference", "amount")
DELIMITERS = (",", ";", "\t", "|")
MAX_HEADER = 40

MSG_COLUMNS_NOT_LIST = _("Konfigurasi kolom harus berupa daftar kolom.")
MSG_COLUMNS_EMPTY = _("Pilih paling sedikit satu kolom untuk berkas pembayaran.")
MSG_COLUMN_BAD_ITEM = _("Setiap kolom harus berupa kunci kolom atau pasangan kunci dan judul.")
MSG_COLUMN_UNKNOWN = _("Kolom tidak dikenal: %(key)s. Pilihan: %(allowed)s.")
MSG_COLUMN_DUPLICATE = _("Kolom %(key)s dipilih lebih dari sekali.")
MSG_HEADER_DUPLICATE = _("Judul kolom %(header)s dipakai lebih dari sekali.")
MSG_HEADER_TOO_LONG = _("Judul kolom %(header)s terlalu panjang: paling banyak %(limit)s karakter.")
MSG_HEADER_CONTROL = _("Judul kolom %(key)s berisi karakter yang tidak dapat ditulis.")
MSG_COLUMNS_REQUIRED = _("Berkas pembayaran wajib memuat kolom: %(columns)s.")
MSG_DELIMITER = _("Pemisah kolom CSV harus salah satu dari: koma, titik koma, tab atau garis tegak.")

# Characters an XLSX cannot hold (openpyxl refuses them); dropped from CSV too so both files agree.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"[\r\n\x85\u2028\u2029]+")
# Text a spreadsheet would run as a formula gets a leading apostrophe (the registry export's rule,
# bansos.registry.exporting.neutralise; a set here because this runs for every cell of a batch).
_FORMULA_START = frozenset(("=", "+", "-", "@", "\t", "\r"))
_CHUNK_LINES = 2000


def _columns_error(message: Any, **params: Any) -> DomainError:
    return DomainError("payment_columns", message, field="columns", **params)


def validate_columns(columns: list) -> list[dict]:
    """Normalise an institution's column configuration to ``[{"key", "header"}]`` or raise DomainError."""
    if not isinstance(columns, (list, tuple)):
        raise _columns_error(MSG_COLUMNS_NOT_LIST)
    if not columns:
        raise _columns_error(MSG_COLUMNS_EMPTY)
    normalised: list[dict] = []
    keys: set[str] = set()
    headers: set[str] = set()
    for item in columns:
        if isinstance(item, str):
            key, header = item, None
        elif isinstance(item, Mapping) and isinstance(item.get("key"), str):
            key, header = item["key"], item.get("header")
        else:
            raise _columns_error(MSG_COLUMN_BAD_ITEM)
        key = key.strip()
        column = PAYMENT_COLUMNS.get(key)
        if column is None:
            raise _columns_error(MSG_COLUMN_UNKNOWN, key=key[:40], allowed=", ".join(PAYMENT_COLUMNS))
        if key in keys:
            raise _columns_error(MSG_COLUMN_DUPLICATE, key=key)
        if header is not None and not isinstance(header, str):
            raise _columns_error(MSG_COLUMN_BAD_ITEM)
        header = (header or "").strip() or column.header
        if len(header) > MAX_HEADER:
            raise _columns_error(MSG_HEADER_TOO_LONG, header=header[:40] + "...", limit=MAX_HEADER)
        if _CONTROL.search(header):
            raise _columns_error(MSG_HEADER_CONTROL, key=key)
        # Headers differing only in case are one column to whoever reads the file.
        folded = header.casefold()
        if folded in headers:
            raise _columns_error(MSG_HEADER_DUPLICATE, header=header)
        keys.add(key)
        headers.add(folded)
        normalised.append({"key": key, "header": header})
    missing = [key for key in REQUIRED_COLUMNS if key not in keys]
    if missing:
        raise _columns_error(MSG_COLUMNS_REQUIRED, columns=", ".join(missing))
    return normalised


def _text(value: Any) -> str:
    """A text cell: identifiers stay digit strings, user text cannot become a formula."""
    if type(value) is not str:
        if value is None:
            return ""
        if isinstance(value, float):
            raise TypeError("payment file values are text or integers, never floats")
        value = str(value)
    # The fast path: printable text (no control character) needs only the formula check.
    if not value.isprintable():
        # One line per payment: a bank's importer reads the file line by line, so an address
        # typed on two lines is written on one.
        value = _ILLEGAL.sub("", _LINE_BREAKS.sub(" ", value))
    return "'" + value if value[:1] in _FORMULA_START else value


def _number(value: Any) -> Any:
    """An amount: an integer as itself (plain digits in CSV, a number cell in XLSX)."""
    if value is None:
        return None
    if type(value) is int:
        return value
    if isinstance(value, float):
        raise TypeError("money is an integer number of Rupiah, never a float")
    return _text(value) or None


def _cell_functions(columns: list[dict]) -> list[tuple[str, Any]]:
    return [(c["key"], _number if PAYMENT_COLUMNS[c["key"]].number else _text) for c in columns]


def _csv_stream(header: list[str], rows: Iterable[list[Any]], delimiter: str) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    buffer.write("\ufeff")  # UTF-8 byte-order mark: Excel then reads the file as UTF-8
    writer.writerow([_text(h) for h in header])
    pending = 1
    for row in rows:
        writer.writerow(row)
        pending += 1
        if pending >= _CHUNK_LINES:
            yield buffer.getvalue().encode("utf-8", "replace")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue().encode("utf-8", "replace")


def payment_csv(lines: Iterable[Mapping], columns: list[dict], *, delimiter: str = ",") -> Iterator[bytes]:
    """Stream the payment file as CSV bytes (UTF-8 with BOM; header row = the configured headers)."""
    columns = validate_columns(columns)
    if delimiter not in DELIMITERS:
        raise DomainError("payment_delimiter", MSG_DELIMITER, field="delimiter")
    cells = _cell_functions(columns)

    def rows() -> Iterator[list[Any]]:
        for line in lines:
            get = line.get
            # csv writes None as "" and an int as its digits: exactly what the file needs.
            yield [convert(get(key)) for key, convert in cells]

    return _csv_stream([c["header"] for c in columns], rows(), delimiter)


_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
# Rough Excel column widths per key so NIK and account numbers show whole on opening.
_WIDTHS = {"reference": 22, "nik": 20, "kk_number": 20, "account_number": 20, "name": 30,
           "account_name": 30, "address": 40, "amount": 14, "pickup_code": 18, "phone": 16}
_XLSX_CELL_LIMIT = 32767  # characters Excel holds in one cell; a longer one makes it call the file corrupt
_XML_ILLEGAL = re.compile("[\ufffe\uffff\ud800-\udfff]")

# The package parts besides the sheet: one workbook, one sheet, three cell styles
# (0 default, 1 bold text header, 2 text "@" so a typed NIK stays text too).
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'styles" Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _xml_text(value: str) -> str:
    if len(value) > _XLSX_CELL_LIMIT:
        value = value[:_XLSX_CELL_LIMIT]
    if _XML_ILLEGAL.search(value):
        value = _XML_ILLEGAL.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xlsx_cell(ref: str, value: Any, style: int) -> str:
    if value is None or value == "":
        return ""
    if type(value) is int:
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = _xml_text(value)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def payment_xlsx(lines: Iterable[Mapping], columns: list[dict], out: IO[bytes], *,
                 sheet_title: str = "Pembayaran") -> None:
    """Write the payment file as an XLSX workbook to ``out``, streaming (memory stays flat).

    The sheet XML is written here rather than through openpyxl: openpyxl's write-only mode spends
    some 25 microseconds per cell in its pure-Python XML serialiser, over ten seconds for a 100,000
    line batch, where this takes about one. The package is the minimal one Excel, LibreOffice and
    openpyxl open (the tests read it back with openpyxl). Identifiers are inline string cells with
    the text format, so Excel shows a 16-digit NIK as typed instead of 3.17E+15; the amount is a
    number cell.
    """
    columns = validate_columns(columns)
    cells = _cell_functions(columns)
    title = _SHEET_TITLE_BAD.sub("", str(sheet_title)).strip()[:31] or "Pembayaran"
    letters = [_column_letter(i) for i in range(1, len(columns) + 1)]
    styles = [0 if PAYMENT_COLUMNS[c["key"]].number else 2 for c in columns]
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{_WIDTHS.get(c["key"], 16)}" customWidth="1"'
        + (' style="2"/>' if style == 2 else "/>")
        for i, (c, style) in enumerate(zip(columns, styles, strict=True), start=1)
    )
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK.format(title=_xml_text(title).replace('"', "&quot;")))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            header = "".join(_xlsx_cell(f"{letter}1", _text(c["header"]), 1)
                             for letter, c in zip(letters, columns, strict=True))
            chunk = [_SHEET_HEAD.format(cols=cols), f'<row r="1">{header}</row>']
            plan = list(zip(letters, styles, cells, strict=True))
            row_no = 1
            for line in lines:
                row_no += 1
                get = line.get
                chunk.append(f'<row r="{row_no}">')
                for letter, style, (key, convert) in plan:
                    value = convert(get(key))
                    if value is not None and value != "":
                        chunk.append(_xlsx_cell(f"{letter}{row_no}", value, style))
                chunk.append("</row>")
                if len(chunk) > 20_000:
                    sheet.write("".join(chunk).encode("utf-8"))
                    chunk.clear()
            chunk.append(_SHEET_TAIL)
            sheet.write("".join(chunk).encode("utf-8"))


PROBLEM_HEADERS = (_("baris"), _("referensi"), _("masalah"))


def _problem_text(problem: Any) -> str:
    if problem is None:
        return ""
    if isinstance(problem, (list, tuple)):
        return "; ".join(str(p) for p in problem)
    return str(problem)


def _any_text(value: Any) -> str:
    # The report echoes whatever the institution's file held; no value of it may stop the download.
    return _text(str(value) if isinstance(value, float) else value)


def problem_report_csv(problems: Iterable[Mapping]) -> Iterator[bytes]:
    """Stream the result file's problems as CSV: line number, reference, problem, then the line's own cells.

    Each problem is a mapping with ``line_no``, ``reference``, ``problem`` (a message or a list of
    messages) and ``raw`` (header -> original cell text). The raw headers become columns after the
    fixed three, in the order they first appear.
    """
    problems = list(problems)
    raw_headers: dict[str, None] = {}
    for problem in problems:
        for name in problem.get("raw") or {}:
            raw_headers.setdefault(str(name), None)
    names = list(raw_headers)

    def rows() -> Iterator[list[Any]]:
        for problem in problems:
            raw = problem.get("raw") or {}
            line_no = problem.get("line_no")
            yield [
                line_no if type(line_no) is int else _any_text(line_no),
                _any_text(problem.get("reference")),
                _any_text(_problem_text(problem.get("problem"))),
                *(_any_text(raw.get(name)) for name in names),
            ]

    return _csv_stream([str(h) for h in PROBLEM_HEADERS] + names, rows(), ",")
