"""The query catalogue: ``queries_html(kg)`` documents the query library from the query headers:
each query's title, question, description, parameters, text, and its answer on the graph, run
with the parameters' ``example:`` values (or their defaults). Deterministic.

The page reads on a phone: one column, text at least 14 px, wide tables scrolling in their own
box, the query text and long answers folded behind ``<details>`` that say how many lines or
rows they hold. Each query links to the query editor filled with it
(``query.html#example=NAME&PARAM=VALUE``), and each entity in an answer to its page in the
site (``id/NAME.html``, :func:`vetgraph.explore.addresses.page_path`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from vetgraph.explore.addresses import page_path
from vetgraph.graph.namespaces import XSD, expand
from vetgraph.sparql.results import cell

if TYPE_CHECKING:
    from vetgraph.check.report import ValidationReport
    from vetgraph.graph.store import KnowledgeGraph
    from vetgraph.sparql.library import LibraryQuery, Parameter

MAX_ROWS = 25  # rows of a query's answer shown in the catalogue


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


#: Answers of at most this many cells start open; longer ones start folded.
OPEN_CELLS = 6
#: The query editor of the site, and how a library query opens in it.
EDITOR = "query.html"

_SECTIONS = {
    "cq": ("Competency questions", "The questions the graph is built to answer."),
    "reports": ("Reports", "The counts behind vetgraph stats."),
    "checks": (
        "Checks",
        "The rules vetgraph validate applies: each returns the offending rows, so an "
        "empty answer means the graph passes.",
    ),
}


def queries_html(kg: KnowledgeGraph, report: ValidationReport | None = None) -> bytes:
    """The query catalogue page: every library query with its text and its answer.

    With the graph's validation ``report``, the checks are not run again: their answers
    are the report's findings."""
    from vetgraph.graph.release import version
    from vetgraph.sparql.library import KINDS, load_library

    queries = load_library()
    order: list[str] = [k for k in ("cq", "reports", "checks") if k in KINDS]
    order += [k for k in KINDS if k not in order]
    parts = [_PAGE_HEAD.format(version=html.escape(version()))]
    parts.append('<nav aria-labelledby="contents"><h2 id="contents">Contents</h2><ul>')
    for kind in order:
        title = _SECTIONS.get(kind, (kind, ""))[0]
        mine = [q for q in queries if q.kind == kind]
        parts.append(
            f'<li><a href="#{kind}">{title}</a> ({len(mine)})'
            f"<details><summary>its queries</summary><ul>"
        )
        for q in mine:
            parts.append(f'<li><a href="#{kind}-{q.name}">{html.escape(q.title)}</a></li>')
        parts.append("</ul></details></li>")
    parts.append("</ul></nav><main>")
    for kind in order:
        title, blurb = _SECTIONS.get(kind, (kind, ""))
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


def editor_link(q: LibraryQuery, bindings: dict[str, str]) -> str:
    """The query editor opened on a library query, its parameters filled.

    >>> from types import SimpleNamespace as Q
    >>> editor_link(Q(name="sources-of-entity"), {"entity": "vg:bruges-communique"})
    'query.html#example=sources-of-entity&entity=vg%3Abruges-communique'
    """
    from urllib.parse import quote

    params = "".join(f"&{quote(k, safe='')}={quote(v, safe='')}" for k, v in bindings.items())
    return f"{EDITOR}#example={quote(q.name, safe='')}{params}"


def _query_html(q: LibraryQuery, answer: Answer) -> str:
    e = html.escape
    out = [f'<article id="{q.kind}-{q.name}" aria-labelledby="h-{q.kind}-{q.name}">']
    out.append(f'<h3 id="h-{q.kind}-{q.name}">{e(q.title)}</h3>')
    out.append(
        f"<p class=file><code>queries/{q.kind}/{q.path.name}</code> · "
        f'<a href="{e(editor_link(q, answer.bindings))}">Open in the query editor</a></p>'
    )
    if q.header.question:
        out.append(f'<p class="question">{e(q.header.question)}</p>')
    out.append(f"<p>{e(q.header.description)}</p>")
    out.append(f"<p><b>Answer shape:</b> <code>{e(q.header.shape)}</code></p>")
    if q.header.note:
        out.append(f"<p><b>Note:</b> {e(q.header.note)}</p>")
    if q.header.params:
        out.append(_box(f"Parameters of {q.title}", _params_table(q)))
    body = q.text.split("\n")
    while body and body[0].startswith("#"):
        body.pop(0)
    text = chr(10).join(body).strip()
    lines = text.count("\n") + 1
    out.append(
        f"<details class=sparql><summary>The SPARQL text ({lines} lines)</summary>"
        f'<pre tabindex="0" aria-label="SPARQL text of {e(q.title)}"><code>{e(text)}</code></pre>'
        "</details>"
    )
    out.append(_answer_html(q, answer))
    out.append("</article>")
    return "\n".join(out)


