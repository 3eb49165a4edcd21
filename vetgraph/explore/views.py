"""Views of the networkx graph: naming an entity, its neighbourhood, the part a library query
names, and the dated entities placed on a timeline with one lane per class."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from vetgraph.graph.namespaces import curie

if TYPE_CHECKING:
    import networkx as nx

    from vetgraph.graph.store import KnowledgeGraph
    from vetgraph.sparql.library import LibraryQuery


def resolve(graph: nx.MultiDiGraph, ref: str) -> str:
    """The node an IRI, a CURIE or an exact label names; a clear error with suggestions.

    >>> from vetgraph.explore.network import to_networkx
    >>> from vetgraph.graph.build import load
    >>> g = to_networkx(load())
    >>> resolve(g, "vg:bruges-communique") == resolve(g, "Bruges Communiqué")
    True
    """
    from vetgraph.errors import InputError
    from vetgraph.graph.namespaces import expand

    ref = ref.strip()
    iri = ref[1:-1] if ref.startswith("<") and ref.endswith(">") else ref
    for candidate in (iri, expand(iri)):
        if candidate and candidate in graph:
            return candidate
    for fold in (False, True):
        key = ref.casefold() if fold else ref
        named = sorted(
            n
            for n, d in graph.nodes(data=True)
            if (d["label"].casefold() if fold else d["label"]) == key
        )
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            raise InputError(
                f"the label {ref!r} names {len(named)} entities: "
                + ", ".join(graph.nodes[n]["curie"] for n in named),
                hint="name the entity by its CURIE or IRI instead",
            )
    suggestions = suggest(graph, ref)
    raise InputError(
        f"no entity {ref!r} in the graph",
        hint=(
            "did you mean: " + "; ".join(suggestions)
            if suggestions
            else "name an entity by its IRI, its CURIE (vg:...) or its exact label"
        ),
    )


def suggest(graph: nx.MultiDiGraph, ref: str, n: int = 5) -> list[str]:
    """Entities whose label or CURIE is close to ``ref``, as ``label (curie)``."""
    import difflib

    by_key: dict[str, str] = {}
    for node, data in sorted(graph.nodes(data=True)):
        by_key.setdefault(data["label"].casefold(), node)
        by_key.setdefault(data["curie"].casefold(), node)
    key = ref.casefold()
    found = [by_key[k] for k in difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.6)]
    found += [node for k, node in sorted(by_key.items()) if key and key in k]
    unique = list(dict.fromkeys(found))[:n]
    return [f"{graph.nodes[x]['label']} ({graph.nodes[x]['curie']})" for x in unique]


def neighbourhood(
    graph: nx.MultiDiGraph, nodes: str | Iterable[str], depth: int = 1
) -> nx.MultiDiGraph:
    """The entities within ``depth`` links of ``nodes`` (either direction), and their links."""
    if depth < 0:
        raise ValueError("depth must be 0 or more")
    near = {nodes} if isinstance(nodes, str) else set(nodes)
    frontier = set(near)
    for _ in range(depth):
        frontier = {
            other
            for node in frontier
            for other in (*graph.successors(node), *graph.predecessors(node))
            if other not in near
        }
        if not frontier:
            break
        near |= frontier
    return graph.subgraph(near).copy()


def query_view(
    kg: KnowledgeGraph,
    graph: nx.MultiDiGraph,
    query: str | LibraryQuery,
    params: dict[str, Any] | None = None,
) -> nx.MultiDiGraph:
    """The part of ``graph`` a library query names.

    A CONSTRUCT (or DESCRIBE) query gives the entities and links among its triples (a
    triple between two entities that is not a sourced link of the graph is drawn too,
    without a source); a SELECT query gives the entities among its answers and the links
    between them. ``query`` is a library query or its name; ``params`` binds its
    parameters as :func:`vetgraph.sparql.running.prepare` does (typed; entities by IRI, CURIE or
    label).
    """
    from vetgraph.errors import QueryError
    from vetgraph.sparql.backend import LocalBackend
    from vetgraph.sparql.library import get_query
    from vetgraph.sparql.running import run

    if isinstance(query, str):
        query = get_query(query)
    name = query.name
    result = run(query, params or {}, backend=LocalBackend(kg))
    if isinstance(result, ox.QuerySolutions):
        names = {
            term.value
            for solution in result
            for term in solution
            if isinstance(term, ox.NamedNode) and term.value in graph
        }
        return graph.subgraph(names).copy()
    if isinstance(result, ox.QueryTriples):
        view = type(graph)()
        term_labels = {d["curie"]: d["label"] for _, _, d in graph.edges(data=True)}
        for triple in result:
            s, p, o = triple.subject, triple.predicate, triple.object
            if not (isinstance(s, ox.NamedNode) and s.value in graph):
                continue
            view.add_node(s.value, **graph.nodes[s.value])
            if not (isinstance(o, ox.NamedNode) and o.value in graph):
                continue
            view.add_node(o.value, **graph.nodes[o.value])
            key = curie(p.value)
            data = graph.get_edge_data(s.value, o.value, key)
            if data is None:
                data = {
                    "predicate": p.value,
                    "curie": key,
                    "label": term_labels.get(key, key),
                    "claim": None,
                    "sources": [],
                }
            view.add_edge(s.value, o.value, key=key, **data)
        return view
    raise QueryError(f"{name}: an ASK query answers yes or no; there is no graph to show")


@dataclass(frozen=True)
class Timeline:
    """Where the dated entities sit on a horizontal time axis, one lane per class.

    ``positions`` maps each dated entity to ``(x, y)``: x grows with its earliest date
    (``year_width`` units a year, from 1 January of ``first_year``), y is its row inside
    its class's lane. ``lanes`` lists ``(class label, top, bottom)``.
    """

    positions: dict[str, tuple[float, float]]
    first_year: int
    last_year: int
    year_width: float
    lanes: list[tuple[str, float, float]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "first_year": self.first_year,
            "last_year": self.last_year,
            "year_width": self.year_width,
            "lanes": [{"label": label, "top": t, "bottom": b} for label, t, b in self.lanes],
        }


_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def fractional_year(date: str) -> float | None:
    """``"2010-12-07"`` → 2010.93; ``"2012"`` → 2012.0; None when it is not a date.

    >>> fractional_year("2012"), round(fractional_year("2010-07-01"), 2)
    (2012.0, 2010.5)
    """
    match = _DATE.match(date)
    if not match:
        return None
    year, month, day = match.groups()
    return int(year) + (int(month or 1) - 1) / 12 + (int(day or 1) - 1) / 365


def timeline(
    graph: nx.MultiDiGraph, *, year_width: float = 160.0, row_height: float = 90.0
) -> tuple[nx.MultiDiGraph, Timeline]:
    """The dated entities and the links among them, with their places on a time axis.

    Each class gets a lane (lanes ordered by their earliest entity); inside a lane an
    entity takes the first row where it does not overlap the previous one's label. The
    lane's name goes in its top-left corner, above the first row.
    """
    starts: dict[str, float] = {}
    years: list[float] = []
    for node, data in graph.nodes(data=True):
        found = [y for d in data["dates"].values() if (y := fractional_year(d)) is not None]
        if found:
            starts[node] = min(found)
            years += found
    dated = graph.subgraph(starts).copy()
    if not starts:
        return dated, Timeline({}, 0, 0, year_width)
    first, last = int(min(years)), int(max(years))

    lanes: dict[str, list[str]] = defaultdict(list)
    for node in sorted(starts, key=lambda n: (starts[n], dated.nodes[n]["label"], n)):
        lanes[dated.nodes[node]["class_label"]].append(node)
    order = sorted(lanes, key=lambda label: (starts[lanes[label][0]], label))

    positions: dict[str, tuple[float, float]] = {}
    placed: list[tuple[str, float, float]] = []
    top, pad = 0.0, row_height / 3  # the padding leaves room for the lane's name
    for label in order:
        row_ends: list[float] = []  # the x where each row is free again
        for node in lanes[label]:
            x = (starts[node] - first) * year_width
            row = next((i for i, end in enumerate(row_ends) if end <= x), len(row_ends))
            if row == len(row_ends):
                row_ends.append(0.0)
            row_ends[row] = x + year_width * 0.9
            positions[node] = (round(x, 1), round(top + pad + (row + 0.3) * row_height, 1))
        bottom = top + pad + max(1, len(row_ends)) * row_height
        placed.append((label, top, bottom))
        top = bottom + row_height / 2
    return dated, Timeline(positions, first, last, year_width, placed)
