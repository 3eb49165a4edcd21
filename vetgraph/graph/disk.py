"""Stores on disk: a graph loaded once into a folder, reopened read-only in milliseconds.

A store folder holds

* ``oxigraph/``: the Oxigraph (RocksDB) store, filled by the bulk loader with exactly what
  :func:`vetgraph.graph.build.load` makes (the ontology modules, the files, the claim index);
* ``origins.json``: the file each named graph came from (for file:line in findings), read
  only when a finding asks (at 10M triples it is 20 MB of JSON: reading it at every open
  cost a warm command 0.2 s);
* ``vetgraph.json``: what the quads do not say: the files read, in order, the number of
  quads, what the cache keyed the store by. It is written last: a folder without it holds
  no usable store;
* ``vetgraph.lock``: held (``fcntl.flock``) by the process writing the store, so that
  another process can tell a store being written from a finished one.

``vetgraph load FILES --store DIR`` writes one (:func:`create_store`); ``--store DIR``
reads one (:func:`open_store`). The cache (:mod:`vetgraph.graph.cache`) keeps its stores
in the same form. A finished store is never written again, so any number of processes may
read it at once.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
import traceback
from collections.abc import Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from vetgraph.errors import InputError, OutputError
from vetgraph.graph.store import KnowledgeGraph
from vetgraph.outputs import write_file

try:
    import fcntl
except ImportError:  # not POSIX (Windows): no locks, so no cache and no store being written
    fcntl = None  # type: ignore[assignment]

DATA, META, LOCK, ORIGINS = "oxigraph", "vetgraph.json", "vetgraph.lock", "origins.json"
#: Raised when what a store holds, or how, changes: older stores are then refused.
FORMAT = 2


class StoreError(InputError):
    """A store folder that cannot be read: missing, unfinished, damaged or being written."""


class StoreBusy(StoreError):
    """Another process holds the store's lock: it is writing the store."""


def write_store(
    folder: Path,
    data: Sequence[Path],
    *,
    with_ontology: bool = True,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Bulk-load the ontology and ``data`` into a new store in ``folder`` and write its
    ``vetgraph.json`` last; return what was written there (plus ``extra``).

    The bulk loader is not transactional: the caller builds in a folder of its own and
    removes it on failure. The store is closed before this returns.
    """
    from vetgraph.graph.build import fill

    kg = KnowledgeGraph(store=ox.Store(str(folder / DATA)))
    try:
        fill(kg, data, with_ontology=with_ontology, bulk=True)
        kg.store.flush()
        # Compact what the bulk loader and the transactions left in many files: a query
        # that scans reads far fewer (cq/budgets at 1M triples: 17 s before, 6.5 s after,
        # for 7.6 s once here; in memory it takes 0.4 s).
        kg.store.optimize()
    except BaseException as exc:
        # Close the store before the caller removes its folder: the frames of the error's
        # traceback hold it open otherwise (and RocksDB writes on until it is closed).
        del kg
        error: BaseException | None = exc
        while error is not None:  # the chain too: a parse error's frames hold the store
            traceback.clear_frames(error.__traceback__)
            error = error.__cause__ or error.__context__
        raise
    index: dict[Path, int] = {}
    for i, path in enumerate(kg.files):
        index.setdefault(path, i)
    meta = {
        "format": FORMAT,
        "with_ontology": with_ontology,
        "files": [str(path) for path in kg.files],
        "quads": len(kg.store),
        "created": time.time(),
        **(extra or {}),
    }
    origins = {iri: index[path] for iri, path in kg.origins.items()}
    del kg  # closes the store: it is reopened read-only, possibly under another name
    # Opened once more for writing, RocksDB deletes the write-ahead log the flush left
    # (a few MB for a small graph); a read-only open never would, and reads it each time.
    ox.Store(str(folder / DATA))
    write_file(folder / ORIGINS, json.dumps(origins, separators=(",", ":")).encode())
    write_file(folder / META, json.dumps(meta, indent=1).encode())
    return meta


def read_meta(folder: Path) -> dict[str, Any]:
    """The ``vetgraph.json`` of a store folder; a :class:`StoreError` if it is missing,
    unreadable or of another format."""
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(
            f"{folder}: not a finished vetgraph store (it has no {META})",
            hint=f"build it with: vetgraph load FILES --store {folder}",
        ) from None
    except (OSError, ValueError) as exc:
        raise StoreError(f"{folder}: the store's {META} is damaged ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise StoreError(
            f"{folder}: a store of another vetgraph version",
            hint=f"build it again with this version: vetgraph load FILES --store {folder}",
        )
    return meta


def open_store(folder: Path, *, files: Sequence[Path] | None = None) -> KnowledgeGraph:
    """Open a finished store read-only. ``files``: the paths to report the store's files
    under (the cache passes the paths as given today; a store reports those it was built
    from otherwise)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise StoreError(
            f"{folder}: no such store",
            hint=f"build one with: vetgraph load FILES --store {folder}",
        )
    if being_written(folder):
        raise StoreBusy(
            f"{folder}: another vetgraph process is writing this store",
            hint="wait until its `vetgraph load` has finished, then run this again",
        )
    meta = read_meta(folder)
    paths = [Path(p) for p in meta["files"]] if files is None else list(files)
    try:
        if len(paths) != len(meta["files"]):
            raise ValueError(f"{len(meta['files'])} files recorded, {len(paths)} given")
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"{folder}: the store's {META} is damaged ({exc})") from None
    if not (folder / ORIGINS).is_file():
        raise StoreError(f"{folder}: the store is damaged (it has no {ORIGINS})")
    try:
        store = ox.Store.read_only(str(folder / DATA))
        next(iter(store), None)  # reads a block: a store damaged at its start fails here
    except (OSError, RuntimeError) as exc:  # RocksDB's "Corruption: ..." is a RuntimeError
        raise StoreError(
            f"{folder}: the store is damaged ({exc})",
            hint=f"build it again: vetgraph load FILES --store {folder}",
        ) from None
    origins = StoredOrigins(folder / ORIGINS, paths)
    return KnowledgeGraph(store=store, origins=origins, files=paths, location=folder)


