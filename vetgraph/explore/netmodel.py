"""What the network page holds: each entity's place, size and group, the links between them,
the legend (the palette's groups, each with its classes), each entity's details and the
sources of its facts grouped by document, and a highlighted path laid out on its own.

Nodes and links travel as arrays indexed by position (a 20,000-entity page is large); text
is kept whole here and the page decides what to draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vetgraph.explore import palette
from vetgraph.explore.addresses import page_path
from vetgraph.explore.provenance import by_document

if TYPE_CHECKING:
    import networkx as nx

    from vetgraph.explore.analytics import Analysis
    from vetgraph.explore.paths import Connection

#: Where an entity's name links: its page in the built site, or its IRI (a standalone file).
LINKS = ("iri", "site")

#: Entities whose neighbourhood a path page draws around the path (beyond: only the path).
PATH_SURROUNDINGS = 400


@dataclass
class _Tables:
    """Sources and the distinct lists of citations, each listed once and referred to by index."""

    sources: dict[str, int] = field(default_factory=dict)
    source_list: list[dict[str, Any]] = field(default_factory=list)
    cite_lists: dict[tuple[tuple[str, str, str], ...], int] = field(default_factory=dict)
    grouped: list[list[list[Any]]] = field(default_factory=list)
    properties: dict[str, int] = field(default_factory=dict)
    property_list: list[dict[str, str]] = field(default_factory=list)

    def cites(self, citations: Sequence[dict[str, Any]]) -> int:
        """The index of this list of citations, grouped by document: ``[[source, [places]]]``."""
        key = tuple(
            (c["source"], c.get("section") or "", c.get("locator") or "") for c in citations
        )
        if key in self.cite_lists:
            return self.cite_lists[key]
        documents = []
        for doc in by_document(citations):
            if doc["source"] not in self.sources:
                self.sources[doc["source"]] = len(self.source_list)
                self.source_list.append(
                    {
                        "iri": doc["source"],
                        "title": doc["title"],
                        "url": safe_url(doc["url"]),
                        "kind": doc["kind_label"],
                        "retrieved": doc["retrieved"],
                        "page": page_path(doc["source"]),
                    }
                )
            documents.append([self.sources[doc["source"]], doc["places"]])
        self.grouped.append(documents)
        return self.cite_lists.setdefault(key, len(self.grouped) - 1)

    def property(self, curie: str, label: str) -> int:
        if curie not in self.properties:
            self.properties[curie] = len(self.property_list)
            self.property_list.append({"curie": curie, "label": label})
        return self.properties[curie]


def network_data(
    graph: nx.MultiDiGraph,
    analysis: Analysis,
    positions: dict[str, tuple[float, float]],
    *,
    title: str,
    subtitle: str,
    size_by: str,
    links: str,
    highlight: Sequence[Connection] | None = None,
) -> dict[str, Any]:
    """The page's data (one JSON block): see the module's docstring."""
    order = sorted(graph)
    index = {node: i for i, node in enumerate(order)}
    tables = _Tables()
    classes = _classes(graph)
    class_index = {c["cls"]: i for i, c in enumerate(classes)}
    measure = _measure(analysis, size_by)
    top = max(measure.values(), default=0.0) or 1.0
    nodes, details = [], []
    for node in order:
        data = graph.nodes[node]
        x, y = positions.get(node, (0.0, 0.0))
        value = measure.get(node, 0.0)
        community = analysis.community_of.get(node, -1)
        nodes.append(
            [node, data["label"], class_index[data["cls"]], x, y, round(value / top, 4), community]
        )
        details.append(_details(node, data, analysis, tables, links))
    edges = _links(graph, order, index, tables, details)
    return {
        "title": title,
        "subtitle": subtitle,
        "size_by": size_by,
        "links": links,
        "groups": _groups(classes),
        "classes": classes,
        "nodes": nodes,
        "edges": edges,
        "details": details,
        "sources": tables.source_list,
        "citations": tables.grouped,
        "properties": tables.property_list,
        "path": _path(graph, index, tables, highlight) if highlight else None,
        "analysis": {
            "components": len(analysis.components),
            "communities": len(analysis.communities),
            # quick_analysis leaves modularity undefined: its communities are label propagation's
            "method": "Louvain"
            if analysis.modularity == analysis.modularity
            else "label propagation",
            "betweenness_samples": analysis.betweenness_samples,
        },
    }


def _links(
    graph: nx.MultiDiGraph,
    order: list[str],
    index: dict[str, int],
    tables: _Tables,
    details: list[dict[str, Any]],
) -> list[list[int]]:
    """Each link as ``[subject, object, property, citations]`` (indices), in (subject,
    object, property) order without sorting them all; and each entity's ``own`` citations:
    those of what is said of it, its links aside."""
    edges = []
    for i, u in enumerate(order):
        claims = set()
        for v, keyed in sorted(graph.succ[u].items()):
            for key in sorted(keyed):
                d = keyed[key]
                prop = tables.property(d["curie"], d["label"])
                edges.append([index[u], index[v], prop, tables.cites(d["sources"])])
                claims.add(d.get("claim") or "")
        own = [c for c in graph.nodes[u]["sources"] if c.get("claim") not in claims]
        details[i]["own"] = tables.cites(own)
    return edges


def _measure(analysis: Analysis, size_by: str) -> dict[str, float]:
    if size_by == "betweenness" and analysis.betweenness:
        return analysis.betweenness
    return {k: float(v) for k, v in analysis.degree.items()}


def _classes(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Every class on the page, in the palette's group order, then by label."""
    counts: dict[str, int] = {}
    labels: dict[str, str] = {}
    for _, data in graph.nodes(data=True):
        counts[data["cls"]] = counts.get(data["cls"], 0) + 1
        labels[data["cls"]] = data["class_label"]
    keys = [g.key for g in palette.GROUPS]
    found = [
        {"cls": c, "label": labels[c], "count": counts[c], "group": palette.group_of(c).key}
        for c in counts
    ]
    return sorted(found, key=lambda c: (keys.index(c["group"]), c["label"].casefold(), c["cls"]))


