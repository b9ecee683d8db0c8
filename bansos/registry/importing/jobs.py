"""Import jobs: store an upload, queue it, run it, re-run a dry run for real."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, require
from bansos.core.errors import DomainError
from bansos.registry.importing.engine import ImportSummary, import_file
from bansos.registry.importing.reader import ImportFileError, check_upload, count_rows
from bansos.registry.models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)

MSG_TOO_BIG = _("Berkas terlalu besar: paling besar %(limit)s MB.")
MSG_NOT_DRY_RUN = _("Hanya uji coba yang dapat dijalankan ulang sebagai impor sungguhan.")
MSG_FAILED = _("Impor gagal karena kesalahan sistem; tidak ada kelompok baris yang setengah tersimpan. "
               "Jalankan ulang berkas yang sama untuk melanjutkan.")


def imports_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def import_job_create(*, actor, upload, dry_run: bool) -> ImportJob:
    """Check an uploaded file (size, kind, header) before storing it, then queue its import."""
    require(actor, P.REGISTRY_IMPORT)
    limit = settings.BANSOS_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise ImportFileError(MSG_TOO_BIG, limit=limit // (1024 * 1024))
    kind = check_upload(upload)
    token = secrets.token_hex(12)
    path = imports_dir() / f"{token}.{kind}"
    with open(path, "wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return _queue(actor=actor, original_name=Path(upload.name or "").name[:255] or f"impor.{kind}",
                  path=path, dry_run=dry_run)


def _queue(*, actor, original_name: str, path: Path, dry_run: bool) -> ImportJob:
    from bansos.registry.tasks import import_job_run

    report = path.with_name(f"{path.stem}-{secrets.token_hex(4)}.report.csv")
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=actor, original_name=original_name, file_path=str(path), report_path=str(report),
            dry_run=dry_run,
        )
        job_id = job.pk
        transaction.on_commit(lambda: import_job_run.enqueue(job_id))
    return job


def import_job_rerun(*, actor, job: ImportJob) -> ImportJob:
    """Import the file of a finished dry run for real."""
    require(actor, P.REGISTRY_IMPORT)
    if not job.dry_run or job.status != ImportStatus.DONE:
        raise DomainError("not_dry_run", MSG_NOT_DRY_RUN)
    return _queue(actor=actor, original_name=job.original_name, path=Path(job.file_path), dry_run=False)


def import_job_execute(job_id: int) -> None:
    """Run one queued job, keeping its progress and counts up to date after every chunk."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return
    path = Path(job.file_path)
    total = count_rows(path) if path.exists() else None
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), rows_total=total, rows_done=0, error=""
    )

    def on_chunk(summary: ImportSummary) -> None:
        ImportJob.objects.filter(pk=job.pk).update(
            rows_done=summary.rows, stored=summary.stored, updated=summary.updated,
            unchanged=summary.unchanged, rejected=summary.rejected,
        )

    try:
        summary = import_file(
            path=path, actor=job.created_by, dry_run=job.dry_run, report_path=Path(job.report_path),
            rows_total=total, job_id=job.pk, on_chunk=on_chunk,
        )
    except DomainError as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, error=exc.text, finished_at=timezone.now()
        )
        return
    except Exception:
        logger.exception("import job %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, error=str(MSG_FAILED), finished_at=timezone.now()
        )
        raise
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE, finished_at=timezone.now(), rows_done=summary.rows,
        rows_total=summary.rows, stored=summary.stored,
        updated=summary.updated, unchanged=summary.unchanged, rejected=summary.rejected,
    )
