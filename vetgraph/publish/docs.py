"""Generated documentation: the ontology page (pyLODE) and the query catalogue.

``ontology_html(kg)`` documents the ontology that ``kg`` was loaded with: every class,
property and named individual with its label, definition, module, super-terms, domain and
range, on one self-contained page (styles inline, no request leaves the page). It refuses,
with the term and its file, an ontology in which a term lacks an English label or
definition: a page with holes is not published.

``queries_html(kg)`` documents the query library from the query headers: each query's
title, question, description, parameters, text, and its answer on the graph, run with the
parameters' ``example:`` values (or their defaults).

Both are deterministic: the same graph gives byte-identical pages.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from vetgraph.errors import InputError
from vetgraph.graph.namespaces import ONTOLOGY_IRI, OWL, RDF, RDFS, SKOS, VET, XSD, curie, expand
from vetgraph.sparql.results import cell

if TYPE_CHECKING:
    import rdflib

    from vetgraph.check.validation import ValidationReport
    from vetgraph.graph.store import KnowledgeGraph
    from vetgraph.sparql.library import LibraryQuery, Parameter

#: The kinds of terms the ontology declares, as pyLODE sections name them.
TERM_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)
MAX_ROWS = 25  # rows of a query's answer shown in the catalogue

_ONTOLOGY_QUADS = f"""
SELECT ?s ?p ?o ?module WHERE {{
  GRAPH ?module {{ ?module a <{OWL.Ontology}> . ?s ?p ?o }}
}}
"""


# -- the ontology page ----------------------------------------------------------------------


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
    return _stable_schema_org(page).encode("utf-8")


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


# -- the query catalogue --------------------------------------------------------------------


@dataclass
class Answer:
    columns: list[str]
    rows: list[list[str]]
    total: int
    bindings: dict[str, str]
    error: str | None = None


def check_answer(query: LibraryQuery, report: ValidationReport) -> Answer:
    """A check's answer taken from a validation report of the same graph: the rows the
    check query returned are the report's findings from that check."""
    source = f"queries/checks/{query.path.name}"
    rows = [
        [f.entity or "", f.property or "", f.value or ""]
        for f in report.findings
        if f.source == source
    ]
    return Answer(["entity", "property", "value"], rows[:MAX_ROWS], len(rows), {})


def run_example(kg: KnowledgeGraph, query: LibraryQuery) -> Answer:
    """A library query's answer on ``kg``, with each parameter at its example (or default)."""
    values: dict[str, str] = {}
    terms: dict[str, Any] = {}
    for param in query.header.params:
        value = param.example if param.example is not None else param.default
        if value is None:
            return Answer([], [], 0, values, error=f"no example value for ?{param.name}")
        values[param.name] = value
        terms[param.name] = parameter_term(param, value)
    result = kg.query(query.text, bindings=terms or None, where=str(query.path))
    if isinstance(result, bool):
        return Answer(["answer"], [["true" if result else "false"]], 1, values)
    if not isinstance(result, ox.QuerySolutions):  # CONSTRUCT / DESCRIBE
        triples = sorted(str(t) for t in result)
        return Answer(["triple"], [[t] for t in triples[:MAX_ROWS]], len(triples), values)
    columns = [v.value for v in result.variables]
    rows = [[cell(solution[c]) for c in columns] for solution in result]
    return Answer(columns, rows[:MAX_ROWS], len(rows), values)


def parameter_term(param: Parameter, value: str) -> ox.NamedNode | ox.Literal:
    """The RDF term for a parameter value written in a query header."""
    if param.type == "iri":
        iri = expand(value) or value.strip("<>")
        return ox.NamedNode(iri)
    if param.type == "string":
        return ox.Literal(value)
    if param.type == "langString":
        text, _, language = value.rpartition("@")
        return ox.Literal(text or value, language=language if text else "en")
    return ox.Literal(value, datatype=ox.NamedNode(XSD[param.type]))


