"""The cache and stores on disk (issue 17): what a researcher's own file costs the second time.

For each size, on the generated TriG file (``bench/run.py`` calls :func:`measure`):

* ``vetgraph query countries --format csv --input FILE`` as a whole process, in an empty
  cache folder: **cold** (the first run, which builds the cached store), **warm** (the
  median of later runs) and with ``--no-cache`` (reading the file, as before the cache);
* **raw pyoxigraph** on the same cached store as a whole process (Python, open the store
  read-only, the same query text, CSV to stdout): the floor of the warm command.

The whole processes run as an installed vetgraph does: with its bytecode cached (the
suite leaves out ``PYTHONDONTWRITEBYTECODE``, which would compile every module again in
every process). ``vetgraph load --store`` and the queries on a store on disk are in
``bench/store.py``.

Once (:func:`overhead`): what the cache adds to loading the bundled graph, in one process
(``load(files, cache=True)`` against ``load(files)``, interleaved, medians), and what
reopening it from a store would cost (the cache reads inputs under 1 MB in memory).
"""

from __future__ import annotations

import os
import resource
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

QUERY = "countries"
_RAW = (
    "import sys, pyoxigraph as ox\n"
    "store = ox.Store.read_only(sys.argv[1])\n"
    "answer = store.query(sys.argv[2], use_default_graph_as_union=True)\n"
    "answer.serialize(sys.stdout.buffer, ox.QueryResultsFormat.CSV)\n"
)


def process(command: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """One whole process: wall time, CPU time (user and system: what a busy machine does not
    inflate), exit code, the size of its output, its last error."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tempfile.gettempdir()
    )
    out, err = child.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": time.perf_counter() - start,
        "cpu_s": after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime,
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
        "cpu_s": statistics.median(r["cpu_s"] for r in done),
        "exit_code": done[-1]["exit_code"],
        "error": done[-1]["error"] if done[-1]["exit_code"] else "",
        "runs": runs,
    }


def measure(trig: Path, args: Any, folder: Path) -> dict[str, Any]:
    """Everything above for one generated file; temporary stores live beside it."""
    from bench.common import log, vetgraph_command

    vetgraph = vetgraph_command()
    runs = max(1, args.cli_runs)
    trig, folder = trig.resolve(), folder.resolve()  # the commands run in another folder
    with tempfile.TemporaryDirectory(prefix="cache-bench-", dir=folder) as tmp:
        env = {**os.environ, "VETGRAPH_CACHE_DIR": str(Path(tmp) / "cache")}
        env["VETGRAPH_CACHE_MIN_BYTES"] = "0"  # a small size is cached too: it is measured
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed (see above)
        command = [*vetgraph, "query", QUERY, "--format", "csv", "--input", str(trig)]
        log(f"cache: cold and warm `vetgraph query {QUERY} --input` ({runs} runs)")
        cold = {"command": shlex.join(["vetgraph", *command[1:]]), **process(command, env)}
        warm = repeated(command, runs, env)
        if cold["seconds"] < 60:
            no_cache = repeated([*command, "--no-cache"], max(1, min(runs, args.runs)), env)
        else:  # a large file (the OS has it in memory already): one run, minutes long
            no_cache = {**process([*command, "--no-cache"], env), "runs": 1}
            no_cache["command"] = cold["command"] + " --no-cache"
        log(
            f"cache: cold {cold['seconds']:.2f} s, warm {warm['seconds']:.3f} s, "
            f"--no-cache {no_cache['seconds']:.2f} s"
        )
        [cached] = (Path(tmp) / "cache" / "stores").iterdir()
        text = _query_text(cached)
        raw = repeated([sys.executable, "-c", _RAW, str(cached / "oxigraph"), text], runs, env)
        raw["command"] = f"python -c <open read-only, query, CSV> {cached.name}/oxigraph"
    return {
        "file_mb": trig.stat().st_size / 1e6,
        "cold": cold,
        "warm": warm,
        "no_cache": no_cache,
        "raw": raw,
    }


def _query_text(store: Path) -> str:
    """The library query as vetgraph binds it (its example values), for raw pyoxigraph."""
    import pyoxigraph as ox

    from vetgraph.graph.store import KnowledgeGraph
    from vetgraph.sparql.backend import LocalBackend
    from vetgraph.sparql.library import get_query
    from vetgraph.sparql.running import prepare

    query = get_query(QUERY)
    params = {p.name: p.example for p in query.header.params if p.example}
    # The Oxigraph store alone: a store folder of another vetgraph version serves too (the
    # suite can then measure an older vetgraph command: ``VETGRAPH=/path/to/vetgraph``).
    kg = KnowledgeGraph(store=ox.Store.read_only(str(store / "oxigraph")))
    return str(prepare(query, params, backend=LocalBackend(kg)).text)


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
    from bench.common import size_label

    for size in report["sizes"]:
        c = size.get("cache")
        if not c:
            continue
        label = size_label(size["size"])
        warm, raw = c["warm"]["seconds"], c["raw"]["seconds"]
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
            f"{warm / raw:.2f}x ({warm:.3f} s vs {raw:.3f} s; CPU time "
            f"{_cpu_ratio(c['warm'], c['raw'])})",
            warm / raw <= WARM_VS_RAW,
            "" if warm / raw <= WARM_VS_RAW else f"{warm / raw / WARM_VS_RAW:.2f}x over",
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


def _cpu_ratio(ours: dict[str, Any], raw: dict[str, Any]) -> str:
    if "cpu_s" not in ours or "cpu_s" not in raw:
        return "not measured"
    return f"{ours['cpu_s'] / raw['cpu_s']:.2f}x, {ours['cpu_s']:.3f} s vs {raw['cpu_s']:.3f} s"


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
            f"(the bundled data, {o['bundled_bytes'] / 1e3:.0f} kB, is "
            + (
                "under the cache's 1 MB threshold: it is read in memory). Reopening it from a "
                f"store instead would take {o['reopen_ms']:.1f} ms."
                if o["bundled_bytes"] < 1_000_000
                else "over the cache's 1 MB threshold: it is reopened from a cached store)."
            ),
        ]
    return lines


def _size_section(size: dict[str, Any]) -> list[str]:
    from bench.common import size_label

    c = size["cache"]
    label = size_label(size["size"])
    lines = [
        "",
        f"## The cache at {label} (TriG, {c['file_mb']:.1f} MB)",
        "",
        "| whole process | time (s) | fastest (s) | CPU time (s) | exit |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name in ("cold", "warm", "no_cache", "raw"):
        r = c[name]
        fastest = f"{r['min_s']:.3f}" if "min_s" in r else "–"
        cpu = f"{r['cpu_s']:.3f}" if "cpu_s" in r else "–"
        lines.append(
            f"| {name.replace('_', '-')}: `{r['command']}` | {r['seconds']:.3f} | "
            f"{fastest} | {cpu} | {r['exit_code']} |"
        )
    return lines