def _groups(classes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The palette's groups that have entities here, in the palette's order (never ranked)."""
    groups = []
    for group in palette.GROUPS:
        members = [i for i, c in enumerate(classes) if c["group"] == group.key]
        if members:
            groups.append(
                {
                    "key": group.key,
                    "label": group.label,
                    "colour": group.colour,
                    "border": palette.darker(group.colour),
                    "description": group.description,
                    "classes": members,
                    "count": sum(classes[i]["count"] for i in members),
                }
            )
    return groups


def _details(
    node: str, data: dict[str, Any], analysis: Analysis, tables: _Tables, links: str
) -> dict[str, Any]:
    literals = data.get("literals") or {}
    alt = sorted(
        {*literals.get("skos:altLabel", ()), *literals.get("skos:prefLabel", ())} - {data["label"]}
    )
    return {
        "curie": data["curie"],
        "description": data["description"],
        "dates": data["dates"],
        "alt": alt,
        "classes": data["classes"],
        "class_label": data["class_label"],
        "degree": analysis.degree.get(node, 0),
        "page": (page_path(node) if links == "site" else None) or safe_url(node),
    }


def _path(
    graph: nx.MultiDiGraph,
    index: dict[str, int],
    tables: _Tables,
    connections: Sequence[Connection],
) -> dict[str, Any]:
    """Each connection as hops: ``{"from", "to", "links": [[subject, property, object,
    citations]]}`` (entities by index), and the entities on the way."""
    return {
        "nodes": sorted({index[n] for c in connections for n in c.nodes}),
        "connections": [
            [
                {
                    "from": index[hop.start],
                    "to": index[hop.end],
                    "links": [
                        [
                            index[link.subject],
                            tables.property(link.curie, link.label),
                            index[link.object],
                            tables.cites(link.sources),
                        ]
                        for link in hop.links
                    ],
                }
                for hop in c.hops
            ]
            for c in connections
        ],
    }


def path_positions(
    graph: nx.MultiDiGraph, connections: Sequence[Connection]
) -> dict[str, tuple[float, float]]:
    """The path laid out on its own: its entities in columns from start to end (the
    alternatives of one step one above the other), each neighbour in a fan around the
    path entity it hangs from."""
    import math

    columns: dict[int, list[str]] = {}
    for c in connections:
        for step, node in enumerate(c.nodes):
            if node not in columns.setdefault(step, []) and all(
                node not in col for col in columns.values()
            ):
                columns[step].append(node)
    placed: dict[str, tuple[float, float]] = {}
    for step, members in columns.items():
        for row, node in enumerate(members):
            placed[node] = (step * 300.0, (row - (len(members) - 1) / 2) * 160.0)
    anchors = list(placed)
    fans: dict[str, list[str]] = {a: [] for a in anchors}
    for node in sorted(graph):
        if node in placed:
            continue
        near = [a for a in anchors if graph.has_edge(a, node) or graph.has_edge(node, a)]
        fans[near[0] if near else anchors[0]].append(node)
    for anchor, members in fans.items():
        ax, ay = placed[anchor]
        for k, node in enumerate(members):
            ring = 1 + k // 12
            angle = (k % 12) / 12 * 2 * math.pi + ring * 0.4
            placed[node] = (ax + math.cos(angle) * 90 * ring, ay + math.sin(angle) * 90 * ring)
    return placed


def safe_url(url: str | None) -> str | None:
    """Only web addresses become links (no ``javascript:``, ``data:`` or file URLs)."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None
