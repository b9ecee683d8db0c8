"""Monthly attendance from a CSV file: one row per student and month, a report line per row.

Columns (header names, case and spaces ignored): ``nisn`` or ``nik`` (either identifies the student),
``bulan`` (2026-09), ``hadir`` (days present), ``hari_sekolah`` (school days); English names
(month, present, school_days) are accepted too. Each good row is recorded through
``attendance_record`` (the attendance condition applies); a bad row is rejected with its reason and
changes nothing. Every row of the file is in the report: rows in = stored + rejected.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError
from bansos.education.access import require_manage
from bansos.education.calendar import parse_month, school_year_of
from bansos.education.models import AttendanceSource, Student, StudentStatus
from bansos.education.services.attendance import attendance_record

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
MSG_FILE = _("Berkas tidak dapat dibaca sebagai CSV UTF-8.")
MSG_TOO_BIG = _("Berkas terlalu besar (paling banyak 2 MB atau 20.000 baris).")
MSG_COLUMNS = _("Kolom wajib tidak ada: %(missing)s. Kolom yang diharapkan: nisn atau nik, bulan, hadir, hari_sekolah.")

ALIASES = {"nisn": "nisn", "nik": "nik", "bulan": "month", "month": "month", "hadir": "present",
           "present": "present", "harihadir": "present", "harisekolah": "school_days", "schooldays": "school_days",
           "hariefektif": "school_days"}


@dataclass
class ImportReport:
    rows: list[dict] = field(default_factory=list)  # {"line", "identifier", "month", "ok", "message"}

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def stored(self) -> int:
        return sum(1 for r in self.rows if r["ok"])

    @property
    def rejected(self) -> int:
        return self.total - self.stored

    def add(self, line: int, identifier: str, month: str, ok: bool, message: str) -> None:
        self.rows.append({"line": line, "identifier": identifier, "month": month, "ok": ok, "message": message})


def _key(name: str) -> str:
    return ALIASES.get("".join(ch for ch in (name or "").lower() if ch.isalnum()), "")


def _decode(content: bytes) -> str:
    if len(content) > MAX_BYTES:
        raise DomainError("file_too_big", MSG_TOO_BIG, field="file")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("file_unreadable", MSG_FILE, field="file") from None


def _find_student(nisn: str, nik: str, month) -> Student | None:
    if month is None:
        return None
    year = school_year_of(month)
    found = Student.objects.filter(school_year=year).select_related("resident")
    if nisn:
        found = found.filter(nisn=nisn)
    elif nik:
        found = found.filter(resident__nik=nik)
    else:
        return None
    # The current record of that year first; else the latest ended one (attendance before leaving).
    return (found.filter(status=StudentStatus.ENROLLED).first()
            or found.order_by("-updated_at").first())


def attendance_import(*, actor, content: bytes, filename: str = "") -> ImportReport:
    """Record a CSV file of monthly attendance; returns the per-row report."""
    require_manage(actor)
    text = _decode(content)
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise DomainError("file_unreadable", MSG_FILE, field="file") from None
    columns = [_key(h) for h in header]
    missing = [name for name in ("month", "present", "school_days") if name not in columns]
    if "nisn" not in columns and "nik" not in columns:
        missing.insert(0, "nisn/nik")
    if missing:
        raise DomainError("columns_missing", MSG_COLUMNS, field="file", missing=", ".join(missing))
    report = ImportReport()
    seen: set[tuple[int, object]] = set()
    try:
        for line, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if report.total >= MAX_ROWS:
                raise DomainError("file_too_big", MSG_TOO_BIG, field="file")
            row = {col: (values[i].strip() if i < len(values) else "") for i, col in enumerate(columns) if col}
            nisn, nik = row.get("nisn", ""), row.get("nik", "")
            ident, month_text = nisn or nik, row.get("month", "")
            month = parse_month(month_text)
            student = _find_student(nisn, nik, month)
            if month is None:
                report.add(line, ident, month_text, False, _t("Bulan tidak valid (tulis seperti 2026-09)."))
                continue
            if student is None:
                report.add(line, ident, month_text, False, _t(
                    "Siswa dengan NISN/NIK ini tidak ditemukan pada tahun ajaran %(year)s.")
                    % {"year": school_year_of(month)})
                continue
            if (student.pk, month) in seen:
                report.add(line, ident, month_text, False, _t("Baris ganda: siswa dan bulan ini sudah ada di atas."))
                continue
            try:
                with transaction.atomic():
                    outcome = attendance_record(actor=actor, student=student, month=month,
                                                present_days=row.get("present"), school_days=row.get("school_days"),
                                                source=AttendanceSource.CSV)
            except (PermissionDeniedError, NotFoundError):
                report.add(line, ident, month_text, False, _t(
                    "Siswa ini peserta program lembaga lain; kehadirannya dicatat oleh lembaga itu."))
                continue
            except DomainError as exc:
                errors = getattr(exc, "errors", None) or {"": [exc.text]}
                report.add(line, ident, month_text, False, " ".join(m for ms in errors.values() for m in ms))
                continue
            seen.add((student.pk, month))
            note = ", ".join(str(e.get_kind_display()) for e in outcome.events)
            report.add(line, ident, month_text, True, note or _t("Tersimpan."))
    except csv.Error:
        raise DomainError("file_unreadable", MSG_FILE, field="file") from None
    audit_log(actor=actor, action="education.attendance.import", object_type="education.attendance",
              object_label=filename[:200] or "CSV",
              changes={"rows": report.total, "stored": report.stored, "rejected": report.rejected})
    return report
