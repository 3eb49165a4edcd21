"""An entity's page, ``id/NAME.html``: its labels, class, description and dates, then every
fact about it in words, outgoing and incoming, each with its sources grouped by document;
its neighbourhood as a small network; links to the views opened on it, to the query editor
and to its RDF; its IRI, copyable.
"""

from __future__ import annotations

import pyoxigraph as ox

from vetgraph.explore.addresses import RDF_FILES, page_path, query_link, view_link
from vetgraph.explore.palette import group_of
from vetgraph.explore.site.markup import (
    COPY_SCRIPT,
    esc,
    link_to,
    literal,
    page,
    sources_list,
    term_words,
)
from vetgraph.explore.site.model import DATES, HEADING, Entity, Fact, SiteModel
from vetgraph.explore.site.neighbourhood import MAX_NEIGHBOURS, neighbourhood_svg
from vetgraph.graph.namespaces import RDF

ROOT = "../"
#: A page lists at most this many facts that point at its entity (a hub, such as a country
#: on a large graph, has thousands; each is also on the page of the entity it starts from).
MAX_INCOMING = 500
_RDF_NAMES = {".ttl": "Turtle", ".nt": "N-Triples", ".jsonld": "JSON-LD"}


def facts_query(iri: str) -> str:
    """The SPARQL the page's "query editor" link opens: every fact about the entity, both
    ways, with the claim that states it."""
    return (
        "SELECT ?subject ?property ?object ?claim WHERE {\n"
        f"  {{ GRAPH ?claim {{ <{iri}> ?property ?object }} BIND(<{iri}> AS ?subject) }}\n"
        f"  UNION {{ GRAPH ?claim {{ ?subject ?property <{iri}> }} BIND(<{iri}> AS ?object) }}\n"
        "}\nORDER BY ?property ?subject ?object"
    )


def main_class(entity: Entity) -> str:
    """The class that colours the entity: the first asserted one the palette knows."""
    known = [c for c in sorted(entity.classes) if group_of(c).key != "other"]
    return (known or sorted(entity.classes) or ["vet:Thing"])[0]


def entity_page(model: SiteModel, entity: Entity) -> bytes:
    outgoing = model.outgoing.get(entity.iri, [])
    incoming = model.incoming.get(entity.iri, [])
    body = (
        f"<article>{_heading(model, entity, outgoing)}"
        f"{_facts_section(model, entity, outgoing)}"
        f"{_incoming_section(model, entity, incoming)}"
        f"{_network_section(model, entity, outgoing, incoming)}</article>"
    )
    name = (entity.iri.rsplit("/", 1)[-1]) if page_path(entity.iri) else ""
    head = "".join(
        f'<link rel="alternate" type="{media}" href="{esc(name + suffix)}">'
        for suffix, media in RDF_FILES.items()
    )
    return page(title=entity.name, root=ROOT, body=body, head=head, scripts=(COPY_SCRIPT,))


def _heading(model: SiteModel, entity: Entity, outgoing: list[Fact]) -> str:
    classes = sorted(entity.classes) or ["(no class)"]
    group = group_of(main_class(entity))
    class_words = ", ".join(esc(model.class_label(c)) for c in classes)
    parts = [
        f'<p class="class"><span class="dot g-{group.key}" aria-hidden="true"></span>'
        f'{class_words} <span class="group">· {esc(group.label)}</span></p>',
        f"<h1>{esc(entity.name)}</h1>",
    ]
    if entity.alt_labels:
        parts.append(
            '<p class="alt"><span class="muted">Also known as:</span> '
            + " · ".join(esc(a) for a in entity.alt_labels)
            + "</p>"
        )
    if entity.description:
        parts.append(f'<p class="description">{esc(entity.description)}</p>')
    if entity.dates:
        parts.append(_dates(model, outgoing))
    parts.append(_identity(entity))
    heading_facts = [f for f in outgoing if f.predicate in HEADING]
    citations = [c for fact in heading_facts for c in model.fact_citations(fact)]
    parts.append(
        '<details class="heading-sources"><summary>Sources of the name, class and '
        f"description</summary>{sources_list(citations, ROOT)}</details>"
    )
    return f'<header class="entity">{"".join(parts)}</header>'


def _dates(model: SiteModel, outgoing: list[Fact]) -> str:
    items = [
        f"<div><dt>{esc(DATES[f.predicate])}</dt><dd>{literal(f.object)}</dd></div>"
        for f in outgoing
        if f.predicate in DATES and isinstance(f.object, ox.Literal)
    ]
    return f'<dl class="dates">{"".join(items)}</dl>'


def _identity(entity: Entity) -> str:
    """The IRI (copyable), the views opened on the entity, the RDF files beside the page."""
    name = entity.iri.rsplit("/", 1)[-1]
    views = [
        f'<a href="{esc(view_link(ROOT + "graph.html", entity.iri))}">in the network</a>',
        f'<a href="{esc(view_link(ROOT + "timeline.html", entity.iri))}">on the timeline</a>',
        f'<a href="{esc(query_link(facts_query(entity.iri), ROOT + "query.html"))}">'
        "in the query editor</a>",
    ]
    rdf = [
        f'<a href="{esc(name + suffix)}" type="{media}">{_RDF_NAMES[suffix]}</a>'
        for suffix, media in RDF_FILES.items()
    ]
    return (
        '<div class="identity"><p class="iri"><span class="muted">IRI</span> '
        f'<code id="iri">{esc(entity.iri)}</code> '
        '<button type="button" data-copy="iri" hidden>Copy</button></p>'
        f'<p class="open"><span class="muted">Open</span> {" · ".join(views)}</p>'
        f'<p class="open"><span class="muted">Data</span> {" · ".join(rdf)}</p></div>'
    )


