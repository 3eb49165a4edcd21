"""A registry of output formats: graph → bytes, deterministic.

The same graph always gives byte-identical output: blank nodes are canonically renamed
and statements are sorted (``rdf:type`` first within a subject), so diffs between versions
show only what changed.

Two families:

* **RDF** (``trig nq ttl nt jsonld rdfxml``): the triples themselves. TriG, N-Quads and
  JSON-LD keep the named graphs (claims, provenance, sources, ontology modules); Turtle,
  N-Triples and RDF/XML merge them into one graph. Each parses back to an isomorphic graph.
* **Network** (``graphml gexf csv``): the networkx projection of :mod:`vetgraph.explore.network`
  (entities as nodes, object properties as edges, sources on both), for Gephi, yEd, a
  spreadsheet or pandas. List attributes are flattened (see :mod:`vetgraph.explore.projection`).
  ``csv`` is two files, ``nodes.csv`` and ``edges.csv``: use :func:`outputs` for it.

>>> sorted(FORMATS)
['csv', 'gexf', 'graphml', 'jsonld', 'nq', 'nt', 'rdfxml', 'trig', 'ttl']
>>> get_format("turtle").name
'ttl'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from vetgraph.errors import InputError, OutputError
from vetgraph.graph.namespaces import PREFIXES, RDF
from vetgraph.graph.store import KnowledgeGraph

_RDF_TYPE = ox.NamedNode(RDF.type)


@dataclass(frozen=True)
class Format:
    """One output format. A multi-file format (``csv``) has ``files`` and ``write_files``
    instead of ``write``."""

    name: str
    extension: str
    media_type: str
    keeps_graphs: bool
    write: Callable[[KnowledgeGraph], bytes] | None
    description: str
    family: str = "rdf"  # "rdf" (the triples) or "network" (the networkx projection)
    iana: bool = True  # is the media type registered with IANA?
    files: tuple[str, ...] = ()
    write_files: Callable[[KnowledgeGraph], dict[str, bytes]] | None = None

    @property
    def file_names(self) -> tuple[str, ...]:
        """The names ``vetgraph build`` gives this format's output files."""
        return self.files or (f"vetgraph{self.extension}",)


def canonical_quads(kg: KnowledgeGraph) -> list[ox.Quad]:
    """Every quad, blank nodes canonically named, in a stable order."""
    dataset = ox.Dataset(kg.store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return sorted(dataset, key=_quad_key)


def canonical_triples(kg: KnowledgeGraph) -> list[ox.Triple]:
    """The union of all graphs as distinct triples, in a stable order."""
    seen = {ox.Triple(q.subject, q.predicate, q.object) for q in canonical_quads(kg)}
    return sorted(seen, key=_triple_key)


def _quad_key(q: ox.Quad) -> tuple[str, str, bool, str, str]:
    return (
        str(q.graph_name),
        str(q.subject),
        q.predicate != _RDF_TYPE,
        str(q.predicate),
        str(q.object),
    )


def _triple_key(t: ox.Triple) -> tuple[str, bool, str, str]:
    return (str(t.subject), t.predicate != _RDF_TYPE, str(t.predicate), str(t.object))


def _oxigraph_writer(fmt: ox.RdfFormat, dataset: bool) -> Callable[[KnowledgeGraph], bytes]:
    def write(kg: KnowledgeGraph) -> bytes:
        items: Iterable[ox.Quad] | Iterable[ox.Triple] = (
            canonical_quads(kg) if dataset else canonical_triples(kg)
        )
        data = ox.serialize(items, format=fmt, prefixes=PREFIXES)
        assert data is not None  # no output stream given: bytes come back
        return data

    return write


# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _rdfxml(kg: KnowledgeGraph) -> bytes:
    triples = canonical_triples(kg)
    for t in triples:
        if isinstance(t.object, ox.Literal) and _NOT_XML.search(t.object.value):
            raise OutputError(
                f"cannot write RDF/XML: the value of {t.predicate} on {t.subject} holds a "
                "control character that XML 1.0 cannot represent",
                hint="export as Turtle, N-Triples or JSON-LD instead",
            )
    data = ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES)
    assert data is not None
    # Oxigraph writes a carriage return in a literal as is, and every XML parser reads a
    # bare CR as a line feed: escape it so that the literal survives the round trip.
    return data.replace(b"\r", b"&#xD;")


