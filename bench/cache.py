"""The cache and stores on disk (issue 17): what a researcher's own file costs the second time.

For each size, on the generated TriG file (``bench/run.py`` calls :func:`measure`):

* ``vetgraph query countries --format csv --input FILE`` as a whole process, in an empty
  cache folder: **cold** (the first run, which builds the cached store), **warm** (the
  median of later runs) and with ``--no-cache`` (reading the file, as before the cache);
* **raw pyoxigraph** on the same cached store as a whole process (Python, open the store
  read-only, the same query text, CSV to stdout): the floor of the warm command;
* ``vetgraph load DATA FILE --store DIR`` (the bundled data too, so that the library's
  example values are found) as a whole process: time and peak memory (the process's own
  ``ru_maxrss``), beside raw pyoxigraph's ``bulk_load`` of the file into a store on disk
  in a fresh process;
* every library query on that store, through vetgraph and through raw pyoxigraph on the
  same store (``bench.child``'s ``queries`` task, given the store; one run after the
  warm-up, as a query that scans takes seconds from disk).

Once (:func:`overhead`): what the cache adds to loading the bundled graph, in one process
(``load(files, cache=True)`` against ``load(files)``, interleaved, medians), and what
reopening it from a store would cost (the cache reads inputs under 1 MB in memory).
"""

from __future__ import annotations

import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: The targets of issue 17.
WARM_QUERY_S = 0.5
WARM_VS_RAW = 1.2
OVERHEAD_MS = 20.0
LOAD_PEAK_MIB = 2048
QUERIES_VS_RAW = 1.3

QUERY = "countries"
_RAW = (
    "import sys, pyoxigraph as ox\n"
    "store = ox.Store.read_only(sys.argv[1])\n"
    "answer = store.query(sys.argv[2], use_default_graph_as_union=True)\n"
    "answer.serialize(sys.stdout.buffer, ox.QueryResultsFormat.CSV)\n"
)


def process(command: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """One whole process: wall time, exit code, the size of its output, its last error."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tempfile.gettempdir()
    )
    out, err = child.communicate()
    return {
        "seconds": time.perf_counter() - start,
        "exit_code": child.returncode,
        "output_bytes": len(out),
        "error": err.decode(errors="replace").strip()[-300:],
    }


def peak_process(command: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """One whole process with its own peak memory (``wait4``'s ``ru_maxrss``, Linux: KiB)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=tempfile.gettempdir(),
    )
    assert child.stderr is not None
    with child.stderr:
        err = child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": time.perf_counter() - start,
        "peak_mib": usage.ru_maxrss / 1024,
        "exit_code": child.returncode,
        "error": err.decode(errors="replace").strip()[-300:],
    }


def repeated(command: list[str], runs: int, env: dict[str, str]) -> dict[str, Any]:
    """The median of ``runs`` whole processes after a warm-up one."""
    done = [process(command, env) for _ in range(runs + 1)][1:]
    return {
        "command": shlex.join(["vetgraph", *command[1:]]),
        "seconds": statistics.median(r["seconds"] for r in done),
        "min_s": min(r["seconds"] for r in done),
        "exit_code": done[-1]["exit_code"],
        "error": done[-1]["error"] if done[-1]["exit_code"] else "",
        "runs": runs,
    }


def measure(trig: Path, args: Any, folder: Path) -> dict[str, Any]:
    """Everything above for one generated file; temporary stores live beside it."""
    from bench.run import child, log, vetgraph_command
    from vetgraph.graph import resources

    vetgraph = vetgraph_command()
    runs = max(1, args.cli_runs)
    trig, folder = trig.resolve(), folder.resolve()  # the commands run in another folder
    with tempfile.TemporaryDirectory(prefix="cache-bench-", dir=folder) as tmp:
        env = {**os.environ, "VETGRAPH_CACHE_DIR": str(Path(tmp) / "cache")}
        env["VETGRAPH_CACHE_MIN_BYTES"] = "0"  # a small size is cached too: it is measured
        command = [*vetgraph, "query", QUERY, "--format", "csv", "--input", str(trig)]
        log(f"cache: cold and warm `vetgraph query {QUERY} --input` ({runs} runs)")
        cold = {"command": shlex.join(["vetgraph", *command[1:]]), **process(command, env)}
        warm = repeated(command, runs, env)
        no_cache = repeated([*command, "--no-cache"], max(1, min(runs, args.runs)), env)
        log(
            f"cache: cold {cold['seconds']:.2f} s, warm {warm['seconds']:.3f} s, "
            f"--no-cache {no_cache['seconds']:.2f} s"
        )
        [cached] = (Path(tmp) / "cache" / "stores").iterdir()
        text = _query_text(cached)
        raw = repeated([sys.executable, "-c", _RAW, str(cached / "oxigraph"), text], runs, env)
        raw["command"] = f"python -c <open read-only, query, CSV> {cached.name}/oxigraph"
        log("cache: vetgraph load --store, and raw pyoxigraph bulk_load into a store on disk")
        store = Path(tmp) / "store"
        data = [str(p) for p in resources.data_files()]  # the library's example values
        load = peak_process([*vetgraph, "load", *data, str(trig), "--store", str(store)], env)
        load["command"] = f"vetgraph load data/*.trig {trig.name} --store DIR"
        raw_load = child(
            "load",
            {"method": "pyoxigraph-bulk", "path": str(trig), "store": str(Path(tmp) / "raw")},
            timeout=args.child_timeout,
        )
        log(
            f"cache: load --store {load['seconds']:.1f} s, peak {load['peak_mib']:.0f} MiB; raw "
            f"bulk_load {raw_load.get('seconds', float('nan')):.1f} s, "
            f"{raw_load.get('peak_mib', float('nan')):.0f} MiB"
        )
        log("cache: library queries on the store on disk, vetgraph and raw pyoxigraph")
        spec = {"store": str(store), "runs": 1, "exports": False, "checks": False}
        spec["paths"] = ["vetgraph", "raw"]  # scans on disk take seconds: one timed run
        queries = child("queries", spec, timeout=args.child_timeout * 4)
        store_mib = _mib(store)
    for q in queries.get("queries", []):
        q["vetgraph_vs_raw"] = q["vetgraph_s"] / q["raw_s"]
    return {
        "file_mb": trig.stat().st_size / 1e6,
        "cold": cold,
        "warm": warm,
        "no_cache": no_cache,
        "raw": raw,
        "load": load,
        "raw_load": raw_load,
        "store_mib": store_mib,
        "queries": queries,
    }


