"""Writing outputs safely: everything is written to a temporary sibling and moved into place,
so a failed run never leaves a half-written file or folder, and the previous good output
survives any failure.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> write_folder(d / "out", {"a.txt": b"hello"})
>>> (d / "out" / "a.txt").read_bytes()
b'hello'
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, cast

from vetgraph.errors import OutputError


def _explain(exc: OSError, target: Path) -> OutputError:
    if exc.errno == errno.ENOSPC:
        return OutputError(
            f"{target}: the disk is full; nothing was written", hint="free some space and retry"
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(
            f"{target}: cannot write there (permission denied or read-only); nothing was written",
            hint="choose another output location",
        )
    return OutputError(f"{target}: cannot write ({exc.strerror or exc}); nothing was written")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _check_parent(target: Path) -> Path:
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.exists():
        raise OutputError(
            f"{target}: the folder {parent} does not exist; nothing was written",
            hint="create it first, or choose an existing folder",
        )
    if not parent.is_dir():
        raise OutputError(f"{target}: {parent} is not a folder; nothing was written")
    return parent


def check_target(target: Path, *, folder: bool = False) -> None:
    """Fail fast, before any work, when ``target`` clearly cannot be written: its folder
    is missing, or it is a folder where a file is wanted (or the reverse). The write itself
    still checks everything; this only spares a long build that could not be saved."""
    target = Path(target)
    _check_parent(target)
    if folder and target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder; nothing was written")
    if not folder and target.is_dir():
        raise OutputError(f"{target}: is a folder, expected a file name")


def write_file(target: Path, data: bytes) -> None:
    """Write one file atomically (temporary file in the same folder, then rename)."""
    target = Path(target)
    parent = _check_parent(target)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder, expected a file name")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        raise _explain(exc, target) from None
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)


def write_folder(target: Path, files: Mapping[str, bytes]) -> None:
    """Write a whole folder atomically: build it beside ``target``, then swap it in."""
    target = Path(target)
    parent = _check_parent(target)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder; nothing was written")
    staging = old = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes 0700; outputs are for sharing
        for name, data in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            os.rmdir(old)
            os.replace(target, old)
        os.replace(staging, target)
        staging = None
    except OSError as exc:
        raise _explain(exc, target) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if old is not None:
            if not target.exists():  # failed or interrupted between the two renames
                os.replace(old, target)  # put the previous good output back
            else:
                shutil.rmtree(old, ignore_errors=True)


def write_files(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write several files into an existing folder, all or none.

    Every file is first written in full to a temporary sibling; only when all are
    written are they renamed into place, so a failure leaves none of them half-written
    and the folder's other files untouched.
    """
    folder = Path(folder)
    if not folder.exists():
        raise OutputError(
            f"{folder}: the folder does not exist; nothing was written",
            hint="create it first, or choose an existing folder",
        )
    if not folder.is_dir():
        raise OutputError(f"{folder}: is not a folder; nothing was written")
    staged: dict[Path, str] = {}
    try:
        for name, data in files.items():
            target = folder / name
            if target.is_dir():
                raise OutputError(f"{target}: is a folder, expected a file name")
            fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            staged[target] = tmp_name
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp_name, 0o666 & ~_umask())
        for target, tmp_name in list(staged.items()):
            os.replace(tmp_name, target)
            del staged[target]
    except OSError as exc:
        raise _explain(exc, folder) from None
    finally:
        for tmp_name in staged.values():
            Path(tmp_name).unlink(missing_ok=True)


class _Guarded:
    """A binary file whose write errors (disk full, ...) are output errors for people."""

    def __init__(self, handle: BinaryIO, target: Path) -> None:
        self._handle = handle
        self._target = target

    def write(self, data: bytes) -> int:
        try:
            return self._handle.write(data)
        except OSError as exc:
            raise _explain(exc, self._target) from None

    def flush(self) -> None:
        try:
            self._handle.flush()
        except OSError as exc:
            raise _explain(exc, self._target) from None


@contextmanager
def streamed_file(target: Path) -> Iterator[BinaryIO]:
    """A file written in parts, for answers too big to hold: it replaces ``target`` only
    when the block ends without an error; otherwise nothing is left and the previous file
    stays.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "answer.csv"
    >>> with streamed_file(path) as out:
    ...     _ = out.write(b"answer")
    >>> path.read_bytes()
    b'answer'
    """
    target = Path(target)
    parent = _check_parent(target)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder, expected a file name")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise _explain(exc, target) from None
    done = False
    try:
        with os.fdopen(fd, "wb") as handle:
            yield cast(BinaryIO, _Guarded(handle, target))
            try:
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as exc:
                raise _explain(exc, target) from None
        try:
            os.chmod(tmp_name, 0o666 & ~_umask())
            os.replace(tmp_name, target)
        except OSError as exc:
            raise _explain(exc, target) from None
        done = True
    finally:
        if not done:
            Path(tmp_name).unlink(missing_ok=True)
