"""The query catalogue: ``queries_html(kg)`` documents the query library from the query headers:
each query's title, question, description, parameters, text, and its answer on the graph, run
with the parameters' ``example:`` values (or their defaults). Deterministic.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from vetgraph.graph.namespaces import XSD, expand
from vetgraph.sparql.results import cell

if TYPE_CHECKING:
    from vetgraph.check.validation import ValidationReport
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
