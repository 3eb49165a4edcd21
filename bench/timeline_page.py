"""Benchmark: the timeline page (vetgraph.explore.timeline_page) at 20,000 dated entities.

For each size: the time vetgraph takes to make the page and its size; in headless Chromium
(the system's, driven by Playwright, the page opened from file:// with every other request
blocked) the time from navigation until the page is drawn and ready (``body[data-stable]``),
and the time to hide one group, show it again, filter by a search, and zoom in, each measured
inside the page from the action until the next frame.

    .venv/bin/python -m bench.timeline_page                  # 20,000 entities, every one dated
    .venv/bin/python -m bench.timeline_page --nodes 5000 --runs 3
    .venv/bin/python -m bench.timeline_page --generated      # bench/generate.py's graph

Not a test: figures depend on the machine. Pages are written to bench/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import statistics
import time

import networkx as nx

from bench.page import CHROMIUM, FLAGS, OUT, STABLE, graph_of
from vetgraph.explore.network import node_attributes
from vetgraph.explore.timeline_page import render_timeline

#: Classes from five groups, so that the page has five lanes.
CLASSES = ("vet:Communique", "vet:Programme", "vet:Organisation", "vet:Event", "vet:Tool")

#: In the page: an action, then the time until the next frame is drawn (ms).
TIMED = """async (action) => {
    const started = performance.now();
    if (action === 'hide' || action === 'show') {
        document.querySelector('#tl-legend input[data-key="documents"]').click();
    } else if (action === 'search') {
        const input = document.getElementById('tl-search-input');
        input.value = 'entity 12';
        input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
    } else if (action === 'clear') {
        const input = document.getElementById('tl-search-input');
        input.value = '';
        input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
    } else if (action === 'zoom') {
        document.getElementById('tl-zoom-in').click();
    }
    await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
    return performance.now() - started;
}"""
ACTIONS = ("hide", "show", "search", "clear", "zoom")


def dated_graph(n: int) -> nx.MultiDiGraph:
    """``n`` entities, every one dated: two in three a single date, one in three a period,
    spread over 1963–2025, in five classes of five groups."""
    g = nx.MultiDiGraph()
    cite = {
        "claim": "urn:claim",
        "source": "urn:source",
        "title": "A source document",
        "url": "https://example.org/source",
        "kind": "vet:OfficialEUSource",
        "retrieved": "2026-11-25",
        "section": "Part 1",
        "locator": "sentence 1",
    }
    for i in range(n):
        iri = f"https://w3id.org/vetgraph/id/t{i:06d}"
        year, month = 1963 + i % 63, 1 + i % 12
        dates = {"date": f"{year}-{month:02d}-01"}
        if i % 3 == 0:
            dates = {"startDate": f"{year}-{month:02d}", "endDate": str(year + 1 + i % 7)}
        cls = CLASSES[i % len(CLASSES)]
        g.add_node(
            iri,
            **node_attributes(
                iri,
                f"entity {i}",
                cls=cls,
                class_label=cls[4:].lower(),
                description=f"Entity number {i}, described in a sentence or two.",
                dates=dates,
                year=year,
                sources=[cite],
            ),
        )
    return g


def measure(sizes: list[int], runs: int, generated: bool) -> list[dict[str, float]]:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(exist_ok=True)
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for n in sizes:
            graph = graph_of(n) if generated else dated_graph(n)
            started = time.perf_counter()
            page = render_timeline(graph, title=f"{n} entities")
            made = time.perf_counter() - started
            path = page.save(OUT / f"timeline-{n}.html")
            opening: list[float] = []
            actions: dict[str, list[float]] = {a: [] for a in ACTIONS}
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                tab = context.new_page()
                tab.route(
                    "**/*",
                    lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
                )
                started = time.perf_counter()
                tab.goto(path.as_uri())
                tab.wait_for_selector(STABLE, state="attached", timeout=300_000)
                opening.append(time.perf_counter() - started)
                for action in ACTIONS:
                    actions[action].append(tab.evaluate(TIMED, action))
                context.close()
            row = {
                "entities": graph.number_of_nodes(),
                "dated": page.nodes,
                "make_s": made,
                "size_mb": path.stat().st_size / 1e6,
                "open_s": statistics.median(opening),
            }
            row.update({f"{a}_ms": statistics.median(t) for a, t in actions.items()})
            rows.append(row)
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--nodes", type=int, action="append", help="entities (repeatable)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--generated", action="store_true", help="bench/generate.py's graph")
    args = parser.parse_args()
    rows = measure(args.nodes or [20_000], args.runs, args.generated)
    print(
        f"{'entities':>9} {'dated':>7} {'make s':>7} {'MB':>6} {'open s':>7} "
        + " ".join(f"{a + ' ms':>9}" for a in ACTIONS)
    )
    for r in rows:
        print(
            f"{r['entities']:>9} {r['dated']:>7} {r['make_s']:>7.2f} {r['size_mb']:>6.1f} "
            f"{r['open_s']:>7.2f} " + " ".join(f"{r[a + '_ms']:>9.0f}" for a in ACTIONS)
        )


if __name__ == "__main__":
    main()