def _query_text(store: Path) -> str:
    """The library query as vetgraph binds it (its example values), for raw pyoxigraph."""
    from vetgraph.graph.disk import open_store
    from vetgraph.sparql.backend import LocalBackend
    from vetgraph.sparql.library import get_query
    from vetgraph.sparql.running import prepare

    query = get_query(QUERY)
    params = {p.name: p.example for p in query.header.params if p.example}
    return str(prepare(query, params, backend=LocalBackend(open_store(store))).text)


def _mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def overhead(runs: int = 30) -> dict[str, Any]:
    """The cache's cost on the bundled graph, in this process (see the module's docstring)."""
    from vetgraph.graph import build, cache, resources

    data = resources.data_files()
    saved = {k: os.environ.get(k) for k in (cache.ENV_DIR, cache.ENV_MIN_BYTES)}
    with tempfile.TemporaryDirectory(prefix="cache-overhead-") as tmp:
        os.environ[cache.ENV_DIR] = tmp
        try:
            fresh, cached = _interleaved(
                lambda: build.load(data), lambda: build.load(data, cache=True), runs
            )
            os.environ[cache.ENV_MIN_BYTES] = "0"  # as if the bundled data were large
            build.load(data, cache=True)  # builds the store
            _, reopened = _interleaved(lambda: None, lambda: build.load(data, cache=True), runs)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    return {
        "runs": runs,
        "fresh_ms": fresh * 1e3,
        "cache_ms": cached * 1e3,
        "overhead_ms": (cached - fresh) * 1e3,
        "reopen_ms": reopened * 1e3,
        "bundled_bytes": sum(p.stat().st_size for p in data),
    }


