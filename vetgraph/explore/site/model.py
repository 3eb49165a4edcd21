"""What the site's pages are made of, read from the graph in one pass: every entity with its
labels, classes, description and dates; every fact (a triple of a claim graph, or of the
default graph for a researcher's plain Turtle) with the claims that state it; the citations
of each claim; the source documents. Reading quads directly (not one query per entity) keeps
the site's cost linear in the size of the graph.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from vetgraph.explore.addresses import page_path
from vetgraph.graph.namespaces import (
    DCTERMS,
    PROV,
    PROVENANCE_GRAPH,
    RDF,
    RDFS,
    SKOS,
    SOURCES_GRAPH,
    VET,
    VG,
    curie,
)

if TYPE_CHECKING:
    from vetgraph.graph.store import KnowledgeGraph

_TERM_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?term ?label WHERE {
  GRAPH ?module { ?term rdfs:isDefinedBy ?defined ; rdfs:label ?label }
  FILTER (LANGMATCHES(LANG(?label), "en"))
}
"""
DATES = {
    VET.date: "date",
    VET.startDate: "start",
    VET.endDate: "end",
    VET.plannedEndDate: "planned end",
}
#: Properties a page shows in its heading rather than among the facts.
HEADING = {RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.description}
_PROVENANCE_GRAPH = ox.NamedNode(PROVENANCE_GRAPH)


@dataclass
class Entity:
    iri: str
    label: str | None = None
    labels: list[tuple[str, str]] = field(default_factory=list)  # (value, language)
    alt_labels: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)  # CURIEs, as asserted
    description: str | None = None
    dates: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.label or curie(self.iri)


Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class Fact:
    """One statement: subject, property (IRI), object (a pyoxigraph term) and the claims
    (named graphs) that state it; no claim for a triple of the default graph."""

    subject: str
    predicate: str
    object: Term
    claims: tuple[str, ...]


@dataclass
class SiteModel:
    entities: dict[str, Entity]
    facts: list[Fact]
    citations: dict[str, list[dict[str, Any]]]  # claim → citations (network.citations_of)
    sources: dict[str, dict[str, Any]]  # source IRI → title, publisher, kind, url, ...
    term_labels: dict[str, str]  # property or class IRI → English label
    claim_quads: dict[str, list[ox.Quad]]  # claim → its triples (as quads in its graph)
    provenance_quads: dict[str, list[ox.Quad]]  # claim → its citations' quads
    source_quads: dict[str, list[ox.Quad]]  # source → its description's quads
    outgoing: dict[str, list[Fact]] = field(default_factory=dict)
    incoming: dict[str, list[Fact]] = field(default_factory=dict)
    citing: dict[str, list[Fact]] = field(default_factory=dict)  # source → facts it supports
    rendered: dict[tuple[str, ...], str] = field(default_factory=dict)  # claims → their sources

    def name(self, iri: str) -> str:
        entity = self.entities.get(iri)
        if entity is not None:
            return entity.name
        source = self.sources.get(iri)
        if source is not None and source.get("title"):
            return str(source["title"])
        return self.term_labels.get(iri) or curie(iri)

    def class_label(self, class_curie: str) -> str:
        from vetgraph.graph.namespaces import expand

        return self.term_labels.get(expand(class_curie) or class_curie, class_curie)

    def fact_citations(self, fact: Fact) -> list[dict[str, Any]]:
        return [c for claim in fact.claims for c in self.citations.get(claim, [])]


def read(kg: KnowledgeGraph) -> SiteModel:
    """Everything the pages show, from ``kg``."""
    from vetgraph.explore.network import _CITATIONS, citations_of

    term_labels = {row["term"].value: row["label"].value for row in kg.select(_TERM_LABELS)}
    about, provenance_quads = _provenance(kg)
    claim_quads, facts = _facts(kg, about)
    model = SiteModel(
        entities={},
        facts=facts,
        citations=citations_of(kg.select(_CITATIONS)),
        sources=_sources(kg),
        term_labels=term_labels,
        claim_quads=claim_quads,
        provenance_quads=provenance_quads,
        source_quads=_source_quads(kg),
    )
    _index(model)
    return model


def _provenance(kg: KnowledgeGraph) -> tuple[set[str], dict[str, list[ox.Quad]]]:
    """The claims (from the claim index) and, per claim, the quads of its citations."""
    claims: set[str] = set()
    by_subject: dict[ox.NamedNode | ox.BlankNode, list[ox.Quad]] = defaultdict(list)
    for quad in kg.store.quads_for_pattern(None, None, None, _PROVENANCE_GRAPH):
        if not isinstance(quad.subject, ox.NamedNode | ox.BlankNode):
            continue
        by_subject[quad.subject].append(quad)
        if quad.predicate.value == VET.about:
            claims.add(quad.subject.value)
    found: dict[str, list[ox.Quad]] = {}
    for claim in claims:
        quads = list(by_subject.get(ox.NamedNode(claim), []))
        for quad in list(quads):
            if quad.predicate.value == PROV.qualifiedDerivation and isinstance(
                quad.object, ox.BlankNode
            ):
                quads.extend(by_subject.get(quad.object, []))
        found[claim] = quads
    return claims, found


