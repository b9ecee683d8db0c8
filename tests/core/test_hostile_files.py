"""Every file parser against hostile input: random bytes, random cells, zip bombs, binary files.

The rule for each (issue 11): it reads the file or refuses it with the parser's clear error (a
DomainError with an Indonesian message), in bounded time and memory, and never fails any other way.
A refused file changes nothing.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bansos.cash.files_in import ResultFileError, read_result_file
from bansos.core.errors import DomainError
from bansos.registry.columns import HEADERS
from bansos.registry.importing import import_file
from bansos.registry.importing.reader import ImportFileError, check_upload
from bansos.registry.models import Household, Resident
from bansos.surveys.xlsform import XlsFormRejected, form_import_xlsform, parse_workbook

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                           HealthCheck.too_slow])
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
# What people paste into spreadsheet cells, and what attackers do.
CELL = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["=1+1", "+62812", "-5", "@SUM(A1)", "=HYPERLINK(\"http://x\")", "3.17305E+15", "'3173010101900001",
                     "31/02/2020", "01-13-2020", "\x00", "\ufeff", "Rp 1.500.000", "P", "L", "KEPALA KELUARGA",
                     "a;b", 'a"b', "a\nb", "٣١٧٣", "x" * 5000]),
)


def zip_bomb(*, sheet_mb: int = 24) -> bytes:
    """A valid-looking workbook whose sheet unpacks to ``sheet_mb`` MB of zeros (packed about 1000 times)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b"0" * (1024 * 1024)
            for _ in range(sheet_mb):
                sheet.write(block)
    return out.getvalue()


def fake_workbook_with_many_small_parts(parts: int, part_kb: int) -> bytes:
    """Many parts, each under the ratio check's threshold, that together unpack to a lot."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(parts):
            archive.writestr(f"xl/media/part{n}.bin", b"0" * (part_kb * 1024))
    return out.getvalue()


# --- zip bombs and binary files -----------------------------------------------------------------------


def test_the_registry_import_refuses_a_zip_bomb_from_its_index():
    with pytest.raises(ImportFileError) as refused:
        check_upload(io.BytesIO(zip_bomb()))
    assert "MB" in refused.value.text


def test_the_registry_import_refuses_many_parts_that_unpack_beyond_the_limit():
    from bansos.registry.importing.reader import check_xlsx

    data = fake_workbook_with_many_small_parts(parts=40, part_kb=512)  # 20 MB unpacked, parts under 1 MB
    with pytest.raises(ImportFileError):
        check_xlsx(io.BytesIO(data), max_unpacked=10 * 1024 * 1024)


def test_the_payment_result_reader_refuses_a_zip_bomb():
    with pytest.raises(ResultFileError):
        list(read_result_file(io.BytesIO(zip_bomb())))


@pytest.mark.django_db
def test_the_xlsform_import_refuses_a_zip_bomb(cast):
    with pytest.raises(XlsFormRejected) as refused:
        form_import_xlsform(actor=cast["admin"], data=zip_bomb(), filename="bom.xlsx")
    assert any("MB" in problem["message"] for problem in refused.value.problems)


@pytest.mark.parametrize("data", [PNG, b"\x00" * 100, "NIK;NAMA\n".encode("utf-16-le") + b"\x00\xd8"])
def test_binary_and_broken_files_get_a_clear_refusal_or_are_read_as_text(data):
    try:
        check_upload(io.BytesIO(data))
    except ImportFileError as refused:
        assert refused.text
    with pytest.raises(ResultFileError):
        list(read_result_file(io.BytesIO(data)))


# --- random bytes into every parser -------------------------------------------------------------------


@PROPERTY
@given(data=st.binary(max_size=3000))
def test_the_result_reader_reads_or_refuses_any_bytes(data):
    try:
        for _row in read_result_file(io.BytesIO(data)):
            pass
    except ResultFileError as refused:
        assert refused.text


@PROPERTY
@given(data=st.one_of(st.binary(max_size=3000), st.builds(lambda b: b"PK\x03\x04" + b, st.binary(max_size=3000))))
def test_the_xlsform_parser_reports_problems_for_any_bytes(data):
    settings_, questions, _sections, problems, _notes = parse_workbook(data)
    assert problems and not questions


@pytest.mark.django_db
@PROPERTY
@given(data=st.binary(max_size=3000))
def test_the_registry_import_reads_or_refuses_any_bytes_and_stores_nothing_on_a_dry_run(cast, tmp_path_factory,
                                                                                      data):
    before = (Household.objects.count(), Resident.objects.count())
    try:
        kind = check_upload(io.BytesIO(data))
    except ImportFileError as refused:
        assert refused.text
        return
    path = Path(tmp_path_factory.mktemp("hostile")) / f"acak.{kind}"
    path.write_bytes(data)
    try:
        summary = import_file(path=path, actor=cast["admin"], dry_run=True)
    except DomainError as refused:
        assert refused.text
    else:
        assert summary.rows == summary.stored + summary.updated + summary.rejected
    assert (Household.objects.count(), Resident.objects.count()) == before


@pytest.mark.django_db
@PROPERTY
@given(data=st.binary(max_size=3000))
def test_the_attendance_import_reads_or_refuses_any_bytes(cast, data):
    from bansos.education.services.importing import attendance_import

    try:
        report = attendance_import(actor=cast["admin"], content=data, filename="acak.csv")
    except DomainError as refused:
        assert refused.text
    else:
        assert report is not None


# --- random cells under the right header -----------------------------------------------------------------


@pytest.mark.django_db
@PROPERTY
@given(rows=st.lists(st.lists(CELL, min_size=len(HEADERS), max_size=len(HEADERS)), min_size=1, max_size=8),
       delimiter=st.sampled_from([",", ";"]))
def test_the_registry_import_accounts_for_every_row_of_random_cells(cast, tmp_path_factory, rows, delimiter):
    path = Path(tmp_path_factory.mktemp("cells")) / "acak.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    report = path.with_suffix(".report.csv")
    before = Household.objects.count()
    try:
        summary = import_file(path=path, actor=cast["admin"], dry_run=True, report_path=report)
    except DomainError as refused:
        assert refused.text
        return
    assert summary.rows == summary.stored + summary.updated + summary.rejected
    assert Household.objects.count() == before  # a dry run stores nothing
    with open(report, encoding="utf-8") as handle:
        lines = list(csv.reader(handle))
    assert len(lines) - 1 == summary.rows  # every row in the report, with its outcome
    for line in lines[1:]:
        assert not line[-1].startswith(("=", "+", "@")), "a formula must not reach the report unescaped"
