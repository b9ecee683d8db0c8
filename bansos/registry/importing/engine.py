"""Import households with their residents from a households file, in chunks.

The file is read as a stream and cut into chunks of about ``CHUNK_ROWS`` rows (a chunk never ends
between two consecutive rows of the same KK). Each chunk is parsed and validated (``parsing``;
in a second process for large files, see ``pipeline``), looked up against the registry with one
query for its KKs and one for its NIKs, and written in its own transaction with plain multi-row
inserts (COPY on PostgreSQL, see ``bulk``) and bulk updates of the rows that changed. An
interrupted import therefore leaves whole chunks behind, and running the same file again
completes it: what was stored is matched by KK and NIK and reported as updated (unchanged).

A million rows is the benchmark (``python -m bench import``): the writing side does per row
only what the row needs, with ids for new households reserved up front rather than read back,
and on PostgreSQL it writes a chunk from a thread of its own while the next chunk is looked up
(``_write_behind``).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import json
import logging
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, require
from bansos.core.audit import build_event
from bansos.core.models import RT, AuditEvent
from bansos.core.origin import current_origin
from bansos.registry.importing import pipeline
from bansos.registry.importing.bulk import Inserter, index_lookups, reserve_ids, values_among
from bansos.registry.importing.parsing import REJECTED, STORED, UPDATED, Parser, Row
from bansos.registry.importing.reader import HouseholdFile
from bansos.registry.importing.seen import RunIndex
from bansos.registry.models import Household, HouseholdStatus, Relation, Resident, ResidentStatus, Sex
from bansos.registry.names import name_key
from bansos.registry.validation import HOUSEHOLD_FIELDS, MSG_PREGNANT_SEX, RESIDENT_FIELDS

logger = logging.getLogger(__name__)

CHUNK_ROWS = 20_000
# Smaller files are parsed in this process: forking costs more than the overlap saves.
PIPELINE_MIN_BYTES = 1 << 20
_WAL_CHECKPOINT_PAGES = 20_000  # about 80 MB of WAL between checkpoints
REJECTED_SAMPLE = 200
_GC_THRESHOLD = 50_000  # allocations between collections of the youngest generation while importing

MSG_UNCHANGED = _("tidak ada perubahan")
MSG_NIK_ELSEWHERE = _("NIK ini sudah terdaftar pada keluarga lain (KK %(kk)s).")
MSG_NEW_HEADS = _("Keluarga baru harus memiliki tepat satu kepala keluarga yang sah (ditemukan %(count)s).")
MSG_HEAD_EXISTS = _("Keluarga ini sudah memiliki kepala keluarga.")
MSG_HEAD_CHANGE = _(
    "Perubahan kepala keluarga tidak dapat dilakukan lewat impor; gunakan menu ganti kepala keluarga."
)
MSG_CONFLICT = _("Bentrok dengan perubahan lain pada saat yang sama; impor ulang berkas ini.")

REPORT_HEADER = ("baris", "no_kk", "nik", "nama", "status", "alasan")


def _defaults(model, names) -> dict[str, Any]:
    return {name: model._meta.get_field(name).get_default() for name in names}


_HOUSEHOLD_INSERT = (
    "id", "kk_number", "rt_id", *(f for f in HOUSEHOLD_FIELDS if f not in ("kk_number", "rt")), "status",
    "created_at", "updated_at",
)
_HOUSEHOLD_DEFAULTS = _defaults(Household, [f for f in HOUSEHOLD_FIELDS if f not in ("kk_number", "rt")])
_HOUSEHOLD_DEFAULTS["status"] = HouseholdStatus.ACTIVE.value
# Row.values is RESIDENT_FIELDS and the name key: the record is the household id, those, and the rest.
_RESIDENT_INSERT = ("household_id", *RESIDENT_FIELDS, "name_key", "status", "created_at", "updated_at")
_ACTIVE = ResidentStatus.ACTIVE.value
_AUDIT_INSERT = (
    "created_at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_label", "household_id",
    "changes", "reason", "origin",
)


def _inserters() -> dict[str, Inserter]:
    # Built per run: the SQL depends on the connection's vendor (quoting).
    return {
        "household": Inserter(Household, _HOUSEHOLD_INSERT),
        "resident": Inserter(Resident, _RESIDENT_INSERT),
        "audit": Inserter(AuditEvent, _AUDIT_INSERT),
    }


@dataclass
class ImportSummary:
    rows: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0  # part of updated: matched, nothing differed
    rejected: int = 0
    skipped_blank: int = 0  # fully empty lines; not rows
    households_created: int = 0
    households_updated: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    rejected_sample: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _household_state(values: dict[str, Any]) -> dict[str, Any]:
    """A household as plain comparable values keyed by field (rt as its id)."""
    state = {k: values.get(k) for k in HOUSEHOLD_FIELDS if k != "rt"}
    state["rt"] = values.get("rt_id", values.get("rt"))
    return state


def _file_household_values(rows: list[Row]) -> dict[str, Any]:
    """The household values of a group (the parser left out empty ones), the head's row first."""
    first = rows[0].household
    if all(row.household is first for row in rows):
        # The usual case: every row repeated the same household cells (the parser shares the dict).
        return dict(first)
    ordered = sorted(rows, key=lambda r: r.relation != Relation.HEAD)
    merged: dict[str, Any] = {}
    for row in ordered:
        for key, value in row.household.items():
            if key not in merged:
                merged[key] = value
    return merged


