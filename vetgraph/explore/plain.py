"""Plain triples: the entities and links of the default graph, beside those of the claims.

A researcher's own Turtle or N-Triples has no named graphs, and the published ``vetgraph.ttl``
and ``vetgraph.nt`` merge every graph into one. Their facts sit in the default graph.
:func:`add_plain_triples` draws them by the rule the TriG follows by graph, here by type and
namespace, so that the flat exports give the same network as ``vetgraph.trig``:

* an **entity** is an IRI that is typed and labelled (``rdf:type`` and ``rdfs:label`` or
  ``skos:prefLabel``), or that a property links to another IRI. A mapping property
  (``owl:sameAs``, ``rdfs:seeAlso``, the SKOS matches, ``skos:inScheme``) points outside the
  data: it makes no entity, though it links two that are entities already;
* **not entities** are what the TriG keeps outside its claims: the vocabulary (an IRI with
  ``rdfs:isDefinedBy``, or typed with an RDF, RDFS, OWL or SHACL class or as a
  ``skos:ConceptScheme``; vetgraph's ontology and shapes), the claim index (``vet:Claim``,
  the ``claim:`` and ``vgg:`` namespaces), citations (blank nodes) and the sources
  (``vet:SourceDocument``, the ``src:`` namespace);
* a **link** is any other triple between two entities (``rdf:type`` excluded).

A plain fact has no source: the page and ``vetgraph path`` say "no source given". Only when
the file carries vetgraph's claim index are sources recovered, and only where that is exact:
an entity's sources are the citations of the claims about it (as in the TriG), and a link's
are those of its subject's claim when exactly one claim is about the subject (a claim is
about every subject it states something of, so that claim holds the link).

>>> from vetgraph.graph.store import KnowledgeGraph
>>> kg = KnowledgeGraph()
>>> kg.add_ntriples('<http://ex.org/a> <http://ex.org/funds> <http://ex.org/b> .')
>>> from vetgraph.explore.network import to_networkx
>>> g = to_networkx(kg)
>>> sorted(g), [d["sources"] for _, _, d in g.edges(data=True)]
(['http://ex.org/a', 'http://ex.org/b'], [[]])
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from vetgraph.explore.network import (
    citations_of,
    citations_query,
    complete_node,
    node_attributes,
    put_literal,
)
from vetgraph.graph.namespaces import (
    CLAIM,
    ONTOLOGY_IRI,
    OWL,
    RDF,
    RDFS,
    SH,
    SKOS,
    SRC,
    VET,
    VGG,
    VSH,
    curie,
)

if TYPE_CHECKING:
    import networkx as nx

    from vetgraph.graph.store import KnowledgeGraph

#: IRIs under these are vetgraph's vocabulary, shapes, claims, graphs and sources.
_NOT_ENTITY_NAMESPACES = (ONTOLOGY_IRI, VSH, CLAIM, VGG, SRC)
#: The vocabularies whose classes type vocabulary terms (``owl:Class``, ``sh:NodeShape``...).
_SCHEMA_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(SH))
#: Classes of those vocabularies that type things of the data.
_DATA_CLASSES = {OWL.Thing, OWL.NamedIndividual, RDFS.Resource}
#: Properties that point outside the data (identities, mappings, schemes, documentation).
_MAPPING = {
    OWL.sameAs,
    RDFS.seeAlso,
    RDFS.isDefinedBy,
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
    SKOS.inScheme,
    SKOS.topConceptOf,
}
#: Properties declared as kinds of those (``vet:eurLexPage`` is an ``rdfs:seeAlso``).
_MAPPING_SUBPROPERTIES = (
    f"SELECT DISTINCT ?p WHERE {{ ?p <{RDFS.subPropertyOf}>+ ?mapping "
    f"VALUES ?mapping {{ {' '.join(f'<{p}>' for p in sorted(_MAPPING))} }} }}"
)
_LABELS = {RDFS.label, SKOS.prefLabel}
#: What to do when the files hold no entity: the rule in words (a hint for messages).
NO_ENTITY_HINT = (
    "an entity is an IRI with a class and a label (rdf:type and rdfs:label), "
    "or one that a property links to another IRI; check the files given with --input"
)
#: The class of an entity that no triple types.
UNTYPED = "rdfs:Resource"

_TYPES = f"SELECT ?s ?class WHERE {{ ?s <{RDF.type}> ?class FILTER(isIRI(?s) && isIRI(?class)) }}"
_LINKS = (
    f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && isIRI(?o) && ?p != <{RDF.type}>) }}"
)
_LITERALS = "SELECT ?s ?p ?value WHERE { ?s ?p ?value FILTER(isIRI(?s) && isLiteral(?value)) }"
_CLAIMS = f"SELECT ?claim ?entity WHERE {{ ?claim <{VET.about}> ?entity }}"
_DEPTHS = f"""SELECT ?class (COUNT(?super) AS ?depth)
WHERE {{ ?class <{RDFS.subClassOf}>+ ?super }} GROUP BY ?class"""
#: Subjects that are vocabulary, claims or sources, whichever graph says so.
_NOT_ENTITIES = f"""SELECT DISTINCT ?s WHERE {{
  {{ ?s <{RDFS.isDefinedBy}> ?vocabulary }}
  UNION {{
    ?s <{RDF.type}> ?class . ?class <{RDFS.subClassOf}>* ?kept
    VALUES ?kept {{ <{VET.Claim}> <{VET.SourceDocument}> <{SKOS.ConceptScheme}> }}
  }}
  UNION {{
    ?s <{RDF.type}> ?class
    FILTER({" || ".join(f'STRSTARTS(STR(?class), "{ns}")' for ns in _SCHEMA_NAMESPACES)})
    FILTER(?class NOT IN ({", ".join(f"<{c}>" for c in sorted(_DATA_CLASSES))}))
  }}
  FILTER(isIRI(?s))
}}"""


def add_plain_triples(
    graph: nx.MultiDiGraph,
    kg: KnowledgeGraph,
    term_labels: dict[str, str],
    *,
    include_literals: bool = False,
) -> None:
    """Add the default graph's entities and links to ``graph`` (see the module docstring).

    Nothing to do, and nothing read, when the default graph is empty (the bundled TriG).
    """
    if next(iter(kg.store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None:
        return
    types: dict[str, list[str]] = defaultdict(list)
    for row in kg.select(_TYPES, union=False):
        types[row["s"].value].append(row["class"].value)
    literals = [(r["s"].value, r["p"].value, r["value"]) for r in kg.select(_LITERALS, union=False)]
    links = [tuple(r[k].value for k in ("s", "p", "o")) for r in kg.select(_LINKS, union=False)]
    term_labels = _term_labels(term_labels, literals)
    added = _add_entities(graph, kg, _entities(kg, types, literals, links), types, term_labels)

    others: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for iri, prop, value in literals:
        if iri in added and not put_literal(graph.nodes[iri], prop, value):
            others[iri][curie(prop)].append(value.value)

    claims_of: dict[str, set[str]] = defaultdict(set)
    for row in kg.select(_CLAIMS, union=False):
        claims_of[row["entity"].value].add(row["claim"].value)
    citations = citations_of(kg.select(citations_query(), union=False))
    for iri in sorted(added):
        complete_node(graph.nodes[iri], claims_of.get(iri, ()), citations)
        if include_literals:
            graph.nodes[iri]["literals"] = {k: sorted(v) for k, v in others[iri].items()}
    _add_links(graph, links, claims_of, citations, term_labels)


def _add_links(
    graph: nx.MultiDiGraph,
    links: list[tuple[str, ...]],
    claims_of: dict[str, set[str]],
    citations: dict[str, list[dict[str, Any]]],
    term_labels: dict[str, str],
) -> None:
    """An edge for each link between two nodes (one a claim states already is kept), with
    the citations of its subject's claim when exactly one claim is about the subject."""
    for subject, prop, obj in links:
        key = curie(prop)
        if subject not in graph or obj not in graph or graph.has_edge(subject, obj, key):
            continue
        claims = claims_of.get(subject, set())
        claim = next(iter(claims)) if len(claims) == 1 else None
        graph.add_edge(
            subject,
            obj,
            key=key,
            predicate=prop,
            curie=key,
            label=_name(term_labels, prop),
            claim=claim,
            sources=citations.get(claim, []) if claim else [],
        )


