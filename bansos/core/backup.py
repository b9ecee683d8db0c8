"""Back up and restore the whole platform: the database and the uploaded files, in one archive.

The archive is a tar.gz holding ``manifest.json``, the database (``database.sqlite3``, an online
copy made with SQLite's backup API, or ``database.pgdump``, ``pg_dump --format=custom``) and the
data directory's uploaded files under ``files/``. The manifest records when and from what the backup
was made (platform version, database vendor, the latest applied migration per app), the row count
of every table and the sha256 of every member, so that a restore can verify the archive and refuse
one it cannot apply before it touches anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

from bansos.core.audit import audit_log
from bansos.core.origin import origin

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
FILES_PREFIX = "files/"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what was (not) changed."""


# --- helpers ------------------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _latest_per_app(rows: list[tuple[str, str]]) -> dict[str, str]:
    """The latest applied migration per app (migration names start with their sequence number)."""
    latest: dict[str, str] = {}
    for app, name in rows:
        if app not in latest or name > latest[app]:
            latest[app] = name
    return dict(sorted(latest.items()))


def _sqlite_path() -> Path:
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:") and "mode=memory" in name:
        raise BackupError("the SQLite database is in memory; only a database file can be backed up "
                          "or restored")
    return Path(name)


def _sqlite_timeout() -> float:
    return float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 20))


def _pg_env() -> dict[str, str]:
    """libpq's environment for the database Django is connected to (the password never on a command line)."""
    conf = connection.settings_dict
    env = dict(os.environ)
    for key, value in (("PGHOST", conf.get("HOST")), ("PGPORT", conf.get("PORT")),
                       ("PGUSER", conf.get("USER")), ("PGPASSWORD", conf.get("PASSWORD")),
                       ("PGDATABASE", conf.get("NAME"))):
        if value:
            env[key] = str(value)
    sslmode = (conf.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} was not found on PATH; install the PostgreSQL client tools "
                          f"(Debian/Ubuntu: apt-get install postgresql-client) matching the server's version")
    return path


def _table_counts(cursor, tables: list[str], quote) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_facts(path: Path) -> tuple[dict[str, int], dict[str, str]]:
    """Row counts and migration state of a SQLite database file."""
    con = sqlite3.connect(path)
    try:
        cursor = con.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        tables = [row[0] for row in cursor.fetchall()]
        counts = _table_counts(cursor, tables, _sqlite_quote)
        migrations = {}
        if "django_migrations" in tables:
            cursor.execute("SELECT app, name FROM django_migrations")
            migrations = _latest_per_app(cursor.fetchall())
        return counts, migrations
    finally:
        con.close()


_PG_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"


def _live_counts() -> dict[str, int]:
    """Row counts of the tables of the database Django is connected to, now."""
    if connection.vendor == "sqlite":
        return _sqlite_facts(_sqlite_path())[0]
    with connection.cursor() as cursor:
        cursor.execute(_PG_TABLES)
        tables = [row[0] for row in cursor.fetchall()]
        return _table_counts(cursor, tables, connection.ops.quote_name)


# --- backup -------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]

    @property
    def total_rows(self) -> int:
        return sum(self.manifest["tables"].values())


def default_backup_path(now: dt.datetime | None = None) -> Path:
    now = now or dt.datetime.now()
    return Path(settings.DATA_DIR) / "backups" / f"bansos-backup-{now:%Y%m%d-%H%M%S}.tar.gz"


def _dump_sqlite(target: Path) -> tuple[dict[str, int], dict[str, str]]:
    source_path = _sqlite_path()
    if not source_path.exists():
        raise BackupError(f"the database file {source_path} does not exist")
    # The backup API copies a consistent snapshot while the server and the worker keep writing
    # (WAL: readers do not block writers); pages=-1 copies everything under one read transaction.
    source = sqlite3.connect(source_path, timeout=_sqlite_timeout())
    copy = sqlite3.connect(target)
    try:
        source.backup(copy, pages=-1)
        # One self-contained file in the archive, no -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()
    # Counted in the copy itself, so the manifest describes exactly what the archive holds.
    return _sqlite_facts(target)


def _dump_postgresql(target: Path) -> tuple[dict[str, int], dict[str, str]]:
    pg_dump = _pg_tool("pg_dump")
    # Count rows inside a REPEATABLE READ transaction and let pg_dump share its snapshot, so the
    # counts in the manifest are exactly those of the dump even while the platform keeps writing.
    live = connections["default"]
    snap = type(live)(dict(live.settings_dict), alias=live.alias)
    try:
        snap.ensure_connection()
        raw = snap.connection
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            cursor.execute(_PG_TABLES)
            tables = [row[0] for row in cursor.fetchall()]
            counts = _table_counts(cursor, tables, connection.ops.quote_name)
            migrations = {}
            if "django_migrations" in tables:
                cursor.execute("SELECT app, name FROM django_migrations")
                migrations = _latest_per_app(cursor.fetchall())
        result = subprocess.run(
            [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot_id}", f"--file={target}"],
            env=_pg_env(), capture_output=True, text=True,
        )
        raw.rollback()
    finally:
        snap.close()
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return counts, migrations