class _Plan:
    """What one chunk writes."""

    def __init__(self) -> None:
        self.new_households: list[tuple[str, dict[str, Any], list[Row]]] = []
        self.new_members: list[tuple[int | None, str, Row]] = []  # (household id, kk, row)
        self.household_updates: dict[int, dict[str, Any]] = {}
        self.resident_updates: dict[int, dict[str, Any]] = {}
        self.audit: dict[str, dict[str, Any]] = {}  # kk -> {"id", "changes", "created", "added"}
        self.overlay: dict[str, tuple[bool, dict[str, Any]]] = {}


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


class _Importer:
    def __init__(self, *, actor, dry_run: bool, job_id: int | None, file_name: str) -> None:
        self.actor = actor
        self.dry_run = dry_run
        self.job_id = job_id
        self.file_name = file_name
        self.summary = ImportSummary(dry_run=dry_run)
        # A dry run writes nothing, yet later chunks must see what earlier ones would have done.
        self.index = RunIndex() if dry_run else None
        self.msg_unchanged = str(MSG_UNCHANGED)  # translated once, not per row
        self.inserts = _inserters()
        # What build_event() records about the actor and the origin, worked out once per run.
        authenticated = actor is not None and getattr(actor, "is_authenticated", False)
        self.actor_id = actor.pk if authenticated else None
        self.actor_name = actor.get_username() if authenticated else ""
        self.origin = current_origin()

    # --- planning --------------------------------------------------------------------------
    def _plan(self, groups: dict[str, list[Row]]) -> _Plan:
        plan = _Plan()
        kks = list(groups)
        household_fields = [f if f != "rt" else "rt_id" for f in HOUSEHOLD_FIELDS]
        with index_lookups():
            # By KK alone (the plain KK index; with the status in the query PostgreSQL may pick the
            # RT/status index and read every active household), the active ones kept here.
            existing: dict[str, dict[str, Any]] = {
                values["kk_number"]: values
                for values in values_among(Household.objects.all(), "kk_number", kks,
                                           ["id", "status", *household_fields])
                if values.pop("status") == HouseholdStatus.ACTIVE
            }
            niks = [row.nik for rows in groups.values() for row in rows]
            residents: dict[str, dict[str, Any]] = {
                values["nik"]: values
                for values in values_among(Resident.objects.filter(status=ResidentStatus.ACTIVE), "nik", niks,
                                           ["id", "household_id", "household__kk_number", *RESIDENT_FIELDS])
            }
            heads = {
                values["household_id"]
                for values in values_among(
                    Resident.objects.filter(status=ResidentStatus.ACTIVE, relation=Relation.HEAD), "household",
                    [v["id"] for v in existing.values()], ["household_id"],
                )
            }
        overlay = self.index.households(kks) if self.index is not None else {}
        for kk, rows in groups.items():
            if kk in overlay:
                has_head, state = overlay[kk]
                self._plan_existing(plan, kk, rows, state.get("id"), state, has_head, residents)
            elif kk in existing:
                values = existing[kk]
                state = _household_state(values)
                state["id"] = values["id"]
                self._plan_existing(plan, kk, rows, values["id"], state, values["id"] in heads, residents)
            else:
                self._plan_new(plan, kk, rows, residents)
        return plan

    def _nik_elsewhere(self, row: Row, found: dict[str, Any]) -> None:
        row.reject(str(MSG_NIK_ELSEWHERE % {"kk": found["household__kk_number"]}))

    def _plan_new(self, plan: _Plan, kk: str, rows: list[Row], residents: dict[str, dict[str, Any]]) -> None:
        for row in rows:
            found = residents.get(row.nik)
            if found is not None:
                self._nik_elsewhere(row, found)
        valid = [r for r in rows if not r.status]
        heads = sum(1 for r in valid if r.relation == Relation.HEAD)
        if heads != 1:
            reason = str(MSG_NEW_HEADS % {"count": heads})
            for row in valid:
                row.reject(reason)
            return
        values = _file_household_values(valid)
        values["kk_number"] = kk
        for row in valid:
            row.status = STORED
        plan.new_households.append((kk, values, valid))
        plan.audit[kk] = {"id": None, "created": True, "added": len(valid), "changes": {}}
        if self.dry_run:
            plan.overlay[kk] = (True, values)

    def _plan_existing(self, plan: _Plan, kk: str, rows: list[Row], household_id: int | None,
                       state: dict[str, Any], has_head: bool, residents: dict[str, dict[str, Any]]) -> None:
        changes: dict[str, Any] = {}
        added = 0
        touched = False
        for row in rows:
            found = residents.get(row.nik)
            if found is not None and (household_id is None or found["household_id"] != household_id):
                self._nik_elsewhere(row, found)
                continue
            if found is None:
                if row.relation == Relation.HEAD and has_head:
                    row.reject(str(MSG_HEAD_EXISTS))
                    continue
                has_head = has_head or row.relation == Relation.HEAD
                row.status = STORED
                plan.new_members.append((household_id, kk, row))
                added += 1
                continue
            diff = {}
            for key, value in row.filled().items():
                if key != "nik" and found.get(key) != value:
                    diff[key] = [found.get(key), value]
            if "relation" in diff and Relation.HEAD in diff["relation"]:
                row.reject(str(MSG_HEAD_CHANGE))
                continue
            pregnant = diff["pregnant"][1] if "pregnant" in diff else found.get("pregnant")
            sex = diff["sex"][1] if "sex" in diff else found.get("sex")
            if pregnant and sex != Sex.FEMALE:
                row.reject(f"hamil: {MSG_PREGNANT_SEX}")
                continue
            row.status = UPDATED
            if diff:
                touched = True
                plan.resident_updates[found["id"]] = {k: v[1] for k, v in diff.items()}
                for key, pair in diff.items():
                    changes[f"{row.nik}.{key}"] = [_plain(pair[0]), _plain(pair[1])]
            else:
                row.reason = "unchanged"
        valid = [r for r in rows if r.status != REJECTED]
        household_diff: dict[str, Any] = {}
        if valid:
            for key, value in _file_household_values(valid).items():
                if key == "kk_number":
                    continue
                old = state.get(key)
                if isinstance(old, str) and key == "consent_date" and old:
                    old = dt.date.fromisoformat(old)
                if old != value:
                    household_diff[key] = value
                    changes[key] = [_plain(old), _plain(value)]
        if household_diff:
            for row in valid:
                if row.reason == "unchanged":
                    row.reason = ""
            if household_id is not None:
                plan.household_updates[household_id] = household_diff
        for row in valid:
            if row.reason == "unchanged":
                row.reason = self.msg_unchanged
        if household_diff or touched or added:
            plan.audit[kk] = {"id": household_id, "created": False, "added": added, "changes": changes}
            if self.dry_run:
                new_state = dict(state)
                new_state.update({k: _plain(v) for k, v in household_diff.items()})
                plan.overlay[kk] = (has_head, new_state)

    # --- writing ---------------------------------------------------------------------------
    def _apply(self, plan: _Plan) -> None:
        now = timezone.now()
        inserts = self.inserts
        household_rows = []
        ids: dict[str, int] = {}
        if plan.new_households:
            # Ids reserved up front (the same sequence the database would draw from), so the
            # members can point at their household without reading the new rows back.
            reserved = reserve_ids(Household, len(plan.new_households))
            for (kk, values, _rows), household_id in zip(plan.new_households, reserved, strict=True):
                record = dict(_HOUSEHOLD_DEFAULTS)
                record.update(values)
                record["id"] = ids[kk] = household_id
                record["rt_id"] = values["rt"]
                record["created_at"] = record["updated_at"] = now
                household_rows.append([record[name] for name in _HOUSEHOLD_INSERT])
            inserts["household"].insert(household_rows)
        record_of = self._resident_record
        resident_rows = []
        for kk, _values, rows in plan.new_households:
            household_id = ids[kk]
            resident_rows.extend([record_of(household_id, row, now) for row in rows])
        for household_id, _kk, row in plan.new_members:
            resident_rows.append(record_of(household_id, row, now))
        inserts["resident"].insert(resident_rows)
        if plan.household_updates:
            self._bulk_update(Household, plan.household_updates, now)
        if plan.resident_updates:
            for values in plan.resident_updates.values():
                if "full_name" in values:
                    values["name_key"] = name_key(values["full_name"])
            self._bulk_update(Resident, plan.resident_updates, now)
        events = []
        actor_id, actor_name, origin = self.actor_id, self.actor_name, self.origin
        reason = f"impor berkas {self.file_name}"
        job_id = self.job_id
        for kk, info in plan.audit.items():
            household_id = info["id"] or ids.get(kk)
            if info["created"]:
                self.summary.households_created += 1
                action = "household.import_create"
                changes = {"import_job": job_id, "members_added": info["added"], **info["changes"],
                           "kk_number": [None, kk]}
            else:
                self.summary.households_updated += 1
                action = "household.import_update"
                changes = {"import_job": job_id, "members_added": info["added"], **info["changes"]}
            # The row build_event() would make; the values are plain already (dates as text).
            events.append([now, actor_id, actor_name, action, "registry.household", str(household_id),
                           f"KK {kk}"[:200], household_id, changes, reason, origin])
        inserts["audit"].insert(events)

    @staticmethod
    def _resident_record(household_id: int, row: Row, now) -> list[Any]:
        return [household_id, *row.values, _ACTIVE, now, now]

    @staticmethod
    def _bulk_update(model, updates: dict[int, dict[str, Any]], now) -> None:
        objects = []
        fields: set[str] = set()
        current = {o.pk: o for o in model.objects.filter(pk__in=list(updates))}
        for pk, values in updates.items():
            obj = current[pk]
            for key, value in values.items():
                if key == "rt":
                    obj.rt_id = value
                    fields.add("rt")
                else:
                    setattr(obj, key, value)
                    fields.add(key)
            obj.updated_at = now
            objects.append(obj)
        model.objects.bulk_update(objects, [*sorted(fields), "updated_at"], batch_size=500)

    # --- chunks ----------------------------------------------------------------------------
    def process(self, rows: list[Row]) -> None:
        """Plan and write one chunk (or, in a dry run, remember what it would do)."""
        groups = self.groups(rows)
        if groups:
            if self.dry_run:
                plan = self._plan(groups)
                self.index.remember_households(
                    (kk, has_head, values) for kk, (has_head, values) in plan.overlay.items()
                )
            else:
                self.write(groups)

    @staticmethod
    def groups(rows: list[Row]) -> dict[str, list[Row]]:
        """The rows the parser accepted, by KK."""
        groups: dict[str, list[Row]] = {}
        for row in rows:
            if not row.status:
                groups.setdefault(row.kk, []).append(row)
        return groups

    def write(self, groups: dict[str, list[Row]], plan: _Plan | None = None) -> None:
        """Write a chunk in one transaction, planned in it unless ``plan`` was made before."""
        try:
            with transaction.atomic():
                self._apply(plan if plan is not None else self._plan(groups))
        except IntegrityError:
            # Someone changed the registry between our look-up and our write: redo this
            # chunk one household at a time so only the clashing households are refused.
            logger.warning("import chunk conflicted; retrying household by household")
            for kk, group in groups.items():
                for row in group:
                    row.status, row.reason = "", ""
                try:
                    with transaction.atomic():
                        self._apply(self._plan({kk: group}))
                except IntegrityError:
                    for row in group:
                        row.reject(str(MSG_CONFLICT))

    def _count(self, rows: list[Row]) -> None:
        summary = self.summary
        statuses = [row.status for row in rows]
        stored, updated = statuses.count(STORED), statuses.count(UPDATED)
        summary.rows += len(rows)
        summary.stored += stored
        summary.updated += updated
        summary.rejected += len(rows) - stored - updated
        if updated:
            summary.unchanged += sum(1 for row in rows if row.status == UPDATED and row.reason)
        sample = summary.rejected_sample
        if stored + updated < len(rows) and len(sample) < REJECTED_SAMPLE:
            for row in rows:
                if row.status != STORED and row.status != UPDATED:
                    sample.append(
                        {"row": row.number, "no_kk": row.kk, "nik": row.nik, "nama": row.name, "reason": row.reason}
                    )
                    if len(sample) >= REJECTED_SAMPLE:
                        break


