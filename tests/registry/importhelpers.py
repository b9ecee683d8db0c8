"""Building households files for the import and export tests."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from bansos.registry.columns import HEADERS
from tests.factories import kk_number, nik_for


def member(kk: str, name: str, sex: str, birth: dt.date, relation: str, *, rt: int = 1, rw: int = 1,
           **extra) -> dict:
    row = {
        "no_kk": kk, "nik": nik_for(birth, sex), "nama_lengkap": name, "jenis_kelamin": sex,
        "tanggal_lahir": birth.strftime("%d-%m-%Y"), "hubungan": relation, "rt": str(rt), "rw": str(rw),
        "alamat": "Jl. Kelapa Dua No. 5",
    }
    row.update(extra)
    return row


def family(kk: str | None = None, *, rt: int = 1, rw: int = 1, **extra) -> list[dict]:
    kk = kk or kk_number()
    return [
        member(kk, "Ahmad Fauzi", "L", dt.date(1975, 4, 12), "Kepala Keluarga", rt=rt, rw=rw, **extra),
        member(kk, "Nur Aini", "P", dt.date(1979, 9, 30), "Istri", rt=rt, rw=rw, **extra),
        member(kk, "Rizki Fauzi", "L", dt.date(2008, 1, 5), "Anak", rt=rt, rw=rw, **extra),
    ]


def write_csv(path: Path, rows: list[dict], *, headers=HEADERS, delimiter: str = ",", encoding: str = "utf-8",
              bom: bool = False) -> Path:
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(h, "") for h in headers])
    return path


def report_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
