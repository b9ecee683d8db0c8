"""Bulk enrollment from a rule run: preview, apply, verify, approve, in the request or as a task."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansos.core.models import AuditEvent
from bansos.programs import tasks
from bansos.programs.models import Channel, Enrollment, Program
from bansos.programs.selectors.enrollment import JOB_DONE, JOB_QUEUED

EVERYONE = {"all": [{"p": "household_size", "op": "gte", "value": 1}]}


@pytest.fixture
def rule(cast):
    from bansos.eligibility.services import rule_create

    return rule_create(actor=cast["officer"], name="Semua keluarga", expression=EVERYONE)


@pytest.fixture
def run(cast, rule, django_capture_on_commit_callbacks):
    from bansos.eligibility.services import rule_run_start

    with django_capture_on_commit_callbacks(execute=True):
        run = rule_run_start(actor=cast["officer"], rule=rule)
    run.refresh_from_db()
    assert run.eligible_count == 3
    return run


@pytest.fixture
def program(make_program, rule):
    return make_program(name="BLT Massal", budget=1_800_000, rule=rule)  # room for two of the three


def _url(program, **params):
    url = reverse("programs:enrollment_bulk", args=[program.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _states(program):
    return sorted(Enrollment.objects.filter(program=program).values_list("state", flat=True))


def test_it_previews_a_run_before_anything_is_enrolled(cast, client_for, program, run):
    html = client_for(cast["officer"]).get(_url(program)).content.decode()
    assert f"Penilaian #{run.pk}" in html
    assert "Akan didaftarkan" in html and "Daftarkan 3 keluarga" in html
    assert not Enrollment.objects.exists()


def test_it_walks_apply_verify_approve_and_shows_each_result(cast, client_for, program, run):
    client = client_for(cast["officer"])
    response = client.post(_url(program), {"step": "apply", "run": run.pk})
    assert response.status_code == 302
    assert _states(program) == ["applied"] * 3
    assert set(Enrollment.objects.values_list("channel", flat=True)) == {Channel.RULE_RUN}
    page = client.get(response["Location"]).content.decode()
    assert "Pendaftaran massal dari hasil aturan selesai: 3 diproses, 0 dilewati." in page

    refused = client.post(_url(program), {"step": "verify", "note": " "})
    assert refused.status_code == 422 and "Catat hasil pemeriksaan lapangan." in refused.content.decode()
    assert _states(program) == ["applied"] * 3

    client.post(_url(program), {"step": "verify", "note": "Dicocokkan dengan registri"})
    assert _states(program) == ["verified"] * 3
    assert set(Enrollment.objects.values_list("verification_note", flat=True)) == {"Dicocokkan dengan registri"}

    response = client.post(_url(program), {"step": "approve"})
    page = client.get(response["Location"]).content.decode()
    assert _states(program) == ["approved", "approved", "verified"]
    program.refresh_from_db()
    assert (program.budget_committed, program.seats_taken) == (1_800_000, 2)
    assert "Persetujuan massal selesai: 2 diproses, 1 dilewati." in page
    assert "anggaran atau kuota program tidak cukup" in page
    outcome = AuditEvent.objects.filter(action=JOB_DONE).order_by("-pk").first()
    assert (outcome.changes["step"], outcome.changes["done"], outcome.changes["skipped"]) == (
        "approve", 2, {"budget_or_capacity": 1})
    assert outcome.object_id == str(program.pk) and outcome.actor == cast["officer"]


def test_bulk_approval_skips_warned_households_unless_acknowledged(cast, client_for, make_program, program, run):
    from bansos.programs.services import enrollment as svc
    from bansos.programs.services.overlap import overlap_policy_create

    other = make_program(agency_key="lsm", name="Tunai Yayasan", budget=900_000)
    e = svc.enrollment_apply(actor=cast["officer_other"], program=other, household=cast["households"]["rw2"])
    svc.enrollment_verify(actor=cast["officer_other"], enrollment=e, note="Dikunjungi")
    svc.enrollment_approve(actor=cast["officer_other"], enrollment=e)
    overlap_policy_create(actor=cast["admin"], data={"kind_a": "cash", "kind_b": "cash", "effect": "warn"})
    Program.objects.filter(pk=program.pk).update(budget_allocated=10_000_000)
    client = client_for(cast["officer"])
    client.post(_url(program), {"step": "apply", "run": run.pk})
    client.post(_url(program), {"step": "verify", "note": "Dicocokkan"})
    response = client.post(_url(program), {"step": "approve"})
    page = client.get(response["Location"]).content.decode()
    assert "ada peringatan tumpang tindih yang belum dikonfirmasi" in page
    assert Enrollment.objects.get(program=program, household=cast["households"]["rw2"]).state == "verified"
    client.post(_url(program), {"step": "approve", "acknowledge_warnings": "on"})
    assert Enrollment.objects.get(program=program, household=cast["households"]["rw2"]).state == "approved"


def test_a_large_batch_runs_as_a_task_and_its_outcome_appears(cast, client_for, program, run, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    monkeypatch.setattr(tasks, "SYNC_LIMIT", 2)
    client = client_for(cast["officer"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(_url(program), {"step": "apply", "run": run.pk})
    assert response.status_code == 302
    assert len(callbacks) == 1 and not Enrollment.objects.exists()  # queued, not run in the request
    queued = AuditEvent.objects.get(action=JOB_QUEUED)
    assert (queued.changes["step"], queued.changes["count"]) == ("apply", 3)
    page = client.get(response["Location"]).content.decode()
    assert "berjalan di latar belakang" in page and 'hx-trigger="every 2s"' in page
    assert "Daftarkan 3 keluarga" not in page  # no second job while one is pending
    second = client.post(_url(program), {"step": "apply", "run": run.pk})
    assert "Masih ada pekerjaan massal" in client.get(second["Location"]).content.decode()
    assert AuditEvent.objects.filter(action=JOB_QUEUED).count() == 1

    callbacks[0]()  # the worker picks the task up (the test backend runs it at once)
    assert _states(program) == ["applied"] * 3
    done = AuditEvent.objects.get(action=JOB_DONE)
    assert (done.changes["job"], done.changes["status"], done.changes["done"]) == (queued.changes["job"], "done", 3)
    assert done.origin["channel"] == "task"
    poll = client.get(reverse("programs:enrollment_bulk_jobs", args=[program.pk]) + "?waiting=1",
                      HTTP_HX_REQUEST="true")
    assert poll.headers.get("HX-Refresh") == "true"
    page = client.get(_url(program)).content.decode()
    assert "3</b> diproses" in page and "every 2s" not in page


def test_a_task_that_is_refused_records_why_and_changes_nothing(cast, client_for, program, run, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    monkeypatch.setattr(tasks, "SYNC_LIMIT", 1)
    client = client_for(cast["officer"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(_url(program), {"step": "apply", "run": run.pk})
    Program.objects.filter(pk=program.pk).update(status="closed")  # closed before the worker ran
    callbacks[0]()
    assert not Enrollment.objects.exists()
    done = AuditEvent.objects.get(action=JOB_DONE)
    assert done.changes["status"] == "failed" and "tidak sedang menerima peserta" in done.changes["error"]
    page = client.get(_url(program)).content.decode()
    assert "gagal, tidak ada yang diubah" in page


def test_nothing_to_do_is_said_plainly(cast, client_for, program, run):
    client = client_for(cast["officer"])
    response = client.post(_url(program), {"step": "approve"})
    assert "Tidak ada pendaftaran yang dapat diproses" in client.get(response["Location"]).content.decode()
    assert not AuditEvent.objects.filter(action__in=[JOB_DONE, JOB_QUEUED]).exists()


def test_a_run_of_another_rule_is_refused(cast, client_for, program, run, django_capture_on_commit_callbacks):
    from bansos.eligibility.services import rule_create, rule_run_start

    other_rule = rule_create(actor=cast["officer"], name="Lain", expression=EVERYONE)
    with django_capture_on_commit_callbacks(execute=True):
        other_run = rule_run_start(actor=cast["officer"], rule=other_rule)
    client = client_for(cast["officer"])
    assert client.get(_url(program, run=other_run.pk)).status_code == 404
    response = client.post(_url(program), {"step": "apply", "run": other_run.pk})
    assert "Pilih hasil penilaian" in client.get(response["Location"]).content.decode()
    assert not Enrollment.objects.exists()


def test_a_program_without_a_rule_says_so(cast, client_for, make_program):
    program = make_program(budget=1_000_000)
    html = client_for(cast["officer"]).get(_url(program)).content.decode()
    assert "belum pernah dijalankan" in html


@pytest.mark.parametrize("who", ["officer_other", "surveyor", "cadre", "evaluator", "resident"])
def test_it_refuses_others_and_changes_nothing(who, cast, client_for, program, run):
    client = client_for(cast[who])
    assert client.get(_url(program)).status_code == 403
    for data in ({"step": "apply", "run": run.pk}, {"step": "verify", "note": "x"}, {"step": "approve"}):
        assert client.post(_url(program), data).status_code == 403
    assert client.get(reverse("programs:enrollment_bulk_jobs", args=[program.pk])).status_code == 403
    assert not Enrollment.objects.exists()
    assert not AuditEvent.objects.filter(action__in=[JOB_DONE, JOB_QUEUED]).exists()


def test_the_admin_runs_bulk_steps_for_any_agency(cast, client_for, program, run):
    client_for(cast["admin"]).post(_url(program), {"step": "apply", "run": run.pk})
    assert _states(program) == ["applied"] * 3


def test_an_unknown_step_changes_nothing(cast, client_for, program, run):
    client = client_for(cast["officer"])
    response = client.post(_url(program), {"step": "delete_everything"})
    assert "Langkah massal tidak dikenal" in client.get(response["Location"]).content.decode()
    assert not Enrollment.objects.exists()


def test_the_person_program_enrols_heads_and_says_so(cast, client_for, make_program, rule, run):
    program = make_program(name="Pelatihan", kind="training", participant="resident", budget=1_000_000, rule=rule)
    client = client_for(cast["officer"])
    assert "kepala keluarga yang didaftarkan" in client.get(_url(program)).content.decode()
    client.post(_url(program), {"step": "apply", "run": run.pk})
    heads = {e.resident.relation for e in Enrollment.objects.filter(program=program).select_related("resident")}
    assert heads == {"head"}


def test_enrollment_list_links_to_the_bulk_page(cast, client_for, program, run):
    html = client_for(cast["officer"]).get(reverse("programs:enrollment_list", args=[program.pk])).content.decode()
    assert _url(program) in html


def test_a_queued_job_without_news_for_hours_stops_blocking(cast, client_for, program, run, monkeypatch,
                                                            django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    monkeypatch.setattr(tasks, "SYNC_LIMIT", 1)
    client = client_for(cast["officer"])
    with django_capture_on_commit_callbacks(execute=False):
        client.post(_url(program), {"step": "apply", "run": run.pk})  # the worker never runs it
    AuditEvent.objects.filter(action=JOB_QUEUED).update(created_at=timezone.now() - dt.timedelta(hours=3))
    page = client.get(_url(program)).content.decode()
    assert "tidak ada kabar" in page and "every 2s" not in page
    monkeypatch.setattr(tasks, "SYNC_LIMIT", 5000)
    client.post(_url(program), {"step": "apply", "run": run.pk})
    assert _states(program) == ["applied"] * 3
