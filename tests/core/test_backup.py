"""``bansos backup`` / ``bansos restore``: a round trip brings back every row, every audit event and
every uploaded file; a tampered, foreign or too new archive is refused with nothing changed.

The backup reads the database through its own connection (SQLite's backup API, pg_dump), so these
tests commit their data: they use the transactional database.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from bansos.core import backup as backup_module
from bansos.core.backup import BackupError, create_backup, restore_backup, verify_backup

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _needs_pg_tools():
    if connection.vendor == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore (postgresql-client) are not installed on this machine")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    (settings.MEDIA_ROOT / "imports").mkdir(parents=True)
    (settings.MEDIA_ROOT / "imports" / "warga.csv").write_text("nik,nama\n1,Budi\n", encoding="utf-8")
    (settings.MEDIA_ROOT / "foto.bin").write_bytes(bytes(range(256)) * 10)
    return settings.MEDIA_ROOT


@pytest.fixture
def registry(areas):
    """Two households made through the services (so with their audit events), by an admin."""
    from bansos.accounts.models import User
    from tests.factories import make_household

    admin = User.objects.create_user(username="admin", password="rahasia-uji-123", role="admin")
    return {
        "admin": admin,
        "h1": make_household(actor=admin, rt=areas["rt1"], head_name="Budi Santoso"),
        "h2": make_household(actor=admin, rt=areas["rt3"], head_name="Sri Wahyuni", female_head=True),
    }


def _counts() -> dict[str, int]:
    return backup_module._live_counts()


def _content_hash(model) -> str:
    rows = list(model.objects.order_by("pk").values_list())
    return hashlib.sha256(json.dumps(rows, default=str).encode("utf-8")).hexdigest()


def _hashes() -> dict[str, str]:
    from bansos.accounts.models import User
    from bansos.core.models import AuditEvent
    from bansos.registry.models import Household, Resident

    return {m._meta.label: _content_hash(m) for m in (Household, Resident, AuditEvent, User)}


def _audit_rows(up_to_id: int) -> list[tuple]:
    from bansos.core.models import AuditEvent

    return list(AuditEvent.objects.filter(pk__lte=up_to_id).order_by("pk").values_list())


def _repack(source: Path, target: Path, *, manifest=None, replace: dict[str, bytes] | None = None) -> Path:
    """A copy of the archive ``source`` with its manifest edited and/or members' bytes replaced."""
    with tarfile.open(source, "r:gz") as tar_in, tarfile.open(target, "w:gz") as tar_out:
        for member in tar_in.getmembers():
            data = tar_in.extractfile(member).read()
            if member.name == "manifest.json" and manifest:
                doc = json.loads(data)
                manifest(doc)
                data = json.dumps(doc).encode("utf-8")
            if replace and member.name in replace:
                data = replace[member.name]
            member.size = len(data)
            tar_out.addfile(member, io.BytesIO(data))
    return target


def _restore(path: Path, tmp_path: Path):
    folder = tmp_path / "unpacked"
    folder.mkdir(exist_ok=True)
    return restore_backup(verify_backup(path, folder))


def test_round_trip_brings_back_every_row_audit_event_and_file(registry, media, tmp_path):
    from bansos.core.models import AuditEvent
    from bansos.registry.models import Household, Resident
    from tests.factories import make_household

    before_counts = _counts()
    before_hashes = _hashes()
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    before_events = _audit_rows(last_event)
    assert before_counts["core_auditevent"] == len(before_events) >= 2

    result = create_backup(tmp_path / "b.tar.gz")
    assert result.path.is_file()
    assert result.manifest["database_vendor"] == connection.vendor
    assert result.manifest["tables"] == before_counts
    assert set(result.manifest["members"]) == {
        "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump",
        "files/imports/warga.csv", "files/foto.bin"}
    assert result.manifest["migrations"]["registry"].startswith("00")

    # Change, add and delete data and files after the backup.
    Household.objects.filter(pk=registry["h1"].pk).update(address="Jl. Lain No. 99")
    Resident.objects.filter(household=registry["h2"]).update(full_name="Diubah")
    make_household(actor=registry["admin"], rt=registry["h1"].rt, head_name="Joko Susilo")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
    (media / "imports" / "warga.csv").write_text("diubah", encoding="utf-8")
    (media / "foto.bin").unlink()
    (media / "baru.txt").write_text("tidak ada di cadangan", encoding="utf-8")
    assert _hashes() != before_hashes

    restored = _restore(result.path, tmp_path)

    assert restored.ok, restored.mismatched
    assert restored.extra_tables == []
    after_counts = _counts()
    # Everything as it was, plus the one event recording the restore itself.
    assert after_counts == {**before_counts, "core_auditevent": before_counts["core_auditevent"] + 1}
    assert _audit_rows(last_event) == before_events
    after_hashes = _hashes()
    for label in ("registry.Household", "registry.Resident", "accounts.User"):
        assert after_hashes[label] == before_hashes[label], label
    assert Household.objects.get(pk=registry["h1"].pk).address == "Jl. Duri Raya No. 12"
    assert (media / "imports" / "warga.csv").read_text(encoding="utf-8") == "nik,nama\n1,Budi\n"
    assert (media / "foto.bin").read_bytes() == bytes(range(256)) * 10
    assert not (media / "baru.txt").exists()


