"""Writes of the kemandirian index: model versions (weights, poverty line, graduation rule) and monthly scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, ValidationFailed
from bansos.selfreliance.components import (
    CODES, DEFAULT_MONTHS, DEFAULT_NAME, DEFAULT_POVERTY_LINE, DEFAULT_THRESHOLD, MONTHS_RANGE, POVERTY_LINE_RANGE,
    WEIGHT_MAX, COMPONENTS,
)
from bansos.selfreliance.models import (
    MODEL_TRANSITIONS, IndexModel, IndexRun, IndexScore, IndexWeight, ModelStatus,
)
from bansos.selfreliance.selectors import model_weights, published_model
from bansos.selfreliance.sql import compute_month_sql, next_month

Progress = Callable[[int, int], None]

MSG_NOT_DRAFT = _("Hanya versi draf yang dapat diubah. Buat versi baru untuk mengubah bobot.")
MSG_TRANSITION = _("Status model tidak dapat diubah dari %(old)s menjadi %(new)s.")
MSG_NO_MODEL = _("Belum ada model indeks kemandirian yang berlaku.")
MSG_NAME_REQUIRED = _("Nama model wajib diisi.")
MSG_POVERTY_LINE = _("Garis kemiskinan harus bilangan bulat Rupiah antara Rp 100.000 dan Rp 10.000.000.")
MSG_THRESHOLD = _("Ambang harus bilangan bulat antara 1 dan 100.")
MSG_MONTHS = _("Jumlah bulan harus bilangan bulat antara 1 dan 36.")
MSG_WEIGHT = _("Bobot harus bilangan bulat antara 0 dan 100.")
MSG_WEIGHTS_ZERO = _("Paling sedikit satu komponen harus berbobot lebih dari 0.")
MSG_MONTH_RANGE = _("Bulan awal harus sebelum atau sama dengan bulan akhir, paling banyak 36 bulan, dan tidak "
                    "melewati bulan ini.")
MSG_RUN_ACTIVE = _("Penghitungan indeks sedang berjalan. Tunggu sampai selesai.")


def _system_or(actor, perm: str) -> None:
    # actor=None is the system itself (the demo, the monthly task, a benchmark); pages and the API pass
    # the signed-in user, who must hold the permission.
    if actor is not None:
        require(actor, perm)


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


# --- Model versions -------------------------------------------------------------------------------

def index_default_model() -> IndexModel:
    """The published model; create and publish the default v1 when no model exists at all."""
    with transaction.atomic():
        published = published_model()
        if published is not None:
            return published
        if IndexModel.objects.exists():
            raise DomainError("no_published_model", MSG_NO_MODEL)
        model = IndexModel.objects.create(
            version=1, name=DEFAULT_NAME, status=ModelStatus.PUBLISHED, poverty_line=DEFAULT_POVERTY_LINE,
            threshold=DEFAULT_THRESHOLD, months_required=DEFAULT_MONTHS, published_at=timezone.now(),
        )
        IndexWeight.objects.bulk_create(
            IndexWeight(model=model, component=c.code, weight=c.default_weight) for c in COMPONENTS
        )
        audit_log(actor=None, action="selfreliance.model_publish", obj=model,
                  changes={"status": [None, model.status], "version": [None, 1]}, reason="model bawaan")
        return model


def index_model_draft_create(*, actor) -> IndexModel:
    """Start a new draft version, copying the published model's parameters and weights."""
    require(actor, P.MONITORING_MANAGE)
    with transaction.atomic():
        source = index_default_model()
        # The highest version row is locked so two admins cannot both take the same next number.
        last = IndexModel.objects.select_for_update().order_by("-version").first()
        version = last.version + 1
        model = IndexModel.objects.create(
            version=version, name=f"{source.name.rsplit(' v', 1)[0]} v{version}", status=ModelStatus.DRAFT,
            poverty_line=source.poverty_line, threshold=source.threshold, months_required=source.months_required,
            created_by=actor,
        )
        weights = model_weights(source)
        IndexWeight.objects.bulk_create(
            IndexWeight(model=model, component=code, weight=weights.get(code, 0)) for code in CODES
        )
        audit_log(actor=actor, action="selfreliance.model_create", obj=model,
                  changes={"version": [None, version], "source": [None, source.version]})
    return model


