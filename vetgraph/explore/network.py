"""Graph → networkx: entities as nodes, object properties as labelled edges. Pure: no rendering.

Nodes are the entities the claims describe (keyed by IRI), and those of plain triples in the
default graph (a researcher's own Turtle, the flat ``vetgraph.ttl``: see
:mod:`vetgraph.explore.plain`). Each node carries::

    iri, curie, label, classes (CURIEs, most specific first), cls (the first of those),
    class_label, description, dates ({"date": "2014-04-15", "startDate": ...}),
    year (the earliest year among its dates, or None), sources (one dict per citation:
    source, title, url, kind, retrieved, section, locator, claim)

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
['vet:addresses', 'vet:adoptedBy', 'vet:advises']
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from vetgraph.graph.namespaces import PROVENANCE_GRAPH, SOURCES_GRAPH, VET, curie

if TYPE_CHECKING:
    from collections.abc import Iterable

    import networkx as nx

    from vetgraph.graph.store import KnowledgeGraph

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


def citations_query(provenance: str = "", sources: str = "") -> str:
    """The citations of every claim: where the claim index and the bibliography are found
    (``GRAPH <...>``, or "" for the default graph)."""
    return (
        _PREFIXES
        + f"""
SELECT ?claim ?source ?title ?url ?kind ?retrieved ?section ?sentence ?paragraph ?recital ?article
WHERE {{
  {provenance} {{
    ?claim prov:qualifiedDerivation ?citation .
    ?citation prov:entity ?source .
    OPTIONAL {{ ?citation vet:section ?section }}
    OPTIONAL {{ ?citation vet:sentence ?sentence }}
    OPTIONAL {{ ?citation vet:paragraph ?paragraph }}
    OPTIONAL {{ ?citation vet:recital ?recital }}
    OPTIONAL {{ ?citation vet:article ?article }}
  }}
  OPTIONAL {{ {sources} {{ ?source dcterms:title ?title }} }}
  OPTIONAL {{ {sources} {{ ?source vet:url ?url }} }}
  OPTIONAL {{ {sources} {{ ?source vet:sourceKind ?kind }} }}
  OPTIONAL {{ {sources} {{ ?source vet:retrievedOn ?retrieved }} }}
}}
"""
    )


_CITATIONS = citations_query(f"GRAPH <{PROVENANCE_GRAPH}>", f"GRAPH <{SOURCES_GRAPH}>")

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


#: The CURIE of a class or property: few distinct ones, met on every entity and link.
_term = lru_cache(maxsize=4096)(curie)


def to_networkx(
    kg: KnowledgeGraph, *, include_literals: bool = False, include_schema: bool = False
) -> nx.MultiDiGraph:
    """Project the knowledge graph onto a networkx MultiDiGraph (see the module docstring)."""
    import networkx as nx

    term_labels = {r["term"].value: r["label"].value for r in kg.select(_TERM_LABELS)}
    citations = _citations(kg)
    graph = nx.MultiDiGraph()
    _add_entities(graph, kg, term_labels)
    literals = _add_literals(graph, kg, include_literals)
    _add_links(graph, kg, term_labels, citations)
    _complete_entities(graph, kg, citations, literals if include_literals else None)
    from vetgraph.explore.plain import add_plain_triples

    add_plain_triples(graph, kg, term_labels, include_literals=include_literals)
    if include_schema:
        _add_schema(graph, term_labels)
    return graph


def _add_entities(graph: nx.MultiDiGraph, kg: KnowledgeGraph, term_labels: dict[str, str]) -> None:
    """A node for each entity a claim is about, its classes most specific first."""
    classes: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in kg.select(_ENTITY_TYPES):
        depth = int(row["depth"].value) if row["depth"] is not None else 0
        classes[row["entity"].value].append((depth, row["class"].value))

    for iri, typed in classes.items():
        ordered = [c for _, c in sorted(typed, key=lambda t: (-t[0], t[1]))]
        graph.add_node(
            iri,
            iri=iri,
            curie=curie(iri),
            label=None,
            classes=[_term(c) for c in ordered],
            cls=_term(ordered[0]),
            class_label=term_labels.get(ordered[0], _term(ordered[0])),
            description=None,
            dates={},
            year=None,
            sources=[],
        )


def _add_literals(
    graph: nx.MultiDiGraph, kg: KnowledgeGraph, include_literals: bool
) -> dict[str, dict[str, list[str]]]:
    """Labels, descriptions and dates onto the nodes; the other literals (if asked for)
    returned as entity → {property CURIE: [values]}."""
    literals: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in kg.select(_ENTITY_LITERALS):
        iri, prop, value = row["entity"].value, row["property"].value, row["value"]
        if iri not in graph:
            continue
        if not put_literal(graph.nodes[iri], prop, value) and include_literals:
            literals[iri][_term(prop)].append(value.value)
    return literals


def put_literal(node: dict[str, Any], prop: str, value: ox.Literal) -> bool:
    """Put a label, description or date onto a node's attributes (English wins);
    False when ``prop`` is none of those."""
    if prop == _LABEL or (prop == _PREF_LABEL and node["label"] is None):
        if node["label"] is None or _is_english(value):
            node["label"] = value.value
    elif prop == _DESCRIPTION:
        if node["description"] is None or _is_english(value):
            node["description"] = value.value
    elif prop in _DATE_PROPERTIES:
        node["dates"][_DATE_PROPERTIES[prop]] = value.value
    else:
        return False
    return True


def _add_links(
    graph: nx.MultiDiGraph,
    kg: KnowledgeGraph,
    term_labels: dict[str, str],
    citations: dict[str, list[dict[str, Any]]],
) -> None:
    """An edge for each object-property triple between two entities, with its citations.

    Rows are streamed, and each string kept once (a 20k-entity graph has 300k links)."""
    same: dict[str, str] = {n: n for n in graph}
    for row in kg.query(_EDGES):
        subject, obj = same.get(row["subject"].value), same.get(row["object"].value)
        if subject is None or obj is None:
            continue
        prop = row["property"].value
        prop, claim = same.setdefault(prop, prop), row["claim"].value
        claim, short = same.setdefault(claim, claim), _term(prop)
        graph.add_edge(
            subject,
            obj,
            key=short,
            predicate=prop,
            curie=short,
            label=term_labels.get(prop, short),
            claim=claim,
            sources=citations.get(claim, []),
        )


def _complete_entities(
    graph: nx.MultiDiGraph,
    kg: KnowledgeGraph,
    citations: dict[str, list[dict[str, Any]]],
    literals: dict[str, dict[str, list[str]]] | None,
) -> None:
    """Each node's fallback label, earliest year and sources (and literals, if given)."""
    claims_of: dict[str, set[str]] = defaultdict(set)
    for row in kg.select(_CLAIMS):
        claims_of[row["entity"].value].add(row["claim"].value)

    for iri, data in graph.nodes(data=True):
        complete_node(data, claims_of.get(iri, ()), citations)
        if literals is not None:
            data["literals"] = {k: sorted(v) for k, v in literals.get(iri, {}).items()}


def complete_node(
    data: dict[str, Any], claims: Iterable[str], citations: dict[str, list[dict[str, Any]]]
) -> None:
    """A node's label (its CURIE if it has none), earliest year, and the citations of the
    claims about it."""
    data["label"] = data["label"] or data["curie"]
    years = [int(m.group(1)) for d in data["dates"].values() if (m := _YEAR.match(d))]
    data["year"] = min(years) if years else None
    data["sources"] = [c for claim in sorted(claims) for c in citations.get(claim, [])]


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
    return citations_of(kg.select(_CITATIONS))


def citations_of(rows: Iterable[ox.QuerySolution]) -> dict[str, list[dict[str, Any]]]:
    """claim IRI → its citations, from rows with the columns of the citations query."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
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
                "kind": _term(row["kind"].value) if row["kind"] is not None else None,
                "retrieved": _value(row["retrieved"]),
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


# -- the undirected simple form, shared by paths, analytics and layouts -----------------------


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
