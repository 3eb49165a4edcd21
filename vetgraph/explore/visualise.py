"""networkx → one self-contained HTML page: the graph to explore without SPARQL.

The only module that imports pyvis. pyvis holds the node and edge lists and renders our
template (``vetgraph/explore/templates/page.html``); its own template links bootstrap from a CDN
even with ``cdn_resources="in_line"``, so it is not used. Everything the page needs is
inlined: vis-network's JavaScript (read from the copy pyvis ships, licence header kept),
our script and our styles. Opened from a file or an e-mail attachment it makes no network
request, and its Content-Security-Policy forbids any (``default-src 'none'``).

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

import base64
import hashlib
import html
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vetgraph.explore.analytics import Analysis, analyze
from vetgraph.explore.layout import layout_positions
from vetgraph.explore.paths import Connection, explain
from vetgraph.explore.views import Timeline

if TYPE_CHECKING:
    from collections.abc import Sequence

    import networkx as nx

    from vetgraph.graph.store import KnowledgeGraph

TEMPLATES = Path(__file__).parent / "templates"
VIS_VERSION = "9.1.2"

#: Above this many nodes, positions are computed in Python and physics starts off.
LARGE = 500
LAYOUTS = ("network", "timeline")
SIZE_BY = ("degree", "betweenness")

# Colour-blind-friendly categorical colours (Okabe-Ito, then Tableau 10), in order of use.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#4E79A7",
    "#F28E2B",
    "#E15759",
    "#76B7B2",
    "#59A14F",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#BAB0AC",
    "#8CD17D",
    "#B6992D",
    "#499894",
)
FADED = "#d5d9de"
PATH_COLOUR = "#C0392B"


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
) -> Page:
    """The interactive page of the graph or of a view of it.

    ``source``: a KnowledgeGraph, a graph from ``to_networkx``, input files, or None for
    the bundled data. ``focus``/``depth``: one entity's neighbourhood (IRI, CURIE or exact
    label). ``query``/``params``: a library query's result. ``layout``: ``"network"`` or
    ``"timeline"``. ``between=(a, b)``: the shortest connections between two entities,
    highlighted. In a notebook the returned page displays itself; ``.save(path)`` writes it.
    """
    from vetgraph.explore import paths, views

    kg, graph = _graph_of(source)
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
        if focus is None and graph.number_of_nodes() > LARGE:  # the path and its surroundings
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
    from vetgraph.errors import InputError

    if graph.number_of_nodes() == 0:
        raise InputError(
            "nothing to draw: the view holds no entity",
            hint="check the query and its parameters (vetgraph viz --help)",
        )
    if layout == "timeline" and not any(d["dates"] for _, d in graph.nodes(data=True)):
        raise InputError(
            "nothing to draw on a timeline: no entity in the view has a date",
            hint="widen the view (a larger --depth), or use --layout network",
        )
    heading = title or ("vetgraph timeline" if layout == "timeline" else "vetgraph")
    return render(
        graph,
        title=heading,
        subtitle="; ".join(describe),
        layout=layout,
        size_by=size_by,
        highlight=highlight,
    )


def _graph_of(source: Any) -> tuple[KnowledgeGraph | None, nx.MultiDiGraph]:
    import networkx as nx

    from vetgraph.explore.network import to_networkx
    from vetgraph.graph.store import KnowledgeGraph

    if isinstance(source, nx.MultiDiGraph):
        return None, source
    if not isinstance(source, KnowledgeGraph):
        from vetgraph.graph.build import load

        source = load(list(source) if source is not None else None)
    return source, to_networkx(source)


def _no_path(graph: nx.MultiDiGraph, start: str, end: str, max_length: int) -> Exception:
    from vetgraph.errors import InputError

    return InputError(
        f"no connection between {graph.nodes[start]['label']} and "
        f"{graph.nodes[end]['label']} within {max_length} links",
        hint="raise --max-length, or check the two entities (vetgraph viz --focus ENTITY)",
    )


# -- the page ----------------------------------------------------------------------------------


def render(
    graph: nx.MultiDiGraph,
    *,
    title: str = "vetgraph",
    subtitle: str = "",
    layout: str = "network",
    size_by: str = "degree",
    highlight: Sequence[Connection] | None = None,
    analysis: Analysis | None = None,
) -> Page:
    """Render ``graph`` (nodes and edges as ``to_networkx`` makes them) as one page."""
    from pyvis.network import Network

    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    if size_by not in SIZE_BY:
        raise ValueError(f"size_by must be one of {SIZE_BY}, not {size_by!r}")

    timeline: Timeline | None = None
    if layout == "timeline":
        from vetgraph.explore.views import timeline as place_on_timeline

        graph, timeline = place_on_timeline(graph)
    if analysis is None:
        # Sizing needs only a rough betweenness: each sampled source costs a search of
        # every link, so larger graphs get fewer (10 to 200; the footer says how many).
        links = graph.number_of_edges()
        analysis = analyze(graph, samples=max(10, min(200, 1_000_000 // max(links, 1))))
    order = sorted(graph)
    large = len(order) > LARGE
    if timeline is not None:
        positions: dict[str, tuple[float, float]] = timeline.positions
    else:
        # Large graphs keep these positions (physics starts off); small ones start from
        # them, so that physics settles in a few hundred steps instead of from a tangle.
        positions = layout_positions(
            analysis.simple if analysis.simple is not None else graph,
            partitions=analysis.partitions,
            spacing=30.0 if large else 90.0,
        )

    on_path = {n for c in highlight or () for n in c.nodes}
    colours = _colours(graph)
    # Shared tables keep the page small (a dense 5,000-entity graph has ~80,000 links):
    # sources, the distinct lists of citations, and properties are listed once and
    # referred to by index.
    sources: dict[str, int] = {}
    source_list: list[dict[str, Any]] = []
    citation_lists: dict[tuple[tuple[Any, ...], ...], int] = {}
    properties: dict[str, int] = {}
    property_list: list[dict[str, str]] = []

    def cites(citations: Sequence[dict[str, Any]]) -> int:
        found = []
        for c in citations:
            if c["source"] not in sources:
                sources[c["source"]] = len(source_list)
                source_list.append(
                    {
                        "iri": c["source"],
                        "title": c["title"],
                        "url": _safe_url(c["url"]),
                        "kind": c["kind"],
                    }
                )
            found.append((sources[c["source"]], c["section"], c["locator"]))
        return citation_lists.setdefault(tuple(found), len(citation_lists))

    net = Network(directed=True, cdn_resources="in_line", heading=title)
    entities: dict[str, Any] = {}
    index: dict[str, int] = {}
    for node in order:
        data = graph.nodes[node]
        index[node] = len(index)
        years = [int(d[:4]) for d in data["dates"].values() if d[:4].isdigit()]
        item: dict[str, Any] = {
            "id": node,
            "label": drawn_label(data["label"]),
            "group": data["cls"],  # the class's colours are set once, in options.groups
            "value": _size(analysis, node, size_by),
        }
        if highlight:
            colour = colours[data["cls"]]["color"] if node in on_path else FADED
            item["color"] = {
                "background": colour,
                "border": PATH_COLOUR if node in on_path else _darker(colour),
            }
            if node in on_path:
                item["borderWidth"] = 4
        if node in positions:
            item["x"], item["y"] = positions[node]
        net.nodes.append(item)
        net.node_ids.append(node)
        net.node_map[node] = item
        entities[node] = {
            "curie": data["curie"],
            "label": data["label"],
            "cls": data["cls"],
            "class_label": data["class_label"],
            "classes": data["classes"],
            "description": data["description"],
            "dates": data["dates"],
            "span": [min(years), max(years)] if years else None,
            "cites": cites(data["sources"]),
            "degree": analysis.degree.get(node, 0),
            "betweenness": round(analysis.betweenness.get(node, 0.0), 6),
            "community": analysis.community_of.get(node),
        }

    # Each link: [subject's index, object's index, property's index, citations' index];
    # the page makes vis-network's edges (id = position in this list) from them.
    for u, v, _key, data in sorted(graph.edges(keys=True, data=True)):
        if data["curie"] not in properties:
            properties[data["curie"]] = len(property_list)
            property_list.append({"curie": data["curie"], "label": data["label"]})
        net.edges.append([index[u], index[v], properties[data["curie"]], cites(data["sources"])])

    net.options = _options(large=large, timeline=timeline is not None, edges=len(net.edges))
    net.options["groups"] = {
        cls: {
            "color": {
                "background": c["color"],
                "border": _darker(c["color"]),
                "highlight": {"background": c["color"], "border": "#111111"},
                "hover": {"background": c["color"], "border": "#111111"},
            }
        }
        for cls, c in colours.items()
    }
    page_data = {
        "title": title,
        "subtitle": subtitle,
        "layout": layout,
        "large": large,
        "size_by": size_by,
        "physics": net.options["physics"]["enabled"],
        "classes": sorted(colours.values(), key=lambda c: (-c["count"], c["label"])),
        "years": _years(entities),
        "sources": source_list,
        "citations": [[list(c) for c in found] for found in citation_lists],
        "properties": property_list,
        "entities": entities,
        "timeline": timeline.as_dict() if timeline is not None else None,
        "highlight": _highlight(graph, highlight) if highlight else None,
        "analysis": {
            "components": len(analysis.components),
            "communities": len(analysis.communities),
            "betweenness_samples": analysis.betweenness_samples,
        },
        "vis_version": VIS_VERSION,
    }
    return Page(
        html=_generate(net, page_data, title),
        title=title,
        nodes=len(net.nodes),
        edges=len(net.edges),
    )


def _generate(net: Any, page_data: dict[str, Any], title: str) -> str:
    """Fill our template through pyvis: its lists and options, our data and assets."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    assets = _assets()
    net.templateEnv = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )
    net.path = "page.html"
    net.templateEnv.filters["script_json"] = script_json
    net.templateEnv.globals.update(
        page=page_data,
        page_json=script_json(page_data),
        title=title,
        scripts=assets["scripts"],
        css=assets["css"],
        csp=assets["csp"],
    )
    return str(net.generate_html())


