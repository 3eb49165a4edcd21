"""The parts of the benchmark that run in a fresh process of their own.

A fresh process gives each load its own peak memory (``ru_maxrss``) and keeps rdflib's
1.3 GB away from the other measurements. ``bench/run.py`` starts them:

    python -m bench.child TASK SPEC.json RESULT.json

Tasks: ``load`` (one load of one file by one method), ``queries`` (every library query
through vetgraph and through raw pyoxigraph on the same store, then every export format),
``rdflib`` (the same query texts on an rdflib Dataset, each with a time cap).
"""

from __future__ import annotations

import io
import json
import math
import resource
import signal
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class Capped(BaseException):
    """The time cap ran out (a BaseException, so that no ``except Exception`` swallows it)."""


@contextmanager
def cap(seconds: float | None) -> Iterator[None]:
    """Interrupt the block after ``seconds`` of wall time (Python code only: a long call
    into Rust finishes first, then the interruption happens)."""
    if not seconds:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise Capped

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def peak_mib() -> float:
    """The peak resident memory of this process so far (Linux: ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def progress(message: str) -> None:
    """A line on stderr, which the suite's process shares: long runs show where they are."""
    print(f"    {message}", file=sys.stderr, flush=True)


#: A timed run of a fast query loops until it lasts about this long (at most REPEAT_CAP calls).
REPEAT_S, REPEAT_CAP = 0.02, 200


def _repeat(fn: Callable[[], Any], times: int) -> None:
    for _ in range(times):
        fn()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


class Sink(io.RawIOBase):
    """A binary stream that counts what is written and keeps nothing."""

    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        n = len(data)
        self.size += n
        return n


# -- load ------------------------------------------------------------------------------------


def task_load(spec: dict[str, Any]) -> dict[str, Any]:
    """Load one file by one method: ``pyoxigraph`` (Store.load), ``pyoxigraph-bulk``
    (Store.bulk_load), ``vetgraph`` (build.load: ontology, the file, the claim index) or
    ``rdflib`` (a Dataset for TriG, a Graph otherwise)."""
    method, path = spec["method"], spec["path"]
    if method.startswith("pyoxigraph"):
        import pyoxigraph as ox

        baseline = rss_mib()
        store = ox.Store(spec.get("store"))  # a folder: a store on disk; none: in memory
        load = store.bulk_load if method == "pyoxigraph-bulk" else store.load
        seconds, _ = timed(lambda: load(path=path))
        quads = len(store)
    elif method == "vetgraph":
        from vetgraph.graph.build import load as vetgraph_load

        baseline = rss_mib()
        seconds, kg = timed(lambda: vetgraph_load([path]))
        quads = len(kg)
    elif method == "rdflib":
        import rdflib

        baseline = rss_mib()
        trig = path.endswith(".trig")
        graph: Any = rdflib.Dataset() if trig else rdflib.Graph()
        fmt = {"trig": "trig", "ttl": "turtle", "nt": "nt"}[path.rsplit(".", 1)[1]]
        try:
            with cap(spec.get("cap")):
                seconds, _ = timed(lambda: graph.parse(path, format=fmt))
        except Capped:
            return {"capped": True, "seconds": spec["cap"], "peak_mib": peak_mib()}
        quads = len(graph)
    else:
        raise SystemExit(f"unknown load method {method!r}")
    return {"seconds": seconds, "quads": quads, "peak_mib": peak_mib(), "baseline_mib": baseline}


# -- queries through vetgraph and raw pyoxigraph, and exports ------------------------------------


def _examples(query: Any) -> dict[str, str]:
    return {p.name: p.example for p in query.header.params if p.example}


