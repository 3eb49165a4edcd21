"""The cache: your own files, loaded once into a store on disk, reopened at once afterwards.

``load(files, cache=True)`` (every ``--input`` of the CLI) looks for a store of exactly
these files in the cache folder (``platformdirs.user_cache_dir("vetgraph")``, or
``$VETGRAPH_CACHE_DIR``) and opens it read-only; the first time, it builds one with the
bulk loader. A store is keyed by the files' resolved paths and contents (SHA-256), the
bundled ontology's, the code that builds stores and Oxigraph's version: a changed file
makes another key, so a store is never served stale. A file's hash is kept with its size,
times and inode, and computed again only when one of them changes; a file changed less
than two seconds before it was hashed is hashed again next time (a second change could
keep the same times, as git's "racily clean" files).

Safe with several processes: a store is built in a folder of its own and renamed into
place whole, under a lock per key (``fcntl.flock``), so a second process started on the
same new file waits for the first (up to :data:`LOCK_WAIT_S`) and then reopens its store.
A cache that cannot be used (damaged, held too long by another process, on a read-only or
full disk) costs one line through ``notice`` and a load in memory, never the command; a
damaged store is built again.

Inputs under :data:`MIN_BYTES` in all are read in memory: that is as quick as opening a
store. Layout::

    <cache>/hashes.json              resolved path -> size, times, inode, SHA-256
    <cache>/stores/<key>/            a store folder (vetgraph.graph.disk)
    <cache>/stores/.building-<key>-* a store being built
    <cache>/locks/<key>.lock
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from vetgraph.errors import InputError, RDFSyntaxError
from vetgraph.graph import resources
from vetgraph.graph.disk import StoreError, locked, open_store, read_meta, write_store
from vetgraph.graph.store import KnowledgeGraph

ENV_DIR = "VETGRAPH_CACHE_DIR"
ENV_MIN_BYTES = "VETGRAPH_CACHE_MIN_BYTES"
#: Inputs smaller than this in all are read in memory (as quick as opening a store).
MIN_BYTES = 1_000_000
#: How long a process waits for another that is building the same store.
LOCK_WAIT_S = 60.0
#: A file changed this recently when hashed is hashed again next time (see above).
RACY_NS = 2_000_000_000
#: Part of every key: raise it when what a cached store holds changes.
KEY_FORMAT = 2

Notice = Callable[[str], None]


def _log_warning(message: str) -> None:
    import logging  # here: logging and its imports are 1.5 ms of every command

    logging.getLogger("vetgraph.cache").warning(message)


def cache_dir() -> Path:
    """The cache folder: ``$VETGRAPH_CACHE_DIR``, else the user's cache folder."""
    given = os.environ.get(ENV_DIR)
    if given:
        return Path(given).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("vetgraph"))


def min_bytes() -> int:
    try:
        return int(os.environ.get(ENV_MIN_BYTES, MIN_BYTES))
    except ValueError:
        return MIN_BYTES


def load_cached(
    data: Sequence[Path], *, with_ontology: bool = True, notice: Notice | None = None
) -> KnowledgeGraph:
    """The graph of the ontology and ``data``: from the cache, built there the first time,
    or read in memory when the cache cannot be used (with one line through ``notice``)."""
    tell = notice or _log_warning

    def say(message: str) -> None:
        tell(" ".join(message.split()))  # one line, whatever an error message held

    try:
        if sum(path.stat().st_size for path in data) < min_bytes():
            return _fresh(data, with_ontology)
    except OSError:
        return _fresh(data, with_ontology)  # which says what is wrong with the file
    root = cache_dir()
    try:
        key, identity = _key(root, data, with_ontology)
        return _open_or_build(root, key, identity, data, with_ontology, say)
    except RDFSyntaxError:
        raise
    except (OSError, RuntimeError, InputError) as exc:  # RocksDB's own errors: RuntimeError
        # Read in memory: a file at fault fails there with its own message; otherwise
        # the cache was (a read-only or full disk, ...) and the command goes on.
        kg = _fresh(data, with_ontology)
        say(f"the cache in {root} cannot be used ({_reason(exc)}); read {_names(data)} in memory")
        return kg


