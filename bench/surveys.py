"""``surveys``: progress per RW and needs per RW over a round with N households surveyed.

Seeds N households with the demo generator, imports the example XLSForm, opens a round over
the whole kelurahan and writes a submitted response with needs answers for every household
(bulk inserts: the benchmark measures the reads the round and needs pages run, not the entry
page). Then times ``round_progress`` and ``survey_needs_by_rw`` 30 times each.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time

from bench.common import progress_printer, result_line, scratch_database

RUNS = 30


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


def run(size: int) -> str:
    with scratch_database() as scratch:
        from django.db import transaction

        from bansos.demo.services import demo_seed
        from bansos.registry.models import Household
        from bansos.surveys import selectors, services, xlsform
        from bansos.surveys.models import Answer, Question, Response

        started = time.perf_counter()
        demo_seed(households=size, seed=2026, progress=progress_printer("keluarga"))
        sys.stderr.write("\n")
        form = xlsform.form_import_xlsform(actor=_system_admin(), data=xlsform.example_bytes()).form
        Question.objects.filter(form=form, code="kebutuhan_utama").update(is_need_indicator=True)
        form = services.form_set_status(actor=_system_admin(), form=form, status="published")
        survey_round = services.round_create(
            actor=_system_admin(), form=form, name="Baseline bench", kind="baseline",
            period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 3, 31), target_rws=[],
        )
        needs = Question.objects.get(form=form, code="kebutuhan_utama")
        floor = Question.objects.get(form=form, code="jenis_lantai")
        values = [c.value for c in needs.choices.all()]
        rng = random.Random(2026)
        ids = list(Household.objects.filter(status="active").values_list("pk", flat=True))
        now = dt.datetime.now(dt.timezone.utc)
        for start in range(0, len(ids), 5000):
            chunk = ids[start:start + 5000]
            with transaction.atomic():
                Response.objects.bulk_create(
                    [Response(round=survey_round, household_id=pk, status="submitted", submitted_at=now) for pk in chunk],
                    batch_size=1000)
                responses = dict(Response.objects.filter(round=survey_round, household_id__in=chunk)
                                 .values_list("household_id", "pk"))
                answers = []
                for pk in chunk:
                    picked = sorted(rng.sample(values, rng.randint(1, 3)), key=values.index)
                    answers.append(Answer(response_id=responses[pk], question=needs, value_json=picked,
                                          value_text=" " + " ".join(picked) + " "))
                    answers.append(Answer(response_id=responses[pk], question=floor, value_text="cement"))
                Answer.objects.bulk_create(answers, batch_size=1000)
        # Fresh statistics, as autovacuum (PostgreSQL) or a maintenance run (SQLite) would leave them:
        # planned against empty tables, the needs query nests loops over every answer.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        progress_times, needs_times = [], []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            rows = selectors.round_progress(survey_round=survey_round)
            progress_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            need_rows = selectors.survey_needs_by_rw(round=survey_round)
            needs_times.append(time.perf_counter() - t0)
        total = time.perf_counter() - started
        return result_line(
            "surveys", db=scratch.db, size=size, total_s=total,
            progress_p50_ms=_p(progress_times, 0.5), progress_p95_ms=_p(progress_times, 0.95),
            needs_p50_ms=_p(needs_times, 0.5), needs_p95_ms=_p(needs_times, 0.95),
            responses=sum(r["surveyed"] for r in rows), need_rows=len(need_rows),
            mean_progress_ms=statistics.mean(progress_times) * 1000,
        )


def _system_admin():
    from bansos.accounts.models import User

    admin = User.objects.filter(role="admin").order_by("pk").first()
    if admin is None:
        admin = User.objects.create_user(username="bench-admin", password=None, role="admin")
    return admin