def task_queries(spec: dict[str, Any]) -> dict[str, Any]:
    """Every library query (cq/ and reports/) with its header's example parameters, on one
    store, timed through:

    * ``vetgraph``: ``vetgraph.query(name, kg, **examples)``, the notebook API: find the
      query, read its header, bind the parameters (an IRI is looked up), run, read every
      solution into :class:`vetgraph.sparql.results.Rows`;
    * ``raw``: ``list(store.query(text, use_default_graph_as_union=True))`` on the text
      vetgraph bound (the engine's limit: no lookup, no binding);

    With ``store`` in the spec, the graph is that store on disk, opened read-only, instead
    of ``inputs`` loaded in memory.
    * ``vetgraph_csv`` / ``raw_csv``: the same, written as SPARQL CSV (the CLI's path:
      ``results.render`` against Oxigraph's own ``serialize``); ``vetgraph_table``: the
      CLI's default table.

    Each query runs once to warm up, then ``runs`` times with the paths interleaved; the
    medians are reported. A query answering in under 20 ms is looped within each run (the
    same count on every path, up to 200 calls) and the time per call is taken. Then each
    export format is timed (``export.outputs``).
    """
    import pyoxigraph as ox

    import vetgraph
    from vetgraph.graph.build import load
    from vetgraph.sparql.backend import LocalBackend
    from vetgraph.sparql.library import load_library
    from vetgraph.sparql.results import Rows, render
    from vetgraph.sparql.running import prepare, run

    runs = spec["runs"]
    if spec.get("store"):  # a store on disk (vetgraph load --store): opened, not loaded
        load_s, kg = timed(lambda: load(store=spec["store"]))
    else:
        load_s, kg = timed(lambda: load(spec["inputs"]))
    store, backend = kg.store, LocalBackend(kg)
    len_s, quads = timed(lambda: len(kg))
    if spec.get("nquads"):  # the same dataset for rdflib, written once
        ox.serialize(store, spec["nquads"], ox.RdfFormat.N_QUADS)
    library = [q for q in load_library() if q.kind in ("cq", "reports")]

    def raw(text: str) -> Any:
        result = store.query(text, use_default_graph_as_union=True)
        if isinstance(result, ox.QuerySolutions):
            return list(result)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        return list(result)

    def raw_csv(text: str) -> int:
        result = store.query(text, use_default_graph_as_union=True)
        sink = Sink()
        result.serialize(sink, ox.QueryResultsFormat.CSV)  # type: ignore[union-attr]
        return sink.size

    def rendered(query: Any, params: dict[str, str], fmt: str) -> int:
        sink = Sink()
        render(run(query, params, backend=backend), fmt, sink)
        return sink.size

    queries = []
    for query in library:
        params = _examples(query)
        bound = prepare(query, params, backend=backend)
        paths: dict[str, Callable[[], Any]] = {
            "vetgraph": lambda q=query, p=params: vetgraph.query(q.name, kg, **p),
            "raw": lambda t=bound.text: raw(t),
            "vetgraph_csv": lambda q=query, p=params: rendered(q, p, "csv"),
            "raw_csv": lambda t=bound.text: raw_csv(t),
            "vetgraph_table": lambda q=query, p=params: rendered(q, p, "table"),
        }
        if spec.get("paths"):  # only these (a store on disk: scans take seconds each)
            paths = {name: fn for name, fn in paths.items() if name in spec["paths"]}
        times: dict[str, list[float]] = {name: [] for name in paths}
        warm_s, results = {}, {}
        for name, fn in paths.items():  # warm-up
            warm_s[name], results[name] = timed(fn)
        # A run of a sub-millisecond query is a loop long enough to time (about 20 ms):
        # one call's figure is at the mercy of the clock and the scheduler. Every path
        # of the query loops the same number of times.
        reps = max(1, min(REPEAT_CAP, math.ceil(REPEAT_S / max(warm_s["raw"], 1e-6))))
        for _ in range(runs):
            for name, fn in paths.items():
                times[name].append(timed(lambda f=fn, k=reps: _repeat(f, k))[0] / reps)
        answer = results["raw"]
        progress(
            f"{query.name}: vetgraph {statistics.median(times['vetgraph']) * 1e3:.2f} ms, "
            f"raw {statistics.median(times['raw']) * 1e3:.2f} ms"
        )
        queries.append(
            {
                "name": query.name,
                "kind": query.kind,
                "form": bound.form,
                "params": params,
                "text": bound.text,
                "rows": len(answer) if isinstance(answer, list) else int(answer),
                "vetgraph_rows": len(results["vetgraph"])
                if isinstance(results["vetgraph"], list | Rows)
                else int(results["vetgraph"]),
                "csv_bytes": results.get("raw_csv"),
                "repeats": reps,
                **{f"{name}_s": statistics.median(t) for name, t in times.items()},
            }
        )
    checks = []  # the validation's check queries (SHACL, through rdflib, is not timed here)
    for query in load_library("checks") if spec.get("checks", True) else []:
        seconds, rows = timed(lambda q=query: kg.select(q.text))
        checks.append({"name": query.name, "seconds": seconds, "rows": len(rows)})
        progress(f"check {query.name}: {seconds:.2f} s")
    exports = _exports(kg, spec) if spec.get("exports", True) else []
    return {
        "load_s": load_s,
        "len_s": len_s,
        "quads": quads,
        "queries": queries,
        "checks": checks,
        "exports": exports,
        "peak_mib": peak_mib(),
    }


