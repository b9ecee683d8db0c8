"""Writes of the welfare ranking: model versions, publishing, and (re)scoring households."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, ValidationFailed
from bansos.welfare.features import (
    ASSET_CODES,
    BASE_MAX,
    BASE_MIN,
    DEFAULT_BASE,
    DEFAULT_NAME,
    HOUSING_FIELDS,
    PEOPLE_ORDER,
    WEIGHT_MAX,
    WEIGHT_MIN,
    decile_of,
    default_rows,
    household_values,
    per_capita,
    valid_pairs,
)
from bansos.welfare.models import (
    MODEL_TRANSITIONS,
    HouseholdWelfare,
    ModelStatus,
    RunStatus,
    WelfareCoefficient,
    WelfareModel,
    WelfareRun,
)
from bansos.welfare.selectors import compiled_model, model_weights, welfare_published_model
from bansos.welfare.sql import rescore_statement

Progress = Callable[[int, int], None]

MSG_NOT_DRAFT = _("Hanya versi draf yang dapat diubah. Buat versi baru untuk mengubah bobot.")
MSG_TRANSITION = _("Status model tidak dapat diubah dari %(old)s menjadi %(new)s.")
MSG_NO_MODEL = _("Belum ada model kesejahteraan yang berlaku.")
MSG_NAME_REQUIRED = _("Nama model wajib diisi.")
MSG_BASE_RANGE = _("Pengeluaran dasar harus bilangan bulat Rupiah antara Rp 100.000 dan Rp 50.000.000.")
MSG_WEIGHT_NUMBER = _("Bobot harus berupa angka, misalnya -0,15 atau 0.2.")
MSG_WEIGHT_RANGE = _("Bobot harus antara -2 dan 2.")
MSG_UNKNOWN_ATTRIBUTE = _("Atribut atau nilai tidak dikenal.")
MSG_RUN_ACTIVE = _("Penghitungan ulang sedang berjalan. Tunggu sampai selesai.")


def _system_or(actor, perm: str) -> None:
    # actor=None is the system itself (CLI, migration, benchmark, the registry's own services);
    # every page and API call passes the signed-in user, who must hold the permission.
    if actor is not None:
        require(actor, perm)


def _transition(model: WelfareModel, new: str) -> None:
    if new not in MODEL_TRANSITIONS[ModelStatus(model.status)]:
        raise DomainError("bad_transition", MSG_TRANSITION, old=model.get_status_display(),
                          new=ModelStatus(new).label)


# --- Model versions -------------------------------------------------------------------------------

def welfare_default_model() -> WelfareModel:
    """The published model; create and publish the default v1 when no model exists at all."""
    with transaction.atomic():
        published = welfare_published_model()
        if published is not None:
            return published
        if WelfareModel.objects.exists():
            raise DomainError("no_published_model", MSG_NO_MODEL)
        model = WelfareModel.objects.create(version=1, name=DEFAULT_NAME, status=ModelStatus.PUBLISHED,
                                            base_amount=DEFAULT_BASE, published_at=timezone.now())
        WelfareCoefficient.objects.bulk_create(
            WelfareCoefficient(model=model, attribute=a, value=v, weight=w) for a, v, w in default_rows()
        )
        audit_log(actor=None, action="welfare.model_publish", obj=model,
                  changes={"status": [None, model.status], "version": [None, 1]}, reason="model bawaan")
        return model


def welfare_model_draft_create(*, actor, source: WelfareModel | None = None) -> WelfareModel:
    """Start a new draft version, copying the weights of ``source`` (the published model by default)."""
    require(actor, P.WELFARE_MANAGE)
    with transaction.atomic():
        source = source or welfare_published_model()
        # The highest version row is locked so two admins cannot both take the same next number.
        last = WelfareModel.objects.select_for_update().order_by("-version").first()
        version = (last.version if last else 0) + 1
        model = WelfareModel.objects.create(
            version=version, name=f"{source.name.rsplit(' v', 1)[0]} v{version}" if source else DEFAULT_NAME,
            status=ModelStatus.DRAFT, base_amount=source.base_amount if source else DEFAULT_BASE,
            notes="", created_by=actor,
        )
        rows = (
            model_weights(source).items() if source else (((a, v), w) for a, v, w in default_rows())
        )
        WelfareCoefficient.objects.bulk_create(
            WelfareCoefficient(model=model, attribute=a, value=v, weight=w) for (a, v), w in rows
        )
        audit_log(actor=actor, action="welfare.model_create", obj=model,
                  changes={"version": [None, version], "source": [None, source.version if source else None]})
    return model


def _parse_weight(raw: Any) -> float:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        value = float(raw)
    else:
        text = str(raw or "").strip().replace(",", ".")
        if not text:
            return 0.0
        try:
            value = float(text)
        except ValueError:
            raise ValueError(str(MSG_WEIGHT_NUMBER)) from None
    if not math.isfinite(value) or not WEIGHT_MIN <= value <= WEIGHT_MAX:
        raise ValueError(str(MSG_WEIGHT_RANGE))
    return round(value, 4)


def welfare_model_update(*, actor, model: WelfareModel, name: str, base_amount: Any, notes: str,
                         weights: dict[tuple[str, str], Any]) -> WelfareModel:
    """Change a draft's name, base amount, notes and weights; refuse anything invalid, change nothing then."""
    require(actor, P.WELFARE_MANAGE)
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [str(MSG_NAME_REQUIRED)]
    try:
        base = int(str(base_amount).replace(".", "").strip()) if not isinstance(base_amount, int) else base_amount
        if not BASE_MIN <= base <= BASE_MAX:
            raise ValueError
    except (TypeError, ValueError):
        errors["base_amount"] = [str(MSG_BASE_RANGE)]
        base = 0
    known = valid_pairs()
    clean: dict[tuple[str, str], float] = {}
    for (attribute, value), raw in weights.items():
        field = f"w__{attribute}__{value}"
        if (attribute, value) not in known:
            errors[field] = [str(MSG_UNKNOWN_ATTRIBUTE)]
            continue
        try:
            clean[(attribute, value)] = _parse_weight(raw)
        except ValueError as exc:
            errors[field] = [str(exc)]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        model = WelfareModel.objects.select_for_update().get(pk=model.pk)
        if model.status != ModelStatus.DRAFT:
            raise DomainError("not_draft", MSG_NOT_DRAFT)
        before = model_weights(model)
        changes: dict[str, list[Any]] = {}
        for field, new in (("name", name), ("base_amount", base), ("notes", (notes or "").strip())):
            if getattr(model, field) != new:
                changes[field] = [getattr(model, field), new]
                setattr(model, field, new)
        model.save(update_fields=["name", "base_amount", "notes"])
        changed = {key: w for key, w in clean.items() if before.get(key, 0.0) != w}
        if changed:
            existing = {(c.attribute, c.value): c for c in model.coefficients.filter(
                Q(*[Q(attribute=a, value=v) for a, v in changed], _connector=Q.OR))}
            updates, creates = [], []
            for (a, v), w in changed.items():
                row = existing.get((a, v))
                if row is None:
                    creates.append(WelfareCoefficient(model=model, attribute=a, value=v, weight=w))
                else:
                    row.weight = w
                    updates.append(row)
                changes[f"{a}={v}"] = [before.get((a, v), 0.0), w]
            WelfareCoefficient.objects.bulk_update(updates, ["weight"])
            WelfareCoefficient.objects.bulk_create(creates)
        if changes:
            audit_log(actor=actor, action="welfare.model_update", obj=model, changes=changes)
    return model


