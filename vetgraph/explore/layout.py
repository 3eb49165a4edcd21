"""Positions for large graphs: a fast layout along Louvain's hierarchy, each finest community
laid out on its own, then the communities placed around each other."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from vetgraph.explore.analytics import largest_first, louvain_levels
from vetgraph.explore.network import undirected

if TYPE_CHECKING:
    import networkx as nx

_LEAF = 200  # communities up to this size get a force-directed layout of their own
_SMALL = 7  # up to this size: a hub and a ring, no simulation needed
_DENSE_LIMIT = 499  # spring_layout is dense (fast) below 500 nodes; rings around a hub above


def layout_positions(
    graph: nx.MultiDiGraph | nx.Graph,
    *,
    partitions: list[list[set[str]]] | None = None,
    seed: int = 0,
    spacing: float = 30.0,
) -> dict[str, tuple[float, float]]:
    """Positions for every node, fast on large graphs (about 20k nodes in seconds).

    networkx's force-directed layouts cost O(n²) a step (minutes at 5,000 nodes), so
    the graph is laid out along Louvain's hierarchy: each finest community gets
    ``spring_layout`` of its own (small, dense, fast), and each level places its
    communities with ``spring_layout`` of the graph between them, scaled by their size.
    ``spacing`` is the typical distance between neighbours, in pixels.
    """
    simple = undirected(graph) if graph.is_multigraph() or graph.is_directed() else graph
    if partitions is None:
        partitions = louvain_levels(simple, seed=seed)
    levels = [{n: i for i, members in enumerate(p) for n in members} for p in partitions]
    placed = _place(simple, sorted(simple), len(levels) - 1, levels, seed)
    return {n: (round(x * spacing, 1), round(y * spacing, 1)) for n, (x, y) in placed.items()}


def _place(
    simple: nx.Graph, members: list[str], level: int, levels: list[dict[str, int]], seed: int
) -> dict[str, tuple[float, float]]:
    """Positions of ``members`` in a disc of radius about sqrt(len(members))."""
    import networkx as nx

    if len(members) <= _LEAF or level < 0:
        # A subgraph view lists its nodes in set order (which changes with PYTHONHASHSEED
        # once the graph is large), and spring_layout's start positions follow that order:
        # copy into a graph with sorted nodes and edges so the layout is reproducible.
        sub = nx.Graph()
        sub.add_nodes_from(sorted(members))
        sub.add_edges_from(sorted(simple.subgraph(members).edges(data=True)))
        return _leaf(sub, seed)
    groups: dict[int, list[str]] = defaultdict(list)
    for node in members:
        groups[levels[level][node]].append(node)
    if len(groups) == 1:
        return _place(simple, members, level - 1, levels, seed)
    children = largest_first(groups.values())
    child_of = {n: i for i, child in enumerate(children) for n in child}
    between = nx.Graph()
    between.add_nodes_from(range(len(children)))
    weights: dict[tuple[int, int], float] = defaultdict(float)
    for node in members:
        for other, data in simple[node].items():
            a, b = child_of[node], child_of.get(other)
            if b is not None and a < b:
                weights[(a, b)] += data.get("weight", 1)
    between.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    centres = _unit(layout_positions(between, seed=seed, spacing=1.0))
    spread = 1.6 * math.sqrt(len(members))
    placed: dict[str, tuple[float, float]] = {}
    for i, child in enumerate(children):
        cx, cy = centres[i]
        for node, (x, y) in _place(simple, child, level - 1, levels, seed).items():
            placed[node] = (cx * spread + x, cy * spread + y)
    return placed


def _leaf(sub: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    import networkx as nx

    n = len(sub)
    if n <= _SMALL:  # the best-connected in the middle, the others around it
        ordered = sorted(sub, key=lambda x: (-sub.degree(x), x))
        around = [
            (math.cos(2 * math.pi * i / (n - 1)), math.sin(2 * math.pi * i / (n - 1)))
            for i in range(n - 1)
        ]
        return dict(zip(ordered, [(0.0, 0.0), *around], strict=True))
    if n <= _DENSE_LIMIT:
        pos = nx.spring_layout(sub, seed=seed, method="force", iterations=50)
    else:
        hub = max(sorted(sub), key=sub.degree)
        rings = [sorted(layer) for layer in nx.bfs_layers(sub, [hub])]
        reached = {x for ring in rings for x in ring}
        rings += [sorted(set(sub) - reached)] if len(reached) < n else []
        pos = nx.shell_layout(sub, nlist=rings)
    radius = math.sqrt(n)
    return {k: (float(v[0]) * radius, float(v[1]) * radius) for k, v in _unit(pos).items()}


def _unit(pos: Any) -> dict[Any, tuple[float, float]]:
    """Positions scaled into the unit disc, centred on 0."""
    if not pos:
        return {}
    xs = [float(p[0]) for p in pos.values()]
    ys = [float(p[1]) for p in pos.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    r = max(math.hypot(float(p[0]) - cx, float(p[1]) - cy) for p in pos.values()) or 1.0
    return {k: ((float(p[0]) - cx) / r, (float(p[1]) - cy) / r) for k, p in pos.items()}


def quick_positions(
    simple: nx.Graph, communities: list[list[str]], *, seed: int = 0, spacing: float = 30.0
) -> dict[str, tuple[float, float]]:
    """Positions for a very large graph in linear time: the communities placed by
    ``spring_layout`` of the graph between them (scaled by their size), the members of each
    in a sunflower (the best connected in the middle). No subgraph is copied."""
    import networkx as nx

    of = {n: i for i, members in enumerate(communities) for n in members}
    between = nx.Graph()
    between.add_nodes_from(range(len(communities)))
    weights: dict[tuple[int, int], int] = defaultdict(int)
    for u, v in simple.edges():
        a, b = of[u], of[v]
        if a != b:
            weights[(a, b) if a < b else (b, a)] += 1
    between.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    if len(communities) > 1:
        centres = _unit(nx.spring_layout(between, seed=seed, iterations=80))
    else:
        centres = {0: (0.0, 0.0)}
    spread = 1.6 * math.sqrt(simple.number_of_nodes())
    golden = math.pi * (3 - math.sqrt(5))
    placed: dict[str, tuple[float, float]] = {}
    for i, members in enumerate(communities):
        cx, cy = centres[i]
        ordered = sorted(members, key=lambda m: (-simple.degree(m), m))
        for k, node in enumerate(ordered):
            r, angle = 0.9 * math.sqrt(k), k * golden
            x, y = cx * spread + r * math.cos(angle), cy * spread + r * math.sin(angle)
            placed[node] = (round(x * spacing, 1), round(y * spacing, 1))
    return placed
