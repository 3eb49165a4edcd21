"""Graph → networkx: entities as nodes, object properties as labelled edges. Pure: no rendering.

Nodes are the entities the claims describe (keyed by IRI). Each node carries::

    iri, curie, label, classes (CURIEs, most specific first), cls (the first of those),
    class_label, description, dates ({"date": "2014-04-15", "startDate": ...}),
    year (the earliest year among its dates, or None), sources (one dict per citation:
    source, title, url, kind, section, locator, claim)

Edges are the object-property triples between two entities (``rdf:type`` and the claim
index excluded). The graph is a MultiDiGraph keyed by the property's CURIE; each edge
carries::

    predicate (IRI), curie, label (the property's English label), claim, sources (as above)

Literals and schema triples (the ontology itself) are left out unless asked for:
``include_literals=True`` adds each entity's other literal values as node attribute
``literals`` ({property CURIE: [values]}); ``include_schema=True`` adds classes as nodes and
``rdf:type`` edges.

>>> from vetgraph.graph.build import load
>>> g = to_networkx(load())
>>> g.nodes["https://w3id.org/vetgraph/id/bruges-communique"]["label"]
'Bruges Communiqué'
>>> sorted({d["curie"] for _, _, d in g.edges(data=True)})[:3]
['vet:addresses', 'vet:adoptedBy', 'vet:aggravates']
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from vetgraph.graph.namespaces import PROVENANCE_GRAPH, SOURCES_GRAPH, VET, curie

if TYPE_CHECKING:
    import networkx as nx

    from vetgraph.graph.store import KnowledgeGraph
    from vetgraph.sparql.library import LibraryQuery

_PREFIXES = f"""
PREFIX vet:     <{VET}>
PREFIX rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs:    <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
PREFIX owl:     <http://www.w3.org/2002/07/owl#>
PREFIX prov:    <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

_ENTITY_TYPES = (
    _PREFIXES
    + f"""
SELECT DISTINCT ?entity ?class ?depth WHERE {{
  GRAPH <{PROVENANCE_GRAPH}> {{ ?claim vet:about ?entity }}
  GRAPH ?claim {{ ?entity rdf:type ?class }}
  OPTIONAL {{
    SELECT ?class (COUNT(?super) AS ?depth)
    WHERE {{ ?class rdfs:subClassOf+ ?super }} GROUP BY ?class
  }}
}}
"""
)

_ENTITY_LITERALS = (
    _PREFIXES
    + f"""
SELECT ?entity ?property ?value WHERE {{
  GRAPH <{PROVENANCE_GRAPH}> {{ ?claim vet:about ?entity }}
  GRAPH ?claim {{ ?entity ?property ?value }}
  FILTER (isLiteral(?value))
}}
"""
)

_EDGES = (
    _PREFIXES
    + f"""
SELECT ?subject ?property ?object ?claim WHERE {{
  GRAPH <{PROVENANCE_GRAPH}> {{ ?claim vet:about ?subject }}
  GRAPH ?claim {{ ?subject ?property ?object }}
  FILTER (isIRI(?object) && ?property != rdf:type)
}}
"""
)

_CITATIONS = (
    _PREFIXES
    + f"""
SELECT ?claim ?source ?title ?url ?kind ?section ?sentence ?paragraph ?recital ?article WHERE {{
  GRAPH <{PROVENANCE_GRAPH}> {{
    ?claim prov:qualifiedDerivation ?citation .
    ?citation prov:entity ?source .
    OPTIONAL {{ ?citation vet:section ?section }}
    OPTIONAL {{ ?citation vet:sentence ?sentence }}
    OPTIONAL {{ ?citation vet:paragraph ?paragraph }}
    OPTIONAL {{ ?citation vet:recital ?recital }}
    OPTIONAL {{ ?citation vet:article ?article }}
  }}
  OPTIONAL {{ GRAPH <{SOURCES_GRAPH}> {{ ?source dcterms:title ?title }} }}
  OPTIONAL {{ GRAPH <{SOURCES_GRAPH}> {{ ?source vet:url ?url }} }}
  OPTIONAL {{ GRAPH <{SOURCES_GRAPH}> {{ ?source vet:sourceKind ?kind }} }}
}}
"""
)