def _params_table(q: LibraryQuery) -> str:
    e = html.escape
    rows = [
        "<table class=params><tr><th>parameter</th><th>type</th><th>default</th>",
        "<th>example</th><th>what it is</th></tr>",
    ]
    for p in q.header.params:
        rows.append(
            f"<tr><td><code>?{e(p.name)}</code></td><td>{e(p.type)}</td>"
            f"<td>{e(p.default or 'required')}</td><td>{e(p.example or '')}</td>"
            f"<td>{e(p.description)}</td></tr>"
        )
    rows.append("</table>")
    return "".join(rows)


def _answer_html(q: LibraryQuery, answer: Answer) -> str:
    e = html.escape
    lead = "Answer on this build's graph"
    if answer.bindings:
        lead += " with " + e(", ".join(f"?{k} = {v}" for k, v in answer.bindings.items()))
    if answer.error:
        return f"<p><b>{lead}:</b> <span class=none>not run: {e(answer.error)}</span></p>"
    if not answer.rows:
        empty = "no rows: the graph passes this check" if q.kind == "checks" else "no rows"
        return f"<p><b>{lead}:</b> <span class=none>{empty}</span></p>"
    table = ["<table class=answer><tr>"]
    table.extend(f"<th>?{e(c)}</th>" for c in answer.columns)
    table.append("</tr>")
    for row in answer.rows:
        table.append("<tr>" + "".join(f"<td>{_cell_html(v)}</td>" for v in row) + "</tr>")
    table.append("</table>")
    rows = f"{answer.total} row{'s' * (answer.total != 1)}"
    if answer.total > len(answer.rows):
        rows = f"the first {len(answer.rows)} of {answer.total} rows"
    boxed = _box(f"Answer of {q.title}", "".join(table))
    opened = " open" if len(answer.rows) * len(answer.columns) <= OPEN_CELLS else ""
    return f"<details class=answer{opened}><summary>{lead}: {rows}</summary>{boxed}</details>"


def _cell_html(value: str) -> str:
    """A cell of an answer; an entity or source of the graph links to its page in the site."""
    iri = expand(value) or value
    path = page_path(iri) if "://" in iri else None
    if path is None:
        return html.escape(value)
    return f'<a href="{html.escape(path)}">{html.escape(value)}</a>'


def _box(label: str, inner: str) -> str:
    """A wide table scrolls inside its own box (focusable, so the keyboard can scroll it)."""
    return f'<div class=wide role=region tabindex=0 aria-label="{html.escape(label)}">{inner}</div>'


_PAGE_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vetgraph {version}: the query catalogue</title>
<style>
* {{ box-sizing: border-box; }}
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1b1b1b; }}
a {{ color: #0b4f8a; }}
header {{ background: #1d3557; color: #fff; padding: .75rem 1rem; }}
header h1 {{ margin: 0; font-size: 1.35rem; }}
header p {{ margin: .4rem 0 0; }}
nav {{ padding: .5rem 1rem; border-bottom: 1px solid #ccc; }}
nav h2 {{ font-size: 1.1rem; margin: .2rem 0; }}
nav ul {{ margin: .2rem 0; padding-left: 1.2rem; }}
nav details ul {{ padding-left: 1rem; }}
nav summary {{ color: #0b4f8a; cursor: pointer; font-weight: 400; }}
main {{ padding: .5rem 1rem 2rem; max-width: 72rem; }}
article {{ border-top: 1px solid #ccc; padding: .5rem 0 1rem; }}
h3 {{ margin: .5rem 0 .25rem; font-size: 1.15rem; overflow-wrap: anywhere; }}
p, li, td, th {{ overflow-wrap: anywhere; }}
.question {{ font-style: italic; }}
.file, .none {{ color: #4a4a4a; font-size: 15px; }}
code, pre {{ font-size: 14px; }}
pre {{ background: #f4f4f4; padding: .75rem; overflow: auto; margin: .25rem 0; }}
summary {{ cursor: pointer; font-weight: 600; margin: .25rem 0; }}
.wide {{ overflow-x: auto; max-width: 100%; margin: .4rem 0; }}
table {{ border-collapse: collapse; font-size: 14px; }}
th, td {{ border: 1px solid #bbb; padding: .25rem .5rem; text-align: left; vertical-align: top;
         min-width: 6rem; max-width: 28rem; }}
th {{ background: #eef; overflow-wrap: normal; white-space: nowrap; }}
:focus-visible {{ outline: 3px solid #0b63c1; outline-offset: 2px; }}
@media (min-width: 900px) {{
  nav {{ float: left; width: 19rem; position: sticky; top: 0; max-height: 100vh; overflow: auto;
        border-bottom: 0; }}
  main {{ margin-left: 19rem; padding: .5rem 2rem 2rem; }}
  header {{ padding: 1rem 2rem; }}
}}
</style></head>
<body><header><h1>vetgraph {version}: the query catalogue</h1>
<p>Every query in the library with its text and its answer on this build's graph. Open one in
the query editor, or run its SPARQL text against the embedded store or any SPARQL endpoint
that holds the vetgraph dataset.</p></header>"""
