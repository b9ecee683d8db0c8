"""Deduplication runs: start one (queued as a task), execute it (export, Splink, store pairs)."""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError
from bansos.linkage import engine
from bansos.linkage.models import CandidatePair, LinkageRun, PairStatus, RunStatus

MSG_RUNNING = _("Pencarian data ganda sedang berjalan; tunggu sampai selesai.")
MSG_FAILED = _("Pencarian data ganda gagal; tidak ada pasangan yang disimpan.")

EXPORT_CHUNK = 20_000

# Two reads instead of one join: each resident's own fields, and each household's place once (a
# household's KK and address are then prepared once, not once per member).
_RESIDENTS_SQL = """
SELECT r.id, r.nik, r.full_name, r.sex, r.birth_date, r.household_id
FROM registry_resident r
WHERE r.status = %s
"""
_HOUSEHOLDS_SQL = """
SELECT h.id, h.kk_number, rw.number, rt.number, h.address
FROM registry_household h
JOIN core_rt rt ON rt.id = h.rt_id
JOIN core_rw rw ON rw.id = rt.rw_id
"""


def _columns(sql: str, params: list, width: int) -> list[list]:
    """The result of ``sql`` as ``width`` column lists, fetched in chunks."""
    columns: list[list] = [[] for _ in range(width)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            rows = cursor.fetchmany(EXPORT_CHUNK)
            if not rows:
                break
            for column, values in zip(columns, zip(*rows)):
                column.extend(values)
    return columns


def registry_table():
    """Every active resident as a prepared linkage table (``engine.prepare``'s columns).

    Read column-wise: residents, then households, whose prepared place columns are taken for each
    resident by position. On SQLite the birth date is read as ISO text: Django's date converter
    would parse every row's date with a regular expression, ``engine`` parses each distinct date once.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    sql = _RESIDENTS_SQL
    if connection.vendor == "sqlite":
        sql = sql.replace("r.birth_date,", "CAST(r.birth_date AS TEXT),")
    uid, nik, full_name, sex, birth_date, household_id = _columns(sql, ["active"], 6)
    person = engine.person_columns(uid, nik, full_name, sex, birth_date)
    del uid, nik, full_name, sex, birth_date
    hid, kk, rw, rt, address = _columns(_HOUSEHOLDS_SQL, [], 5)
    place = engine.place_columns(kk, rw, rt, address)
    where = pc.index_in(pa.array(household_id, pa.int64()), value_set=pa.array(hid, pa.int64()))
    return engine.assemble(person, {name: column.take(where) for name, column in place.items()})


@transaction.atomic
def linkage_run_start(*, actor) -> LinkageRun:
    """Queue a deduplication of the registry (one at a time)."""
    require(actor, P.LINKAGE_MANAGE)
    # Lock the newest run rows so two clicks cannot queue two runs.
    busy = LinkageRun.objects.select_for_update().filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING))
    if busy.exists():
        raise DomainError("run_busy", MSG_RUNNING)
    run = LinkageRun.objects.create(created_by=actor)
    audit_log(actor=actor, action="linkage.run.start", obj=run)
    from bansos.linkage.tasks import linkage_run_task

    transaction.on_commit(lambda: linkage_run_task.enqueue(run.pk))
    return run


def _stage(run: LinkageRun, percent: int, stage: str) -> None:
    LinkageRun.objects.filter(pk=run.pk).update(percent=percent, stage=stage[:40])


def linkage_run_execute(run_id: int, *, threads: int | None = None) -> LinkageRun:
    """Run Splink over the active residents and store the pairs (the task body; also the benchmark's)."""
    run = LinkageRun.objects.get(pk=run_id)
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return run
    LinkageRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now(), percent=1,
                                                stage="export")
    started = time.perf_counter()
    try:
        table = registry_table()
        export_s = time.perf_counter() - started
        _stage(run, 10, "train")
        outcome = engine.dedupe(table, threads=threads, progress=lambda pct, what: _stage(run, pct, what))
        _stage(run, 92, "store")
        store_started = time.perf_counter()
        with transaction.atomic():
            pairs = [
                CandidatePair(run_id=run.pk, left_id=min(p.left, p.right), right_id=max(p.left, p.right),
                              probability=min(1.0, max(0.0, p.probability)), weight=p.weight,
                              evidence=p.evidence, automatic=p.probability >= engine.AUTO_LINK)
                for p in outcome.pairs
            ]
            CandidatePair.objects.bulk_create(pairs, batch_size=2000)
            automatic = sum(1 for p in pairs if p.automatic)
            timings = {"export_s": round(export_s, 2), **{k: round(v, 2) for k, v in outcome.timings.items()},
                       "store_s": round(time.perf_counter() - store_started, 2),
                       "total_s": round(time.perf_counter() - started, 2)}
            LinkageRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE, percent=100, stage="", records=table.num_rows, automatic=automatic,
                review=len(pairs) - automatic, model=outcome.model, timings=timings, finished_at=timezone.now())
            # Pairs of older runs that nobody decided on are replaced by this run's.
            CandidatePair.objects.filter(status=PairStatus.PENDING).exclude(run_id=run.pk).update(
                status=PairStatus.STALE)
    except Exception as exc:
        LinkageRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=f"{MSG_FAILED} ({exc})"[:2000],
                                                    finished_at=timezone.now())
        raise
    run.refresh_from_db()
    return run