def _jsonld(kg: KnowledgeGraph) -> bytes:
    from vetgraph.publish.jsonld import serialize as write_jsonld

    return write_jsonld(canonical_quads(kg))


def _network(kind: str) -> Callable[[KnowledgeGraph], bytes]:
    def write(kg: KnowledgeGraph) -> bytes:
        from vetgraph.explore import projection

        graph = projection.flat_graph(kg)
        return projection.to_graphml(graph) if kind == "graphml" else projection.to_gexf(graph)

    return write


def _csv_files(kg: KnowledgeGraph) -> dict[str, bytes]:
    from vetgraph.explore import projection

    return projection.to_csv(projection.flat_graph(kg))


FORMATS: dict[str, Format] = {
    "trig": Format(
        "trig",
        ".trig",
        "application/trig",
        True,
        _oxigraph_writer(ox.RdfFormat.TRIG, dataset=True),
        "TriG: every named graph (claims, provenance, sources, ontology modules) kept",
    ),
    "nq": Format(
        "nq",
        ".nq",
        "application/n-quads",
        True,
        _oxigraph_writer(ox.RdfFormat.N_QUADS, dataset=True),
        "N-Quads: one quad per line, named graphs kept",
    ),
    "ttl": Format(
        "ttl",
        ".ttl",
        "text/turtle",
        False,
        _oxigraph_writer(ox.RdfFormat.TURTLE, dataset=False),
        "Turtle: ontology and data merged into one graph",
    ),
    "nt": Format(
        "nt",
        ".nt",
        "application/n-triples",
        False,
        _oxigraph_writer(ox.RdfFormat.N_TRIPLES, dataset=False),
        "N-Triples: one triple per line, all graphs merged",
    ),
    "jsonld": Format(
        "jsonld",
        ".jsonld",
        "application/ld+json",
        True,
        _jsonld,
        "JSON-LD: compacted against vetgraph's @context (inline), named graphs kept",
    ),
    "rdfxml": Format(
        "rdfxml",
        ".rdf",
        "application/rdf+xml",
        False,
        _rdfxml,
        "RDF/XML: ontology and data merged into one graph",
    ),
    "graphml": Format(
        "graphml",
        ".graphml",
        "application/graphml+xml",
        False,
        _network("graphml"),
        "GraphML: entities and their links with labels, classes and sources (Gephi, yEd)",
        family="network",
        iana=False,
    ),
    "gexf": Format(
        "gexf",
        ".gexf",
        "application/gexf+xml",
        False,
        _network("gexf"),
        "GEXF 1.2: entities and their links with labels, classes and sources (Gephi)",
        family="network",
        iana=False,
    ),
    "csv": Format(
        "csv",
        ".csv",
        "text/csv",
        False,
        None,
        "CSV: nodes.csv (entities) and edges.csv (links), with labels, classes and sources",
        family="network",
        files=("nodes.csv", "edges.csv"),
        write_files=_csv_files,
    ),
}

#: Other names people use for the formats.
ALIASES = {
    "turtle": "ttl",
    "ntriples": "nt",
    "n-triples": "nt",
    "nquads": "nq",
    "n-quads": "nq",
    "json-ld": "jsonld",
    "rdf": "rdfxml",
    "xml": "rdfxml",
    "rdf/xml": "rdfxml",
}


def get_format(name: str) -> Format:
    """A format by name (or alias); an unknown name gets an error listing the valid ones."""
    key = name.strip().lower()
    try:
        return FORMATS[ALIASES.get(key, key)]
    except KeyError:
        raise InputError(
            f"unknown export format {name!r}", hint=f"choose one of {', '.join(sorted(FORMATS))}"
        ) from None


def serialize(kg: KnowledgeGraph, name: str) -> bytes:
    """The graph in a single-file format, as bytes."""
    fmt = get_format(name)
    if fmt.write is None:
        raise InputError(
            f"the {fmt.name} export is {len(fmt.files)} files ({', '.join(fmt.files)})",
            hint="write them into a folder (vetgraph export --format csv -o FOLDER), "
            "or call vetgraph.publish.export.outputs()",
        )
    return fmt.write(kg)


def outputs(kg: KnowledgeGraph, name: str) -> dict[str, bytes]:
    """Every file of a format, by the name ``vetgraph build`` gives it."""
    fmt = get_format(name)
    if fmt.write_files is not None:
        return fmt.write_files(kg)
    return {fmt.file_names[0]: serialize(kg, fmt.name)}