def _fresh(data: Sequence[Path], with_ontology: bool) -> KnowledgeGraph:
    from vetgraph.graph.build import fill

    kg = KnowledgeGraph()
    fill(kg, data, with_ontology=with_ontology)
    return kg


def _open_or_build(
    root: Path,
    key: str,
    identity: dict[str, Any],
    data: Sequence[Path],
    with_ontology: bool,
    say: Notice,
) -> KnowledgeGraph:
    stores = root / "stores"
    folder = stores / key
    files = [*resources.ontology_files(), *data] if with_ontology else list(data)
    with contextlib.suppress(StoreError):  # damaged: seen again below, under the lock
        return open_store(folder, files=files)
    (root / "locks").mkdir(parents=True, exist_ok=True)
    with locked(root / "locks" / f"{key}.lock", wait=LOCK_WAIT_S) as held:
        if not held:
            kg = _fresh(data, with_ontology)
            say(f"another vetgraph process is caching {_names(data)}; read it in memory")
            return kg
        if folder.exists():  # built meanwhile by another process, or damaged
            try:
                return open_store(folder, files=files)
            except StoreError as exc:
                say(f"the cached store of {_names(data)} is damaged ({exc.message}); rebuilding")
                _remove(folder)
        _build(stores, key, data, with_ontology, identity)
    _prune(stores, key, identity)
    return open_store(folder, files=files)


def _build(
    stores: Path, key: str, data: Sequence[Path], with_ontology: bool, identity: dict[str, Any]
) -> None:
    """Build the store in a folder of its own, then rename it into place whole."""
    stores.mkdir(parents=True, exist_ok=True)
    for leftover in stores.glob(f".building-{key}-*"):  # a build that was killed
        shutil.rmtree(leftover, ignore_errors=True)
    staging: Path | None = Path(tempfile.mkdtemp(prefix=f".building-{key}-", dir=stores))
    assert staging is not None
    try:
        write_store(staging, data, with_ontology=with_ontology, extra={"cache": identity})
        try:
            os.rename(staging, stores / key)
            staging = None
        except OSError:
            if not (stores / key).exists():
                raise
            # Another process built it too (its lock file was removed by `cache clear`).
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _prune(stores: Path, key: str, identity: dict[str, Any]) -> None:
    """Remove the stores of earlier versions of the same files (by the same paths)."""
    paths = [entry["path"] for entry in identity["inputs"]]
    for other in stores.iterdir():
        if other.name == key or other.name.startswith("."):
            continue
        try:
            cached = read_meta(other).get("cache", {})
            same = [entry["path"] for entry in cached.get("inputs", [])] == paths
        except (StoreError, AttributeError, KeyError, TypeError):
            continue
        if same:
            _remove(other)


def _remove(folder: Path) -> None:
    """Take a store away at once (renamed aside first), then delete it."""
    aside = folder.with_name(f".removing-{folder.name}-{os.getpid()}")
    try:
        os.rename(folder, aside)
    except OSError:
        aside = folder
    shutil.rmtree(aside, ignore_errors=True)


# -- keys ------------------------------------------------------------------------------------


def _key(root: Path, data: Sequence[Path], with_ontology: bool) -> tuple[str, dict[str, Any]]:
    """The store's key, and what it was made of (kept in the store for ``vetgraph cache``)."""
    ontology = list(resources.ontology_files()) if with_ontology else []
    found = _identify(root, [*ontology, *data])
    inputs = found[len(ontology) :]
    identity: dict[str, Any] = {
        "format": KEY_FORMAT,
        "code": _code_stamp(),
        "pyoxigraph": ox.__version__,
        "with_ontology": with_ontology,
        "ontology": [entry["sha256"] for entry in found[: len(ontology)]],
        "inputs": inputs,
    }
    text = json.dumps(
        {**identity, "inputs": [(e["path"], e["sha256"]) for e in inputs]}, sort_keys=True
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32], identity