def test_backup_and_restore_are_audited_from_the_cli(registry, media, tmp_path, capsys):
    from bansos.core.models import AuditEvent

    path = tmp_path / "b.tar.gz"
    call_command("backup", output=path)
    made = AuditEvent.objects.get(action="backup.create")
    assert made.actor is None
    assert made.origin == {"channel": "cli", "command": "backup"}
    assert made.changes["file"] == str(path)
    assert made.changes["files"] == 2

    call_command("restore", str(path), yes=True)
    out = capsys.readouterr().out
    assert "checksums OK" in out
    assert "restored: every table holds the row count of the manifest" in out
    done = AuditEvent.objects.get(action="backup.restore")
    assert done.actor is None
    assert done.origin == {"channel": "cli", "command": "restore"}
    assert done.changes["mismatched_tables"] == []
    # The backup's own event came after the copy, so the restored database does not hold it.
    assert not AuditEvent.objects.filter(action="backup.create").exists()


def test_default_output_is_in_the_data_dirs_backups_folder(registry, media, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    result = create_backup()
    assert result.path.parent == tmp_path / "data" / "backups"
    assert result.path.name.startswith("bansos-backup-") and result.path.name.endswith(".tar.gz")
    assert result.path.stat().st_mode & 0o077 == 0


def _refused(path: Path, tmp_path: Path, message: str, media: Path):
    counts, hashes = _counts(), _hashes()
    files = sorted(p.relative_to(media).as_posix() for p in media.rglob("*"))
    folder = tmp_path / "check"
    folder.mkdir(exist_ok=True)
    with pytest.raises(BackupError, match=message):
        verify_backup(path, folder)
    with pytest.raises(CommandError, match="restore refused, nothing was changed"):
        call_command("restore", str(path), yes=True)
    assert _counts() == counts
    assert _hashes() == hashes
    assert sorted(p.relative_to(media).as_posix() for p in media.rglob("*")) == files


def test_a_tampered_database_is_refused(registry, media, tmp_path):
    good = create_backup(tmp_path / "good.tar.gz").path
    member = "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump"
    with tarfile.open(good) as tar:
        data = bytearray(tar.extractfile(member).read())
    data[len(data) // 2] ^= 0xFF
    bad = _repack(good, tmp_path / "bad.tar.gz", replace={member: bytes(data)})
    _refused(bad, tmp_path, f"checksum mismatch.*{member}", media)


def test_a_tampered_file_is_refused(registry, media, tmp_path):
    good = create_backup(tmp_path / "good.tar.gz").path
    bad = _repack(good, tmp_path / "bad.tar.gz", replace={"files/imports/warga.csv": b"nik,nama\n2,Palsu\n"})
    _refused(bad, tmp_path, "checksum mismatch.*files/imports/warga.csv", media)


def test_a_member_missing_from_the_manifest_is_refused(registry, media, tmp_path):
    good = create_backup(tmp_path / "good.tar.gz").path
    bad = _repack(good, tmp_path / "bad.tar.gz", manifest=lambda m: m["members"].pop("files/foto.bin"))
    _refused(bad, tmp_path, "does not match its manifest.*not listed: files/foto.bin", media)


def test_another_database_vendor_is_refused(registry, media, tmp_path):
    good = create_backup(tmp_path / "good.tar.gz").path
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    bad = _repack(good, tmp_path / "bad.tar.gz", manifest=lambda m: m.update(database_vendor=other))
    _refused(bad, tmp_path, f"backup is of a {other} database but this platform runs on {connection.vendor}",
             media)


def test_a_newer_migration_state_is_refused(registry, media, tmp_path):
    good = create_backup(tmp_path / "good.tar.gz").path
    bad = _repack(good, tmp_path / "bad.tar.gz",
                  manifest=lambda m: m["migrations"].update(registry="9999_from_the_future"))
    _refused(bad, tmp_path, "newer version of the platform.*registry.9999_from_the_future", media)


def test_an_older_migration_state_is_restored_and_migrate_is_asked_for(registry, media, tmp_path):
    good = create_backup(tmp_path / "good.tar.gz").path
    folder = tmp_path / "u"
    folder.mkdir()
    old = _repack(good, tmp_path / "old.tar.gz", manifest=lambda m: m["migrations"].pop("registry"))
    verified = verify_backup(old, folder)
    assert any(name.startswith("registry.") for name in verified.pending_migrations)
    assert verify_backup(good, tmp_path / "u2").pending_migrations == []


def test_something_that_is_not_a_backup_is_refused(registry, media, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"PK\x03\x04 not a tarball")
    _refused(junk, tmp_path, "not a readable backup archive", media)
    _refused(tmp_path / "missing.tar.gz", tmp_path, "does not exist", media)
    no_manifest = tmp_path / "nomanifest.tar.gz"
    with tarfile.open(no_manifest, "w:gz") as tar:
        info = tarfile.TarInfo("database.sqlite3")
        tar.addfile(info, io.BytesIO(b""))
    _refused(no_manifest, tmp_path, "has no manifest.json", media)


def test_an_archive_escaping_its_folder_is_refused(registry, media, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("../../escaped.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    _refused(evil, tmp_path, "not a readable backup archive", media)
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_restore_without_a_terminal_needs_yes(registry, media, tmp_path, monkeypatch):
    path = create_backup(tmp_path / "b.tar.gz").path
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    counts = _counts()
    with pytest.raises(CommandError, match="pass --yes"):
        call_command("restore", str(path))
    assert _counts() == counts


def test_missing_postgresql_tools_get_a_clear_message(monkeypatch):
    monkeypatch.setattr(backup_module.shutil, "which", lambda name: None)
    with pytest.raises(BackupError, match="pg_dump was not found on PATH; install the PostgreSQL client"):
        backup_module._pg_tool("pg_dump")
