"""A store on disk at scale (issue 17): everything a large graph costs, each part capped.

For each size, on the generated TriG file (``bench/run.py`` calls :func:`measure`), in
this order, so that a run stopped early has the figures that matter most:

* **bulk load**: ``vetgraph load DATA FILE --store DIR`` as a whole process (time and
  peak memory, ``wait4``'s ``ru_maxrss``), beside raw pyoxigraph's ``bulk_load`` of the
  file into a store on disk in a fresh process;
* **library queries** on that store, through vetgraph and through raw pyoxigraph on the
  same store, each query in a process of its own (``bench/store_query.py``) stopped at
  ``--query-cap`` seconds; both sides get the same cap, and a capped figure is a lower
  bound (marked ≥);
* ``vetgraph query countries --store DIR`` as a whole process: the first run after the
  load, the median of later runs, and raw pyoxigraph on the same store as a process;
* ``vetgraph serve --store DIR``: the time until it answers, then a few clients for a
  short while sending the queries that answered within a second on the store above
  (``bench/serve_load.py``'s clients);
* ``vetgraph validate --store DIR`` and ``vetgraph export -f FORMAT --store DIR`` for every
  format: time and peak memory, each stopped at ``--process-cap`` seconds or
  ``--memory-cap`` MiB (then reported as such, with the figure reached).

The page cache is warmed (every file of the store read once) before the queries, so that
the side that runs first does not pay for reading the disk.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import ROOT, child, log, vetgraph_command

#: The targets of issue 17 for the store on disk.
LOAD_PEAK_MIB = 2048
QUERIES_VS_RAW = 1.3
QUERY = "countries"
_RAW = (
    "import sys, pyoxigraph as ox\n"
    "store = ox.Store.read_only(sys.argv[1])\n"
    "answer = store.query(sys.argv[2], use_default_graph_as_union=True)\n"
    "answer.serialize(sys.stdout.buffer, ox.QueryResultsFormat.CSV)\n"
)


def capped_process(
    command: list[str], env: dict[str, str], cap_s: float, cap_mib: float
) -> dict[str, Any]:
    """A whole process: wall time, peak memory, exit code; ended (with its children) when it
    runs past ``cap_s`` seconds or its resident memory past ``cap_mib``."""
    start = time.perf_counter()
    child_process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=tempfile.gettempdir(),
        start_new_session=True,
    )
    stderr = child_process.stderr
    assert stderr is not None
    errors: list[bytes] = []

    def read() -> None:
        with stderr:
            errors.append(stderr.read())

    reader = threading.Thread(target=read)
    reader.start()
    capped, seen_mib = "", 0.0
    while True:
        pid, status, usage = os.wait4(child_process.pid, os.WNOHANG)
        if pid:
            break
        seen_mib = max(seen_mib, _rss_mib(child_process.pid))
        elapsed = time.perf_counter() - start
        if elapsed > cap_s or seen_mib > cap_mib:
            capped = "time" if elapsed > cap_s else "memory"
            os.killpg(child_process.pid, signal.SIGKILL)
            _pid, status, usage = os.wait4(child_process.pid, 0)
            break
        time.sleep(0.2)
    child_process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    reader.join()
    return {
        "command": shlex.join(["vetgraph", *command[1:]]),
        "seconds": seconds,
        "peak_mib": max(usage.ru_maxrss / 1024, seen_mib),
        "exit_code": child_process.returncode,
        "capped": capped,
        "error": b"".join(errors).decode(errors="replace").strip()[-300:],
    }


def _rss_mib(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, flags=re.M)
    return int(found[1]) / 1024 if found else 0.0


def measure(
    trig: Path, args: Any, folder: Path, save: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    """Everything above for one generated file; ``save`` gets the figures after each part
    (the caller writes a report then: a long run stopped early keeps what it measured).
    With ``--store-at DIR`` the store built by an earlier run is measured (no load)."""
    vetgraph = vetgraph_command()
    trig, folder = trig.resolve(), folder.resolve()
    result: dict[str, Any] = {"file_mb": trig.stat().st_size / 1e6, "caps": _caps(args)}
    skip = set(args.skip)
    with tempfile.TemporaryDirectory(prefix="store-bench-", dir=folder) as tmp:
        env = {**os.environ, "VETGRAPH_CACHE_DIR": str(Path(tmp) / "cache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: the bytecode is cached
        if args.store_at:
            store = Path(args.store_at).resolve()
            result["store_at"] = str(store)
        else:
            store = Path(tmp) / "store"
            result.update(_load(trig, store, vetgraph, env, args))
        result["store_mib"] = _mib(store)
        save(result)
        _read_through(store)
        fast = list(args.serve_queries or [])
        if "store-queries" not in skip:
            result["queries"] = []  # filled query by query, saved after each
            rows = result["queries"]
            capped_queries(store, args.query_cap, args.runs, rows, lambda: save(result))
            fast = fast or [q["name"] for q in rows if q["raw_s"] < 1.0 and not q["raw_capped"]]
        if "store-cli" not in skip:
            result["query_cli"] = query_cli(store, vetgraph, env, max(1, args.cli_runs))
            save(result)
        if "store-serve" not in skip:
            result["serve"] = serve(store, vetgraph, env, fast, args)
            save(result)
        if "store-processes" not in skip:
            result["validate"] = _validate(store, vetgraph, env, args)
            save(result)
            result["exports"] = []
            for fmt in _export_formats():
                result["exports"].append(_export(fmt, store, Path(tmp), vetgraph, env, args))
                save(result)
    return result


def _load(trig: Path, store: Path, vetgraph: list[str], env: dict[str, str], args: Any) -> dict:
    from vetgraph.graph import resources

    data = [str(p) for p in resources.data_files()]  # the library's example values
    log(f"store: vetgraph load --store ({trig.name})")
    load = capped_process(
        [*vetgraph, "load", *data, str(trig), "--store", str(store)], env, 4 * 3600, 1e9
    )
    load["command"] = f"vetgraph load data/*.trig {trig.name} --store DIR"
    log(f"store: loaded in {load['seconds']:.1f} s, peak {load['peak_mib']:.0f} MiB")
    if load["exit_code"] != 0:
        raise SystemExit(f"bench: vetgraph load --store failed: {load['error']}")
    found: dict[str, Any] = {"load": load}
    if "raw-load" not in args.skip:
        raw = store.parent / "raw"
        spec = {"method": "pyoxigraph-bulk", "path": str(trig), "store": str(raw)}
        found["raw_load"] = child("load", spec, timeout=args.child_timeout)
        _remove(raw)
    return found


def _export(
    fmt: str, store: Path, tmp: Path, vetgraph: list[str], env: dict[str, str], args: Any
) -> dict[str, Any]:
    out = tmp / f"export-{fmt}"
    out.mkdir()
    target = out if fmt == "csv" else out / f"graph.{fmt}"
    command = [*vetgraph, "export", "-f", fmt, "--store", str(store), "-o", str(target)]
    log(f"store: export {fmt}")
    row = capped_process(command, env, args.process_cap, args.memory_cap)
    row["command"] = f"vetgraph export -f {fmt} --store DIR -o " + (
        "FOLDER" if fmt == "csv" else f"graph.{fmt}"
    )
    row["bytes"] = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    _remove(out)
    return {"format": fmt, **row}


def _caps(args: Any) -> dict[str, float]:
    return {"query_s": args.query_cap, "process_s": args.process_cap, "memory_mib": args.memory_cap}


def _export_formats() -> list[str]:
    from vetgraph.cli.publish import EXPORT_FORMATS

    return EXPORT_FORMATS.split()


def _validate(store: Path, vetgraph: list[str], env: dict[str, str], args: Any) -> dict:
    log(f"store: vetgraph validate (capped at {args.process_cap:.0f} s, {args.memory_cap} MiB)")
    command = [*vetgraph, "validate", "--store", str(store), "--format", "json"]
    done = capped_process(command, env, args.process_cap, args.memory_cap)
    return {**done, "command": "vetgraph validate --store DIR"}


def _read_through(store: Path) -> None:
    """Read every file of the store once: both sides of each query then find it in memory."""
    for path in store.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                while handle.read(1 << 24):
                    pass


def _mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def _remove(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


# -- the queries ------------------------------------------------------------------------------


def capped_queries(
    store: Path,
    cap: float,
    runs: int,
    rows: list[dict[str, Any]],
    saved: Callable[[], None] = lambda: None,
) -> list[dict[str, Any]]:
    """Every library query (cq/, reports/) through vetgraph and raw, each side in a process
    of its own stopped at ``cap`` seconds (see ``bench/store_query.py``), added to ``rows``
    (``saved`` is called after each query)."""
    import json

    texts = bound_texts(store)
    log(f"store: {len(texts)} library queries, vetgraph and raw, each capped at {cap:.0f} s")
    for name, (kind, text, _form) in texts.items():
        row: dict[str, Any] = {"name": name, "kind": kind}
        for side in ("vetgraph", "raw"):
            spec = {"store": str(store), "name": name, "side": side, "text": text}
            spec.update(cap=cap, runs=runs)
            command = [sys.executable, "-m", "bench.store_query", json.dumps(spec)]
            done = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=cap + 600)
            if done.returncode != 0:
                error = done.stderr.decode(errors="replace").strip()[-300:]
                raise SystemExit(f"bench: {name} through {side} failed: {error}")
            answer = json.loads(done.stdout.decode().strip().splitlines()[-1])
            row[f"{side}_s"], row[f"{side}_capped"] = answer["seconds"], answer["capped"]
            row[f"{side}_rows"] = answer["rows"]
        row["rows"] = row["raw_rows"] if row["raw_rows"] is not None else row["vetgraph_rows"]
        row["vetgraph_vs_raw"] = row["vetgraph_s"] / row["raw_s"]
        log(
            f"  {name}: vetgraph {'≥' if row['vetgraph_capped'] else ''}{row['vetgraph_s']:.3f} s,"
            f" raw {'≥' if row['raw_capped'] else ''}{row['raw_s']:.3f} s"
        )
        rows.append(row)
        saved()
    return rows


def bound_texts(store: Path) -> dict[str, tuple[str, str, str]]:
    """name -> (kind, the text vetgraph runs with its example values bound, its form), for
    cq/ and reports/."""
    from vetgraph.graph.disk import open_store
    from vetgraph.sparql.backend import LocalBackend
    from vetgraph.sparql.library import load_library
    from vetgraph.sparql.running import prepare

    backend = LocalBackend(open_store(store))
    found = {}
    for query in load_library():
        if query.kind in ("cq", "reports"):
            params = {p.name: p.example for p in query.header.params if p.example}
            bound = prepare(query, params, backend=backend)
            found[query.name] = (query.kind, str(bound.text), str(bound.form))
    return found


def query_cli(store: Path, vetgraph: list[str], env: dict[str, str], runs: int) -> dict:
    """``vetgraph query countries --store DIR`` as whole processes, and raw pyoxigraph."""
    from bench.cache import process, repeated

    command = [*vetgraph, "query", QUERY, "--format", "csv", "--store", str(store)]
    log(f"store: whole `vetgraph query {QUERY} --store` ({runs} runs)")
    shown = f"vetgraph query {QUERY} --format csv --store DIR"
    first = {**process(command, env), "command": shown}
    warm = {**repeated(command, runs, env), "command": shown}
    text = bound_texts(store)[QUERY][1]
    raw = repeated([sys.executable, "-c", _RAW, str(store / "oxigraph"), text], runs, env)
    raw["command"] = "python -c <open read-only, query, CSV> DIR/oxigraph"
    return {"first": first, "warm": warm, "raw": raw}


# -- the server --------------------------------------------------------------------------------


def serve(store: Path, vetgraph: list[str], env: dict[str, str], fast: list[str], args: Any):
    """``vetgraph serve --store DIR``: seconds until it answers, then ``--serve-clients``
    clients for ``--serve-s`` seconds over the quick queries, and its exit on Ctrl-C."""
    from bench.serve_load import client_process, memory_mb, oxigraph_pid, percentile
    from vetgraph.sparql.server import free_port

    command = [*vetgraph, "serve", "--store", str(store), "--port", str(free_port())]
    log(f"store: vetgraph serve, {args.serve_clients} clients for {args.serve_s:.0f} s")
    start = time.perf_counter()
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    output: list[str] = []
    reader = threading.Thread(target=_drain, args=(server, output), daemon=True)
    reader.start()  # read on: a server whose pipe is full would stop answering
    while not any("Press Ctrl-C" in line for line in output) and server.poll() is None:
        time.sleep(0.02)
    started_s = time.perf_counter() - start
    found = re.search(r"SPARQL endpoint:\s+(\S+)", "".join(output))
    result: dict[str, Any] = {"start_s": started_s, "queries": fast}
    try:
        if found is None:
            reader.join(5)
            result["error"] = "".join(output)[-300:]
            return result
        texts = bound_texts(store)
        queries = [(name, texts[name][2], texts[name][1]) for name in fast]
        until = time.time() + args.serve_s
        answers = client_process(found[1], queries, args.serve_clients, 0, until)
        latencies = [seconds for _, seconds, error in answers if error is None]
        errors = [error for _, _, error in answers if error is not None]
        result.update(
            requests=len(answers),
            errors=len(errors),
            first_error=errors[0] if errors else "",
            throughput_per_s=len(answers) / args.serve_s,
            p50_ms=percentile(latencies, 50) * 1e3 if latencies else None,
            p99_ms=percentile(latencies, 99) * 1e3 if latencies else None,
            memory_mib=memory_mb(oxigraph_pid(server.pid)).get("VmHWM"),
        )
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGINT)
        try:
            result["exit_code"] = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            result["exit_code"] = server.wait()
        reader.join(5)
    return result


def _drain(server: subprocess.Popen, output: list[str]) -> None:
    assert server.stdout is not None
    with server.stdout:
        for line in server.stdout:
            output.append(line)