def _code_stamp() -> list[int]:
    """The code that makes a store (the build, the store folder's form, the namespaces) by
    its files' sizes and times: a new vetgraph, or an edit, makes new stores. Cheaper than
    vetgraph's version from importlib.metadata, whose import alone takes 37 ms."""
    from vetgraph.graph import build, disk, namespaces

    stamp = []
    for module in (build, disk, namespaces):
        st = Path(str(module.__file__)).stat()
        stamp += [st.st_size, st.st_mtime_ns]
    return stamp


def _identify(root: Path, paths: Sequence[Path]) -> list[dict[str, Any]]:
    """Resolved path, size, mtime and SHA-256 of each file; a hash is reused while the
    file's size, times and inode are unchanged (``hashes.json``)."""
    memo_path = root / "hashes.json"
    try:
        memo = json.loads(memo_path.read_text(encoding="utf-8"))
        assert isinstance(memo, dict)
    except (OSError, ValueError, AssertionError):
        memo = {}
    changed = False
    found = []
    for path in paths:
        resolved = path.resolve()
        st = resolved.stat()
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        entry = memo.get(str(resolved))
        if isinstance(entry, dict) and entry.get("stamp") == stamp:
            digest = entry["sha256"]
        else:
            digest = _sha256(resolved)
            if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS:
                memo[str(resolved)] = {"stamp": stamp, "sha256": digest}
            else:
                memo.pop(str(resolved), None)
            changed = True
        found.append(
            {
                "path": str(resolved),
                "size": st.st_size,
                "mtime_ns": st.st_mtime_ns,
                "sha256": digest,
            }
        )
    if changed:
        _write_quietly(memo_path, json.dumps(memo, indent=0).encode())
    return found


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _write_quietly(path: Path, data: bytes) -> None:
    """Replace a file atomically; a cache that cannot be written only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        return


# -- messages -------------------------------------------------------------------------------


def _names(data: Sequence[Path]) -> str:
    return str(data[0]) if len(data) == 1 else f"{data[0]} and {len(data) - 1} more files"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, InputError):
        return exc.message
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


# -- listing and clearing -------------------------------------------------------------------


@dataclass(frozen=True)
class CachedStore:
    """One store in the cache, for ``vetgraph cache``."""

    folder: Path
    inputs: tuple[str, ...]
    bytes: int
    created: float
    quads: int
    state: str  # current | changed (a file changed since) | missing (a file is gone)


def list_stores(root: Path | None = None) -> list[CachedStore]:
    """The cache's stores, the most recent first."""
    stores = (root or cache_dir()) / "stores"
    found = []
    for folder in sorted(stores.iterdir()) if stores.is_dir() else []:
        if folder.name.startswith("."):
            continue
        try:
            meta = read_meta(folder)
            inputs = meta["cache"]["inputs"]
        except (StoreError, KeyError, TypeError):
            continue
        found.append(
            CachedStore(
                folder=folder,
                inputs=tuple(entry["path"] for entry in inputs),
                bytes=_size(folder),
                created=float(meta.get("created", 0)),
                quads=int(meta.get("quads", 0)),
                state=_state(inputs),
            )
        )
    return sorted(found, key=lambda s: -s.created)


def _state(inputs: list[dict[str, Any]]) -> str:
    for entry in inputs:
        try:
            st = Path(entry["path"]).stat()
        except OSError:
            return "missing"
        if (st.st_size, st.st_mtime_ns) != (entry["size"], entry["mtime_ns"]):
            return "changed"
    return "current"


def _size(folder: Path) -> int:
    total = 0
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):
                total += (Path(dirpath) / name).stat().st_size
    return total


def clear(root: Path | None = None) -> tuple[int, int]:
    """Delete every store (and the remembered hashes): the number of stores and bytes freed.
    A store being built is left to its builder."""
    root = root or cache_dir()
    stores = root / "stores"
    count = freed = 0
    for folder in sorted(stores.iterdir()) if stores.is_dir() else []:
        if folder.name.startswith(".building-"):
            continue
        size = _size(folder)
        _remove(folder)
        if not folder.exists():
            count += not folder.name.startswith(".")
            freed += size
    (root / "hashes.json").unlink(missing_ok=True)
    return count, freed
