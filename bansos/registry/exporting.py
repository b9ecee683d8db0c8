"""Export households with their residents in the import's columns, and the downloadable template.

One row per active resident, household columns repeated, choices written as their Indonesian
labels, so an export can be edited and imported again. Every export is an audit event: personal
data is leaving the platform.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import translation

from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log
from bansos.registry.columns import COLUMNS, HEADERS
from bansos.registry.importing.cells import CHOICES_BY_FIELD, allowed_values
from bansos.registry.models import Relation, Resident, ResidentStatus
from bansos.registry.selectors import HouseholdFilters, household_search

FORMATS = ("csv", "xlsx")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers stay numbers: the export only writes non-negative counts and Rupiah, so no number
    starts with a minus sign, and NIK/KK are written as digit strings.
    """
    if isinstance(value, str) and value[:1] in _DANGEROUS:
        return "'" + value
    return value


def _labels() -> dict[str, dict[Any, str]]:
    with translation.override("id"):
        return {name: {value: str(label) for value, label in choices.choices}
                for name, choices in CHOICES_BY_FIELD.items()}


def _cell(column, resident: Resident, labels, *, xlsx: bool) -> Any:
    model, _dot, name = column.target.partition(".")
    household = resident.household
    if model == "area":
        return household.rt.number if name == "rt" else household.rt.rw.number
    value = getattr(resident if model == "resident" else household, name)
    if column.kind == "choice":
        if value in (None, ""):
            return ""
        if name == "sex":
            return value  # L / P: what a KK prints
        return labels[name].get(value, value)
    if column.kind == "bool":
        return "Ya" if value else "Tidak"
    if column.kind == "date":
        if value is None:
            return ""
        return value if xlsx else value.strftime("%d-%m-%Y")
    if value is None:
        return ""
    if column.kind in ("int", "money"):
        return value if xlsx else str(value)
    return neutralise(value) if isinstance(value, str) else value


def export_queryset(*, user, filters: HouseholdFilters):
    households = household_search(user=user, filters=filters).order_by().values("pk")
    head_first = Case(When(relation=Relation.HEAD, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        Resident.objects.filter(household__in=households, status=ResidentStatus.ACTIVE)
        .select_related("household__rt__rw")
        .order_by("household__kk_number", "household_id", head_first, "birth_date", "pk")
    )


def export_rows(*, user, filters: HouseholdFilters, xlsx: bool = False) -> Iterator[list[Any]]:
    """The data rows of an export (no header), streamed from the database."""
    labels = _labels()
    for resident in export_queryset(user=user, filters=filters).iterator(chunk_size=2000):
        yield [_cell(column, resident, labels, xlsx=xlsx) for column in COLUMNS]


def households_export(*, actor, filters: HouseholdFilters, fmt: str) -> tuple[int, Iterator[list[Any]]]:
    """Check the right, record the export in the audit trail, and return (row count, rows)."""
    require(actor, P.REGISTRY_EXPORT)
    if fmt not in FORMATS:
        fmt = "csv"
    count = export_queryset(user=actor, filters=filters).count()
    # The CLI without --user exports as the system, which has no account row to point at.
    audit_actor = actor if isinstance(actor, get_user_model()) else None
    with transaction.atomic():
        audit_log(actor=audit_actor, action="registry.export", object_type="registry.household",
                  object_label=f"ekspor {fmt}", changes={"filters": asdict(filters), "rows": count, "format": fmt})
    return count, export_rows(user=actor, filters=filters, xlsx=fmt == "xlsx")


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterator[list[Any]]) -> Iterator[str]:
    """A CSV document as lines (with a byte-order mark so Excel reads UTF-8)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADERS)
    for row in rows:
        yield writer.writerow(row)


def write_xlsx(rows: Iterator[list[Any]], target, *, instructions: bool = False) -> None:
    """Write an XLSX workbook in openpyxl's write-only mode (memory does not grow with the rows)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append(list(HEADERS))
    date_cell = None
    for row in rows:
        out = []
        for value in row:
            if isinstance(value, dt.date):
                date_cell = WriteOnlyCell(sheet, value=value)
                date_cell.number_format = "DD-MM-YYYY"
                out.append(date_cell)
            else:
                out.append(value)
        sheet.append(out)
    if instructions:
        guide = workbook.create_sheet("petunjuk")
        guide.append(["kolom", "wajib", "nilai yang diterima", "nama lain yang dikenali"])
        for column, required, allowed, aliases in template_guide():
            guide.append([column, required, allowed, aliases])
    workbook.save(target)


def xlsx_tempfile(rows: Iterator[list[Any]], *, instructions: bool = False):
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    write_xlsx(rows, handle, instructions=instructions)
    handle.seek(0)
    return handle


_KIND_HELP = {
    "digits": "16 angka, ketik sebagai teks",
    "date": "tanggal dd-mm-yyyy, misalnya 17-08-1980",
    "int": "bilangan bulat",
    "money": "Rupiah tanpa titik atau dengan titik ribuan, misalnya 2500000",
    "bool": "Ya / Tidak",
    "text": "teks",
}


def template_guide() -> list[list[str]]:
    rows = []
    for column in COLUMNS:
        field = column.target.partition(".")[2]
        if column.kind == "choice":
            allowed = "; ".join(allowed_values(field))
            if field == "sex":
                allowed = "L (Laki-laki); P (Perempuan)"
        else:
            allowed = _KIND_HELP[column.kind]
        rows.append([column.header, "ya" if column.required else "tidak", allowed, ", ".join(column.aliases)])
    return rows


def template_example() -> list[Any]:
    """One example row (a fictitious family head in RT 001/RW 001)."""
    example = {
        "no_kk": "3173050203150001", "nik": "3173051708780001", "nama_lengkap": "BUDI SANTOSO",
        "jenis_kelamin": "L", "tempat_lahir": "Jakarta", "tanggal_lahir": "17-08-1978",
        "hubungan": "Kepala keluarga", "status_perkawinan": "Kawin", "pendidikan": "SMA/SMK/sederajat",
        "status_sekolah": "Tidak bersekolah lagi", "pekerjaan": "Pedagang",
        "status_pekerjaan": "Berusaha sendiri", "penghasilan": "2500000", "disabilitas": "Tidak ada",
        "hamil": "Tidak", "rt": "1", "rw": "1", "alamat": "Jl. Duri Raya No. 12", "no_hp": "081234567890",
        "dasar_pemrosesan": "Pelaksanaan tugas kewenangan pemerintah", "luas_lantai": "36",
        "jenis_lantai": "Keramik/granit/marmer", "daya_listrik": "900 VA", "aset_motor": "Ya",
        "penghasilan_keluarga": "3500000",
    }
    return [example.get(header, "") for header in HEADERS]
