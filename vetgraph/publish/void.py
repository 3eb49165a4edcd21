"""The dataset description, ``void.ttl``: VoID for the linked-data tools, DCAT for the
catalogues, written from the real graph by every build.

It says what the dataset is (title, description, keywords), who publishes it, under
which licence (the data and the ontology: CC BY 4.0; the software that builds them:
MIT), which version it is and when that version was released (the date in
``CHANGELOG.md``, so the file is the same whenever it is built), how big it is (triples,
entities, and for each class and property its share: the same figures as ``vetgraph
stats``), a few example resources, the source documents the facts come from, the files it
is published as (each with its media type) and, when the graph is served, its SPARQL
endpoint.

>>> from vetgraph.graph.build import load
>>> text = describe(load()).decode()
>>> "void:triples" in text and "dcat:distribution" in text
True
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import pyoxigraph as ox

from vetgraph.graph.namespaces import (
    BASE,
    DCTERMS,
    ONTOLOGY_IRI,
    OWL,
    PREFIXES,
    PROVENANCE_GRAPH,
    RDF,
    SCHEMA,
    SOURCES_GRAPH,
    VET,
    VG,
    XSD,
    Namespace,
)

if TYPE_CHECKING:
    from vetgraph.check.stats import Stats
    from vetgraph.graph.store import KnowledgeGraph

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")

DATASET = BASE + "dataset"
LANDING_PAGE = BASE.rstrip("/")
#: Where a release's files are published: ``<RELEASES><version>/<file name>``.
RELEASES = BASE + "release/"
DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
CODE_LICENSE = "https://spdx.org/licenses/MIT"
PUBLISHER_NAME = "vetgraph contributors"
EXAMPLES = 5

TITLE = "vetgraph: a knowledge graph of EU vocational education and training policy"
DESCRIPTION = (
    "EU programmes, policy documents, transparency and quality tools, Sector Skills "
    "Alliances, the bodies and stakeholders involved, sectors, countries, events and the "
    "problems policy addresses, as RDF. Every fact sits in a named graph (a claim) that "
    "cites its source document and the place in it (section and sentence, paragraph, "
    "recital or article)."
)
RIGHTS = (
    "The data and the ontology are licensed under CC BY 4.0; the vetgraph software that "
    "builds, checks and publishes them is licensed under MIT."
)
KEYWORDS = (
    "vocational education and training",
    "EU policy",
    "Copenhagen process",
    "Sector Skills Alliances",
    "knowledge graph",
    "provenance",
)
#: W3C format identifiers (http://www.w3.org/ns/formats/) of the RDF exports.
W3C_FORMATS = {
    "trig": "TriG",
    "nq": "N-Quads",
    "ttl": "Turtle",
    "nt": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
}

_PREFIXES = {
    **PREFIXES,
    "void": str(VOID),
    "dcat": str(DCAT),
    "foaf": str(FOAF),
    "formats": str(FORMATS_NS),
}

_ENTITIES = f"""
SELECT (COUNT(DISTINCT ?entity) AS ?n) WHERE {{
  GRAPH <{PROVENANCE_GRAPH}> {{ ?claim <{VET.about}> ?entity }}
}}
"""
_CLASS_FIGURES = f"""
SELECT ?class (COUNT(*) AS ?triples) (MIN(STR(?entity)) AS ?example) WHERE {{
  {{ SELECT DISTINCT ?class ?entity WHERE {{
      GRAPH <{PROVENANCE_GRAPH}> {{ ?claim <{VET.about}> ?entity }}
      GRAPH ?claim {{ ?entity a ?class }} }} }}
  {{ SELECT DISTINCT ?entity ?p ?o WHERE {{
      GRAPH <{PROVENANCE_GRAPH}> {{ ?fact a <{VET.Claim}> }}
      GRAPH ?fact {{ ?entity ?p ?o }} }} }}
}}
GROUP BY ?class
"""
_PROPERTY_FIGURES = """
SELECT ?property (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?property ?o } }
GROUP BY ?property
"""
_VOCABULARY_TERMS = """
SELECT DISTINCT ?term WHERE {
  { GRAPH ?g { ?s ?term ?o } } UNION { GRAPH ?g { ?s a ?term } FILTER(isIRI(?term)) }
}
"""
_SOURCES = f"""
SELECT ?source ?title ?url WHERE {{
  GRAPH <{SOURCES_GRAPH}> {{
    ?source a <{VET.SourceDocument}> .
    OPTIONAL {{ ?source <{DCTERMS["title"]}> ?title }}
    OPTIONAL {{ ?source <{VET.url}> ?url }}
  }}
}}
"""


def describe(
    kg: KnowledgeGraph,
    *,
    sparql_endpoint: str | None = None,
    stats: Stats | None = None,
) -> bytes:
    """``void.ttl`` for the graph, as Turtle bytes (deterministic: sorted, no blank nodes)."""
    from vetgraph.check.stats import compute
    from vetgraph.graph.release import version

    if sparql_endpoint is not None:
        from vetgraph.sparql.endpoint import check_http_url

        check_http_url(sparql_endpoint, what="the SPARQL endpoint")
    figures = stats if stats is not None else compute(kg)
    release = version()
    out = _Triples()
    dataset = ox.NamedNode(DATASET)
    _describe_dataset(out, dataset, release)
    _describe_size(out, dataset, kg, figures)
    _describe_sources(out, dataset, kg)
    _describe_distributions(out, dataset, release, sparql_endpoint)

    data = ox.serialize(
        sorted(set(out.triples), key=_key), format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES
    )
    assert data is not None
    header = (
        f"# vetgraph {release}: the dataset description (VoID and DCAT), written by "
        "`vetgraph build` from the graph.\n"
    ).encode()
    return header + data


def _describe_dataset(out: _Triples, dataset: ox.NamedNode, release: str) -> None:
    """What it is, who publishes it, under which licence, which version."""
    from vetgraph.graph.release import release_date

    issued = release_date(release)
    publisher = ox.NamedNode(DATASET + "#publisher")
    software = ox.NamedNode(DATASET + "#software")
    out.add(dataset, RDF.type, VOID.Dataset, DCAT.Dataset)
    out.add(dataset, DCTERMS["title"], _en(TITLE))
    out.add(dataset, DCTERMS.description, _en(DESCRIPTION))
    out.add(dataset, DCTERMS.license, ox.NamedNode(DATA_LICENSE))
    out.add(dataset, DCTERMS.rights, _en(RIGHTS))
    out.add(dataset, DCTERMS.publisher, publisher)
    out.add(dataset, DCTERMS.creator, publisher)
    out.add(dataset, DCTERMS.relation, software)
    out.add(dataset, OWL.versionInfo, ox.Literal(release))
    out.add(dataset, DCAT.version, ox.Literal(release))
    if issued:
        out.add(dataset, DCTERMS.issued, ox.Literal(issued, datatype=ox.NamedNode(XSD.date)))
    out.add(dataset, DCAT.landingPage, ox.NamedNode(LANDING_PAGE))
    out.add(dataset, DCAT.keyword, *(_en(k) for k in KEYWORDS))
    out.add(dataset, DCTERMS.conformsTo, ox.NamedNode(ONTOLOGY_IRI))
    out.add(dataset, VOID.uriSpace, ox.Literal(str(VG)))
    out.add(publisher, RDF.type, FOAF.Organization)
    out.add(publisher, FOAF.name, ox.Literal(PUBLISHER_NAME))
    out.add(software, RDF.type, SCHEMA.SoftwareSourceCode)
    out.add(software, DCTERMS["title"], ox.Literal("vetgraph"))
    out.add(software, DCTERMS.license, ox.NamedNode(CODE_LICENSE))
    out.add(software, SCHEMA.version, ox.Literal(release))


def _describe_size(
    out: _Triples, dataset: ox.NamedNode, kg: KnowledgeGraph, figures: Stats
) -> None:
    """How big it is: the figures of `vetgraph stats`, and each class's and property's share."""
    out.add(dataset, VOID.triples, _integer(figures.triples))
    entities = kg.select(_ENTITIES)[0]["n"]
    out.add(dataset, VOID.entities, _integer(int(entities.value) if entities else 0))
    class_rows = {r["class"].value: r for r in kg.select(_CLASS_FIGURES)}
    out.add(dataset, VOID.classes, _integer(len(figures.entities_per_class)))
    for class_curie, _label, count in figures.entities_per_class:
        class_iri = _iri_of(class_curie)
        partition = ox.NamedNode(f"{DATASET}#class-{_fragment(class_curie)}")
        out.add(dataset, VOID.classPartition, partition)
        out.add(partition, VOID["class"], ox.NamedNode(class_iri))
        out.add(partition, VOID.entities, _integer(count))
        row = class_rows.get(class_iri)
        if row is not None:
            out.add(partition, VOID.triples, _integer(int(row["triples"].value)))
    properties = kg.select(_PROPERTY_FIGURES)
    out.add(dataset, VOID.properties, _integer(len(properties)))
    for row in properties:
        prop = row["property"].value
        partition = ox.NamedNode(f"{DATASET}#property-{_fragment(_curie(prop))}")
        out.add(dataset, VOID.propertyPartition, partition)
        out.add(partition, VOID.property, ox.NamedNode(prop))
        out.add(partition, VOID.triples, _integer(int(row["triples"].value)))
    # One example of each of the largest classes (the first entity by IRI).
    examples: list[str] = []
    for class_curie, _label, _count in figures.entities_per_class:
        row = class_rows.get(_iri_of(class_curie))
        example = row["example"].value if row is not None and row["example"] else None
        if example is not None and example not in examples and len(examples) < EXAMPLES:
            examples.append(example)
    for iri in examples:
        out.add(dataset, VOID.exampleResource, ox.NamedNode(iri))
    for namespace in _vocabularies(kg):
        out.add(dataset, VOID.vocabulary, ox.NamedNode(namespace))


def _describe_sources(out: _Triples, dataset: ox.NamedNode, kg: KnowledgeGraph) -> None:
    """Where the facts come from."""
    for row in kg.select(_SOURCES):
        source = row["source"]
        out.add(dataset, DCTERMS.source, source)
        if row["title"] is not None:
            out.add(source, DCTERMS["title"], row["title"])
        if row["url"] is not None:
            # validation refuses a URL that is no IRI; a graph not validated may hold one
            with contextlib.suppress(ValueError):
                out.add(source, FOAF.page, ox.NamedNode(row["url"].value))


def _describe_distributions(
    out: _Triples, dataset: ox.NamedNode, release: str, sparql_endpoint: str | None
) -> None:
    """The files it is published as, and the endpoint it is served from."""
    from vetgraph.publish.export import FORMATS

    base = f"{RELEASES}{release}/"
    for fmt in FORMATS.values():
        for name in fmt.file_names:
            dist = ox.NamedNode(base + name)
            out.add(dataset, DCAT.distribution, dist)
            out.add(dist, RDF.type, DCAT.Distribution)
            out.add(dist, DCTERMS["title"], ox.Literal(name))
            out.add(dist, DCTERMS.description, _en(fmt.description))
            out.add(dist, DCAT.downloadURL, dist)
            out.add(dist, DCTERMS["format"], ox.Literal(fmt.media_type))
            out.add(dist, DCTERMS.license, ox.NamedNode(DATA_LICENSE))
            if fmt.iana:
                iana = "https://www.iana.org/assignments/media-types/" + fmt.media_type
                out.add(dist, DCAT.mediaType, ox.NamedNode(iana))
            if fmt.name in W3C_FORMATS:
                w3c = FORMATS_NS[W3C_FORMATS[fmt.name]]
                out.add(dist, DCTERMS.conformsTo, ox.NamedNode(w3c))
                out.add(dataset, VOID.feature, ox.NamedNode(w3c))
                out.add(dataset, VOID.dataDump, dist)
    out.add(dataset, FOAF.page, ox.NamedNode(base + "ontology.html"))
    out.add(dataset, FOAF.page, ox.NamedNode(base + "queries.html"))
    if sparql_endpoint:
        endpoint = ox.NamedNode(sparql_endpoint)
        out.add(dataset, VOID.sparqlEndpoint, endpoint)
        out.add(endpoint, RDF.type, DCAT.DataService)
        out.add(endpoint, DCAT.endpointURL, endpoint)
        out.add(endpoint, DCAT.servesDataset, dataset)
        protocol = ox.NamedNode("https://www.w3.org/TR/sparql11-protocol/")
        out.add(endpoint, DCTERMS.conformsTo, protocol)


class _Triples:
    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(self, subject: ox.NamedNode, predicate: str, *objects: object) -> None:
        for obj in objects:
            term = ox.NamedNode(obj) if isinstance(obj, str) else obj
            self.triples.append(ox.Triple(subject, ox.NamedNode(predicate), term))  # type: ignore[arg-type]


def _key(t: ox.Triple) -> tuple[bool, str, bool, str, str]:
    """The dataset first, then every other subject; within one, rdf:type first."""
    return (
        str(t.subject) != f"<{DATASET}>",
        str(t.subject),
        t.predicate.value != RDF.type,
        str(t.predicate),
        str(t.object),
    )


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD.integer))


def _curie(iri: str) -> str:
    from vetgraph.graph.namespaces import curie

    return curie(iri)


def _iri_of(shown: str) -> str:
    from vetgraph.graph.namespaces import expand

    return expand(shown) or shown.strip("<>")


def _fragment(curie_text: str) -> str:
    """A fragment identifier from a CURIE: ``vet:Programme`` → ``vet-Programme``."""
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in curie_text.strip("<>"))


def _vocabularies(kg: KnowledgeGraph) -> list[str]:
    """The namespaces of the properties and classes used, for the project's prefixes."""
    used = {row["term"].value for row in kg.select(_VOCABULARY_TERMS)}
    return sorted(ns for ns in PREFIXES.values() if any(term.startswith(ns) for term in used))
