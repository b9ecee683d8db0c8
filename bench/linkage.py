"""``linkage``: deduplicate N residents of which about 5% are planted duplicates with a known truth.

The registry is loaded with the demo generator (not timed). Then 5% of the residents get a
corrupted copy (bench.linkage_data: typos, name variants and abbreviations, a mistyped or
re-issued NIK (the active NIK is unique, so every registry duplicate has another one), day and
month swapped, a moved household), stored as active residents (not timed). Timed: the
deduplication run exactly as the background task runs it (export from the database, canonical
names, Splink training and prediction, storing the candidate pairs). Precision, recall and F1
are of pairs: automatic links (probability >= engine.AUTO_LINK) and links plus review.
"""

from __future__ import annotations

import random
import sys
import time

from bench.common import peak_rss_mb, progress_printer, result_line, scratch_database

SHARE = 0.05


def _plant(rng: random.Random) -> set[tuple[int, int]]:
    from bansos.linkage.models import LinkageRun  # noqa: F401 - the app is loaded
    from bansos.registry.models import Household, Resident
    from bench.linkage_data import corrupt

    rows = list(Resident.objects.filter(status="active").values_list(
        "pk", "nik", "full_name", "sex", "birth_date", "household_id", "household__kk_number",
        "household__rt__rw__number", "household__rt__number", "household__address"))
    niks = {r[1] for r in rows}
    households = list(Household.objects.values_list("pk", "kk_number", "rt__rw__number", "rt__number", "address"))
    by_kk = {h[1]: h for h in households}
    picked = rng.sample(rows, int(len(rows) * SHARE))
    made, truth_src = [], []
    for pk, nik, name, sex, born, hid, kk, rw, rt, address in picked:
        person = {"nik": nik, "full_name": name, "sex": sex, "birth_date": born, "kk": kk, "rw": rw, "rt": rt,
                  "address": address}
        copy = corrupt(person, rng, allow_missing_nik=False, nik_always=True)
        if copy["nik"] in niks or len(copy["nik"]) != 16:
            continue
        niks.add(copy["nik"])
        target = hid
        if "moved" in copy["kinds"]:
            target = rng.choice(households)[0]
        made.append(Resident(household_id=target, nik=copy["nik"], full_name=copy["full_name"].strip()[:120],
                             name_key=copy["full_name"].upper()[:120], sex=sex, birth_date=copy["birth_date"],
                             relation="other", status="active"))
        truth_src.append(pk)
    del by_kk
    Resident.objects.bulk_create(made, batch_size=5000)
    return {(min(a, b.pk), max(a, b.pk)) for a, b in zip(truth_src, made)}


def _score(found: set, truth: set) -> tuple[float, float, float]:
    hit = len(found & truth)
    precision = hit / len(found) if found else 0.0
    recall = hit / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run(size: int) -> str:
    with scratch_database() as scratch:
        from bansos.demo.generator import AVERAGE_MEMBERS
        from bansos.demo.services import demo_seed
        from bansos.linkage.models import CandidatePair, LinkageRun
        from bansos.linkage.services.runs import linkage_run_execute

        households = max(1, round(size / (AVERAGE_MEMBERS * (1 + SHARE))))
        print(f"bench: loading {households:,} households")
        demo_seed(households=households, seed=2026, progress=progress_printer("keluarga"))
        sys.stderr.write("\n")
        truth = _plant(random.Random(2026))
        run_row = LinkageRun.objects.create()
        started = time.perf_counter()
        run_row = linkage_run_execute(run_row.pk)
        total = time.perf_counter() - started
        pairs = list(CandidatePair.objects.filter(run=run_row).values_list("left_id", "right_id", "automatic"))
        auto = {(a, b) for a, b, is_auto in pairs if is_auto}
        every = {(a, b) for a, b, _ in pairs}
        p_auto, r_auto, f_auto = _score(auto, truth)
        p_all, r_all, f_all = _score(every, truth)
        print(f"bench: {run_row.records:,} residents, {len(truth):,} planted duplicates, timings {run_row.timings}")
        return result_line("linkage", db=scratch.db, size=run_row.records, precision=p_auto, recall=r_auto, f1=f_auto,
                           review_precision=p_all, review_recall=r_all, review_f1=f_all, automatic=len(auto),
                           review=len(every) - len(auto), duplicates=len(truth), total_s=total,
                           peak_rss_mb=peak_rss_mb())