class StoredOrigins(MutableMapping[str, Path]):
    """A store's ``origins.json`` (named graph IRI -> the file it came from), read when first
    used: a command that reports no finding never reads it."""

    def __init__(self, path: Path, files: Sequence[Path]) -> None:
        self._path, self._files = path, list(files)
        self._read: dict[str, Path] | None = None

    def _origins(self) -> dict[str, Path]:
        if self._read is None:
            try:
                recorded = json.loads(self._path.read_text(encoding="utf-8"))
                self._read = {iri: self._files[i] for iri, i in recorded.items()}
            except (OSError, ValueError, AttributeError, IndexError, TypeError) as exc:
                raise StoreError(
                    f"{self._path.parent}: the store's {ORIGINS} is damaged ({exc})",
                    hint=f"build it again: vetgraph load FILES --store {self._path.parent}",
                ) from None
        return self._read

    def __getitem__(self, iri: str) -> Path:
        return self._origins()[iri]

    def __setitem__(self, iri: str, path: Path) -> None:
        self._origins()[iri] = path

    def __delitem__(self, iri: str) -> None:
        del self._origins()[iri]

    def __iter__(self) -> Iterator[str]:
        return iter(self._origins())

    def __len__(self) -> int:
        return len(self._origins())

    def __repr__(self) -> str:
        return f"StoredOrigins({str(self._path)!r})"


def being_written(folder: Path) -> bool:
    """Whether another process holds the store's lock (a shared lock is refused)."""
    if fcntl is None:
        return False
    try:
        fd = os.open(folder / LOCK, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@contextlib.contextmanager
def locked(path: Path, *, wait: float = 0.0) -> Iterator[bool]:
    """Hold an exclusive ``flock`` on ``path`` (created if needed) for the block; yields
    False, holding nothing, when another process kept it for ``wait`` seconds. Without
    ``fcntl`` (Windows) an OSError: the cache then reads in memory."""
    if fcntl is None:
        raise OSError("file locks (fcntl) are not available on this system")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline, pause = time.monotonic() + wait, 0.02
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(pause)
                pause = min(pause * 2, 0.25)
        yield True  # the lock goes with the file descriptor, closed below
    finally:
        os.close(fd)


def create_store(
    folder: Path, data: Sequence[Path], *, with_ontology: bool = True
) -> dict[str, Any]:
    """``vetgraph load --store``: build a store in ``folder``, a new or empty folder, holding
    its lock throughout. On failure nothing is left of it (a folder made here is removed)."""
    folder = Path(folder)
    made = not folder.exists()
    if not made and (not folder.is_dir() or any(folder.iterdir())):
        if folder.is_dir() and being_written(folder):
            raise StoreBusy(
                f"{folder}: another vetgraph process is writing this store",
                hint="wait until it has finished, or choose another --store folder",
            )
        raise OutputError(
            f"{folder}: exists and is not an empty folder; a store is built in a new one",
            hint=f"choose another --store folder, or delete this one first (rm -r {folder})",
        )
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"{folder}: cannot make the store's folder ({exc.strerror or exc})",
            hint="choose a folder in a place you can write to",
        ) from None
    try:
        with locked(folder / LOCK) as held:
            if not held or (folder / DATA).exists():
                raise StoreBusy(
                    f"{folder}: another vetgraph process is writing this store",
                    hint="wait until it has finished, or choose another --store folder",
                )
            try:
                return write_store(folder, data, with_ontology=with_ontology)
            except BaseException:
                _empty(folder, made)
                raise
    except OSError as exc:
        raise OutputError(f"{folder}: the store could not be written ({exc})") from None


def _empty(folder: Path, made: bool) -> None:
    """Remove what a failed :func:`create_store` wrote (the whole folder if it made it)."""
    if made:
        shutil.rmtree(folder, ignore_errors=True)
        return
    shutil.rmtree(folder / DATA, ignore_errors=True)
    for name in (META, ORIGINS, LOCK):
        (folder / name).unlink(missing_ok=True)