_CLAIMS = (
    _PREFIXES
    + f"""
SELECT ?claim ?entity WHERE {{ GRAPH <{PROVENANCE_GRAPH}> {{ ?claim vet:about ?entity }} }}
"""
)

_TERM_LABELS = (
    _PREFIXES
    + """
SELECT ?term ?label WHERE {
  ?term rdfs:isDefinedBy ?module ; rdfs:label ?label FILTER (LANG(?label) = "en")
}
"""
)

_DATE_PROPERTIES = {
    VET.date: "date",
    VET.startDate: "startDate",
    VET.endDate: "endDate",
    VET.plannedEndDate: "plannedEndDate",
}
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
_DESCRIPTION = "http://purl.org/dc/terms/description"
_YEAR = re.compile(r"^-?(\d{4})")


def to_networkx(
    kg: KnowledgeGraph, *, include_literals: bool = False, include_schema: bool = False
) -> nx.MultiDiGraph:
    """Project the knowledge graph onto a networkx MultiDiGraph (see the module docstring)."""
    import networkx as nx

    term_labels = {r["term"].value: r["label"].value for r in kg.select(_TERM_LABELS)}
    citations = _citations(kg)

    classes: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in kg.select(_ENTITY_TYPES):
        depth = int(row["depth"].value) if row["depth"] is not None else 0
        classes[row["entity"].value].append((depth, row["class"].value))

    graph = nx.MultiDiGraph()
    for iri, typed in classes.items():
        ordered = [c for _, c in sorted(typed, key=lambda t: (-t[0], t[1]))]
        graph.add_node(
            iri,
            iri=iri,
            curie=curie(iri),
            label=None,
            classes=[curie(c) for c in ordered],
            cls=curie(ordered[0]),
            class_label=term_labels.get(ordered[0], curie(ordered[0])),
            description=None,
            dates={},
            year=None,
            sources=[],
        )

    literals: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in kg.select(_ENTITY_LITERALS):
        iri, prop, value = row["entity"].value, row["property"].value, row["value"]
        if iri not in graph:
            continue
        node = graph.nodes[iri]
        if prop == _LABEL or (prop == _PREF_LABEL and node["label"] is None):
            if node["label"] is None or _is_english(value):
                node["label"] = value.value
        elif prop == _DESCRIPTION:
            if node["description"] is None or _is_english(value):
                node["description"] = value.value
        elif prop in _DATE_PROPERTIES:
            node["dates"][_DATE_PROPERTIES[prop]] = value.value
        elif include_literals:
            literals[iri][curie(prop)].append(value.value)

    for row in kg.select(_EDGES):
        subject, prop, obj, claim = (
            row[k].value for k in ("subject", "property", "object", "claim")
        )
        if subject not in graph or obj not in graph:
            continue
        graph.add_edge(
            subject,
            obj,
            key=curie(prop),
            predicate=prop,
            curie=curie(prop),
            label=term_labels.get(prop, curie(prop)),
            claim=claim,
            sources=citations.get(claim, []),
        )

    claims_of: dict[str, set[str]] = defaultdict(set)
    for row in kg.select(_CLAIMS):
        claims_of[row["entity"].value].add(row["claim"].value)

    for iri, data in graph.nodes(data=True):
        data["label"] = data["label"] or data["curie"]
        years = [int(m.group(1)) for d in data["dates"].values() if (m := _YEAR.match(d))]
        data["year"] = min(years) if years else None
        data["sources"] = [
            c for claim in sorted(claims_of.get(iri, ())) for c in citations.get(claim, [])
        ]
        if include_literals:
            data["literals"] = {k: sorted(v) for k, v in literals.get(iri, {}).items()}

    if include_schema:
        _add_schema(graph, term_labels)
    return graph


