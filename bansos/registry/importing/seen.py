"""What an import run has seen so far, kept on disk so memory does not grow with the file.

Two tables in a throwaway SQLite file: the first row number of every NIK in the file (to name the
earlier row of a duplicate), and, for a dry run only, the households the run would have created
or changed (a dry run writes nothing, yet later chunks must see what earlier ones would have done).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_BATCH = 500


class RunIndex:
    def __init__(self, directory: str | None = None) -> None:
        """Keep the index in ``directory`` (created if needed) or in a new temporary one; close() removes it."""
        if directory is None:
            directory = tempfile.mkdtemp(prefix="bansos-import-")
        else:
            Path(directory).mkdir(parents=True, exist_ok=True)
        self._dir = directory
        self._db = sqlite3.connect(str(Path(self._dir) / "seen.sqlite3"), isolation_level=None)
        self._db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-16000;"
            "CREATE TABLE nik (nik INTEGER PRIMARY KEY, row INTEGER NOT NULL);"
            "CREATE TABLE household (kk INTEGER PRIMARY KEY, has_head INTEGER NOT NULL, data TEXT NOT NULL);"
        )

    def close(self) -> None:
        self._db.close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> RunIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _select(self, sql: str, keys: list[int]) -> list[tuple[Any, ...]]:
        found: list[tuple[Any, ...]] = []
        for start in range(0, len(keys), _BATCH):
            part = keys[start:start + _BATCH]
            marks = ",".join("?" * len(part))
            found.extend(self._db.execute(sql.format(marks=marks), part).fetchall())
        return found

    def claim(self, pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
        """Remember (NIK, row) pairs, the first row per NIK winning; return NIK -> earlier row for those seen before.

        "Before" is an earlier call: rows come in file order, so a NIK kept with a row number
        below this call's first row was claimed earlier. One INSERT OR IGNORE per pair; only
        when some pair was ignored (a NIK repeated, rare) are the stored rows read back.
        """
        rows = [(int(nik), row) for nik, row in pairs]
        if not rows:
            return {}
        first_row = min(row for _nik, row in rows)
        with self._db:
            self._db.execute("BEGIN")
            before = self._db.total_changes
            self._db.executemany("INSERT OR IGNORE INTO nik (nik, row) VALUES (?, ?)", rows)
            if self._db.total_changes - before == len(rows):
                return {}
            stored = self._select("SELECT nik, row FROM nik WHERE nik IN ({marks})", [nik for nik, _row in rows])
        return {str(nik): row for nik, row in stored if row < first_row}

    def households(self, kks: Iterable[str]) -> dict[str, tuple[bool, dict[str, Any]]]:
        keys = [int(k) for k in set(kks)]
        rows = self._select("SELECT kk, has_head, data FROM household WHERE kk IN ({marks})", keys)
        return {f"{kk:016d}": (bool(has_head), json.loads(data)) for kk, has_head, data in rows}

    def remember_households(self, items: Iterable[tuple[str, bool, dict[str, Any]]]) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany(
            "INSERT OR REPLACE INTO household (kk, has_head, data) VALUES (?, ?, ?)",
                ((int(kk), int(has_head), json.dumps(data, default=str)) for kk, has_head, data in items),
            )
