"""The ontology page: ``ontology_html(kg)`` documents the ontology ``kg`` was loaded with (pyLODE):
every class, property and named individual with its label, definition, module, super-terms,
domain and range, on one self-contained page. An ontology in which a term lacks an English
label or definition is refused, with the term and its file: a page with holes is not published.
Deterministic: the same graph gives byte-identical pages.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from vetgraph.errors import InputError
from vetgraph.graph.namespaces import ONTOLOGY_IRI, OWL, RDF, RDFS, SKOS, VET, curie

if TYPE_CHECKING:
    import rdflib

    from vetgraph.graph.store import KnowledgeGraph

#: The kinds of terms the ontology declares, as pyLODE sections name them.
TERM_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)

_ONTOLOGY_QUADS = f"""
SELECT ?s ?p ?o ?module WHERE {{
  GRAPH ?module {{ ?module a <{OWL.Ontology}> . ?s ?p ?o }}
}}
"""


@dataclass(frozen=True)
class UndocumentedTerm:
    term: str
    missing: tuple[str, ...]  # "English rdfs:label", "English skos:definition"
    where: str  # the file that declares it

    def describe(self) -> str:
        return f"{self.where}: {curie(self.term)} has no {' and no '.join(self.missing)}"


def undocumented_terms(kg: KnowledgeGraph) -> list[UndocumentedTerm]:
    """vet: terms of the loaded ontology without an English label or definition."""
    labelled: dict[str, set[str]] = {}
    declared: dict[str, str] = {}
    for row in kg.select(_ONTOLOGY_QUADS):
        s, p, o, module = row["s"], row["p"], row["o"], row["module"].value
        if not isinstance(s, ox.NamedNode) or not s.value.startswith(VET):
            continue
        is_declaration = p.value == RDF.type and o.value in TERM_TYPES
        if is_declaration or p.value == RDFS.isDefinedBy:
            declared.setdefault(s.value, module)
        if p.value in (RDFS.label, SKOS.definition) and _is_english(o):
            labelled.setdefault(s.value, set()).add(p.value)
    found = []
    for term, module in sorted(declared.items()):
        has = labelled.get(term, set())
        missing = tuple(
            what
            for what, prop in (
                ("English rdfs:label", RDFS.label),
                ("English skos:definition", SKOS.definition),
            )
            if prop not in has
        )
        if missing:
            origin = kg.origins.get(module)
            found.append(UndocumentedTerm(term, missing, str(origin or module)))
    return found


def ontology_html(kg: KnowledgeGraph) -> bytes:
    """The ontology documentation page (pyLODE), or an error naming undocumented terms."""
    problems = undocumented_terms(kg)
    if problems:
        shown = "\n  ".join(p.describe() for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise InputError(
            f"the ontology documentation cannot be written: {len(problems)} term(s) lack a "
            f"label or definition:\n  {shown}{more}",
            hint="give every term an English rdfs:label and skos:definition "
            "(see ontology/README.md)",
        )
    graph = _documentation_graph(kg)
    with _quiet_logging():
        page_class = _page_class()
        page = page_class(ontology=graph, sort_subjects=True).make_html(include_css=True)
    from vetgraph.publish.ontology_readable import readable

    return readable(_stable_schema_org(page)).encode("utf-8")


def _documentation_graph(kg: KnowledgeGraph) -> rdflib.Graph:
    """The ontology as one graph, with the umbrella as its only owl:Ontology.

    pyLODE documents one ontology per page and would merge the titles of every
    owl:Ontology (and skos:ConceptScheme) it finds into the page heading; the modules
    stay as labelled resources that each term's "is defined by" links to.
    """
    import rdflib

    from vetgraph.graph.namespaces import bind_prefixes
    from vetgraph.graph.store import to_rdflib

    # Only the project's prefixes: pyLODE scans every bound namespace for every term.
    graph = bind_prefixes(rdflib.Graph(bind_namespaces="none"))
    umbrella = ox.NamedNode(ONTOLOGY_IRI)
    hidden_types = {OWL.Ontology, SKOS.ConceptScheme}
    for row in kg.select(_ONTOLOGY_QUADS):
        s, p, o = row["s"], row["p"], row["o"]
        if p.value == RDF.type and o.value in hidden_types and s != umbrella:
            continue
        graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return graph


@contextmanager
def _quiet_logging() -> Iterator[None]:
    """pyLODE configures the root logger at import (DEBUG) and logs its caching: keep the
    user's logging as it was, and say nothing below an error while it runs."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(previous)
        root.handlers[:] = handlers
        root.setLevel(level)


def _page_class() -> type:
    """pyLODE's OntPub, with a section for named individuals (OntPub has none)."""
    from dominate.tags import a, h4, li, ul
    from pylode import OntPub
    from pylode.rdf_elements import CLASS_PROPS
    from pylode.utils import section_html
    from rdflib.namespace import OWL as RDFLIB_OWL

    class VetgraphOntPub(OntPub):
        def _make_main_sections(self) -> None:
            super()._make_main_sections()
            if (None, rdflib_type(), RDFLIB_OWL.NamedIndividual) in self.ont:
                with self.content:
                    section = section_html(
                        "Named Individuals",
                        self.ont,
                        self.back_onts,
                        self.ns,
                        RDFLIB_OWL.NamedIndividual,
                        [*CLASS_PROPS, rdflib_type()],
                        self.toc,
                        "named_individuals",
                        self.fids,
                        self.props_labeled,
                    )
                    section.render()

        def _make_toc(self) -> None:
            super()._make_toc()
            entries = self.toc.get("named_individuals") or []
            if not entries:
                return
            toc = _find(self.doc.body, "toc")
            first = next(c for c in toc.children if type(c).__name__ == "ul")
            item = li(h4(a("Named Individuals", href="#named_individuals")))
            item.add(ul([li(a(title, href=href)) for href, title in entries], _class="second"))
            first.children.insert(len(first.children) - 2, item)  # before Namespaces, Legend

    return VetgraphOntPub


def _find(node: Any, element_id: str) -> Any:
    """The element with this id under a dominate node (depth first)."""
    for child in getattr(node, "children", []):
        if getattr(child, "attributes", {}).get("id") == element_id:
            return child
        found = _find(child, element_id)
        if found is not None:
            return found
    return None


def rdflib_type() -> Any:
    from rdflib.namespace import RDF as RDFLIB_RDF

    return RDFLIB_RDF.type


_SCHEMA_ORG = re.compile(
    r'(<script id="schema.org" type="application/ld\+json">)(.*?)(</script>)', re.S
)


def _stable_schema_org(page: str) -> str:
    """pyLODE embeds schema.org JSON-LD in whatever order rdflib yields it: sort it."""

    def sort(match: re.Match[str]) -> str:
        nodes = json.loads(match[2])
        if isinstance(nodes, list):
            nodes.sort(key=lambda n: json.dumps(n, sort_keys=True))
        text = json.dumps(nodes, indent=2, sort_keys=True, ensure_ascii=False)
        return f"{match[1]}\n{text}\n{match[3]}"

    return _SCHEMA_ORG.sub(sort, page)


def _is_english(term: Any) -> bool:
    return isinstance(term, ox.Literal) and (term.language or "").lower().startswith("en")
