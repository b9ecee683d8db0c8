"""Agency lists: upload (checked before anything is stored), column mapping, linkage, review, export."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, ValidationFailed
from bansos.linkage import engine
from bansos.linkage.access import agency_for_upload, require_list
from bansos.linkage.listfile import MSG_TOO_MANY_ROWS, ListFile, guess_mapping, mapped_row
from bansos.linkage.models import LIST_FIELDS, AgencyList, AgencyListRow, LinkageRun, ListStatus, RowStatus, RunStatus
from bansos.registry.importing.bulk import Inserter
from bansos.registry.importing.reader import ImportFileError
from bansos.registry.models import ResidentStatus

MSG_TOO_BIG = _("Berkas terlalu besar: paling besar %(limit)s MB.")
MSG_AGENCY = _("Pilih lembaga pemilik daftar ini.")
MSG_TITLE_LONG = _("Judul paling banyak 120 karakter.")
MSG_MAP_NAME = _("Petakan paling sedikit kolom Nama atau NIK.")
MSG_MAP_COLUMN = _("Kolom ini tidak ada di berkas.")
MSG_MAP_TWICE = _("Satu kolom hanya dapat dipetakan ke satu isian (kecuali RT/RW dalam satu kolom).")
MSG_MAP_STATUS = _("Pemetaan kolom hanya dapat diubah sebelum pencocokan dijalankan.")
MSG_ROW_STATUS = _("Hanya baris \"mungkin cocok\" yang ditinjau.")
MSG_ROW_DECISION = _("Pilih \"orang yang sama\" atau \"bukan orang yang sama\".")
MSG_LIST_FAILED = _("Pencocokan daftar gagal; tidak ada baris yang disimpan.")
MSG_RESIDENT_GONE = _("Warga ini sudah tidak aktif di registri; pilih \"bukan orang yang sama\".")

MAX_ROWS = 200_000
SAMPLE_ROWS = 5


def lists_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "agency-lists"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _read_head(path: Path) -> tuple[str, list[str], list[list[str]]]:
    with ListFile(path) as f:
        sample = []
        for _number, cells in f.rows():
            sample.append([("" if c is None else str(c))[:60] for c in cells[: len(f.headers)]])
            if len(sample) >= SAMPLE_ROWS:
                break
        return f.kind, f.headers, sample


def agency_list_upload(*, actor, upload, title: str = "", agency=None) -> AgencyList:
    """Check an uploaded list (size, kind, header) and keep it for the column-mapping step."""
    agency = agency_for_upload(actor, agency)
    if agency is None:
        raise DomainError("agency_required", MSG_AGENCY, field="agency")
    title = (title or "").strip()
    if len(title) > 120:
        raise DomainError("title_too_long", MSG_TITLE_LONG, field="title")
    limit = settings.BANSOS_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise ImportFileError(MSG_TOO_BIG, limit=limit // (1024 * 1024))
    path = lists_dir() / f"{secrets.token_hex(12)}.upload"
    with open(path, "wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    try:
        kind, headers, sample = _read_head(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    final = path.with_suffix(f".{kind}")
    path.rename(final)
    original = Path(upload.name or "").name[:255] or f"daftar.{kind}"
    try:
        with transaction.atomic():
            agency_list = AgencyList.objects.create(
                agency=agency, title=title or original[:120], original_name=original, file_path=str(final),
                file_kind=kind, headers=headers, sample=sample, mapping=guess_mapping(headers), uploaded_by=actor)
            audit_log(actor=actor, action="linkage.list.upload", obj=agency_list,
                      changes={"agency": [None, agency.pk], "file": [None, original], "columns": [None, len(headers)]})
    except BaseException:
        final.unlink(missing_ok=True)
        raise
    return agency_list


def _clean_mapping(agency_list: AgencyList, mapping: dict) -> dict[str, int]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    for field in LIST_FIELDS:
        value = mapping.get(field)
        if value in (None, "", -1, "-1"):
            continue
        try:
            index = int(value)
        except (TypeError, ValueError):
            index = -1
        if not 0 <= index < len(agency_list.headers):
            errors.setdefault(field, []).append(str(MSG_MAP_COLUMN))
            continue
        clean[field] = index
    seen: dict[int, str] = {}
    for field, index in clean.items():
        other = seen.get(index)
        if other is not None and {field, other} != {"rt", "rw"}:
            errors.setdefault(field, []).append(str(MSG_MAP_TWICE))
        seen[index] = field
    if "full_name" not in clean and "nik" not in clean:
        errors.setdefault("full_name", []).append(str(MSG_MAP_NAME))
    if errors:
        raise ValidationFailed(errors)
    return clean


@transaction.atomic
def agency_list_map(*, actor, agency_list: AgencyList, mapping: dict) -> AgencyList:
    """Save the uploader's column mapping and queue the linkage against the registry."""
    agency_list = AgencyList.objects.select_for_update().get(pk=agency_list.pk)
    require_list(actor, agency_list)
    if agency_list.status not in (ListStatus.MAPPING, ListStatus.FAILED):
        raise DomainError("list_mapped", MSG_MAP_STATUS)
    clean = _clean_mapping(agency_list, mapping)
    before = agency_list.mapping
    agency_list.mapping = clean
    agency_list.status = ListStatus.QUEUED
    agency_list.percent = 0
    agency_list.error = ""
    agency_list.save(update_fields=["mapping", "status", "percent", "error"])
    audit_log(actor=actor, action="linkage.list.map", obj=agency_list, changes={"mapping": [before, clean]})
    from bansos.linkage.tasks import agency_list_task

    list_id = agency_list.pk
    transaction.on_commit(lambda: agency_list_task.enqueue(list_id))
    return agency_list


