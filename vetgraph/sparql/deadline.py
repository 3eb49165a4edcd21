"""Run work with a time limit that actually stops it.

Oxigraph cannot cancel a query from Python: it evaluates in Rust with the GIL released and
checks no signals, so a signal handler cannot interrupt it (a ``SIGALRM`` set for 1 s is
handled only when the query returns, minutes later) and no thread can stop another. What
does stop it is the end of the process it runs in. So:

* **When vetgraph owns the process** (the ``vetgraph`` command: :func:`own_process`), the
  query runs in a thread while the main thread waits; at the deadline the main thread
  raises :class:`QueryTimeout`, the command reports it, and the process ends at once
  (:func:`abandoned` tells ``cli.main`` to exit without waiting for the thread). This
  costs nothing measurable: a thread start.
* **When vetgraph is a guest** (the CLI called in-process, as the tests do), ending the
  process is not ours to do: the query runs in a child made with ``fork()``, which shares
  the loaded store (copy-on-write), evaluates the query and writes the rendered answer into
  a pipe; the parent copies the pipe to the output as it comes and kills the child
  (``SIGKILL``) at the deadline. Errors in the child (a :class:`VetgraphError` with its exit
  code, or a bug with its traceback) come back and are raised again. This costs a fork, an
  exit and the child's copy-on-write faults: 3 to 5 ms per query on the bundled graph,
  about 30 ms at 1.5 million triples (``python -m bench.query_timeout``).

Either way answers stream: rows are written as they are found.

>>> import io
>>> out = io.BytesIO()
>>> run_with_deadline(lambda stream: stream.write(b"42\\n"), out, 5.0)
>>> out.getvalue()
b'42\\n'

Where ``fork()`` does not exist (Windows) and vetgraph does not own the process, the work
runs in-process without a limit.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import threading
import time
import traceback
import warnings
from collections.abc import Callable
from typing import IO

from vetgraph.errors import QueryTimeout

_CHUNK = 1 << 16
_MAX_REPORT = 60_000  # below a pipe's buffer: the child never blocks reporting its error


class ChildTraceback(Exception):
    """Where an error raised in the child came from (shown with ``--debug``)."""


_OWNER: list[bool] = []  # set once by own_process()
_ABANDONED: list[threading.Thread] = []


def own_process() -> None:
    """Declare that vetgraph owns this process (the ``vetgraph`` command's entry point): a
    query past its deadline is then stopped by ending the process, not by a fork."""
    _OWNER[:] = [True]


def abandoned() -> bool:
    """Whether a query stopped at its deadline still runs in a thread (end the process)."""
    return any(thread.is_alive() for thread in _ABANDONED)


def available() -> bool:
    return bool(_OWNER) or hasattr(os, "fork")


def run_with_deadline(
    work: Callable[[IO[bytes]], object],
    out: IO[bytes],
    seconds: float | None,
    *,
    what: str = "the query",
) -> None:
    """Run ``work(out)``, stopping it when ``seconds`` have passed (see the module doc).

    Raises :class:`QueryTimeout` when the deadline comes first, and whatever ``work``
    raised. ``seconds=None``: in-process, no limit.
    """
    if seconds is None or not available():
        work(out)
    elif _OWNER:
        in_thread(work, out, seconds, what)
    else:
        in_child(work, out, seconds, what)


def _timeout(what: str, seconds: float, written: bool) -> QueryTimeout:
    incomplete = "; the output written before it stopped is incomplete"
    return QueryTimeout(
        f"{what} ran past its time limit of {seconds:g} s and was stopped"
        + (incomplete if written else ""),
        hint="give it more time with --timeout SECONDS (0: no limit), or narrow it: fewer "
        "patterns to join, a LIMIT, a FILTER on a specific entity",
    )


class _Counting:
    """An output that notes whether anything was written to it."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self.written = 0

    def write(self, data: bytes) -> int:
        self.written += len(data)
        return self._out.write(data)

    def flush(self) -> None:
        self._out.flush()


def in_thread(
    work: Callable[[IO[bytes]], object], out: IO[bytes], seconds: float, what: str
) -> None:
    """The work in a thread; past the deadline, :class:`QueryTimeout` (end the process)."""
    counting = _Counting(out)
    lock = threading.Lock()
    state = {"done": False, "given_up": False}
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work(counting)  # type: ignore[arg-type]
        except BaseException as exc:
            # Oxigraph's answers may be dropped only by the thread that made them: free the
            # frames' locals here, before the error goes anywhere.
            _clear_frames(exc)
            with lock:
                if not state["given_up"]:
                    failure.append(exc)
        finally:
            with lock:
                state["done"] = True

    thread = threading.Thread(target=run, name="vetgraph-query", daemon=True)
    thread.start()
    try:
        thread.join(seconds)
    finally:  # past the deadline, or interrupted (Ctrl-C): the process ends without it
        with lock:
            state["given_up"] = not state["done"]
        if state["given_up"]:
            _ABANDONED.append(thread)
    if state["given_up"]:  # the process ends with this error: see abandoned()
        raise _timeout(what, seconds, bool(counting.written))
    thread.join()
    if failure:
        raise failure.pop()


def _clear_frames(exc: BaseException | None) -> None:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        traceback.clear_frames(exc.__traceback__)
        if exc.__cause__ is not None:
            _clear_frames(exc.__cause__)
        exc = exc.__context__


def in_child(
    work: Callable[[IO[bytes]], object], out: IO[bytes], seconds: float, what: str
) -> None:
    """The work in a forked child, streamed back; past the deadline the child is killed."""
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
                raise _timeout(what, seconds, bool(written))
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