def _media_files() -> Iterator[tuple[Path, str]]:
    """(path on disk, name in the archive) of every uploaded file in the data directory."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, FILES_PREFIX + path.relative_to(root).as_posix()


def create_backup(output: Path | None = None) -> BackupResult:
    """Write a verified archive of the database and the uploaded files to ``output``."""
    from bansos import __version__

    output = Path(output) if output else default_backup_path()
    output.parent.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"cannot back up a {vendor} database")
    with tempfile.TemporaryDirectory(prefix="bansos-backup-", dir=output.parent) as work:
        work_dir = Path(work)
        member = SQLITE_MEMBER if vendor == "sqlite" else PG_MEMBER
        db_file = work_dir / member
        counts, migrations = _dump_sqlite(db_file) if vendor == "sqlite" else _dump_postgresql(db_file)
        checksums = {member: _sha256_file(db_file)}
        # Written under a temporary name and renamed at the end: a crash never leaves a file
        # with the backup's name that is only half an archive.
        partial = work_dir / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(db_file, arcname=member)
            for path, name in _media_files():
                # Hashed from a private copy, so the checksum is of exactly the bytes archived even
                # if the file is replaced meanwhile.
                copy = work_dir / "media.tmp"
                shutil.copyfile(path, copy)
                checksums[name] = _sha256_file(copy)
                tar.add(copy, arcname=name)
                copy.unlink()
            manifest = {
                "format": FORMAT,
                "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "platform_version": __version__,
                "database_vendor": vendor,
                "migrations": migrations,
                "tables": counts,
                "members": checksums,
            }
            data = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(dt.datetime.now().timestamp())
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(data))
        os.chmod(partial, 0o600)  # personal data: readable by the platform's account only
        os.replace(partial, output)
    with origin(channel="cli", command="backup"):
        audit_log(actor=None, action="backup.create", object_type="backup", object_label=output.name,
                  changes={"file": str(output), "database_vendor": vendor, "rows": sum(counts.values()),
                           "files": len(checksums) - 1})
    return BackupResult(path=output, manifest=manifest)


# --- restore ------------------------------------------------------------------------------------


@dataclass
class VerifiedBackup:
    """An archive unpacked into ``folder`` whose checksums and manifest were checked."""

    path: Path
    folder: Path
    manifest: dict[str, Any]
    pending_migrations: list[str] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(self.manifest["tables"].values())


def _unpack(path: Path, folder: Path) -> None:
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar.getmembers():
                if not (member.isfile() or member.isdir()):
                    raise BackupError(f"the archive holds {member.name!r}, which is not a plain file")
            # The "data" filter refuses absolute paths, ".." and links leaving the folder.
            tar.extractall(folder, filter="data")
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, BackupError):
            raise
        raise BackupError(f"{path} is not a readable backup archive: {exc}") from None


def _check_migrations(recorded: dict[str, str]) -> list[str]:
    """Refuse a backup made by newer code; return the code's migrations the backup lacks."""
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    unknown = [f"{app}.{name}" for app, name in recorded.items() if (app, name) not in graph.nodes]
    if unknown:
        raise BackupError("the backup was made by a newer version of the platform (migrations this code "
                          f"does not know: {', '.join(sorted(unknown))}); upgrade the platform first, "
                          "then restore")
    # An older backup is fine: `bansos migrate` brings it up to date after the restore.
    return sorted(f"{app}.{leaf}" for app, leaf in graph.leaf_nodes() if recorded.get(app) != leaf)