def _object(model: SiteModel, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    if isinstance(term, ox.Literal):
        return f'<span class="value">{literal(term)}</span>'
    if isinstance(term, ox.BlankNode):
        return '<span class="value">(an unnamed node)</span>'
    return link_to(term.value, model.name(term.value), ROOT)


def _fact_item(model: SiteModel, fact: Fact, statement: str) -> str:
    claims = esc(" ".join(fact.claims))
    return (
        f'<li class="fact" data-claims="{claims}"><p class="statement">{statement}</p>'
        f"{_sources(model, fact)}</li>"
    )


def _sources(model: SiteModel, fact: Fact) -> str:
    """The fact's sources, rendered once per set of claims (many facts share a claim)."""
    shown = model.rendered.get(fact.claims)
    if shown is None:
        shown = model.rendered[fact.claims] = sources_list(model.fact_citations(fact), ROOT)
    return shown


def _facts_section(model: SiteModel, entity: Entity, outgoing: list[Fact]) -> str:
    """The facts about the entity, by property (each property once, its values under it)."""
    shown = [f for f in outgoing if f.predicate not in HEADING]
    shown.sort(key=lambda f: (term_words(f.predicate, model.term_labels), _sort_key(model, f)))
    groups: dict[str, list[Fact]] = {}
    for fact in shown:
        groups.setdefault(fact.predicate, []).append(fact)
    blocks = "".join(
        f'<li class="property-group"><h3 class="property">'
        f"{esc(term_words(predicate, model.term_labels))}</h3>"
        '<ul class="facts">'
        + "".join(
            _fact_item(
                model,
                fact,
                '<span class="visually-hidden">'
                f"{esc(term_words(predicate, model.term_labels))}: </span>"
                f"{_object(model, fact.object)}",
            )
            for fact in facts
        )
        + "</ul></li>"
        for predicate, facts in groups.items()
    )
    empty = "" if shown else "<p>No other facts are recorded about it.</p>"
    return (
        '<section aria-labelledby="facts"><h2 id="facts">Facts '
        f'<span class="count">{len(shown)}</span></h2>'
        f'<ul class="properties">{blocks}</ul>{empty}</section>'
    )


def _sort_key(model: SiteModel, fact: Fact) -> str:
    term = fact.object
    return model.name(term.value).casefold() if isinstance(term, ox.NamedNode) else term.value


def _incoming_section(model: SiteModel, entity: Entity, incoming: list[Fact]) -> str:
    every = sorted(
        (f for f in incoming if f.predicate != RDF.type),
        key=lambda f: (term_words(f.predicate, model.term_labels), model.name(f.subject)),
    )
    shown = every[:MAX_INCOMING]
    items = "".join(
        _fact_item(
            model,
            fact,
            f"{link_to(fact.subject, model.name(fact.subject), ROOT)} "
            f'<span aria-hidden="true">—</span> <span class="property">'
            f"{esc(term_words(fact.predicate, model.term_labels))}</span> "
            '<span aria-hidden="true">→</span> <span class="this">this</span>',
        )
        for fact in shown
    )
    if not shown:
        return ""
    more = ""
    if len(every) > len(shown):
        link = query_link(facts_query(entity.iri), ROOT + "query.html")
        more = (
            f"<p>The first {len(shown):,} of {len(every):,} are listed here; each is on the "
            f'page it starts from, and <a href="{esc(link)}">the query editor lists them all'
            "</a>.</p>"
        )
    return (
        '<section aria-labelledby="incoming"><h2 id="incoming">Linked from '
        f'<span class="count">{len(every):,}</span></h2><ul class="facts">{items}</ul>{more}'
        "</section>"
    )


def _network_section(
    model: SiteModel, entity: Entity, outgoing: list[Fact], incoming: list[Fact]
) -> str:
    direction: dict[str, str] = {}
    for fact in outgoing:
        if isinstance(fact.object, ox.NamedNode) and fact.object.value in model.entities:
            direction[fact.object.value] = "out"
    for fact in incoming:
        if fact.subject in model.entities and fact.subject != entity.iri:
            direction[fact.subject] = "both" if direction.get(fact.subject) == "out" else "in"
    direction.pop(entity.iri, None)
    if not direction:
        return ""
    order = sorted(direction, key=lambda iri: model.name(iri).casefold())
    neighbours = [
        (iri, model.name(iri), main_class(model.entities[iri]), direction[iri]) for iri in order
    ]
    svg = neighbourhood_svg(
        (entity.iri, entity.name, main_class(entity)),
        neighbours,
        link=lambda iri: (p := page_path(iri)) and ROOT + p,
    )
    more = len(neighbours) - MAX_NEIGHBOURS
    caption = (
        f"{esc(entity.name)} and the {len(neighbours)} entities it is linked with"
        + (f" ({MAX_NEIGHBOURS} drawn; all are listed above)" if more > 0 else "")
        + ". Arrows point the way a fact reads; colours are the classes' groups. "
        "The same links in words are under Facts and Linked from; on a narrow screen the "
        "drawing scrolls sideways."
    )
    return (
        '<section aria-labelledby="network"><h2 id="network">Neighbourhood</h2>'
        f'<figure class="network"><div class="scroll">{svg}</div>'
        f"<figcaption>{caption}</figcaption></figure></section>"
    )