def welfare_model_publish(*, actor, model: WelfareModel, rescore: bool = True) -> WelfareModel:
    """Publish a draft; the version in force retires; all households are rescored with it after commit."""
    require(actor, P.WELFARE_MANAGE)
    with transaction.atomic():
        model = WelfareModel.objects.select_for_update().get(pk=model.pk)
        _transition(model, ModelStatus.PUBLISHED)
        now = timezone.now()
        old = WelfareModel.objects.select_for_update().filter(status=ModelStatus.PUBLISHED).first()
        if old is not None:
            _transition(old, ModelStatus.RETIRED)
            old.status, old.retired_at = ModelStatus.RETIRED, now
            old.save(update_fields=["status", "retired_at"])
            audit_log(actor=actor, action="welfare.model_retire", obj=old,
                      changes={"status": [ModelStatus.PUBLISHED, ModelStatus.RETIRED]})
        model.status, model.published_at = ModelStatus.PUBLISHED, now
        model.save(update_fields=["status", "published_at"])
        audit_log(actor=actor, action="welfare.model_publish", obj=model,
                  changes={"status": [ModelStatus.DRAFT, ModelStatus.PUBLISHED],
                           "replaces": [None, old.version if old else None]})
        if rescore:
            _queue_run(actor=actor)
    return model


# --- Scoring --------------------------------------------------------------------------------------

def _queue_run(*, actor) -> WelfareRun:
    from bansos.welfare.tasks import welfare_run_task

    run = WelfareRun.objects.create(created_by=actor, status=RunStatus.QUEUED)
    transaction.on_commit(lambda: welfare_run_task.enqueue(run.pk))
    return run


def welfare_rescore_start(*, actor) -> WelfareRun:
    """Queue a rescoring of every active household (runs as a background task)."""
    require(actor, P.WELFARE_MANAGE)
    with transaction.atomic():
        if WelfareRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
            raise DomainError("run_active", MSG_RUN_ACTIVE)
        run = _queue_run(actor=actor)
        audit_log(actor=actor, action="welfare.rescore_start", obj=run, object_label=str(_("Hitung ulang skor")))
    return run