def _int_in(raw: Any, low: int, high: int) -> int:
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip().replace(".", "")
        if not text or not text.isdigit():
            raise ValueError
        value = int(text)
    if not low <= value <= high:
        raise ValueError
    return value


def index_model_update(*, actor, model: IndexModel, name: str, poverty_line: Any, threshold: Any,
                       months_required: Any, notes: str, weights: dict[str, Any]) -> IndexModel:
    """Change a draft's parameters and weights; refuse anything invalid and change nothing then."""
    require(actor, P.MONITORING_MANAGE)
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [str(MSG_NAME_REQUIRED)]
    clean: dict[str, Any] = {"name": name, "notes": (notes or "").strip()}
    for field, raw, low, high, message in (
        ("poverty_line", poverty_line, *POVERTY_LINE_RANGE, MSG_POVERTY_LINE),
        ("threshold", threshold, 1, 100, MSG_THRESHOLD),
        ("months_required", months_required, *MONTHS_RANGE, MSG_MONTHS),
    ):
        try:
            clean[field] = _int_in(raw, low, high)
        except (TypeError, ValueError):
            errors[field] = [str(message)]
    new_weights: dict[str, int] = {}
    for code, raw in weights.items():
        field = f"w_{code}"
        if code not in CODES:
            errors[field] = [str(MSG_WEIGHT)]
            continue
        try:
            new_weights[code] = _int_in(raw, 0, WEIGHT_MAX)
        except (TypeError, ValueError):
            errors[field] = [str(MSG_WEIGHT)]
    if not errors and new_weights and not any(new_weights.values()):
        errors["weights"] = [str(MSG_WEIGHTS_ZERO)]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        model = IndexModel.objects.select_for_update().get(pk=model.pk)
        if model.status != ModelStatus.DRAFT:
            raise DomainError("not_draft", MSG_NOT_DRAFT)
        before = model_weights(model)
        if new_weights and not any({**before, **new_weights}.values()):
            raise ValidationFailed({"weights": [str(MSG_WEIGHTS_ZERO)]})
        changes: dict[str, list[Any]] = {}
        for field, new in clean.items():
            if getattr(model, field) != new:
                changes[field] = [getattr(model, field), new]
                setattr(model, field, new)
        model.save(update_fields=list(clean))
        for code, weight in new_weights.items():
            if before.get(code) != weight:
                IndexWeight.objects.update_or_create(model=model, component=code, defaults={"weight": weight})
                changes[f"w_{code}"] = [before.get(code), weight]
        if changes:
            audit_log(actor=actor, action="selfreliance.model_update", obj=model, changes=changes)
    return model


def index_model_publish(*, actor, model: IndexModel) -> IndexModel:
    """Publish a draft; the version in force retires. Months already stored keep the version they used."""
    require(actor, P.MONITORING_MANAGE)
    with transaction.atomic():
        model = IndexModel.objects.select_for_update().get(pk=model.pk)
        if ModelStatus.PUBLISHED not in MODEL_TRANSITIONS[ModelStatus(model.status)]:
            raise DomainError("bad_transition", MSG_TRANSITION, old=model.get_status_display(),
                              new=ModelStatus.PUBLISHED.label)
        now = timezone.now()
        old = IndexModel.objects.select_for_update().filter(status=ModelStatus.PUBLISHED).first()
        if old is not None:
            old.status, old.retired_at = ModelStatus.RETIRED, now
            old.save(update_fields=["status", "retired_at"])
            audit_log(actor=actor, action="selfreliance.model_retire", obj=old,
                      changes={"status": [ModelStatus.PUBLISHED, ModelStatus.RETIRED]})
        model.status, model.published_at = ModelStatus.PUBLISHED, now
        model.save(update_fields=["status", "published_at"])
        audit_log(actor=actor, action="selfreliance.model_publish", obj=model,
                  changes={"status": [ModelStatus.DRAFT, ModelStatus.PUBLISHED],
                           "replaces": [None, old.version if old else None]})
    return model


