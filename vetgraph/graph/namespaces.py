"""Namespaces and prefixes, defined once for the whole project.

The HTTP namespace is stable: ``https://w3id.org/vetgraph/`` (see the README).

>>> str(VET.Programme)
'https://w3id.org/vetgraph/ontology#Programme'
>>> curie("https://w3id.org/vetgraph/id/bruges-communique")
'vg:bruges-communique'
>>> expand("vg:bruges-communique")
'https://w3id.org/vetgraph/id/bruges-communique'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rdflib is heavy; this module must stay cheap to import
    from rdflib import Graph


class Namespace(str):
    """An IRI prefix whose attributes and items are full IRIs (plain strings).

    >>> Namespace("http://example.org/ns#").Thing
    'http://example.org/ns#Thing'
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return self + name

    def __getitem__(self, name: str) -> str:  # type: ignore[override]
        return self + name

    def term(self, name: str) -> str:
        return self + name


RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")

BASE = "https://w3id.org/vetgraph/"

VET = Namespace(BASE + "ontology#")  # classes and properties
VG = Namespace(BASE + "id/")  # entities
CLAIM = Namespace(BASE + "claim/")  # named graphs holding sourced facts
SRC = Namespace(BASE + "source/")  # source documents
VGG = Namespace(BASE + "graph/")  # the reserved named graphs
VSH = Namespace(BASE + "shapes#")  # SHACL shapes
ONTOLOGY_IRI = BASE + "ontology"

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
NACE = Namespace("http://data.europa.eu/ux2/nace2/")
EQF = Namespace("http://data.europa.eu/snb/eqf/")

#: The graph that records, for each claim, its citations and the entities it is about.
PROVENANCE_GRAPH = VGG.provenance
#: The graph that describes the source documents themselves (the bibliography).
SOURCES_GRAPH = VGG.sources
RESERVED_GRAPHS = (PROVENANCE_GRAPH, SOURCES_GRAPH)

PREFIXES: dict[str, str] = {
    "vet": str(VET),
    "vg": str(VG),
    "claim": str(CLAIM),
    "src": str(SRC),
    "vgg": str(VGG),
    "vsh": str(VSH),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "sh": str(SH),
    "nace": str(NACE),
    "eqf": str(EQF),
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project prefixes on an rdflib graph (replacing clashing ones); returns it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def sparql_prologue() -> str:
    """The PREFIX lines for every project prefix, for queries written without them."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def curie(iri: str) -> str:
    """Shorten an IRI with the longest matching project prefix, or return it in ``<...>``."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            local = iri[len(namespace) :]
            if local and all(c.isalnum() or c in "-_." for c in local):
                best = prefix
    if best:
        return f"{best}:{iri[len(PREFIXES[best]) :]}"
    return f"<{iri}>"


def expand(name: str) -> str | None:
    """Expand ``prefix:local`` with a project prefix; None if it is not such a CURIE."""
    if ":" not in name or name.startswith("<"):
        return None
    prefix, _, local = name.partition(":")
    namespace = PREFIXES.get(prefix)
    if namespace is None or local.startswith("//"):
        return None
    return namespace + local
