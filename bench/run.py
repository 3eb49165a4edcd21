"""The benchmark suite: one command, a Markdown and a JSON report.

    .venv/bin/python -m bench                          # 10k, 100k and 1M triples (about 40 min)
    .venv/bin/python -m bench --sizes 10k --runs 1     # a quick look
    .venv/bin/python -m bench --help

For each size, a graph from ``bench/generate.py`` (the real vocabulary, seed 1):

* **load** of the TriG, Turtle and N-Triples files by raw pyoxigraph (``Store.load``, the
  reference; ``Store.bulk_load`` too) and by ``vetgraph.graph.build.load`` (which adds the
  ontology and the claim index), each in a fresh process: median time and peak memory;
  rdflib once per format (with the time cap);
* **every library query** (``queries/cq``, ``queries/reports``, with each header's
  ``example:`` values) on the bundled data plus the generated file, through vetgraph's
  query path, through raw pyoxigraph on the same store, and through an rdflib Dataset
  (once, with a time cap: a capped run is a lower bound and is marked ``≥``), side by side;
* **export** to each format (``vetgraph.publish.export``);
* ``vetgraph query`` as a whole process with ``--input`` at that size;
* a store on disk (``bench/store.py``): ``vetgraph load --store`` (time, peak memory),
  every library query on that store against raw pyoxigraph (each capped), ``vetgraph
  query --store`` as a whole process, ``vetgraph serve --store`` (start, a few clients),
  ``vetgraph validate`` and every export (time, peak memory, capped);
* the cache (``bench/cache.py``): ``vetgraph query --input`` cold and warm and with
  ``--no-cache``, raw pyoxigraph on the cached store.

Once: ``vetgraph build`` end to end on the bundled graph (whole process, and each step);
the network page for 500, 5,000 and 20,000 entities (``bench/page.py``: file size, time to
the first stable drawing in headless Chromium); ``vetgraph --help`` and ``vetgraph query
NAME`` on the bundled graph as whole processes; the cache's overhead on the bundled graph.
Then each target of issues 7 and 17 is checked.

The store and the cache at 10M triples, the run of ``bench/reports/2026-12-06-10M.md``
(about an hour: run it in the background, with nice; the report is written after each
part, so a run stopped early keeps what it measured)::

    nice .venv/bin/python -m bench --sizes 10M --skip load rdflib export build page cli queries

Timings are medians over ``--runs`` runs after a warm-up run. Figures depend on the
machine and on what else runs on it: compare ratios taken in one run, not figures from
different runs. Reports go to ``bench/out/`` (git-ignored): ``report.md``, ``report.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench.common import (
    OUT,
    ROOT,
    child,
    log,
    parse_size,
    size_label,
    vetgraph_command,
    whole_process,
)
from bench.report import FORMATS, check_targets, markdown
from vetgraph.graph.release import version as vetgraph_version

LOAD_METHODS = ("pyoxigraph", "pyoxigraph-bulk", "vetgraph")


# -- the measurements -----------------------------------------------------------------------


def generate_files(n: int, seed: int, folder: Path, formats=FORMATS) -> dict[str, Path]:
    """The generated files of a size, made again only when missing or made otherwise (10M
    triples take minutes): a ``.json`` beside each file says what made it."""
    from bench.generate import write

    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for fmt in formats:
        path = folder / f"generated-{size_label(n)}.{fmt}"
        stamp_path = path.with_name(path.name + ".json")
        wanted = {"target": n, "seed": seed, "generator": _generator_digest()}
        try:
            stamp = json.loads(stamp_path.read_text())
            reuse = {k: stamp.get(k) for k in wanted} == wanted
            reuse = reuse and stamp.get("bytes") == path.stat().st_size
        except (OSError, ValueError, AttributeError):
            reuse = False
        if reuse:
            log(f"{path.name}: reused (made by this generator with seed {seed})")
        else:
            quads = write(path, n, seed)
            stamp_path.write_text(
                json.dumps({**wanted, "quads": quads, "bytes": path.stat().st_size}, indent=1)
            )
        files[fmt] = path
    return files


def _generator_digest() -> str:
    import hashlib

    return hashlib.sha256((Path(__file__).parent / "generate.py").read_bytes()).hexdigest()[:16]


def measure_loads(files: dict[str, Path], args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    for fmt, path in files.items():
        for method in LOAD_METHODS:
            runs = [
                child("load", {"method": method, "path": str(path)}, timeout=args.child_timeout)
                for _ in range(args.runs + 1)
            ][1:]  # the first run warms the file cache
            ok = [r for r in runs if "error" not in r]
            if not ok:
                rows.append({"format": fmt, "method": method, "error": runs[0]["error"]})
                continue
            rows.append(
                {
                    "format": fmt,
                    "method": method,
                    "seconds": statistics.median(r["seconds"] for r in ok),
                    "peak_mib": statistics.median(r["peak_mib"] for r in ok),
                    "baseline_mib": statistics.median(r["baseline_mib"] for r in ok),
                    "quads": ok[0]["quads"],
                    "runs": len(ok),
                }
            )
        if "rdflib" not in args.skip:
            r = child(
                "load",
                {"method": "rdflib", "path": str(path), "cap": args.rdflib_cap},
                timeout=args.rdflib_cap + args.child_timeout,
            )
            rows.append({"format": fmt, "method": "rdflib", "runs": 1, **r})
    return rows


def measure_queries(
    files: dict[str, Path], args: argparse.Namespace, folder: Path
) -> dict[str, Any]:
    from vetgraph.graph import resources

    nquads = folder / "dataset.nq"
    spec = {
        "inputs": [str(p) for p in resources.data_files()] + [str(files["trig"])],
        "runs": args.runs,
        "nquads": str(nquads),
        "exports": "export" not in args.skip,
        "export_runs": args.runs,
        "export_cap": args.export_cap,
    }
    result = child("queries", spec, timeout=args.child_timeout * 4 + 20 * args.export_cap)
    if "error" in result:
        raise SystemExit(f"bench: the query run failed: {result['error']}")
    if "rdflib" not in args.skip:
        log(f"rdflib: {len(result['queries'])} queries, each capped at {args.rdflib_cap:.0f} s")
        texts = [{"name": q["name"], "text": q["text"]} for q in result["queries"]]
        rdflib = child(
            "rdflib",
            {
                "nquads": str(nquads),
                "queries": texts,
                "cap": args.rdflib_cap,
                "load_cap": args.rdflib_cap * 5,
                "runs": args.runs,
            },
            timeout=args.rdflib_cap * (len(texts) + 6) + args.child_timeout,
        )
        result["rdflib"] = rdflib
        by_name = {r["name"]: r for r in rdflib.get("queries", [])}
        for q in result["queries"]:
            r = by_name.get(q["name"])
            if r and "error" in r:
                q["rdflib_error"] = r["error"]
            elif r:
                q["rdflib_s"], q["rdflib_capped"], q["rdflib_rows"] = (
                    r["seconds"],
                    r["capped"],
                    r["rows"],
                )
    nquads.unlink(missing_ok=True)
    for q in result["queries"]:
        q["vetgraph_vs_raw"] = q["vetgraph_s"] / q["raw_s"]
        q["csv_vs_raw"] = q["vetgraph_csv_s"] / q["raw_csv_s"]
        if "rdflib_s" in q:
            q["rdflib_vs_vetgraph"] = q["rdflib_s"] / q["vetgraph_s"]
    return result


def measure_cli(args: argparse.Namespace, sizes: dict[int, dict[str, Path]]) -> list[dict]:
    vetgraph = vetgraph_command()
    commands = [
        [*vetgraph, "--help"],
        [*vetgraph, "query", "entities-per-class", "--format", "csv"],
        [*vetgraph, "query", "sources-of-entity", "--param", "entity=vg:bruges-communique"],
    ]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:  # not the checkout: as users run it
        for command in commands:
            rows.append({"size": None, **whole_process(command, args.cli_runs, Path(tmp))})
        from vetgraph.graph import resources

        data = str(resources.folder("data"))
        for n, files in sizes.items():
            command = [*vetgraph, "query", "countries", "--format", "csv"]
            command += ["--input", data, "--input", str(files["trig"])]
            runs = max(1, min(args.cli_runs, args.runs))
            rows.append({"size": n, **whole_process(command, runs, Path(tmp))})
    return rows


def measure_build(args: argparse.Namespace) -> dict[str, Any]:
    from bench.publish import measure_steps

    with tempfile.TemporaryDirectory() as tmp:
        command = [*vetgraph_command(), "build", "--out", str(Path(tmp) / "site")]
        whole = whole_process(command, args.runs, Path(tmp))
    steps = measure_steps(None, args.runs)
    return {"whole": whole, "steps": steps}


def measure_pages(args: argparse.Namespace) -> list[dict[str, Any]]:
    from bench.page import measure

    return measure(args.page_nodes, args.page_runs)


def environment() -> dict[str, Any]:
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = "unknown"
    return {
        "cpus": os.cpu_count(),
        "loadavg_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "pyoxigraph": version("pyoxigraph"),
        "rdflib": version("rdflib"),
        "vetgraph": vetgraph_version(),
        "commit": commit or "unknown",
        "platform": platform.platform(),
    }


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--sizes", nargs="+", default=[10_000, 100_000, 1_000_000], type=parse_size)
    parser.add_argument("--runs", type=int, default=3, help="timed runs after the warm-up")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--rdflib-cap", type=float, default=60.0, help="seconds per rdflib query or load"
    )
    parser.add_argument("--export-cap", type=float, default=600.0, help="seconds per export")
    parser.add_argument("--page-nodes", nargs="+", type=int, default=[500, 5000, 20000])
    parser.add_argument("--page-runs", type=int, default=3)
    parser.add_argument("--cli-runs", type=int, default=10)
    store = parser.add_argument_group("a store on disk (the store part, bench/store.py)")
    store.add_argument("--query-cap", type=float, default=60.0, help="seconds per query and side")
    store.add_argument(
        "--process-cap", type=float, default=300.0, help="seconds per validate or export"
    )
    store.add_argument(
        "--memory-cap", type=float, default=6144.0, help="MiB per validate or export"
    )
    store.add_argument("--serve-clients", type=int, default=4)
    store.add_argument("--serve-s", type=float, default=20.0, help="seconds of load on serve")
    store.add_argument(
        "--serve-queries", nargs="*", help="library queries for serve (default: the quick ones)"
    )
    store.add_argument(
        "--store-at", type=Path, help="measure this store (built by an earlier run), not a new one"
    )
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=PARTS,
        help="parts to leave out (raw-load: raw pyoxigraph's bulk load beside the store's)",
    )
    parser.add_argument("--child-timeout", type=float, default=900.0, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=OUT, help="where the reports go")
    return parser.parse_args(argv)


PARTS = [
    "load",
    "rdflib",
    "export",
    "build",
    "page",
    "cli",
    "queries",
    "cache",
    "store",
    "raw-load",
]
PARTS += ["store-queries", "store-cli", "store-serve", "store-processes"]  # the store's parts


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse(argv)
    started = time.time()
    report: dict[str, Any] = {
        "command": shlex.join(["python", "-m", "bench", *(sys.argv[1:] if argv is None else argv)]),
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "runs": args.runs,
        "rdflib_cap": args.rdflib_cap,
        "environment": environment(),
        "sizes": [],
    }
    files_by_size = {n: measure_size(n, args, report, started) for n in args.sizes}
    if "build" not in args.skip:
        log("vetgraph build on the bundled graph")
        report["build"] = measure_build(args)
    if "cli" not in args.skip:
        log("whole processes")
        report["cli"] = measure_cli(args, files_by_size)
    if "cache" not in args.skip:
        from bench import cache

        log("the cache's overhead on the bundled graph")
        report["cache_overhead"] = cache.overhead()
    if "page" not in args.skip:
        log(f"the network page at {', '.join(map(str, args.page_nodes))} entities")
        report["pages"] = measure_pages(args)
    write(report, args, started)
    log(f"wrote {args.out / 'report.md'} and {args.out / 'report.json'}")
    return report


def measure_size(
    n: int, args: argparse.Namespace, report: dict[str, Any], started: float
) -> dict[str, Path]:
    """Every part for one size, added to ``report`` (written after each long part)."""
    data = args.out / "data"
    formats = FORMATS if "load" not in args.skip else ("trig",)  # the rest needs TriG
    log(f"{size_label(n)}: generating {', '.join(formats)}")
    files = generate_files(n, args.seed, data, formats)
    size: dict[str, Any] = {
        "size": n,
        "file_mb": {fmt: p.stat().st_size / 1e6 for fmt, p in files.items()},
        "loads": [],
    }
    report["sizes"].append(size)
    if "load" not in args.skip:
        log(f"{size_label(n)}: loading (fresh process per run)")
        size["loads"] = measure_loads(files, args)
    if "queries" not in args.skip:
        log(f"{size_label(n)}: library queries and exports")
        size["queries"] = measure_queries(files, args, data)
    if "store" not in args.skip:
        from bench import store

        def save(figures: dict[str, Any]) -> None:
            size["store"] = figures
            write(report, args, started)

        size["store"] = store.measure(files["trig"], args, data, save)
        write(report, args, started)
    if "cache" not in args.skip:
        from bench import cache

        size["cache"] = cache.measure(files["trig"], args, data)
        write(report, args, started)
    return files


def write(report: dict[str, Any], args: argparse.Namespace, started: float) -> None:
    """The reports as they stand (a long run writes them after each part)."""
    report["environment"]["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    report["duration_s"] = time.time() - started
    report["targets"] = check_targets(report)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(report, indent=1))
    (args.out / "report.md").write_text(markdown(report))


if __name__ == "__main__":
    main()
