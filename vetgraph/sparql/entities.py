"""Entities named by a parameter: found by full IRI, CURIE, label (``rdfs:label``) or title
(``dcterms:title``, how sources are named), exactly or else regardless of case and accents, on
the backend the query runs on. A parameter that declares a class takes only its instances.
An unknown name, or one of the wrong kind, gets close matches written as they can be typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode

from vetgraph.errors import QueryError
from vetgraph.graph.namespaces import DCTERMS, RDF, RDFS, SRC, VET, VG, curie, expand
from vetgraph.sparql.backend import Backend, LocalBackend
from vetgraph.sparql.binding import bind

HOW_TO_WRITE_IRI = "a full IRI, a CURIE such as vg:bruges-communique, or a label or title"
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(//|(?<=urn:)|(?<=mailto:)|(?<=tag:))\S*")


def named_node(iri: str, name: str, hint: str = HOW_TO_WRITE_IRI) -> NamedNode:
    """An IRI as a term; an invalid one is an error of parameter ``name``."""
    try:
        return NamedNode(iri)
    except ValueError as exc:
        raise QueryError(
            f"parameter {name}: {iri!r} is not a valid IRI ({exc})", hint=hint
        ) from None


_EXISTS = "ASK { { ?entity ?p ?o } UNION { ?s ?p ?entity } }"
_TITLE = DCTERMS["title"]  # not DCTERMS.title: that is str.title
_NAMING = f"VALUES ?by {{ <{RDFS.label}> <{_TITLE}> }} ?entity ?by ?name"
_BY_NAME = f"SELECT DISTINCT ?entity ?by WHERE {{ {_NAMING} FILTER (STR(?name) = ?text) }}"
_ALL_NAMES = f"SELECT DISTINCT ?entity ?by ?name WHERE {{ {_NAMING} }} LIMIT 100000"
_OF_CLASS = (
    f"SELECT DISTINCT ?entity ?by ?name WHERE {{ {_NAMING} . "
    f"?entity a/<{RDFS.subClassOf}>* ?class }} LIMIT 100000"
)
_IS_A = f"ASK {{ ?entity a/<{RDFS.subClassOf}>* ?class }}"
_TYPES = "SELECT DISTINCT ?type WHERE { ?entity a ?type }"
_RDF_TYPE = NamedNode(RDF.type)
_DASHES = str.maketrans("‐‑‒–—―’‘“”", "------''\"\"")


def resolve_entity(
    value: str, backend: Backend | None, *, name: str = "entity", cls: str | None = None
) -> NamedNode:
    """An entity named by full IRI (``<...>`` or bare), CURIE (project prefixes), label or
    title: exactly, or else regardless of case and accents. With ``cls`` (a class IRI) the
    entity must be an instance of it (or of a subclass). Unknown or wrong-kind names get
    close matches. Without a backend the IRI is not looked up (and names cannot be used).

    Where a name is both a label and a title, the label wins, unless ``cls`` decides.
    """
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        iri: str | None = text[1:-1]
    else:
        iri = expand(text) or (text if _ABSOLUTE_IRI.fullmatch(text) else None)
    if iri is not None:
        term = named_node(iri, name)
        if backend is None or _is_known(backend, term, cls, name):
            return term
        raise QueryError(
            f"parameter {name}: {curie(iri)} is not in {backend.describe()}"
            + _suggest(backend, [curie(iri)], cls, by_iri=True),
            hint=_how_to_name(name, cls, backend),
        )
    if backend is None:
        raise QueryError(f"parameter {name}: {text!r} is not an IRI", hint=HOW_TO_WRITE_IRI)
    found = _named(backend, text, cls, name)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = ", ".join(sorted(curie(t.value) for t in found))
        raise QueryError(
            f"parameter {name}: the name {text!r} names {len(found)} entities: {names}",
            hint="name one of them by its CURIE or IRI",
        )
    what = f"{name} ({curie(cls)})" if cls else "entity"
    raise QueryError(
        f"parameter {name}: no {what} in {backend.describe()} is labelled or titled {text!r}"
        + _suggest(backend, [text], cls, by_iri=False),
        hint=_how_to_name(name, cls, backend),
    )


def _is_known(backend: Backend, term: NamedNode, cls: str | None, name: str) -> bool:
    """Is the entity in the graph (and of the class)? One that is there but of another
    class is an error that says what it is."""
    if cls is None:
        return _exists(backend, term)
    if _is_a(backend, term, cls):
        return True
    if _exists(backend, term):
        raise _wrong_kind(backend, curie(term.value), [term], cls, name)
    return False


def _named(backend: Backend, text: str, cls: str | None, name: str) -> list[NamedNode]:
    """The entities a label or title names: exactly, or else folded (case, accents, dashes)."""
    wrong: list[NamedNode] = []
    for matches in (_by_name(backend, text), _by_folded_name(backend, text)):
        entities = _unique(entity for entity, _ in matches)
        if not entities:
            continue
        if cls is None:
            return _unique(e for e, by in matches if by == RDFS.label) or entities
        right = [e for e in entities if _is_a(backend, e, cls)]
        if right:
            return right
        wrong = wrong or entities
    if wrong:
        raise _wrong_kind(backend, repr(text), wrong, cls or "", name)
    return []


def _by_name(backend: Backend, text: str) -> list[tuple[NamedNode, str]]:
    rows = backend.execute(bind(_BY_NAME, {"text": [Literal(text)]}))
    return [(r["entity"], r["by"].value) for r in rows if isinstance(r["entity"], NamedNode)]


def _by_folded_name(backend: Backend, text: str) -> list[tuple[NamedNode, str]]:
    key = fold(text)
    return [(e, by) for e, by, label in _names(backend, _ALL_NAMES, None) if fold(label) == key]


def fold(text: str) -> str:
    """A name as compared regardless of case, accents, dashes, quotes and spacing.

    >>> fold("Bruges  Communiqué – 2010")
    'bruges communique - 2010'
    """
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.translate(_DASHES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def _names(backend: Backend, query: str, cls: str | None) -> list[tuple[NamedNode, str, str]]:
    """(entity, naming property, name) of every label and title (of instances of ``cls``)."""
    bindings = {"class": [NamedNode(cls)]} if cls else {}
    return [
        (r["entity"], r["by"].value, r["name"].value)
        for r in backend.execute(bind(query, bindings))
        if isinstance(r["entity"], NamedNode) and r["name"] is not None
    ]


def _unique(entities: Iterable[NamedNode]) -> list[NamedNode]:
    return list(dict.fromkeys(entities))


def _exists(backend: Backend, entity: NamedNode) -> bool:
    """Is the entity subject or object of a triple? On the embedded store, two index
    lookups (µs) instead of an ASK query (70 µs, as long as a small library query)."""
    if isinstance(backend, LocalBackend):
        store = backend.graph.store
        return any(True for _ in store.quads_for_pattern(entity, None, None)) or any(
            True for _ in store.quads_for_pattern(None, None, entity)
        )
    return bool(backend.execute(bind(_EXISTS, {"entity": [entity]})))


def _is_a(backend: Backend, entity: NamedNode, cls: str) -> bool:
    """Is the entity an instance of the class or of one of its subclasses? On the embedded
    store, index lookups up the class tree (µs), not an ASK query."""
    if not isinstance(backend, LocalBackend):
        return bool(backend.execute(bind(_IS_A, {"entity": [entity], "class": [NamedNode(cls)]})))
    store = backend.graph.store
    if any(True for _ in store.quads_for_pattern(entity, _RDF_TYPE, NamedNode(cls))):
        return True  # the common case, one index lookup
    subclass_of = NamedNode(RDFS.subClassOf)
    todo = [q.object for q in store.quads_for_pattern(entity, _RDF_TYPE, None)]
    seen = set()
    while todo:
        current = todo.pop()
        if not isinstance(current, NamedNode) or current in seen:
            continue
        if current.value == cls:
            return True
        seen.add(current)
        todo += [q.object for q in store.quads_for_pattern(current, subclass_of, None)]
    return False


def _wrong_kind(
    backend: Backend, shown: str, entities: list[NamedNode], cls: str, name: str
) -> QueryError:
    """'Bruges Communiqué' is an entity (vg:bruges-communique, a vet:Communique), not a
    source (vet:SourceDocument); with the instances of the class whose names come close."""
    what = " and ".join(_describe(backend, e, shown) for e in entities)
    keys = [shown.strip("'\"")] + [n for e, _, n in _names_of(backend, entities)]
    return QueryError(
        f"parameter {name}: {shown} is {what}, not {_article(name)} {name} ({curie(cls)})"
        + _suggest(backend, keys, cls, by_iri=False),
        hint=_how_to_name(name, cls, backend),
    )


def _describe(backend: Backend, entity: NamedNode, shown: str) -> str:
    """An entity's kind and classes: 'an entity (vg:x, a vet:Communique)'."""
    iri = entity.value
    kind = (
        "a source"
        if iri.startswith(SRC)
        else "an entity"
        if iri.startswith(VG)
        else "an ontology term"
        if iri.startswith(VET)
        else "a resource"
    )
    rows = backend.execute(bind(_TYPES, {"entity": [entity]}))
    types = sorted(curie(r["type"].value) for r in rows if isinstance(r["type"], NamedNode))
    types.sort(key=lambda t: not t.startswith("vet:"))
    bits = [] if curie(iri) == shown else [curie(iri)]
    bits += ["a " + " and a ".join(types[:3])] if types else []
    return f"{kind} ({', '.join(bits)})" if bits else kind


