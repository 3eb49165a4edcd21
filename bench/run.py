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
* the cache and stores on disk (``bench/cache.py``): ``vetgraph query --input`` cold and
  warm, raw pyoxigraph on the same store, ``vetgraph load --store`` (time, peak memory),
  every library query on that store against raw pyoxigraph.

Once: ``vetgraph build`` end to end on the bundled graph (whole process, and each step);
the network page for 500, 5,000 and 20,000 entities (``bench/page.py``: file size, time to
the first stable drawing in headless Chromium); ``vetgraph --help`` and ``vetgraph query
NAME`` on the bundled graph as whole processes; the cache's overhead on the bundled graph.
Then each target of issues 7 and 17 is checked.

Only the cache's part, at 10M triples (long: run it in the background, with nice)::

    nice .venv/bin/python -m bench --sizes 10M --skip load rdflib export build page cli queries

Timings are medians over ``--runs`` runs after a warm-up run. Figures depend on the
machine and on what else runs on it: compare ratios taken in one run, not figures from
different runs. Reports go to ``bench/out/`` (git-ignored): ``report.md``, ``report.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from vetgraph.graph.release import version as vetgraph_version

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
FORMATS = ("trig", "ttl", "nt")
LOAD_METHODS = ("pyoxigraph", "pyoxigraph-bulk", "vetgraph")

#: The targets of issue 7.
QUERY_VS_RDFLIB = 50.0  # vetgraph at least this many times faster (geometric mean)
QUERY_VS_RAW = 1.3  # vetgraph within this factor of raw pyoxigraph
LOAD_VS_RAW = 1.3
MEMORY_VS_RAW = 1.5
HELP_S = 0.3
QUERY_CLI_S = 1.0
PAGE_NODES, PAGE_S = 5000, 3.0


def parse_size(text: str) -> int:
    """``10k``, ``1M`` or a number."""
    text = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def size_label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def geomean(values: list[float]) -> float:
    values = [v for v in values if v > 0]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else float("nan")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- running things in fresh processes ------------------------------------------------------


