"""Parse a households file in a second process while this one writes the rows to the database.

One import row costs about as much to read, parse and validate as to write, and Python runs one
of the two at a time per process. Where the platform can fork (Linux, the BSDs; not Windows or
macOS), a child process therefore reads and parses the file (``parsing.parsed_chunks``) and
sends each chunk through a pipe, while this process plans and writes the previous one. The pipe holds
little, so the child is never more than about one chunk ahead and memory stays flat.

The child only reads the file: it never touches the database (it lets go of the connections it
inherited without closing them, since closing would end the parent's session). Anything it
raises comes back through the pipe and is raised here; if this side stops (an error, Ctrl-C),
the child is stopped with it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import shutil
import signal
import sys
import tempfile
import traceback
from collections.abc import Iterator

from bansos.registry.importing.parsing import Parser, Row, parsed_chunks
from bansos.registry.importing.reader import HouseholdFile, ImportFileError
from bansos.registry.importing.seen import RunIndex

_CHUNK, _END, _FILE_ERROR, _CRASH = "chunk", "end", "file_error", "crash"
_STOP_TIMEOUT = 10  # seconds the child gets to notice that the pipe is closed


class ParserCrashed(RuntimeError):
    """The parsing process failed; its traceback is the message."""


def can_fork() -> bool:
    # Not on macOS either: its system libraries do not support fork() without exec().
    return os.name == "posix" and sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def chunks(source: HouseholdFile, parser: Parser, *, chunk_rows: int,
           background: bool) -> Iterator[Iterator[tuple[list[Row], int]]]:
    """The file's chunks as (rows, blank lines skipped), parsed here or, with ``background``, in a child."""
    if not background:
        index = RunIndex()
        try:
            yield parsed_chunks(source.rows(), parser, index, chunk_rows)
        finally:
            index.close()
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    workdir = tempfile.mkdtemp(prefix="bansos-import-")
    child = context.Process(
        target=_produce, args=(source, parser, chunk_rows, workdir, sender), name="bansos-import-parser",
        daemon=True,
    )
    child.start()
    sender.close()  # the child's copy is the only writer: end of file shows as EOF if it dies
    try:
        yield _receive(receiver, child)
    finally:
        receiver.close()  # a child still sending gets a broken pipe and stops
        child.join(_STOP_TIMEOUT)
        if child.is_alive():
            child.terminate()
            child.join()
        shutil.rmtree(workdir, ignore_errors=True)


def _receive(receiver, child) -> Iterator[tuple[list[Row], int]]:
    loads = pickle.loads
    while True:
        try:
            message = loads(receiver.recv_bytes())
        except EOFError:
            child.join(_STOP_TIMEOUT)
            raise ParserCrashed(f"import parser process ended unexpectedly (exit code {child.exitcode})") from None
        kind = message[0]
        if kind == _CHUNK:
            yield [Row(*wire) for wire in message[1]], message[2]
        elif kind == _END:
            return
        elif kind == _FILE_ERROR:
            raise ImportFileError(message[1], **message[2])
        else:
            raise ParserCrashed(message[1])


_kept_alive: list[object] = []


def _let_go_of_connections() -> None:
    """Make Django forget the parent's database connections without closing them.

    The child never queries; if a bug made it try, it would open a connection of its own
    instead of writing into the parent's session. The inherited connection objects are kept
    referenced so that no finaliser closes them (the child ends with os._exit).
    """
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        _kept_alive.append(conn.connection)
        conn.connection = None


def _produce(source: HouseholdFile, parser: Parser, chunk_rows: int, workdir: str, sender) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it and stops this process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _let_go_of_connections()
    dumps = pickle.dumps
    protocol = pickle.HIGHEST_PROTOCOL
    index = RunIndex(directory=workdir)
    try:
        try:
            for rows, blanks in parsed_chunks(source.rows(), parser, index, chunk_rows):
                sender.send_bytes(dumps((_CHUNK, [row.wire() for row in rows], blanks), protocol))
            message = (_END,)
        except ImportFileError as exc:
            message = (_FILE_ERROR, exc.message, exc.params)
        except Exception:  # noqa: BLE001 - reported to the parent, which raises it
            message = (_CRASH, traceback.format_exc())
        sender.send_bytes(dumps(message, protocol))
    except (BrokenPipeError, OSError):
        pass  # the parent stopped reading: it is shutting the import down
    finally:
        index.close()
        sender.close()
