"""Benchmark: the interactive page at 500, 5,000 and 20,000 entities.

For each size: the time vetgraph takes to make the page (analysis, layout, HTML), the
page's size, and in headless Chromium (the system's, driven by Playwright, page opened from
file:// with every other request blocked) the time from navigation to the first stable
drawing: physics settled for small graphs, the first frame for graphs laid out in Python.

    .venv/bin/python bench/page.py                      # 500, 5000, 20000 entities
    .venv/bin/python bench/page.py --nodes 1000 --runs 3

Not a test: figures depend on the machine. Pages are written to bench/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import networkx as nx

from vetgraph import visualise
from vetgraph.network import node_attributes

OUT = Path(__file__).parent / "out"
CHROMIUM = "/usr/bin/chromium"
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
CLASSES = ("vet:Programme", "vet:Project", "vet:Organisation", "vet:Country", "vet:Sector")


def graph_of(n: int) -> nx.MultiDiGraph:
    """A graph of ``n`` entities in the schema of ``vetgraph.network.to_networkx``.

    Clusters of 20 (a hub and its members) chained together with some cross links: about
    1.2 links per entity, five classes, a date on every third entity, one citation each.
    (Swap in bench/generate.py's scaled real vocabulary here when it is available.)
    """
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
            predicate=key,
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


def measure(sizes: list[int], runs: int) -> list[dict[str, float]]:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(exist_ok=True)
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for n in sizes:
            graph = graph_of(n)
            started = time.perf_counter()
            page = visualise.render(graph, title=f"{n} entities")
            made = time.perf_counter() - started
            path = page.save(OUT / f"page-{n}.html")
            renders, blocked = [], []
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
                tab.goto(path.as_uri())
                # (wait_for_function would need eval, which the page's CSP forbids)
                tab.wait_for_selector(STABLE, state="attached", timeout=600_000)
                renders.append(tab.evaluate("vetgraph.stableAt") / 1000)
                drawn = tab.evaluate("vetgraph.network.body.nodeIndices.length")
                assert drawn == n, (drawn, n)
                context.close()
            rows.append(
                {
                    "nodes": n,
                    "edges": graph.number_of_edges(),
                    "make_s": made,
                    "size_mb": path.stat().st_size / 1e6,
                    "render_s": statistics.median(renders),
                    "physics": page.nodes <= visualise.LARGE,
                    "blocked": len(blocked),
                }
            )
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[500, 5000, 20000])
    parser.add_argument("--runs", type=int, default=1, help="browser runs per size (median)")
    args = parser.parse_args()
    rows = measure(args.nodes, args.runs)
    print(
        f"{'entities':>8} {'links':>7} {'make (s)':>9} {'page (MB)':>10} "
        f"{'to stable (s)':>14}  start"
    )
    for r in rows:
        start = "physics until stable" if r["physics"] else "laid out in Python, still"
        print(
            f"{r['nodes']:>8} {r['edges']:>7} {r['make_s']:>9.2f} {r['size_mb']:>10.2f} "
            f"{r['render_s']:>14.2f}  {start}"
        )
        assert r["blocked"] == 0, "the page asked for something over the network"


if __name__ == "__main__":
    main()
