"""The report's section on a store on disk at scale (``bench/store.py``'s figures)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.common import geomean, size_label
from bench.common import ms as _ms
from bench.common import ratio as _x


def markdown(report: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for size in report["sizes"]:
        s = size.get("store")
        if s:
            lines += _section(size_label(size["size"]), s)
    return lines


def _section(label: str, s: dict[str, Any]) -> list[str]:
    caps = s["caps"]
    lines = [
        "",
        f"## A store on disk at {label} (TriG, {s['file_mb']:.1f} MB; store "
        f"{s.get('store_mib', float('nan')):,.0f} MiB)",
    ]
    if "load" in s:
        lines += [
            "",
            "| bulk load into a store on disk | time (s) | peak memory (MiB) |",
            "| --- | --- | --- |",
            f"| `{s['load']['command']}` (ontology, data, file, claim index) | "
            f"{s['load']['seconds']:.1f} | {s['load']['peak_mib']:,.0f} |",
        ]
    else:
        lines += ["", f"The store an earlier run built ({s.get('store_at', '?')}); no load here."]
    raw_load = s.get("raw_load")
    if raw_load:
        lines.append(
            "| raw pyoxigraph `Store(DIR).bulk_load(FILE)` in a fresh process (the file only) | "
            f"{raw_load.get('seconds', float('nan')):.1f} | "
            f"{raw_load.get('peak_mib', float('nan')):,.0f} |"
        )
    lines += _queries(s.get("queries"), caps["query_s"])
    lines += _query_cli(s.get("query_cli"))
    lines += _serve(s.get("serve"))
    lines += _processes(s, caps)
    return lines


def _queries(queries: list[dict[str, Any]] | None, cap: float) -> list[str]:
    if not queries:
        return []
    lines = [
        "",
        f"Library queries on the store, each side in a process of its own, capped at {cap:.0f} s "
        "(≥: stopped at the cap, a lower bound); ms:",
        "",
        "| query | rows | vetgraph | raw pyoxigraph | vetgraph ÷ raw |",
        "| --- | --- | --- | --- | --- |",
    ]
    for q in queries:
        v, r = q["vetgraph_capped"], q["raw_capped"]
        ratio = "– (both capped)" if v and r else _x(q["vetgraph_vs_raw"], v and not r)
        if r and not v:
            ratio = f"≤{q['vetgraph_vs_raw']:.2f}x"
        rows = "–" if q["rows"] is None else str(q["rows"])
        lines.append(
            f"| {q['kind']}/{q['name']} | {rows} | {'≥' if v else ''}{_ms(q['vetgraph_s'])} | "
            f"{'≥' if r else ''}{_ms(q['raw_s'])} | {ratio} |"
        )
    both = [q for q in queries if not (q["vetgraph_capped"] and q["raw_capped"])]
    if both:
        lines.append(
            f"| **geometric mean** ({len(both)} not capped on both sides) | | "
            f"{_ms(geomean([q['vetgraph_s'] for q in both]))} | "
            f"{_ms(geomean([q['raw_s'] for q in both]))} | "
            f"{_x(geomean([q['vetgraph_vs_raw'] for q in both]))} |"
        )
    return lines


def _query_cli(cli: dict[str, Any] | None) -> list[str]:
    if not cli:
        return []
    lines = [
        "",
        "| whole process on the store | time (s) | fastest (s) | CPU time (s) | exit |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, label in (("first", "first after the load"), ("warm", "warm"), ("raw", "raw")):
        r = cli[name]
        fastest = f"{r['min_s']:.3f}" if "min_s" in r else "–"
        cpu = f"{r['cpu_s']:.3f}" if "cpu_s" in r else "–"
        lines.append(
            f"| {label}: `{r['command']}` | {r['seconds']:.3f} | {fastest} | {cpu} | "
            f"{r['exit_code']} |"
        )
    return lines


def _serve(serve: dict[str, Any] | None) -> list[str]:
    if not serve:
        return []
    if "error" in serve:
        return ["", f"`vetgraph serve --store DIR` did not start: {serve['error']}"]
    p50, p99 = serve.get("p50_ms"), serve.get("p99_ms")
    latency = f"p50 {p50:.1f} ms, p99 {p99:.1f} ms" if p50 is not None else "no answer"
    return [
        "",
        f"`vetgraph serve --store DIR` answered {serve['start_s']:.2f} s after it was started. "
        f"Then {serve.get('requests', 0)} requests over {len(serve['queries'])} library queries "
        f"(quick ones: raw pyoxigraph answered each within a second on the store): "
        f"{serve.get('throughput_per_s', 0):.1f} per second, {latency}, "
        f"{serve.get('errors', 0)} errors{_first(serve)}; the server's peak memory "
        f"{serve.get('memory_mib') or float('nan'):,.0f} MiB; exit code on Ctrl-C "
        f"{serve.get('exit_code')}.",
    ]


def _first(serve: dict[str, Any]) -> str:
    return f" (the first: {serve['first_error']})" if serve.get("first_error") else ""


def _processes(s: dict[str, Any], caps: dict[str, float]) -> list[str]:
    rows = ([s["validate"]] if s.get("validate") else []) + s.get("exports", [])
    if not rows:
        return []
    lines = [
        "",
        f"Whole processes on the store, each stopped at {caps['process_s']:.0f} s or "
        f"{caps['memory_mib']:,.0f} MiB of resident memory:",
        "",
        "| command | time (s) | peak memory (MiB) | output (MB) | outcome |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        if r["capped"]:
            outcome = f"stopped: over the {r['capped']} cap"
        elif r["exit_code"] == 0:
            outcome = "done"
        elif r["exit_code"] == 1 and "validate" in r["command"]:
            outcome = "done (exit 1: findings)"
        else:
            outcome = f"exit {r['exit_code']}: {r['error'].splitlines()[-1] if r['error'] else ''}"
        size = f"{r['bytes'] / 1e6:,.1f}" if "bytes" in r and not r["capped"] else "–"
        over = "≥" if r["capped"] == "time" else ""
        lines.append(
            f"| `{r['command']}` | {over}{r['seconds']:.1f} | {r['peak_mib']:,.0f} | {size} | "
            f"{outcome} |"
        )
    return lines


def check(report: dict[str, Any], add: Callable[..., None]) -> None:
    """The store's targets of issue 17, through ``bench.report.check_targets``'s ``add``."""
    from bench.cache import _cpu_ratio
    from bench.store import LOAD_PEAK_MIB, QUERIES_VS_RAW, QUERY

    for size in report["sizes"]:
        s = size.get("store")
        if not s:
            continue
        label = size_label(size["size"])
        if "load" in s:
            peak = s["load"]["peak_mib"]
            add(
                f"`vetgraph load --store` at {label}: peak memory under {LOAD_PEAK_MIB} MiB",
                f"{peak:.0f} MiB in {s['load']['seconds']:.1f} s",
                peak < LOAD_PEAK_MIB and s["load"]["exit_code"] == 0,
                "" if peak < LOAD_PEAK_MIB else f"{peak - LOAD_PEAK_MIB:.0f} MiB over",
            )
        queries = s.get("queries", [])
        both = [q for q in queries if not (q["vetgraph_capped"] and q["raw_capped"])]
        if both:
            g = geomean([q["vetgraph_vs_raw"] for q in both])
            capped = len(queries) - len(both)
            add(
                f"library queries on the store on disk at {label}: within {QUERIES_VS_RAW}x "
                "of raw pyoxigraph (geomean)",
                f"{g:.2f}x (worst {max(q['vetgraph_vs_raw'] for q in both):.2f}x; "
                f"{len(both)} queries, {capped} capped on both sides left out)",
                g <= QUERIES_VS_RAW,
                "" if g <= QUERIES_VS_RAW else f"{g / QUERIES_VS_RAW:.2f}x over",
            )
        cli = s.get("query_cli")
        if cli:
            warm, raw = cli["warm"]["seconds"], cli["raw"]["seconds"]
            add(
                f"`vetgraph query {QUERY} --store DIR` at {label}: within 1.2x of raw "
                "pyoxigraph on the same store (whole processes)",
                f"{warm / raw:.2f}x ({warm:.3f} s vs {raw:.3f} s; CPU time "
                f"{_cpu_ratio(cli['warm'], cli['raw'])})",
                warm / raw <= 1.2,
                "" if warm / raw <= 1.2 else f"{warm / raw / 1.2:.2f}x over",
            )
