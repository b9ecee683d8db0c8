"""Recovery of tasks whose worker died (bansos.core.workers); the end-to-end kills are in tests/security."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bansos.core import workers
from bansos.core.workers import MAX_RESUMES, Abandoned, recover_abandoned, register_abandoned_handler, resume_or

pytestmark = pytest.mark.django_db
TASK = "tests.core.test_workers.sample_task"
CALLS: list[tuple[str, Abandoned]] = []


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _running(worker_id: str, args=(1,)) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, args_kwargs={"args": list(args), "kwargs": {}}, task_path=TASK,
        worker_ids=[worker_id], backend_name="default", run_after=timezone.now(), started_at=timezone.now(),
        exception_class_path="", traceback="")


@pytest.fixture(autouse=True)
def handler():
    CALLS.clear()

    def fail(abandoned):
        CALLS.append(("failed", abandoned))

    def fake_resume(abandoned):  # stands in for enqueueing again, and records it
        CALLS.append(("resumed", abandoned))
        return "resumed"

    def handle(abandoned):
        if abandoned.attempts <= MAX_RESUMES:
            return fake_resume(abandoned)
        fail(abandoned)
        return "failed"

    register_abandoned_handler(TASK, handle)
    yield
    workers._HANDLERS.pop(TASK, None)


def test_it_names_a_worker_by_host_pid_and_start_time():
    host, pid, ticks = workers.this_worker_id().rsplit(":", 2)
    assert host == socket.gethostname()[:30] and int(pid) == os.getpid() and ticks.isdigit()


def test_it_fails_and_resumes_a_task_whose_worker_is_gone():
    result = _running(f"{socket.gethostname()[:30]}:{_dead_pid()}:1")
    assert recover_abandoned() == [(TASK, "resumed")]
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "bansos.core.workers.WorkerDied"
    assert CALLS[0][1] == Abandoned(TASK, [1], {}, 1)
    assert recover_abandoned() == []  # recovered once only


def test_it_leaves_a_living_worker_alone():
    result = _running(workers.this_worker_id())
    assert recover_abandoned() == []
    result.refresh_from_db()
    assert result.status == TaskResultStatus.RUNNING and CALLS == []


def test_it_sees_through_a_reused_pid():
    # This process's pid, but a start time that is not this process's: the worker that had it is gone.
    result = _running(f"{socket.gethostname()[:30]}:{os.getpid()}:1")
    assert recover_abandoned() == [(TASK, "resumed")]
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED


def test_it_leaves_workers_of_other_hosts_and_unknown_ids_alone():
    other = _running("another-host:1:1")
    unnamed = _running("a3f9c0")  # django-tasks' default random id: nothing to check
    assert recover_abandoned() == []
    for result in (other, unnamed):
        result.refresh_from_db()
        assert result.status == TaskResultStatus.RUNNING


def test_it_gives_up_after_the_last_resume():
    host = socket.gethostname()[:30]
    outcomes = []
    for _ in range(MAX_RESUMES + 1):
        _running(f"{host}:{_dead_pid()}:1")
        outcomes += [outcome for _task, outcome in recover_abandoned()]
    assert outcomes == ["resumed"] * MAX_RESUMES + ["failed"]
    assert [kind for kind, _a in CALLS] == ["resumed"] * MAX_RESUMES + ["failed"]
    # Other arguments are another job: counted apart.
    _running(f"{host}:{_dead_pid()}:1", args=(2,))
    assert recover_abandoned() == [(TASK, "resumed")]


def test_a_task_without_a_handler_is_marked_failed():
    result = _running(f"{socket.gethostname()[:30]}:{_dead_pid()}:1")
    result.task_path = "tests.core.test_workers.unknown"
    result.save()
    assert recover_abandoned() == [("tests.core.test_workers.unknown", "failed")]


def test_resume_or_fails_the_job_once_resumes_are_used_up():
    failed = []
    handler = resume_or(failed.append)
    spent = Abandoned("bansos.registry.tasks.import_job_run", [123], {}, MAX_RESUMES + 1)
    assert handler(spent) == "failed" and failed == [spent]


def test_an_import_job_left_running_is_marked_failed_with_the_reason():
    from bansos.registry.models import ImportJob, ImportStatus
    from bansos.registry.tasks import _import_abandoned

    job = ImportJob.objects.create(original_name="a.csv", file_path="/nope", report_path="/nope.csv",
                                   status=ImportStatus.RUNNING)
    _import_abandoned(Abandoned("bansos.registry.tasks.import_job_run", [job.pk], {}, MAX_RESUMES + 1))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "setengah" in job.error