def _interleaved(a: Callable[[], Any], b: Callable[[], Any], runs: int) -> tuple[float, float]:
    a(), b()  # warm-up
    times_a, times_b = [], []
    for _ in range(runs):
        for fn, times in ((a, times_a), (b, times_b)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(times_a), statistics.median(times_b)


# -- targets and report ---------------------------------------------------------------------


def check(report: dict[str, Any], add: Callable[..., None]) -> None:
    """The targets of issue 17, through ``bench.run.check_targets``'s ``add``."""
    from bench.run import geomean, size_label

    for size in report["sizes"]:
        c = size.get("cache")
        if not c:
            continue
        label = size_label(size["size"])
        warm, raw, peak = c["warm"]["seconds"], c["raw"]["seconds"], c["load"]["peak_mib"]
        add(
            f"second `vetgraph query {QUERY} --input FILE` at {label}: under {WARM_QUERY_S} s",
            f"{warm:.3f} s (cold {c['cold']['seconds']:.2f} s, --no-cache "
            f"{c['no_cache']['seconds']:.2f} s)",
            warm < WARM_QUERY_S and c["warm"]["exit_code"] == 0,
            "" if warm < WARM_QUERY_S else f"{warm - WARM_QUERY_S:.3f} s over",
        )
        add(
            f"second `vetgraph query` at {label}: within {WARM_VS_RAW}x of raw pyoxigraph on "
            "the same store (whole processes)",
            f"{warm / raw:.2f}x ({warm:.3f} s vs {raw:.3f} s)",
            warm / raw <= WARM_VS_RAW,
            "" if warm / raw <= WARM_VS_RAW else f"{warm / raw / WARM_VS_RAW:.2f}x over",
        )
        add(
            f"`vetgraph load --store` at {label}: peak memory under {LOAD_PEAK_MIB} MiB",
            f"{peak:.0f} MiB in {c['load']['seconds']:.1f} s",
            peak < LOAD_PEAK_MIB and c["load"]["exit_code"] == 0,
            "" if peak < LOAD_PEAK_MIB else f"{peak - LOAD_PEAK_MIB:.0f} MiB over",
        )
        queries = c["queries"].get("queries", [])
        if queries:
            g = geomean([q["vetgraph_vs_raw"] for q in queries])
            add(
                f"library queries on the store on disk at {label}: within {QUERIES_VS_RAW}x "
                "of raw pyoxigraph (geomean)",
                f"{g:.2f}x (worst {max(q['vetgraph_vs_raw'] for q in queries):.2f}x)",
                g <= QUERIES_VS_RAW,
                "" if g <= QUERIES_VS_RAW else f"{g / QUERIES_VS_RAW:.2f}x over",
            )
    o = report.get("cache_overhead")
    if o:
        add(
            f"the cache's overhead on the bundled graph: under {OVERHEAD_MS:.0f} ms",
            f"{o['overhead_ms']:+.2f} ms ({o['cache_ms']:.1f} ms vs {o['fresh_ms']:.1f} ms)",
            o["overhead_ms"] < OVERHEAD_MS,
            ""
            if o["overhead_ms"] < OVERHEAD_MS
            else f"{o['overhead_ms'] - OVERHEAD_MS:.1f} ms over",
        )


def markdown(report: dict[str, Any]) -> list[str]:
    """The report's section on the cache and stores on disk."""
    lines: list[str] = []
    for size in report["sizes"]:
        if size.get("cache"):
            lines += _size_section(size)
    o = report.get("cache_overhead")
    if o:
        lines += [
            "",
            "## The cache on the bundled graph",
            "",
            f"In one process, medians of {o['runs']} interleaved runs: `load(data)` "
            f"{o['fresh_ms']:.1f} ms, `load(data, cache=True)` {o['cache_ms']:.1f} ms "
            f"(the bundled data, {o['bundled_bytes'] / 1e3:.0f} kB, is under the cache's "
            f"1 MB threshold: it is read in memory). Reopening it from a store instead would "
            f"take {o['reopen_ms']:.1f} ms.",
        ]
    return lines


def _size_section(size: dict[str, Any]) -> list[str]:
    from bench.run import _ms, _x, geomean, size_label

    c = size["cache"]
    label = size_label(size["size"])
    lines = [
        "",
        f"## The cache and stores on disk at {label} (TriG, {c['file_mb']:.1f} MB; "
        f"store {c['store_mib']:.0f} MiB)",
        "",
        "| whole process | time (s) | fastest (s) | exit |",
        "| --- | --- | --- | --- |",
    ]
    for name in ("cold", "warm", "no_cache", "raw"):
        r = c[name]
        fastest = f"{r['min_s']:.3f}" if "min_s" in r else "–"
        lines.append(
            f"| {name.replace('_', '-')}: `{r['command']}` | {r['seconds']:.3f} | "
            f"{fastest} | {r['exit_code']} |"
        )
    raw_load = c["raw_load"]
    lines += [
        "",
        "| bulk load into a store on disk | time (s) | peak memory (MiB) |",
        "| --- | --- | --- |",
        f"| `{c['load']['command']}` (ontology, data, file, claim index) | "
        f"{c['load']['seconds']:.2f} | {c['load']['peak_mib']:.0f} |",
        f"| raw pyoxigraph `Store(DIR).bulk_load` (the file only) | "
        f"{raw_load.get('seconds', float('nan')):.2f} | "
        f"{raw_load.get('peak_mib', float('nan')):.0f} |",
    ]
    queries = c["queries"].get("queries", [])
    if not queries:
        lines += ["", f"The queries on the store failed: {c['queries'].get('error')}"]
        return lines
    memory = {q["name"]: q["vetgraph_s"] for q in size.get("queries", {}).get("queries", [])}
    lines += [
        "",
        f"Library queries on the store (opened in {c['queries']['load_s'] * 1e3:.0f} ms), "
        "ms; beside them the same query through vetgraph on the graph in memory (this "
        "run's query part, when it ran), and disk ÷ memory:",
        "",
        "| query | rows | vetgraph | raw pyoxigraph | vetgraph ÷ raw | in memory | disk ÷ memory |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for q in queries:
        mem = memory.get(q["name"])
        lines.append(
            f"| {q['kind']}/{q['name']} | {q['rows']} | {_ms(q['vetgraph_s'])} | "
            f"{_ms(q['raw_s'])} | {_x(q['vetgraph_vs_raw'])} | {_ms(mem)} | "
            f"{_x(q['vetgraph_s'] / mem if mem else None)} |"
        )
    lines.append(
        f"| **geometric mean** | | {_ms(geomean([q['vetgraph_s'] for q in queries]))} | "
        f"{_ms(geomean([q['raw_s'] for q in queries]))} | "
        f"{_x(geomean([q['vetgraph_vs_raw'] for q in queries]))} | | |"
    )
    return lines
