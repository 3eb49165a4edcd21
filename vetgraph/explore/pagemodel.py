"""What goes into the page: the nodes to draw and their links, the tables of sources, citations
and properties they share, the legend's classes, each entity's details and the highlighted path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vetgraph.explore.document import VIS_VERSION
from vetgraph.explore.layout import layout_positions
from vetgraph.explore.paths import explain
from vetgraph.explore.style import (
    FADED,
    PATH_COLOUR,
    class_colours,
    darker,
    group_colours,
    vis_options,
)

if TYPE_CHECKING:
    import networkx as nx

    from vetgraph.explore.analytics import Analysis
    from vetgraph.explore.paths import Connection
    from vetgraph.explore.views import Timeline

#: Above this many nodes, positions are computed in Python and physics starts off.
LARGE = 500

#: Characters of a label drawn on the canvas; the details panel and search use it whole.
DRAWN_LABEL = 100


@dataclass(frozen=True)
class PageModel:
    """vis-network's ``nodes``, ``edges`` and ``options``, and the page's own ``data``."""

    nodes: list[dict[str, Any]]
    edges: list[list[int]]
    options: dict[str, Any]
    data: dict[str, Any]


@dataclass
class _Tables:
    """Shared tables keep the page small (a dense 5,000-entity graph has ~80,000 links):
    sources, the distinct lists of citations, and properties are listed once and referred
    to by index."""

    sources: dict[str, int] = field(default_factory=dict)
    source_list: list[dict[str, Any]] = field(default_factory=list)
    citation_lists: dict[tuple[tuple[Any, ...], ...], int] = field(default_factory=dict)
    properties: dict[str, int] = field(default_factory=dict)
    property_list: list[dict[str, str]] = field(default_factory=list)

    def cites(self, citations: Sequence[dict[str, Any]]) -> int:
        """The index of this list of citations (its sources added to the table)."""
        found = []
        for c in citations:
            if c["source"] not in self.sources:
                self.sources[c["source"]] = len(self.source_list)
                self.source_list.append(
                    {
                        "iri": c["source"],
                        "title": c["title"],
                        "url": _safe_url(c["url"]),
                        "kind": c["kind"],
                    }
                )
            found.append((self.sources[c["source"]], c["section"], c["locator"]))
        return self.citation_lists.setdefault(tuple(found), len(self.citation_lists))

    def property(self, curie: str, label: str) -> int:
        if curie not in self.properties:
            self.properties[curie] = len(self.property_list)
            self.property_list.append({"curie": curie, "label": label})
        return self.properties[curie]


def page_model(
    graph: nx.MultiDiGraph,
    analysis: Analysis,
    *,
    title: str,
    subtitle: str,
    layout: str,
    size_by: str,
    highlight: Sequence[Connection] | None,
    timeline: Timeline | None,
) -> PageModel:
    """The page of ``graph``: its nodes sized by ``size_by``, placed on ``timeline`` if given."""
    order = sorted(graph)
    large = len(order) > LARGE
    positions = _positions(graph, analysis, timeline, large)
    on_path = {n for c in highlight or () for n in c.nodes} if highlight else None
    colours = class_colours(graph)
    tables = _Tables()
    nodes: list[dict[str, Any]] = []
    entities: dict[str, Any] = {}
    for node in order:
        data = graph.nodes[node]
        item = _drawn_node(node, data, _size(analysis, node, size_by), colours, on_path)
        if node in positions:
            item["x"], item["y"] = positions[node]
        nodes.append(item)
        entities[node] = _details(node, data, analysis, tables)

    # Each link: [subject's index, object's index, property's index, citations' index];
    # the page makes vis-network's edges (id = position in this list) from them.
    index = {node: i for i, node in enumerate(order)}
    edges = [
        [index[u], index[v], tables.property(d["curie"], d["label"]), tables.cites(d["sources"])]
        for u, v, _key, d in sorted(graph.edges(keys=True, data=True))
    ]
    options = vis_options(large=large, timeline=timeline is not None, edges=len(edges))
    options["groups"] = group_colours(colours)
    page_data = {
        "title": title,
        "subtitle": subtitle,
        "layout": layout,
        "large": large,
        "size_by": size_by,
        "physics": options["physics"]["enabled"],
        "classes": sorted(colours.values(), key=lambda c: (-c["count"], c["label"])),
        "years": _years(entities),
        "sources": tables.source_list,
        "citations": [[list(c) for c in found] for found in tables.citation_lists],
        "properties": tables.property_list,
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
    return PageModel(nodes, edges, options, page_data)


def _positions(
    graph: nx.MultiDiGraph, analysis: Analysis, timeline: Timeline | None, large: bool
) -> dict[str, tuple[float, float]]:
    if timeline is not None:
        return timeline.positions
    # Large graphs keep these positions (physics starts off); small ones start from
    # them, so that physics settles in a few hundred steps instead of from a tangle.
    return layout_positions(
        analysis.simple if analysis.simple is not None else graph,
        partitions=analysis.partitions,
        spacing=30.0 if large else 90.0,
    )


def _drawn_node(
    node: str,
    data: dict[str, Any],
    value: float,
    colours: dict[str, dict[str, Any]],
    on_path: set[str] | None,
) -> dict[str, Any]:
    """vis-network's node; with a highlighted path (``on_path``) the others are faded."""
    item: dict[str, Any] = {
        "id": node,
        "label": drawn_label(data["label"]),
        "group": data["cls"],  # the class's colours are set once, in options.groups
        "value": value,
    }
    if on_path is not None:
        colour = colours[data["cls"]]["color"] if node in on_path else FADED
        item["color"] = {
            "background": colour,
            "border": PATH_COLOUR if node in on_path else darker(colour),
        }
        if node in on_path:
            item["borderWidth"] = 4
    return item


def _details(
    node: str, data: dict[str, Any], analysis: Analysis, tables: _Tables
) -> dict[str, Any]:
    """What the details panel shows of an entity (its citations by index)."""
    years = [int(d[:4]) for d in data["dates"].values() if d[:4].isdigit()]
    return {
        "curie": data["curie"],
        "label": data["label"],
        "cls": data["cls"],
        "class_label": data["class_label"],
        "classes": data["classes"],
        "description": data["description"],
        "dates": data["dates"],
        "span": [min(years), max(years)] if years else None,
        "cites": tables.cites(data["sources"]),
        "degree": analysis.degree.get(node, 0),
        "betweenness": round(analysis.betweenness.get(node, 0.0), 6),
        "community": analysis.community_of.get(node),
    }


def drawn_label(label: str) -> str:
    """A label short enough to draw: vis-network wraps a long one to the node's width one
    measured character at a time, which took minutes for a 100,000-character label.

    >>> drawn_label("Bruges Communiqué")
    'Bruges Communiqué'
    >>> len(drawn_label("x" * 100_000)), drawn_label("x" * 100_000)[-1]
    (100, '…')
    """
    return label if len(label) <= DRAWN_LABEL else label[: DRAWN_LABEL - 1].rstrip() + "…"


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