def _exports(kg: Any, spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Each export format: warmed up on the bundled graph (imports), then timed."""
    from vetgraph.graph.build import load
    from vetgraph.publish.export import FORMATS, outputs

    small = load()
    rows = []
    for name in FORMATS:
        outputs(small, name)
        times, size, capped = [], 0, False
        for _ in range(spec.get("export_runs", 1)):
            try:
                with cap(spec.get("export_cap")):
                    seconds, files = timed(lambda n=name: outputs(kg, n))
            except Capped:
                capped = True
                times = [spec["export_cap"]]
                break
            times.append(seconds)
            size = sum(len(data) for data in files.values())
            if seconds > 10:  # one run is enough to know a slow export; keep the suite short
                break
        rows.append(
            {
                "format": name,
                "seconds": statistics.median(times),
                "bytes": size,
                "capped": capped,
                "runs": len(times),
            }
        )
        progress(f"export {name}: {statistics.median(times):.2f} s")
    return rows


# -- rdflib -------------------------------------------------------------------------------------


def task_rdflib(spec: dict[str, Any]) -> dict[str, Any]:
    """The same bound query texts on an rdflib Dataset whose default graph is the union of
    its graphs (what vetgraph's store does), read from the N-Quads of vetgraph's dataset.

    Each query runs once with a time cap; a run over the cap is recorded as the cap (a lower
    bound). Queries that finish within a second run ``runs`` times more (median).
    """
    import rdflib

    baseline = rss_mib()
    dataset = rdflib.Dataset(default_union=True)
    try:
        with cap(spec.get("load_cap")):
            load_s, _ = timed(lambda: dataset.parse(spec["nquads"], format="nquads"))
    except Capped:
        return {"load_capped": True, "load_s": spec["load_cap"], "queries": []}
    load_peak = peak_mib()
    list(dataset.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"))  # warm-up: imports, parser
    results = []
    for query in spec["queries"]:
        times: list[float] = []
        rows: int | None = None
        capped = False
        for attempt in range(1 + spec["runs"]):
            try:
                with cap(spec["cap"]):
                    seconds, answer = timed(lambda t=query["text"]: _rdflib_answer(dataset, t))
            except Capped:
                capped, times = True, [spec["cap"]]
                break
            except Exception as exc:  # rdflib cannot run every query vetgraph can
                times = []
                results.append({"name": query["name"], "error": f"{type(exc).__name__}: {exc}"})
                progress(f"rdflib {query['name']}: cannot run it ({type(exc).__name__})")
                break
            times.append(seconds)
            rows = answer
            if attempt == 0 and seconds > 1.0:
                break
        if not times:
            continue
        if len(times) > 1:
            times = times[1:]  # the first was the warm-up
        progress(f"rdflib {query['name']}: {'≥' if capped else ''}{statistics.median(times):.2f} s")
        results.append(
            {
                "name": query["name"],
                "seconds": statistics.median(times),
                "capped": capped,
                "rows": rows,
            }
        )
    return {
        "load_s": load_s,
        "quads": len(dataset),
        "load_peak_mib": load_peak,
        "baseline_mib": baseline,
        "queries": results,
        "peak_mib": peak_mib(),
    }


def _rdflib_answer(dataset: Any, text: str) -> int:
    result = dataset.query(text)
    if result.type == "ASK":
        return int(bool(result.askAnswer))
    return sum(1 for _ in result)


TASKS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "load": task_load,
    "queries": task_queries,
    "rdflib": task_rdflib,
}


def main() -> None:
    task, spec_path, result_path = sys.argv[1:4]
    spec = json.loads(Path(spec_path).read_text())
    result = TASKS[task](spec)
    Path(result_path).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