def child(task: str, spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run ``bench.child TASK`` in a fresh Python process and return its result."""
    with tempfile.TemporaryDirectory(prefix="vetgraph-bench-") as tmp:
        spec_path, result_path = Path(tmp) / "spec.json", Path(tmp) / "result.json"
        spec_path.write_text(json.dumps(spec))
        command = [sys.executable, "-m", "bench.child", task, str(spec_path), str(result_path)]
        try:
            # stderr is shared: the child's progress lines and any traceback show as they come
            done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"error": f"no answer within {timeout:.0f} s"}
        if done.returncode != 0:
            return {"error": f"{task} failed (exit {done.returncode}; its messages are above)"}
        return json.loads(result_path.read_text())


def vetgraph_command() -> list[str]:
    """The installed ``vetgraph`` script next to this Python (what users run)."""
    script = Path(sys.executable).parent / "vetgraph"
    if script.exists():
        return [str(script)]
    found = shutil.which("vetgraph")
    if found:
        return [found]
    raise SystemExit("bench: the vetgraph command is not installed (pip install -e .)")


def whole_process(args: list[str], runs: int, cwd: Path) -> dict[str, Any]:
    """Wall time of a whole command (start, work, exit): median after a warm-up run."""
    times = []
    done = None
    for i in range(runs + 1):
        start = time.perf_counter()
        done = subprocess.run(args, cwd=cwd, capture_output=True)
        if i:
            times.append(time.perf_counter() - start)
    assert done is not None
    return {
        "command": shlex.join(["vetgraph", *args[1:]]),
        "seconds": statistics.median(times),
        "min_s": min(times),
        "exit_code": done.returncode,
        "output_bytes": len(done.stdout),
        "error": done.stderr.decode(errors="replace").strip()[-300:] if done.returncode else "",
    }


# -- the measurements -----------------------------------------------------------------------


def generate_files(n: int, seed: int, folder: Path, formats=FORMATS) -> dict[str, Path]:
    from bench.generate import write

    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for fmt in formats:
        path = folder / f"generated-{size_label(n)}.{fmt}"
        write(path, n, seed)
        files[fmt] = path
    return files


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


# -- the targets ------------------------------------------------------------------------------


def check_targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target: what was measured, met or not, and by how much it was missed."""
    targets: list[dict[str, Any]] = []

    def add(name: str, measured: str, met: bool | None, miss: str = "") -> None:
        targets.append({"target": name, "measured": measured, "met": met, "miss": miss})

    sizes = [s for s in report["sizes"] if "queries" in s]
    if sizes:
        top = sizes[-1]
        label = size_label(top["size"])
        queries = top["queries"]["queries"]
        with_rdflib = [q for q in queries if "rdflib_s" in q]
        if with_rdflib:
            g = geomean([q["rdflib_vs_vetgraph"] for q in with_rdflib])
            lower = any(q["rdflib_capped"] for q in with_rdflib)
            add(
                f"queries at {label}: ≥{QUERY_VS_RDFLIB:.0f}x faster than rdflib (geomean)",
                f"{'≥' if lower else ''}{g:.0f}x over {len(with_rdflib)} queries",
                g >= QUERY_VS_RDFLIB,
                "" if g >= QUERY_VS_RDFLIB else f"{QUERY_VS_RDFLIB / g:.1f}x short",
            )
        ratios = [q["vetgraph_vs_raw"] for q in queries]
        g = geomean(ratios)
        over = [q for q in queries if q["vetgraph_vs_raw"] > QUERY_VS_RAW]
        add(
            f"queries at {label}: within {QUERY_VS_RAW}x of raw pyoxigraph (geomean)",
            f"{g:.2f}x (worst {max(ratios):.2f}x)",
            g <= QUERY_VS_RAW,
            "" if g <= QUERY_VS_RAW else f"{g / QUERY_VS_RAW:.2f}x over",
        )
        add(
            f"queries at {label}: each within {QUERY_VS_RAW}x of raw pyoxigraph",
            f"{len(queries) - len(over)} of {len(queries)}",
            not over,
            ", ".join(
                f"{q['name']} {q['vetgraph_vs_raw']:.2f}x "
                f"(+{(q['vetgraph_s'] - q['raw_s']) * 1e3:.2f} ms on {q['raw_s'] * 1e3:.2f} ms)"
                for q in sorted(over, key=lambda q: -q["vetgraph_vs_raw"])
            ),
        )
        loads = {(r["format"], r["method"]): r for r in top["loads"] if "seconds" in r}
        for fmt in FORMATS:
            raw, ours = loads.get((fmt, "pyoxigraph")), loads.get((fmt, "vetgraph"))
            if not raw or not ours:
                continue
            t, m = ours["seconds"] / raw["seconds"], ours["peak_mib"] / raw["peak_mib"]
            add(
                f"load {fmt} at {label}: within {LOAD_VS_RAW}x of pyoxigraph's time",
                f"{t:.2f}x ({ours['seconds']:.2f} s vs {raw['seconds']:.2f} s)",
                t <= LOAD_VS_RAW,
                "" if t <= LOAD_VS_RAW else f"{t / LOAD_VS_RAW:.2f}x over",
            )
            add(
                f"load {fmt} at {label}: peak memory within {MEMORY_VS_RAW}x of pyoxigraph's",
                f"{m:.2f}x ({ours['peak_mib']:.0f} MiB vs {raw['peak_mib']:.0f} MiB)",
                m <= MEMORY_VS_RAW,
                "" if m <= MEMORY_VS_RAW else f"{m / MEMORY_VS_RAW:.2f}x over",
            )
    for row in report.get("cli", []):
        if row["size"] is not None:
            continue
        limit = HELP_S if row["command"].endswith("--help") else QUERY_CLI_S
        add(
            f"`{row['command']}` under {limit} s (whole process)",
            f"{row['seconds']:.2f} s",
            row["seconds"] < limit and row["exit_code"] == 0,
            "" if row["seconds"] < limit else f"{row['seconds'] - limit:.2f} s over",
        )
    for page in report.get("pages", []):
        if abs(page["nodes"] - PAGE_NODES) <= PAGE_NODES * 0.1:
            add(
                f"the {PAGE_NODES:,}-node page: ready under {PAGE_S} s",
                f"{page['render_s']:.2f} s, main-thread CPU {page['cpu_s']:.2f} s "
                f"({page['nodes']} entities, {page['edges']} links)",
                page["render_s"] < PAGE_S,
                "" if page["render_s"] < PAGE_S else f"{page['render_s'] - PAGE_S:.2f} s over",
            )
    from bench import cache

    cache.check(report, add)
    return targets


# -- the report -----------------------------------------------------------------------------


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1e3:,.2f}" if seconds < 0.1 else f"{seconds * 1e3:,.0f}"


def _x(ratio: float | None, lower: bool = False) -> str:
    if ratio is None or math.isnan(ratio):
        return "–"
    return (
        f"{'≥' if lower else ''}{ratio:,.2f}x"
        if ratio < 10
        else f"{'≥' if lower else ''}{ratio:,.0f}x"
    )


