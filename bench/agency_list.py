"""``agency_list``: link an agency's list of N/20 rows (50,000 at 1,000,000) to a registry of N residents.

The registry is loaded with the demo generator (not timed). The list is written as a CSV the way an
agency keeps it (not timed): 70% of its rows are registry residents corrupted by bench.linkage_data
(typos, name variants, a mistyped or missing NIK, day and month swapped, a moved household), 30% are
people who are not in the registry (names recombined, other birth dates, no NIK). Timed: the whole
background job as the worker runs it (read the file under its mapping, export the registry, Splink
``link``, store every row). Precision and recall are those of "linked" rows against the known truth.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from bench.common import peak_rss_mb, progress_printer, result_line, scratch_database

IN_REGISTRY = 0.7


def _write_list(path: Path, rows: int, rng: random.Random) -> dict[int, int]:
    """Write the list; return {row number: the resident it is} for rows drawn from the registry."""
    from bansos.registry.models import Resident
    from bench.linkage_data import corrupt

    people = list(Resident.objects.filter(status="active").values_list(
        "pk", "nik", "full_name", "sex", "birth_date", "household__kk_number", "household__rt__rw__number", "household__rt__number", "household__address"))
    picked = rng.sample(people, min(len(people), int(rows * IN_REGISTRY)))
    truth: dict[int, int] = {}
    firsts = [p[2].split()[0] for p in people[:20000]]
    lasts = [p[2].split()[-1] for p in people[:20000]]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["No", "Nama", "NIK", "Tanggal Lahir", "JK", "No KK", "RT", "RW", "Alamat"])
        number = 1
        for pk, nik, name, sex, born, kk, rw, rt, address in picked:
            number += 1
            c = corrupt({"nik": nik, "full_name": name, "sex": sex, "birth_date": born, "kk": kk, "rw": rw, "rt": rt,
                         "address": address}, rng, allow_missing_nik=True, nik_always=False)
            if rng.random() < 0.2:
                c["nik"] = ""  # agencies often do not have it
            writer.writerow([number - 1, c["full_name"], c["nik"] or "", c["birth_date"].strftime("%d-%m-%Y"),
                             sex, c["kk"] if rng.random() < 0.5 else "", c["rt"], c["rw"], c["address"]])
            truth[number] = pk
        while number - 1 < rows:
            number += 1
            born = dt.date(rng.randint(1945, 2010), rng.randint(1, 12), rng.randint(1, 28))
            writer.writerow([number - 1, f"{rng.choice(firsts)} {rng.choice(lasts)} {rng.choice(lasts)}", "",
                             born.strftime("%d-%m-%Y"), rng.choice("LP"), "", rng.randint(1, 12), rng.randint(1, 17),
                             "Jl. Tanjung Duren Raya No. 9"])
    return truth


def run(size: int) -> str:
    with scratch_database() as scratch:
        from bansos.accounts.models import Agency
        from bansos.demo.generator import AVERAGE_MEMBERS
        from bansos.demo.services import demo_seed
        from bansos.linkage.listfile import ListFile, guess_mapping
        from bansos.linkage.models import AgencyList, ListStatus
        from bansos.linkage.services.lists import agency_list_execute

        households = max(1, round(size / AVERAGE_MEMBERS))
        rows = max(200, size // 20)
        print(f"bench: loading {households:,} households, then a list of {rows:,} rows")
        demo_seed(households=households, seed=2026, progress=progress_printer("keluarga"))
        sys.stderr.write("\n")
        folder = Path(tempfile.mkdtemp(prefix="bench-agency-list-"))
        path = folder / "daftar.csv"
        truth = _write_list(path, rows, random.Random(2026))
        with ListFile(path) as f:
            headers = f.headers
        agency = Agency.objects.create(name="LSM Bench", kind="ngo")
        agency_list = AgencyList.objects.create(agency=agency, title="bench", original_name="daftar.csv",
                                                file_path=str(path), file_kind="csv", headers=headers,
                                                mapping=guess_mapping(headers), status=ListStatus.QUEUED)
        started = time.perf_counter()
        agency_list = agency_list_execute(agency_list.pk)
        total = time.perf_counter() - started
        assert agency_list.status == ListStatus.DONE, agency_list.error
        linked = dict(agency_list.rows.filter(status="linked").values_list("number", "resident_id"))
        review = dict(agency_list.rows.filter(status="possible").values_list("number", "resident_id"))
        right = sum(1 for n, r in linked.items() if truth.get(n) == r)
        right_all = right + sum(1 for n, r in review.items() if truth.get(n) == r)
        precision = right / len(linked) if linked else 0.0
        recall = right / len(truth) if truth else 0.0
        print(f"bench: {agency_list.rows_total:,} rows, {len(truth):,} from the registry, "
              f"timings {agency_list.timings}")
        path.unlink(missing_ok=True)
        folder.rmdir()
        return result_line("agency_list", db=scratch.db, size=size, rows=agency_list.rows_total, total_s=total,
                           linked=agency_list.linked, review=agency_list.possible, new=agency_list.new,
                           precision=precision, recall=recall,
                           review_recall=right_all / len(truth) if truth else 0.0, peak_rss_mb=peak_rss_mb())
