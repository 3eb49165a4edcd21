"""The report of ``python -m bench``: each target's verdict, and the Markdown."""

from __future__ import annotations

from typing import Any

from bench.common import OUT, ROOT, geomean, size_label
from bench.common import ms as _ms
from bench.common import ratio as _x

#: The targets of issue 7.
QUERY_VS_RDFLIB = 50.0  # vetgraph at least this many times faster (geometric mean)
QUERY_VS_RAW = 1.3  # vetgraph within this factor of raw pyoxigraph
LOAD_VS_RAW = 1.3
MEMORY_VS_RAW = 1.5
HELP_S = 0.3
QUERY_CLI_S = 1.0
PAGE_NODES, PAGE_S = 5000, 3.0
FORMATS = ("trig", "ttl", "nt")


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
    from bench import cache, store_report

    store_report.check(report, add)
    cache.check(report, add)
    return targets


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
    from bench import cache, store_report

    lines += store_report.markdown(report)
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
