"""JSON-LD: the dataset compacted against vetgraph's published ``@context``.

The context (``ontology/context.jsonld``, written by ``vetgraph build`` as
``context.jsonld``) declares every project prefix and a short term for every ``vet:``
class and property, so the JSON reads naturally::

    {"@id": "vg:ssa-pilot-call-2012", "@type": "CallForProposals",
     "label": "Sector Skills Alliances pilot call 2012", "applicationsReceived": 101, ...}

Object properties are declared ``"@type": "@id"`` (their values are plain CURIEs), the
label and description properties ``"@language": "en"`` (plain strings are English), and
date and web-address properties carry their datatype. A value that does not fit its
term's declaration (a German label, a year where a date is declared) is written in full
(``{"@value": "...", "@language": "de"}``), so the output is exact whatever the data.

Named graphs are kept: the top-level ``@graph`` holds one ``{"@id": <graph>, "@graph":
[...]}`` object per claim, ontology module and reserved graph. The context is written
inline, so the file parses offline with any JSON-LD 1.1 processor; the same context is
published beside it for people who write their own JSON-LD.

Output is deterministic: canonical blank-node labels, nodes sorted by ``@id``, properties
by name, values by their N-Triples form.

>>> ctx = load_context()
>>> ctx["vet"], ctx["partOf"]
('https://w3id.org/vetgraph/ontology#', {'@id': 'vet:partOf', '@type': '@id'})
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from vetgraph.graph.namespaces import (
    DCTERMS,
    OWL,
    PREFIXES,
    RDF,
    RDFS,
    SKOS,
    VET,
    XSD,
    curie,
    expand,
)

if TYPE_CHECKING:
    from vetgraph.graph.store import KnowledgeGraph

#: Short terms for the common label and description properties; their plain strings are English.
LANGUAGE_TERMS: dict[str, str] = {
    "label": RDFS.label,
    "comment": RDFS.comment,
    "prefLabel": SKOS.prefLabel,
    "altLabel": SKOS.altLabel,
    "definition": SKOS.definition,
    "title": DCTERMS["title"],
    "description": DCTERMS.description,
}
#: Ranges worth declaring on a term: their values then read as plain strings.
COERCED_DATATYPES = (XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth, XSD.anyURI)
DEFAULT_LANGUAGE = "en"

_TERMS_QUERY = f"""
SELECT DISTINCT ?term ?kind ?range WHERE {{
  GRAPH ?module {{
    ?module a <{OWL.Ontology}> .
    ?term a ?kind .
    OPTIONAL {{ ?term <{RDFS.range}> ?range }}
  }}
  FILTER (STRSTARTS(STR(?term), "{VET}"))
  FILTER (?kind IN (<{OWL.Class}>, <{OWL.ObjectProperty}>, <{OWL.DatatypeProperty}>,
                    <{OWL.AnnotationProperty}>))
}}
"""
_CANONICAL_INTEGER = re.compile(r"^(0|-?[1-9][0-9]*)$")


# -- the context ----------------------------------------------------------------------------


def build_context(kg: KnowledgeGraph) -> dict[str, Any]:
    """The ``@context`` for the ontology in ``kg``: prefixes, then one term per vet: term."""
    kinds: dict[str, set[str]] = defaultdict(set)
    ranges: dict[str, set[str]] = defaultdict(set)
    for row in kg.select(_TERMS_QUERY):
        iri = row["term"].value
        kinds[iri].add(row["kind"].value)
        if isinstance(row["range"], ox.NamedNode):
            ranges[iri].add(row["range"].value)
    terms: dict[str, Any] = {}
    for iri in sorted(kinds):
        name = iri[len(VET) :]
        if not name or name in PREFIXES:
            raise ValueError(f"{iri}: its local name cannot be a JSON-LD term next to the prefixes")
        short = f"vet:{name}"
        if OWL.Class in kinds[iri]:
            terms[name] = short
        elif OWL.ObjectProperty in kinds[iri]:
            terms[name] = {"@id": short, "@type": "@id"}
        elif len(ranges[iri]) == 1 and (only := next(iter(ranges[iri]))) in COERCED_DATATYPES:
            terms[name] = {"@id": short, "@type": curie(only)}
        elif ranges[iri] == {RDF.langString}:
            terms[name] = {"@id": short, "@language": DEFAULT_LANGUAGE}
        else:
            terms[name] = short
    for name, iri in LANGUAGE_TERMS.items():
        if name not in terms:  # a vet: term of the same name wins
            terms[name] = {"@id": curie(iri), "@language": DEFAULT_LANGUAGE}
    return {**PREFIXES, **dict(sorted(terms.items()))}


def context_document(kg: KnowledgeGraph) -> bytes:
    """The published context file: ``{"@context": {...}}``, as UTF-8 bytes."""
    return _dump({"@context": build_context(kg)})


@cache
def load_context() -> dict[str, Any]:
    """The shipped context (``ontology/context.jsonld``)."""
    from vetgraph.graph import resources

    with resources.context_file().open(encoding="utf-8") as handle:
        context: dict[str, Any] = json.load(handle)["@context"]
    return context


# -- the writer -----------------------------------------------------------------------------


class _Compactor:
    """Turns RDF terms into compact JSON-LD against one context."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.definitions: dict[str, dict[str, str]] = {}  # property IRI → its term definition
        self.names: dict[str, str] = {}  # IRI → term name
        for name, value in context.items():
            if name.startswith("@") or name in PREFIXES:
                continue
            definition = {"@id": value} if isinstance(value, str) else dict(value)
            iri = expand(definition["@id"]) or definition["@id"]
            if "@type" in definition and definition["@type"] != "@id":
                definition["@type"] = expand(definition["@type"]) or definition["@type"]
            self.names[iri] = name
            self.definitions[iri] = definition

    @staticmethod
    def iri(term: ox.NamedNode | ox.BlankNode) -> str:
        """An IRI or blank node where IRIs are read as document-relative (@id values)."""
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        short = curie(term.value)
        return term.value if short.startswith("<") else short

    def vocab(self, term: ox.NamedNode | ox.BlankNode) -> str:
        """A class or property: its term name when the context has one."""
        if isinstance(term, ox.NamedNode) and term.value in self.names:
            return self.names[term.value]
        return self.iri(term)

    def key(self, predicate: ox.NamedNode) -> tuple[str, dict[str, str]]:
        if predicate.value in self.names:
            return self.names[predicate.value], self.definitions[predicate.value]
        return self.iri(predicate), {}

    def value(self, term: Any, definition: dict[str, str]) -> Any:
        coerced_type = definition.get("@type")
        coerced_language = definition.get("@language")
        if isinstance(term, ox.NamedNode | ox.BlankNode):
            shown = self.iri(term)
            return shown if coerced_type == "@id" else {"@id": shown}
        if not isinstance(term, ox.Literal):
            raise ValueError(f"JSON-LD cannot hold the term {term}")
        plain = coerced_type is None and coerced_language is None
        if term.language:
            if coerced_language is not None and coerced_language == term.language:
                return term.value
            return {"@value": term.value, "@language": term.language}
        datatype = term.datatype.value
        if datatype == XSD.string:
            return term.value if plain else {"@value": term.value}
        if coerced_type == datatype:
            return term.value
        if plain and datatype == XSD.integer and _CANONICAL_INTEGER.match(term.value):
            return int(term.value)  # a JSON number reads back as exactly this literal
        if plain and datatype == XSD.boolean and term.value in ("true", "false"):
            return term.value == "true"
        return {"@value": term.value, "@type": self.vocab(term.datatype)}