def import_file(
    *,
    path: Path,
    actor,
    dry_run: bool = False,
    report_path: Path | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    rows_total: int | None = None,
    job_id: int | None = None,
    on_chunk: Callable[[ImportSummary], None] | None = None,
) -> ImportSummary:
    """Import a households file; with ``dry_run`` report what would happen and write nothing.

    ``actor`` None is the system (the CLI without --user). Raises ImportFileError when the file
    cannot be read at all (nothing is stored then) and PermissionDeniedError for a user without
    registry.import.
    """
    if actor is not None:
        require(actor, P.REGISTRY_IMPORT)
    path = Path(path)
    today = timezone.localdate()
    rts = {(rt.rw.number, rt.number): rt for rt in RT.objects.select_related("rw")}
    importer = _Importer(actor=actor, dry_run=dry_run, job_id=job_id, file_name=path.name)
    report = open(report_path, "w", newline="", encoding="utf-8") if report_path else None  # noqa: SIM115
    try:
        writer = csv.writer(report) if report else None
        if writer:
            writer.writerow(REPORT_HEADER)
        settings_for_writes = contextlib.nullcontext() if dry_run else _write_settings()
        with _fewer_collections(), HouseholdFile(path) as source, settings_for_writes:
            importer.summary.ignored_columns = list(source.layout.ignored)
            parser = Parser(source.layout, rts, today)
            background = pipeline.can_fork() and path.stat().st_size >= PIPELINE_MIN_BYTES

            def done(chunk: list[Row]) -> None:
                """A chunk is written (or rejected whole): count it and report it, in file order."""
                importer._count(chunk)
                if writer:
                    writer.writerows(
                        (r.number, r.kk, r.nik, r.name, r.status, r.reason if r.status != STORED else "")
                        for r in chunk
                    )
                if on_chunk:
                    on_chunk(importer.summary)
                if progress:
                    progress(importer.summary.rows, rows_total)

            with pipeline.chunks(source, parser, chunk_rows=CHUNK_ROWS, background=background) as chunks:
                if background and not dry_run and connection.vendor == "postgresql":
                    _write_behind(importer, chunks, done)
                else:
                    for chunk, blanks in chunks:
                        importer.summary.skipped_blank += blanks
                        if chunk:
                            importer.process(chunk)
                            done(chunk)
        summary = importer.summary
        if not dry_run:
            _audit_run(actor=actor, summary=summary, file_name=path.name, job_id=job_id)
        if report_path:
            Path(report_path).with_suffix(".json").write_text(json.dumps(summary.as_dict()), encoding="utf-8")
        return summary
    finally:
        if importer.index is not None:
            importer.index.close()
        if report:
            report.close()