def welfare_run_execute(run_id: int) -> None:
    """Body of the background task: rescore, reporting progress on the run row."""
    run = WelfareRun.objects.select_related("created_by").get(pk=run_id)
    WelfareRun.objects.filter(pk=run_id).update(status=RunStatus.RUNNING, started_at=timezone.now(), done=0)

    def progress(done: int, total: int) -> None:
        # Outside the write transaction, so the page's polling sees it at once.
        WelfareRun.objects.filter(pk=run_id).update(done=done, total=total)

    try:
        summary = welfare_rescore_all(actor=run.created_by, progress=progress, _checked=True)
    except Exception as exc:
        WelfareRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, error=str(exc)[:2000],
                                                    finished_at=timezone.now())
        raise
    WelfareRun.objects.filter(pk=run_id).update(
        status=RunStatus.DONE, done=summary["scored"], total=summary["scored"], model_id=summary["model_id"],
        finished_at=timezone.now(),
    )


def welfare_rescore_all(*, actor, progress: Progress | None = None, _checked: bool = False) -> dict[str, Any]:
    """Score every active household with the published model and rank them into deciles (1 = poorest).

    The database does the work in one INSERT ... SELECT (see ``welfare.sql``); the old scores are
    replaced in the same transaction, so readers see either all old or all new scores.
    """
    from bansos.registry.models import Household

    if not _checked:
        _system_or(actor, P.WELFARE_MANAGE)
    model = welfare_default_model()
    connection = connections[HouseholdWelfare.objects.db]
    if progress:
        progress(0, Household.objects.filter(status="active").count())
    sql, params = rescore_statement(connection=connection, weights=model_weights(model),
                                    base_amount=model.base_amount, model_id=model.pk, now=timezone.now(),
                                    today=timezone.localdate())
    with transaction.atomic(using=connection.alias):
        # Two rescorings at once would both delete and then insert the same households; the lock on
        # the published model row makes the second wait for the first to commit.
        locked = WelfareModel.objects.select_for_update().filter(pk=model.pk, status=ModelStatus.PUBLISHED).first()
        if locked is None:
            raise DomainError("no_published_model", MSG_NO_MODEL)
        HouseholdWelfare.objects.all().delete()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The GROUP BY and the two sorts of 270,000 rows spill to disk at the default 4 MB.
                cursor.execute("SET LOCAL work_mem = '128MB'")
            cursor.execute(sql, params)
            if connection.vendor == "postgresql":
                # Every row is new: fresh statistics (a sample, a fraction of a second) let the
                # eligibility rules that usually follow a rescoring plan hash joins over the deciles
                # at once, instead of waiting for autovacuum to notice.
                cursor.execute(f"ANALYZE {connection.ops.quote_name(HouseholdWelfare._meta.db_table)}")
        # SQLite reports no rowcount for WITH ... INSERT; counting the fresh table is cheap.
        scored = HouseholdWelfare.objects.count()
        audit_log(actor=actor, action="welfare.rescore", obj=model,
                  changes={"households": [None, scored], "model_version": [None, model.version]})
    if progress:
        progress(scored, scored)
    return {"scored": scored, "model_id": model.pk, "model_version": model.version}


def welfare_score_household(household, *, actor=None) -> HouseholdWelfare | None:
    """Score one household now (after a registry change) and place it among the stored scores.

    Other households keep their rank until the next full rescoring; the decile of this one is
    taken from how many stored scores are lower. None for a household that is not active.
    """
    from bansos.registry.models import Resident

    if household.status != "active":
        HouseholdWelfare.objects.filter(household_id=household.pk).delete()
        return None
    model = welfare_default_model()
    compiled = compiled_model(model)
    members = list(Resident.objects.filter(household_id=household.pk, status="active"))
    values = household_values(household, members, timezone.localdate())
    score = compiled.score(tuple(values[f] for f in HOUSING_FIELDS), tuple(values[f] for f in ASSET_CODES),
                           tuple(values[f] for f in PEOPLE_ORDER))
    with transaction.atomic():
        others = HouseholdWelfare.objects.exclude(household_id=household.pk)
        below = others.filter(score__lt=score).count()
        total = others.count() + 1
        rank = below + 1
        welfare, _created = HouseholdWelfare.objects.update_or_create(
            household_id=household.pk,
            defaults={"model": model, "per_capita": per_capita(score), "score": score,
                      "decile": decile_of(rank, total), "rank": rank, "computed_at": timezone.now()},
        )
        audit_log(actor=actor, action="welfare.score", obj=household, household_id=household.pk,
                  changes={"per_capita": [None, welfare.per_capita], "decile": [None, welfare.decile],
                           "model_version": [None, model.version]})
    return welfare