def serialize(quads: Iterable[ox.Quad], context: dict[str, Any] | None = None) -> bytes:
    """Quads (canonically named and sorted: see :func:`vetgraph.publish.export.canonical_quads`)
    as a compacted JSON-LD document with the context inline."""
    context = context if context is not None else load_context()
    compact = _Compactor(context)
    # graph → subject → predicate → objects
    graphs: dict[str, dict[str, dict[ox.NamedNode, list[Any]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for q in quads:
        if isinstance(q.subject, ox.Triple) or isinstance(q.object, ox.Triple):
            raise ValueError("JSON-LD export does not support RDF-star quoted triples")
        graph = "" if isinstance(q.graph_name, ox.DefaultGraph) else compact.iri(q.graph_name)
        graphs[graph][compact.iri(q.subject)][q.predicate].append(q.object)

    def nodes(subjects: dict[str, dict[ox.NamedNode, list[Any]]]) -> list[dict[str, Any]]:
        return [_node(compact, s, subjects[s]) for s in sorted(subjects)]

    top: dict[str, dict[str, Any]] = {n["@id"]: n for n in nodes(graphs.get("", {}))}
    for name in sorted(g for g in graphs if g):
        holder = top.setdefault(name, {"@id": name})
        holder["@graph"] = nodes(graphs[name])
    document = {"@context": context, "@graph": [top[k] for k in sorted(top)]}
    return _dump(document)


def _node(compact: _Compactor, subject: str, properties: dict[Any, list[Any]]) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": subject}
    entries: dict[str, Any] = {}
    for predicate, objects in properties.items():
        ordered = sorted(objects, key=_term_key)
        if predicate.value == RDF.type and all(
            isinstance(o, ox.NamedNode | ox.BlankNode) for o in ordered
        ):
            types = sorted(compact.vocab(o) for o in ordered)
            node["@type"] = types[0] if len(types) == 1 else types
            continue
        key, definition = compact.key(predicate)
        values = [compact.value(o, definition) for o in ordered]
        entries[key] = values[0] if len(values) == 1 else values
    node.update(sorted(entries.items()))
    return node


def _term_key(term: Any) -> tuple[int, str]:
    return (
        0 if isinstance(term, ox.NamedNode) else 1 if isinstance(term, ox.BlankNode) else 2,
        str(term),
    )


def _dump(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


if __name__ == "__main__":  # pragma: no cover - regenerates the shipped context
    import sys

    from vetgraph.graph.build import load

    sys.stdout.buffer.write(context_document(load()))
