"""A registry of output formats: graph → bytes, deterministic.

The same graph always gives byte-identical output: blank nodes are canonically renamed
and statements are sorted (``rdf:type`` first within a subject), so diffs between versions
show only what changed.

>>> sorted(FORMATS)[:3]
['nq', 'nt', 'trig']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .errors import InputError
from .namespaces import PREFIXES, RDF
from .store import KnowledgeGraph

_RDF_TYPE = ox.NamedNode(RDF.type)


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    media_type: str
    keeps_graphs: bool
    write: Callable[[KnowledgeGraph], bytes]
    description: str


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
}


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise InputError(
            f"unknown export format {name!r}", hint=f"choose one of {', '.join(sorted(FORMATS))}"
        ) from None


def serialize(kg: KnowledgeGraph, name: str) -> bytes:
    """The graph in the named format, as bytes."""
    return get_format(name).write(kg)
