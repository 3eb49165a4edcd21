"""Where a resource's page lives in the published site: one address scheme for every page.

The site mirrors the IRIs. An entity ``https://w3id.org/vetgraph/id/NAME`` has its page at
``id/NAME.html`` with its RDF beside it (``id/NAME.ttl``, ``.nt``, ``.jsonld``); a source
document ``https://w3id.org/vetgraph/source/NAME`` at ``source/NAME.html``. IRIs outside
those two namespaces (a researcher's own, the ontology's terms) have no page here.

Views open on an entity from their URL fragment: ``graph.html#select=IRI`` (the IRI
percent-encoded), and the query editor runs ``query.html#query=SPARQL``.

>>> page_path("https://w3id.org/vetgraph/id/bruges-communique")
'id/bruges-communique.html'
>>> page_path("https://w3id.org/vetgraph/source/ec-ssa-pilot-projects", ".ttl")
'source/ec-ssa-pilot-projects.ttl'
>>> page_path("https://example.org/thing") is None
True
>>> view_link("graph.html", "https://w3id.org/vetgraph/id/bruges-communique")
'graph.html#select=https%3A%2F%2Fw3id.org%2Fvetgraph%2Fid%2Fbruges-communique'
"""

from __future__ import annotations

import re
from urllib.parse import quote

from vetgraph.graph.namespaces import SRC, VG

#: The folders of the site that hold one page per resource, by IRI namespace.
FOLDERS = {str(VG): "id", str(SRC): "source"}
#: What a page's local name may hold (anything else has no safe file name, and no page).
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
#: The files beside each page: suffix → media type.
RDF_FILES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
}


def page_path(iri: str, suffix: str = ".html") -> str | None:
    """The site-relative path of ``iri``'s page (or, with ``suffix``, of a file beside it),
    or None when the IRI has no page in the site."""
    for namespace, folder in FOLDERS.items():
        if iri.startswith(namespace):
            name = iri[len(namespace) :]
            if _NAME.match(name) and not name.endswith((*RDF_FILES, ".html")):
                return f"{folder}/{name}{suffix}"
    return None


def view_link(view: str, iri: str) -> str:
    """A link that opens ``view`` (``graph.html``, ``timeline.html``) on ``iri``."""
    return f"{view}#select={quote(iri, safe='')}"


def query_link(sparql: str, editor: str = "query.html") -> str:
    """A permalink to the query editor that opens ``sparql`` and runs it."""
    return f"{editor}#query={quote(sparql, safe='')}"