def verify_backup(path: Path, folder: Path) -> VerifiedBackup:
    """Unpack ``path`` into ``folder`` and check it; raises BackupError before anything is changed."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    _unpack(path, folder)
    manifest_file = folder / MANIFEST
    if not manifest_file.is_file():
        raise BackupError(f"{path} has no {MANIFEST}; it is not a backup made by `bansos backup`")
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        members = dict(manifest["members"])
        tables = {str(k): int(v) for k, v in manifest["tables"].items()}
        vendor = str(manifest["database_vendor"])
        migrations = {str(k): str(v) for k, v in manifest["migrations"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupError(f"the manifest of {path} cannot be read: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r} is not supported (expected {FORMAT})")
    manifest["tables"] = tables
    if vendor != connection.vendor:
        raise BackupError(f"the backup is of a {vendor} database but this platform runs on "
                          f"{connection.vendor}; "
                          "a backup can only be restored into the same kind of database")
    expected_db = SQLITE_MEMBER if vendor == "sqlite" else PG_MEMBER
    if expected_db not in members:
        raise BackupError(f"the manifest lists no {expected_db}")
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {MANIFEST}
    extra = sorted(present - set(members))
    missing = sorted(set(members) - present)
    if extra or missing:
        raise BackupError("the archive does not match its manifest"
                          + (f"; missing: {', '.join(missing)}" if missing else "")
                          + (f"; not listed: {', '.join(extra)}" if extra else ""))
    bad = [name for name, digest in sorted(members.items()) if _sha256_file(folder / name) != digest]
    if bad:
        raise BackupError(f"checksum mismatch, the archive was changed or damaged: {', '.join(bad)}")
    if vendor == "sqlite":
        con = sqlite3.connect(folder / SQLITE_MEMBER)
        try:
            check = con.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            check = str(exc)
        finally:
            con.close()
        if check != "ok":
            raise BackupError(f"the database in the backup is damaged: {check}")
    pending = _check_migrations(migrations)
    return VerifiedBackup(path=path, folder=folder, manifest=manifest, pending_migrations=pending)


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    mismatched: dict[str, tuple[int, int | None]]  # table: (in the manifest, now)
    extra_tables: list[str]
    files: int
    pending_migrations: list[str]

    @property
    def ok(self) -> bool:
        return not self.mismatched


def _restore_sqlite(source_file: Path) -> None:
    live = _sqlite_path()
    live.parent.mkdir(parents=True, exist_ok=True)
    connections.close_all()
    # The verified copy replaces the live database through the backup API in one write transaction:
    # other connections (the server, the worker) see either the old or the new database, never a
    # mix, and a crash part-way rolls back to the old one. Renaming a file over a database that
    # is open in WAL mode would instead pair the new file with the old -wal file.
    source = sqlite3.connect(source_file)
    target = sqlite3.connect(live, timeout=_sqlite_timeout())
    try:
        source.backup(target, pages=-1)
    except sqlite3.Error as exc:
        raise BackupError(f"the database could not be replaced, it is unchanged: {exc}") from None
    finally:
        target.close()
        source.close()


def _restore_postgresql(dump_file: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    connections.close_all()
    env = _pg_env()
    # Waiting forever behind a long transaction of the running server helps no one: give up with
    # the database unchanged instead.
    env["PGOPTIONS"] = (env.get("PGOPTIONS", "") + " -c lock_timeout=60s").strip()
    result = subprocess.run(
        [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
         "--exit-on-error", "--no-password", f"--dbname={env.get('PGDATABASE', '')}", str(dump_file)],
        env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise BackupError("pg_restore failed; its single transaction was rolled back, the database is "
                          "unchanged: " + result.stderr.strip())


def _restore_files(folder: Path) -> int:
    """Put the archived uploads in place of the current ones (swapped by renaming whole folders)."""
    source = folder / FILES_PREFIX.rstrip("/")
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    incoming = media.with_name(media.name + ".restoring")
    old = media.with_name(media.name + ".before-restore")
    shutil.rmtree(incoming, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, incoming)
    else:
        incoming.mkdir()
    shutil.rmtree(old, ignore_errors=True)
    if media.exists():
        os.replace(media, old)
    os.replace(incoming, media)
    shutil.rmtree(old, ignore_errors=True)
    return sum(1 for p in media.rglob("*") if p.is_file())


def restore_backup(verified: VerifiedBackup) -> RestoreResult:
    """Replace the database and the uploaded files with those of a verified backup."""
    from django.contrib.contenttypes.models import ContentType

    vendor = verified.manifest["database_vendor"]
    if vendor == "sqlite":
        _restore_sqlite(verified.folder / SQLITE_MEMBER)
    else:
        _restore_postgresql(verified.folder / PG_MEMBER)
    ContentType.objects.clear_cache()
    try:
        files = _restore_files(verified.folder)
    except OSError as exc:
        raise BackupError(f"the database WAS restored, but the uploaded files could not be put in place "
                          f"({exc}); copy the files/ folder of the archive into {settings.MEDIA_ROOT} "
                          "by hand") from None
    expected = verified.manifest["tables"]
    now = _live_counts()
    mismatched = {t: (n, now.get(t)) for t, n in expected.items() if now.get(t) != n}
    extra = sorted(set(now) - set(expected))
    with origin(channel="cli", command="restore"):
        audit_log(actor=None, action="backup.restore", object_type="backup", object_label=verified.path.name,
                  changes={"file": str(verified.path),
                           "backup_created_at": verified.manifest.get("created_at"),
                           "rows": sum(expected.values()), "files": files,
                           "mismatched_tables": sorted(mismatched)})
    return RestoreResult(manifest=verified.manifest, mismatched=mismatched, extra_tables=extra, files=files,
                         pending_migrations=verified.pending_migrations)
