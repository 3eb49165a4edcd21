"""Run work with a time limit that actually stops it: in a forked child process.

Oxigraph cannot cancel a query from Python: it evaluates in Rust with the GIL released and
checks no signals, so neither a signal handler nor a watchdog thread can stop it (a
``SIGALRM`` set for 1 s is handled only when the query returns, minutes later). So a query
with a time limit runs in a child made with ``fork()``: the child shares the loaded store
(copy-on-write: nothing is reloaded or copied; the fork takes about 1 ms at 6,000 triples
and 2 ms at 100,000), evaluates the query and writes the rendered answer into a pipe. The
parent copies the pipe to the output as it comes, so answers stream, and kills the child
(``SIGKILL``) at the deadline. An error in the child (a :class:`VetgraphError` with its exit
code, or a bug with its traceback) is sent back and raised again in the parent.

>>> import io
>>> out = io.BytesIO()
>>> run_with_deadline(lambda stream: stream.write(b"42\\n"), out, 5.0)
>>> out.getvalue()
b'42\\n'

Where ``fork()`` does not exist (Windows), the work runs in-process without a limit.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import time
import traceback
import warnings
from collections.abc import Callable
from typing import IO

from .errors import QueryTimeout

_CHUNK = 1 << 16
_MAX_REPORT = 60_000  # below a pipe's buffer: the child never blocks reporting its error


class ChildTraceback(Exception):
    """Where an error raised in the child came from (shown with ``--debug``)."""


def available() -> bool:
    return hasattr(os, "fork")


def run_with_deadline(
    work: Callable[[IO[bytes]], object],
    out: IO[bytes],
    seconds: float | None,
    *,
    what: str = "the query",
) -> None:
    """Run ``work(stream)`` in a child that writes to ``stream``; copy that to ``out``.

    Raises :class:`QueryTimeout` when ``seconds`` pass first (the child is killed), and
    whatever ``work`` raised in the child. ``seconds=None``: in-process, no limit.
    """
    if seconds is None or not available():
        work(out)
        return
    data_read, data_write = os.pipe()
    report_read, report_write = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork() in a process with threads: the child here only
        # evaluates a query and writes to a pipe, taking none of the locks other threads hold.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(data_read)
        os.close(report_read)
        _child(work, data_write, report_write)
    os.close(data_write)
    os.close(report_write)
    deadline = time.monotonic() + seconds
    written = 0
    status: int | None = None
    report = b""
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _kill(pid)
                incomplete = "; the output written before it stopped is incomplete"
                raise QueryTimeout(
                    f"{what} ran past its time limit of {seconds:g} s and was stopped"
                    + (incomplete if written else ""),
                    hint="give it more time with --timeout SECONDS (0: no limit), or narrow "
                    "it: fewer patterns to join, a LIMIT, a FILTER on a specific entity",
                )
            ready, _, _ = select.select([data_read], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(data_read, _CHUNK)
            if not chunk:
                break
            out.write(chunk)
            written += len(chunk)
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(data_read)
        status = _reap(pid)
        if status is not None:
            report = _read_all(report_read)
        os.close(report_read)
    _raise_reported(report)
    if status not in (None, 0):
        raise RuntimeError(f"{what} stopped: its process {_describe(status)}")


def _child(work: Callable[[IO[bytes]], object], data: int, report: int) -> None:
    code = 70
    try:
        # Ctrl-C reaches the whole process group: the child just stops, the parent explains.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        with os.fdopen(data, "wb", buffering=_CHUNK) as stream:
            work(stream)
        code = 0
    except BrokenPipeError:
        code = 0  # the parent stopped reading (its own reader went away)
    except BaseException as exc:
        try:
            _send(report, exc)
        finally:
            code = 1
    finally:
        os._exit(code)


def _send(report: int, exc: BaseException) -> None:
    text = "".join(traceback.format_exception(exc))[-_MAX_REPORT // 2 :]
    try:
        payload = pickle.dumps((exc, text))
    except Exception:  # an exception that does not pickle: keep its type name and message
        payload = pickle.dumps((RuntimeError(f"{type(exc).__name__}: {exc}"), text))
    if len(payload) > _MAX_REPORT:
        payload = pickle.dumps((RuntimeError(f"{type(exc).__name__}: {exc}"[:2000]), text))
    os.write(report, payload)


def _raise_reported(report: bytes) -> None:
    if not report:
        return
    exc, text = pickle.loads(report)  # our own child's report, through a private pipe
    raise exc from ChildTraceback(text.rstrip())


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, _CHUNK):
        chunks.append(chunk)
    return b"".join(chunks)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _reap(pid: int) -> int | None:
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return None


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        name = signal.Signals(number).name
        why = " (out of memory?)" if number == signal.SIGKILL else ""
        return f"was killed by signal {number} ({name}){why}"
    return f"exited with code {os.waitstatus_to_exitcode(status)}"