def _term_labels(
    ontology: dict[str, str], literals: list[tuple[str, str, ox.Literal]]
) -> dict[str, str]:
    """The ontology's labels of terms, and the data's own ``rdfs:label`` of the others
    (English first)."""
    own: dict[str, str] = {}
    for iri, prop, value in literals:
        if prop == RDFS.label and (iri not in own or (value.language or "").startswith("en")):
            own[iri] = value.value
    return {**own, **ontology}


def _name(term_labels: dict[str, str], iri: str) -> str:
    """A class's or property's name: its label, else its CURIE, else the end of its IRI.

    >>> _name({}, "http://example.org/study/establishedBy"), _name({}, OWL.sameAs)
    ('establishedBy', 'owl:sameAs')
    """
    name = term_labels.get(iri) or curie(iri)
    if name.startswith("<"):
        name = iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or iri
    return name


def _entities(
    kg: KnowledgeGraph,
    types: dict[str, list[str]],
    literals: list[tuple[str, str, ox.Literal]],
    links: list[tuple[str, ...]],
) -> set[str]:
    """The IRIs of the default graph that are entities: typed and labelled, or linked."""
    excluded = {row["s"].value for row in kg.select(_NOT_ENTITIES)}

    def allowed(iri: str) -> bool:
        return iri not in excluded and not iri.startswith(_NOT_ENTITY_NAMESPACES)

    labelled = {iri for iri, prop, _ in literals if prop in _LABELS}
    found = {iri for iri in types if iri in labelled and allowed(iri)}
    mapping = _MAPPING | {row["p"].value for row in kg.select(_MAPPING_SUBPROPERTIES)}
    for subject, prop, obj in links:
        if prop not in mapping and allowed(subject) and allowed(obj):
            found.update((subject, obj))
    return found


def _add_entities(
    graph: nx.MultiDiGraph,
    kg: KnowledgeGraph,
    entities: set[str],
    types: dict[str, list[str]],
    term_labels: dict[str, str],
) -> set[str]:
    """A node for each entity not in ``graph`` yet, its classes most specific first
    (``rdfs:Resource`` for an untyped one); their IRIs."""
    depth = {r["class"].value: int(r["depth"].value) for r in kg.select(_DEPTHS)}
    added = entities - set(graph)
    for iri in sorted(added):
        ordered = sorted(set(types.get(iri, ())), key=lambda c: (-depth.get(c, 0), c))
        cls = curie(ordered[0]) if ordered else UNTYPED
        data = node_attributes(iri, "", cls, classes=[curie(c) for c in ordered] or [cls])
        data["label"] = None  # set by the literals; the CURIE if none
        data["class_label"] = _name(term_labels, ordered[0]) if ordered else "no class given"
        graph.add_node(iri, **data)
    return added