def _stage(list_id: int, percent: int, stage: str) -> None:
    AgencyList.objects.filter(pk=list_id).update(percent=percent, stage=stage[:40])


def read_rows(agency_list: AgencyList) -> list[AgencyListRow]:
    """The list's rows under its mapping, not yet stored."""
    rows = []
    with ListFile(Path(agency_list.file_path)) as f:
        for number, cells in f.rows():
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(MSG_TOO_MANY_ROWS, limit=f"{MAX_ROWS:,}".replace(",", "."))
            rows.append(AgencyListRow(agency_list_id=agency_list.pk, number=number,
                                      **mapped_row(cells, agency_list.mapping)))
    return rows


def registry_model() -> dict | None:
    """The newest finished deduplication's trained model: list errors are the registry's kinds of errors."""
    run = LinkageRun.objects.filter(status=RunStatus.DONE).exclude(model={}).order_by("-finished_at").first()
    return run.model if run and run.model.get("comparisons") else None


def classify(rows: list[AgencyListRow], registry_table, *, threads: int | None = None, progress=None,
             model: dict | None = None) -> dict[str, float]:
    """Link ``rows`` to the registry records and set each row's status, resident and evidence in place."""
    usable = [r for r in rows if r.full_name or r.nik]
    for r in rows:
        if not (r.full_name or r.nik):
            r.status = RowStatus.SKIPPED
    if not usable or registry_table.num_rows == 0:
        for r in usable:
            r.status = RowStatus.NEW
        return {}
    table = engine.prepare((r.number, r.nik, r.full_name, r.sex, r.birth_date, r.kk, r.rw, r.rt, r.address)
                           for r in usable)
    outcome = engine.link(table, registry_table, threads=threads, progress=progress, model=model)
    best: dict[int, engine.Pair] = {}
    for pair in outcome.pairs:
        held = best.get(pair.left)
        if held is None or pair.probability > held.probability:
            best[pair.left] = pair
    for r in usable:
        pair = best.get(r.number)
        if pair is None or pair.probability < engine.REVIEW_MIN:
            r.status = RowStatus.NEW
            continue
        r.resident_id = pair.right
        r.probability = min(1.0, max(0.0, pair.probability))
        r.evidence = pair.evidence
        r.status = RowStatus.LINKED if pair.probability >= engine.AUTO_LINK else RowStatus.POSSIBLE
    return outcome.timings


_ROW_COLUMNS = ("agency_list_id", "number", "nik", "full_name", "birth_date", "sex", "kk", "rw", "rt", "address",
                "status", "resident_id", "probability", "evidence")


def _rows_store(list_id: int, rows: list[AgencyListRow]) -> None:
    """Insert the list's rows in batches (COPY on PostgreSQL): the ORM's bulk_create spent most of
    the job's storing time preparing 50,000 model instances field by field."""
    inserter = Inserter(AgencyListRow, _ROW_COLUMNS)
    for start in range(0, len(rows), 5000):
        inserter.insert([[list_id, r.number, r.nik, r.full_name, r.birth_date, r.sex, r.kk, r.rw, r.rt, r.address,
                          r.status, r.resident_id, r.probability, r.evidence or {}]
                         for r in rows[start:start + 5000]])