@cache
def _assets() -> dict[str, Any]:
    """vis-network (from pyvis's bundled copy) and our script and styles, with the CSP."""
    from markupsafe import Markup
    from pyvis import network as pyvis_network

    vis_dir = Path(pyvis_network.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    scripts = [
        (vis_dir / "vis-network.min.js").read_text(encoding="utf-8"),
        (TEMPLATES / "page.js").read_text(encoding="utf-8"),
    ]
    for script in scripts:
        if "</script" in script.lower() or "<!--" in script:
            raise RuntimeError("an inlined script would end its <script> block early")
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in scripts
    )
    csp = (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    return {
        "scripts": [Markup(s) for s in scripts],
        "css": Markup((TEMPLATES / "page.css").read_text(encoding="utf-8")),
        "csp": csp,
    }


def script_json(value: Any) -> Any:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&``.

    >>> str(script_json({"label": "</script><b>&"}))
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    from markupsafe import Markup

    if isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return Markup(text)


# -- helpers -----------------------------------------------------------------------------------

#: Characters of a label drawn on the canvas; the details panel and search use it whole.
DRAWN_LABEL = 100


def drawn_label(label: str) -> str:
    """A label short enough to draw: vis-network wraps a long one to the node's width one
    measured character at a time, which took minutes for a 100,000-character label.

    >>> drawn_label("Bruges Communiqué")
    'Bruges Communiqué'
    >>> len(drawn_label("x" * 100_000)), drawn_label("x" * 100_000)[-1]
    (100, '…')
    """
    return label if len(label) <= DRAWN_LABEL else label[: DRAWN_LABEL - 1].rstrip() + "…"


def _options(*, large: bool, timeline: bool, edges: int) -> dict[str, Any]:
    physics = not large and not timeline
    return {
        "autoResize": True,
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"size": 13, "face": "system-ui, sans-serif", "color": "#1b1f23"},
            "scaling": {
                "min": 7,
                "max": 16 if timeline else 34,
                "label": {
                    "enabled": not timeline,
                    "min": 12,
                    "max": 22,
                    "drawThreshold": 7 if large else 4,
                    "maxVisible": 26,
                },
            },
            **({"widthConstraint": {"maximum": 150}} if timeline else {}),
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#8c96a3", "highlight": "#1b1f23", "hover": "#1b1f23"},
            "font": {
                "size": 10,
                "face": "system-ui, sans-serif",
                "align": "middle",
                "color": "#4a525c",
                "strokeWidth": 3,
            },
            "width": 1,
            "smooth": (
                {"enabled": True, "type": "curvedCW", "roundness": 0.15}
                if timeline
                else {"enabled": not large, "type": "continuous"}
            ),
        },
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -90,
                "springLength": 140,
                "avoidOverlap": 0.4,
            },
            "stabilization": {"enabled": physics, "iterations": 300, "fit": True},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large or edges > 2000,
            "keyboard": False,
        },
        "layout": {"randomSeed": 7, "improvedLayout": not large and not timeline},
    }


