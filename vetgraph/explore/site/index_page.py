"""The site's front page, ``index.html``: search (case and accents ignored; names, other names
and descriptions; every match listed with its class; keyboard-usable), browse by class with
counts grouped by palette group, the source documents, and links to every view and download.

The search data sits in the page itself (a JSON block), so the page works from any static
host and from ``file://``; its one small script is allowed by hash and requests nothing.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from vetgraph.explore.addresses import page_path
from vetgraph.explore.palette import GROUPS, group_of
from vetgraph.explore.site.entity_page import main_class
from vetgraph.explore.site.markup import esc, json_script, link_to, page
from vetgraph.explore.site.model import SiteModel

#: At most this many entities are listed under a class when browsing (search finds them all).
BROWSE_LIMIT = 500
VIEWS = (
    ("graph.html", "Network", "every entity and its sourced links, to filter and explore"),
    ("timeline.html", "Timeline", "the dated entities on a time axis, a lane per class"),
    ("query.html", "Query editor", "SPARQL on the graph, with the library queries as examples"),
    ("queries.html", "Query catalogue", "every library query with its answer on this graph"),
    ("ontology.html", "Ontology", "every class and property with its definition"),
)
DOWNLOADS = (
    ("vetgraph.trig", "TriG: the dataset with its named graphs (one per claim)"),
    ("vetgraph.nq", "N-Quads: the same, one quad a line"),
    ("vetgraph.jsonld", "JSON-LD, with its named graphs"),
    ("vetgraph.ttl", "Turtle: everything merged into one graph"),
    ("vetgraph.nt", "N-Triples: the same, one triple a line"),
    ("vetgraph.rdf", "RDF/XML: the same"),
    ("vetgraph.graphml", "GraphML: the network, for Gephi, yEd or networkx"),
    ("vetgraph.gexf", "GEXF: the network, for Gephi"),
    ("nodes.csv", "nodes.csv: the entities as a table"),
    ("edges.csv", "edges.csv: the links as a table"),
    ("void.ttl", "void.ttl: the dataset description (VoID, DCAT)"),
    ("context.jsonld", "context.jsonld: the JSON-LD context"),
)


@lru_cache(maxsize=1)
def search_script() -> str:
    return (Path(__file__).parent.parent / "templates" / "site" / "index.js").read_text("utf-8")


def search_entries(model: SiteModel) -> list[dict[str, Any]]:
    """One entry per entity: l(abel), a(lternative labels), d(escription), c(lass words),
    g(roup key), p(ath of its page)."""
    entries: list[dict[str, Any]] = []
    for iri in sorted(model.entities):
        entity = model.entities[iri]
        cls = main_class(entity)
        entries.append(
            {
                "l": entity.name,
                "a": entity.alt_labels,
                "d": entity.description or "",
                "c": model.class_label(cls),
                "g": group_of(cls).key,
                "p": page_path(iri),
            }
        )
    return entries


def index_page(model: SiteModel) -> bytes:
    script = search_script()
    body = (
        f"<h1>vetgraph</h1><p>European policy on vocational education and training as a "
        f"knowledge graph: {len(model.entities):,} entities and {len(model.sources):,} source "
        "documents. Every statement names the documents it comes from.</p>"
        f"{_search()}{_browse(model)}{_sources(model)}{_links()}"
        '<script type="application/json" id="vg-search-data">'
        f"{json_script({'entities': search_entries(model)})}</script>"
    )
    return page(title="Search and browse", root="", body=body, scripts=(script,))


def _search() -> str:
    return (
        '<section aria-labelledby="search-h" class="search"><h2 id="search-h">Search</h2>'
        '<div id="vg-search" hidden><label for="vg-q">Find an entity by its name, another '
        "name, or words of its description</label>"
        '<input id="vg-q" type="text" role="combobox" aria-autocomplete="list" '
        'aria-expanded="false" aria-controls="vg-results" autocomplete="off" '
        'spellcheck="false" placeholder="e.g. bruges communique">'
        '<p id="vg-status" role="status" aria-live="polite"></p>'
        '<ul id="vg-results" role="listbox" aria-label="Matching entities" hidden></ul></div>'
        '<p id="vg-nojs">Search needs JavaScript; every entity is also listed below by '
        "class.</p></section>"
    )


def _browse(model: SiteModel) -> str:
    """Entities by asserted class (an entity of two classes is under both), classes by
    palette group, each with its count."""
    by_class: dict[str, list[str]] = defaultdict(list)
    for iri, entity in model.entities.items():
        for cls in dict.fromkeys(entity.classes or ["(no class)"]):
            by_class[cls].append(iri)
    sections = []
    for group in GROUPS:
        classes = sorted(
            (c for c in by_class if group_of(c).key == group.key),
            key=lambda c: model.class_label(c).casefold(),
        )
        if not classes:
            continue
        total = len({iri for c in classes for iri in by_class[c]})
        items = "".join(_class_item(model, cls, by_class[cls]) for cls in classes)
        sections.append(
            f'<section aria-labelledby="g-{group.key}"><h3 id="g-{group.key}">'
            f'<span class="dot g-{group.key}" aria-hidden="true"></span>{esc(group.label)} '
            f'<span class="count">{total:,}</span></h3><ul>{items}</ul></section>'
        )
    return (
        '<section aria-labelledby="browse-h" class="browse"><h2 id="browse-h">Browse by class'
        "</h2>" + "".join(sections) + "</section>"
    )


def _class_item(model: SiteModel, cls: str, members: list[str]) -> str:
    ordered = sorted(members, key=lambda iri: model.name(iri).casefold())
    links = "".join(
        f"<li>{link_to(iri, model.name(iri), '')}</li>" for iri in ordered[:BROWSE_LIMIT]
    )
    more = (
        f"<p>and {len(ordered) - BROWSE_LIMIT:,} more: use the search.</p>"
        if len(ordered) > BROWSE_LIMIT
        else ""
    )
    return (
        f'<li data-class="{esc(cls)}"><details><summary>{esc(model.class_label(cls))} '
        f'<span class="count">{len(members):,}</span></summary>'
        f'<ul class="entities">{links}</ul>{more}</details></li>'
    )


def _sources(model: SiteModel) -> str:
    ordered = sorted(model.sources, key=lambda iri: model.name(iri).casefold())
    links = "".join(
        f"<li>{link_to(iri, model.name(iri), '')}</li>" for iri in ordered if page_path(iri)
    )
    return (
        '<section aria-labelledby="sources-h" class="browse"><h2 id="sources-h">Source '
        f'documents <span class="count">{len(ordered):,}</span></h2><details><summary>'
        f'Every document the facts cite</summary><ul class="entities">{links}</ul></details>'
        "</section>"
    )


def _links() -> str:
    views = "".join(f'<li><a href="{path}">{words}</a>: {what}</li>' for path, words, what in VIEWS)
    downloads = "".join(
        f'<li><a href="{name}" download>{esc(name)}</a> · {esc(what.partition(": ")[2] or what)}'
        "</li>"
        for name, what in DOWNLOADS
    )
    return (
        '<section aria-labelledby="views-h"><h2 id="views-h">Views</h2>'
        f'<ul class="links">{views}</ul></section>'
        '<section aria-labelledby="downloads-h"><h2 id="downloads-h">Downloads</h2>'
        f'<ul class="links">{downloads}</ul><p>Each entity and source page has its own '
        "data beside it (Turtle, N-Triples, JSON-LD), with the sources of every statement."
        "</p></section>"
    )