def _facts(kg: KnowledgeGraph, claims: set[str]) -> tuple[dict[str, list[ox.Quad]], list[Fact]]:
    """Each claim's quads, and the facts: every triple of a claim graph (merged when several
    claims state it) and of the default graph."""
    claim_quads: dict[str, list[ox.Quad]] = {}
    stated: dict[tuple[str, str, Term], list[str]] = defaultdict(list)
    for claim in sorted(claims):
        quads = list(kg.store.quads_for_pattern(None, None, None, ox.NamedNode(claim)))
        claim_quads[claim] = quads
        for quad in quads:
            if isinstance(quad.subject, ox.NamedNode) and not isinstance(quad.object, ox.Triple):
                stated[(quad.subject.value, quad.predicate.value, quad.object)].append(claim)
    for quad in kg.store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        if isinstance(quad.subject, ox.NamedNode) and not isinstance(quad.object, ox.Triple):
            stated.setdefault((quad.subject.value, quad.predicate.value, quad.object), [])
    facts = [
        Fact(subject, predicate, obj, tuple(sorted(set(found))))
        for (subject, predicate, obj), found in stated.items()
    ]
    facts.sort(key=lambda f: (f.subject, f.predicate, str(f.object)))
    return claim_quads, facts


def _sources(kg: KnowledgeGraph) -> dict[str, dict[str, Any]]:
    fields = {
        DCTERMS["title"]: "title",
        str(VET.url): "url",
        str(VET.publisherName): "publisher",
        str(VET.sourceKind): "kind",
        str(VET.retrievedOn): "retrieved",
        str(VET.consultedCopy): "copy",
    }
    found: dict[str, dict[str, Any]] = {}
    for quad in kg.store.quads_for_pattern(None, None, None, ox.NamedNode(SOURCES_GRAPH)):
        if not isinstance(quad.subject, ox.NamedNode) or isinstance(quad.object, ox.Triple):
            continue
        record = found.setdefault(quad.subject.value, {"iri": quad.subject.value})
        key = fields.get(quad.predicate.value)
        if key == "kind":
            record[key] = curie(quad.object.value)
        elif key is not None and (key not in record or _english(quad.object)):
            record[key] = quad.object.value
    return found


def _source_quads(kg: KnowledgeGraph) -> dict[str, list[ox.Quad]]:
    found: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in kg.store.quads_for_pattern(None, None, None, ox.NamedNode(SOURCES_GRAPH)):
        if isinstance(quad.subject, ox.NamedNode):
            found[quad.subject.value].append(quad)
    return dict(found)


def _english(term: Any) -> bool:
    return isinstance(term, ox.Literal) and (term.language or "").lower().startswith("en")


def _index(model: SiteModel) -> None:
    """Entities (every IRI with a page in ``id/`` that a fact names), their heading values,
    and the facts by subject, by object and by cited source."""
    outgoing: dict[str, list[Fact]] = defaultdict(list)
    incoming: dict[str, list[Fact]] = defaultdict(list)
    citing: dict[str, list[Fact]] = defaultdict(list)
    for fact in model.facts:
        for iri in (fact.subject, fact.object.value):
            if iri.startswith(str(VG)) and page_path(iri) and iri not in model.entities:
                model.entities[iri] = Entity(iri)
        outgoing[fact.subject].append(fact)
        if isinstance(fact.object, ox.NamedNode):
            incoming[fact.object.value].append(fact)
        for source in dict.fromkeys(c["source"] for c in model.fact_citations(fact)):
            citing[source].append(fact)
        entity = model.entities.get(fact.subject)
        if entity is not None:
            _heading(entity, fact)
    for entity in model.entities.values():
        english = [value for value, lang in entity.labels if lang.startswith("en")]
        named = english or [value for value, _ in entity.labels]
        entity.label = named[0] if named else None
        others = [value for value, _ in entity.labels if value != entity.label]
        entity.alt_labels = list(dict.fromkeys([*entity.alt_labels, *others]))
    model.outgoing, model.incoming, model.citing = dict(outgoing), dict(incoming), dict(citing)


def _heading(entity: Entity, fact: Fact) -> None:
    value = fact.object
    if fact.predicate == RDF.type and isinstance(value, ox.NamedNode):
        entity.classes.append(curie(value.value))
    elif not isinstance(value, ox.Literal):
        return
    elif fact.predicate in (RDFS.label, SKOS.prefLabel):
        entity.labels.append((value.value, (value.language or "").lower()))
    elif fact.predicate == SKOS.altLabel:
        entity.alt_labels.append(value.value)
    elif fact.predicate == DCTERMS.description:
        if entity.description is None or _english(value):
            entity.description = value.value
    elif fact.predicate in DATES:
        entity.dates[DATES[fact.predicate]] = value.value
