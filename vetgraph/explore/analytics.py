"""Network analytics: degree and betweenness centrality (sampled above 1,000 nodes), connected
components and Louvain communities (seeded, so the same graph gives the same answer)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from vetgraph.explore.network import undirected

if TYPE_CHECKING:
    import networkx as nx


#: Above this many nodes, betweenness is estimated from a sample of source nodes.
EXACT_BETWEENNESS_LIMIT = 1000
BETWEENNESS_SAMPLES = 200


@dataclass
class Analysis:
    """Centrality, components and communities of a graph (its undirected simple form).

    ``degree`` counts distinct neighbours; ``degree_centrality`` divides it by n - 1;
    ``betweenness`` is normalised, exact up to ``EXACT_BETWEENNESS_LIMIT`` nodes and
    estimated from ``betweenness_samples`` sources above; communities are Louvain's
    (seeded, so the same graph gives the same communities), largest first.
    """

    nodes: int
    edges: int
    degree: dict[str, int]
    degree_centrality: dict[str, float]
    betweenness: dict[str, float]
    betweenness_samples: int | None
    components: list[list[str]]
    communities: list[list[str]]
    modularity: float
    partitions: list[list[set[str]]] = field(default_factory=list, repr=False)
    simple: nx.Graph | None = field(default=None, repr=False, compare=False)

    @cached_property
    def community_of(self) -> dict[str, int]:
        return {n: i for i, members in enumerate(self.communities) for n in members}

    def top(self, measure: str, n: int = 10) -> list[tuple[str, float]]:
        """The ``n`` highest nodes by ``degree``, ``degree_centrality`` or ``betweenness``."""
        values: dict[str, float] = getattr(self, measure)
        return sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    def as_dict(self, graph: nx.MultiDiGraph, top: int = 10) -> dict[str, Any]:
        def who(node: str) -> dict[str, Any]:
            data = graph.nodes[node]
            return {"iri": node, "curie": data["curie"], "label": data["label"]}

        def group(members: list[str]) -> dict[str, Any]:
            leaders = sorted(members, key=lambda m: (-self.degree[m], m))[:3]
            return {"size": len(members), "most_connected": [who(m) for m in leaders]}

        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "degree": [
                {**who(n), "degree": self.degree[n], "centrality": round(v, 6)}
                for n, v in self.top("degree_centrality", top)
            ],
            "betweenness": [
                {**who(n), "betweenness": round(v, 6)} for n, v in self.top("betweenness", top)
            ],
            "betweenness_samples": self.betweenness_samples,
            "components": {
                "count": len(self.components),
                "sizes": [len(c) for c in self.components],
                "largest": [group(c) for c in self.components[:top]],
            },
            "communities": {
                "count": len(self.communities),
                "modularity": round(self.modularity, 6),
                "largest": [group(c) for c in self.communities[:top]],
            },
        }


def analyze(graph: nx.MultiDiGraph, *, seed: int = 0, samples: int | None = None) -> Analysis:
    """Degree and betweenness centrality, connected components and Louvain communities.

    Above ``EXACT_BETWEENNESS_LIMIT`` nodes, betweenness is estimated from ``samples``
    source nodes (``BETWEENNESS_SAMPLES`` unless given): each costs one breadth-first
    search of the whole graph.
    """
    import networkx as nx

    simple = undirected(graph)
    n = simple.number_of_nodes()
    samples = None if n <= EXACT_BETWEENNESS_LIMIT else min(n, samples or BETWEENNESS_SAMPLES)
    betweenness = nx.betweenness_centrality(simple, k=samples, seed=seed) if n else {}
    partitions = louvain_levels(simple, seed=seed)
    communities = largest_first(partitions[-1]) if partitions else []
    modularity = nx.community.modularity(simple, communities) if simple.number_of_edges() else 0.0
    return Analysis(
        nodes=n,
        edges=graph.number_of_edges(),
        degree=dict(simple.degree()),
        degree_centrality=nx.degree_centrality(simple) if n > 1 else dict.fromkeys(simple, 0.0),
        betweenness=betweenness,
        betweenness_samples=samples,
        components=largest_first(nx.connected_components(simple)),
        communities=communities,
        modularity=modularity,
        partitions=partitions,
        simple=simple,
    )


def quick_analysis(graph: nx.MultiDiGraph, *, seed: int = 0, samples: int = 0) -> Analysis:
    """What a large page needs, in seconds rather than minutes: degree, components, and
    communities by (fast) label propagation instead of Louvain (20 s at 20,000 entities
    and 300,000 links); betweenness only if ``samples`` (each a search of every link)."""
    import networkx as nx

    simple = undirected(graph)
    n = simple.number_of_nodes()
    betweenness = nx.betweenness_centrality(simple, k=min(n, samples), seed=seed) if samples else {}
    communities = largest_first(nx.community.fast_label_propagation_communities(simple, seed=seed))
    degree = dict(simple.degree())
    return Analysis(
        nodes=n,
        edges=graph.number_of_edges(),
        degree=degree,
        degree_centrality={k: v / max(n - 1, 1) for k, v in degree.items()},
        betweenness=betweenness,
        betweenness_samples=min(n, samples) if samples else None,
        components=largest_first(nx.connected_components(simple)),
        communities=communities,
        modularity=float("nan"),
        partitions=[[set(c) for c in communities]],
        simple=simple,
    )


def louvain_levels(simple: nx.Graph, *, seed: int = 0) -> list[list[set[str]]]:
    """Louvain's partitions from the finest level to the coarsest (the communities)."""
    import networkx as nx

    if simple.number_of_nodes() == 0:
        return []
    if simple.number_of_edges() == 0:
        return [[{n} for n in simple]]
    return [list(p) for p in nx.community.louvain_partitions(simple, seed=seed)]


def largest_first(groups: Any) -> list[list[str]]:
    """Groups of nodes as sorted lists, largest first (ties by first member)."""
    return sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