def queries_html(kg: KnowledgeGraph, report: ValidationReport | None = None) -> bytes:
    """The query catalogue page: every library query with its text and its answer.

    With the graph's validation ``report``, the checks are not run again: their answers
    are the report's findings."""
    from vetgraph.graph.release import version
    from vetgraph.sparql.library import KINDS, load_library

    sections = {
        "cq": ("Competency questions", "The questions the graph is built to answer."),
        "reports": ("Reports", "The counts behind vetgraph stats."),
        "checks": (
            "Checks",
            "The rules vetgraph validate applies: each returns the offending rows, so an "
            "empty answer means the graph passes.",
        ),
    }
    queries = load_library()
    parts = [
        _PAGE_HEAD.format(version=html.escape(version())),
        "<nav><h2>Contents</h2><ul>",
    ]
    order: list[str] = [k for k in ("cq", "reports", "checks") if k in KINDS]
    order += [k for k in KINDS if k not in order]
    for kind in order:
        title = sections.get(kind, (kind, ""))[0]
        parts.append(f'<li><a href="#{kind}">{title}</a><ul>')
        for q in (q for q in queries if q.kind == kind):
            parts.append(f'<li><a href="#{kind}-{q.name}">{html.escape(q.title)}</a></li>')
        parts.append("</ul></li>")
    parts.append("</ul></nav><main>")
    for kind in order:
        title, blurb = sections.get(kind, (kind, ""))
        parts.append(f'<section id="{kind}"><h2>{title}</h2><p>{blurb}</p>')
        for q in (q for q in queries if q.kind == kind):
            answer = (
                check_answer(q, report)
                if report is not None and q.kind == "checks" and q.name in report.checks
                else run_example(kg, q)
            )
            parts.append(_query_html(q, answer))
        parts.append("</section>")
    parts.append("</main></body></html>\n")
    return "\n".join(parts).encode("utf-8")


def _query_html(q: LibraryQuery, answer: Answer) -> str:
    e = html.escape
    out = [f'<article id="{q.kind}-{q.name}"><h3>{e(q.title)}</h3>']
    out.append(f"<p class=file><code>queries/{q.kind}/{q.path.name}</code></p>")
    if q.header.question:
        out.append(f'<p class="question">{e(q.header.question)}</p>')
    out.append(f"<p>{e(q.header.description)}</p>")
    out.append(f"<p><b>Answer shape:</b> <code>{e(q.header.shape)}</code></p>")
    if q.header.note:
        out.append(f"<p><b>Note:</b> {e(q.header.note)}</p>")
    if q.header.params:
        out.append("<table class=params><tr><th>parameter</th><th>type</th><th>default</th>")
        out.append("<th>example</th><th>what it is</th></tr>")
        for p in q.header.params:
            out.append(
                f"<tr><td><code>?{e(p.name)}</code></td><td>{e(p.type)}</td>"
                f"<td>{e(p.default or 'required')}</td><td>{e(p.example or '')}</td>"
                f"<td>{e(p.description)}</td></tr>"
            )
        out.append("</table>")
    body = q.text.split("\n")
    while body and body[0].startswith("#"):
        body.pop(0)
    out.append(f"<pre><code>{e(chr(10).join(body).strip())}</code></pre>")
    if answer.bindings:
        shown = ", ".join(f"?{k} = {v}" for k, v in answer.bindings.items())
        out.append(f"<p><b>Answer on this build's graph</b> with {e(shown)}:</p>")
    else:
        out.append("<p><b>Answer on this build's graph:</b></p>")
    if answer.error:
        out.append(f"<p class=none>not run: {e(answer.error)}</p>")
    elif not answer.rows:
        empty = "no rows: the graph passes this check" if q.kind == "checks" else "no rows"
        out.append(f"<p class=none>{empty}</p>")
    else:
        out.append("<table class=answer><tr>")
        out.extend(f"<th>?{e(c)}</th>" for c in answer.columns)
        out.append("</tr>")
        for row in answer.rows:
            out.append("<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>")
        out.append("</table>")
        if answer.total > len(answer.rows):
            out.append(f"<p class=none>first {len(answer.rows)} of {answer.total} rows</p>")
        else:
            out.append(f"<p class=none>{answer.total} row(s)</p>")
    out.append("</article>")
    return "\n".join(out)


_PAGE_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vetgraph {version}: the query catalogue</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; color: #222; line-height: 1.45; }}
header {{ background: #1d3557; color: #fff; padding: 1rem 2rem; }}
header h1 {{ margin: 0; font-size: 1.5rem; }}
nav {{ float: left; width: 18rem; padding: 1rem; font-size: .9rem; position: sticky; top: 0;
      max-height: 100vh; overflow: auto; box-sizing: border-box; }}
main {{ margin-left: 18rem; padding: 1rem 2rem; max-width: 70rem; }}
article {{ border-top: 1px solid #ccc; padding: .5rem 0 1.5rem; }}
.question {{ font-style: italic; font-size: 1.05rem; }}
.file, .none {{ color: #555; font-size: .9rem; }}
pre {{ background: #f4f4f4; padding: .75rem; overflow: auto; font-size: .85rem; }}
table {{ border-collapse: collapse; font-size: .85rem; margin: .5rem 0; }}
th, td {{ border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }}
th {{ background: #eef; }}
table.answer {{ display: block; overflow-x: auto; }}
</style></head>
<body><header><h1>vetgraph {version}: the query catalogue</h1>
<p>Every query in the library with its text and its answer on this build's graph. Run one
yourself with the SPARQL text below, against the embedded store or any SPARQL endpoint
that holds the vetgraph dataset.</p></header>"""
