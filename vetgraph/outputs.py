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

import contextlib
import errno
import json
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


def check_target(target: Path, *, folder: bool = False, force: bool = False) -> None:
    """Fail fast, before any work, when ``target`` clearly cannot be written: for a file, its
    folder is missing, or it is a folder; for an output folder, it is a file, or it holds files
    vetgraph did not write (see :func:`write_folder`). The write itself still checks
    everything; this only spares a long build that could not be saved."""
    target = Path(target)
    if folder:
        for place in (target, *target.parents):
            if place.exists() and not place.is_dir():
                raise OutputError(f"{place}: exists and is not a folder; nothing was written")
        _claimed_files(target, force=force)
        _refuse_foreign(target, {}, set(), force=force)
        return
    _check_parent(target)
    if target.is_dir():
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


#: The list of the files vetgraph wrote into an output folder. Only those are ever replaced or
#: removed by a later build; a folder without it is not vetgraph's to change.
MANIFEST = ".vetgraph-manifest.json"


def write_folder(
    target: Path, files: Mapping[str, bytes], *, force: bool = False, writer: str = "vetgraph"
) -> None:
    """Write ``files`` (relative name → bytes) into the folder ``target``, all or nothing.

    vetgraph never deletes or overwrites a file it did not write: the folder's manifest
    (:data:`MANIFEST`) lists what the previous build wrote, and only those files are replaced
    or, when a build no longer makes them, removed. A folder that holds files but no manifest
    is refused, unless ``force`` is given: then files named like an output are replaced and
    every other file is left as it is. Missing parent folders are created. ``writer`` (the
    program and its version) is recorded in the manifest.

    Everything is written in full to a staging folder first; the files then replace the old
    ones, and a failure (or Ctrl-C) at any point puts every old file back.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder; nothing was written")
    previous = _claimed_files(target, force=force)
    _refuse_foreign(target, files, previous, force=force)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _explain(exc, target) from None
    staging = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=".vetgraph-", suffix=".tmp", dir=target))
        one_sync = len(files) > _MANY and hasattr(os, "sync")
        for name, data in files.items():
            _write_new(staging / "new" / name, data, sync=not one_sync)
        manifest = _manifest_bytes(sorted(files), writer)
        _write_new(staging / "new" / MANIFEST, manifest, sync=not one_sync)
        if one_sync:
            os.sync()  # one flush for thousands of files, not one each (the site's pages)
        _swap_in(target, staging, [*files, MANIFEST], sorted(previous - set(files)))
    except OSError as exc:
        raise _explain(exc, target) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _claimed_files(target: Path, *, force: bool) -> set[str]:
    """The files an earlier build wrote into ``target`` (its manifest), or none."""
    manifest = target / MANIFEST
    if not manifest.is_file():
        return set()
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        if not all(isinstance(name, str) for name in listed):
            raise ValueError
    except (OSError, ValueError, KeyError, TypeError):
        if force:
            return set()
        raise OutputError(
            f"{manifest}: cannot be read as vetgraph's list of the files it wrote; "
            "nothing was written",
            hint="build into another folder, or pass --force to write here anyway "
            "(files named like an output are replaced; other files are left alone)",
        ) from None
    return {name for name in listed if _inside(target, name)}


def _inside(target: Path, name: str) -> bool:
    """A manifest entry that stays inside the folder (a damaged or hostile one may not)."""
    path = Path(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts


def _refuse_foreign(
    target: Path, files: Mapping[str, bytes], previous: set[str], *, force: bool
) -> None:
    """Refuse to write where that would replace a file vetgraph did not write."""
    if force or not target.is_dir():
        return
    if not (target / MANIFEST).exists() and any(target.iterdir()):
        raise OutputError(
            f"{target}: the folder holds files that vetgraph did not write; nothing was written",
            hint="build into a new or empty folder, or pass --force to write here anyway "
            "(files named like an output are replaced; other files are left alone)",
        )
    foreign = sorted(name for name in files if name not in previous and (target / name).exists())
    if foreign:
        shown = ", ".join(foreign[:3]) + (
            f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        )
        raise OutputError(
            f"{target}: {shown} would be replaced, but vetgraph did not write "
            f"{'it' if len(foreign) == 1 else 'them'}; nothing was written",
            hint="move them away, or pass --force to replace them",
        )


#: Above this many files, a folder is flushed to disk once (``os.sync``) rather than file by
#: file: fsync per file made writing the site's 4,500 pages take half a minute.
_MANY = 64


def _write_new(path: Path, data: bytes, *, sync: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        if sync:
            os.fsync(handle.fileno())
    os.chmod(path, 0o666 & ~_umask())  # outputs are for sharing


def _manifest_bytes(names: list[str], writer: str) -> bytes:
    document = {
        "about": "The files vetgraph wrote into this folder; a later build replaces or "
        "removes only these.",
        "written_by": writer,
        "files": names,
    }
    return (json.dumps(document, indent=2) + "\n").encode()


def _swap_in(target: Path, staging: Path, names: list[str], dropped: list[str]) -> None:
    """Move the staged files into ``target`` and the files they replace (and the outputs
    this build no longer makes) aside; on any failure, or Ctrl-C, undo every move."""
    moves: list[tuple[Path, Path]] = []  # (from, to), in the order done
    try:
        for index, name in enumerate([*names, *dropped]):
            final = target / name
            if final.exists() or final.is_symlink():
                aside = staging / "old" / str(index)
                aside.parent.mkdir(parents=True, exist_ok=True)
                os.replace(final, aside)
                moves.append((final, aside))
            if name in names:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / "new" / name, final)
                moves.append((staging / "new" / name, final))
    except BaseException:
        for origin, moved in reversed(moves):
            with contextlib.suppress(OSError):
                os.replace(moved, origin)
        raise
    _remove_empty_folders(target, dropped)


def _remove_empty_folders(target: Path, dropped: list[str]) -> None:
    """Folders left empty by outputs a build no longer makes (never ``target`` itself)."""
    for name in dropped:
        folder = (target / name).parent
        while folder != target and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


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