def _names_of(backend: Backend, entities: list[NamedNode]) -> list[tuple[NamedNode, str, str]]:
    query = f"SELECT DISTINCT ?entity ?by ?name WHERE {{ {_NAMING} }}"
    return [
        (r["entity"], r["by"].value, r["name"].value)
        for r in backend.execute(bind(query, {"entity": entities}))
    ]


def _suggest(backend: Backend, keys: list[str], cls: str | None, *, by_iri: bool) -> str:
    """'; did you mean: Name (curie); ...?' with the closest names (of the class)."""
    import difflib

    candidates: dict[str, str] = {}
    for entity, _, label in _names(backend, _OF_CLASS if cls else _ALL_NAMES, cls):
        candidates.setdefault(curie(entity.value), label)
    folded = [fold(k) for k in keys if k.strip()]
    scores = []
    for short, label in candidates.items():
        target = fold(short if by_iri else label)
        score = max(  # the same name first, then names that contain it, then look-alikes
            difflib.SequenceMatcher(None, k, target).ratio() + (len(k) > 3 and k in target)
            for k in folded
        )
        if score >= 0.6:
            scores.append((-score, short, label))
    if not scores:
        return ""
    close = [f"{label} ({short})" for _, short, label in sorted(scores)[:5]]
    return "; did you mean: " + "; ".join(close) + "?"


def _how_to_name(name: str, cls: str | None, backend: Backend | None = None) -> str:
    if cls is None:
        return "name an entity by full IRI, CURIE (vg:..., src:...), label or title"
    examples = ""
    if backend is not None:
        some = sorted({curie(e.value) for e, _, _ in _names(backend, _OF_CLASS, cls)})[:3]
        examples = f" (e.g. {', '.join(some)})" if some else ""
    return (
        f"{name} takes {_article(curie(cls))} {curie(cls)}{examples}: "
        "give its CURIE, IRI, label or title"
    )


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
