"""The RDF beside each page: ``NAME.ttl``, ``NAME.nt`` and ``NAME.jsonld``, holding the claims
about the entity (or, for a source document, the claims it supports) with their provenance.

What a file holds, for an entity E:

- every triple with E as subject (the claims about E: its labels, class, description, dates,
  and its links to other entities), in the claim (named graph) that states it, or in the
  default graph for a researcher's plain triples without a claim. Links *to* E are in the
  files of the entities they start from (as in a Concise Bounded Description), which keeps
  the file of a hub (a country hundreds of facts point at) small;
- for each of those claims, its record in ``vgg:provenance``: ``vet:about`` and its citations
  (``prov:qualifiedDerivation`` → source, section, locator);
- the description of every cited source, from ``vgg:sources``.

For a source document S: S's description and every claimed triple citing S, the same way.

**JSON-LD keeps the named graphs** (an object with ``@id`` and ``@graph`` per claim, as in
``vetgraph.trig``), written in expanded form so it reads without fetching a context.

**Turtle and N-Triples have no named graphs, so each claimed triple is asserted and also
reified**: a node ``[] a rdf:Statement ; rdf:subject S ; rdf:predicate P ; rdf:object O ;
dcterms:isPartOf <claim>]`` names the claim it belongs to, and the claim's citations follow
as in the provenance graph (``<claim> prov:qualifiedDerivation [ prov:entity <source> ;
vet:section "..." ; vet:sentence 3 ]``). So "which documents support S P O?" is one query:
``?st rdf:subject S ; rdf:predicate P ; rdf:object O ; dcterms:isPartOf ?claim . ?claim
prov:qualifiedDerivation/prov:entity ?source``.

Blank nodes are named by their content, so a rebuild writes the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from vetgraph.explore.site.model import Fact, SiteModel
from vetgraph.graph.namespaces import DCTERMS, PREFIXES, RDF, RESERVED_GRAPHS

_STATEMENT = ox.NamedNode(RDF.Statement)
_TYPE = ox.NamedNode(RDF.type)
_SUBJECT, _PREDICATE, _OBJECT = (ox.NamedNode(RDF[p]) for p in ("subject", "predicate", "object"))
_PART_OF = ox.NamedNode(DCTERMS.isPartOf)


def entity_quads(model: SiteModel, iri: str) -> list[ox.Quad]:
    return _with_provenance(model, model.outgoing.get(iri, []), ())


def source_quads(model: SiteModel, iri: str) -> list[ox.Quad]:
    return _with_provenance(model, model.citing.get(iri, []), (iri,))


def _with_provenance(
    model: SiteModel, facts: Iterable[Fact], sources: Iterable[str]
) -> list[ox.Quad]:
    quads: dict[ox.Quad, None] = {}
    claims: dict[str, None] = {}
    for fact in facts:
        subject = ox.NamedNode(fact.subject)
        predicate = ox.NamedNode(fact.predicate)
        graphs: list[ox.NamedNode | ox.DefaultGraph] = [ox.NamedNode(c) for c in fact.claims]
        graphs = graphs or [ox.DefaultGraph()]
        for graph in graphs:
            quads[ox.Quad(subject, predicate, fact.object, graph)] = None
        claims.update(dict.fromkeys(fact.claims))
    cited = dict.fromkeys(sources)
    for claim in claims:
        for quad in model.provenance_quads.get(claim, []):
            quads[quad] = None
        cited.update(dict.fromkeys(c["source"] for c in model.citations.get(claim, [])))
    for source in cited:
        for quad in model.source_quads.get(source, []):
            quads[quad] = None
    return _named_blank_nodes(list(quads))


def _named_blank_nodes(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The quads with each blank node renamed after what it says (stable across builds)."""
    says: dict[ox.BlankNode, list[str]] = {}
    for quad in quads:  # what points at it first (a citation's claim), then what it says
        if isinstance(quad.object, ox.BlankNode):
            says.setdefault(quad.object, []).append(f"0 {quad.subject} {quad.predicate}")
    for quad in quads:
        if isinstance(quad.subject, ox.BlankNode):
            says.setdefault(quad.subject, []).append(f"1 {quad.predicate} {quad.object}")
    order = sorted(says, key=lambda node: sorted(says[node]))
    names = {node: ox.BlankNode(f"c{index + 1}") for index, node in enumerate(order)}

    def rename(term: Any) -> Any:
        return names.get(term, term) if isinstance(term, ox.BlankNode) else term

    renamed = [
        ox.Quad(rename(q.subject), q.predicate, rename(q.object), q.graph_name) for q in quads
    ]
    renamed.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    return renamed


def flattened(quads: list[ox.Quad]) -> list[ox.Triple]:
    """The quads as one graph: every triple, and each claimed triple reified with the claim
    it is part of (see the module docstring)."""
    triples: dict[ox.Triple, None] = {}
    reified = 0
    for quad in quads:
        triples[quad.triple] = None
        graph = quad.graph_name
        if isinstance(graph, ox.NamedNode) and graph.value not in RESERVED_GRAPHS:
            reified += 1
            node = ox.BlankNode(f"s{reified}")
            for predicate, obj in (
                (_TYPE, _STATEMENT),
                (_SUBJECT, quad.subject),
                (_PREDICATE, quad.predicate),
                (_OBJECT, quad.object),
                (_PART_OF, graph),
            ):
                triples[ox.Triple(node, predicate, obj)] = None
    return list(triples)


def rdf_files(quads: list[ox.Quad]) -> dict[str, bytes]:
    """suffix → bytes: ``.ttl``, ``.nt`` (flattened), ``.jsonld`` (named graphs kept)."""
    triples = flattened(quads)
    made = {
        ".ttl": ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES),
        ".nt": ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
        ".jsonld": ox.serialize(quads, format=ox.RdfFormat.JSON_LD),
    }
    return {suffix: data or b"" for suffix, data in made.items()}