def _colours(graph: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    counts: dict[str, int] = {}
    labels: dict[str, str] = {}
    for _, data in graph.nodes(data=True):
        counts[data["cls"]] = counts.get(data["cls"], 0) + 1
        labels[data["cls"]] = data["class_label"]
    ordered = sorted(counts, key=lambda c: (-counts[c], labels[c], c))
    return {
        cls: {
            "cls": cls,
            "label": labels[cls],
            "count": counts[cls],
            "color": PALETTE[i] if i < len(PALETTE) else _hue(i),
        }
        for i, cls in enumerate(ordered)
    }


def _hue(i: int) -> str:
    """A further distinct colour beyond the palette (golden-angle hues)."""
    import colorsys

    r, g, b = colorsys.hls_to_rgb((i * 0.618034) % 1.0, 0.5, 0.55)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


def _darker(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"#{int(r * 0.7):02x}{int(g * 0.7):02x}{int(b * 0.7):02x}"


def _size(analysis: Analysis, node: str, size_by: str) -> float:
    if size_by == "betweenness":
        return round(1 + 100 * analysis.betweenness.get(node, 0.0), 3)
    return float(1 + analysis.degree.get(node, 0))


def _years(entities: dict[str, Any]) -> dict[str, int] | None:
    spans = [e["span"] for e in entities.values() if e["span"]]
    if not spans:
        return None
    return {"first": min(s[0] for s in spans), "last": max(s[1] for s in spans)}


def _safe_url(url: str | None) -> str | None:
    """Only web addresses become links (no ``javascript:``, ``data:`` or file URLs)."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def _highlight(graph: nx.MultiDiGraph, connections: Sequence[Connection]) -> dict[str, Any]:
    keys = sorted(graph.edges(keys=True))
    ids = {triple: i for i, triple in enumerate(keys)}
    return {
        "nodes": sorted({n for c in connections for n in c.nodes}),
        "edges": sorted({ids[e] for c in connections for e in c.edges() if e in ids}),
        "colour": PATH_COLOUR,
        "faded": FADED,
        "connections": [explain(graph, c) for c in connections],
    }