def agency_list_execute(list_id: int, *, threads: int | None = None) -> AgencyList:
    """Read the list, link it to the active residents and store every row (the task body)."""
    from bansos.linkage.services.runs import registry_table

    agency_list = AgencyList.objects.get(pk=list_id)
    if agency_list.status not in (ListStatus.QUEUED, ListStatus.RUNNING):
        return agency_list
    AgencyList.objects.filter(pk=list_id).update(status=ListStatus.RUNNING, percent=1, stage="read")
    started = time.perf_counter()
    try:
        rows = read_rows(agency_list)
        read_s = time.perf_counter() - started
        _stage(list_id, 10, "registry")
        registry = registry_table()
        export_s = time.perf_counter() - started - read_s
        _stage(list_id, 20, "link")
        timings = classify(rows, registry, threads=threads, model=registry_model(),
                           progress=lambda pct, what: _stage(list_id, 20 + pct * 7 // 10, what))
        _stage(list_id, 92, "store")
        store_started = time.perf_counter()
        counts = {s: 0 for s in RowStatus.values}
        for r in rows:
            counts[r.status] += 1
        with transaction.atomic():
            AgencyListRow.objects.filter(agency_list_id=list_id).delete()  # a re-run after a failure
            _rows_store(list_id, rows)
            all_timings = {"read_s": round(read_s, 2), "export_s": round(export_s, 2),
                           **{k: round(v, 2) for k, v in timings.items()},
                           "store_s": round(time.perf_counter() - store_started, 2),
                           "total_s": round(time.perf_counter() - started, 2)}
            AgencyList.objects.filter(pk=list_id).update(
                status=ListStatus.DONE, percent=100, stage="", rows_total=len(rows), linked=counts["linked"],
                possible=counts["possible"], new=counts["new"], skipped=counts["skipped"], timings=all_timings,
                finished_at=timezone.now(), error="")
            audit_log(actor=agency_list.uploaded_by, action="linkage.list.linked", obj=agency_list,
                      changes={"rows": [None, len(rows)], "linked": [None, counts["linked"]],
                               "possible": [None, counts["possible"]], "new": [None, counts["new"]]})
    except ImportFileError as exc:
        AgencyList.objects.filter(pk=list_id).update(status=ListStatus.FAILED, error=exc.text[:2000],
                                                     finished_at=timezone.now())
        agency_list.refresh_from_db()
        return agency_list
    except Exception as exc:
        AgencyList.objects.filter(pk=list_id).update(
            status=ListStatus.FAILED, error=f"{MSG_LIST_FAILED} ({exc})"[:2000], finished_at=timezone.now())
        raise
    agency_list.refresh_from_db()
    return agency_list


ROW_DECISIONS = ("same", "different")


@transaction.atomic
def agency_list_row_decide(*, actor, row: AgencyListRow, decision: str) -> AgencyListRow:
    """The uploader's review of a possible match: the same person (linked) or not (new)."""
    row = (AgencyListRow.objects.select_for_update(of=("self",)).select_related("agency_list", "resident")
           .get(pk=row.pk))  # PostgreSQL locks no nullable outer-joined row
    require_list(actor, row.agency_list)
    if decision not in ROW_DECISIONS:
        raise DomainError("row_decision", MSG_ROW_DECISION, field="decision")
    if row.status != RowStatus.POSSIBLE:
        raise DomainError("row_decided", MSG_ROW_STATUS)
    before = row.status
    if decision == "same":
        if row.resident is None or row.resident.status != ResidentStatus.ACTIVE:
            raise DomainError("row_resident_gone", MSG_RESIDENT_GONE, field="decision")
        row.status = RowStatus.LINKED
        field_delta = {"possible": -1, "linked": 1}
    else:
        row.status = RowStatus.NEW
        row.resident = None
        field_delta = {"possible": -1, "new": 1}
    row.decided_by = actor
    row.decided_at = timezone.now()
    row.save(update_fields=["status", "resident", "decided_by", "decided_at"])
    from django.db.models import F

    AgencyList.objects.filter(pk=row.agency_list_id).update(**{k: F(k) + v for k, v in field_delta.items()})
    audit_log(actor=actor, action="linkage.list.row_decide", obj=row.agency_list,
              changes={"row": [None, row.number], "status": [before, row.status]})
    return row


def agency_list_export_audit(*, actor, agency_list: AgencyList, rows: int) -> None:
    """Record the download of a list's report: personal data leaves the platform."""
    require_list(actor, agency_list)
    with transaction.atomic():
        audit_log(actor=actor, action="linkage.list.export", obj=agency_list,
                  changes={"rows": rows, "format": "csv"})
