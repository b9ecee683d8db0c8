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

# One query for both databases: the resident, its household's KK and address, its RT and RW numbers.
_EXPORT_SQL = """
SELECT r.id, r.nik, r.full_name, r.sex, r.birth_date, h.kk_number, rw.number, rt.number, h.address
FROM registry_resident r
JOIN registry_household h ON h.id = r.household_id
JOIN core_rt rt ON rt.id = h.rt_id
JOIN core_rw rw ON rw.id = rt.rw_id
WHERE r.status = %s
"""


def registry_records(progress=None):
    """Every active resident as an ``engine.RECORD_FIELDS`` tuple, read in chunks.

    On SQLite the birth date is read as ISO text: Django's date converter would parse every
    row's date with a regular expression, ``engine.prepare`` parses each distinct date once.
    """
    sql = _EXPORT_SQL
    if connection.vendor == "sqlite":
        sql = sql.replace("r.birth_date,", "CAST(r.birth_date AS TEXT),")
    with connection.cursor() as cursor:
        cursor.execute(sql, ["active"])
        while True:
            rows = cursor.fetchmany(EXPORT_CHUNK)
            if not rows:
                break
            yield from rows


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
        table = engine.prepare(registry_records())
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