def _add_schema(graph: nx.MultiDiGraph, term_labels: dict[str, str]) -> None:
    """Classes as nodes, linked from their instances by ``rdf:type`` edges."""
    from vetgraph.graph.namespaces import RDF, expand

    for iri, data in list(graph.nodes(data=True)):
        for cls in data["classes"]:
            cls_iri = expand(cls) or cls.strip("<>")
            if cls_iri not in graph:
                graph.add_node(
                    cls_iri,
                    iri=cls_iri,
                    curie=cls,
                    label=term_labels.get(cls_iri, cls),
                    classes=["owl:Class"],
                    cls="owl:Class",
                    class_label="class",
                    description=None,
                    dates={},
                    year=None,
                    sources=[],
                )
            graph.add_edge(
                iri,
                cls_iri,
                key="rdf:type",
                predicate=RDF.type,
                curie="rdf:type",
                label="type",
                claim=None,
                sources=[],
            )


def _citations(kg: KnowledgeGraph) -> dict[str, list[dict[str, Any]]]:
    """claim IRI → its citations, each a dict fit for display."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in kg.select(_CITATIONS):
        locator = next(
            (
                f"{name} {row[name].value}"
                for name in ("sentence", "paragraph", "recital")
                if row[name] is not None
            ),
            row["article"].value if row["article"] is not None else None,
        )
        found[row["claim"].value].append(
            {
                "claim": row["claim"].value,
                "source": row["source"].value,
                "title": _value(row["title"]),
                "url": _value(row["url"]),
                "kind": curie(row["kind"].value) if row["kind"] is not None else None,
                "section": _value(row["section"]),
                "locator": locator,
            }
        )
    for items in found.values():
        items.sort(key=lambda c: (c["source"], c["section"] or "", c["locator"] or ""))
    return dict(found)


def _value(term: ox.Literal | ox.NamedNode | None) -> str | None:
    return term.value if term is not None else None


def _is_english(term: ox.Literal) -> bool:
    return isinstance(term, ox.Literal) and (term.language or "").lower().startswith("en")


def node_attributes(iri: str, label: str, cls: str = "vet:Thing", **extra: Any) -> dict[str, Any]:
    """A node's attributes as ``to_networkx`` makes them, for graphs built by hand.

    >>> node_attributes("https://w3id.org/vetgraph/id/x", "X")["curie"]
    'vg:x'
    """
    data: dict[str, Any] = {
        "iri": iri,
        "curie": curie(iri),
        "label": label,
        "classes": [cls],
        "cls": cls,
        "class_label": cls.partition(":")[2] or cls,
        "description": None,
        "dates": {},
        "year": None,
        "sources": [],
    }
    data.update(extra)
    return data


# -- views: one entity's neighbourhood, a query's result, the dated entities on a timeline ---


def undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """A simple undirected graph on the same nodes; ``weight`` counts the parallel edges.

    Nodes and edges are inserted in sorted order, so that randomised algorithms seeded
    with a fixed seed (communities, layouts) give the same answer on every run.
    """
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph))
    weights: dict[tuple[str, str], int] = defaultdict(int)
    for u, v in graph.edges():
        if u != v:
            weights[(u, v) if u < v else (v, u)] += 1
    simple.add_weighted_edges_from((u, v, w) for (u, v), w in sorted(weights.items()))
    return simple


def resolve(graph: nx.MultiDiGraph, ref: str) -> str:
    """The node an IRI, a CURIE or an exact label names; a clear error with suggestions.

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


# -- explained paths ---------------------------------------------------------------------------


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


# -- analytics -------------------------------------------------------------------------------

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
    communities = _ordered(partitions[-1]) if partitions else []
    modularity = nx.community.modularity(simple, communities) if simple.number_of_edges() else 0.0
    return Analysis(
        nodes=n,
        edges=graph.number_of_edges(),
        degree=dict(simple.degree()),
        degree_centrality=nx.degree_centrality(simple) if n > 1 else dict.fromkeys(simple, 0.0),
        betweenness=betweenness,
        betweenness_samples=samples,
        components=_ordered(nx.connected_components(simple)),
        communities=communities,
        modularity=modularity,
        partitions=partitions,
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


def _ordered(groups: Any) -> list[list[str]]:
    """Groups of nodes as sorted lists, largest first (ties by first member)."""
    return sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))


# -- positions for large graphs --------------------------------------------------------------

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
    children = _ordered(groups.values())
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
