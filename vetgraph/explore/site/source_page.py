"""A source document's page, ``source/NAME.html``: what the document is (title, publisher,
kind, address, the date the curators read it, the copy they consulted) and every statement
it supports, in words, by entity, each with the places in the document that support it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyoxigraph as ox

from vetgraph.explore.addresses import RDF_FILES
from vetgraph.explore.provenance import kind_label, place
from vetgraph.explore.site.markup import (
    COPY_SCRIPT,
    esc,
    link_to,
    literal,
    page,
    term_words,
    web_link,
)
from vetgraph.explore.site.model import Fact, SiteModel

ROOT = "../"
_LONG = ' class="long"'  # a long title is set smaller
_RDF_NAMES = {".ttl": "Turtle", ".nt": "N-Triples", ".jsonld": "JSON-LD"}


def source_page(model: SiteModel, iri: str) -> bytes:
    record = model.sources.get(iri, {"iri": iri})
    title = str(record.get("title") or iri)
    facts = model.citing.get(iri, [])
    body = (
        f'<article><header class="entity"><p class="class"><span class="dot g-provenance" '
        f'aria-hidden="true"></span>Source document</p>'
        f"<h1{_LONG if len(title) > 80 else ''}>{esc(title)}</h1>"
        f"{_description(record)}{_identity(iri)}</header>"
        f"{_statements(model, iri, facts)}</article>"
    )
    name = iri.rsplit("/", 1)[-1]
    head = "".join(
        f'<link rel="alternate" type="{media}" href="{esc(name + suffix)}">'
        for suffix, media in RDF_FILES.items()
    )
    return page(title=title, root=ROOT, body=body, head=head, scripts=(COPY_SCRIPT,))


def _description(record: dict[str, Any]) -> str:
    rows = [
        ("Publisher", esc(record["publisher"]) if record.get("publisher") else None),
        ("Kind", esc(kind_label(record.get("kind"))) if record.get("kind") else None),
        ("Address", web_link(record.get("url"), str(record.get("url"))) or None),
        ("Read on", _read_on(record.get("retrieved"))),
        ("Copy consulted", esc(record["copy"]) if record.get("copy") else None),
    ]
    items = "".join(
        f"<div><dt>{words}</dt><dd>{value}</dd></div>" for words, value in rows if value
    )
    return f'<dl class="about">{items}</dl>'


def _read_on(value: str | None) -> str | None:
    if value is None:
        return None
    from vetgraph.graph.namespaces import XSD

    return literal(ox.Literal(value, datatype=ox.NamedNode(XSD.date)))


def _identity(iri: str) -> str:
    name = iri.rsplit("/", 1)[-1]
    rdf = [
        f'<a href="{esc(name + suffix)}" type="{media}">{_RDF_NAMES[suffix]}</a>'
        for suffix, media in RDF_FILES.items()
    ]
    return (
        '<div class="identity"><p class="iri"><span class="muted">IRI</span> '
        f'<code id="iri">{esc(iri)}</code> '
        '<button type="button" data-copy="iri" hidden>Copy</button></p>'
        f'<p class="open"><span class="muted">Data</span> {" · ".join(rdf)}</p></div>'
    )


def _statements(model: SiteModel, iri: str, facts: list[Fact]) -> str:
    by_subject: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        by_subject[fact.subject].append(fact)
    order = sorted(by_subject, key=lambda s: model.name(s).casefold())
    blocks = []
    for subject in order:
        items = "".join(
            _statement(model, iri, fact)
            for fact in sorted(
                by_subject[subject],
                key=lambda f: (term_words(f.predicate, model.term_labels), str(f.object)),
            )
        )
        blocks.append(
            f"<section><h3>{link_to(subject, model.name(subject), ROOT)}</h3>"
            f'<ul class="facts">{items}</ul></section>'
        )
    count = len(facts)
    return (
        '<section aria-labelledby="supports"><h2 id="supports">Statements it supports '
        f'<span class="count">{count}</span></h2>'
        + ("".join(blocks) or "<p>No statement cites this document.</p>")
        + "</section>"
    )


def _statement(model: SiteModel, iri: str, fact: Fact) -> str:
    words = term_words(fact.predicate, model.term_labels)
    term = fact.object
    if isinstance(term, ox.Literal):
        shown = f'<span class="value">{literal(term)}</span>'
    elif isinstance(term, ox.NamedNode):
        shown = link_to(term.value, model.name(term.value), ROOT)
    else:
        shown = "(an unnamed node)"
    places = list(dict.fromkeys(place(c) for c in model.fact_citations(fact) if c["source"] == iri))
    return (
        f'<li class="fact" data-claims="{esc(" ".join(fact.claims))}"><p class="statement">'
        f'<span class="property">{esc(words)}</span> '
        f'<span aria-hidden="true">→</span> {shown}</p>'
        f'<p class="where">{esc("; ".join(places))}</p></li>'
    )