def _write_behind(importer: _Importer, chunks: Iterator[tuple[list[Row], int]],
                  done: Callable[[list[Row]], None]) -> None:
    """Write each chunk in a thread of its own while this one receives and plans the next.

    On PostgreSQL most of a chunk's time is the server's (index entries, foreign-key checks at
    commit) while the importer waits for it; meanwhile the next chunk can be received from the
    parsing process and looked up. One chunk is written at a time, on the writing thread's own
    connection. The look-ups of the next chunk do not see the chunk being written, so a chunk
    that shares a KK with it (a family whose rows are not together in the file) is planned only
    after that one committed; NIKs never repeat between chunks (the parser rejects repeats). A
    clash with someone else's change is handled as without the thread (``_Importer.write``).
    """
    writer = _ChunkWriter(importer)
    in_flight: tuple[list[Row], set[str]] | None = None
    switch = sys.getswitchinterval()
    # The writing thread mostly waits for the database; when it wakes it should get the GIL
    # soon rather than after the default 5 ms of the planning thread's Python.
    sys.setswitchinterval(0.001)
    try:
        for chunk, blanks in chunks:
            importer.summary.skipped_blank += blanks
            if not chunk:
                continue
            groups = importer.groups(chunk)
            if in_flight is not None and (not groups or not in_flight[1].isdisjoint(groups)):
                writer.wait()
                done(in_flight[0])
                in_flight = None
            plan = importer._plan(groups) if groups else None
            if in_flight is not None:
                writer.wait()
                done(in_flight[0])
                in_flight = None
            if groups:
                writer.start(groups, plan)
                in_flight = (chunk, set(groups))
            else:
                done(chunk)
        if in_flight is not None:
            writer.wait()
            done(in_flight[0])
    finally:
        sys.setswitchinterval(switch)
        writer.close()


