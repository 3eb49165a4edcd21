"""networkx → one self-contained HTML page: the graph to explore without SPARQL.

The public API: :func:`viz` (the page of the graph or of a view of it), :func:`render` (the
page of a networkx graph) and :class:`Page`. What the page holds is built by
:mod:`vetgraph.explore.pagemodel` (its look by :mod:`vetgraph.explore.style`);
:mod:`vetgraph.explore.document` assembles the HTML and is the only module that imports pyvis.
Everything the page needs is inlined: vis-network's JavaScript (read from the copy pyvis ships,
licence header kept), our script and our styles. Opened from a file or an e-mail attachment it
makes no network request, and its Content-Security-Policy forbids any (``default-src 'none'``).

Labels, titles and descriptions are untrusted text. They travel as JSON inside
``<script type="application/json">`` blocks, with ``<``, ``>`` and ``&`` escaped so that no
string can close the block, and the page builds its DOM with ``textContent``. The CSP
allows only our two scripts (by hash), so an injected tag or handler could not run anyway.

>>> import networkx as nx
>>> from vetgraph.explore.network import node_attributes
>>> g = nx.MultiDiGraph()
>>> g.add_node("urn:x:a", **node_attributes("urn:x:a", "A <em class=x>"))
>>> page = render(g, title="Example")
>>> page.nodes, "<em class=x>" in page.html, "\\\\u003cem class=x\\\\u003e" in page.html
(1, False, True)
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vetgraph.explore.analytics import analyze
from vetgraph.explore.document import html_document
from vetgraph.explore.netmodel import LINKS
from vetgraph.explore.pagemodel import page_model

if TYPE_CHECKING:
    from collections.abc import Sequence

    import networkx as nx

    from vetgraph.explore.analytics import Analysis
    from vetgraph.explore.paths import Connection
    from vetgraph.explore.views import Timeline
    from vetgraph.graph.store import KnowledgeGraph

LAYOUTS = ("network", "timeline")
#: Above this many entities the network page's analysis is the quick one (no Louvain).
QUICK = 3000
SIZE_BY = ("degree", "betweenness")


@dataclass(frozen=True)
class Page:
    """A rendered page: ``html`` (one self-contained document), ``save(path)``, and an
    inline display in Jupyter or VS Code (an isolated iframe holding the whole page)."""

    html: str
    title: str
    nodes: int
    edges: int
    height: int = 640

    def save(self, path: str | Path) -> Path:
        """Write the page (atomically: a failure leaves any previous file as it was)."""
        from vetgraph.outputs import write_file

        target = Path(path)
        write_file(target, self.html.encode("utf-8"))
        return target

    def _repr_html_(self) -> str:
        # srcdoc keeps the page inside the notebook (offline, no file server); the
        # sandbox without allow-same-origin isolates it from the notebook's own page.
        return (
            f'<iframe title="{html.escape(self.title)}" srcdoc="{html.escape(self.html)}" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
            f'style="width:100%;height:{self.height}px;border:1px solid #ccc"></iframe>'
        )

    def __str__(self) -> str:
        return self.html


def viz(
    source: KnowledgeGraph | nx.MultiDiGraph | Sequence[str | Path] | None = None,
    *,
    focus: str | None = None,
    depth: int = 1,
    query: str | None = None,
    params: dict[str, str] | None = None,
    layout: str = "network",
    size_by: str = "degree",
    between: tuple[str, str] | None = None,
    max_length: int = 6,
    title: str | None = None,
    links: str = "iri",
) -> Page:
    """The interactive page of the graph or of a view of it.

    ``source``: a KnowledgeGraph, a graph from ``to_networkx``, input files, or None for
    the bundled data. ``focus``/``depth``: one entity's neighbourhood (IRI, CURIE or exact
    label). ``query``/``params``: a library query's result. ``layout``: ``"network"`` or
    ``"timeline"``. ``between=(a, b)``: the shortest connections between two entities,
    highlighted. ``links``: ``"iri"`` (entities link their IRIs: a standalone file) or
    ``"site"`` (their pages ``id/NAME.html`` beside the file, as in ``vetgraph build``'s
    site). In a notebook the returned page displays itself; ``.save(path)`` writes it.
    """
    kg, graph = _graph_of(source)
    graph, describe, highlight = _view(
        kg,
        graph,
        focus=focus,
        depth=depth,
        query=query,
        params=params,
        between=between,
        max_length=max_length,
    )
    _check_drawable(graph, layout, query=query, focus=focus, path=between is not None)
    heading = title or ("vetgraph timeline" if layout == "timeline" else "vetgraph")
    if layout == "timeline":  # its own page: vetgraph.explore.timeline_page
        from vetgraph.explore.timeline_page import render_timeline

        return render_timeline(graph, title=heading, subtitle="; ".join(describe), kg=kg)
    del kg  # the store is no longer needed: free it before the page is made (20k: ~150 MB)
    return render(
        graph,
        title=heading,
        subtitle="; ".join(describe),
        layout=layout,
        size_by=size_by,
        highlight=highlight,
        links=links,
    )


def _view(
    kg: KnowledgeGraph | None,
    graph: nx.MultiDiGraph,
    *,
    focus: str | None,
    depth: int,
    query: str | None,
    params: dict[str, str] | None,
    between: tuple[str, str] | None,
    max_length: int,
) -> tuple[nx.MultiDiGraph, list[str], list[Connection] | None]:
    """The part of ``graph`` to draw, its description, and the connections to highlight."""
    from vetgraph.explore import paths, views

    describe = []
    highlight = None
    if query is not None:
        if kg is None:
            raise TypeError("a query view needs a KnowledgeGraph (or files), not a networkx graph")
        graph = views.query_view(kg, graph, query, params)
        describe.append(f"query {query}")
    if between is not None:
        start, end = (views.resolve(graph, ref) for ref in between)
        found = paths.connections(graph, start, end, max_length=max_length)
        if not found:
            raise _no_path(graph, start, end, max_length)
        highlight = found
        if focus is None:  # the path and its neighbours, not the whole graph
            graph = views.neighbourhood(graph, {n for c in found for n in c.nodes}, 1)
        describe.append(
            f"{graph.nodes[start]['label']} → {graph.nodes[end]['label']}: "
            f"{len(found)} shortest connection{'s' * (len(found) > 1)}"
        )
    if focus is not None:
        centre = views.resolve(graph, focus)
        describe.append(
            f"within {depth} link{'s' * (depth != 1)} of {graph.nodes[centre]['label']}"
        )
        graph = views.neighbourhood(graph, centre, depth)
    return graph, describe, highlight


def _check_drawable(
    graph: nx.MultiDiGraph, layout: str, *, query: str | None, focus: str | None, path: bool
) -> None:
    """A clear error when the view holds nothing to draw, with a hint that fits the view
    asked for (a query's result, a neighbourhood, a path, or the whole graph)."""
    from vetgraph.errors import InputError
    from vetgraph.explore.plain import NO_ENTITY_HINT

    if graph.number_of_nodes() == 0:
        if query is not None:
            raise InputError(
                f"nothing to draw: the result of the query {query} holds no entity",
                hint="check the query and its parameters (vetgraph viz --help)",
            )
        raise InputError(
            "nothing to draw: the graph holds no entity",
            hint=NO_ENTITY_HINT,
        )
    if layout == "timeline" and not any(d["dates"] for _, d in graph.nodes(data=True)):
        if focus is not None:
            where, hint = "the view", "widen the view (a larger --depth), or use --layout network"
        elif query is not None:
            where, hint = "the query's result", "use --layout network, or another query"
        elif path:
            where, hint = "the view", "use --layout network"
        else:
            where, hint = "the graph", f"{DATED}; or use --layout network"
        raise InputError(
            f"nothing to draw on a timeline: no entity in {where} has a date", hint=hint
        )


#: Where the timeline finds dates (the node attribute ``dates`` of :mod:`network`).
DATED = "a timeline places entities by vet:date, vet:startDate, vet:endDate or vet:plannedEndDate"


def _graph_of(source: Any) -> tuple[KnowledgeGraph | None, nx.MultiDiGraph]:
    import networkx as nx

    from vetgraph.explore.network import to_networkx
    from vetgraph.graph.store import KnowledgeGraph

    if isinstance(source, nx.MultiDiGraph):
        return None, source
    if not isinstance(source, KnowledgeGraph):
        from vetgraph.graph.build import load

        source = load(list(source) if source is not None else None)
    return source, to_networkx(source, include_literals=True)


def _no_path(graph: nx.MultiDiGraph, start: str, end: str, max_length: int) -> Exception:
    from vetgraph.errors import InputError

    return InputError(
        f"no connection between {graph.nodes[start]['label']} and "
        f"{graph.nodes[end]['label']} within {max_length} links",
        hint="raise --max-length, or check the two entities (vetgraph viz --focus ENTITY)",
    )


def render(
    graph: nx.MultiDiGraph,
    *,
    title: str = "vetgraph",
    subtitle: str = "",
    layout: str = "network",
    size_by: str = "degree",
    highlight: Sequence[Connection] | None = None,
    analysis: Analysis | None = None,
    links: str = "iri",
) -> Page:
    """Render ``graph`` (nodes and edges as ``to_networkx`` makes them) as one page.

    ``links``: where an entity's name leads, ``"iri"`` (a standalone file) or ``"site"``
    (its page ``id/NAME.html`` in the site ``vetgraph build`` writes)."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    if size_by not in SIZE_BY:
        raise ValueError(f"size_by must be one of {SIZE_BY}, not {size_by!r}")

    if links not in LINKS:
        raise ValueError(f"links must be one of {LINKS}, not {links!r}")
    if layout == "network":
        return _network_page(graph, title, subtitle, size_by, highlight, analysis, links)
    timeline: Timeline | None = None
    if layout == "timeline":
        from vetgraph.explore.views import timeline as place_on_timeline

        graph, timeline = place_on_timeline(graph)
    if analysis is None:
        analysis = analyze(graph, samples=_samples(graph, size_by))
    model = page_model(
        graph,
        analysis,
        title=title,
        subtitle=subtitle,
        layout=layout,
        size_by=size_by,
        highlight=highlight,
        timeline=timeline,
    )
    return Page(
        html=html_document(model, title),
        title=title,
        nodes=len(model.nodes),
        edges=len(model.edges),
    )


def _network_page(
    graph: nx.MultiDiGraph,
    title: str,
    subtitle: str,
    size_by: str,
    highlight: Sequence[Connection] | None,
    analysis: Analysis | None,
    links: str,
) -> Page:
    """The network (sigma.js) page; sizes need only degree, or a sampled betweenness."""
    from vetgraph.explore.netpage import network_html

    if analysis is None and graph.number_of_nodes() > QUICK:
        from vetgraph.explore.analytics import quick_analysis

        samples = _samples(graph, size_by) if size_by == "betweenness" else 0
        analysis = quick_analysis(graph, samples=samples)
    elif analysis is None:
        analysis = analyze(graph, samples=_samples(graph, size_by))
    html_text = network_html(
        graph,
        title=title,
        subtitle=subtitle,
        size_by=size_by,
        links=links,
        highlight=highlight,
        analysis=analysis,
    )
    return Page(
        html=html_text, title=title, nodes=graph.number_of_nodes(), edges=graph.number_of_edges()
    )


def _samples(graph: nx.MultiDiGraph, size_by: str) -> int:
    """Sizing needs only a rough betweenness: each sampled source costs a search of every
    link, so larger graphs get fewer (10 to 200; the footer says how many)."""
    links = graph.number_of_edges()
    return max(10, min(200, 1_000_000 // max(links, 1)))
