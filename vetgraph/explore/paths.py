"""Explained paths: the shortest connections between two entities, each hop with the sourced
facts that join it, and those facts in words with their citations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vetgraph.explore.network import undirected
from vetgraph.graph.namespaces import curie

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class Link:
    """One sourced fact between two entities, in its real direction."""

    subject: str
    curie: str
    label: str
    object: str
    sources: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Hop:
    """One step of a connection, from ``start`` to ``end``; ``links`` are the facts that
    join the two (each in its own direction, so ``link.subject`` may be ``end``)."""

    start: str
    end: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Connection:
    nodes: tuple[str, ...]
    hops: tuple[Hop, ...]

    def __len__(self) -> int:
        return len(self.hops)

    def edges(self) -> list[tuple[str, str, str]]:
        """The ``(subject, object, property CURIE)`` of every link on the way."""
        return [(link.subject, link.object, link.curie) for hop in self.hops for link in hop.links]


def connections(
    graph: nx.MultiDiGraph, start: str, end: str, *, max_length: int = 6, limit: int = 10
) -> list[Connection]:
    """The shortest connections from ``start`` to ``end`` (at most ``limit`` of them).

    Links are followed in both directions; each hop keeps the real direction of its facts.
    Empty when the two are not connected within ``max_length`` hops.
    """
    import itertools

    import networkx as nx

    from vetgraph.errors import InputError

    if start == end:
        raise InputError("a path needs two different entities")
    simple = undirected(graph)
    try:
        length = nx.shortest_path_length(simple, start, end)
    except nx.NetworkXNoPath:
        return []
    if length > max_length:
        return []
    found = []
    for nodes in itertools.islice(nx.all_shortest_paths(simple, start, end), limit):
        hops = tuple(Hop(u, v, _links(graph, u, v)) for u, v in itertools.pairwise(nodes))
        found.append(Connection(tuple(nodes), hops))
    found.sort(key=lambda c: [graph.nodes[n]["label"] for n in c.nodes])
    return found


def _links(graph: nx.MultiDiGraph, u: str, v: str) -> tuple[Link, ...]:
    links = [
        Link(s, d["curie"], d["label"], o, tuple(d["sources"]))
        for s, o in ((u, v), (v, u))
        for d in (graph.get_edge_data(s, o) or {}).values()
    ]
    return tuple(sorted(links, key=lambda link: (link.subject != u, link.curie)))


def explain(graph: nx.MultiDiGraph, connection: Connection) -> list[str]:
    """Each hop in words, read along the path, arrows in the facts' real direction.

    ``Bruges Communiqué —calls for→ X [source title, section, sentence 1]`` for a fact
    stated from the start of the hop, ``X ←addresses— Y [...]`` for one stated from its end.
    """
    lines = []
    for hop in connection.hops:
        start, end = graph.nodes[hop.start]["label"], graph.nodes[hop.end]["label"]
        for link in hop.links:
            arrow = f"—{link.label}→" if link.subject == hop.start else f"←{link.label}—"
            lines.append(f"{start} {arrow} {end} {cite(link.sources)}")
    return lines


def cite(sources: Sequence[dict[str, Any]]) -> str:
    """``[title, section, locator; ...]`` for a fact's citations (``[no source]`` if none)."""
    if not sources:
        return "[no source]"
    parts = []
    for s in sources:
        fields = [s.get("title") or curie(s["source"]), s.get("section"), s.get("locator")]
        parts.append(", ".join(f for f in fields if f))
    return "[" + "; ".join(parts) + "]"
