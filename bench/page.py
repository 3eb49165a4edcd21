"""Benchmark: the network page (sigma.js, WebGL) at 500, 5,000 and 20,000 entities.

The graphs come from bench/generate.py (the real vocabulary at scale). For each size: the
time vetgraph takes to make the page (analysis, layout, HTML), the page's size, and in
headless Chromium (the system's, driven by Playwright, page opened from file:// with every
other request blocked; WebGL without a GPU is SwiftShader's) the time from navigation until
the page is interactive (its first frame drawn with its labels: ``body[data-stable]``), and
of that the time sigma takes to take in the graph ("setup"); then the time a click on an
entity takes to show its details, and hiding and showing again the largest group (until
the next frame: the layout after the filter follows, "relayout").

    .venv/bin/python -m bench.page                      # 500, 5000, 20000 entities
    .venv/bin/python -m bench.page --nodes 1000 --runs 3
    .venv/bin/python -m bench.page --sparse             # a sparse synthetic graph instead

Not a test: figures depend on the machine. Pages are written to bench/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from pathlib import Path

import networkx as nx

from vetgraph.explore import visualise
from vetgraph.explore.network import node_attributes

OUT = Path(__file__).parent / "out"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STABLE = 'body[data-stable="true"]'
#: The page's own marks (performance.now(), from navigation) that end each phase.
#: Loading: the HTML read and parsed, the scripts compiled; data: the JSON read and the
#: graphology graph made (small graphs: ForceAtlas2 too); setup: ``new Sigma`` (the graph
#: taken in); rest: the panels and filters, and the first frame with its labels.
PHASES = {"loading": "start", "data": "data", "setup": "network", "rest": "ready"}
#: Hide (or show) a group's entities from its legend box, and time until the next frame.
TOGGLE = """async (group) => {
  const box = document.querySelector(`#vg-legend input[data-group="${group}"]`);
  const start = performance.now();
  box.click();
  await new Promise(resolve => requestAnimationFrame(resolve));
  return (performance.now() - start) / 1000;
}"""
CLASSES = ("vet:Programme", "vet:Project", "vet:Organisation", "vet:Country", "vet:Sector")


#: Quads bench/generate.py writes per entity that becomes a node (measured: 26.5 at 10k
#: quads, 28.3 at 40k); used to aim at a number of entities.
QUADS_PER_ENTITY = 28


def graph_of(n: int) -> nx.MultiDiGraph:
    """About ``n`` entities of bench/generate.py's data (the real vocabulary and provenance
    model, policy-shaped fan-out: some 15 links per entity), loaded as ``vetgraph build``
    loads data and projected with ``to_networkx``."""
    from bench.generate import write
    from vetgraph.explore.network import to_networkx
    from vetgraph.graph.build import load

    path = OUT / f"generated-{n}.trig"
    write(path, n * QUADS_PER_ENTITY, seed=1)
    return to_networkx(load([path]))


def sparse_graph_of(n: int) -> nx.MultiDiGraph:
    """``n`` entities in clusters of 20 (a hub and its members) chained together with some
    cross links: about 1.2 links per entity, five classes, a date on every third entity."""
    g = nx.MultiDiGraph()
    cite = {
        "claim": "urn:claim",
        "source": "urn:source",
        "title": "A source document",
        "url": "https://example.org/source",
        "kind": None,
        "section": "Part 1",
        "locator": "sentence 1",
    }

    def iri(i: int) -> str:
        return f"https://w3id.org/vetgraph/id/e{i:06d}"

    for i in range(n):
        year = 1963 + i % 63
        g.add_node(
            iri(i),
            **node_attributes(
                iri(i),
                f"entity {i}",
                cls=CLASSES[i % 5],
                class_label=CLASSES[i % 5][4:].lower(),
                description=f"Entity number {i}, described in a sentence or two.",
                dates={"startDate": str(year)} if i % 3 == 0 else {},
                year=year if i % 3 == 0 else None,
                sources=[cite],
            ),
        )

    def link(a: int, b: int, key: str, label: str) -> None:
        g.add_edge(
            iri(a),
            iri(b),
            key=key,
            curie=key,
            label=label,
            claim="urn:claim",
            predicate=f"https://w3id.org/vetgraph/ontology#{key[4:]}",
            sources=[cite],
        )

    for i in range(n):
        hub = i - i % 20
        if i != hub:
            link(i, hub, "vet:partOf", "part of")
        if i % 20 == 0 and i:
            link(i, i - 20, "vet:buildsOn", "builds on")
        if i % 7 == 3 and i + 45 < n:
            link(i, i + 45, "vet:relatedTo", "related to")
    return g


def measure(sizes: list[int], runs: int, sparse: bool = False) -> list[dict[str, float]]:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(exist_ok=True)
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for n in sizes:
            graph = sparse_graph_of(n) if sparse else graph_of(n)
            n = graph.number_of_nodes()
            started = time.perf_counter()
            page = visualise.render(graph, title=f"{n} entities")
            made = time.perf_counter() - started
            path = page.save(OUT / f"page-{n}.html")
            renders: list[float] = []
            setups: list[float] = []
            cpus: list[float] = []
            phases: dict[str, list[float]] = {name: [] for name in PHASES}
            blocked: list[str] = []
            actions: list[dict[str, float]] = []
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1400, "height": 850})
                tab = context.new_page()

                def route(r, blocked=blocked):
                    if r.request.url.startswith("file://"):
                        r.continue_()
                    else:
                        blocked.append(r.request.url)
                        r.abort()

                tab.route("**/*", route)
                cdp = context.new_cdp_session(tab)
                cdp.send("Performance.enable")
                tab.goto(path.as_uri())
                # (wait_for_function would need eval, which the page's CSP forbids)
                tab.wait_for_selector(STABLE, state="attached", timeout=600_000)
                metrics = cdp.send("Performance.getMetrics")["metrics"]
                # CPU time of the page's main thread: on a busy machine the wall time grows,
                # this does not (on an idle one the two agree).
                cpus.append(next(m["value"] for m in metrics if m["name"] == "ThreadTime"))
                marks = tab.evaluate("vetgraph.marks")
                marks["ready"] = marks["stable"]
                renders.append(marks["ready"] / 1000)
                setups.append((marks["network"] - marks["data"]) / 1000)
                previous = 0.0
                for name, mark in PHASES.items():
                    phases[name].append((marks[mark] - previous) / 1000)
                    previous = marks[mark]
                drawn = len(tab.evaluate("vetgraph.shown()"))
                assert drawn == n, (drawn, n)
                actions.append(_actions(tab))
                context.close()
            rows.append(
                {
                    "nodes": n,
                    "edges": graph.number_of_edges(),
                    "make_s": made,
                    "size_mb": path.stat().st_size / 1e6,
                    "render_s": statistics.median(renders),
                    "setup_s": statistics.median(setups),
                    "cpu_s": statistics.median(cpus),
                    "phases_s": {name: statistics.median(t) for name, t in phases.items()},
                    "physics": False,
                    "blocked": len(blocked),
                    **{k: statistics.median(a[k] for a in actions) for k in actions[0]},
                }
            )
        browser.close()
    return rows


def _actions(tab) -> dict[str, float]:
    """A click on the best-connected entity until its details show; hiding the largest
    group and showing it again (each until the next frame), and the layout after it."""
    best = tab.evaluate("vetgraph.page.nodes.reduce((a, b) => (b[5] > a[5] ? b : a))[0]")
    tab.evaluate("iri => vetgraph.centre(iri, 0.1)", best)
    x, y = tab.evaluate("iri => vetgraph.whereIs(iri)", best)
    started = time.perf_counter()
    tab.mouse.click(x, y)
    tab.wait_for_selector("#vg-details h2.entity", timeout=600_000)
    click = time.perf_counter() - started
    group = tab.evaluate("vetgraph.page.groups.reduce((a, b) => (b.count > a.count ? b : a)).key")
    hide = tab.evaluate(TOGGLE, group)
    started = time.perf_counter()
    tab.wait_for_selector('body[data-layout="done"]', state="attached", timeout=600_000)
    relayout = time.perf_counter() - started + hide
    show = tab.evaluate(TOGGLE, group)
    return {"click_s": click, "hide_s": hide, "show_s": show, "relayout_s": relayout}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[500, 5000, 20000])
    parser.add_argument("--runs", type=int, default=1, help="browser runs per size (median)")
    parser.add_argument(
        "--sparse",
        action="store_true",
        help="a sparse synthetic graph (1.2 links per entity) instead of bench/generate.py's",
    )
    args = parser.parse_args()
    rows = measure(args.nodes, args.runs, args.sparse)
    print(
        f"{'entities':>8} {'links':>7} {'make (s)':>9} {'page (MB)':>10} "
        f"{'interactive (s)':>16} {'setup (s)':>10} {'CPU (s)':>8} {'click (s)':>10} "
        f"{'hide (s)':>9} {'show (s)':>9} {'relayout (s)':>13}"
    )
    for r in rows:
        print(
            f"{r['nodes']:>8} {r['edges']:>7} {r['make_s']:>9.2f} {r['size_mb']:>10.2f} "
            f"{r['render_s']:>16.2f} {r['setup_s']:>10.2f} {r['cpu_s']:>8.2f} "
            f"{r['click_s']:>10.2f} {r['hide_s']:>9.2f} {r['show_s']:>9.2f} "
            f"{r['relayout_s']:>13.2f}"
        )
        assert r["blocked"] == 0, "the page asked for something over the network"


if __name__ == "__main__":
    main()