class _ChunkWriter:
    """A thread that writes planned chunks one at a time (``_Importer.write``) and reports back."""

    def __init__(self, importer: _Importer) -> None:
        self._importer = importer
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._results: queue.SimpleQueue = queue.SimpleQueue()
        self._busy = False
        self._thread = threading.Thread(target=self._work, name="bansos-import-writer", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        try:
            while (job := self._jobs.get()) is not None:
                try:
                    self._importer.write(*job)
                except BaseException as exc:  # noqa: BLE001 - raised again by wait() in the importing thread
                    self._results.put(exc)
                else:
                    self._results.put(None)
        finally:
            connection.close()  # this thread's own connection

    def start(self, groups: dict[str, list[Row]], plan: _Plan | None) -> None:
        self._jobs.put((groups, plan))
        self._busy = True

    def wait(self) -> None:
        """Wait for the chunk being written; raise what writing it raised."""
        if not self._busy:
            return
        self._busy = False
        error = self._results.get()
        if error is not None:
            raise error

    def close(self) -> None:
        """Let the chunk being written finish (only whole chunks are ever written), then stop."""
        if self._busy:
            self._busy = False
            self._results.get()  # after an error here: that error is being raised, not this one
        self._jobs.put(None)
        self._thread.join()


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector rarely, and never over what existed before the import.

    Every row allocates a few dozen containers; at the default threshold the collector runs
    every 700 of them and now and then walks every object of the process (Django, the app).
    That cost about a fifth of the import's time. The import's own objects do not form cycles
    that need collecting quickly, so collections run every 50,000 allocations instead, and the
    objects that were there before are frozen out of them (``gc.freeze``) until the end. The
    parsing process inherits both.
    """
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(_GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


@contextlib.contextmanager
def _write_settings() -> Iterator[None]:
    """SQLite only, for this connection while the import runs: checkpoint the WAL less often.

    Every chunk rewrites pages scattered over the NIK and name indexes; with the default
    checkpoint every 1,000 pages the same index pages are copied into the database file again
    and again. Durability is unchanged (synchronous stays as configured).
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA wal_autocheckpoint={_WAL_CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={int(before)}")


def _audit_run(*, actor, summary: ImportSummary, file_name: str, job_id: int | None) -> None:
    counts = summary.as_dict()
    counts.pop("rejected_sample")
    counts.pop("dry_run")
    with transaction.atomic():
        build_event(
            actor=actor, action="registry.import", object_type="registry.importjob",
            object_id=str(job_id or ""), object_label=file_name[:200],
            changes={"file": file_name, "import_job": job_id, **counts},
        ).save()


def read_summary(report_path: Path) -> dict[str, Any] | None:
    """The summary saved beside a report, or None when the import has not finished."""
    side = Path(report_path).with_suffix(".json")
    try:
        return json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
