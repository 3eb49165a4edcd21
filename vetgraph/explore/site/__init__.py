"""The static site ``vetgraph build`` writes: a page for every entity (``id/NAME.html``) and
every source document (``source/NAME.html``), each with its RDF beside it (``.ttl``, ``.nt``,
``.jsonld``), the front page (``index.html``: search, browse by class, views, downloads) and
one shared stylesheet (``assets/site/site.css``). Plain HTML and CSS that work from any
static host and from ``file://``; only the index and the copy button have a small script.

>>> from vetgraph.graph.build import load
>>> files = site_files(load())
>>> "id/bruges-communique.html" in files and "id/bruges-communique.ttl" in files
True
>>> "index.html" in files and "assets/site/site.css" in files
True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vetgraph.graph.store import KnowledgeGraph

STYLESHEET = "assets/site/site.css"


def stylesheet() -> bytes:
    """The shared stylesheet, with one class per palette group (``.g-KEY``) for the dots."""
    from vetgraph.explore.palette import GROUPS

    base = (Path(__file__).parent.parent / "templates" / "site" / "site.css").read_text("utf-8")
    groups = "".join(f".g-{g.key} {{ background: {g.colour}; }}\n" for g in GROUPS)
    return (base + groups).encode("utf-8")


def site_files(kg: KnowledgeGraph) -> dict[str, bytes]:
    """Every file of the site: site-relative path → bytes."""
    from vetgraph.explore.addresses import page_path
    from vetgraph.explore.site.entity_page import entity_page
    from vetgraph.explore.site.entity_rdf import entity_quads, rdf_files, source_quads
    from vetgraph.explore.site.index_page import index_page
    from vetgraph.explore.site.model import read
    from vetgraph.explore.site.source_page import source_page

    model = read(kg)
    files: dict[str, bytes] = {"index.html": index_page(model), STYLESHEET: stylesheet()}
    for iri in sorted(model.entities):
        html_path = page_path(iri)
        if html_path is None:
            continue
        files[html_path] = entity_page(model, model.entities[iri])
        for suffix, data in rdf_files(entity_quads(model, iri)).items():
            files[html_path.removesuffix(".html") + suffix] = data
    for iri in sorted(model.sources):
        html_path = page_path(iri)
        if html_path is None:
            continue
        files[html_path] = source_page(model, iri)
        for suffix, data in rdf_files(source_quads(model, iri)).items():
            files[html_path.removesuffix(".html") + suffix] = data
    return files
