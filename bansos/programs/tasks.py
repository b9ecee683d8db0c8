"""Bulk enrollment jobs: apply a rule run's households, verify at the desk, approve within budget.

A job is one call of a ``services.bulk`` function (one transaction: all or nothing). Small batches
run inside the request; a batch of ``SYNC_LIMIT`` or more goes to the task worker so that no request
waits on it. Either way the outcome is written as an audit event on the program (``JOB_DONE``:
done + skipped by reason, or the error), which is what the bulk page shows; a queued job also has a
``JOB_QUEUED`` event, and the page polls until its outcome appears. No model holds the job: the
audit trail already records who started what and what came of it.

The worker cannot report progress inside the job honestly (its rows stay invisible until the single
commit), so the page says "running" until the outcome is there instead of drawing a fake bar.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from bansos.accounts.permissions import P
from bansos.core.audit import audit_log, register_action_labels
from bansos.core.errors import DomainError, NotFoundError
from bansos.core.origin import current_origin, origin
from bansos.core.workers import register_abandoned_handler, resume_or
from bansos.programs.access import require_program
from bansos.programs.models import Enrollment, EnrollmentState, Program
from bansos.programs.selectors.enrollment import JOB_DONE, JOB_QUEUED, bulk_job_pending
from bansos.programs.services import bulk
from bansos.programs.services.enrollment import MSG_NOTE_REQUIRED, _require_accepting

logger = logging.getLogger(__name__)

# Batches from this size on run in the worker; smaller ones finish within the request (a 5,000
# household approval takes well under a second or two on either database).
SYNC_LIMIT = 5000

APPLY, VERIFY, APPROVE = "apply", "verify", "approve"
STEPS = (APPLY, VERIFY, APPROVE)
STEP_LABELS = {
    APPLY: _("Pendaftaran massal dari hasil aturan"),
    VERIFY: _("Verifikasi massal"),
    APPROVE: _("Persetujuan massal"),
}
# Why a household was left out of a bulk step (BulkResult.skipped codes), in words.
SKIP_LABELS = {
    "without_head": _("tidak ada kepala keluarga aktif (program perorangan mendaftarkan kepala keluarga)"),
    "already_or_inactive": _("sudah terdaftar di program ini atau keluarga tidak aktif lagi"),
    "not_applied": _("bukan berstatus mendaftar"),
    "not_verified": _("belum terverifikasi"),
    "household_inactive": _("keluarga tidak aktif lagi di registri"),
    "overlap_forbidden": _("dilarang oleh kebijakan tumpang tindih (sudah menerima program lain)"),
    "overlap_warning": _("ada peringatan tumpang tindih yang belum dikonfirmasi"),
    "budget_or_capacity": _("anggaran atau kuota program tidak cukup"),
}

MSG_STEP = _("Langkah massal tidak dikenal.")
MSG_RUN_REQUIRED = _("Pilih hasil penilaian aturan kelayakan terlebih dahulu.")
MSG_JOB_PENDING = _("Masih ada pekerjaan massal yang berjalan untuk program ini. Tunggu hasilnya dahulu.")
MSG_NOTHING = _("Tidak ada pendaftaran yang dapat diproses pada langkah ini.")
MSG_SYSTEM_ERROR = _("Terjadi kesalahan sistem; tidak ada data yang diubah. Coba lagi atau hubungi admin.")

register_action_labels({
    JOB_QUEUED: _("Pekerjaan massal dimulai di latar belakang"),
    JOB_DONE: _("Pekerjaan massal selesai"),
})


@dataclass(frozen=True)
class JobStart:
    job: str
    background: bool
    count: int  # the batch size when it started
    result: bulk.BulkResult | None = None  # set when the job ran within the request


def bulk_batch_size(*, actor, program: Program, step: str, run=None) -> int:
    """How many enrollments (households, for apply) the step would touch now."""
    if step == APPLY:
        if run is None:
            raise DomainError("run_required", MSG_RUN_REQUIRED, field="run")
        return bulk.enrollment_bulk_preview(actor=actor, program=program, run=run)["new"]
    state = EnrollmentState.APPLIED if step == VERIFY else EnrollmentState.VERIFIED
    return Enrollment.objects.filter(program=program, state=state).count()


def _run_step(*, actor, program: Program, step: str, run=None, note: str = "",
              acknowledge_warnings: bool = False) -> bulk.BulkResult:
    if step == APPLY:
        return bulk.enrollment_bulk_apply(actor=actor, program=program, run=run)
    if step == VERIFY:
        return bulk.enrollment_bulk_verify(actor=actor, program=program, note=note)
    return bulk.enrollment_bulk_approve(actor=actor, program=program, acknowledge_warnings=acknowledge_warnings)


def _record_outcome(*, actor, program: Program, job: str, step: str, count: int | None,
                    result: bulk.BulkResult | None = None, error: str = "", note: str = "",
                    extra: dict | None = None) -> None:
    changes = {"job": job, "step": step, "count": count, "status": "failed" if error else "done", **(extra or {})}
    if result is not None:
        changes.update({"done": result.done, "skipped": dict(result.skipped)})
    if error:
        changes["error"] = error
    audit_log(actor=actor, action=JOB_DONE, obj=program, changes=changes, reason=note)


def enrollment_bulk_start(*, actor, program: Program, step: str, run=None, note: str = "",
                          acknowledge_warnings: bool = False) -> JobStart:
    """Run a bulk step now when the batch is small, or queue it for the worker; record its outcome."""
    if step not in STEPS:
        raise DomainError("bulk_step", MSG_STEP)
    require_program(actor, P.ENROLLMENT_MANAGE, program)
    _require_accepting(program)
    note = (note or "").strip()
    if step == VERIFY and not note:
        raise DomainError("reason_required", MSG_NOTE_REQUIRED, field="note")
    if bulk_job_pending(program=program) is not None:
        raise DomainError("bulk_job_pending", MSG_JOB_PENDING)
    size = bulk_batch_size(actor=actor, program=program, step=step, run=run)
    if size == 0:
        raise DomainError("bulk_nothing", MSG_NOTHING)
    job = uuid.uuid4().hex
    extra = {"run": run.pk} if run is not None else {}
    if step == APPROVE:
        extra["acknowledge_warnings"] = bool(acknowledge_warnings)
    if size < SYNC_LIMIT:
        with transaction.atomic():
            result = _run_step(actor=actor, program=program, step=step, run=run, note=note,
                               acknowledge_warnings=acknowledge_warnings)
            _record_outcome(actor=actor, program=program, job=job, step=step, count=size, result=result, note=note,
                            extra=extra)
        return JobStart(job=job, background=False, count=size, result=result)
    kwargs = {"job": job, "step": step, "program_id": program.pk, "actor_id": actor.pk,
              "run_id": run.pk if run is not None else None, "note": note,
              "acknowledge_warnings": bool(acknowledge_warnings), "count": size,
              "started_from": current_origin()}
    with transaction.atomic():
        audit_log(actor=actor, action=JOB_QUEUED, obj=program,
                  changes={"job": job, "step": step, "count": size, **extra}, reason=note)
        transaction.on_commit(lambda: enrollment_bulk_task.enqueue(**kwargs))
    return JobStart(job=job, background=True, count=size)


@task()
def enrollment_bulk_task(*, job: str, step: str, program_id: int, actor_id: int, run_id: int | None = None,
                         note: str = "", acknowledge_warnings: bool = False, count: int | None = None,
                         started_from: dict | None = None) -> None:
    """Run one queued bulk step and write its outcome (or why it failed) as an audit event."""
    from bansos.accounts.models import User
    from bansos.eligibility.models import RuleRun

    actor = User.objects.filter(pk=actor_id).first()
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        return
    extra = {"run": run_id} if run_id is not None else {}
    if step == APPROVE:
        extra["acknowledge_warnings"] = bool(acknowledge_warnings)
    # The request's address and path stay on the events, with the channel saying a worker wrote them.
    with origin(**{**(started_from or {}), "channel": "task", "job": job}):
        try:
            run = RuleRun.objects.filter(pk=run_id).first() if run_id is not None else None
            if step == APPLY and run is None:
                raise NotFoundError()
            with transaction.atomic():
                result = _run_step(actor=actor, program=program, step=step, run=run, note=note,
                                   acknowledge_warnings=acknowledge_warnings)
                _record_outcome(actor=actor, program=program, job=job, step=step, count=count, result=result,
                                note=note, extra=extra)
        except DomainError as exc:
            _record_outcome(actor=actor, program=program, job=job, step=step, count=count, error=exc.text,
                            note=note, extra=extra)
        except Exception:
            logger.exception("bulk enrollment job %s failed", job)
            _record_outcome(actor=actor, program=program, job=job, step=step, count=count,
                            error=str(MSG_SYSTEM_ERROR), note=note, extra=extra)
            raise


def _bulk_abandoned(abandoned) -> None:
    kwargs = abandoned.kwargs
    program = Program.objects.filter(pk=kwargs.get("program_id")).first()
    if program is None:
        return
    from bansos.accounts.models import User

    actor = User.objects.filter(pk=kwargs.get("actor_id")).first()
    extra = {"run": kwargs["run_id"]} if kwargs.get("run_id") is not None else {}
    _record_outcome(actor=actor, program=program, job=kwargs.get("job", ""), step=kwargs.get("step", ""),
                    count=kwargs.get("count"), error=str(MSG_SYSTEM_ERROR), note=kwargs.get("note", ""), extra=extra)


# A bulk step runs in one transaction: a killed worker committed none of it, so the step is run again.
register_abandoned_handler(f"{__name__}.enrollment_bulk_task", resume_or(_bulk_abandoned))