# --- Scores ---------------------------------------------------------------------------------------

def _check_range(first: dt.date, last: dt.date) -> list[dt.date]:
    first, last = first_of_month(first), first_of_month(last)
    months = []
    month = first
    while month <= last and len(months) <= 36:
        months.append(month)
        month = next_month(month)
    if not months or len(months) > 36 or last > first_of_month(timezone.localdate()):
        raise DomainError("month_range", MSG_MONTH_RANGE, field="first_month")
    return months


def index_compute_month(*, actor, month: dt.date, model: IndexModel | None = None) -> int:
    """Store ``month``'s index for every active household (replacing that month); returns how many."""
    _system_or(actor, P.MONITORING_MANAGE)
    month = first_of_month(month)
    with transaction.atomic():
        model = model or index_default_model()
        weights = model_weights(model)
        IndexScore.objects.filter(month=month).delete()
        sql, params = compute_month_sql(month=month, model_id=model.pk, weights=weights,
                                        poverty_line=model.poverty_line, now=timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            stored = cursor.rowcount
    return stored


def index_compute_range(*, actor, first: dt.date, last: dt.date, progress: Progress | None = None,
                        propose: bool = True) -> dict[str, Any]:
    """Compute every month from ``first`` to ``last`` in order, then propose graduations for ``last``."""
    from bansos.selfreliance.services.graduation import graduation_propose_month

    _system_or(actor, P.MONITORING_MANAGE)
    months = _check_range(first, last)
    model = index_default_model()
    stored = 0
    for i, month in enumerate(months, start=1):
        stored = index_compute_month(actor=None, month=month, model=model)
        if progress:
            progress(i, len(months))
    proposals = graduation_propose_month(actor=None, month=months[-1]) if propose else []
    with transaction.atomic():
        audit_log(actor=actor, action="selfreliance.index_compute", object_type="selfreliance.indexscore",
                  object_label=str(_("Indeks kemandirian %(first)s – %(last)s") % {
                      "first": months[0].strftime("%m/%Y"), "last": months[-1].strftime("%m/%Y")}),
                  changes={"months": len(months), "households": stored, "proposals": len(proposals),
                           "model": model.version})
    return {"months": len(months), "households": stored, "proposals": len(proposals), "model": model}


def index_run_start(*, actor, first: dt.date, last: dt.date) -> IndexRun:
    """Queue a computation of the months ``first``..``last`` (runs as a background task)."""
    require(actor, P.MONITORING_MANAGE)
    months = _check_range(first, last)
    with transaction.atomic():
        if IndexRun.objects.filter(status__in=[IndexRun.Status.QUEUED, IndexRun.Status.RUNNING]).exists():
            raise DomainError("run_active", MSG_RUN_ACTIVE)
        run = IndexRun.objects.create(created_by=actor, first_month=months[0], last_month=months[-1])
        from bansos.selfreliance.tasks import index_run_task

        transaction.on_commit(lambda: index_run_task.enqueue(run.pk))
    return run


def index_run_execute(run_id: int) -> None:
    """Body of the background task: compute the run's months, reporting progress on the run row."""
    run = IndexRun.objects.select_related("created_by").get(pk=run_id)
    IndexRun.objects.filter(pk=run_id).update(status=IndexRun.Status.RUNNING)

    def progress(done: int, _total: int) -> None:
        IndexRun.objects.filter(pk=run_id).update(months_done=done)

    try:
        summary = index_compute_range(actor=run.created_by, first=run.first_month, last=run.last_month,
                                      progress=progress)
    except Exception as exc:
        IndexRun.objects.filter(pk=run_id).update(status=IndexRun.Status.FAILED, error=str(exc)[:2000],
                                                  finished_at=timezone.now())
        raise
    IndexRun.objects.filter(pk=run_id).update(
        status=IndexRun.Status.DONE, households=summary["households"], proposals=summary["proposals"],
        finished_at=timezone.now(),
    )