def markdown(report: dict[str, Any]) -> str:
    env = report["environment"]
    lines = [
        "# vetgraph benchmark",
        "",
        f"`{report['command']}` · {report['started']} · {report['duration_s'] / 60:.1f} min",
        "",
        f"{env['cpus']} CPUs, load average {env['loadavg_start']} at the start and "
        f"{env['loadavg_end']} at the end (the machine is shared: compare ratios within "
        f"this run). Python {env['python']}, pyoxigraph {env['pyoxigraph']}, rdflib "
        f"{env['rdflib']}, vetgraph {env['vetgraph']} at {env['commit']}. Medians of "
        f"{report['runs']} runs after a warm-up; rdflib once per query, capped at "
        f"{report['rdflib_cap']:.0f} s (a capped figure is a lower bound, marked ≥).",
        "",
        "## Targets",
        "",
        "| target | measured | met | missed by |",
        "| --- | --- | --- | --- |",
    ]
    for t in report["targets"]:
        met = "yes" if t["met"] else "**no**"
        lines.append(f"| {t['target']} | {t['measured']} | {met} | {t['miss']} |")
    for size in report["sizes"]:
        if "queries" not in size:
            continue
        label = size_label(size["size"])
        q = size["queries"]
        lines += [
            "",
            f"## {label} triples requested ({q['quads']:,} quads with the bundled data, "
            "the ontology and the claim index)",
            "",
            "### Load (fresh process per run)",
            "",
            "| file | method | time (s) | peak memory (MiB) | time vs pyoxigraph | "
            "memory vs pyoxigraph | quads |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        reference = {r["format"]: r for r in size["loads"] if r["method"] == "pyoxigraph"}
        for r in size["loads"]:
            ref = reference.get(r["format"])
            if "error" in r:
                lines.append(f"| {r['format']} | {r['method']} | {r['error']} | | | | |")
                continue
            capped = r.get("capped", False)
            t = _x(r["seconds"] / ref["seconds"], capped) if ref and "seconds" in ref else "–"
            m = _x(r["peak_mib"] / ref["peak_mib"]) if ref and "peak_mib" in ref else "–"
            lines.append(
                f"| {r['format']} ({size['file_mb'][r['format']]:.1f} MB) | {r['method']} | "
                f"{'≥' if capped else ''}{r['seconds']:.2f} | {r['peak_mib']:.0f} | {t} | {m} | "
                f"{r.get('quads', '–')} |"
            )
        rd = q.get("rdflib", {})
        lines += [
            "",
            f"vetgraph's query process loaded bundled data + TriG in {q['load_s']:.2f} s; "
            f"`len(kg)` took {q['len_s'] * 1e3:.1f} ms. "
            + (
                f"rdflib read the same dataset (N-Quads) into a Dataset in {rd['load_s']:.1f} s, "
                f"peak {rd.get('load_peak_mib', float('nan')):.0f} MiB."
                if "load_s" in rd
                else ""
            ),
            "",
            "### Library queries (ms; ratios: vetgraph ÷ raw, rdflib ÷ vetgraph)",
            "",
            "| query | rows | vetgraph | raw pyoxigraph | vetgraph ÷ raw | rdflib | "
            "rdflib ÷ vetgraph | CSV vetgraph ÷ raw | table |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for x in q["queries"]:
            capped = x.get("rdflib_capped", False)
            rows = str(x["rows"])
            if x.get("rdflib_rows") not in (None, x["rows"]) and not capped:
                rows += f" (rdflib {x['rdflib_rows']})"
            lines.append(
                f"| {x['kind']}/{x['name']} | {rows} | {_ms(x['vetgraph_s'])} | "
                f"{_ms(x['raw_s'])} | {_x(x['vetgraph_vs_raw'])} | "
                f"{('≥' if capped else '') + _ms(x.get('rdflib_s'))} | "
                f"{_x(x.get('rdflib_vs_vetgraph'), capped)} | {_x(x['csv_vs_raw'])} | "
                f"{_ms(x['vetgraph_table_s'])} |"
            )
        qs = q["queries"]
        with_rdflib = [x for x in qs if "rdflib_s" in x]
        lines += [
            f"| **geometric mean** | | {_ms(geomean([x['vetgraph_s'] for x in qs]))} | "
            f"{_ms(geomean([x['raw_s'] for x in qs]))} | "
            f"{_x(geomean([x['vetgraph_vs_raw'] for x in qs]))} | "
            + (
                f"{_ms(geomean([x['rdflib_s'] for x in with_rdflib]))} | "
                f"{_x(geomean([x['rdflib_vs_vetgraph'] for x in with_rdflib]), any(x['rdflib_capped'] for x in with_rdflib))} | "  # noqa: E501
                if with_rdflib
                else "– | – | "
            )
            + f"{_x(geomean([x['csv_vs_raw'] for x in qs]))} | |",
        ]
        if q.get("checks"):
            lines += [
                "",
                "### Validation checks (`queries/checks`, once each, embedded store)",
                "",
                "| check | time (s) | rows |",
                "| --- | --- | --- |",
            ]
            lines += [f"| {c['name']} | {c['seconds']:.3f} | {c['rows']} |" for c in q["checks"]]
        if q["exports"]:
            lines += [
                "",
                "### Export (`vetgraph.publish.export.outputs`)",
                "",
                "| format | time (s) | size (MB) |",
                "| --- | --- | --- |",
            ]
            for e in q["exports"]:
                t = f"≥{e['seconds']:.0f} (capped)" if e["capped"] else f"{e['seconds']:.2f}"
                lines.append(f"| {e['format']} | {t} | {e['bytes'] / 1e6:.1f} |")
    from bench import cache

    lines += cache.markdown(report)
    if report.get("build"):
        b = report["build"]
        lines += [
            "",
            "## `vetgraph build` on the bundled graph",
            "",
            f"Whole process (`{b['whole']['command']}`): {b['whole']['seconds']:.2f} s "
            f"(exit {b['whole']['exit_code']}). Each step in one process, median of "
            f"{report['runs']} after a warm-up:",
            "",
            "| step | time (s) | share |",
            "| --- | --- | --- |",
        ]
        total = sum(b["steps"].values())
        for name, seconds in b["steps"].items():
            lines.append(f"| {name} | {seconds:.3f} | {seconds / total:.0%} |")
        lines.append(f"| **total** | {total:.3f} | |")
    if report.get("pages"):
        lines += [
            "",
            "## The network page (headless Chromium)",
            "",
            "Time from navigation until the page is ready (its script done and the first "
            "stable frame drawn), its phases from the page's own marks (`bench/page.py`: "
            "loading = HTML parsed and scripts compiled; data = JSON read, graph made; "
            "setup = `new Sigma`; rest = panels and the first drawing), and the CPU "
            "time of the page's main thread (which a busy machine does not inflate).",
            "",
            "| entities | links | making the page (s) | page (MB) | ready (s) | loading | data "
            "| setup | rest | main-thread CPU (s) | start |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for p in report["pages"]:
            start = "physics until stable" if p["physics"] else "laid out in Python"
            phases = " | ".join(f"{v:.2f}" for v in p["phases_s"].values())
            lines.append(
                f"| {p['nodes']:,} | {p['edges']:,} | {p['make_s']:.2f} | {p['size_mb']:.2f} | "
                f"{p['render_s']:.2f} | {phases} | {p['cpu_s']:.2f} | {start} |"
            )
    if report.get("cli"):
        lines += [
            "",
            "## Whole processes",
            "",
            "| command | size | time (s) | fastest (s) | exit |",
            "| --- | --- | --- | --- | --- |",
        ]
        for c in report["cli"]:
            command = c["command"].replace(str(OUT), "bench/out").replace(str(ROOT) + "/", "")
            size = size_label(c["size"]) if c["size"] else "bundled"
            lines.append(
                f"| `{command}` | {size} | {c['seconds']:.3f} | {c['min_s']:.3f} | "
                f"{c['exit_code']} |"
            )
    return "\n".join(lines) + "\n"


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


def main(argv: list[str] | None = None) -> dict[str, Any]:
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
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=["load", "rdflib", "export", "build", "page", "cli", "queries", "cache"],
        help="parts to leave out",
    )
    parser.add_argument("--child-timeout", type=float, default=900.0, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=OUT, help="where the reports go")
    args = parser.parse_args(argv)

    started = time.time()
    report: dict[str, Any] = {
        "command": shlex.join(["python", "-m", "bench", *(sys.argv[1:] if argv is None else argv)]),
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "runs": args.runs,
        "rdflib_cap": args.rdflib_cap,
        "environment": environment(),
        "sizes": [],
    }
    data = args.out / "data"
    files_by_size: dict[int, dict[str, Path]] = {}
    for n in args.sizes:
        formats = FORMATS if "load" not in args.skip else ("trig",)  # the rest needs TriG
        log(f"{size_label(n)}: generating {', '.join(formats)}")
        files = files_by_size[n] = generate_files(n, args.seed, data, formats)
        size: dict[str, Any] = {
            "size": n,
            "file_mb": {fmt: p.stat().st_size / 1e6 for fmt, p in files.items()},
            "loads": [],
        }
        if "load" not in args.skip:
            log(f"{size_label(n)}: loading (fresh process per run)")
            size["loads"] = measure_loads(files, args)
        if "queries" not in args.skip:
            log(f"{size_label(n)}: library queries and exports")
            size["queries"] = measure_queries(files, args, data)
        if "cache" not in args.skip:
            from bench import cache

            size["cache"] = cache.measure(files["trig"], args, data)
        report["sizes"].append(size)
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
    report["environment"]["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    report["duration_s"] = time.time() - started
    report["targets"] = check_targets(report)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(report, indent=1))
    (args.out / "report.md").write_text(markdown(report))
    log(f"wrote {args.out / 'report.md'} and {args.out / 'report.json'}")
    return report


if __name__ == "__main__":
    main()
